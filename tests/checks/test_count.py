"""``count``: how many items of a list (optionally matching ``where``), or a tallied count."""

from __future__ import annotations

import pytest

CLEANERS = {"kind": "count", "path": "staff", "where": {"role": "保洁员"}, "min": 3, "unit": "名"}


def staff(*roles):
    return {"staff": [{"id": f"p{i + 1}", "role": r} for i, r in enumerate(roles)]}


def test_counts_only_matching_items(judge):
    f = judge(CLEANERS, staff("保洁员", "组长", "保洁员", "保洁员", "宣传员"))
    assert f.status == "pass"
    assert f.to_dict()["observed"] == 3


def test_exactly_the_minimum_passes(judge):
    assert judge(CLEANERS, staff("保洁员", "保洁员", "保洁员")).status == "pass"


def test_reports_the_items_short(judge, gap_of):
    f = judge(CLEANERS, staff("保洁员", "组长", "保洁员"))
    assert f.status == "fail"
    gap = f.outcome.gap
    assert (gap["kind"], gap["amount"], gap["target"], gap["display"]) == ("items_short", 1, 3, "1名")
    assert gap_of(f) == "还差 1名(需至少 3名)"
    assert gap_of(f, "en") == "1 名 short (at least 3 needed)"
    assert "{" not in gap_of(f) and "{" not in gap_of(f, "en")


def test_none_matching_is_a_fail_with_all_items_short(judge):
    f = judge(CLEANERS, staff("组长"))
    assert f.status == "fail"
    assert f.outcome.gap["amount"] == 3


def test_an_empty_list_is_zero_items_not_missing(judge):
    f = judge(CLEANERS, {"staff": []})
    assert f.status == "fail"
    assert f.outcome.gap["amount"] == 3


def test_exactly_the_maximum_passes_and_one_more_fails(judge, gap_of):
    check = {"kind": "count", "path": "sites", "max": 2, "unit": "处"}
    assert judge(check, {"sites": [1, 2]}).status == "pass"
    f = judge(check, {"sites": [1, 2, 3, 4]})
    assert f.status == "fail"
    assert (f.outcome.gap["kind"], f.outcome.gap["amount"]) == ("items_over", 2)
    assert gap_of(f) == "需减少 2处(至多 2处)"


@pytest.mark.parametrize(("raw", "status"), [(2, "fail"), (3, "pass"), ("3", "pass"), (3.0, "pass")])
def test_a_tallied_count_is_read_as_a_number(judge, raw, status):
    f = judge({"kind": "count", "path": "n", "min": 3}, {"n": raw})
    assert f.status == status
    assert f.to_dict()["observed"] in (2, 3)
    assert isinstance(f.to_dict()["observed"], int)


@pytest.mark.parametrize("facts", [{}, {"staff": None}])
def test_absent_or_null_is_missing_evidence(judge, facts):
    f = judge(CLEANERS, facts)
    assert f.status == "missing_evidence"
    assert f.outcome.gap == {"kind": "supply", "paths": ["staff"]}


@pytest.mark.parametrize("raw", ["__", "XX", "", "三个", True, 2.5, -1, {"p1": "保洁员"}])
def test_blanks_fractions_negatives_and_objects_are_invalid(judge, raw):
    f = judge({"kind": "count", "path": "n", "min": 3}, {"n": raw})
    assert f.status == "invalid_evidence"


def test_where_needs_a_list(judge):
    f = judge(CLEANERS, {"staff": 3})
    assert f.status == "invalid_evidence"
    assert "列表" in f.explanation("zh") and "list" in f.explanation("en")


def test_where_values_may_be_parameters(judge):
    check = {**CLEANERS, "where": {"role": "$role"}}
    f = judge(check, staff("组长", "组长", "组长"), parameters={"role": "组长"})
    assert f.status == "pass"


def test_explanations_name_the_count_in_both_languages(judge):
    f = judge(CLEANERS, staff("保洁员", "保洁员"))
    assert "2" in f.explanation("zh") and "≥ 3" in f.explanation("zh")
    assert "counts 2" in f.explanation("en")


def test_not_applicable_when_the_guard_fails(judge, guard):
    f = judge(CLEANERS, {**staff(), "has_school": False}, criterion=guard)
    assert f.status == "not_applicable"


def test_a_parent_that_is_not_an_object_is_invalid_not_missing(judge):
    assert judge({"kind": "count", "path": "org.staff", "min": 1}, {"org": 3}).status == "invalid_evidence"
