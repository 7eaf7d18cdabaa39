"""What every check function shares: outcomes, the evaluation context, the registry.

A check kind is compiled once per standard into a closure ``run(ctx) -> Outcome``. The
closure decides the status *and*, when ``ctx.detail`` is set, returns the measured
values, the explanation key and the gap from the same lines of code — so the reason a
report gives can never drift from the decision it explains. With ``detail`` off it
returns a shared constant outcome and allocates nothing (the fast path for verdicts).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Any, Final, TypeVar

from .._values import Bound, DateSpan, Duration, format_number, is_blank, parse_bound
from .._values import parse_date as _parse_date
from .._values import parse_duration as _parse_duration
from ..evidence import MISSING, NOT_AN_OBJECT, Evidence, fetch

__all__ = [
    "FAIL",
    "INVALID",
    "MISSING_EVIDENCE",
    "NOT_AN_OBJECT",
    "NOT_APPLICABLE",
    "PASS",
    "REGISTRY",
    "STATUSES",
    "STATUS_REGISTRY",
    "WAIVED",
    "CheckFn",
    "CompileEnv",
    "Ctx",
    "Outcome",
    "Read",
    "StatusFn",
    "check_kind",
    "fetch",
    "fragment",
    "getter",
    "inline_keys",
    "meets_max",
    "meets_min",
    "number",
    "quick",
    "read_date",
    "read_number",
    "status_kind",
    "unknown",
]

PASS: Final = "pass"
FAIL: Final = "fail"
MISSING_EVIDENCE: Final = "missing_evidence"
INVALID: Final = "invalid_evidence"
NOT_APPLICABLE: Final = "not_applicable"
WAIVED: Final = "waived"
STATUSES: Final = (PASS, FAIL, MISSING_EVIDENCE, INVALID, NOT_APPLICABLE, WAIVED)

Read = tuple[str, Any]


class Outcome:
    """What one check found. ``msg`` + ``args`` render the explanation in zh or en."""

    __slots__ = ("args", "children", "expected", "gap", "msg", "observed", "reads", "status")

    def __init__(
        self,
        status: str,
        msg: str = "",
        args: Mapping[str, Any] | None = None,
        *,
        observed: Any = None,
        expected: Mapping[str, Any] | None = None,
        reads: tuple[Read, ...] = (),
        gap: Mapping[str, Any] | None = None,
        children: tuple[tuple[str, Outcome], ...] = (),
    ) -> None:
        self.status = status
        self.msg = msg
        self.args = args or {}
        self.observed = observed
        self.expected = expected or {}
        self.reads = reads
        self.gap = gap
        self.children = children

    def __repr__(self) -> str:
        return f"Outcome({self.status!r}, {self.msg!r}, observed={self.observed!r})"


#: Shared outcomes for the fast path: the status alone, nothing allocated.
_QUICK: Final = {s: Outcome(s, "quick") for s in STATUSES}


def quick(status: str) -> Outcome:
    """The shared detail-free outcome of a status (fast path)."""
    return _QUICK[status]


class Ctx:
    """Evaluation context of one record (or one sub-unit of it)."""

    __slots__ = ("as_of", "detail", "facts", "record")

    def __init__(self, record: Evidence, as_of: date, detail: bool) -> None:
        self.record = record
        self.facts = record.facts
        self.as_of = as_of
        self.detail = detail

    def for_unit(self, unit: Evidence) -> Ctx:
        """The context of a sub-unit (same as_of: units have none of their own)."""
        return Ctx(unit, self.as_of, self.detail)


CheckFn = Callable[[Ctx], Outcome]
#: The status alone (``pass``, ``fail``, …): what :func:`~standards.decide` needs.
StatusFn = Callable[[Ctx], str]


class RuleCompileError(Exception):
    """Raised while compiling a check: a problem of the rule file, located by field."""

    def __init__(self, code: str, message: str, field_name: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field_name = field_name


@dataclass
class CompileEnv:
    """What compiling a check needs: resolved parameters, other standards, recursion."""

    parameters: Mapping[str, Any]
    standards: Mapping[str, Any] = field(default_factory=dict)
    compile: Callable[[Any, CompileEnv], CheckFn] | None = None

    def resolve(self, value: Any) -> Any:
        """Replace a ``$name`` by the parameter's value (other values pass through)."""
        if isinstance(value, str) and value.startswith("$"):
            name = value[1:]
            if name not in self.parameters:
                raise RuleCompileError("undefined-parameter", f"parameter ${name} is not defined")
            return self.parameters[name]
        return value

    def bound(self, value: Any, name: str) -> Bound | None:
        """A threshold slot as an exact Bound (None when the slot is empty)."""
        if value is None:
            return None
        resolved = self.resolve(value)
        b = parse_bound(resolved)
        if b is None:
            raise RuleCompileError(
                "invalid-threshold",
                f"{name} = {value!r} resolves to {resolved!r}, which is not a number or percentage",
                name,
            )
        return b

    def duration(self, value: Any, name: str) -> Duration | None:
        """A duration slot as a Duration (None when the slot is empty)."""
        if value is None:
            return None
        resolved = self.resolve(value)
        d = _parse_duration(resolved)
        if d is None:
            raise RuleCompileError(
                "invalid-duration",
                f"{name} = {value!r} resolves to {resolved!r}, which is not an ISO 8601 duration",
                name,
            )
        return d

    def child(self, spec: Any) -> CheckFn:
        """Compile a nested check with the same environment."""
        assert self.compile is not None
        return self.compile(spec, self)

    def child_status(self, spec: Any, run: CheckFn | None = None) -> StatusFn:
        """The status function of a check: its kind's twin, or read from ``run``'s outcome."""
        fn = STATUS_REGISTRY.get(spec.kind)
        fast = fn(spec, self) if fn is not None else None
        if fast is not None:
            return fast
        if run is None:
            run = self.child(spec)

        def status(ctx: Ctx) -> str:
            assert run is not None
            return run(ctx).status

        return status


CompileFn = Callable[[Any, CompileEnv], CheckFn]
REGISTRY: dict[str, CompileFn] = {}
_F = TypeVar("_F", bound=CompileFn)

#: Status compilers: the verdict-only twin of a kind's check, for the kinds (and shapes)
#: that screening many records spends its time in. ``None`` from one means "no twin for
#: this shape": the status is then read from the check's own outcome. Every twin is held
#: to its check by ``tests/properties/test_status_twins.py``.
StatusCompileFn = Callable[[Any, CompileEnv], StatusFn | None]
STATUS_REGISTRY: dict[str, StatusCompileFn] = {}
_S = TypeVar("_S", bound=StatusCompileFn)


def _enter(registry: dict[str, Any], kind: str, fn: Any) -> None:
    if kind in registry:  # pragma: no cover - a programming error caught by tests
        raise RuntimeError(f"{fn.__name__}: check kind {kind!r} registered twice")
    registry[kind] = fn


def check_kind(kind: str) -> Callable[[_F], _F]:
    """Register the compile function of a check kind (filled once, at import)."""

    def register(fn: _F) -> _F:
        _enter(REGISTRY, kind, fn)
        return fn

    return register


def status_kind(kind: str) -> Callable[[_S], _S]:
    """Register the status compiler of a check kind (filled once, at import)."""

    def register(fn: _S) -> _S:
        _enter(STATUS_REGISTRY, kind, fn)
        return fn

    return register


# -- reading values ----------------------------------------------------------------------

_NUM_TYPES: Final = (int, float)


def read_number(
    ctx: Ctx, keys: tuple[str, ...], dotted: str, percent_bound: bool = False
) -> tuple[str | None, float | int, Any, str]:
    """Read a number at a path.

    Returns (status_if_undecided, value, raw, reason): status is None when the value is
    usable, ``missing_evidence`` when absent/null, ``invalid_evidence`` for template blanks,
    text that is not a number, booleans, non-finite numbers, or a plain number above 1
    compared against a percentage ("87 looks like a percent").
    """
    cur: Any = ctx.facts
    for k in keys:
        if type(cur) is not dict:
            if cur is None:
                return MISSING_EVIDENCE, 0, None, "absent"
            return INVALID, 0, cur, "not_an_object"
        cur = cur.get(k)
        if cur is None:
            return MISSING_EVIDENCE, 0, None, "absent"
    t = type(cur)
    if t is int or t is float:
        if t is float and not math.isfinite(cur):
            return INVALID, 0, cur, "not_finite"
        if percent_bound and cur > 1:
            return INVALID, cur, cur, "looks_like_percent"
        if percent_bound and cur < 0:
            return INVALID, cur, cur, "negative_share"
        return None, cur, cur, ""
    if t is str:
        reason, f, was_percent = _text_number(cur)
        if reason:
            return INVALID, 0, cur, reason
        if percent_bound and f > 1:
            # A share cannot exceed 100%: "120%" is as wrong as 1.2, and 87 is 87%, not 8700%.
            return INVALID, f, cur, "above_100" if was_percent else "looks_like_percent"
        if percent_bound and f < 0:
            return INVALID, f, cur, "negative_share"
        return None, f, cur, ""
    return INVALID, 0, cur, "not_a_number"


def getter(keys: tuple[str, ...]) -> Callable[[Mapping[str, Any]], Any]:
    """:func:`fetch` specialised to one path (up to three keys without a loop: most paths)."""
    if len(keys) == 1:
        (k0,) = keys
        return lambda facts: facts.get(k0)
    if len(keys) == 2:
        k0, k1 = keys

        def two(facts: Mapping[str, Any]) -> Any:
            cur = facts.get(k0)
            if type(cur) is dict:
                return cur.get(k1)
            return None if cur is None else NOT_AN_OBJECT

        return two
    if len(keys) == 3:
        k0, k1, k2 = keys

        def three(facts: Mapping[str, Any]) -> Any:
            cur = facts.get(k0)
            if type(cur) is dict:
                cur = cur.get(k1)
                if type(cur) is dict:
                    return cur.get(k2)
            return None if cur is None else NOT_AN_OBJECT

        return three
    return lambda facts: fetch(facts, keys)


def inline_keys(keys: tuple[str, ...]) -> tuple[bool, str, str, str | None]:
    """``(inline, k0, k1, k2)``: how the hottest twins read a 2- or 3-key path without a call.

    ``facts[k0][k1]`` (or ``[k2]``) costs no Python call, where :func:`getter` costs one
    per read: measured, about 90 ns of a 500 ns ``value`` twin. It agrees with the
    getter because an Evidence holds plain JSON types only (``Evidence.from_data`` reads
    anything else as JSON): an absent key raises KeyError, a step through null, a list
    or a scalar raises TypeError, and the twin then asks its getter what that means
    (None, or NOT_AN_OBJECT). Other path lengths are read by the getter (``inline``
    False).
    """
    if len(keys) == 2:
        return True, keys[0], keys[1], None
    if len(keys) == 3:
        return True, keys[0], keys[1], keys[2]
    return False, "", "", None


def number(raw: Any, percent_bound: bool) -> Any:
    """A raw value (not None) as a usable number, else the status ``invalid_evidence``.

    The verdict-only twin of :func:`read_number` after its walk: the same rules (numeric
    text, non-finite numbers, booleans, shares outside 0–100% against a percentage).
    Callers tell the two apart by ``type(result) is str``.
    """
    t = type(raw)
    if t is float:
        if not math.isfinite(raw) or (percent_bound and (raw > 1 or raw < 0)):
            return INVALID
        return raw
    if t is int:
        if percent_bound and (raw > 1 or raw < 0):
            return INVALID
        return raw
    if t is str:
        reason, f, _ = _text_number(raw)
        if reason or (percent_bound and (f > 1 or f < 0)):
            return INVALID
        return f
    return INVALID


def meets_min(lo: Bound, x: float | int) -> bool:
    """``x >= lo`` as written (see :attr:`Bound.rf`): floats and whole numbers skip Fractions."""
    if type(x) is float and lo.rf:
        return x >= lo.f
    if type(x) is int and lo.iq is not None:
        return x >= lo.iq
    return lo.le(x)


def meets_max(hi: Bound, x: float | int) -> bool:
    """``x <= hi`` as written."""
    if type(x) is float and hi.rf:
        return x <= hi.f
    if type(x) is int and hi.iq is not None:
        return x <= hi.iq
    return hi.ge(x)


@lru_cache(maxsize=8192)
def _text_number(text: str) -> tuple[str, float, bool]:
    """(reason it is unusable or "", value, written as a percent) — cached: texts recur."""
    if is_blank(text):
        return "blank", 0.0, False
    b = parse_bound(text)
    if b is None:
        return "not_a_number", 0.0, False
    return "", b.f, b.percent


def read_date(ctx: Ctx, keys: tuple[str, ...]) -> tuple[str | None, DateSpan | None, Any, str]:
    """Read a date at a path: (status_if_undecided, span, raw, reason)."""
    cur: Any = ctx.facts
    for k in keys:
        if type(cur) is not dict:
            return INVALID, None, cur, "not_an_object"
        cur = cur.get(k)
        if cur is None:
            return MISSING_EVIDENCE, None, None, "absent"
    if isinstance(cur, str) and is_blank(cur):
        return INVALID, None, cur, "blank"
    span = _parse_date(cur)
    if span is None:
        return INVALID, None, cur, "not_a_date"
    return None, span, cur, ""


def lookup(facts: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    """The raw value at a path or MISSING (null, absent and a path through a non-object)."""
    cur = fetch(facts, keys)
    return MISSING if cur is None or cur is NOT_AN_OBJECT else cur


def unknown(ctx: Ctx, keys: tuple[str, ...], path: str) -> Outcome:
    """The outcome of a path :func:`lookup` found no value at.

    Usually the value is not given (missing evidence). But ``survey.rate`` where
    ``survey`` is ``5`` is a record of the wrong shape, which more evidence cannot
    fix: that is invalid evidence, as :func:`read_number` already says for numbers.
    """
    cur: Any = ctx.facts
    for k in keys:
        if cur is None:
            break
        if type(cur) is not dict:
            return (
                reason_outcome(INVALID, "not_an_object", path, cur, ((path, None),)) if ctx.detail else quick(INVALID)
            )
        cur = cur.get(k)
    return (
        reason_outcome(MISSING_EVIDENCE, "absent", path, None, ((path, None),))
        if ctx.detail
        else quick(MISSING_EVIDENCE)
    )


def split(path: str) -> tuple[str, ...]:
    """A dotted path as its keys."""
    return tuple(path.split("."))


def show(value: Any, percent: bool = False) -> str:
    """A value as a person reads it in an explanation."""
    t = type(value)
    if t is int and not percent:
        return str(value)
    if t is str:
        return value  # type: ignore[no-any-return]
    if value is MISSING or value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Fraction):
        return format_number(value, percent)
    return str(value)


def bounds_text(lo: Bound | None, hi: Bound | None) -> str:
    """``≥ 75%``, ``≤ 3`` or ``30%–40%``."""
    if lo is not None and hi is not None:
        return f"{lo.display()}–{hi.display()}"
    if lo is not None:
        return f"≥ {lo.display()}"
    if hi is not None:
        return f"≤ {hi.display()}"
    return ""


def expected_of(lo: Bound | None, hi: Bound | None) -> dict[str, Any]:
    """The machine-readable ``expected`` of bounds."""
    out: dict[str, Any] = {}
    if lo is not None:
        out["min"] = lo.json()
    if hi is not None:
        out["max"] = hi.json()
    return out


def reason_outcome(status: str, reason: str, dotted: str, raw: Any, reads: tuple[Read, ...]) -> Outcome:
    """The outcome of an unusable value (missing or invalid), with the reason named."""
    args: dict[str, Any] = {"path": dotted, "raw": raw if not isinstance(raw, str) else repr(raw)}
    if reason == "looks_like_percent":
        # Name both ways to write the value ("87" → 0.87 or "87%"), worked out from the
        # number itself: gluing "0." in front of the text breaks on 150 or 87.5.
        b = parse_bound(raw)
        if b is not None:
            args["fraction"] = format_number(b.q / 100)
            args["percent"] = f"{format_number(b.q)}%"
    return Outcome(
        status,
        f"value.{reason}",
        args,
        observed=raw,
        reads=reads,
        gap={"kind": "supply" if status == MISSING_EVIDENCE else "correct", "paths": [dotted]},
    )


def fragment(key: str, **args: str) -> Outcome | str:
    """An optional part of a sentence, worded per language when rendered ("" when empty).

    Arguments of a message may themselves be outcomes (rendered in the report's
    language), so a clause such as "; undecided: v3" appears only when it has content.
    """
    if not any(args.values()):
        return ""
    return Outcome("", key, args)


def is_unusable(status: str) -> bool:
    """Missing or invalid: the check could not decide."""
    return status in (MISSING_EVIDENCE, INVALID)
