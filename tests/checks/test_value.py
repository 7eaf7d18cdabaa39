"""``value``: a fact against min / max / equals / one_of."""

from __future__ import annotations

import pytest

MIN75 = {"kind": "value", "path": "rate", "min": "75%"}


@pytest.mark.parametrize("raw", [0.75, "75%", 0.9, "90%", 1])
def test_passes_at_or_above_a_percentage_minimum(judge, raw):
    f = judge(MIN75, {"rate": raw})
    assert f.status == "pass"
    assert f.outcome.gap is None


def test_fails_below_the_minimum_and_reports_the_distance(judge, gap_of):
    f = judge(MIN75, {"rate": 0.7})
    assert f.status == "fail"
    assert f.outcome.gap["kind"] == "short_by"
    assert f.outcome.gap["amount"] == 0.05  # exact: not 0.050000000000000044
    assert gap_of(f) == "差 5%"
    assert gap_of(f, "en") == "short by 5%"


def test_fails_above_the_maximum_and_reports_the_excess_with_its_unit(judge, gap_of):
    f = judge({"kind": "value", "path": "n", "max": 3, "unit": "个"}, {"n": 5})
    assert f.status == "fail"
    assert f.outcome.gap["kind"] == "over_by"
    assert f.outcome.gap["amount"] == 2
    assert gap_of(f) == "超出 2个"
    assert gap_of(f, "en") == "over by 2 个"


@pytest.mark.parametrize(
    ("bound", "raw"),
    [
        ({"min": "70%"}, 0.7),
        ({"min": "70%"}, "70%"),
        ({"min": 0.7}, "70%"),
        ({"max": "70%"}, 0.7),
        ({"min": "30%"}, 0.3),
        ({"max": 0.3}, "30%"),
        ({"min": "96.10%"}, 0.961),
        ({"min": 3}, 3),
        ({"max": 3}, 3.0),
        ({"min": "30%", "max": "40%"}, 0.3),
        ({"min": "30%", "max": "40%"}, 0.4),
    ],
)
def test_a_value_equal_to_the_bound_passes_without_float_drift(judge, bound, raw):
    assert judge({"kind": "value", "path": "v", **bound}, {"v": raw}).status == "pass"


def test_just_outside_a_range_fails_on_the_side_it_leaves(judge):
    check = {"kind": "value", "path": "v", "min": "30%", "max": "40%"}
    over = judge(check, {"v": 0.41})
    assert (over.status, over.outcome.gap["kind"], over.outcome.gap["amount"]) == (
        "fail",
        "over_by",
        0.01,
    )
    under = judge(check, {"v": 0.29})
    assert (under.status, under.outcome.gap["kind"]) == ("fail", "short_by")


@pytest.mark.parametrize("facts", [{}, {"rate": None}, {"survey": None}])
def test_absent_or_null_is_missing_evidence_never_zero(judge, facts, gap_of):
    f = judge({"kind": "value", "path": "rate", "min": "75%"}, facts)
    assert f.status == "missing_evidence"
    assert f.outcome.gap == {"kind": "supply", "paths": ["rate"]}
    assert "rate" in f.explanation("zh") and "rate" in f.explanation("en")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("__", "模板空白"),
        ("XX", "模板空白"),
        ("", "模板空白"),
        ("约八成", "不是数值"),
        (True, "不是数值"),
        (False, "不是数值"),
        ([0.8], "不是数值"),
        (float("inf"), "不是有限数值"),
    ],
)
def test_blanks_text_and_booleans_are_invalid_evidence(judge, raw, words):
    f = judge(MIN75, {"rate": raw})
    assert f.status == "invalid_evidence"
    assert words in f.explanation("zh")
    assert f.outcome.gap == {"kind": "correct", "paths": ["rate"]}


def test_a_parent_that_is_not_an_object_is_invalid(judge):
    f = judge({"kind": "value", "path": "survey.rate", "min": "75%"}, {"survey": 5})
    assert f.status == "invalid_evidence"


@pytest.mark.parametrize(
    ("raw", "fraction", "percent"),
    [(87, "0.87", "87%"), ("87", "0.87", "87%"), (150, "1.5", "150%"), (87.5, "0.875", "87.5%")],
)
def test_a_plain_number_above_one_against_a_percentage_is_invalid(judge, raw, fraction, percent):
    f = judge(MIN75, {"rate": raw})
    assert f.status == "invalid_evidence"
    for lang in ("zh", "en"):
        text = f.explanation(lang)
        assert fraction in text and f'"{percent}"' in text, text


def test_the_same_number_written_as_a_percent_passes(judge):
    f = judge(MIN75, {"rate": "87%"})
    assert f.status == "pass"
    assert "87%" in f.explanation("zh") and "87%" in f.explanation("en")


def test_a_plain_number_above_one_is_fine_against_a_plain_bound(judge):
    assert judge({"kind": "value", "path": "n", "min": 2}, {"n": 87}).status == "pass"


@pytest.mark.parametrize(
    ("equals", "raw"),
    [("100%", 1), ("100%", "100%"), (1, "1"), (1, 1.0), ("70%", 0.7), (0.7, "70%"), ("有", "有")],
)
def test_equals_compares_numbers_and_percentages_by_value(judge, equals, raw):
    assert judge({"kind": "value", "path": "v", "equals": equals}, {"v": raw}).status == "pass"


@pytest.mark.parametrize(("equals", "raw"), [(True, 1), ("01", "1"), ("有", "无"), (1, "一")])
def test_equals_does_not_conflate_booleans_codes_or_words(judge, equals, raw, gap_of):
    f = judge({"kind": "value", "path": "v", "equals": equals}, {"v": raw})
    assert f.status == "fail"
    assert f.outcome.gap["kind"] == "change_to"


def test_equals_a_percentage_rejects_a_plain_number_above_one(judge):
    f = judge({"kind": "value", "path": "v", "equals": "100%"}, {"v": 100})
    assert f.status == "invalid_evidence"


def test_one_of_names_the_allowed_values(judge, gap_of):
    check = {"kind": "value", "path": "v", "one_of": ["A", "B"]}
    assert judge(check, {"v": "B"}).status == "pass"
    f = judge(check, {"v": "C"})
    assert f.status == "fail"
    assert gap_of(f) == "应为 ∈ {A, B}"


@pytest.mark.parametrize("raw", ["__", "XX", ""])
def test_a_template_blank_is_invalid_even_for_text_comparisons(judge, raw):
    f = judge({"kind": "value", "path": "v", "equals": "有"}, {"v": raw})
    assert f.status == "invalid_evidence"


def test_bounds_come_from_parameters(judge):
    check = {"kind": "value", "path": "rate", "min": "$rate_min"}
    f = judge(check, {"rate": 0.8}, parameters={"rate_min": "85%"})
    assert f.status == "fail"
    assert f.to_dict()["expected"] == {"min": 0.85}


def test_not_applicable_when_the_guard_fails(judge, guard):
    f = judge(MIN75, {"rate": 0.1, "has_school": False}, criterion=guard)
    assert f.status == "not_applicable"
    assert "不适用" in f.explanation("zh") and "not applicable" in f.explanation("en")


def test_explanations_in_both_languages_name_the_observed_value(judge):
    f = judge(MIN75, {"rate": 0.7})
    assert "70%" in f.explanation("zh") and "未达到" in f.explanation("zh")
    assert "70%" in f.explanation("en") and "does not meet" in f.explanation("en")
    assert f.to_dict("zh")["observed"] == 0.7


@pytest.mark.parametrize(("collected", "status"), [("2011-09-01", "pass"), ("2010-10-15", "missing_evidence")])
def test_evidence_older_than_fresh_within_counts_as_missing(judge, collected, status):
    record = {"facts": {"rate": 0.8}, "provenance": {"rate": {"source": "doc-2", "collected": collected}}}
    f = judge(MIN75, record=record, criterion={"fresh_within": "P1Y"})
    assert f.status == status
    if status == "missing_evidence":
        assert f.outcome.gap == {"kind": "stale", "paths": ["rate"]}
        assert f.to_dict()["observed"] == 0.8  # the measured value is kept


@pytest.mark.parametrize(("raw", "shown"), [("0.8", "80%"), (" 80 % ", "80%"), (0.8, "80%")])
def test_the_observed_value_is_shown_as_read(judge, raw, shown):
    f = judge(MIN75, {"rate": raw})
    assert f.status == "pass"
    assert f.explanation("zh") == f"rate = {shown},达到 ≥ 75%"


def test_thousands_separators_are_read(judge):
    f = judge({"kind": "value", "path": "n", "min": 1000}, {"n": "1,000"})
    assert f.status == "pass"
    assert "1000" in f.explanation("en")


def test_a_negative_share_is_invalid_not_a_pass(judge):
    """-5% against a rate ceiling of 5% is impossible data, not compliance."""
    for raw in ("-5%", -0.05):
        f = judge({"kind": "value", "path": "rate", "max": "5%"}, {"rate": raw})
        assert f.status == "invalid_evidence"
        assert "negative" in f.explanation("en")
