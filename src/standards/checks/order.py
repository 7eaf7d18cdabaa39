"""Order checks: ``grade`` (an ordinal scale) and ``compare`` (field against field)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from .._values import is_blank, parse_bound, parse_date
from ..evidence import MISSING
from ..model import CompareCheck, GradeCheck
from ._base import (
    FAIL,
    INVALID,
    MISSING_EVIDENCE,
    PASS,
    CheckFn,
    CompileEnv,
    Ctx,
    Outcome,
    check_kind,
    lookup,
    quick,
    reason_outcome,
    show,
    split,
)

__all__ = ["compare", "grade"]


@check_kind("grade")
def grade(spec: GradeCheck, env: CompileEnv) -> CheckFn:
    """The grade's place on the scale (best first) is at least ``min``; gap = grades to climb."""
    keys, path, scale = split(spec.path), spec.path, list(spec.scale)
    floor = str(env.resolve(spec.min))
    if floor not in scale:
        from ._base import RuleCompileError

        raise RuleCompileError(
            "grade-not-in-scale", f"min {floor!r} is not on the scale {scale}", "min"
        )
    limit = scale.index(floor)

    def run(ctx: Ctx) -> Outcome:
        raw = lookup(ctx.facts, keys)
        if raw is MISSING:
            return (
                reason_outcome(MISSING_EVIDENCE, "absent", path, None, ((path, None),))
                if ctx.detail
                else quick(MISSING_EVIDENCE)
            )
        text = (
            str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else None
        )
        if text is None or text not in scale:
            reason = "blank" if isinstance(raw, str) and is_blank(raw) else "not_on_scale"
            return (
                reason_outcome(INVALID, reason, path, raw, ((path, raw),))
                if ctx.detail
                else quick(INVALID)
            )
        place = scale.index(text)
        st = PASS if place <= limit else FAIL
        if not ctx.detail:
            return quick(st)
        gap = (
            None
            if st == PASS
            else {"kind": "grades_to_climb", "amount": place - limit, "display": str(place - limit)}
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
    b = parse_bound(raw)
    if b is not None:
        return ("num", b.q)
    if isinstance(raw, str):
        if is_blank(raw):
            return None
        d = parse_date(raw)
        if d is not None and d.is_day:
            return ("date", d.first)
        return ("text", raw)
    d = parse_date(raw)
    return ("date", d.first) if d is not None else None


@check_kind("compare")
def compare(spec: CompareCheck, env: CompileEnv) -> CheckFn:
    """Left op right, with paths or literals on either side; the gap is the difference."""
    lpath, lval = _operand(spec.left, env)
    rpath, rval = _operand(spec.right, env)
    op, fn = spec.op, _OPS[spec.op]

    def side(ctx: Ctx, path: str | None, val: Any) -> Any:
        return lookup(ctx.facts, split(path)) if path is not None else val

    def run(ctx: Ctx) -> Outcome:
        left, right = side(ctx, lpath, lval), side(ctx, rpath, rval)
        reads = tuple((p, v) for p, v in ((lpath, left), (rpath, right)) if p is not None)
        for p, v in ((lpath, left), (rpath, right)):
            if v is MISSING:
                return (
                    reason_outcome(MISSING_EVIDENCE, "absent", str(p), None, reads)
                    if ctx.detail
                    else quick(MISSING_EVIDENCE)
                )
        a, b = _comparable(left), _comparable(right)
        if (
            a is None
            or b is None
            or a[0] != b[0]
            or (a[0] in ("text", "bool") and op not in ("==", "!="))
        ):
            bad_path = lpath if a is None or (b is not None and rpath is None) else rpath
            return (
                reason_outcome(
                    INVALID,
                    "not_comparable",
                    str(bad_path or lpath),
                    left if bad_path == lpath else right,
                    reads,
                )
                if ctx.detail
                else quick(INVALID)
            )
        st = PASS if fn(a[1], b[1]) else FAIL
        if not ctx.detail:
            return quick(st)
        gap = None
        if st == FAIL and a[0] == "num":
            diff = a[1] - b[1]
            gap = {"kind": "difference", "amount": float(diff), "display": show(float(abs(diff)))}
        return Outcome(
            st,
            f"compare.{st}",
            {
                "left": lpath or show(left),
                "right": rpath or show(right),
                "lv": show(left),
                "rv": show(right),
                "op": op,
            },
            observed={"left": left, "right": right},
            expected={"op": op},
            reads=reads,
            gap=gap,
        )

    return run
