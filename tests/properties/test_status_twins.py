"""The status twins decide exactly as the checks they stand in for.

``Standard.decide`` (and ``evaluate``, for the findings it does not need to explain)
reads a criterion's status from a *twin*: a function registered per check kind that
computes the status alone, without building an outcome (``checks._base.status_kind``).
A twin is a second implementation of a decision, so it is held to the first here: on
evidence steered to every status and boundary (``standards.testing.evidence_for``) and
on hostile values written at every path a standard reads, the twin's status must equal
the status of the check's own outcome, computed both with and without detail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import standards
from standards.checks import REGISTRY
from standards.checks._base import STATUS_REGISTRY, Ctx
from standards.evidence import Evidence
from standards.testing import AS_OF, evidence_for

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STANDARDS = [
    *((sid, path) for sid, _, path in standards.bundled()),
    ("all-kinds", HERE / "all-kinds.yaml"),
    ("bench-51", ROOT / "benchmarks" / "standard_51.yaml"),
]
PER_STANDARD = 25
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


def _disagreements(std: standards.Standard, record: Any, as_of: date) -> dict[str, tuple[str, str, str]]:
    """Criterion → (twin, quick outcome, detailed outcome) wherever the three differ."""
    ev = Evidence.from_data(record)
    quick, detail = Ctx(ev, as_of, False), Ctx(ev, as_of, True)
    out = {}
    for cc in std.compiled.criteria:
        seen = (cc.status(quick), cc.run(quick).status, cc.run(detail).status)
        if len(set(seen)) != 1:
            out[cc.id] = seen
    return out


#: Values a record may hold where a number, a count, a list or a flag is expected.
HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 15),
    st.sampled_from([0, 1, 4, 12, 100, 12937, 10**20, 10**23, -(10**23)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 1.0, 1.0000000001, 0.9999999999,
                     0.30000000000000004, 3.0, 60.0, 1e23, -0.0]),
    st.sampled_from(["87%", "87", "0.97", "97%", "１００％", " 75 % ", "1,000", "1,5", "1e400", "-5%", "120%",
                     "__", "XX", "", "未统计", "2011-06", "2011-06-02", "2010-09-31", "C级", "爱卫会", "true", "3"]),
    st.lists(
        st.one_of(
            st.fixed_dictionaries({}, optional={"type": st.sampled_from(["爱卫会", "专题会", "100%", "1"]),
                                                "kind": st.sampled_from(["plan", "爱卫会"]),
                                                "id": st.sampled_from(["a-1", "a-2"]),
                                                "date": st.sampled_from(["2011-06-02", "2010-09-31", "2011-06"])}),
            st.sampled_from(["烟草广告牌", "", 3, None]),
        ),
        max_size=6,
    ),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(0, 3), max_size=2),
)


def _put(tree: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    cur = tree
    for k in keys[:-1]:
        nxt = cur.get(k)
        if not isinstance(nxt, dict):
            nxt = cur[k] = {}
        cur = nxt
    cur[keys[-1]] = value


@st.composite
def hostile_record(draw: st.DrawFn, paths: list[str]) -> dict[str, Any]:
    """A record with a hostile value at some of the paths, and sometimes a scalar, a list
    or null where a path expects an object, at any step (``survey`` = 5 under
    ``survey.rate``, ``env`` = null under ``env.garbage.rate``)."""
    facts: dict[str, Any] = {}
    for path in paths:
        if draw(st.booleans()):
            _put(facts, path, draw(HOSTILE))
    if paths and draw(st.booleans()):
        keys = draw(st.sampled_from(paths)).split(".")
        if len(keys) > 1:
            step = draw(st.integers(1, len(keys) - 1))
            _put(facts, ".".join(keys[:step]), draw(st.sampled_from([5, "x", [1], True, None, [], {}])))
    return {"subject": {"id": "t", "kind": "town"}, "facts": facts}


@pytest.mark.parametrize(("sid", "path"), STANDARDS, ids=[sid for sid, _ in STANDARDS])
def test_twins_agree_on_steered_evidence(sid: str, path: Path) -> None:
    """Property: for evidence steered to every status (values at, just beside and far from
    each threshold, missing and invalid values), every criterion's twin status equals the
    status of its check's outcome, quick and detailed."""
    std = standards.load(path)

    @settings(max_examples=min(settings().max_examples, PER_STANDARD), deadline=None, suppress_health_check=SLOW)
    @given(record=evidence_for(std))
    def check(record: dict[str, Any]) -> None:
        assert _disagreements(std, record, AS_OF) == {}

    check()


@pytest.mark.parametrize(("sid", "path"), STANDARDS, ids=[sid for sid, _ in STANDARDS])
def test_twins_agree_on_hostile_values(sid: str, path: Path) -> None:
    """Property: with any of a catalogue of hostile values (NaN, 1e23 against an int, "１００％",
    "1,5", blanks, lists of odd items, a scalar where an object belongs) at the paths the
    standard reads, every criterion's twin status equals its check's outcome status."""
    std = standards.load(path)
    paths = sorted({p for cc in std.compiled.criteria for p in cc.paths})

    @settings(max_examples=min(settings().max_examples, 2 * PER_STANDARD), deadline=None, suppress_health_check=SLOW)
    @given(record=hostile_record(paths))
    def check(record: dict[str, Any]) -> None:
        assert _disagreements(std, record, AS_OF) == {}

    check()


def test_twins_are_registered_only_for_known_kinds() -> None:
    """A twin registered under a kind with no check would never be held to anything."""
    assert set(STATUS_REGISTRY) <= set(REGISTRY)
    assert {"value", "ratio", "count", "exists", "absent", "compare", "all", "any", "not"} <= set(STATUS_REGISTRY)


@pytest.mark.parametrize(
    ("check", "facts", "status"),
    [
        ({"kind": "value", "path": "r", "min": "97%"}, {"r": 0.97}, "pass"),
        ({"kind": "value", "path": "r", "min": "97%"}, {"r": 0.9699999999999999}, "fail"),
        ({"kind": "value", "path": "r", "min": 0.3}, {"r": 0.30000000000000004}, "pass"),
        ({"kind": "value", "path": "r", "max": "3%"}, {"r": "3%"}, "pass"),
        ({"kind": "ratio", "numerator": "n", "denominator": "d", "min": "97%"}, {"n": 12549, "d": 12937}, "pass"),
        ({"kind": "ratio", "numerator": "n", "denominator": "d", "min": "97%"}, {"n": "12548", "d": "12,937"}, "fail"),
        ({"kind": "ratio", "numerator": "n", "denominator": "d", "min": "97%"}, {"n": 97, "d": 100.0}, "pass"),
        ({"kind": "count", "path": "m", "min": 2, "where": {"type": "1"}}, {"m": [{"type": 1}, {"type": "1"}]}, "pass"),
        ({"kind": "absent", "path": "x"}, {"x": 1e23}, "fail"),
        ({"kind": "compare", "left": "a", "op": ">=", "right": "b"}, {"a": 1e23, "b": 10**23}, "pass"),
    ],
)
def test_twins_at_the_boundary(
    make_standard: Callable[..., standards.Standard], check: dict[str, Any], facts: dict[str, Any], status: str
) -> None:
    """The boundaries the twins decide without fractions, against answers worked out by hand
    (12549/12937 is 97.0%; 1e23 written as a float is 10**23 as written)."""
    std = make_standard([{"check": check}])
    record = {"subject": {"id": "t"}, "facts": facts}
    assert std.decide(record, as_of=AS_OF).statuses["c0"] == status
    assert std.evaluate(record, as_of=AS_OF).findings[0].status == status
