"""The durable_rules engine: the same decisions from a Rete network, cross-checked.

``Standard.evaluate(record, engine="durable")`` runs here. Python measures (the native
check closures read and validate each value; :mod:`._measure` turns their outcomes into
facts without their status); a durable_rules ruleset compiled once per standard
(:mod:`._plan`) decides every status from those facts — each comparison, the three-valued
``all``/``any``/``not``, ``applies_when``, freshness, waivers and the mandatory veto.
Every status the rules fire is compared with the native outcome of the same check, and
the library's one report assembler must arrive at exactly the criterion statuses and
vetoes they fired (:func:`_report`): the report carries durable's decisions with the
native explanations of them, byte for byte the native report (``engine`` aside). A
difference anywhere raises :class:`EngineDisagreement` instead of a report that
contradicts itself.

The hazards of durable_rules stay in this module (docs/engines.md):

* **facts, never events** — only ``assert_facts`` is called;
* **registered once** — one ruleset per distinct compiled standard (content-addressed),
  created from canonical JSON text (so no definition dict is ever mutated), reused for
  the life of the process; at most :data:`MAX_RULESETS` distinct ones;
* **limits checked before registration** — a standard too large for one ruleset is split
  over several; a criterion too large for any is refused (:mod:`._rules`);
* **one session per record** — a fresh ``sid`` per record and ruleset, deleted afterwards,
  also on error;
* **one process-wide lock** around every call into the engine (it is not thread-safe); the
  ``durable.lang`` host is never started, so no timer thread calls into the engine behind
  the lock's back;
* **no loose coercion** — facts carry normalised integers, day numbers and digests of one
  type per comparison.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import itertools
import json
import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from types import ModuleType
from typing import Any, Final

from .._compiler import Compiled
from .._evaluator import _active_waiver
from .._evaluator import evaluate as native_evaluate
from .._judge import stale_paths
from ..checks._base import FAIL, PASS, Ctx, Outcome
from ..errors import EngineUnavailable, StandardsError
from ..evidence import Evidence
from ..results import Report
from ..waivers import Waiver
from ._measure import MeasureError
from ._plan import RANK_ALL, RANK_ANY, Chunk, Leaf, Node, Plan, build_plan

__all__ = ["MAX_RULESETS", "EngineDisagreement", "available", "evaluate", "plan_for", "registered", "stats"]

#: Distinct rulesets one process may register (each costs memory that is never freed).
MAX_RULESETS: Final = 256
_PLAN_CACHE: Final = 128
_NEEDED: Final = ("create_ruleset", "assert_facts", "start_action_for_state", "complete_and_start_action",
                  "abandon_action", "delete_state")


class EngineDisagreement(StandardsError, RuntimeError):
    """The durable engine decided a status the native engine did not (a bug in one of them)."""

    code = "engine-disagreement"


# -- the engine, imported on use ------------------------------------------------------------------


def _engine() -> ModuleType:
    """durable_rules' C module, or EngineUnavailable saying why it cannot be used here."""
    try:
        mod = importlib.import_module("durable_rules_engine")
    except ImportError as exc:
        why = str(exc)
        if "undefined symbol" in why:
            msg = (
                f"durable-rules is installed but does not load on Python {sys.version.split()[0]} ({why}); "
                "its last release (2.0.28) works on Python 3.11 and 3.12 only"
            )
        else:
            msg = f"durable-rules cannot be imported ({why})"
        raise EngineUnavailable(
            msg,
            code="engine-unavailable",
            hint="install it with: pip install 'standards[durable]' (Python 3.11 or 3.12), or use engine='native'",
        ) from None
    missing = [name for name in _NEEDED if not hasattr(mod, name)]
    if missing:
        raise EngineUnavailable(
            f"this durable_rules_engine lacks {', '.join(missing)}: only durable-rules 2.0.x is supported",
            code="engine-unavailable",
        )
    return mod


def available() -> str | None:
    """None when the durable engine can run here, else why it cannot."""
    try:
        _engine()
    except EngineUnavailable as exc:
        return exc.message
    return None


# -- process-wide state, behind one lock ------------------------------------------------------------

_LOCK = threading.Lock()  # every call into durable_rules
_PLANS_LOCK = threading.Lock()
_HANDLES: dict[str, int] = {}  # sha256 of a ruleset's canonical JSON → its handle
_NAMES: dict[str, tuple[str, int, int]] = {}  # same key → (name, rules, patterns)
_PLANS: OrderedDict[int, tuple[Compiled, Plan]] = OrderedDict()
_SIDS = itertools.count(1)
_STATS = {"registered": 0, "sessions": 0, "deleted": 0, "facts": 0, "firings": 0, "session_ns": 0}


def _after_fork() -> None:  # pragma: no cover - exercised only in forked workers
    global _LOCK, _PLANS_LOCK
    _LOCK = threading.Lock()
    _PLANS_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def stats() -> dict[str, int]:
    """Counters of this process's use of durable_rules.

    Rulesets registered, sessions opened and deleted, facts asserted, rules fired, and the
    nanoseconds spent in sessions (assert → fire → delete, under the lock).
    """
    with _LOCK:
        return dict(_STATS)


def registered() -> list[dict[str, Any]]:
    """The rulesets this process registered: name, rules, fact patterns."""
    with _LOCK:
        return [{"name": n, "rules": r, "patterns": p} for n, r, p in _NAMES.values()]


def plan_for(comp: Compiled) -> Plan:
    """The rulesets of a compiled standard (built once per compilation, then cached)."""
    key = id(comp)
    with _PLANS_LOCK:
        hit = _PLANS.get(key)
        if hit is not None and hit[0] is comp:
            _PLANS.move_to_end(key)
            return hit[1]
    plan = build_plan(comp)
    with _PLANS_LOCK:
        _PLANS[key] = (comp, plan)
        while len(_PLANS) > _PLAN_CACHE:
            _PLANS.popitem(last=False)
    return plan


def _handle(dre: ModuleType, chunk: Chunk) -> int:
    """Register a ruleset the first time it is needed; reuse it afterwards."""
    key = hashlib.sha256(chunk.text.encode("utf-8")).hexdigest()
    with _LOCK:
        h = _HANDLES.get(key)
        if h is not None:
            return h
        if len(_HANDLES) >= MAX_RULESETS:
            raise EngineUnavailable(
                f"this process has registered {len(_HANDLES)} durable_rules rulesets, the most it allows: "
                "durable_rules can never unregister one, and each costs memory",
                code="engine-limit",
                hint="evaluate fewer distinct standards per process, or use engine='native'",
            )
        name = f"standards:{chunk.name}:{key[:12]}"
        # Registered from our own canonical JSON text: the engine parses a copy, nothing of
        # ours is mutated (durable.lang's path deletes 'run' from the dict it is given).
        h = int(dre.create_ruleset(name, chunk.text))
        _HANDLES[key] = h
        _NAMES[key] = (name, len(chunk.rules), sum(len(r.patterns) for r in chunk.rules))
        _STATS["registered"] += 1
        return h


# -- one session ------------------------------------------------------------------------------------

_DUMP = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True, allow_nan=False).encode


def _status_fact(sid: str, node: str, status: str) -> dict[str, Any]:
    return {
        "sid": sid,
        "t": "s",
        "n": node,
        "s": status,
        "ra": RANK_ALL.get(status, 0),
        "ry": RANK_ANY.get(status, 0),
        "d": int(status in (PASS, FAIL)),
    }


def _session(dre: ModuleType, h: int, chunk: Chunk, facts: list[dict[str, Any]]) -> tuple[dict[str, str], list[int]]:
    """Assert one record's facts in a fresh session, chain until quiet, delete the session.

    Returns each node's status and the vetoing criteria. Derived statuses are asserted
    back in rounds: every action pending is read, then their facts go in as one batch.
    """
    statuses: dict[str, str] = {}
    vetoes: list[int] = []
    with _LOCK:
        t0 = time.perf_counter_ns()
        sid = str(next(_SIDS))
        for f in facts:
            f["sid"] = sid
        _STATS["sessions"] += 1
        acting = False
        sh = 0
        try:
            batch = facts
            while batch:
                _STATS["facts"] += len(batch)
                sh = dre.assert_facts(h, _DUMP(batch))[1]
                batch = []
                started = dre.start_action_for_state(h, sh)
                msg = started[1] if started else None
                acting = msg is not None
                while msg is not None:
                    for name, matched in json.loads(msg).items():
                        _STATS["firings"] += 1
                        act = chunk.actions[name]
                        if act.veto is not None:
                            vetoes.append(act.veto)
                            continue
                        node = act.node if act.node is not None else matched["m"]["n"]
                        status = act.status if act.status is not None else matched[act.copy]["s"]
                        if node in statuses:
                            raise EngineDisagreement(
                                f"durable_rules decided node {node} twice ({statuses[node]}, then {status} by {name})",
                                code="engine-disagreement",
                            )
                        statuses[node] = status
                        if node in chunk.consumed:
                            batch.append(_status_fact(sid, node, status))
                    msg = dre.complete_and_start_action(h, sh)
                acting = False
        except BaseException:
            # Leave nothing behind, and report the first error, not one from cleaning up.
            if acting:
                with contextlib.suppress(Exception):
                    dre.abandon_action(h, sh)
            with contextlib.suppress(Exception):
                dre.delete_state(h, sid)
                _STATS["deleted"] += 1
            raise
        dre.delete_state(h, sid)
        _STATS["deleted"] += 1
        _STATS["session_ns"] += time.perf_counter_ns() - t0
    return statuses, vetoes


# -- measuring and assembling ---------------------------------------------------------------------------


def _measure(tree: Leaf | Node, out: Outcome, ctx: Ctx, facts: list[dict[str, Any]], native: dict[str, str]) -> None:
    """Measure facts of every leaf under ``tree`` from the native outcomes; note native statuses."""
    native[tree.id] = out.status
    if isinstance(tree, Node):
        if len(out.children) != len(tree.children):
            raise MeasureError(f"node {tree.id}: {len(out.children)} outcomes for {len(tree.children)} checks")
        for child, (_, o) in zip(tree.children, out.children, strict=True):
            _measure(child, o, ctx, facts, native)
        return
    got = tree.measure(ctx, out)
    if isinstance(got, str):
        facts.append({"t": "m", "n": tree.id, "st": got})
        return
    ids = tree.slot_ids()
    if set(got) != set(ids):
        raise MeasureError(f"leaf {tree.id}: measured {sorted(got)}, expected {sorted(ids)}")
    for slot, fields in got.items():
        facts.append({"t": "m", "n": ids[slot], "st": "ok", **fields})


def _disagree(cid: str, what: str, durable: str | None, native: str) -> EngineDisagreement:
    return EngineDisagreement(
        f"criterion {cid}: durable_rules decided {what} {durable or 'nothing'}, the native closures {native}",
        code="engine-disagreement",
        hint="please report this with the record: one of the two engines has a bug",
    )


def evaluate(std: Any, record: Evidence, as_of: date, waivers: Sequence[Waiver]) -> Report:
    """The full report, every status decided by durable_rules (see the module docstring)."""
    dre = _engine()
    comp: Compiled = std.compiled
    plan = plan_for(comp)
    handles = [_handle(dre, chunk) for chunk in plan.chunks]
    ctx = Ctx(record, as_of, True)
    subject_id = record.subject_id
    used: dict[int, str] = {}
    native: dict[int, dict[str, str]] = {}
    decided: dict[str, str] = {}
    vetoes: list[int] = []
    for chunk, h in zip(plan.chunks, handles, strict=True):
        facts: list[dict[str, Any]] = []
        for cp in chunk.crits:
            cc = cp.cc
            waived = _active_waiver(waivers, cc.id, subject_id, as_of, used) is not None
            stale = bool(stale_paths(cc, record, as_of)) if cc.fresh is not None else False
            facts.append({"t": "c", "n": str(cp.index), "w": int(waived), "z": int(stale)})
            seen = native[cp.index] = {}
            try:
                _measure(cp.check, cc.run(ctx), ctx, facts, seen)
                if cp.guard is not None and cc.guard is not None:
                    _measure(cp.guard, cc.guard(ctx), ctx, facts, seen)
            except MeasureError as exc:
                raise EngineDisagreement(
                    f"criterion {cc.id}: {exc}", code="engine-disagreement", hint="please report this with the record"
                ) from None
        got, veto = _session(dre, h, chunk, facts)
        decided.update(got)
        vetoes += veto
    for cp in (cp for chunk in plan.chunks for cp in chunk.crits):
        for node, want in native[cp.index].items():
            if decided.get(node) != want:
                raise _disagree(cp.cc.id, f"check {node} as", decided.get(node), want)
    return _report(comp, record, as_of, waivers, decided, sorted(vetoes))


def _report(
    comp: Compiled,
    record: Evidence,
    as_of: date,
    waivers: Sequence[Waiver],
    decided: dict[str, str],
    vetoes: list[int],
) -> Report:
    """The report of the statuses durable_rules decided, explained by the native outcomes.

    The library has one report assembler (explanations, points, verdict weighing,
    remediation, waivers); it is given the record again and must arrive at exactly the
    statuses the rules decided — criterion by criterion, and the mandatory vetoes — or
    the evaluation stops with :class:`EngineDisagreement`. So every status in the report
    is one durable_rules decided, and every sentence is the native one about it.
    """
    report = native_evaluate(comp, record, as_of, waivers, engine="durable")
    for i, finding in enumerate(report.findings):
        if decided.get(str(i)) != finding.status:
            raise _disagree(finding.criterion, "the criterion", decided.get(str(i)), finding.status)
    fails = [i for i, f in enumerate(report.findings) if f.status == FAIL and f.mandatory]
    vetoed = ("fail", tuple(comp.criteria[i].id for i in vetoes))
    if fails != vetoes or (vetoes and (report.verdict, report.deciding) != vetoed):
        raise EngineDisagreement(
            f"durable_rules vetoed criteria {vetoes}; the report has verdict {report.verdict} "
            f"deciding {list(report.deciding)}",
            code="engine-disagreement",
        )
    return report
