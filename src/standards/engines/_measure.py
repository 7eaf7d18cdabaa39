"""Measures: what Python computes for each leaf check, so the rules only have to compare.

For every leaf check kind, :func:`measurer` returns the leaf's *shape* (the comparisons
the rules will decide, fixed when the standard is compiled) and a function that turns the
native closure's outcome for one record into measure facts **without its status**:

* an undecided reading (missing or invalid evidence, as the native validator found it)
  becomes the single fact ``{st: "missing"|"invalid"}``;
* a usable reading becomes one fact per comparison: ``{st: "ok", op, a, b}`` — the
  measured value ``a`` and the bound ``b`` normalised so that the engine's comparison is
  exact: numbers as integers over a common denominator (no binary-float drift at the
  boundary), dates as day numbers, texts as fixed-length digests (equality only), and
  never two types in one comparison (durable_rules coerces loosely: ``"abc" >= 0.9`` is
  true there).

Sub-unit shares (``each``, ``meets``) become one ``band`` fact: the share of units that
pass at worst and at best, and the share required. Whether ``a >= b`` — pass, fail or
undecided — is left to the rules in every case.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any, Final

from .._values import exact, parse_bound, parse_date
from ..checks._base import (
    FAIL,
    INVALID,
    MISSING_EVIDENCE,
    PASS,
    CompileEnv,
    Ctx,
    Outcome,
    read_date,
    split,
)
from ..model import (
    AbsentCheck,
    AgeCheck,
    CompareCheck,
    CountCheck,
    EachCheck,
    ExistsCheck,
    GradeCheck,
    MeetsCheck,
    PeriodicCheck,
    RatioCheck,
    TrendCheck,
    ValueCheck,
)

__all__ = ["LEAF_KINDS", "OPS", "Item", "MeasureError", "Measured", "Measurer", "measurer"]

#: Comparison operators of the rules, by the short name the facts carry.
OPS: Final = {"ge": ">=", "le": "<=", "gt": ">", "lt": "<", "eq": "==", "ne": "!="}
_BY_SYMBOL: Final = {v: k for k, v in OPS.items()}
_TREND_OP: Final = {"rising": "gt", "falling": "lt", "not_falling": "ge", "not_rising": "le"}
#: Integers beyond this are sent as doubles (durable_rules holds numbers as 64-bit).
_INT_LIMIT: Final = 2**62
LEAF_KINDS: Final = frozenset(
    {"value", "ratio", "count", "exists", "absent", "periodic", "age", "grade", "compare", "trend", "each", "meets"}
)

#: One comparison slot, or a group of slots of which one must hold (``one_of``).
Item = str | tuple[str, ...]
#: An undecided status, or the fields of each slot's fact.
Measured = str | dict[str, dict[str, Any]]
Measurer = Callable[[Ctx, Outcome], Measured]


class MeasureError(Exception):
    """A decided native outcome that cannot be turned into measures (an engine disagreement)."""


# -- normalising ----------------------------------------------------------------------------


def _num(raw: Any) -> float | int:
    """A number as the native reader takes it: ints and floats as they are, text parsed."""
    if isinstance(raw, bool):
        raise MeasureError(f"{raw!r} is not a number")
    if isinstance(raw, int | float):
        return raw
    b = parse_bound(raw) if isinstance(raw, str) else None
    if b is None:
        raise MeasureError(f"{raw!r} is not a number")
    return b.f


def _digest(key: str) -> str:
    return "h" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:30]


def _canon(v: Any) -> str:
    """A value as typed canonical text (``1`` and ``"1"`` and a date stay distinct)."""
    return type(v).__name__ + ":" + json.dumps(v, sort_keys=True, ensure_ascii=False, default=str)


def _is_percent_text(v: Any) -> bool:
    return isinstance(v, str) and v.strip().endswith(("%", "％"))


def eq_keys(raw: Any, want: Any) -> tuple[str, str]:
    """Keys equal exactly when a person means the two values equal.

    Booleans only equal booleans; numbers and percentages compare by exact value when both
    sides read as numbers (``1`` = ``"100%"``, ``0.7`` = ``"70%"``); anything else compares
    as written (the codes ``"01"`` and ``"1"`` differ).
    """
    if isinstance(want, bool) or isinstance(raw, bool):
        return _digest(_canon(raw)), _digest(_canon(want))
    numeric = isinstance(want, int | float) or isinstance(raw, int | float)
    if numeric or _is_percent_text(want) or _is_percent_text(raw):
        a, b = parse_bound(raw), parse_bound(want)
        if a is not None and b is not None:
            return _digest(f"q:{a.q}"), _digest(f"q:{b.q}")
    return _digest(_canon(raw)), _digest(_canon(want))


def rel(op: str, a: Any, b: Any) -> dict[str, Any]:
    """One comparison fact's fields, exact in the engine: ``{op, a, b}``."""
    if isinstance(a, Fraction) or isinstance(b, Fraction):
        fa, fb = Fraction(a), Fraction(b)
        g = math.gcd(fa.denominator, fb.denominator)
        x, y = fa.numerator * (fb.denominator // g), fb.numerator * (fa.denominator // g)
        if abs(x) < _INT_LIMIT and abs(y) < _INT_LIMIT:
            return {"op": op, "a": x, "b": y}
        return {"op": op, "a": float(fa), "b": float(fb)}
    if isinstance(a, str) or isinstance(b, str):
        if op not in ("eq", "ne") or not (isinstance(a, str) and isinstance(b, str)):
            raise MeasureError(f"cannot compare {a!r} {OPS[op]} {b!r}")
        return {"op": op, "a": a, "b": b}
    if isinstance(a, bool) or isinstance(b, bool) or not (isinstance(a, int) and isinstance(b, int)):
        raise MeasureError(f"cannot compare {a!r} {OPS[op]} {b!r}")
    return {"op": op, "a": a, "b": b}


_TRUE: Final = {"op": "eq", "a": 1, "b": 1}


def _comparable(raw: Any) -> tuple[str, Any]:
    """A compare operand normalised: ('num', Fraction), ('date', day number), ('text', digest), ('bool', 0/1)."""
    if isinstance(raw, bool):
        return "bool", int(raw)
    b = parse_bound(raw)
    if b is not None:
        return "num", b.q
    if isinstance(raw, str):
        d = parse_date(raw)
        if d is not None and d.is_day:
            return "date", d.first.toordinal()
        return "text", _digest(_canon(raw))
    d = parse_date(raw)
    if d is None:
        raise MeasureError(f"{raw!r} cannot be compared")
    return "date", d.first.toordinal()


def _undecided(out: Outcome) -> str | None:
    return out.status if out.status in (MISSING_EVIDENCE, INVALID) else None


def _decided(out: Outcome) -> None:
    if out.status not in (PASS, FAIL):
        raise MeasureError(f"unexpected status {out.status!r}")


# -- one measurer per kind ------------------------------------------------------------------


def _bounded(env: CompileEnv, spec: Any) -> tuple[Any, Any, list[Item]]:
    lo, hi = env.bound(spec.min, "min"), env.bound(spec.max, "max")
    items: list[Item] = [s for s, b in (("lo", lo), ("hi", hi)) if b is not None]
    return lo, hi, items


def _range_parts(x: Fraction, lo: Any, hi: Any) -> dict[str, dict[str, Any]]:
    parts: dict[str, dict[str, Any]] = {}
    if lo is not None:
        parts["lo"] = rel("ge", x, lo.q)
    if hi is not None:
        parts["hi"] = rel("le", x, hi.q)
    return parts


def _value(spec: ValueCheck, env: CompileEnv) -> tuple[list[Item], Measurer]:
    lo, hi, items = _bounded(env, spec)
    numeric = bool(items)
    equals = env.resolve(spec.equals)
    one_of = None if spec.one_of is None else [env.resolve(v) for v in spec.one_of]
    if equals is not None:
        items.append("eq")
    if one_of is not None:
        items.append(tuple(f"o{j}" for j in range(len(one_of))))
    if not items:
        items.append("true")

    def measure(ctx: Ctx, out: Outcome) -> Measured:
        if (st := _undecided(out)) is not None:
            return st
        _decided(out)
        raw = out.observed
        parts = _range_parts(exact(_num(raw)), lo, hi) if numeric else {}
        if equals is not None:
            parts["eq"] = rel("eq", *eq_keys(raw, equals))
        for j, want in enumerate(one_of or ()):
            parts[f"o{j}"] = rel("eq", *eq_keys(raw, want))
        if not parts:
            parts["true"] = dict(_TRUE)
        return parts

    return items, measure


def _ratio(spec: RatioCheck, env: CompileEnv) -> tuple[list[Item], Measurer]:
    lo, hi, items = _bounded(env, spec)

    def measure(ctx: Ctx, out: Outcome) -> Measured:
        if (st := _undecided(out)) is not None:
            return st
        _decided(out)
        (_, nraw), (_, draw) = out.reads[0], out.reads[1]
        share = exact(_num(nraw)) / exact(_num(draw))
        return _range_parts(share, lo, hi) or {"true": dict(_TRUE)}

    return items or ["true"], measure


def _count(spec: CountCheck, env: CompileEnv) -> tuple[list[Item], Measurer]:
    lo, hi, items = _bounded(env, spec)

    def measure(ctx: Ctx, out: Outcome) -> Measured:
        if (st := _undecided(out)) is not None:
            return st
        _decided(out)
        if not isinstance(out.observed, int) or isinstance(out.observed, bool):
            raise MeasureError(f"count {out.observed!r} is not an integer")
        return _range_parts(Fraction(out.observed), lo, hi) or {"true": dict(_TRUE)}

    return items or ["true"], measure


def _truthy(raw: Any) -> int:
    if isinstance(raw, list | dict):
        return int(len(raw) > 0)
    if isinstance(raw, str):
        return 1  # a blank was already found invalid
    return int(bool(raw))


def _exists(spec: ExistsCheck, env: CompileEnv) -> tuple[list[Item], Measurer]:
    if spec.document is None:

        def measure(ctx: Ctx, out: Outcome) -> Measured:
            if (st := _undecided(out)) is not None:
                return st
            _decided(out)
            return {"present": rel("eq", _truthy(out.observed), 1)}

        return ["present"], measure
    kind = spec.document
    within = env.duration(spec.within, "within")

    def measure_doc(ctx: Ctx, out: Outcome) -> Measured:
        if (st := _undecided(out)) is not None:
            return st
        _decided(out)
        start = within.before(ctx.as_of) if within is not None else None
        found = 0
        for doc in ctx.record.documents_of(kind):
            if start is None:
                found += 1
                continue
            span = parse_date(doc.get("date")) if doc.get("date") is not None else None
            if span is not None and start <= span.last and span.first <= ctx.as_of:
                found += 1
        return {"present": rel("ge", found, 1)}

    return ["present"], measure_doc


def _absent(spec: AbsentCheck, env: CompileEnv) -> tuple[list[Item], Measurer]:
    def measure(ctx: Ctx, out: Outcome) -> Measured:
        if (st := _undecided(out)) is not None:
            return st
        _decided(out)
        return {"none": rel("eq", int(out.observed), 0)}

    return ["none"], measure


def _periodic(spec: PeriodicCheck, env: CompileEnv) -> tuple[list[Item], Measurer]:
    def measure(ctx: Ctx, out: Outcome) -> Measured:
        if (st := _undecided(out)) is not None:
            return st
        _decided(out)
        obs = out.observed
        return {"covered": rel("ge", int(obs["covered"]), int(obs["periods"]))}

    return ["covered"], measure


def _age(spec: AgeCheck, env: CompileEnv) -> tuple[list[Item], Measurer]:
    keys = split(spec.path)
    lo, hi = env.duration(spec.min, "min"), env.duration(spec.max, "max")
    items: list[Item] = [s for s, d in (("ready", lo), ("expires", hi)) if d is not None]

    def measure(ctx: Ctx, out: Outcome) -> Measured:
        if (st := _undecided(out)) is not None:
            return st
        _decided(out)
        _, span, _, _ = read_date(ctx, keys)
        if span is None:
            raise MeasureError(f"{spec.path} is not a date")
        today = ctx.as_of.toordinal()
        parts: dict[str, dict[str, Any]] = {}
        if lo is not None:  # old enough only if the last day it may be is
            parts["ready"] = rel("ge", today, lo.after(span.last).toordinal())
        if hi is not None:
            parts["expires"] = rel("le", today, hi.after(span.first).toordinal())
        return parts or {"true": dict(_TRUE)}

    return items or ["true"], measure


def _grade(spec: GradeCheck, env: CompileEnv) -> tuple[list[Item], Measurer]:
    scale = list(spec.scale)
    limit = scale.index(str(env.resolve(spec.min)))

    def measure(ctx: Ctx, out: Outcome) -> Measured:
        if (st := _undecided(out)) is not None:
            return st
        _decided(out)
        return {"place": rel("le", scale.index(out.observed), limit)}

    return ["place"], measure


def _compare(spec: CompareCheck, env: CompileEnv) -> tuple[list[Item], Measurer]:
    op = _BY_SYMBOL[spec.op]

    def measure(ctx: Ctx, out: Outcome) -> Measured:
        if (st := _undecided(out)) is not None:
            return st
        _decided(out)
        (ka, a), (kb, b) = _comparable(out.observed["left"]), _comparable(out.observed["right"])
        if ka != kb:
            raise MeasureError(f"{ka} compared with {kb}")
        return {"rel": rel(op, a, b)}

    return ["rel"], measure


def _trend(spec: TrendCheck, env: CompileEnv) -> tuple[list[Item], Measurer]:
    op = _TREND_OP[spec.direction]
    items: list[Item] = [f"s{i}" for i in range(spec.last - 1)]

    def measure(ctx: Ctx, out: Outcome) -> Measured:
        if (st := _undecided(out)) is not None:
            return st
        _decided(out)
        qs = []
        for point in out.observed:
            b = parse_bound(point["value"]) if not isinstance(point["value"], bool) else None
            if b is None:
                raise MeasureError(f"trend point {point!r} is not a number")
            qs.append(b.q)
        return {f"s{i}": rel(op, qs[i + 1], qs[i]) for i in range(len(qs) - 1)}

    return items, measure


def _band(statuses: list[str], share: Any) -> dict[str, dict[str, Any]]:
    """Worst and best share of passing units against the share required (exact integers)."""
    n, passed = len(statuses), statuses.count(PASS)
    undecided = [s for s in statuses if s in (MISSING_EVIDENCE, INVALID)]
    q: Fraction = share.q
    return {
        "share": {
            "op": "band",
            "a": passed * q.denominator,
            "a2": (passed + len(undecided)) * q.denominator,
            "b": q.numerator * n,
            "u": INVALID if INVALID in undecided else MISSING_EVIDENCE,
        }
    }


def _each(spec: EachCheck, env: CompileEnv) -> tuple[list[Item], Measurer]:
    child = env.child(spec.check)
    share = env.bound(spec.min_share, "min_share")

    def measure(ctx: Ctx, out: Outcome) -> Measured:
        units = ctx.record.units_of(spec.units)
        if not units:
            return MISSING_EVIDENCE
        fast = Ctx(ctx.record, ctx.as_of, False)
        return _band([child(fast.for_unit(u)).status for u in units], share)

    return ["share"], measure


def _meets(spec: MeetsCheck, env: CompileEnv) -> tuple[list[Item], Measurer]:
    other = env.standards.get(spec.standard)
    if other is None:
        raise MeasureError(f"standard {spec.standard!r} is not loaded")
    share = env.bound(spec.min_share, "min_share")

    def measure(ctx: Ctx, out: Outcome) -> Measured:
        units = ctx.record.units_of(spec.units)
        if not units:
            return MISSING_EVIDENCE
        return _band([other.judge_unit(u, ctx.as_of, False)[0] for u in units], share)

    return ["share"], measure


_BUILDERS: Final[dict[str, Callable[[Any, CompileEnv], tuple[list[Item], Measurer]]]] = {
    "value": _value,
    "ratio": _ratio,
    "count": _count,
    "exists": _exists,
    "absent": _absent,
    "periodic": _periodic,
    "age": _age,
    "grade": _grade,
    "compare": _compare,
    "trend": _trend,
    "each": _each,
    "meets": _meets,
}


def measurer(spec: Any, env: CompileEnv) -> tuple[list[Item], Measurer]:
    """(the comparisons of a leaf check, the function measuring them on one record)."""
    return _BUILDERS[spec.kind](spec, env)
