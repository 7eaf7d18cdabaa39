"""``age``: as_of − a date within min / max durations (取得市级称号一年以上)."""

from __future__ import annotations

import pytest

TITLE_YEAR = {"kind": "age", "path": "title.awarded", "min": "P1Y"}
REVIEW_2Y = {"kind": "age", "path": "review.date", "max": "P2Y"}


def test_exactly_one_year_ago_passes(judge):
    f = judge(TITLE_YEAR, {"title": {"awarded": "2010-10-16"}})
    assert f.status == "pass"
    assert "2010-10-16" in f.explanation("zh") and "2010-10-16" in f.explanation("en")


def test_one_day_short_reports_the_date_it_becomes_satisfied(judge, gap_of):
    f = judge(TITLE_YEAR, {"title": {"awarded": "2010-10-17"}})
    assert f.status == "fail"
    assert f.outcome.gap == {"kind": "wait_until", "date": "2011-10-17", "display": "2011-10-17"}
    assert gap_of(f) == "2011-10-17 起满足"
    assert gap_of(f, "en") == "satisfied from 2011-10-17"
    assert "2011-10-17" in f.explanation("zh")


def test_a_month_counts_from_its_last_day(judge):
    f = judge(TITLE_YEAR, {"title": {"awarded": "2010-10"}})
    assert f.status == "fail"
    assert f.outcome.gap["date"] == "2011-10-31"
    assert judge(TITLE_YEAR, {"title": {"awarded": "2010-09"}}).status == "pass"


def test_a_leap_day_plus_a_year_is_the_end_of_february(judge):
    f = judge(TITLE_YEAR, {"title": {"awarded": "2012-02-29"}}, as_of="2013-02-27")
    assert f.outcome.gap["date"] == "2013-02-28"


def test_at_most_two_years_passes_on_the_last_day(judge):
    assert judge(REVIEW_2Y, {"review": {"date": "2009-10-16"}}).status == "pass"


def test_too_old_reports_when_it_expired_not_when_it_is_satisfied(judge, gap_of):
    f = judge(REVIEW_2Y, {"review": {"date": "2009-10-15"}})
    assert f.status == "fail"
    assert f.outcome.gap["kind"] == "expired_on"
    assert f.outcome.gap["date"] == "2011-10-15"
    assert gap_of(f) == "已于 2011-10-15 超期"
    assert "超期" in f.explanation("zh") and "满足日期" not in f.explanation("zh")
    assert "expired on 2011-10-15" in f.explanation("en")


def test_both_bounds(judge):
    check = {"kind": "age", "path": "d", "min": "P1M", "max": "P1Y"}
    assert judge(check, {"d": "2011-09-16"}).status == "pass"
    assert judge(check, {"d": "2011-09-17"}).outcome.gap["kind"] == "wait_until"
    assert judge(check, {"d": "2010-10-15"}).outcome.gap["kind"] == "expired_on"


@pytest.mark.parametrize("facts", [{}, {"title": None}, {"title": {"awarded": None}}])
def test_absent_or_null_is_missing_evidence(judge, facts):
    f = judge(TITLE_YEAR, facts)
    assert f.status == "missing_evidence"
    assert f.outcome.gap == {"kind": "supply", "paths": ["title.awarded"]}


@pytest.mark.parametrize("raw", ["2010-09-31", "2011-02-29", "2011-13-01", "__", "XX", "", "去年", 20101016, True])
def test_impossible_dates_blanks_and_non_dates_are_invalid(judge, raw):
    f = judge(TITLE_YEAR, {"title": {"awarded": raw}})
    assert f.status == "invalid_evidence"
    assert f.outcome.gap == {"kind": "correct", "paths": ["title.awarded"]}


def test_an_impossible_date_is_never_moved_to_a_real_one(judge):
    """2010-09-31 (S3:727) must not become 2010-09-30 or 2010-10-01 and then pass."""
    f = judge(TITLE_YEAR, {"title": {"awarded": "2010-09-31"}})
    assert f.status == "invalid_evidence"
    assert "2010-09-31" in f.explanation("zh")


def test_not_applicable_when_the_guard_fails(judge, guard):
    f = judge(TITLE_YEAR, {"title": {"awarded": "2011-10-01"}, "has_school": False}, criterion=guard)
    assert f.status == "not_applicable"
