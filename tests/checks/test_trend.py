"""``trend``: the last N points of a {period, value} series move one way."""

from __future__ import annotations

import pytest

FALLING = {"kind": "trend", "path": "smoking", "direction": "falling", "last": 3}


def series(*values, start=2018):
    return {"smoking": [{"period": str(start + i), "value": v} for i, v in enumerate(values)]}


def test_a_falling_series_passes(judge):
    f = judge(FALLING, series(0.30, 0.25, 0.21))
    assert f.status == "pass"
    assert "下降" in f.explanation("zh") and "falling" in f.explanation("en")
    assert "0.21" in f.explanation("zh")


def test_a_break_names_the_period(judge, gap_of):
    f = judge(FALLING, series(0.30, 0.31, 0.21))
    assert f.status == "fail"
    assert f.outcome.gap == {"kind": "trend_break", "periods": ["2019"]}
    assert gap_of(f) == "趋势中断于 2019"
    assert "2019" in f.explanation("en")


def test_only_the_last_n_points_count(judge):
    assert judge(FALLING, series(0.1, 0.9, 0.30, 0.25, 0.21)).status == "pass"


def test_points_are_taken_in_period_order_not_list_order(judge):
    raw = {
        "smoking": [
            {"period": "2020", "value": 0.21},
            {"period": "2018", "value": 0.3},
            {"period": "2019", "value": 0.25},
        ]
    }
    assert judge(FALLING, raw).status == "pass"


@pytest.mark.parametrize(
    ("direction", "values", "status"),
    [
        ("falling", (0.3, 0.3, 0.2), "fail"),
        ("not_rising", (0.3, 0.3, 0.2), "pass"),
        ("rising", (0.1, 0.2, 0.2), "fail"),
        ("not_falling", (0.1, 0.2, 0.2), "pass"),
        ("rising", ("10%", "20%", "30%"), "pass"),
        ("not_rising", (0.3, "30%", 0.3), "pass"),
    ],
)
def test_strict_and_loose_directions(judge, direction, values, status):
    assert judge({**FALLING, "direction": direction}, series(*values)).status == status


def test_fewer_points_than_needed_is_missing_evidence(judge):
    f = judge(FALLING, series(0.3, 0.2))
    assert f.status == "missing_evidence"
    assert "2" in f.explanation("zh") and "3" in f.explanation("zh")


@pytest.mark.parametrize("facts", [{}, {"smoking": None}])
def test_absent_or_null_is_missing_evidence(judge, facts):
    assert judge(FALLING, facts).status == "missing_evidence"


def test_a_null_point_among_the_last_n_is_missing_evidence(judge):
    f = judge(FALLING, series(0.3, None, 0.2))
    assert f.status == "missing_evidence"
    assert f.outcome.gap["paths"] == ["smoking[period=2019]"]


def test_a_null_point_before_the_last_n_does_not_matter(judge):
    assert judge(FALLING, series(None, 0.3, 0.25, 0.2)).status == "pass"


@pytest.mark.parametrize("bad", ["__", "XX", "", "较低", True])
def test_a_blank_or_non_number_among_the_last_n_is_invalid(judge, bad):
    f = judge(FALLING, series(0.3, bad, 0.2))
    assert f.status == "invalid_evidence"
    assert "2019" in f.explanation("zh")


@pytest.mark.parametrize("raw", ["__", 0.3, {"2018": 0.3}, [0.3, 0.2, 0.1], [{"value": 0.3}]])
def test_anything_but_a_list_of_period_value_points_is_invalid(judge, raw):
    assert judge(FALLING, {"smoking": raw}).status == "invalid_evidence"


def test_not_applicable_when_the_guard_fails(judge, guard):
    f = judge(FALLING, {**series(0.1, 0.2, 0.3), "has_school": False}, criterion=guard)
    assert f.status == "not_applicable"
