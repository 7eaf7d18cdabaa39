"""``check_data``'s fast limit check against a plain statement of each limit.

``standards._yaml._fits`` runs on every record evaluated, so it is written for speed: a
quick pass (``_vouch``) that may only say "certainly within the limits", and the exact
breadth-first walk for everything else. This file states the limits once more as the
simplest recursive walk and checks that both agree on arbitrary nested data, including
the shapes the quick pass hands over (non-str keys, subclasses, cycles, shared parts).
"""

from __future__ import annotations

import collections
import datetime
import decimal
import enum
import sys
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from standards._yaml import InputRejected, Limits, _fits, _vouch, check_data

BIG = int(sys.float_info.max)  # the largest whole number a float can hold


def has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def reference_fits(data: Any, limits: Limits) -> bool:
    """Each limit stated once, as a recursive walk.

    * a value of exactly ``str`` (a value, or a key of a dict) has at most
      ``max_string`` characters and no lone surrogate;
    * a value of exactly ``int`` lies within ``[-BIG, BIG]`` (floats and bools pass);
    * a dict, list or tuple (subclasses included) nests at most ``max_depth`` deep (the
      outermost is level 1) and holds at most ``max_items`` entries;
    * all values together, counting a shared part once per appearance and the top value
      as one, number at most ``max_nodes``.

    Values of other types, and keys that are not exactly ``str``, are not checked. A
    structure that contains itself is deeper than any limit, so the walk stops there; the
    count stops the walk as soon as it passes ``max_nodes``.
    """
    nodes = 1

    def text_ok(s: str) -> bool:
        return len(s) <= limits.max_string and not has_surrogate(s)

    def ok(value: Any, level: int) -> bool:
        nonlocal nodes
        if type(value) is str:
            return text_ok(value)
        if type(value) is int:
            return -BIG <= value <= BIG
        if not isinstance(value, (dict, list, tuple)):
            return True
        if level > limits.max_depth or len(value) > limits.max_items:
            return False
        nodes += len(value)
        if nodes > limits.max_nodes:
            return False
        if isinstance(value, dict):
            if not all(text_ok(k) for k in value if type(k) is str):
                return False
            return all(ok(v, level + 1) for v in value.values())
        return all(ok(v, level + 1) for v in value)

    return ok(data, 1)


class Text(str):
    pass


class Record(dict[Any, Any]):
    pass


class Kind(enum.StrEnum):
    TOWN = "town"
    LONG = "x" * 20


class Odd(type):
    """A metaclass whose classes cannot be hashed (``__eq__`` without ``__hash__``)."""

    def __eq__(cls, other: object) -> bool:
        return cls is other

    __hash__ = None  # type: ignore[assignment]


class Opaque(metaclass=Odd):
    pass


SPECIAL_INTS = [BIG, BIG + 1, -BIG, -BIG - 1, 10**308, 10**309, 10**400, -(10**400)]
texts = st.text(
    st.one_of(st.sampled_from("ab镇卫生院é\ud800\udfff"), st.characters(exclude_categories=())),
    max_size=10,
)
leaves = st.one_of(
    texts,
    st.integers(-5, 5),
    st.sampled_from(SPECIAL_INTS),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.none(),
    st.just(datetime.date(2011, 10, 16)),
    texts.map(Text),
    st.sampled_from([decimal.Decimal("1e400"), Kind.TOWN, Kind.LONG, b"\xed\xa0", Opaque()]),
)
keys = st.one_of(texts, st.integers(-3, 3), st.sampled_from(SPECIAL_INTS), texts.map(Text))


def containers(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(
        st.dictionaries(keys, children, max_size=5),
        st.lists(children, max_size=5),
        st.lists(children, max_size=5).map(tuple),
        st.dictionaries(keys, children, max_size=3).map(Record),
        st.dictionaries(texts, children, max_size=3).map(collections.OrderedDict),
    )


plain = st.recursive(leaves, containers, max_leaves=25)


@st.composite
def shaped(draw: st.DrawFn) -> Any:
    """Plain data, sometimes with a part shared twice or a list that contains itself."""
    data = draw(plain)
    twist = draw(st.sampled_from(["none", "none", "shared", "cycle"]))
    if twist == "shared":
        return [data, {"again": data}, (data,)]
    if twist == "cycle":
        loop: list[Any] = [data]
        loop.append(loop)
        return {"loop": loop}
    return data


small_limits = st.builds(
    Limits,
    max_depth=st.integers(1, 6),
    max_string=st.integers(1, 8),
    max_items=st.integers(1, 6),
    max_nodes=st.integers(1, 40),
)
any_limits = st.one_of(small_limits, st.just(Limits()))


@settings(max_examples=300, deadline=None)
@given(data=shaped(), limits=any_limits)
@example(data={"s": "x" * 8}, limits=Limits(max_string=8))
@example(data={"s": "x" * 9}, limits=Limits(max_string=8))
@example(data={"\ud800": 1}, limits=Limits())
@example(data=[10**400, -(10**400)], limits=Limits())
def test_fits_agrees_with_the_reference(data: Any, limits: Limits) -> None:
    """For any nested data and limits: ``_fits(data, limits) == reference_fits(data, limits)``.

    The quick pass alone is never more lenient (when it vouches, the reference agrees),
    and ``check_data`` refuses exactly the data the reference finds outside a limit.
    """
    expected = reference_fits(data, limits)
    assert _fits(data, limits) is expected
    assert not _vouch(data, limits) or expected
    try:
        check_data(data, limits)
    except InputRejected:
        refused = True
    else:
        refused = False
    assert refused is not expected


def nested(depth: int) -> Any:
    """``depth`` levels of containers: [[...[1]...]]."""
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def self_dict() -> dict[str, Any]:
    d: dict[str, Any] = {"a": 1}
    d["self"] = d
    return d


def self_list() -> list[Any]:
    xs: list[Any] = [1]
    xs.append(xs)
    return xs


shared = ["x"] * 5

CASES = [
    ("self-containing dict", self_dict(), Limits(), False),
    ("self-containing list", self_list(), Limits(), False),
    ("depth exactly at the limit", nested(4), Limits(max_depth=4), True),
    ("depth one beyond", nested(5), Limits(max_depth=4), False),
    ("depth at the default limit", nested(64), Limits(), True),
    ("depth one beyond the default", nested(65), Limits(), False),
    ("string of exactly max_string", {"k": "x" * 8}, Limits(max_string=8), True),
    ("string one longer", {"k": "x" * 9}, Limits(max_string=8), False),
    ("key of exactly max_string", {"y" * 8: 1}, Limits(max_string=8), True),
    ("key one longer", {"y" * 9: 1}, Limits(max_string=8), False),
    ("surrogate in a key", {"ok": 1, "k\ud800": 1}, Limits(), False),
    ("surrogate in a value", {"k": ["镇", "\udfff"]}, Limits(), False),
    ("surrogate in a str-subclass key (not checked)", {Text("\ud800"): 1}, Limits(), True),
    ("10**400", {"n": 10**400}, Limits(), False),
    ("-(10**400)", {"n": -(10**400)}, Limits(), False),
    ("the largest whole number a float holds", {"n": BIG, "m": -BIG}, Limits(), True),
    ("one past it", {"n": BIG + 1}, Limits(), False),
    ("a huge float passes", {"n": 1e308, "inf": float("inf")}, Limits(), True),
    ("int keys are tolerated", {1: "a", 2: {3: "b"}}, Limits(), True),
    ("an int key is not range-checked", {10**400: 1}, Limits(), True),
    ("tuples nest like lists", (("a",),), Limits(max_depth=2), True),
    ("tuples count toward depth", ((("a",),),), Limits(max_depth=2), False),
    ("shared part counts per appearance", [shared, shared], Limits(max_nodes=13), True),
    ("one value more", [shared, shared, []], Limits(max_nodes=13), False),
    ("items exactly at the limit", {"l": [0] * 6}, Limits(max_items=6), True),
    ("items one beyond", {"l": [0] * 7}, Limits(max_items=6), False),
    ("dict entries exactly at the limit", {"d": dict.fromkeys("abcdef", 0)}, Limits(max_items=6), True),
    ("dict entries one beyond", {"d": dict.fromkeys("abcdefg", 0)}, Limits(max_items=6), False),
    ("values exactly at max_nodes", {"a": {"b": 1, "c": [2]}}, Limits(max_nodes=5), True),
    ("one value beyond max_nodes", {"a": {"b": 1, "c": [2]}}, Limits(max_nodes=4), False),
    ("dict subclass is walked", Record(a=Record(b="x" * 9)), Limits(max_string=8), False),
    ("dates pass", {"d": datetime.date(2011, 10, 16), "t": datetime.datetime(2011, 1, 1)}, Limits(), True),
    ("odd leaves pass", {"n": decimal.Decimal("1e400"), "k": Kind.LONG, "o": Opaque()}, Limits(max_string=8), True),
    ("odd leaves beside a breach", {"n": decimal.Decimal(1), "s": "x" * 9}, Limits(max_string=8), False),
    ("an OrderedDict is walked", {"o": collections.OrderedDict(s="\ud800")}, Limits(), False),
    ("a top-level string", "x" * 9, Limits(max_string=8), False),
    ("a top-level surrogate", "\ud800", Limits(), False),
    ("a top-level big number", 10**400, Limits(), False),
]


@pytest.mark.parametrize(("data", "limits", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_explicit_cases(data: Any, limits: Limits, expected: bool) -> None:
    assert reference_fits(data, limits) is expected
    assert _fits(data, limits) is expected


def test_the_quick_pass_vouches_for_an_ordinary_record() -> None:
    """The speed-up applies: a record like the benchmark's never reaches the exact walk.

    A value of a type ``json.load`` does not make (an enum, a ``Decimal``) leaves the
    record to the exact walk, and ``check_data`` says it is not plain (it is then read as
    JSON through a copy).
    """
    record = {
        "subject": {"id": "js-town-00001", "name": "镇00001", "kind": "town"},
        "as_of": "2011-10-16",
        "facts": {
            "org": {"budget": 118.8, "staff": ["爱卫干部1", "爱卫干部2"], "ok": True, "none": None},
            "org2": {"meetings": [{"type": "爱卫会", "date": datetime.date(2011, 4, 15)}] * 3},
            "households": {"total": 3485, "tap_water": 3323},
        },
    }
    assert _vouch(record, Limits()) is True
    assert check_data(record, Limits()) is True
    for odd in (Kind.TOWN, decimal.Decimal("12.5"), ("a", "b")):
        record["facts"]["odd"] = odd
        assert _vouch(record, Limits()) is False
        assert check_data(record, Limits()) is False  # within the limits, not plain


def test_odd_values_within_tight_limits_fit_but_are_not_plain() -> None:
    record = {"a": "x", "b": 1, "c": decimal.Decimal(1), "d": Kind.TOWN}
    assert _fits(record, Limits(max_nodes=5, max_string=1))
    assert check_data(record, Limits(max_nodes=5, max_string=1)) is False
