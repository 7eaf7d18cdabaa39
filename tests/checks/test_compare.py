"""``compare``: left op right, paths or literals on either side."""

from __future__ import annotations

import pytest

AT_LEAST = {"kind": "compare", "left": "cleaners", "op": ">=", "right": "villages"}


@pytest.mark.parametrize(
    ("op", "left", "right", "status"),
    [
        (">=", 5, 5, "pass"),
        (">=", 6, 5, "pass"),
        (">=", 4, 5, "fail"),
        (">", 5, 5, "fail"),
        ("<=", 5, 5, "pass"),
        ("<", 5, 5, "fail"),
        ("==", 5, 5, "pass"),
        ("!=", 5, 5, "fail"),
        ("==", 0.3, "30%", "pass"),
        ("==", 0.1, "10%", "pass"),
        (">=", "2011-06-02", "2011-06-01", "pass"),
        ("<", "2011-06-02", "2011-06-01", "fail"),
        ("==", "组长", "组长", "pass"),
        ("!=", "组长", "保洁员", "pass"),
        ("==", True, True, "pass"),
    ],
)
def test_each_operator_decides_field_against_field(judge, op, left, right, status):
    check = {"kind": "compare", "left": "a", "op": op, "right": "b"}
    assert judge(check, {"a": left, "b": right}).status == status


def test_reports_the_difference(judge, gap_of):
    f = judge(AT_LEAST, {"cleaners": 3, "villages": 5})
    assert f.status == "fail"
    gap = f.outcome.gap
    assert (gap["kind"], gap["amount"], gap["left_minus_right"]) == ("difference", 2, -2)
    assert gap_of(f) == "相差 2"
    assert "cleaners = 3" in f.explanation("zh") and "villages = 5" in f.explanation("en")


def test_a_percentage_difference_reads_as_a_percentage(judge, gap_of):
    check = {"kind": "compare", "left": "rate", "op": "<=", "right": "75%"}
    f = judge(check, {"rate": 0.8})
    assert f.status == "fail"
    assert f.outcome.gap["amount"] == 0.05
    assert gap_of(f) == "相差 5%"
    assert f.explanation("zh") == "rate = 0.8 <= 75% 不成立"


def test_dates_differ_by_days(judge, gap_of):
    check = {"kind": "compare", "left": "done", "op": "<=", "right": "due"}
    f = judge(check, {"done": "2011-06-05", "due": "2011-06-01"})
    assert f.status == "fail"
    assert f.outcome.gap["amount"] == 4
    assert gap_of(f) == "相差 4 天"


def test_a_literal_may_be_a_parameter(judge):
    check = {"kind": "compare", "left": "n", "op": ">=", "right": "$n_min"}
    assert judge(check, {"n": 3}, parameters={"n_min": 4}).status == "fail"
    assert judge(check, {"n": 4}, parameters={"n_min": 4}).status == "pass"


@pytest.mark.parametrize("facts", [{"villages": 5}, {"cleaners": 3}, {"cleaners": None, "villages": 5}])
def test_either_side_absent_or_null_is_missing_evidence(judge, facts):
    f = judge(AT_LEAST, facts)
    assert f.status == "missing_evidence"
    missing = "cleaners" if facts.get("cleaners") is None else "villages"
    assert f.outcome.gap["paths"] == [missing]


@pytest.mark.parametrize(
    ("left", "right", "blamed"),
    [
        ("__", 5, "cleaners"),
        (3, "XX", "villages"),
        ("", 5, "cleaners"),
        (True, 5, "cleaners"),
        (3, True, "villages"),
        ("三", 5, "cleaners"),
        (3, "五", "villages"),
    ],
)
def test_invalid_evidence_names_the_side_to_correct(judge, left, right, blamed):
    f = judge(AT_LEAST, {"cleaners": left, "villages": right})
    assert f.status == "invalid_evidence"
    assert f.outcome.gap["paths"] == [blamed]


@pytest.mark.parametrize(("done", "blamed"), [("2011-09-31", "done"), ("2011-13-01", "done")])
def test_an_impossible_date_is_invalid_and_blamed(judge, done, blamed):
    check = {"kind": "compare", "left": "done", "op": "<=", "right": "due"}
    f = judge(check, {"done": done, "due": "2011-10-01"})
    assert f.status == "invalid_evidence"
    assert f.outcome.gap["paths"] == [blamed]


def test_text_cannot_be_ordered(judge):
    check = {"kind": "compare", "left": "a", "op": "<", "right": "b"}
    assert judge(check, {"a": "组长", "b": "保洁员"}).status == "invalid_evidence"


def test_a_plain_number_above_one_against_a_percentage_is_invalid(judge):
    check = {"kind": "compare", "left": "rate", "op": ">=", "right": "75%"}
    f = judge(check, {"rate": 87})
    assert f.status == "invalid_evidence"
    assert "0.87" in f.explanation("zh") and '"87%"' in f.explanation("en")
    assert judge(check, {"rate": "87%"}).status == "pass"
    assert judge(check, {"rate": 0.87}).status == "pass"


def test_not_applicable_when_the_guard_fails(judge, guard):
    f = judge(AT_LEAST, {"cleaners": 1, "villages": 5, "has_school": False}, criterion=guard)
    assert f.status == "not_applicable"


def test_a_side_under_a_non_object_is_invalid(judge):
    check = {"kind": "compare", "left": "a.n", "op": ">=", "right": "b"}
    f = judge(check, {"a": 5, "b": 1})
    assert f.status == "invalid_evidence"
    assert f.outcome.gap["paths"] == ["a.n"]
