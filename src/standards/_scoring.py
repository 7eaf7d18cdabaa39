"""Score findings and reach a verdict, weighing undecided findings both ways.

Missing or invalid evidence is neither a pass nor a fail. The verdict is weighed twice
in one pass — as if every undecided criterion passed, and as if each failed — and is
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

__all__ = ["Row", "earned_points", "pass_mark_points", "tidy", "weigh"]

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


def weigh(comp: Compiled, rows: Sequence[Row]) -> tuple[str, tuple[str, ...], Score]:
    """Verdict, the criteria that decide it, and the score, in one pass over the rows.

    The verdict weighs undecided rows both ways: *best* counts them as passed, *worst*
    as failed. ``pass`` needs both, ``fail`` follows when even the best case fails, and
    anything else is ``incomplete``. A decided mandatory fail is ``fail`` outright. The
    grade is given only with a pass (a grade names a level of passing).
    """
    pass_fail = comp.method == "pass_fail"
    slots = len(comp.categories)
    got_c = [0.0] * slots  # earned per category
    pts_c = [0.0] * slots  # possible per category
    tallies = [dict.fromkeys(STATUSES, 0) for _ in range(slots)]
    extra: dict[str, int] = {}  # undeclared categories (the loader refuses them; kept for safety)
    earned = possible = undecided_pts = 0.0
    mandatory_fails: list[str] = []
    short: list[str] = []
    undecided: list[CompiledCriterion] = []
    blocking_fail = undecided_blocks = False
    for cc, status, got in rows:
        i = cc.slot
        if i < 0:
            i = extra.setdefault(cc.spec.category, slots + len(extra))
            if i == len(tallies):
                got_c.append(0.0)
                pts_c.append(0.0)
                tallies.append(dict.fromkeys(STATUSES, 0))
        tallies[i][status] += 1
        pts = cc.points
        if status == PASS:  # most rows: nothing else to weigh
            earned += got
            possible += pts
            got_c[i] += got
            pts_c[i] += pts
            continue
        if status in (NOT_APPLICABLE, WAIVED):
            continue
        possible += pts
        pts_c[i] += pts
        if status in _UNDECIDED:
            undecided_pts += pts
            undecided.append(cc)
            undecided_blocks = undecided_blocks or cc.mandatory or pass_fail
            continue
        earned += got
        got_c[i] += got
        if status == FAIL:
            if cc.mandatory:
                mandatory_fails.append(cc.id)
            blocking_fail = blocking_fail or cc.mandatory or pass_fail
            if got < pts:
                short.append(cc.id)
    mark = pass_mark_points(comp, possible) if not pass_fail else None
    best = not blocking_fail and (mark is None or earned + undecided_pts >= mark - _EPS)
    worst = best and not undecided_blocks and (mark is None or earned >= mark - _EPS)
    deciding: tuple[str, ...]
    if mandatory_fails:
        verdict, deciding = "fail", tuple(mandatory_fails)
    elif best and worst:
        verdict, deciding = "pass", ()
    elif not best:
        verdict, deciding = "fail", tuple(short)
    else:
        verdict = "incomplete"
        deciding = tuple(c.id for c in undecided if c.mandatory or c.points > 0 or pass_fail)
    grade = None
    for name, bound in comp.grades if verdict == "pass" else ():
        need = bound.f * possible if (bound.percent or bound.f <= 1) else bound.f
        if earned >= need - _EPS and possible > 0:
            grade = name
            break
    counts = dict.fromkeys(STATUSES, 0)
    for tally in tallies:
        for st, n in tally.items():
            counts[st] += n
    ids = [c.id for c in comp.categories] + list(extra)
    titles = comp.category_titles
    scored = Score(
        method=comp.method,
        earned=tidy(earned),
        possible=tidy(possible),
        pass_mark=None if mark is None else tidy(mark),
        pass_mark_written=comp.pass_mark.text if comp.pass_mark is not None else None,
        grade=grade,
        categories=tuple(
            CategoryScore(cid, titles.get(cid, cid), tidy(got_c[k]), tidy(pts_c[k]), tallies[k])
            for k, cid in enumerate(ids)
        ),
        counts=counts,
    )
    return verdict, deciding, scored


def tidy(x: float) -> float:
    """Round away float noise from summing points (0.1 + 0.2 → 0.3), to six decimals.

    A multiple of 1/64 (every whole, half and quarter point) already has at most six
    decimals and is returned as it is: ``round(x, 6)`` goes through decimal text and
    costs as much as deciding a criterion, and this runs for every finding.
    """
    return x if (x * 64).is_integer() else round(x, 6)
