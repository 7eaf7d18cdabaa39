"""Evidence records (SPEC §2): shape errors name the JSON path; values are judged when read."""

from __future__ import annotations

import collections
import datetime
import decimal
import enum
import fractions
import json
import math
from pathlib import Path
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


# -- records built in Python are read as JSON ------------------------------------------------

HOUHUAN = "fixtures/guangdong/houhuan.json"
HEALTH_VILLAGE = "rules/guangdong/health-village.yaml"


class _Kind(enum.IntEnum):
    ONE = 1


class _Text(str):
    pass


class _Float(float):  # what numpy.float64 is
    pass


def _reshaped(data: Any) -> Any:
    """The same record as Python code might build it: OrderedDicts, tuples, subclassed leaves."""
    if isinstance(data, dict):
        return collections.OrderedDict((_Text(k), _reshaped(v)) for k, v in data.items())
    if isinstance(data, list):
        return tuple(_reshaped(v) for v in data)
    if type(data) is float:
        return _Float(data)
    if type(data) is int:
        return decimal.Decimal(data)
    if type(data) is str:
        return _Text(data)
    return data


def test_a_record_of_ordered_dicts_tuples_and_subclassed_values_reads_as_its_json():
    """An OrderedDict, a tuple, a float subclass (numpy.float64) or a Decimal means what its
    JSON means: the same statuses and the same report, never "not an object" or "not a number"."""
    std = standards.load(HEALTH_VILLAGE)
    plain = json.loads(Path(HOUHUAN).read_text(encoding="utf-8"))
    built = _reshaped(plain)
    assert std.decide(built).statuses == std.decide(plain).statuses
    assert std.evaluate(built).to_dict() == std.evaluate(plain).to_dict()
    assert isinstance(built["facts"], collections.OrderedDict)  # the caller's record is left as it was


@pytest.mark.parametrize(
    ("value", "read_as"),
    [
        (_Kind.ONE, 1),
        (_Float(0.5), 0.5),
        (decimal.Decimal("0.97"), 0.97),
        (decimal.Decimal("2500"), 2500),
        (decimal.Decimal("NaN"), math.nan),
        (fractions.Fraction(1, 4), 0.25),
        (fractions.Fraction(8, 2), 4),
        (("a", "b"), ["a", "b"]),
        (datetime.date(2011, 6, 2), datetime.date(2011, 6, 2)),
    ],
)
def test_each_python_value_reads_as_its_json_value(value, read_as):
    record = Evidence.from_data(ev(facts={"x": value}))
    got = record.get("x")
    assert got == read_as or (math.isnan(read_as) and math.isnan(got))
    assert type(got) is type(read_as)


@pytest.mark.parametrize("value", [{1, 2}, b"bytes", object(), decimal.Decimal("sNaN")])
def test_a_value_json_has_no_form_for_is_an_error_at_its_path(value):
    with pytest.raises(EvidenceError) as exc:
        Evidence.from_data(ev(facts={"org": {"staff": [1, value]}}))
    assert exc.value.code == "evidence-type"
    assert exc.value.path == "$.facts.org.staff[1]"


def test_a_str_subclass_is_held_to_the_limits_once_read_as_text():
    with pytest.raises(EvidenceError) as exc:
        standards.read_evidence(ev(facts={"x": _Text("长" * 50)}), limits=standards.Limits(max_string=10))
    assert exc.value.code == "string-too-long"
