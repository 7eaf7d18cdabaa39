"""Invariants: what must hold for any rule set and any evidence record.

Each invariant is a plain function ``(standard, record) -> list[str]`` returning the
problems it sees (empty when it holds), so it can run under Hypothesis, in a loop, or
by hand. :func:`run_properties` runs them all with Hypothesis over generated records and
adds the standard-level ones (reachability), reporting each violation with the minimal
counter-example Hypothesis shrank it to.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

from .._api import Standard
from .._compiler import fact_paths
from .._values import parse_bound
from ..results import Report
from ._records import evidence_for

__all__ = [
    "RECORD_INVARIANTS",
    "PropertyResult",
    "determinism",
    "every_criterion_counts",
    "missing_never_passes",
    "monotonicity",
    "one_remediation_per_unmet_finding",
    "pass_mark_reachable",
    "reachability",
    "report_schema_round_trip",
    "run_properties",
    "score_within_bounds",
    "verdict_agrees_with_findings",
    "waiver_changes_only_its_criterion",
]

_UNMET = ("fail", "missing_evidence", "invalid_evidence")
_UNDECIDED = ("missing_evidence", "invalid_evidence")


def _reversed_keys(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _reversed_keys(x[k]) for k in reversed(list(x))}
    if isinstance(x, list):
        return [_reversed_keys(v) for v in x]
    return x


def determinism(std: Standard, record: dict[str, Any]) -> list[str]:
    """The same input gives the same report, byte for byte, whatever the key order."""
    a = std.evaluate(record).to_json()
    b = std.evaluate(copy.deepcopy(record)).to_json()
    c = std.evaluate(_reversed_keys(record)).to_json()
    return [] if a == b == c else ["two evaluations of the same record gave different reports"]


def score_within_bounds(std: Standard, record: dict[str, Any]) -> list[str]:
    """0 ≤ earned ≤ possible, for the total, every category and every finding."""
    r = std.evaluate(record)
    out = []
    if not 0 <= r.score.earned <= r.score.possible + 1e-9:
        out.append(f"score {r.score.earned} of {r.score.possible}")
    for c in r.score.categories:
        if not 0 <= c.earned <= c.possible + 1e-9:
            out.append(f"category {c.id}: {c.earned} of {c.possible}")
    for f in r.findings:
        if not 0 <= f.earned <= f.possible + 1e-9:
            out.append(f"{f.criterion}: {f.earned} of {f.possible}")
    return out


def _passes(std: Standard, r: Report, undecided_as: str) -> bool:
    earned = possible = 0.0
    for f, c in zip(r.findings, std.criteria, strict=True):
        if f.status in ("not_applicable", "waived"):
            continue
        possible += c.points
        status = undecided_as if f.status in _UNDECIDED else f.status
        got = c.points if status == "pass" else (0.0 if f.status in _UNDECIDED else f.earned)
        if status == "fail" and (c.mandatory or std.scoring.method == "pass_fail"):
            return False
        earned += got
    if std.scoring.method == "pass_fail":
        return True
    written = parse_bound(std.scoring.pass_mark) if std.scoring.pass_mark is not None else None
    if isinstance(std.scoring.pass_mark, str) and std.scoring.pass_mark.startswith("$"):
        written = parse_bound(std.parameters[std.scoring.pass_mark[1:]])
    if written is None:
        mark = possible
    elif written.percent or written.f <= 1:
        mark = written.f * possible
    else:
        mark = written.f
    return earned >= mark - 1e-9


def verdict_agrees_with_findings(std: Standard, record: dict[str, Any]) -> list[str]:
    """A mandatory fail makes the verdict fail; otherwise score and pass mark decide.

    ``incomplete`` appears only when the undecided findings could flip the verdict.
    """
    r = std.evaluate(record)
    if any(f.status == "fail" and f.mandatory for f in r.findings):
        return [] if r.verdict == "fail" else [f"a mandatory criterion fails but the verdict is {r.verdict}"]
    best, worst = _passes(std, r, "pass"), _passes(std, r, "fail")
    want = "pass" if best and worst else "fail" if not best else "incomplete"
    if r.verdict != want:
        return [f"verdict {r.verdict}, but the findings give {want} (best case {best}, worst case {worst})"]
    return []


def one_remediation_per_unmet_finding(std: Standard, record: dict[str, Any]) -> list[str]:
    """Every fail / missing / invalid finding has exactly one remediation item; no pass has one."""
    r = std.evaluate(record)
    unmet = sorted(f.criterion for f in r.findings if f.status in _UNMET)
    items = sorted(i.criterion for i in r.remediation)
    return [] if unmet == items else [f"unmet {unmet} but remediation for {items}"]


def report_schema_round_trip(std: Standard, record: dict[str, Any]) -> list[str]:
    """The JSON report validates against the published schema and round-trips."""
    from ..schemas import schema

    r = std.evaluate(record)
    text = r.to_json()
    data = json.loads(text)
    out = []
    if data != json.loads(json.dumps(r.to_dict(), ensure_ascii=False)):
        out.append("to_json and to_dict disagree")
    try:
        import jsonschema
    except ImportError:  # pragma: no cover - jsonschema is in the dev and testing extras
        return out
    errors = list(jsonschema.Draft202012Validator(schema("report")).iter_errors(data))
    out += [f"schema: {e.json_path}: {e.message}" for e in errors[:3]]
    return out


def _drop(record: dict[str, Any], path: str) -> dict[str, Any]:
    rec = copy.deepcopy(record)
    node = rec.get("facts", {})
    keys = path.split(".")
    for k in keys[:-1]:
        if not isinstance(node, dict) or k not in node:
            return rec
        node = node[k]
    if isinstance(node, dict):
        node.pop(keys[-1], None)
    return rec


def missing_never_passes(std: Standard, record: dict[str, Any]) -> list[str]:
    """Removing the facts a criterion reads never makes it pass (missing is not a pass)."""
    out = []
    for c in std.criteria:
        paths = list(fact_paths(c.check))
        if not paths or c.applies_when is not None:
            continue
        rec = record
        for p in paths:
            rec = _drop(rec, p)
        status = std.decide(rec).statuses[c.id]
        if status == "pass":
            out.append(f"{c.id} passes with {', '.join(paths)} missing")
    return out


def _nudge(record: dict[str, Any], path: str, up: bool) -> dict[str, Any] | None:
    """The record with the number at ``path`` moved one notch up (or down)."""
    rec = copy.deepcopy(record)
    node = rec.get("facts", {})
    keys = path.split(".")
    for k in keys[:-1]:
        if not isinstance(node, dict):
            return None
        node = node.get(k)
    if not isinstance(node, dict):
        return None
    v = node.get(keys[-1])
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    if isinstance(v, int):
        node[keys[-1]] = v + 1 if up else max(v - 1, 0)
    else:
        node[keys[-1]] = min(1.0, v + 0.01) if up and v <= 1 else (v + 1 if up else max(0.0, v - 0.01))
    return rec


def _directions(check: Any) -> list[tuple[str, bool]]:
    """(path, improving means up?) for single-bound numeric checks."""
    k = check.kind
    lo, hi = getattr(check, "min", None), getattr(check, "max", None)
    if k in ("value",) and (lo is None) != (hi is None) and check.equals is None and check.one_of is None:
        return [(check.path, lo is not None)]
    if k == "ratio" and (lo is None) != (hi is None):
        return [(check.numerator, lo is not None)]
    if k == "count" and check.where is None and (lo is None) != (hi is None):
        return [(check.path, lo is not None)]
    return []


def monotonicity(std: Standard, record: dict[str, Any]) -> list[str]:
    """Improving a measure the way its bound asks never turns a pass into a fail.

    Nor does it lower the score.
    """
    base = std.evaluate(record)
    out = []
    numeric = [c for c in std.criteria if _directions(c.check)]
    # At most 4 criteria per record, chosen by the record itself: bounded cost, full coverage over a run.
    start = len(json.dumps(record, sort_keys=True, default=str)) % max(len(numeric), 1)
    for c in (numeric[start:] + numeric[:start])[:4]:
        for path, up in _directions(c.check):
            better = _nudge(record, path, up)
            if better is None:
                continue
            after = std.evaluate(better)
            was, now = base.statuses[c.id], after.statuses[c.id]
            if was == "pass" and now == "fail":
                out.append(f"{c.id}: improving {path} turned pass into fail")
            if after.score.earned < base.score.earned - 1e-9 and was in ("pass", "fail") and now in ("pass", "fail"):
                out.append(f"{c.id}: improving {path} lowered the score {base.score.earned} → {after.score.earned}")
    return out


def waiver_changes_only_its_criterion(std: Standard, record: dict[str, Any]) -> list[str]:
    """An active waiver changes its own criterion's status (to waived) and no other."""
    base = std.evaluate(record)
    out = []
    for c in std.criteria[:3]:
        w = [{"criterion": c.id, "justification": "property test", "until": "2099-12-31"}]
        after = std.evaluate(record, waivers=w)
        for cid, st_before in base.statuses.items():
            st_after = after.statuses[cid]
            if cid == c.id:
                if st_before != "not_applicable" and st_after != "waived":
                    out.append(f"waiving {cid} left it {st_after}")
            elif st_after != st_before:
                out.append(f"waiving {c.id} changed {cid}: {st_before} → {st_after}")
    return out


RECORD_INVARIANTS: dict[str, Callable[[Standard, dict[str, Any]], list[str]]] = {
    "determinism": determinism,
    "score_within_bounds": score_within_bounds,
    "verdict_agrees_with_findings": verdict_agrees_with_findings,
    "one_remediation_per_unmet_finding": one_remediation_per_unmet_finding,
    "report_schema_round_trip": report_schema_round_trip,
    "missing_never_passes": missing_never_passes,
    "monotonicity": monotonicity,
    "waiver_changes_only_its_criterion": waiver_changes_only_its_criterion,
}


@dataclass
class PropertyResult:
    """The outcome of one invariant over generated records."""

    name: str
    ok: bool
    message: str = ""
    example: dict[str, Any] | None = None
    criteria: list[str] = field(default_factory=list)


def _settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck),
                    phases=[Phase.explicit, Phase.generate, Phase.shrink])


def _check_records(std: Standard, todo: dict[str, Any], seen: dict[str, Any], examples: int) -> None:
    """One Hypothesis run of the invariants in ``todo``; the failure lands in ``seen``."""

    @_settings(examples)
    @given(evidence_for(std))
    def prop(record: dict[str, Any]) -> None:
        for name, fn in todo.items():
            problems = fn(std, record)
            if problems:
                seen.update(name=name, record=record, problems=problems)
                raise AssertionError(name)

    prop()


def _run_record_invariants(
    std: Standard, invariants: dict[str, Callable[[Standard, dict[str, Any]], list[str]]], examples: int
) -> dict[str, PropertyResult]:
    """Run record invariants together over one stream of generated records.

    Generating a record costs more than checking it, so every invariant sees every record.
    When one fails, Hypothesis shrinks to its minimal counter-example; the run then goes
    on with the invariants that still hold.
    """
    results: dict[str, PropertyResult] = {}
    remaining = dict(invariants)
    while remaining:
        seen: dict[str, Any] = {}

        try:
            _check_records(std, remaining, seen, examples)
        except AssertionError:
            name = seen["name"]
            results[name] = PropertyResult(name, False, "; ".join(seen["problems"]), seen["record"])
            remaining.pop(name)
            continue
        results.update({name: PropertyResult(name, True) for name in remaining})
        break
    return {name: results[name] for name in invariants}


def reachability(std: Standard, examples: int = 30) -> PropertyResult:
    """Every criterion can pass and can fail.

    An unsatisfiable or always-true criterion is a defect of the rule set, reported with its id.
    """
    defects: list[str] = []
    for c in std.criteria:
        for want in ("pass", "fail"):
            if not _reaches(std, c.id, want, max(5, examples // 3)):
                defects.append(f"{c.id} can never {want}")
    return PropertyResult("reachability", not defects, "; ".join(defects),
                          criteria=sorted({d.split()[0] for d in defects}))


def _reaches(std: Standard, cid: str, want: str, examples: int) -> bool:
    """True if some record steered towards ``want`` gets that status."""
    hit = {"done": False}

    @_settings(examples)
    @given(evidence_for(std, cid, want, others=False))
    def probe(record: dict[str, Any]) -> None:
        if std.decide(record).statuses[cid] == want:
            hit["done"] = True

    try:
        probe()
    except Exception:
        return hit["done"]
    return hit["done"]


def every_criterion_counts(std: Standard) -> PropertyResult:
    """Every criterion can change the verdict: it is mandatory or worth points.

    A non-mandatory criterion worth 0 points under points scoring is dead weight — the
    usual result of a profile overriding a criterion out of existence.
    """
    if std.scoring.method == "pass_fail":
        return PropertyResult("every_criterion_counts", True)
    dead = [c.id for c in std.criteria if not c.mandatory and c.points <= 0]
    return PropertyResult("every_criterion_counts", not dead,
                          "; ".join(f"{c} can never change the verdict" for c in dead), criteria=dead)


def _minimal_all_pass(std: Standard, examples: int) -> dict[str, Any] | None:
    """The smallest generated record on which every criterion passes (a counter-example)."""
    from hypothesis import find

    def all_pass(record: dict[str, Any]) -> bool:
        return all(s == "pass" for s in std.decide(record).statuses.values())

    try:
        found: dict[str, Any] = find(evidence_for(std, status="pass"), all_pass, settings=_settings(examples))
    except Exception:
        return None
    return found


def pass_mark_reachable(std: Standard, examples: int = 10) -> PropertyResult:
    """A record that passes every criterion passes the standard (the pass mark is reachable).

    Checked by arithmetic first — all points, and the points left when every guarded
    criterion is not applicable — then on generated records that pass every criterion.
    """
    from .._scoring import pass_mark_points

    comp = std.compiled
    if std.scoring.method != "pass_fail":
        for label, pts in (("all criteria pass", sum(c.points for c in std.criteria)),
                           ("every guarded criterion is not applicable and the rest pass",
                            sum(c.points for c in std.criteria if c.applies_when is None))):
            mark = pass_mark_points(comp, pts)
            if pts > 0 and mark > pts + 1e-9:
                return PropertyResult("pass_mark_reachable", False,
                                      f"when {label}, {pts:g} points are earned but the pass mark is {mark:g}",
                                      _minimal_all_pass(std, examples))
    seen: dict[str, Any] = {}

    @_settings(examples)
    @given(evidence_for(std, status="pass"))
    def prop(record: dict[str, Any]) -> None:
        r = std.evaluate(record)
        if all(f.status == "pass" for f in r.findings) and r.verdict != "pass":
            seen["record"] = record
            raise AssertionError(f"every criterion passes, yet the verdict is {r.verdict} "
                                 f"({r.score.earned} of {r.score.possible}, pass mark {r.score.pass_mark})")

    try:
        prop()
    except AssertionError as exc:
        return PropertyResult("pass_mark_reachable", False, str(exc).split("\n")[0], seen.get("record"))
    except Unsatisfiable:
        # Some criterion can never pass: reachability names it; nothing to add here.
        return PropertyResult("pass_mark_reachable", True, "skipped: not every criterion can pass")
    return PropertyResult("pass_mark_reachable", True)


def run_properties(std: Standard, examples: int = 50, *, stop_early: bool = False) -> list[PropertyResult]:
    """Run every invariant against a standard; each result names its minimal counter-example.

    Cheap standard-level invariants run first; with ``stop_early`` the run ends at the
    first violation (what a mutation test or a pre-commit hook wants).
    """
    results = [every_criterion_counts(std)]
    if stop_early and not results[-1].ok:
        return results
    results.append(pass_mark_reachable(std, max(5, examples // 3)))
    if stop_early and not results[-1].ok:
        return results
    results.append(reachability(std, examples))
    if stop_early and not results[-1].ok:
        return results
    results += list(_run_record_invariants(std, RECORD_INVARIANTS, examples).values())
    return results

