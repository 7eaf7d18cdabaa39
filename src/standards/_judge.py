"""One criterion on one record: its ``applies_when`` guard, its check, its freshness rule.

A module of its own so the compiler can hand :func:`decide <standards._evaluator.decide>`
one status function per criterion (a twin for a plain criterion, :func:`judged_status`
for the rest) without importing the evaluator.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from ._values import parse_date
from .checks._base import FAIL, MISSING_EVIDENCE, NOT_APPLICABLE, PASS, Ctx, Outcome, quick
from .evidence import Evidence

if TYPE_CHECKING:
    from ._compiler import CompiledCriterion

__all__ = ["judge", "judged_status", "stale_paths"]


def stale_paths(cc: CompiledCriterion, record: Evidence, as_of: date) -> list[str]:
    """Fact paths whose provenance is older than ``fresh_within`` allows, or undated."""
    assert cc.fresh is not None
    cutoff = cc.fresh.before(as_of)
    stale = []
    for path in cc.paths:
        entry = record.provenance_of(path)
        span = parse_date(entry.get("collected")) if entry else None
        if span is None or span.last < cutoff:
            stale.append(path)
    return stale


def judge(cc: CompiledCriterion, ctx: Ctx) -> tuple[str, Outcome, Outcome | None]:
    """(status, the check's outcome, a criterion-level note) for one criterion."""
    if cc.guard is not None:
        g = cc.guard(ctx)
        if g.status == FAIL:
            note = Outcome(NOT_APPLICABLE, "criterion.not_applicable", {"why": g}) if ctx.detail else None
            return NOT_APPLICABLE, g, note
        if g.status != PASS:
            note = Outcome(g.status, "criterion.guard_undecided", {"why": g}) if ctx.detail else None
            return g.status, g, note
    out = cc.run(ctx)
    if cc.fresh is not None and (out.status == PASS or out.status == FAIL):
        stale = stale_paths(cc, ctx.record, ctx.as_of)
        if stale:
            if not ctx.detail:
                return MISSING_EVIDENCE, quick(MISSING_EVIDENCE), None
            note = Outcome(
                MISSING_EVIDENCE,
                "criterion.stale",
                {"paths": "、".join(stale), "within": str(cc.fresh), "why": out},
            )
            out = Outcome(
                MISSING_EVIDENCE,
                out.msg,
                out.args,
                observed=out.observed,
                expected=out.expected,
                reads=out.reads,
                gap={"kind": "stale", "paths": stale},
                children=out.children,
            )
            return MISSING_EVIDENCE, out, note
    return out.status, out, None


def judged_status(cc: CompiledCriterion, ctx: Ctx) -> str:
    """The status :func:`judge` gives (what ``decide`` needs of a criterion with a guard or freshness rule)."""
    return judge(cc, ctx)[0]
