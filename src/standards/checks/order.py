"""Order checks: ``grade`` (an ordinal scale) and ``compare`` (field against field)."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from typing import Any

from .._values import exact, is_blank, parse_bound, parse_date
from ..evidence import MISSING
from ..model import CompareCheck, GradeCheck
from ._base import (
    FAIL,
    INVALID,
    MISSING_EVIDENCE,
    NOT_AN_OBJECT,
    PASS,
    CheckFn,
    CompileEnv,
    Ctx,
    Outcome,
    StatusFn,
    check_kind,
    getter,
    inline_keys,
    lookup,
    quick,
    reason_outcome,
    show,
    split,
    status_kind,
    unknown,
)

__all__ = ["compare", "compare_status", "grade"]


def _place(raw: Any, scale: list[str]) -> int | None:
    """Where a grade sits on the scale (0 = best), or None when it is not on it.

    Records write grades as people do: ``"C级"``, ``"c"`` or ``" C "`` all mean C. A
    case-insensitive match counts only when it is unambiguous on this scale.
    """
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        return None
    text = str(raw).strip()
    if text in scale:
        return scale.index(text)
    if text.endswith("级") and text[:-1].strip() in scale:
        return scale.index(text[:-1].strip())
    key = text.removesuffix("级").strip().casefold()
    hits = [i for i, g in enumerate(scale) if g.casefold() == key]
    return hits[0] if len(hits) == 1 else None


@check_kind("grade")
def grade(spec: GradeCheck, env: CompileEnv) -> CheckFn:
    """The grade's place on the scale (best first) is at least ``min``; gap = grades to climb."""
    keys, path, scale = split(spec.path), spec.path, list(spec.scale)
    floor = str(env.resolve(spec.min))
    if floor not in scale:
        from ._base import RuleCompileError

        raise RuleCompileError("grade-not-in-scale", f"min {floor!r} is not on the scale {scale}", "min")
    limit = scale.index(floor)

    def run(ctx: Ctx) -> Outcome:
        raw = lookup(ctx.facts, keys)
        if raw is MISSING:
            return unknown(ctx, keys, path)
        place = _place(raw, scale)
        if place is None:
            reason = "blank" if isinstance(raw, str) and is_blank(raw) else "not_on_scale"
            return reason_outcome(INVALID, reason, path, raw, ((path, raw),)) if ctx.detail else quick(INVALID)
        text = scale[place]
        st = PASS if place <= limit else FAIL
        if not ctx.detail:
            return quick(st)
        gap = (
            None if st == PASS else {"kind": "grades_to_climb", "amount": place - limit, "display": str(place - limit)}
        )
        return Outcome(
            st,
            f"grade.{st}",
            {"path": path, "observed": text, "expected": floor, "scale": "/".join(scale)},
            observed=text,
            expected={"min": floor, "scale": scale},
            reads=((path, raw),),
            gap=gap,
        )

    return run


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    ">": operator.gt,
}


def _operand(spec_value: Any, env: CompileEnv) -> tuple[str | None, Any]:
    """(path, None) for a path, (None, literal) for a number, percentage or $parameter."""
    if isinstance(spec_value, str) and spec_value.startswith("$"):
        return None, env.resolve(spec_value)
    if isinstance(spec_value, str) and parse_bound(spec_value) is None:
        return spec_value, None
    return None, spec_value


def _comparable(raw: Any) -> tuple[str, Any] | None:
    """Normalise a value for comparison: ('num', Fraction) or ('date', date) or ('text', str)."""
    if isinstance(raw, bool):
        return ("bool", raw)
    if type(raw) is float and math.isfinite(raw):
        return ("num", exact(raw))  # (what parse_bound would give, without building a Bound)
    b = parse_bound(raw)
    if b is not None:
        return ("num", b.q)
    if isinstance(raw, str):
        if is_blank(raw):
            return None
        d = parse_date(raw)
        if d is not None and d.is_day:
            return ("date", d.first)
        if _DATE_LIKE.match(raw.strip()):
            return None  # "2010-09-31": a date that does not exist, not a text to compare
        return ("text", raw)
    d = parse_date(raw)
    return ("date", d.first) if d is not None else None


_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}(-\d{1,2})?$")


def _is_percent(raw: Any) -> bool:
    return isinstance(raw, str) and raw.strip().endswith(("%", "％"))


def _plain_above_one(raw: Any, norm: tuple[str, Any]) -> bool:
    return norm[0] == "num" and not _is_percent(raw) and norm[1] > 1


def _blame(sides: list[tuple[str | None, Any, tuple[str, Any] | None]], op: str) -> tuple[int, str] | None:
    """Which side (0 left, 1 right) makes the comparison impossible, and why; None if none.

    A side the rule wrote as a literal is never blamed when the record's side can be:
    the record is what the user has to correct.
    """
    (lp, lraw, a), (rp, rraw, b) = sides
    for i, (_, raw, norm) in enumerate(sides):
        if norm is None:
            return i, "blank" if isinstance(raw, str) and is_blank(raw) else "not_comparable"
    assert a is not None and b is not None
    if a[0] == "num" and b[0] == "num":
        # "87 looks like a percent": a plain number above 1 against a percentage.
        if _is_percent(rraw) and _plain_above_one(lraw, a):
            return 0, "looks_like_percent"
        if _is_percent(lraw) and _plain_above_one(rraw, b):
            return 1, "looks_like_percent"
        return None
    if a[0] != b[0]:
        if lp is None or rp is None:
            return (0 if lp is not None else 1), "not_comparable"
        odd = [i for i, n in enumerate((a, b)) if n[0] in ("text", "bool")]
        return (odd[0] if odd else 0), "not_comparable"
    if a[0] in ("text", "bool") and op not in ("==", "!="):
        return (0 if lp is not None or rp is None else 1), "not_comparable"
    return None


@status_kind("compare")
def compare_status(spec: CompareCheck, env: CompileEnv) -> StatusFn:
    """The status of ``compare``.

    Two plain numbers of one type decide directly; the rest (text, dates, percentages,
    an int against a float near it) is read from the check's own outcome.
    """
    lpath, lval = _operand(spec.left, env)
    rpath, rval = _operand(spec.right, env)
    lget = getter(split(lpath)) if lpath is not None else None
    rget = getter(split(rpath)) if rpath is not None else None
    fn, run = _OPS[spec.op], compare(spec, env)
    if lpath is not None and rpath is not None:
        return _two_paths_status(split(lpath), split(rpath), fn, run)

    def status(ctx: Ctx) -> str:
        left = lget(ctx.facts) if lget is not None else lval
        right = rget(ctx.facts) if rget is not None else rval
        for v, get in ((left, lget), (right, rget)):
            if get is not None and (v is None or v is NOT_AN_OBJECT):
                return MISSING_EVIDENCE if v is None else INVALID
        tl, tr = type(left), type(right)
        # Two floats compare as written (float order is the order of their shortest
        # decimals), two ints exactly; NaN and infinities are the check's to judge.
        if (tl is float and tr is float and math.isfinite(left) and math.isfinite(right)) or (
            tl is int and tr is int
        ):
            return PASS if fn(left, right) else FAIL
        return run(ctx).status

    return status


def _two_paths_status(
    lkeys: tuple[str, ...], rkeys: tuple[str, ...], fn: Callable[[Any, Any], bool], run: CheckFn
) -> StatusFn:
    """The status of a ``compare`` of two facts (the usual form): two numbers of one type first."""
    lget, rget = getter(lkeys), getter(rkeys)
    (l_inline, l0, l1, l2), (r_inline, r0, r1, r2) = inline_keys(lkeys), inline_keys(rkeys)

    def status(ctx: Ctx) -> str:
        facts = ctx.facts
        try:  # (see quantity.value_status)
            left = (facts[l0][l1] if l2 is None else facts[l0][l1][l2]) if l_inline else lget(facts)
        except (KeyError, TypeError):
            left = lget(facts)
        try:
            right = (facts[r0][r1] if r2 is None else facts[r0][r1][r2]) if r_inline else rget(facts)
        except (KeyError, TypeError):
            right = rget(facts)
        tl = type(left)
        if tl is type(right) and (tl is int or (tl is float and math.isfinite(left) and math.isfinite(right))):
            return PASS if fn(left, right) else FAIL
        if left is None or right is None or left is NOT_AN_OBJECT or right is NOT_AN_OBJECT:
            # The left side is read first, as the check reads it.
            if left is None or left is NOT_AN_OBJECT:
                return MISSING_EVIDENCE if left is None else INVALID
            return MISSING_EVIDENCE if right is None else INVALID
        return run(ctx).status

    return status


@check_kind("compare")
def compare(spec: CompareCheck, env: CompileEnv) -> CheckFn:
    """Left op right, with paths or literals on either side; the gap is the difference."""
    lpath, lval = _operand(spec.left, env)
    rpath, rval = _operand(spec.right, env)
    op, fn = spec.op, _OPS[spec.op]

    lkeys = split(lpath) if lpath is not None else None
    rkeys = split(rpath) if rpath is not None else None
    # A plain-number literal (not "75%": a percent literal needs the "looks like a percent" rule).
    lnum = lval if type(lval) in (int, float) else None
    rnum = rval if type(rval) in (int, float) else None

    def run(ctx: Ctx) -> Outcome:
        left = lookup(ctx.facts, lkeys) if lkeys is not None else lval
        right = lookup(ctx.facts, rkeys) if rkeys is not None else rval
        if not ctx.detail:
            # Fast path: two plain finite numbers far enough apart for floats to decide.
            tl, tr = type(left), type(right)
            if (tl is int or tl is float) and (tr is int or tr is float) and (lkeys or lnum is not None) \
                    and (rkeys or rnum is not None):
                if tl is int and tr is int:
                    return quick(PASS if fn(left, right) else FAIL)
                if math.isfinite(left) and math.isfinite(right):
                    scale = max(1.0, abs(left), abs(right))
                    if abs(left - right) > 1e-9 * scale:
                        return quick(PASS if fn(left, right) else FAIL)
        reads = tuple((p, v) for p, v in ((lpath, left), (rpath, right)) if p is not None)
        for p, v in ((lpath, left), (rpath, right)):
            if v is MISSING and p is not None:
                out = unknown(ctx, split(p), p)
                if ctx.detail:
                    out.reads = reads  # a fresh outcome: show both sides that were read
                return out
        a, b = _comparable(left), _comparable(right)
        blamed = _blame([(lpath, left, a), (rpath, right, b)], op)
        if blamed is not None:
            if not ctx.detail:
                return quick(INVALID)
            i, reason = blamed
            path, raw = (lpath, left) if i == 0 else (rpath, right)
            return reason_outcome(INVALID, reason, path or show(raw), raw, reads)
        assert a is not None and b is not None
        st = PASS if fn(a[1], b[1]) else FAIL
        if not ctx.detail:
            return quick(st)
        gap = None
        if st == FAIL and a[0] == "num":
            diff = a[1] - b[1]
            percent = _is_percent(left) or _is_percent(right)
            # ``amount`` is how far the relation is from holding (what ``deduct`` charges);
            # the sign says which side is larger.
            gap = {
                "kind": "difference",
                "amount": round(float(abs(diff)), 6),
                "left_minus_right": round(float(diff), 6),
                "display": show(abs(diff), percent),
            }
        elif st == FAIL and a[0] == "date":
            days = (a[1] - b[1]).days
            gap = {
                "kind": "difference_days",
                "amount": abs(days),
                "left_minus_right": days,
                "display": str(abs(days)),
            }
        return Outcome(
            st,
            f"compare.{st}",
            {
                "left": lpath or show(left),
                "right": rpath or show(right),
                # A path reads "a = 0.8"; a literal of the rule reads just "75%".
                "lhs": f"{lpath} = {show(left)}" if lpath else show(left),
                "rhs": f"{rpath} = {show(right)}" if rpath else show(right),
                "lv": show(left),
                "rv": show(right),
                "op": op,
                "observed": show(left),
                "expected": f"{op} {show(right)}",
            },
            observed={"left": left, "right": right},
            expected={"op": op},
            reads=reads,
            gap=gap,
        )

    return run
