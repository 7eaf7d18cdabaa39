"""Verdict and score: mandatory vetoes, undecided findings weighed both ways, methods."""

from __future__ import annotations

from typing import Any

import pytest


def crit(path: str, points: float = 1, mandatory: bool = False, **kw: Any) -> dict[str, Any]:
    return {"points": points, "mandatory": mandatory, "check": {"kind": "value", "path": path, "min": 1}, **kw}


def rec(**facts: Any) -> dict[str, Any]:
    return {"subject": {"id": "s"}, "as_of": "2011-10-16", "facts": facts}


def test_mandatory_fail_dominates_a_perfect_score_elsewhere(make_standard):
    std = make_standard(
        [crit("gate", points=0, mandatory=True)] + [crit(f"x{i}", points=10) for i in range(9)],
        scoring={"method": "points", "pass_mark": "10%"},
    )
    report = std.evaluate(rec(gate=0, **{f"x{i}": 5 for i in range(9)}))
    assert report.score.earned == report.score.possible == 90
    assert report.verdict == "fail"
    assert report.deciding == ("c0",)


def test_mandatory_missing_makes_incomplete_not_pass(make_standard):
    std = make_standard(
        [crit("gate", mandatory=True), crit("x", points=10)], scoring={"method": "points", "pass_mark": "50%"}
    )
    report = std.evaluate(rec(x=5))
    assert report.verdict == "incomplete"
    assert report.deciding == ("c0",)


def test_incomplete_only_when_the_undecided_could_flip_it(make_standard):
    # 9 of 10 points pass; one 1-point criterion is missing; pass mark 80%:
    # even if it failed, 9/10 = 90% ≥ 80% → pass, never incomplete.
    std = make_standard([crit(f"x{i}") for i in range(10)], scoring={"method": "points", "pass_mark": "80%"})
    facts = {f"x{i}": 1 for i in range(9)}
    assert std.evaluate(rec(**facts)).verdict == "pass"
    # Now two are failing: 8 earned + 1 open. Fail-case 8/10 = 80% → pass still; two open → could flip.
    facts2 = {f"x{i}": 1 for i in range(7)} | {"x7": 0}
    report = std.evaluate(rec(**facts2))
    # 7 earned, 1 fail, 2 missing: best 9/10 pass, worst 7/10 fail → incomplete, names the two.
    assert report.verdict == "incomplete"
    assert set(report.deciding) == {"c8", "c9"}


def test_fail_when_even_all_undecided_passing_cannot_reach_the_mark(make_standard):
    std = make_standard([crit(f"x{i}") for i in range(10)], scoring={"method": "points", "pass_mark": "80%"})
    facts = {f"x{i}": 0 for i in range(5)}  # 5 fail, 5 missing: best 5/10 < 80%
    report = std.evaluate(rec(**facts))
    assert report.verdict == "fail"


def test_not_applicable_leaves_possible(make_standard):
    std = make_standard(
        [crit("a"), crit("b", applies_when={"kind": "exists", "path": "has_b"})],
        scoring={"method": "points", "pass_mark": "100%"},
    )
    report = std.evaluate(rec(a=1, has_b=False))
    assert report.finding("c1").status == "not_applicable"
    assert report.score.possible == 1 and report.score.earned == 1
    assert report.verdict == "pass"


def test_guard_that_cannot_be_read_is_undecided_not_applicable(make_standard):
    std = make_standard([crit("b", applies_when={"kind": "exists", "path": "has_b"})])
    assert std.evaluate(rec(b=1)).finding("c0").status == "missing_evidence"


def test_pass_fail_method_needs_every_applicable_criterion(make_standard):
    std = make_standard([crit("a"), crit("b")], scoring={"method": "pass_fail"})
    assert std.evaluate(rec(a=1, b=1)).verdict == "pass"
    assert std.evaluate(rec(a=1, b=0)).verdict == "fail"
    assert std.evaluate(rec(a=1)).verdict == "incomplete"


def test_absolute_pass_mark_in_points(make_standard):
    std = make_standard([crit("a", points=3), crit("b", points=3)], scoring={"method": "points", "pass_mark": 3})
    assert std.evaluate(rec(a=1, b=0)).verdict == "pass"
    assert std.evaluate(rec(a=0, b=0)).verdict == "fail"


def test_exact_pass_mark_boundary_passes(make_standard):
    # 17 of 20 = 85% exactly
    std = make_standard([crit(f"x{i}") for i in range(20)], scoring={"method": "points", "pass_mark": "85%"})
    facts = {f"x{i}": (1 if i < 17 else 0) for i in range(20)}
    report = std.evaluate(rec(**facts))
    assert report.score.earned == 17 and report.score.pass_mark == 17
    assert report.verdict == "pass"


def test_grades_pick_the_highest_reached(make_standard):
    grades = [{"name": "达标", "min": "85%"}, {"name": "优秀", "min": "95%"}]
    std = make_standard(
        [crit(f"x{i}") for i in range(20)], scoring={"method": "points", "pass_mark": "85%", "grades": grades}
    )
    assert std.evaluate(rec(**{f"x{i}": 1 for i in range(20)})).score.grade == "优秀"
    assert std.evaluate(rec(**{f"x{i}": 1 for i in range(18)} | {"x18": 0, "x19": 0})).score.grade == "达标"
    assert std.evaluate(rec(**{f"x{i}": 0 for i in range(20)})).score.grade is None


def test_deduct_partial_credit_is_capped_at_the_points(make_standard):
    c = {"points": 4, "deduct": {"per": "1%", "points": 0.5}, "check": {"kind": "value", "path": "rate", "min": "75%"}}
    std = make_standard([c], scoring={"method": "deduction", "pass_mark": "0%"})
    # 73% is 2 points of percentage short → 2 × 0.5 = 1 deducted
    assert std.evaluate(rec(rate="73%")).finding("c0").earned == 3
    # 72.5% is 2.5 short → 3 started steps → 1.5 deducted
    assert std.evaluate(rec(rate="72.5%")).finding("c0").earned == 2.5
    # 10% is 65 short → capped at 4
    assert std.evaluate(rec(rate="10%")).finding("c0").earned == 0
    assert std.evaluate(rec(rate="75%")).finding("c0").earned == 4


def test_category_subtotals_and_status_counts(make_standard):
    cats = [{"id": "a", "title": "甲"}, {"id": "b", "title": "乙"}]
    std = make_standard(
        [crit("x", category="a", points=2), crit("y", category="b", points=3), crit("z", category="b")], categories=cats
    )
    s = std.evaluate(rec(x=1, y=0)).score
    by = {c.id: c for c in s.categories}
    assert (by["a"].earned, by["a"].possible) == (2, 2)
    assert (by["b"].earned, by["b"].possible) == (0, 4)
    assert by["b"].counts["fail"] == 1 and by["b"].counts["missing_evidence"] == 1
    assert s.counts["pass"] == 1


@pytest.mark.parametrize("method", ["points", "deduction", "pass_fail"])
def test_decide_agrees_with_evaluate(make_standard, method):
    std = make_standard(
        [crit("a", mandatory=True), crit("b", points=2), crit("c")],
        scoring={"method": method, "pass_mark": "60%"} if method != "pass_fail" else {"method": method},
    )
    for facts in ({}, {"a": 1}, {"a": 1, "b": 1}, {"a": 0, "b": 1, "c": 1}, {"a": 1, "b": "__", "c": 1}):
        full = std.evaluate(rec(**facts))
        fast = std.decide(rec(**facts))
        assert fast.verdict == full.verdict
        assert fast.statuses == full.statuses
        assert fast.deciding == full.deciding
