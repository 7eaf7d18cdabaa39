"""Quantity checks: ``value``, ``ratio`` and ``count``."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from .._values import Bound, exact, parse_bound
from ..evidence import MISSING
from ..model import CountCheck, RatioCheck, ValueCheck
from ._base import (
    FAIL,
    INVALID,
    MISSING_EVIDENCE,
    PASS,
    CheckFn,
    CompileEnv,
    Ctx,
    Outcome,
    bounds_text,
    check_kind,
    expected_of,
    lookup,
    quick,
    read_number,
    reason_outcome,
    show,
    split,
)

__all__ = ["count", "ratio", "value"]


def _within(x: float | int, lo: Bound | None, hi: Bound | None, xq: Fraction | None = None) -> bool:
    return (lo is None or lo.le(x, xq)) and (hi is None or hi.ge(x, xq))


def _scalar_equal(raw: Any, want: Any) -> bool:
    if isinstance(want, bool) or isinstance(raw, bool):
        return raw is want
    if isinstance(want, int | float) and isinstance(raw, int | float):
        b = parse_bound(want)
        return b is not None and b.eq(raw)
    return bool(raw == want)


@check_kind("value")
def value(spec: ValueCheck, env: CompileEnv) -> CheckFn:
    """A fact satisfies min / max / equals / one_of; the gap is the distance to the bound."""
    keys, path = split(spec.path), spec.path
    lo, hi = env.bound(spec.min, "min"), env.bound(spec.max, "max")
    equals = env.resolve(spec.equals)
    one_of = None if spec.one_of is None else [env.resolve(v) for v in spec.one_of]
    numeric = lo is not None or hi is not None
    percent = bool((lo and lo.percent) or (hi and hi.percent))
    unit = spec.unit or ""
    expected: dict[str, Any] = expected_of(lo, hi)
    want = bounds_text(lo, hi)
    if equals is not None:
        expected["equals"] = equals
        want = (want + " 且 " if want else "") + f"= {show(equals)}"
    if one_of is not None:
        expected["one_of"] = one_of
        want = (want + " 且 " if want else "") + "∈ {" + ", ".join(map(show, one_of)) + "}"

    def run(ctx: Ctx) -> Outcome:
        if numeric:
            status, x, raw, reason = read_number(ctx, keys, path, percent)
            if status is not None:
                return (
                    reason_outcome(status, reason, path, raw, ((path, raw),))
                    if ctx.detail
                    else quick(status)
                )
            ok = _within(x, lo, hi)
        else:
            raw = x = lookup(ctx.facts, keys)
            if raw is MISSING:
                return (
                    reason_outcome(MISSING_EVIDENCE, "absent", path, None, ((path, None),))
                    if ctx.detail
                    else quick(MISSING_EVIDENCE)
                )
            ok = True
        if equals is not None:
            ok = ok and _scalar_equal(raw, equals)
        if one_of is not None:
            ok = ok and any(_scalar_equal(raw, w) for w in one_of)
        status = PASS if ok else FAIL
        if not ctx.detail:
            return quick(status)
        gap = None
        if not ok and numeric:
            short = (
                (lo.f - x)
                if (lo is not None and not lo.le(x))
                else (x - hi.f if hi is not None else 0)
            )  # type: ignore[union-attr]
            gap = {
                "kind": "short_by" if lo is not None and not lo.le(x) else "over_by",
                "amount": round(short, 6),
                "display": show(short, percent),
                "unit": unit,
            }
        elif not ok:
            gap = {"kind": "change_to", "display": want, "unit": unit}
        return Outcome(
            status,
            f"value.{status}",
            {"path": path, "observed": show(raw, percent and numeric), "expected": want},
            observed=raw,
            expected=expected,
            reads=((path, raw),),
            gap=gap,
        )

    return run


@check_kind("ratio")
def ratio(spec: RatioCheck, env: CompileEnv) -> CheckFn:
    """numerator/denominator within bounds; the gap is how many more numerator units."""
    nk, dk = split(spec.numerator), split(spec.denominator)
    npath, dpath = spec.numerator, spec.denominator
    lo, hi = env.bound(spec.min, "min"), env.bound(spec.max, "max")
    want, unit = bounds_text(lo, hi), spec.unit or ""
    expected = expected_of(lo, hi)

    def run(ctx: Ctx) -> Outcome:
        ns, n, nraw, nreason = read_number(ctx, nk, npath)
        ds, d, draw, dreason = read_number(ctx, dk, dpath)
        reads = ((npath, nraw), (dpath, draw))
        for st in (INVALID, MISSING_EVIDENCE):
            if ns == st or ds == st:
                if not ctx.detail:
                    return quick(st)
                bad, raw, why = (npath, nraw, nreason) if ns == st else (dpath, draw, dreason)
                return reason_outcome(st, why, bad, raw, reads)
        if d == 0:
            return (
                Outcome(
                    MISSING_EVIDENCE,
                    "ratio.zero_denominator",
                    {"path": dpath},
                    reads=reads,
                    gap={"kind": "supply", "paths": [dpath]},
                )
                if ctx.detail
                else quick(MISSING_EVIDENCE)
            )
        if n < 0 or d < 0 or n > d:
            return (
                Outcome(
                    INVALID,
                    "ratio.impossible",
                    {"n": show(n), "d": show(d), "num": npath, "den": dpath},
                    observed=None,
                    reads=reads,
                    gap={"kind": "correct", "paths": [npath, dpath]},
                )
                if ctx.detail
                else quick(INVALID)
            )
        r = n / d
        rq = exact(n) / exact(d)
        ok = _within(r, lo, hi, rq)
        status = PASS if ok else FAIL
        if not ctx.detail:
            return quick(status)
        gap = None
        if not ok and lo is not None and not lo.le(r, rq):
            need = math.ceil(lo.q * exact(d)) - exact(n)
            need_int = math.ceil(need)
            gap = {
                "kind": "more_needed",
                "amount": need_int,
                "target": math.ceil(lo.q * exact(d)),
                "of": d,
                "unit": unit,
                "display": str(need_int),
            }
        elif not ok and hi is not None:
            allowed = math.floor(hi.q * exact(d))
            over = math.ceil(exact(n) - allowed)
            gap = {
                "kind": "fewer_needed",
                "amount": over,
                "target": allowed,
                "of": d,
                "unit": unit,
                "display": str(over),
            }
        return Outcome(
            status,
            f"ratio.{status}",
            {
                "n": show(n),
                "d": show(d),
                "observed": show(r, True),
                "expected": want,
                "num": npath,
                "den": dpath,
            },
            observed=round(r, 6),
            expected=expected,
            reads=reads,
            gap=gap,
        )

    return run


def _matches(item: Any, where: dict[str, Any] | None) -> bool:
    if where is None:
        return True
    if not isinstance(item, dict):
        return False
    return all(_scalar_equal(item.get(k), v) for k, v in where.items())


def _item_id(item: Any, index: int) -> str:
    if isinstance(item, dict):
        for key in ("id", "name", "title"):
            if isinstance(item.get(key), str | int) and not isinstance(item.get(key), bool):
                return str(item[key])
    return f"#{index + 1}"


@check_kind("count")
def count(spec: CountCheck, env: CompileEnv) -> CheckFn:
    """How many matching items (or a tallied count); the gap is the items short."""
    keys, path = split(spec.path), spec.path
    lo, hi = env.bound(spec.min, "min"), env.bound(spec.max, "max")
    where = None if spec.where is None else {k: env.resolve(v) for k, v in spec.where.items()}
    want, unit = bounds_text(lo, hi), spec.unit or ""
    expected = expected_of(lo, hi)

    def run(ctx: Ctx) -> Outcome:
        raw = lookup(ctx.facts, keys)
        if isinstance(raw, list):
            n = sum(1 for item in raw if _matches(item, where))
        elif where is None and raw is not MISSING:
            status, n, raw, reason = read_number(ctx, keys, path)
            if status is None and (n < 0 or n != int(n)):
                status, reason = INVALID, "not_a_count"
            if status is not None:
                return (
                    reason_outcome(status, reason, path, raw, ((path, raw),))
                    if ctx.detail
                    else quick(status)
                )
        elif raw is MISSING:
            return (
                reason_outcome(MISSING_EVIDENCE, "absent", path, None, ((path, None),))
                if ctx.detail
                else quick(MISSING_EVIDENCE)
            )
        else:
            return (
                reason_outcome(INVALID, "not_a_list", path, raw, ((path, raw),))
                if ctx.detail
                else quick(INVALID)
            )
        ok = _within(n, lo, hi)
        status = PASS if ok else FAIL
        if not ctx.detail:
            return quick(status)
        gap = None
        if not ok and lo is not None and not lo.le(n):
            short = math.ceil(lo.q) - n
            gap = {"kind": "more_needed", "amount": short, "unit": unit, "display": str(short)}
        elif not ok and hi is not None:
            over = n - math.floor(hi.q)
            gap = {"kind": "fewer_needed", "amount": over, "unit": unit, "display": str(over)}
        return Outcome(
            status,
            f"count.{status}",
            {"path": path, "observed": str(n), "expected": want},
            observed=n,
            expected=expected,
            reads=((path, raw),),
            gap=gap,
        )

    return run
