"""Sub-unit checks: ``each`` (a check on every unit) and ``meets`` (units pass a standard)."""

from __future__ import annotations

import math
from typing import Any, Protocol

from .._values import Bound
from ..evidence import Evidence
from ..model import EachCheck, MeetsCheck
from ._base import (
    FAIL,
    INVALID,
    MISSING_EVIDENCE,
    PASS,
    CheckFn,
    CompileEnv,
    Ctx,
    Outcome,
    RuleCompileError,
    check_kind,
    fragment,
    quick,
)

__all__ = ["UnitJudge", "each", "meets"]


class UnitJudge(Protocol):
    """What ``meets`` needs of another compiled standard."""

    def judge_unit(self, unit: Evidence, as_of: Any, detail: bool) -> tuple[str, list[str]]:
        """(verdict as a status, the ids of the unit's failing or undecided criteria)."""


def _share(
    ctx: Ctx,
    units: list[Evidence],
    statuses: list[str],
    why: list[Any],
    min_share: Bound,
    kind: str | None,
    msg: str,
    standard: str = "",
) -> Outcome:
    """Decide a share of units, weighing undecided units both ways."""
    n = len(units)
    passed = statuses.count(PASS)
    undecided = [s for s in statuses if s in (MISSING_EVIDENCE, INVALID)]
    worst, best = passed / n, (passed + len(undecided)) / n
    if min_share.le(worst):
        status = PASS
    elif not min_share.le(best):
        status = FAIL
    else:
        status = INVALID if INVALID in undecided else MISSING_EVIDENCE
    if not ctx.detail:
        return quick(status)
    failing = [u.subject_id for u, s in zip(units, statuses, strict=True) if s == FAIL]
    # ``meets`` knows why a unit fails (the criteria it misses): name them with the unit.
    failing_named = [
        f"{u.subject_id}({'、'.join(w)})" if isinstance(w, list) and w else u.subject_id
        for u, s, w in zip(units, statuses, why, strict=True)
        if s == FAIL
    ]
    open_ = [u.subject_id for u, s in zip(units, statuses, strict=True) if s in (MISSING_EVIDENCE, INVALID)]
    need = max(0, math.ceil(min_share.q * n) - passed)
    per_unit = {
        u.subject_id: {"status": s, "why": w} for u, s, w in zip(units, statuses, why, strict=True) if s != PASS
    }
    gap = (
        None
        if status == PASS
        else {
            "kind": "failing_units",
            "amount": need,
            "units": failing,
            "undecided_units": open_,
            "detail": per_unit,
            "display": "、".join(failing + open_),
        }
    )
    return Outcome(
        status,
        f"{msg}.{status}",
        {
            "kind": kind or "",
            "standard": standard,
            "passed": str(passed),
            "n": str(n),
            "share": min_share.display(),
            "failing": "、".join(failing_named),
            "open": "、".join(open_),
            "failing_part": fragment("units.failing_part", failing="、".join(failing_named)),
            "open_part": fragment("units.open_part", open="、".join(open_)),
            "observed": f"{passed}/{n}",
            "expected": f"≥ {min_share.display()}",
        },
        observed={"passed": passed, "units": n, "share": round(passed / n, 6)},
        expected={"min_share": min_share.json(), **({"units": kind} if kind else {})},
        reads=(("units" + (f"[kind={kind}]" if kind else ""), [u.subject_id for u in units]),),
        gap=gap,
    )


def _no_units(ctx: Ctx, kind: str | None) -> Outcome:
    if not ctx.detail:
        return quick(MISSING_EVIDENCE)
    return Outcome(
        MISSING_EVIDENCE,
        "units.none",
        {"kind": kind or ""},
        reads=(("units", None),),
        gap={"kind": "supply", "paths": ["units"]},
    )


@check_kind("each")
def each(spec: EachCheck, env: CompileEnv) -> CheckFn:
    """A share of the record's sub-units (of a kind) passes the child check on its own facts."""
    child = env.child(spec.check)
    kind = spec.units
    min_share = env.bound(spec.min_share, "min_share")
    assert min_share is not None

    def run(ctx: Ctx) -> Outcome:
        units = ctx.record.units_of(kind)
        if not units:
            return _no_units(ctx, kind)
        outs = [child(ctx.for_unit(u)) for u in units]
        why = [o.msg for o in outs]
        return _share(ctx, units, [o.status for o in outs], why, min_share, kind, "each")

    return run


@check_kind("meets")
def meets(spec: MeetsCheck, env: CompileEnv) -> CheckFn:
    """A share of sub-units passes another standard; the gap names each failing unit and why."""
    other = env.standards.get(spec.standard)
    if other is None:
        raise RuleCompileError("unknown-standard", f"standard {spec.standard!r} is not loaded", "standard")
    judge: UnitJudge = other
    kind = spec.units
    min_share = env.bound(spec.min_share, "min_share")
    assert min_share is not None

    def run(ctx: Ctx) -> Outcome:
        units = ctx.record.units_of(kind)
        if not units:
            return _no_units(ctx, kind)
        judged = [judge.judge_unit(u, ctx.as_of, ctx.detail) for u in units]
        return _share(
            ctx,
            units,
            [s for s, _ in judged],
            [w for _, w in judged],
            min_share,
            kind,
            "meets",
            spec.standard,
        )

    return run
