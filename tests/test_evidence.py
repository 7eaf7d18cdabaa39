"""Evidence records (SPEC §2): shape errors name the JSON path; values are judged when read."""

from __future__ import annotations

from typing import Any

import pytest

import standards
from standards import Evidence, EvidenceError


def ev(**kw: Any) -> dict[str, Any]:
    return {"subject": {"id": "s1", "kind": "village"}, **kw}


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ([], "$"),
        ({"facts": {}}, "$.subject"),
        ({"subject": {"name": "x"}}, "$.subject.id"),
        (ev(facts=[1, 2]), "$.facts"),
        (ev(events={"type": "x"}), "$.events"),
        (ev(events=[{"date": "2011-01-01"}]), "$.events[0].type"),
        (ev(documents=[{"kind": ""}]), "$.documents[0].kind"),
        (ev(units=[{"subject": {"id": "u"}, "facts": 3}]), "$.units[0].facts"),
        (ev(as_of="2010-09-31"), "$.as_of"),
        (ev(fatcs={}), "$.fatcs"),
    ],
)
def test_wrong_shape_is_an_error_naming_the_json_path(data, path):
    with pytest.raises(EvidenceError) as exc:
        Evidence.from_data(data)
    assert exc.value.path == path


def test_unknown_top_level_key_suggests_the_right_one():
    with pytest.raises(EvidenceError) as exc:
        Evidence.from_data(ev(fatcs={}))
    assert exc.value.hint == "did you mean 'facts'?"


def test_chinese_keys_and_dotted_paths():
    e = Evidence.from_data(ev(facts={"卫生": {"户厕": {"总数": 12937}}}))
    assert e.get("卫生.户厕.总数") == 12937
    assert e.get("卫生.户厕.缺") is standards.MISSING


def test_null_is_missing_never_zero(check_one):
    f = check_one({"kind": "value", "path": "a", "max": 5}, {"a": None})
    assert f.status == "missing_evidence"


@pytest.mark.parametrize("blank", ["__", "XX", "", "___", "xx"])
def test_template_blanks_are_invalid_with_the_path_named(check_one, blank):
    f = check_one({"kind": "value", "path": "rate.knowledge", "min": "75%"}, {"rate": {"knowledge": blank}})
    assert f.status == "invalid_evidence"
    assert "rate.knowledge" in f.explanation("zh")
    assert "rate.knowledge" in f.explanation("en")


def test_percent_text_in_evidence_means_a_fraction(check_one):
    assert check_one({"kind": "value", "path": "r", "min": "75%"}, {"r": "75%"}).status == "pass"
    assert check_one({"kind": "value", "path": "r", "min": "75%"}, {"r": 0.75}).status == "pass"
    assert check_one({"kind": "value", "path": "r", "min": "75%"}, {"r": "74.9%"}).status == "fail"


def test_a_plain_number_above_one_against_a_percentage_is_invalid_not_a_pass(check_one):
    f = check_one({"kind": "value", "path": "r", "min": "75%"}, {"r": 87})
    assert f.status == "invalid_evidence"
    assert "87" in f.explanation("en") and "percent" in f.explanation("en")


def test_impossible_date_is_invalid(check_one):
    f = check_one({"kind": "age", "path": "title.awarded", "min": "P1Y"}, {"title": {"awarded": "2010-09-31"}})
    assert f.status == "invalid_evidence"
    assert "2010-09-31" in f.explanation("zh")


def test_evidence_is_never_altered_by_evaluation(make_standard):
    import copy

    std = make_standard([{"check": {"kind": "value", "path": "a", "min": "50%"}}])
    data = ev(as_of="2011-10-16", facts={"a": "60%", "b": [1, {"c": None}]})
    before = copy.deepcopy(data)
    std.evaluate(data).to_json()
    assert data == before


def test_provenance_is_reported_with_the_value_read(make_standard):
    std = make_standard([{"check": {"kind": "value", "path": "households.total", "min": 1}}])
    data = ev(
        as_of="2011-10-16",
        facts={"households": {"total": 2500}},
        provenance={"households": {"source": "doc-2", "collected": "2011-09-01"}},
    )
    read = std.evaluate(data).findings[0].to_dict()["evidence"][0]
    assert read == {
        "path": "households.total",
        "value": 2500,
        "provenance": {"source": "doc-2", "collected": "2011-09-01"},
    }


def test_fresh_within_turns_stale_or_undated_evidence_into_missing(make_standard):
    std = make_standard([{"fresh_within": "P1Y", "check": {"kind": "value", "path": "a", "min": 1}}])
    fresh = ev(as_of="2011-10-16", facts={"a": 2}, provenance={"a": {"collected": "2011-01-01"}})
    stale = ev(as_of="2011-10-16", facts={"a": 2}, provenance={"a": {"collected": "2010-01-01"}})
    undated = ev(as_of="2011-10-16", facts={"a": 2})
    assert std.evaluate(fresh).findings[0].status == "pass"
    f = std.evaluate(stale).findings[0]
    assert f.status == "missing_evidence"
    assert "P1Y" in f.explanation("en") and "stale" in f.explanation("en")
    assert std.evaluate(undated).findings[0].status == "missing_evidence"
