"""Differential testing: for every bundled standard, the durable and native engines give the same report.

Evidence comes from ``standards.testing.evidence_for`` (every criterion steered to a random
status, with missing, invalid and boundary values); waivers are drawn too — active,
expired, for another subject, for an unknown criterion. The JSON reports must be equal
byte for byte, ``"engine"`` aside. Any status the two engines decide differently raises
EngineDisagreement inside the durable engine, so a failure here names the criterion.

Bounded for CI: at most :data:`PER_STANDARD` examples per standard (fewer under a
smaller Hypothesis profile), about 30 s for all bundled standards on two cores.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import standards
from standards.engines import durable as engine
from standards.testing import AS_OF, evidence_for

UNAVAILABLE = engine.available()
pytestmark = pytest.mark.skipif(UNAVAILABLE is not None, reason=f"durable-rules unavailable: {UNAVAILABLE}")

PER_STANDARD = 20
BUNDLED = [(sid, path) for sid, _, path in standards.bundled()]


def waivers_for(std: standards.Standard) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Up to three waivers: some active on AS_OF, some expired, some not for this subject."""
    ids = [c.id for c in std.criteria]
    one = st.fixed_dictionaries(
        {
            "criterion": st.sampled_from([*ids, "no.such-criterion"]),
            "justification": st.just("经批准的临时豁免"),
            "until": st.integers(-3, 3).map(lambda d: (AS_OF + timedelta(days=d)).isoformat()),
        },
        optional={"subject": st.sampled_from(["generated", "another-village"]), "approved_by": st.just("县爱卫办")},
    )
    return st.lists(one, max_size=3)


def engines_agree(std: standards.Standard, max_examples: int) -> None:
    """On generated evidence and waivers, the durable report is the native report (``"engine"`` aside)."""

    @settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )
    @given(record=evidence_for(std), waivers=waivers_for(std))
    def check(record: dict[str, Any], waivers: list[dict[str, Any]]) -> None:
        native = std.evaluate(record, as_of=AS_OF, waivers=waivers)
        rete = std.evaluate(record, as_of=AS_OF, waivers=waivers, engine="durable")
        assert rete.to_json() == dataclasses.replace(native, engine="durable").to_json()

    check()


@pytest.mark.parametrize(("sid", "path"), BUNDLED, ids=[sid for sid, _ in BUNDLED])
def test_durable_report_is_the_native_report(sid: str, path: Any) -> None:
    engines_agree(standards.load(path), min(settings().max_examples, PER_STANDARD))


def test_every_bundled_standard_is_covered() -> None:
    assert len(BUNDLED) >= 15


#: Every check kind and rule family, including those few bundled standards use (age,
#: trend, meets, one_of, grade, documents, multi-part values, deep nesting).
EVERY_KIND: list[dict[str, Any]] = [
    {"check": {"kind": "value", "path": "v.range", "min": "20%", "max": "80%"}, "deduct": {"per": "5%", "points": 0.5},
     "points": 3},
    {"check": {"kind": "value", "path": "v.code", "one_of": ["01", 2, "30%"]}},
    {"check": {"kind": "value", "path": "v.score", "min": 60, "equals": 80}},
    {"check": {"kind": "value", "path": "v.flag", "equals": True}, "mandatory": True},
    {"check": {"kind": "ratio", "numerator": "r.n", "denominator": "r.d", "min": "$share", "max": "99%"}},
    {"check": {"kind": "count", "path": "items", "where": {"ok": True}, "min": 2, "max": 5}},
    {"check": {"kind": "exists", "document": "plan", "within": "P1Y"}},
    {"check": {"kind": "absent", "path": "ads", "where": {"type": "tobacco"}}},
    {"check": {"kind": "periodic", "event": "meeting", "every": "P3M", "over": "P1Y", "grace": "P10D"}},
    {"check": {"kind": "age", "path": "title.awarded", "min": "P1Y", "max": "P5Y"}},
    {"check": {"kind": "grade", "path": "grade", "scale": ["A", "B", "C", "D"], "min": "B"}},
    {"check": {"kind": "compare", "left": "dates.done", "op": "<=", "right": "dates.due"}},
    {"check": {"kind": "compare", "left": "money.this", "op": ">", "right": "money.last"}},
    {"check": {"kind": "trend", "path": "series", "direction": "not_rising", "last": 4}},
    {"check": {"kind": "each", "units": "village", "min_share": "60%", "check": {"kind": "all", "checks": [
        {"kind": "exists", "path": "clinic"}, {"kind": "value", "path": "rate", "min": "50%"}]}}},
    {"check": {"kind": "meets", "standard": "js.health-village", "units": "village", "min_share": "50%"}},
    {"check": {"kind": "any", "checks": [
        {"kind": "not", "check": {"kind": "exists", "path": "x.a"}},
        {"kind": "all", "checks": [{"kind": "value", "path": "x.b", "max": 3}, {"kind": "absent", "path": "x.c"}]},
        {"kind": "value", "path": "x.d", "one_of": ["y", "z"]}]},
     "applies_when": {"kind": "any", "checks": [{"kind": "exists", "path": "g.a"}, {"kind": "count", "path": "g.b",
                                                                                     "min": 1}]},
     "fresh_within": "P6M", "mandatory": True},
]


def test_every_check_kind(make_standard: Any) -> None:
    std = make_standard(EVERY_KIND, parameters={"share": "75%"}, scoring={"method": "points", "pass_mark": "60%"},
                        standard={"id": "test.every-kind", "title": "每一种检查", "version": "1",
                                  "applies_to": ["town"]})
    engines_agree(std, settings().max_examples)
