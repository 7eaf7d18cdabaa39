"""``not``: the child fails. Pass and fail swap; undecided stays undecided."""

from __future__ import annotations

import pytest

FACTS = {"p": 1, "f": 0, "i": "__"}  # "m" is absent
CHILD = {
    "pass": {"kind": "value", "path": "p", "min": 1, "title": "P"},
    "fail": {"kind": "value", "path": "f", "min": 1, "title": "F"},
    "missing_evidence": {"kind": "value", "path": "m", "min": 1, "title": "M"},
    "invalid_evidence": {"kind": "value", "path": "i", "min": 1, "title": "I"},
}


@pytest.mark.parametrize(
    ("child", "status"),
    [
        ("pass", "fail"),
        ("fail", "pass"),
        ("missing_evidence", "missing_evidence"),
        ("invalid_evidence", "invalid_evidence"),
    ],
)
def test_not_swaps_pass_and_fail_and_keeps_undecided(judge, child, status):
    assert judge({"kind": "not", "check": CHILD[child]}, FACTS).status == status


def test_not_fail_asks_to_make_the_child_false(judge, gap_of):
    f = judge({"kind": "not", "check": CHILD["pass"]}, FACTS)
    assert f.outcome.gap == {"kind": "negate", "check": "P"}
    assert gap_of(f) == "使 P 不再成立"
    assert "P" in f.explanation("en")


def test_not_undecided_passes_on_what_the_child_lacks(judge):
    f = judge({"kind": "not", "check": CHILD["missing_evidence"]}, FACTS)
    assert f.outcome.gap == {"kind": "supply", "paths": ["m"]}


def test_nested_logic(judge):
    inner = {"kind": "all", "checks": [CHILD["pass"], CHILD["fail"]]}
    assert judge({"kind": "not", "check": inner}, FACTS).status == "pass"
    outer = {"kind": "any", "checks": [inner, {"kind": "not", "check": CHILD["missing_evidence"]}]}
    assert judge(outer, FACTS).status == "missing_evidence"


def test_not_is_not_applicable_when_the_guard_fails(judge, guard):
    f = judge({"kind": "not", "check": CHILD["pass"]}, {**FACTS, "has_school": False}, criterion=guard)
    assert f.status == "not_applicable"


def test_a_null_fact_stays_missing(judge):
    f = judge({"kind": "not", "check": {"kind": "value", "path": "n", "min": 1}}, {**FACTS, "n": None})
    assert f.status == "missing_evidence"
