"""Hypothesis strategies that write evidence steering a check to a chosen status.

Each check kind has one strategy function, ``(spec, env, status) -> SearchStrategy[Piece]``,
in :data:`STRATEGIES` (a test proves it covers every kind). A :class:`Piece` is a
fragment of an evidence record — facts by path, events, documents, units — and pieces
merge into records. Values are drawn at and just beside each threshold, because that is
where rule authors' mistakes live.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, Final

from hypothesis import strategies as st

from .._values import Bound, Duration, format_number
from ..checks._base import CompileEnv
from ..checks.time import periods

__all__ = [
    "DECIDED",
    "STATUSES",
    "STRATEGIES",
    "Piece",
    "combine",
    "piece_for",
]

PASS, FAIL, MISSING, INVALID = "pass", "fail", "missing_evidence", "invalid_evidence"
STATUSES: Final = (PASS, FAIL, MISSING, INVALID)
DECIDED: Final = (PASS, FAIL)
_ABSENT: Final = object()
BLANKS: Final = ("__", "XX", "", "___", "xx")


@dataclass
class Piece:
    """A fragment of an evidence record."""

    facts: dict[str, Any] = field(default_factory=dict)  # dotted path → value (_ABSENT = remove)
    events: list[dict[str, Any]] | None = None
    documents: list[dict[str, Any]] | None = None
    units: list[dict[str, Any]] | None = None
    no_events: bool = False
    no_documents: bool = False
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)

    def merge(self, other: Piece) -> Piece:
        """Combine two fragments (the other one wins on a shared fact path)."""
        def cat(a: list[dict[str, Any]] | None, b: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
            return None if a is None and b is None else [*(a or []), *(b or [])]

        facts = dict(self.facts)
        for path, value in other.facts.items():
            mine = facts.get(path)
            # Two checks counting items of one list (``where`` on different fields) share it.
            facts[path] = [*mine, *value] if isinstance(mine, list) and isinstance(value, list) else value
        return Piece(facts, cat(self.events, other.events),
                     cat(self.documents, other.documents), cat(self.units, other.units),
                     self.no_events or other.no_events, self.no_documents or other.no_documents,
                     {**self.provenance, **other.provenance})

    def record(self, subject: Mapping[str, Any], as_of: date | None) -> dict[str, Any]:
        """The fragment as an evidence record (dotted paths expanded into objects)."""
        facts: dict[str, Any] = {}
        for path, value in sorted(self.facts.items()):
            if value is _ABSENT:
                continue
            keys = path.split(".")
            node = facts
            ok = True
            for k in keys[:-1]:
                nxt = node.setdefault(k, {})
                if not isinstance(nxt, dict):
                    ok = False
                    break
                node = nxt
            if ok and not isinstance(node.get(keys[-1]), dict):
                node[keys[-1]] = value
        out: dict[str, Any] = {"subject": dict(subject), "facts": facts}
        if as_of is not None:
            out["as_of"] = as_of.isoformat()
        if self.events is not None and not self.no_events:
            out["events"] = self.events
        if self.documents is not None and not self.no_documents:
            out["documents"] = self.documents
        if self.units is not None:
            out["units"] = self.units
        if self.provenance:
            out["provenance"] = self.provenance
        return out


Strategy = Callable[[Any, CompileEnv, str, date], st.SearchStrategy[Piece]]
STRATEGIES: dict[str, Strategy] = {}


def strategy_for(kind: str) -> Callable[[Strategy], Strategy]:
    """Register the strategy of a check kind."""

    def register(fn: Strategy) -> Strategy:
        STRATEGIES[kind] = fn
        return fn

    return register


def piece_for(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """Evidence steering ``spec`` to ``status`` (pass, fail, missing_evidence, invalid_evidence)."""
    return STRATEGIES[spec.kind](spec, env, status, as_of)


def _one(path: str, value: Any) -> Piece:
    return Piece({path: value})


def _missing(paths: list[str]) -> st.SearchStrategy[Piece]:
    return st.sampled_from(paths).flatmap(
        lambda p: st.sampled_from([_ABSENT, None]).map(lambda v: Piece({p: v}))
    )


def _invalid_text() -> st.SearchStrategy[Any]:
    return st.one_of(st.sampled_from(BLANKS), st.sampled_from(["abc", "约七成", "N/A"]), st.booleans())


def _number(q: Fraction, percent: bool, as_text: bool) -> Any:
    """A number written as a person would: ``"75%"`` or 0.75 for percentages."""
    if percent and as_text:
        return f"{format_number(q * 100)}%"
    if q.denominator == 1:
        return int(q)
    return float(q)


def _step(b: Bound) -> Fraction:
    """The smallest step a person would write next to a bound (0.1% for rates, 1 for counts)."""
    if b.percent or (b.q.denominator != 1 and abs(b.q) <= 1):
        return Fraction(1, 1000)
    return Fraction(1) if b.q.denominator == 1 else Fraction(1, 100)


def _numbers(lo: Bound | None, hi: Bound | None, status: str) -> st.SearchStrategy[Fraction]:
    """Exact numbers that satisfy (pass) or violate (fail) the bounds, near them."""
    if status == PASS:
        cands: list[Fraction] = []
        if lo is not None:
            cands += [lo.q, lo.q + _step(lo)]
        if hi is not None:
            cands += [hi.q, hi.q - _step(hi)]
        ok = [c for c in cands if (lo is None or c >= lo.q) and (hi is None or c <= hi.q)]
        if not ok:
            return st.nothing()
        return st.sampled_from(ok)
    cands = []
    if lo is not None:
        cands += [lo.q - _step(lo), lo.q - 10 * _step(lo)]
    if hi is not None:
        cands += [hi.q + _step(hi), hi.q + 10 * _step(hi)]
    return st.sampled_from(cands) if cands else st.nothing()


def _fits_percent(q: Fraction, percent: bool) -> bool:
    return not percent or 0 <= q <= 1


@strategy_for("value")
def value(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """A number at or beside the bounds; equals / one_of honoured."""
    lo, hi = env.bound(spec.min, "min"), env.bound(spec.max, "max")
    percent = bool((lo and lo.percent) or (hi and hi.percent))
    if status == MISSING:
        return _missing([spec.path])
    if status == INVALID:
        if lo is None and hi is None:
            return st.nothing()
        bad = _invalid_text() if not percent else st.one_of(_invalid_text(), st.sampled_from([87, 95, 2]))
        return bad.map(lambda v: _one(spec.path, v))
    equals = env.resolve(spec.equals)
    one_of = None if spec.one_of is None else [env.resolve(v) for v in spec.one_of]
    if lo is None and hi is None:
        wanted = [equals] if equals is not None else list(one_of or [])
        if status == PASS:
            return st.sampled_from(wanted).map(lambda v: _one(spec.path, v)) if wanted else st.nothing()
        return st.sampled_from(["__other__", -1]).map(lambda v: _one(spec.path, v))
    nums = _numbers(lo, hi, status).filter(lambda q: _fits_percent(q, percent))
    if status == PASS and (equals is not None or one_of is not None):
        return st.nothing()
    return st.tuples(nums, st.booleans()).map(lambda t: _one(spec.path, _number(t[0], percent, t[1])))


@strategy_for("ratio")
def ratio(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """A denominator, then the numerator at or beside ⌈bound × denominator⌉."""
    lo, hi = env.bound(spec.min, "min"), env.bound(spec.max, "max")
    n, d = spec.numerator, spec.denominator
    if status == MISSING:
        return st.one_of(_missing([n, d]), st.integers(0, 50).map(lambda k: Piece({n: k, d: 0})))
    if status == INVALID:
        return st.one_of(
            _invalid_text().map(lambda v: Piece({n: v, d: 10})),
            st.integers(1, 1000).map(lambda k: Piece({n: k + 1, d: k})),
        )

    def nums(den: int) -> list[int]:
        low = math.ceil(lo.q * den) if lo is not None else 0
        high = math.floor(hi.q * den) if hi is not None else den
        if status == PASS:
            return [k for k in {low, high, max(low, 0)} if 0 <= k <= den and low <= k <= high]
        # Just below the minimum (or every numerator, if even den/den is short), just above the maximum.
        below = [min(low - 1, den)] if lo is not None and low >= 1 else []
        above = [high + 1] if hi is not None and high + 1 <= den else []
        return [k for k in {*below, *above} if 0 <= k <= den and (k < low or k > high)]

    return st.integers(1, 20000).flatmap(
        lambda den: st.sampled_from(nums(den)).map(lambda k: Piece({n: k, d: den})) if nums(den) else st.nothing()
    )


def _matching_item(where: Mapping[str, Any] | None, i: int) -> dict[str, Any]:
    return {"id": f"item-{i}", **(dict(where) if where else {})}


@strategy_for("count")
def count(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """A list (or a tally) with a count at or beside the bounds."""
    lo, hi = env.bound(spec.min, "min"), env.bound(spec.max, "max")
    where = None if spec.where is None else {k: env.resolve(v) for k, v in spec.where.items()}
    if status == MISSING:
        return _missing([spec.path])
    if status == INVALID:
        return st.sampled_from(["__", "abc", -1, 2.5]).map(lambda v: _one(spec.path, v))
    low = math.ceil(lo.q) if lo is not None else 0
    high = math.floor(hi.q) if hi is not None else None
    if status == PASS:
        ks = [k for k in {low, low + 1, high if high is not None else low + 3} if high is None or k <= high]
    else:
        ks = ([low - 1] if lo is not None else []) + ([high + 1] if high is not None else [])
    ks = sorted(k for k in ks if k >= 0)
    if not ks:
        return st.nothing()
    as_list = st.sampled_from(ks).map(lambda k: _one(spec.path, [_matching_item(where, i) for i in range(k)]))
    if where is not None:
        return as_list
    return st.one_of(as_list, st.sampled_from(ks).map(lambda k: _one(spec.path, k)))


@strategy_for("exists")
def exists(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """A truthy/falsy fact, or a document of the kind dated inside or outside the window."""
    if spec.document is None:
        if status == MISSING:
            return _missing([spec.path])
        if status == INVALID:
            return st.sampled_from(BLANKS).map(lambda v: _one(spec.path, v))
        vals = [True, 1, "已成立", ["x"]] if status == PASS else [False, 0, []]
        return st.sampled_from(vals).map(lambda v: _one(spec.path, v))
    within: Duration | None = env.duration(spec.within, "within")
    kind = spec.document
    if status == MISSING:
        return st.just(Piece(documents=None, no_documents=True))
    if status == INVALID:
        if within is None:
            return st.nothing()
        return st.just(Piece(documents=[{"id": "d-bad", "kind": kind, "date": "2010-02-30"}]))
    if status == PASS:
        start = within.before(as_of) if within else date(1990, 1, 1)
        days = max(0, (as_of - start).days)
        return st.integers(0, days).map(
            lambda k: Piece(documents=[{"id": "d1", "kind": kind, "date": (as_of - timedelta(days=k)).isoformat()}]))
    old = [] if within is None else [{"id": "d-old", "kind": kind,
                                       "date": (within.before(as_of) - timedelta(days=1)).isoformat()}]
    return st.sampled_from([[], [{"id": "d-other", "kind": f"{kind}-other", "date": as_of.isoformat()}], old]).map(
        lambda docs: Piece(documents=docs))


@strategy_for("absent")
def absent(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """Nothing (pass) or matching items to remove (fail)."""
    where = None if spec.where is None else {k: env.resolve(v) for k, v in spec.where.items()}
    if status == MISSING:
        return _missing([spec.path])
    if status == INVALID:
        return st.sampled_from(["__", "abc"]).map(lambda v: _one(spec.path, v))
    if status == PASS:
        return st.sampled_from([[], 0, False]).map(lambda v: _one(spec.path, v))
    return st.integers(1, 4).map(lambda k: _one(spec.path, [_matching_item(where, i) for i in range(k)]))


@strategy_for("periodic")
def periodic(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """One event per period (pass) or one period left empty (fail)."""
    every, over = env.duration(spec.every, "every"), env.duration(spec.over, "over")
    assert every is not None and over is not None
    slots = periods(as_of, every, over)
    if status == MISSING:
        return st.just(Piece(no_events=True))

    def events(skip: int | None) -> list[dict[str, Any]]:
        return [{"type": spec.event, "date": end.isoformat()} for i, (_, end) in enumerate(slots) if i != skip]

    if status == PASS:
        return st.just(Piece(events=events(None)))
    if status == INVALID:
        return st.integers(0, len(slots) - 1).map(
            lambda i: Piece(events=[*events(i), {"type": spec.event, "date": "2010-09-31"}]))
    return st.integers(0, len(slots) - 1).map(lambda i: Piece(events=events(i)))


@strategy_for("age")
def age(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """A date old enough (pass), too recent or too old (fail)."""
    lo, hi = env.duration(spec.min, "min"), env.duration(spec.max, "max")
    if status == MISSING:
        return _missing([spec.path])
    if status == INVALID:
        return st.sampled_from(["2010-02-30", "__", "去年"]).map(lambda v: _one(spec.path, v))
    latest = lo.before(as_of) if lo else as_of
    earliest = hi.before(as_of) if hi else date(1950, 1, 1)
    if status == PASS:
        if earliest > latest:
            return st.nothing()
        days = (latest - earliest).days
        offsets = st.sampled_from(sorted({0, days}))
        return offsets.map(lambda k: _one(spec.path, (latest - timedelta(days=k)).isoformat()))
    cands = []
    if lo is not None:
        cands.append(latest + timedelta(days=1))
    if hi is not None:
        cands.append(earliest - timedelta(days=1))
    return st.sampled_from(cands).map(lambda d: _one(spec.path, d.isoformat())) if cands else st.nothing()


@strategy_for("grade")
def grade(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """A grade at least / worse than the minimum."""
    scale, floor = list(spec.scale), str(env.resolve(spec.min))
    limit = scale.index(floor)
    if status == MISSING:
        return _missing([spec.path])
    if status == INVALID:
        return st.sampled_from(["Z级", "__"]).map(lambda v: _one(spec.path, v))
    pool = scale[: limit + 1] if status == PASS else scale[limit + 1:]
    return st.sampled_from(pool).map(lambda g: _one(spec.path, g)) if pool else st.nothing()


_OPS: Final[dict[str, Callable[[Fraction, Fraction], bool]]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b, ">=": lambda a, b: a >= b, ">": lambda a, b: a > b,
}


@strategy_for("compare")
def compare(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """Two numbers for which the relation holds or does not."""
    from ..checks.order import _operand

    lpath, lval = _operand(spec.left, env)
    rpath, rval = _operand(spec.right, env)
    paths = [p for p in (lpath, rpath) if p is not None]
    if status == MISSING:
        return _missing(paths) if paths else st.nothing()
    if status == INVALID:
        if not paths:
            return st.nothing()
        return st.sampled_from(BLANKS).map(lambda b: Piece({paths[0]: b, **{p: 1 for p in paths[1:]}}))
    fixed_l = None if lpath else Fraction(str(lval).rstrip("%")) / (100 if str(lval).endswith("%") else 1)
    fixed_r = None if rpath else Fraction(str(rval).rstrip("%")) / (100 if str(rval).endswith("%") else 1)
    want = status == PASS

    def build(a: int, b: int) -> Piece:
        left = fixed_l if fixed_l is not None else Fraction(a)
        right = fixed_r if fixed_r is not None else Fraction(b)
        return Piece({p: (int(v) if v.denominator == 1 else float(v))
                      for p, v in ((lpath, left), (rpath, right)) if p is not None})

    def holds(a: int, b: int) -> bool:
        left = fixed_l if fixed_l is not None else Fraction(a)
        right = fixed_r if fixed_r is not None else Fraction(b)
        return _OPS[spec.op](left, right) == want

    pairs = st.tuples(st.integers(0, 50), st.integers(0, 50)).filter(lambda t: holds(*t))
    return pairs.map(lambda t: build(*t))


@strategy_for("trend")
def trend(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """A series moving the required way (pass) or breaking it once (fail)."""
    if status == MISSING:
        return _missing([spec.path])
    if status == INVALID:
        return st.just(_one(spec.path, [{"period": "2020", "value": "__"}] * spec.last))
    up = spec.direction in ("rising", "not_falling")
    vals = list(range(1, spec.last + 1))
    if not up:
        vals.reverse()
    if status == FAIL:
        vals[-1], vals[-2] = vals[-2], vals[-1]
    return st.just(_one(spec.path, [{"period": str(2000 + i), "value": v} for i, v in enumerate(vals)]))


def _unit(kind: str | None, i: int, piece: Piece) -> dict[str, Any]:
    rec = piece.record({"id": f"u{i}", "kind": kind or "village"}, None)
    return rec


@strategy_for("each")
def each(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """Units whose own evidence passes, with enough failing ones to miss ``min_share``."""
    share = env.bound(spec.min_share, "min_share")
    assert share is not None
    if status == MISSING:
        return st.just(Piece(units=[]))
    n_units = st.integers(1, 5)

    def build(n: int) -> st.SearchStrategy[Piece]:
        need = math.ceil(share.q * n)
        if status == PASS:
            n_pass = max(need, 0)
            statuses = [PASS] * n_pass + [FAIL] * (n - n_pass)
        elif status == FAIL:
            if need == 0:
                return st.nothing()
            statuses = [PASS] * (need - 1) + [FAIL] * (n - need + 1)
        else:  # invalid
            if need == 0:
                return st.nothing()
            statuses = [PASS] * (need - 1) + [INVALID] * (n - need + 1)
        parts = [piece_for(spec.check, env, s, as_of) for s in statuses]
        return st.tuples(*parts).map(lambda ps: Piece(units=[_unit(spec.units, i, p) for i, p in enumerate(ps)]))

    return n_units.flatmap(build)


@strategy_for("meets")
def meets(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """Units that pass (or fail) every criterion of the other standard."""
    other = env.standards.get(spec.standard)
    share = env.bound(spec.min_share, "min_share")
    if other is None or share is None:
        return st.nothing()
    if status == MISSING:
        return st.just(Piece(units=[]))
    if status == INVALID:
        return st.nothing()
    from ._records import all_criteria_piece

    def build(n: int) -> st.SearchStrategy[Piece]:
        need = math.ceil(share.q * n)
        flags = [True] * n if status == PASS else [True] * max(need - 1, 0) + [False] * (n - max(need - 1, 0))
        if status == FAIL and need == 0:
            return st.nothing()
        parts = [all_criteria_piece(other, PASS if ok else FAIL, as_of) for ok in flags]
        return st.tuples(*parts).map(lambda ps: Piece(units=[_unit(spec.units, i, p) for i, p in enumerate(ps)]))

    return st.integers(1, 3).flatmap(build)


def combine(parts: list[st.SearchStrategy[Piece]]) -> st.SearchStrategy[Piece]:
    """Draw every part and merge them into one fragment (later parts win on shared paths)."""
    if not parts:
        return st.just(Piece())

    def fold(ps: tuple[Piece, ...]) -> Piece:
        out = Piece()
        for p in ps:
            out = out.merge(p)
        return out

    return st.tuples(*parts).map(fold)


def _one_differs(spec: Any, env: CompileEnv, status: str, as_of: date, others: str) -> st.SearchStrategy[Piece]:
    """All children at ``others``, or one (any one) at ``status`` and the rest at ``others``."""
    children = list(spec.checks)
    if status == others:
        return combine([piece_for(c, env, others, as_of) for c in children])
    return st.integers(0, len(children) - 1).flatmap(lambda k: combine(
        [piece_for(c, env, status if i == k else others, as_of) for i, c in enumerate(children)]))


@strategy_for("all")
def all_(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """Every child passes; or one child takes the status and the others pass."""
    return _one_differs(spec, env, status, as_of, PASS)


@strategy_for("any")
def any_(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """One child passes; or every child fails except one that takes the status."""
    return _one_differs(spec, env, status, as_of, FAIL)


@strategy_for("not")
def not_(spec: Any, env: CompileEnv, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """The child with pass and fail swapped."""
    flipped = {PASS: FAIL, FAIL: PASS}.get(status, status)
    return piece_for(spec.check, env, flipped, as_of)
