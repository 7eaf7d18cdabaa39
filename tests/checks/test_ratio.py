"""``ratio``: numerator / denominator against min / max, e.g. 卫生厕所普及率."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

TOILETS = {
    "kind": "ratio",
    "numerator": "households.sanitary_toilet",
    "denominator": "households.total",
    "min": "97%",
    "unit": "户",
}


def households(sanitary, total):
    return {"households": {"sanitary_toilet": sanitary, "total": total}}


def test_reports_how_many_more_numerator_units_are_needed(judge, gap_of):
    f = judge(TOILETS, households(12433, 12937))
    assert f.status == "fail"
    need = math.ceil(Fraction(97, 100) * 12937) - 12433
    assert need == 116
    gap = f.outcome.gap
    assert (gap["kind"], gap["amount"], gap["target"], gap["of"]) == ("more_needed", 116, 12549, 12937)
    assert gap["display"] == "116户"
    assert gap_of(f) == "还差 116户(需达到 12549/12937)"
    assert gap_of(f, "en") == "116 户 more needed (12549 of 12937)"


def test_explanation_shows_the_counts_and_the_rate(judge):
    f = judge(TOILETS, households(12433, 12937))
    assert "12433/12937" in f.explanation("zh") and "96.10%" in f.explanation("zh")
    assert "96.10%" in f.explanation("en") and "97%" in f.explanation("en")
    assert f.to_dict()["observed"] == pytest.approx(0.961042, abs=1e-6)


@pytest.mark.parametrize(
    ("n", "d", "bound"),
    [
        (3, 4, "75%"),
        (7, 10, "70%"),
        (12433, 12937, "96.10%"),
        (1, 8, "12.5%"),
        (3, 40, 0.075),
        (2400, 2500, "96%"),
        (29, 100, "29%"),
    ],
)
def test_exactly_at_the_minimum_passes(judge, n, d, bound):
    assert judge({**TOILETS, "min": bound}, households(n, d)).status == "pass"


def test_one_household_short_of_an_odd_percentage_is_one_more(judge):
    f = judge({**TOILETS, "min": "96.11%"}, households(12433, 12937))
    assert f.status == "fail"
    assert f.outcome.gap["amount"] == 1


@pytest.mark.parametrize(("n", "d", "bound"), [(3, 4, "75%"), (7, 10, "70%"), (1, 10, "10%")])
def test_exactly_at_the_maximum_passes(judge, n, d, bound):
    check = {"kind": "ratio", "numerator": "a", "denominator": "b", "max": bound}
    assert judge(check, {"a": n, "b": d}).status == "pass"


def test_above_the_maximum_reports_how_many_fewer(judge, gap_of):
    check = {"kind": "ratio", "numerator": "a", "denominator": "b", "max": "10%", "unit": "户"}
    f = judge(check, {"a": 3, "b": 10})
    assert f.status == "fail"
    assert (f.outcome.gap["kind"], f.outcome.gap["amount"], f.outcome.gap["target"]) == (
        "fewer_needed",
        2,
        1,
    )
    assert gap_of(f) == "需减少 2户(至多 1/10)"


def test_counts_written_as_text_are_read_as_numbers(judge):
    f = judge(TOILETS, households("12433", "12937"))
    assert f.status == "fail"
    assert f.outcome.gap["amount"] == 116
    assert f.outcome.gap["of"] == 12937
    assert isinstance(f.outcome.gap["of"], int)


@pytest.mark.parametrize(
    "facts",
    [
        households(None, 12937),
        households(12433, None),
        {"households": {"total": 12937}},
        {"households": None},
        {},
    ],
)
def test_absent_or_null_parts_are_missing_evidence(judge, facts):
    assert judge(TOILETS, facts).status == "missing_evidence"


def test_a_zero_denominator_is_missing_evidence_not_a_division_error(judge):
    f = judge(TOILETS, households(0, 0))
    assert f.status == "missing_evidence"
    assert f.outcome.gap["paths"] == ["households.total"]
    assert "0" in f.explanation("zh")


@pytest.mark.parametrize("bad", ["__", "XX", "", "约一万", True])
@pytest.mark.parametrize("side", ["numerator", "denominator"])
def test_blanks_text_and_booleans_are_invalid_evidence(judge, bad, side):
    facts = households(bad, 12937) if side == "numerator" else households(12433, bad)
    f = judge(TOILETS, facts)
    assert f.status == "invalid_evidence"
    assert f.outcome.gap["kind"] == "correct"
    assert f.outcome.gap["paths"] == [TOILETS[side]]


def test_invalid_outranks_missing(judge):
    assert judge(TOILETS, households("__", None)).status == "invalid_evidence"


@pytest.mark.parametrize(("n", "d"), [(13000, 12937), (-1, 12937), (5, -10)])
def test_an_impossible_rate_is_invalid(judge, n, d):
    f = judge(TOILETS, households(n, d))
    assert f.status == "invalid_evidence"


def test_the_bound_may_be_a_parameter(judge):
    check = {**TOILETS, "min": "$toilet_min"}
    passed = judge(check, households(12433, 12937), parameters={"toilet_min": "96%"})
    assert passed.status == "pass"
    failed = judge(check, households(12433, 12937), parameters={"toilet_min": "97%"})
    assert failed.to_dict()["expected"] == {"min": 0.97}


def test_partial_credit_is_charged_per_percentage_point_not_per_household(judge):
    """SPEC §1: deduct {per: 1%, points: 0.5} on 75% vs 77% costs 2 × 0.5 of 4 points."""
    check = {"kind": "ratio", "numerator": "a", "denominator": "b", "min": "77%"}
    crit = {"points": 4, "deduct": {"per": "1%", "points": 0.5}}
    f = judge(check, {"a": 300, "b": 400}, criterion=crit)
    assert f.status == "fail"
    assert f.outcome.gap["amount"] == 8  # households
    assert f.outcome.gap["short_by"] == 0.02  # the rate
    assert f.earned == 3.0


def test_not_applicable_when_the_guard_fails(judge, guard):
    f = judge(TOILETS, {**households(1, 10), "has_school": False}, criterion=guard)
    assert f.status == "not_applicable"
    assert f.to_dict()["points"] == {"earned": 0, "possible": 0}
