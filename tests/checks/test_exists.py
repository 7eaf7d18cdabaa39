"""``exists``: a fact present and truthy, or a document of a kind dated within a window."""

from __future__ import annotations

import pytest

PLAN = {"kind": "exists", "path": "plan"}
RECENT_PLAN = {"kind": "exists", "document": "work_plan", "within": "P1Y"}


def docs(*dates, kind="work_plan"):
    return {
        "facts": {},
        "documents": [
            {"id": f"doc-{i + 1}", "kind": kind, "title": "创建工作方案", **({"date": d} if d else {})}
            for i, d in enumerate(dates)
        ],
    }


@pytest.mark.parametrize("raw", [True, "有", 1, ["组长"], {"leader": "组长"}])
def test_a_present_truthy_fact_passes(judge, raw):
    assert judge(PLAN, {"plan": raw}).status == "pass"


@pytest.mark.parametrize("raw", [False, 0, [], {}])
def test_a_present_falsy_fact_fails_and_asks_to_produce_it(judge, raw, gap_of):
    f = judge(PLAN, {"plan": raw})
    assert f.status == "fail"
    assert f.outcome.gap == {"kind": "produce", "what": "plan"}
    assert gap_of(f) == "需提供 plan"


@pytest.mark.parametrize("facts", [{}, {"plan": None}])
def test_absent_or_null_is_missing_not_a_fail(judge, facts):
    assert judge(PLAN, facts).status == "missing_evidence"


@pytest.mark.parametrize("raw", ["__", "XX", "", "  "])
def test_a_template_blank_is_invalid(judge, raw):
    f = judge(PLAN, {"plan": raw})
    assert f.status == "invalid_evidence"
    assert "模板空白" in f.explanation("zh") and "blank" in f.explanation("en")


@pytest.mark.parametrize("date", ["2011-06-02", "2010-10-16", "2011-10-16", "2010-10"])
def test_a_document_dated_within_the_window_passes(judge, date):
    f = judge(RECENT_PLAN, record=docs(date))
    assert f.status == "pass"
    assert f.to_dict()["observed"] == "doc-1"
    assert date in f.explanation("zh") and "创建工作方案" in f.explanation("en")


@pytest.mark.parametrize("date", ["2010-10-15", "2009-06", "2011-10-17"])
def test_a_document_outside_the_window_fails(judge, date, gap_of):
    f = judge(RECENT_PLAN, record=docs(date))
    assert f.status == "fail"
    assert f.outcome.gap == {"kind": "produce", "what": "work_plan", "within": "P1Y"}
    assert "work_plan" in gap_of(f)


def test_one_good_document_is_enough(judge):
    assert judge(RECENT_PLAN, record=docs("2008-01-01", "2011-09-01")).status == "pass"


def test_without_a_window_any_document_of_the_kind_passes(judge):
    assert judge({"kind": "exists", "document": "work_plan"}, record=docs("2001-01-01")).status == "pass"


def test_documents_of_another_kind_do_not_count(judge):
    assert judge(RECENT_PLAN, record=docs("2011-06-02", kind="minutes")).status == "fail"


def test_no_documents_list_is_missing_evidence(judge):
    f = judge(RECENT_PLAN, record={"facts": {}})
    assert f.status == "missing_evidence"
    assert f.outcome.gap == {"kind": "supply", "paths": ["documents"]}


@pytest.mark.parametrize("date", ["2010-09-31", "2011-02-29", "2011-13-01", "__", "去年"])
def test_an_impossible_or_blank_document_date_is_invalid(judge, date):
    f = judge(RECENT_PLAN, record=docs(date))
    assert f.status == "invalid_evidence"
    assert repr(date) in f.explanation("zh")


def test_an_undated_document_is_missing_evidence(judge):
    f = judge(RECENT_PLAN, record=docs(None))
    assert f.status == "missing_evidence"
    assert f.outcome.gap["paths"] == ["documents[kind=work_plan].date"]
    assert "创建工作方案" in f.explanation("zh")


def test_a_good_document_outweighs_a_bad_date_on_another(judge):
    assert judge(RECENT_PLAN, record=docs("2010-09-31", "2011-06-02")).status == "pass"


def test_not_applicable_when_the_guard_fails(judge, guard):
    f = judge(PLAN, {"plan": False, "has_school": False}, criterion=guard)
    assert f.status == "not_applicable"


def test_a_parent_that_is_not_an_object_is_invalid_not_missing(judge):
    f = judge({"kind": "exists", "path": "committee.leader"}, {"committee": "有"})
    assert f.status == "invalid_evidence"
    assert f.outcome.gap == {"kind": "correct", "paths": ["committee.leader"]}
