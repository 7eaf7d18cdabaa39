"""``grade``: an ordinal grade on a scale, best first (鼠密度达到C级)."""

from __future__ import annotations

import pytest

RATS = {"kind": "grade", "path": "vectors.rat_density", "scale": ["A", "B", "C", "D"], "min": "C"}


def rats(grade):
    return {"vectors": {"rat_density": grade}}


@pytest.mark.parametrize("grade", ["A", "B", "C"])
def test_the_minimum_grade_or_better_passes(judge, grade):
    f = judge(RATS, rats(grade))
    assert f.status == "pass"
    assert f.to_dict()["observed"] == grade


def test_reports_the_grades_to_climb(judge, gap_of):
    f = judge(RATS, rats("D"))
    assert f.status == "fail"
    assert f.outcome.gap["kind"] == "grades_to_climb"
    assert f.outcome.gap["amount"] == 1
    assert gap_of(f) == "还需提升 1 个等级"
    assert gap_of(f, "en") == "1 grades to climb"


def test_two_grades_below_is_two_to_climb(judge):
    f = judge({**RATS, "min": "B"}, rats("D"))
    assert f.outcome.gap["amount"] == 2
    assert "D" in f.explanation("zh") and "B" in f.explanation("en")


@pytest.mark.parametrize("written", [" C ", "C级", "c", "c级"])
def test_grades_as_people_write_them(judge, written):
    f = judge(RATS, rats(written))
    assert f.status == "pass"
    assert f.to_dict()["observed"] == "C"


def test_a_numeric_scale_accepts_numbers(judge):
    check = {"kind": "grade", "path": "g", "scale": ["1", "2", "3"], "min": "2"}
    assert judge(check, {"g": 2}).status == "pass"
    assert judge(check, {"g": 3}).status == "fail"


@pytest.mark.parametrize("facts", [{}, rats(None)])
def test_absent_or_null_is_missing_evidence(judge, facts):
    assert judge(RATS, facts).status == "missing_evidence"


@pytest.mark.parametrize("raw", ["E", "__", "XX", "", "优", True, 3, ["C"]])
def test_a_grade_not_on_the_scale_is_invalid(judge, raw):
    f = judge(RATS, rats(raw))
    assert f.status == "invalid_evidence"
    assert f.outcome.gap == {"kind": "correct", "paths": ["vectors.rat_density"]}


def test_the_minimum_may_be_a_parameter(judge):
    check = {**RATS, "min": "$rat_min"}
    assert judge(check, rats("C"), parameters={"rat_min": "B"}).status == "fail"


def test_not_applicable_when_the_guard_fails(judge, guard):
    f = judge(RATS, {**rats("D"), "has_school": False}, criterion=guard)
    assert f.status == "not_applicable"
