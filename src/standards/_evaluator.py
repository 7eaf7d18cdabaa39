"""Evaluate a compiled standard against one record: judge → score → remediate → report.

``judge`` (module ``_judge``) runs one criterion: its ``applies_when`` guard, its check,
its freshness rule.
A *plain* criterion (no guard, no freshness rule) is decided by its check's status twin.
``decide`` is the fast path (statuses and verdict only, nothing allocated per finding);
``evaluate`` builds the full report, leaving each plain finding's outcome to be worked
out by its check when read. Both take each status from the same twin or the same
``judge``, so they cannot disagree; ``tests/properties/test_status_twins.py`` holds each
twin to its check (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import compress, repeat
from operator import ne

from ._compiler import Compiled, CompiledCriterion
from ._judge import judge
from ._remediation import remediate
from ._scoring import Row, earned_points, pass_mark_points, tidy, weigh
from .checks._base import (
    FAIL,
    NOT_APPLICABLE,
    PASS,
    WAIVED,
    Ctx,
    Outcome,
)
from .evidence import Evidence
from .results import Finding, Report, WaiverUse, evidence_reads
from .waivers import Waiver

__all__ = ["Decision", "decide", "evaluate", "judge"]


class Decision:
    """The fast result: verdict, deciding criteria and each criterion's status."""

    __slots__ = ("deciding", "statuses", "verdict")

    def __init__(self, verdict: str, deciding: tuple[str, ...], statuses: dict[str, str]) -> None:
        self.verdict = verdict
        self.deciding = deciding
        self.statuses = statuses

    def __repr__(self) -> str:
        return f"Decision({self.verdict!r}, deciding={self.deciding!r})"


def decide(comp: Compiled, record: Evidence, as_of: date) -> Decision:
    """Statuses and verdict only: the fast path for screening many records.

    Each criterion is decided as in :func:`evaluate` (its twin, or ``judge``), all in one
    dict comprehension. Most criteria pass, and a pass needs no weighing: only the others
    are visited, picked out by C-level filtering, and the verdict is weighed both ways
    from what they take off the total (tests prove it agrees with :func:`evaluate`).
    """
    ctx = Ctx(record, as_of, False)
    statuses = {cid: status_of(ctx) for cid, status_of in comp.deciders}
    earned = possible = comp.total_points  # less what is lost, not applicable or waived
    undecided_pts = 0.0
    mandatory_fails: list[str] = []
    short: list[str] = []
    undecided: list[CompiledCriterion] = []
    mandatory_open = any_fail = False
    for cc in compress(comp.criteria, map(ne, statuses.values(), repeat(PASS))):
        status = statuses[cc.id]
        points = cc.points
        earned -= points
        if status == FAIL:
            any_fail = True
            got = 0.0
            if cc.deduct_per is not None:
                got = earned_points(cc, FAIL, judge(cc, Ctx(record, as_of, True))[1].gap)
                earned += got
            if cc.mandatory:
                mandatory_fails.append(cc.id)
            if got < points:
                short.append(cc.id)
        elif status in (NOT_APPLICABLE, WAIVED):
            possible -= points
        else:
            undecided_pts += points
            undecided.append(cc)
            mandatory_open = mandatory_open or cc.mandatory
    if mandatory_fails:
        return Decision("fail", tuple(mandatory_fails), statuses)
    if comp.method == "pass_fail":
        best, worst = not any_fail, not any_fail and not undecided
    else:
        mark = pass_mark_points(comp, possible) - 1e-9
        best = earned + undecided_pts >= mark
        worst = not mandatory_open and earned >= mark
    if best and worst:
        return Decision("pass", (), statuses)
    if not best:
        return Decision("fail", tuple(short), statuses)
    deciding = tuple(c.id for c in undecided if c.mandatory or c.points > 0 or comp.method == "pass_fail")
    return Decision("incomplete", deciding, statuses)


def evaluate(
    comp: Compiled,
    record: Evidence,
    as_of: date,
    waivers: Sequence[Waiver] = (),
    engine: str = "native",
) -> Report:
    """The full report: findings with explanations, score, verdict, 整改清单, waivers."""
    ctx = Ctx(record, as_of, True)
    quick_ctx = Ctx(record, as_of, False)
    subject_id = record.subject_id
    rows: list[Row] = []
    pairs: list[tuple[CompiledCriterion, Finding]] = []
    used: dict[int, str] = {}
    for cc in comp.criteria:
        waiver = _active_waiver(waivers, cc.id, subject_id, as_of, used) if waivers else None
        if cc.plain and waiver is None:
            # No guard, freshness rule or waiver: the status twin decides, and the outcome
            # (explanation, observed value, gap) waits until it is read — unless partial
            # credit for a fail needs the gap now.
            status = cc.status(quick_ctx)
            if status != FAIL or cc.deduct_per is None:
                spec, earned = cc.spec, cc.points if status == PASS else 0.0
                rows.append((cc, status, earned))
                # Positional, and the check with its context instead of a closure: this
                # runs once per criterion per record.
                finding = Finding(cc.id, spec.title, spec.category, status, spec.mandatory,
                                  tidy(earned), spec.points, None, (), None, cc.run, ctx)
                pairs.append((cc, finding))
                continue
        status, out, note = judge(cc, ctx)
        if waiver is not None and status != NOT_APPLICABLE:
            note = Outcome(
                WAIVED,
                "criterion.waived",
                {
                    "until": waiver.until.isoformat(),
                    "justification": waiver.justification,
                    "why": out,
                },
            )
            status = WAIVED
        got = earned_points(cc, status, out.gap)
        rows.append((cc, status, got))
        applicable = status not in (NOT_APPLICABLE, WAIVED)
        finding = Finding(
            criterion=cc.id,
            title=cc.spec.title,
            category=cc.spec.category,
            status=status,
            mandatory=cc.spec.mandatory,
            earned=tidy(got),
            possible=cc.spec.points if applicable else 0.0,
            outcome=out,
            reads=evidence_reads(out, record),
            note=note,
        )
        pairs.append((cc, finding))
    v, deciding, scored = weigh(comp, rows)
    res = comp.resolved
    owners = comp.category_owners
    return Report(
        standard={
            "id": res.header.id,
            "title": res.header.title,
            "version": res.header.version,
            "level": res.header.level,
            "region": res.header.region,
        },
        files=tuple({"path": p, "sha256": h} for p, h in res.files),
        parameters={k: comp.parameters[k] for k in comp.report_parameters},
        subject=dict(record.subject),
        as_of=as_of,
        engine=engine,
        verdict=v,
        deciding=deciding,
        score=scored,
        findings=tuple(f for _, f in pairs),
        remediation=remediate(pairs, as_of, subject_id, comp.parameter_texts, owners),
        waivers=_waiver_uses(waivers, subject_id, as_of, used, {cc.id for cc in comp.criteria}) if waivers else (),
    )


def _active_waiver(
    waivers: Sequence[Waiver], cid: str, subject: str, as_of: date, used: dict[int, str]
) -> Waiver | None:
    for i, w in enumerate(waivers):
        if w.applies_to(cid, subject):
            if w.active_on(as_of):
                used[i] = "applied"
                return w
            used.setdefault(i, "expired")
    return None


def _waiver_uses(
    waivers: Sequence[Waiver], subject: str, as_of: date, used: dict[int, str], ids: set[str]
) -> tuple[WaiverUse, ...]:
    out = []
    for i, w in enumerate(waivers):
        if w.subject is not None and w.subject != subject:
            continue
        state = used.get(i) or (
            "unknown-criterion"
            if w.criterion not in ids
            else ("expired" if not w.active_on(as_of) else "unused")
        )
        out.append(
            WaiverUse(w.criterion, w.subject, w.justification, w.until, w.approved_by, state)
        )
    return tuple(out)
