"""Score findings and reach a verdict, weighing undecided findings both ways.

Missing or invalid evidence is neither a pass nor a fail. The verdict is computed twice —
once as if every undecided criterion passed, once as if each failed — and is
``incomplete`` only when the two differ; the undecided criteria that could flip it are
named. A decided mandatory fail makes the verdict ``fail`` whatever the score.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from ._compiler import Compiled, CompiledCriterion
from .checks._base import FAIL, INVALID, MISSING_EVIDENCE, NOT_APPLICABLE, PASS, STATUSES, WAIVED
from .results import CategoryScore, Score

__all__ = ["Row", "earned_points", "pass_mark_points", "score", "verdict"]

Row = tuple[CompiledCriterion, str, float]
_UNDECIDED = (MISSING_EVIDENCE, INVALID)
_EPS = 1e-9


def earned_points(cc: CompiledCriterion, status: str, gap: Any) -> float:
    """Points a criterion earns: all on pass, partial credit on a fail with ``deduct``."""
    pts = cc.spec.points
    if status == PASS:
        return pts
    if status != FAIL or cc.deduct_per is None or not gap:
        return 0.0
    short = gap.get("short_by", gap.get("amount"))
    if not isinstance(short, int | float) or short <= 0 or cc.deduct_per.f <= 0:
        return 0.0  # (a per of zero or below, possible through a $parameter, earns nothing)
    # Each started step of ``per`` costs ``points`` (每低1个百分点扣0.5分), capped at the total.
    steps = math.ceil(short / cc.deduct_per.f - _EPS)
    return max(0.0, pts - steps * cc.deduct_points)


def pass_mark_points(comp: Compiled, possible: float) -> float:
    """The pass mark in points: a share (``85%`` or ≤ 1) of the applicable points, or absolute."""
    pm = comp.pass_mark
    if pm is None:
        return possible
    if pm.percent or pm.f <= 1:
        return pm.f * possible
    return pm.f


def _passes(comp: Compiled, rows: Sequence[Row], undecided_as: str) -> bool:
    earned = possible = 0.0
    for cc, status, got in rows:
        if status in (NOT_APPLICABLE, WAIVED):
            continue
        pts = cc.spec.points
        possible += pts
        if status in (MISSING_EVIDENCE, INVALID):
            status, got = undecided_as, (pts if undecided_as == PASS else 0.0)
        if status == FAIL and (cc.spec.mandatory or comp.method == "pass_fail"):
            return False
        earned += got
    if comp.method == "pass_fail":
        return True
    return earned >= pass_mark_points(comp, possible) - _EPS


def verdict(comp: Compiled, rows: Sequence[Row]) -> tuple[str, tuple[str, ...]]:
    """(pass | fail | incomplete, the criteria that decide it)."""
    mandatory_fails = tuple(cc.id for cc, st, _ in rows if st == FAIL and cc.spec.mandatory)
    if mandatory_fails:
        return "fail", mandatory_fails
    best, worst = _passes(comp, rows, PASS), _passes(comp, rows, FAIL)
    if best and worst:
        return "pass", ()
    if not best:
        return "fail", tuple(cc.id for cc, st, got in rows if st == FAIL and got < cc.spec.points)
    open_ = tuple(
        cc.id
        for cc, st, _ in rows
        if st in _UNDECIDED
        and (cc.spec.mandatory or cc.spec.points > 0 or comp.method == "pass_fail")
    )
    return "incomplete", open_


def score(comp: Compiled, rows: Sequence[Row]) -> Score:
    """Totals, pass mark, grade, per-category subtotals and status counts."""
    counts = dict.fromkeys(STATUSES, 0)
    per_cat: dict[str, list[float]] = {c.id: [0.0, 0.0] for c in comp.categories}
    cat_counts: dict[str, dict[str, int]] = {c.id: dict.fromkeys(STATUSES, 0) for c in comp.categories}
    earned = possible = 0.0
    for cc, status, got in rows:
        counts[status] += 1
        cat = cc.spec.category
        tally = cat_counts.get(cat)
        if tally is None:  # (the loader refuses undeclared categories; kept for safety)
            tally = cat_counts[cat] = dict.fromkeys(STATUSES, 0)
        tally[status] += 1
        if status in (NOT_APPLICABLE, WAIVED):
            continue
        pts = cc.points
        earned += got
        possible += pts
        sub = per_cat.get(cat)
        if sub is None:
            sub = per_cat[cat] = [0.0, 0.0]
        sub[0] += got
        sub[1] += pts
    mark = pass_mark_points(comp, possible) if comp.method != "pass_fail" else None
    grade = None
    for name, bound in comp.grades:
        need = bound.f * possible if (bound.percent or bound.f <= 1) else bound.f
        if earned >= need - _EPS and possible > 0:
            grade = name
            break
    titles = comp.category_titles
    return Score(
        method=comp.method,
        earned=_tidy(earned),
        possible=_tidy(possible),
        pass_mark=None if mark is None else _tidy(mark),
        pass_mark_written=comp.pass_mark.text if comp.pass_mark is not None else None,
        grade=grade,
        categories=tuple(
            CategoryScore(cid, titles.get(cid, cid), _tidy(v[0]), _tidy(v[1]), cat_counts[cid])
            for cid, v in per_cat.items()
        ),
        counts=counts,
    )


def _tidy(x: float) -> float:
    """Round away float noise from summing halves and quarters (12.000000001 → 12.0)."""
    return round(x, 6)
