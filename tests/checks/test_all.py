"""``all``: every child passes.

Three-valued: it fails as soon as one child fails; if none fails but one is undecided
it is undecided (invalid before missing, because wrong data must be corrected before
more is collected); otherwise it passes. The table test builds every combination of
up to three children from four checks of known status and compares with that rule
written out independently.
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


def expected_all(statuses):
    for s in ("fail", "invalid_evidence", "missing_evidence"):
        if s in statuses:
            return s
    return "pass"


@pytest.mark.parametrize("combo", COMBOS, ids=ids)
def test_all_is_three_valued(judge, combo):
    f = judge({"kind": "all", "checks": [CHILD[s] for s in combo]}, FACTS)
    assert f.status == expected_all(combo)


def test_all_fail_names_only_the_failing_children(judge):
    check = {"kind": "all", "checks": [CHILD["pass"], CHILD["fail"], CHILD["missing_evidence"]]}
    f = judge(check, FACTS)
    assert f.explanation("zh") == "未满足:F"
    assert f.explanation("en") == "not met: F"
    assert [c["check"] for c in f.outcome.gap["items"]] == ["F", "M"]


def test_all_undecided_names_invalid_and_missing_children_apart(judge):
    check = {"kind": "all", "checks": [CHILD["missing_evidence"], CHILD["invalid_evidence"]]}
    f = judge(check, FACTS)
    assert f.status == "invalid_evidence"
    assert f.explanation("zh") == "无法判定:I 证据无效;M 缺少证据"
    assert f.explanation("en") == "undecided: invalid evidence for I; no evidence for M"


def test_the_gap_collects_each_unmet_childs_own_gap(judge, gap_of):
    ratio = {"kind": "ratio", "numerator": "a", "denominator": "b", "min": "97%", "unit": "户"}
    check = {"kind": "all", "checks": [CHILD["fail"], ratio]}
    f = judge(check, {**FACTS, "a": 12433, "b": 12937})
    items = f.outcome.gap["items"]
    assert [(c["check"], c["kind"]) for c in items] == [("F", "short_by"), ("ratio[1]", "more_needed")]
    assert items[1]["amount"] == 116
    assert "116户" in gap_of(f)


def test_children_appear_in_the_finding(judge):
    check = {"kind": "all", "checks": [CHILD["pass"], CHILD["fail"]]}
    children = judge(check, FACTS).to_dict("en")["children"]
    assert [(c["check"], c["status"]) for c in children] == [("P", "pass"), ("F", "fail")]


def test_not_applicable_when_the_guard_fails(judge, guard):
    check = {"kind": "all", "checks": [CHILD["fail"]]}
    f = judge(check, {**FACTS, "has_school": False}, criterion=guard)
    assert f.status == "not_applicable"


def test_a_null_fact_is_missing_not_a_fail(judge):
    check = {"kind": "all", "checks": [CHILD["pass"], {"kind": "value", "path": "n", "min": 1}]}
    f = judge(check, {**FACTS, "n": None})
    assert f.status == "missing_evidence"
    assert f.outcome.gap["items"][0]["paths"] == ["n"]
