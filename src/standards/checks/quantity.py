"""Quantity checks: ``value``, ``ratio`` and ``count``."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from math import isfinite
from typing import Any

from .._values import Bound, exact, is_blank, parse_bound
from ..evidence import MISSING
from ..model import CountCheck, RatioCheck, ValueCheck
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
    bounds_text,
    check_kind,
    expected_of,
    getter,
    inline_keys,
    lookup,
    meets_max,
    meets_min,
    number,
    quick,
    read_number,
    reason_outcome,
    show,
    split,
    status_kind,
    unknown,
)

__all__ = ["count", "count_status", "matcher", "ratio", "ratio_status", "value", "value_status"]


def _is_percent_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip().endswith(("%", "％"))


def _scalar_equal(raw: Any, want: Any) -> bool:
    """Equality as a person means it: ``1 == "100%"``, ``0.7 == "70%"``, ``"1" == 1``.

    Numbers compare exactly when either side is a number or a percentage; two plain
    texts compare as text (so the codes ``"01"`` and ``"1"`` stay different).
    """
    if isinstance(want, bool) or isinstance(raw, bool):
        return raw is want
    numeric = isinstance(want, int | float) or isinstance(raw, int | float)
    if numeric or _is_percent_text(want) or _is_percent_text(raw):
        a, b = parse_bound(raw), parse_bound(want)
        if a is not None and b is not None:
            return a.q == b.q
    return bool(raw == want)


def _unusable_text(raw: Any, percent_equals: bool) -> str:
    """Why a non-numeric value cannot be compared ("" when it can).

    A template blank is never an answer, whatever the rule expects; a plain number
    above 1 against ``equals: 100%`` is the "87 looks like a percent" mistake.
    """
    if isinstance(raw, str) and is_blank(raw):
        return "blank"
    if percent_equals and not isinstance(raw, bool) and not _is_percent_text(raw):
        b = parse_bound(raw)
        if b is not None and b.q > 1:
            return "looks_like_percent"
    return ""


def _is_share(lo: Bound | None, hi: Bound | None) -> bool:
    """Bounds written as percentages, none above 100% (a growth target of 120% is not a share)."""
    return bool((lo and lo.percent) or (hi and hi.percent)) and all(0 <= b.q <= 1 for b in (lo, hi) if b)


def _bounds_test(lo: Bound | None, hi: Bound | None) -> Callable[[float | int], bool]:
    """``lo <= x <= hi`` as one function, compiled once per check for the bounds present."""
    if lo is None and hi is None:
        return lambda x: True  # (a count with neither min nor max)
    if lo is not None and hi is not None:
        return lambda x: meets_min(lo, x) and meets_max(hi, x)
    # One bound (most criteria): meets_min / meets_max inlined, one call per record saved.
    b = lo if lo is not None else hi
    assert b is not None
    f, rf, iq, is_min = b.f, b.rf, b.iq, lo is not None

    def test(x: float | int) -> bool:
        t = type(x)
        if t is float and rf:
            return x >= f if is_min else x <= f
        if t is int and iq is not None:
            return x >= iq if is_min else x <= iq
        return b.le(x) if is_min else b.ge(x)

    return test


@status_kind("value")
def value_status(spec: ValueCheck, env: CompileEnv) -> StatusFn | None:
    """The status of a numeric ``value`` check (with ``equals``/``one_of``: read from the check)."""
    if spec.equals is not None or spec.one_of is not None or (spec.min is None and spec.max is None):
        return None
    keys = split(spec.path)
    get, (inline, k0, k1, k2) = getter(keys), inline_keys(keys)
    lo, hi = env.bound(spec.min, "min"), env.bound(spec.max, "max")
    percent, within = _is_share(lo, hi), _bounds_test(lo, hi)
    # A float against bounds written as floats compares directly (Bound.rf): the usual case.
    fmin = lo.f if lo is not None and lo.rf else -math.inf if lo is None else None
    fmax = hi.f if hi is not None and hi.rf else math.inf if hi is None else None

    def status(ctx: Ctx) -> str:
        facts = ctx.facts
        try:
            x = (facts[k0][k1] if k2 is None else facts[k0][k1][k2]) if inline else get(facts)
        except (KeyError, TypeError):  # absent, or a step through null, a list or a scalar
            x = get(facts)
        t = type(x)
        if t is float:
            if not isfinite(x) or (percent and (x > 1 or x < 0)):
                return INVALID
            if fmin is not None and fmax is not None:
                return PASS if fmin <= x <= fmax else FAIL
        elif t is int:  # number() inlined for the common case
            if percent and (x > 1 or x < 0):
                return INVALID
        elif x is None:
            return MISSING_EVIDENCE
        else:
            x = number(x, percent)
            if type(x) is str:
                return x
        return PASS if within(x) else FAIL

    return status


@check_kind("value")
def value(spec: ValueCheck, env: CompileEnv) -> CheckFn:
    """A fact satisfies min / max / equals / one_of; the gap is the distance to the bound."""
    keys, path = split(spec.path), spec.path
    lo, hi = env.bound(spec.min, "min"), env.bound(spec.max, "max")
    equals = env.resolve(spec.equals)
    one_of = None if spec.one_of is None else [env.resolve(v) for v in spec.one_of]
    numeric = lo is not None or hi is not None
    percent, within = _is_share(lo, hi), _bounds_test(lo, hi)
    # A plain number above 1 is suspect against ``equals: 100%`` as much as against a min.
    eq_bound = parse_bound(equals) if _is_percent_text(equals) else None
    percent_equals = eq_bound is not None
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
            status, x, raw, reason = read_number(ctx, keys, path, percent or percent_equals)
            if status is not None:
                return reason_outcome(status, reason, path, raw, ((path, raw),)) if ctx.detail else quick(status)
            ok = within(x)
        else:
            raw = x = lookup(ctx.facts, keys)
            if raw is MISSING:
                return unknown(ctx, keys, path)
            reason = _unusable_text(raw, percent_equals)
            if reason:
                return reason_outcome(INVALID, reason, path, raw, ((path, raw),)) if ctx.detail else quick(INVALID)
            ok = True
        if equals is not None:
            ok = ok and _scalar_equal(raw, equals)
        if one_of is not None:
            ok = ok and any(_scalar_equal(raw, w) for w in one_of)
        status = PASS if ok else FAIL
        if not ctx.detail:
            return quick(status)
        gap = None
        below = not ok and lo is not None and not meets_min(lo, x)
        above = not ok and hi is not None and not meets_max(hi, x)
        if not ok and numeric and (below or above):
            # Exact arithmetic: 75% − 0.7 is 5%, not 0.050000000000000044.
            xq = exact(x)
            short = (lo.q - xq) if below and lo is not None else (xq - hi.q if hi else Fraction(0))
            gap = {
                "kind": "short_by" if below else "over_by",
                "amount": round(float(short), 6),
                "display": show(short, percent),
                "unit": unit,
            }
        elif not ok:
            gap = {"kind": "change_to", "display": want, "unit": unit}
        return Outcome(
            status,
            f"value.{status}",
            # The number as read ("87%" and 0.87 both read 87%; "1,000" reads 1000).
            {"path": path, "observed": show(x, percent) if numeric else show(raw), "expected": want},
            observed=raw,
            expected=expected,
            reads=((path, raw),),
            gap=gap,
        )

    return run


@status_kind("ratio")
def ratio_status(spec: RatioCheck, env: CompileEnv) -> StatusFn:
    """The status of a ``ratio`` check."""
    nkeys, dkeys = split(spec.numerator), split(spec.denominator)
    nget, dget = getter(nkeys), getter(dkeys)
    (n_inline, n0, n1, n2), (d_inline, d0, d1, d2) = inline_keys(nkeys), inline_keys(dkeys)
    lo, hi = env.bound(spec.min, "min"), env.bound(spec.max, "max")
    # Whole counts compare exactly by cross-multiplying: n/d >= a/b ⟺ n·b >= a·d (b, d > 0).
    la, lb = (lo.q.numerator, lo.q.denominator) if lo is not None else (0, 1)
    ha, hb = (hi.q.numerator, hi.q.denominator) if hi is not None else (0, 1)

    def status(ctx: Ctx) -> str:
        facts = ctx.facts
        n: Any
        d: Any
        try:  # (see value_status)
            n = (facts[n0][n1] if n2 is None else facts[n0][n1][n2]) if n_inline else nget(facts)
        except (KeyError, TypeError):
            n = nget(facts)
        try:
            d = (facts[d0][d1] if d2 is None else facts[d0][d1][d2]) if d_inline else dget(facts)
        except (KeyError, TypeError):
            d = dget(facts)
        # Counts are ints: number() only for anything else (None is missing).
        if type(n) is not int:
            n = MISSING_EVIDENCE if n is None else number(n, False)
        if type(d) is not int:
            d = MISSING_EVIDENCE if d is None else number(d, False)
        if type(n) is str or type(d) is str:
            return INVALID if n == INVALID or d == INVALID else MISSING_EVIDENCE
        if d == 0:
            return MISSING_EVIDENCE
        if n < 0 or d < 0 or n > d:
            return INVALID
        if type(n) is int and type(d) is int:
            if lo is not None and n * lb < la * d:
                return FAIL
            return FAIL if hi is not None and n * hb > ha * d else PASS
        if lo is not None and lo.cmp_ratio(n, d) < 0:
            return FAIL
        return FAIL if hi is not None and hi.cmp_ratio(n, d) > 0 else PASS

    return status


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
        # Exact at the boundary, floats elsewhere: no Fraction is built on the fast path.
        below = lo is not None and not lo.le_ratio(n, d)
        ok = not below and (hi is None or hi.ge_ratio(n, d))
        status = PASS if ok else FAIL
        if not ctx.detail:
            return quick(status)
        r = n / d
        gap = None
        # ``amount`` counts numerator units (户, 人); ``short_by`` is the rate's own distance
        # to the bound, which is what ``deduct: {per: 1%}`` charges for.
        if below and lo is not None:
            rq = exact(n) / exact(d)
            target = math.ceil(lo.q * exact(d))
            need_int = math.ceil(target - exact(n))
            gap = {
                "kind": "more_needed",
                "amount": need_int,
                "target": target,
                "of": _plain(d),
                "short_by": round(float(lo.q - rq), 6),
                "unit": unit,
                "display": f"{need_int}{unit}",
            }
        elif not ok and hi is not None:
            rq = exact(n) / exact(d)
            allowed = math.floor(hi.q * exact(d))
            over = math.ceil(exact(n) - allowed)
            gap = {
                "kind": "fewer_needed",
                "amount": over,
                "target": allowed,
                "of": _plain(d),
                "short_by": round(float(rq - hi.q), 6),
                "unit": unit,
                "display": f"{over}{unit}",
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


def _plain(x: float | int) -> float | int:
    """A count read as ``12937.0`` (from the text "12937") shown as the 12937 it is."""
    return int(x) if isinstance(x, float) and x.is_integer() else x


def _equal_to(want: Any) -> Callable[[Any], bool]:
    """``lambda raw: _scalar_equal(raw, want)``, plain text against plain text compared directly.

    That is the common ``where: {type: 爱卫会}``, and what _scalar_equal does for it too.
    """
    if type(want) is not str or _is_percent_text(want):
        return lambda raw: _scalar_equal(raw, want)

    def equal(raw: Any) -> bool:
        if type(raw) is str and not raw.rstrip().endswith(("%", "％")):
            return raw == want
        return _scalar_equal(raw, want)

    return equal


def matcher(where: dict[str, Any] | None) -> Callable[[Any], bool]:
    """A ``where:`` filter as a predicate on list items (every item matches no filter)."""
    if where is None:
        return lambda item: True
    tests = tuple((k, _equal_to(v)) for k, v in where.items())

    def matches(item: Any) -> bool:
        if not isinstance(item, dict):
            return False
        for k, equal in tests:  # noqa: SIM110 - a loop: called per list item, all() is slower
            if not equal(item.get(k)):
                return False
        return True

    return matches


def _item_id(item: Any, index: int) -> str:
    """How a person finds an item again (its id, name or title).

    A plain label (``"烟草广告牌"``) is its own id; anything else goes by its 1-based
    position (``#3``).
    """
    if isinstance(item, dict):
        for key in ("id", "name", "title"):
            if isinstance(item.get(key), str | int) and not isinstance(item.get(key), bool):
                return str(item[key])
    elif isinstance(item, str) and item.strip() and not is_blank(item):
        return item.strip()
    return f"#{index + 1}"


@status_kind("count")
def count_status(spec: CountCheck, env: CompileEnv) -> StatusFn:
    """The status of a ``count`` check."""
    keys = split(spec.path)
    get, (inline, k0, k1, k2) = getter(keys), inline_keys(keys)
    lo, hi = env.bound(spec.min, "min"), env.bound(spec.max, "max")
    where = None if spec.where is None else {k: env.resolve(v) for k, v in spec.where.items()}
    matches = None if where is None else matcher(where)
    within = _bounds_test(lo, hi)

    def status(ctx: Ctx) -> str:
        facts = ctx.facts
        try:  # (see value_status)
            raw = (facts[k0][k1] if k2 is None else facts[k0][k1][k2]) if inline else get(facts)
        except (KeyError, TypeError):
            raw = get(facts)
        if type(raw) is int and matches is None:  # a tally written as a number: most counts
            if raw < 0:
                return INVALID
            n = raw
        elif isinstance(raw, list):
            n = len(raw) if matches is None else sum(map(matches, raw))
        elif raw is None:
            return MISSING_EVIDENCE
        elif raw is NOT_AN_OBJECT or matches is not None:
            return INVALID
        else:
            x = number(raw, False)
            if type(x) is str:
                return x
            if x < 0 or x != int(x):
                return INVALID
            n = int(x)
        return PASS if within(n) else FAIL

    return status


@check_kind("count")
def count(spec: CountCheck, env: CompileEnv) -> CheckFn:
    """How many matching items (or a tallied count); the gap is the items short."""
    keys, path = split(spec.path), spec.path
    lo, hi = env.bound(spec.min, "min"), env.bound(spec.max, "max")
    where = None if spec.where is None else {k: env.resolve(v) for k, v in spec.where.items()}
    matches, within = matcher(where), _bounds_test(lo, hi)
    want, unit = bounds_text(lo, hi), spec.unit or ""
    expected = expected_of(lo, hi)

    def run(ctx: Ctx) -> Outcome:
        raw = lookup(ctx.facts, keys)
        if isinstance(raw, list):
            n = sum(1 for item in raw if matches(item))
        elif where is None and raw is not MISSING:
            status, tally, raw, reason = read_number(ctx, keys, path)
            if status is None and (tally < 0 or tally != int(tally)):
                status, reason = INVALID, "not_a_count"
            if status is not None:
                return reason_outcome(status, reason, path, raw, ((path, raw),)) if ctx.detail else quick(status)
            n = int(tally)
        elif raw is MISSING:
            return unknown(ctx, keys, path)
        else:
            return reason_outcome(INVALID, "not_a_list", path, raw, ((path, raw),)) if ctx.detail else quick(INVALID)
        ok = within(n)
        status = PASS if ok else FAIL
        if not ctx.detail:
            return quick(status)
        gap = None
        if not ok and lo is not None and not lo.le(n):
            target = math.ceil(lo.q)
            gap = {
                "kind": "items_short",
                "amount": target - n,
                "target": target,
                "unit": unit,
                "display": f"{target - n}{unit}",
            }
        elif not ok and hi is not None:
            target = math.floor(hi.q)
            gap = {
                "kind": "items_over",
                "amount": n - target,
                "target": target,
                "unit": unit,
                "display": f"{n - target}{unit}",
            }
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
