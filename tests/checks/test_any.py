"""``any``: at least one child passes — the dual of ``all``.

It passes as soon as one child passes; if none passes but one is undecided it is
undecided (invalid before missing); otherwise it fails.
"""

from __future__ import annotations

from itertools import product

import pytest

FACTS = {"p": 1, "f": 0, "i": "__"}  # "m" is absent
CHILD = {
    "pass": {"kind": "value", "path": "p", "min": 1, "title": "P"},
    "fail": {"kind": "value", "path": "f", "min": 1, "title": "F"},
    "missing_evidence": {"kind": "value", "path": "m", "min": 1, "title": "M"},
    "invalid_evidence": {"kind": "value", "path": "i", "min": 1, "title": "I"},
}

COMBOS = [c for n in (1, 2, 3) for c in product(CHILD, repeat=n)]


def ids(combo):
    return "+".join(CHILD[s]["title"] for s in combo)


def expected_any(statuses):
    for s in ("pass", "invalid_evidence", "missing_evidence"):
        if s in statuses:
            return s
    return "fail"


@pytest.mark.parametrize("combo", COMBOS, ids=ids)
def test_any_is_three_valued(judge, combo):
    f = judge({"kind": "any", "checks": [CHILD[s] for s in combo]}, FACTS)
    assert f.status == expected_any(combo)


def test_any_pass_names_the_child_that_holds(judge):
    check = {"kind": "any", "checks": [CHILD["fail"], CHILD["pass"]]}
    f = judge(check, FACTS)
    assert "P" in f.explanation("zh") and "F" not in f.explanation("zh")
    assert f.outcome.gap is None


def test_any_undecided_names_the_children_that_could_still_hold(judge):
    check = {"kind": "any", "checks": [CHILD["fail"], CHILD["missing_evidence"]]}
    f = judge(check, FACTS)
    assert f.status == "missing_evidence"
    assert "M" in f.explanation("zh") and "M" in f.explanation("en")


def test_not_applicable_when_the_guard_fails(judge, guard):
    check = {"kind": "any", "checks": [CHILD["fail"]]}
    f = judge(check, {**FACTS, "has_school": False}, criterion=guard)
    assert f.status == "not_applicable"


def test_any_fail_says_none_holds(judge):
    f = judge({"kind": "any", "checks": [CHILD["fail"], CHILD["fail"]]}, FACTS)
    assert f.status == "fail"
    assert f.explanation("zh") == "2项均不满足"
    assert [c["status"] for c in f.outcome.gap["items"]] == ["fail", "fail"]


def test_any_invalid_also_names_missing_children(judge):
    check = {"kind": "any", "checks": [CHILD["missing_evidence"], CHILD["invalid_evidence"]]}
    f = judge(check, FACTS)
    assert f.status == "invalid_evidence"
    assert f.explanation("en") == ("undecided: none holds so far, and the evidence for I is invalid; no evidence for M")


def test_a_null_fact_is_missing_not_a_fail(judge):
    check = {"kind": "any", "checks": [CHILD["fail"], {"kind": "value", "path": "n", "min": 1}]}
    assert judge(check, {**FACTS, "n": None}).status == "missing_evidence"
