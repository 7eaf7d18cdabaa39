"""``meets``: sub-units pass another standard (a town's villages pass the village standard)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import standards

VILLAGE = {
    "standard": {"id": "test.village", "title": "卫生村", "version": "1"},
    "scoring": {"method": "pass_fail"},
    "categories": [{"id": "c", "title": "环境"}],
    "criteria": [
        {
            "id": "cleaner",
            "category": "c",
            "title": "有保洁员",
            "check": {"kind": "value", "path": "cleaners", "min": 1},
        },
        {"id": "plan", "category": "c", "title": "有方案", "check": {"kind": "exists", "path": "plan"}},
    ],
}


def town(check_extra=None, criterion_extra=None):
    return {
        "standard": {"id": "test.town", "title": "卫生镇", "version": "1"},
        "scoring": {"method": "pass_fail"},
        "categories": [{"id": "c", "title": "村"}],
        "criteria": [
            {
                "id": "villages",
                "category": "c",
                "title": "各村达到卫生村标准",
                "check": {"kind": "meets", "standard": "test.village", "units": "village", **(check_extra or {})},
                **(criterion_extra or {}),
            }
        ],
    }


@pytest.fixture
def town_std(tmp_path: Path):
    def make(check_extra=None, criterion_extra=None) -> standards.Standard:
        (tmp_path / "village.yaml").write_text(yaml.safe_dump(VILLAGE, allow_unicode=True), encoding="utf-8")
        path = tmp_path / "town.yaml"
        path.write_text(yaml.safe_dump(town(check_extra, criterion_extra), allow_unicode=True), encoding="utf-8")
        return standards.load(path)

    return make


def record(*village_facts, **facts):
    return {
        "subject": {"id": "t1", "kind": "town"},
        "facts": dict(facts),
        "units": [
            {"subject": {"id": f"v{i + 1}", "kind": "village"}, "facts": vf} for i, vf in enumerate(village_facts)
        ],
    }


GOOD = {"cleaners": 1, "plan": True}


def judge_town(std, rec):
    finding = std.evaluate(rec, as_of="2011-10-16").findings[0]
    assert std.decide(rec, as_of="2011-10-16").statuses["villages"] == finding.status
    return finding


def test_all_villages_meeting_the_standard_passes(town_std):
    f = judge_town(town_std(), record(GOOD, GOOD))
    assert f.status == "pass"
    assert "test.village" in f.explanation("zh")


def test_names_the_failing_units_and_the_criteria_they_miss(town_std, gap_of):
    f = judge_town(town_std(), record(GOOD, {"cleaners": 0, "plan": True}, {"cleaners": 0, "plan": False}))
    assert f.status == "fail"
    gap = f.outcome.gap
    assert gap["units"] == ["v2", "v3"]
    assert gap["detail"]["v2"] == {"status": "fail", "why": ["cleaner"]}
    assert gap["detail"]["v3"]["why"] == ["cleaner", "plan"]
    assert "v2(cleaner)" in f.explanation("zh")
    assert "v3(cleaner、plan)" in f.explanation("en")
    assert "v2、v3" in gap_of(f)


@pytest.mark.parametrize(
    ("second", "status"),
    [({"plan": True}, "missing_evidence"), ({"cleaners": "__", "plan": True}, "invalid_evidence")],
)
def test_a_unit_that_cannot_be_judged_leaves_it_undecided(town_std, second, status):
    f = judge_town(town_std(), record(GOOD, second))
    assert f.status == status
    assert f.outcome.gap["undecided_units"] == ["v2"]
    assert f.outcome.gap["detail"]["v2"]["why"] == ["cleaner"]


def test_min_share_weighs_undecided_units_both_ways(town_std):
    std = town_std({"min_share": "50%"})
    assert judge_town(std, record(GOOD, {"plan": True})).status == "pass"
    assert judge_town(std, record({"cleaners": 0}, {"plan": True})).status == "missing_evidence"
    assert judge_town(std, record({"cleaners": 0}, {"cleaners": 0}, {"plan": True})).status == "fail"


def test_no_villages_listed_is_missing_evidence(town_std):
    f = judge_town(town_std(), {"subject": {"id": "t1", "kind": "town"}, "facts": {}})
    assert f.status == "missing_evidence"


def test_not_applicable_when_the_guard_fails(town_std):
    std = town_std(criterion_extra={"applies_when": {"kind": "exists", "path": "has_villages"}})
    f = judge_town(std, record({"cleaners": 0}, has_villages=False))
    assert f.status == "not_applicable"


def test_an_unknown_standard_is_a_load_error(tmp_path):
    path = tmp_path / "town.yaml"
    data = town()
    data["criteria"][0]["check"]["standard"] = "test.nowhere"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(standards.RuleSetError) as err:
        standards.load(path)
    assert "test.nowhere" in str(err.value)


def test_a_null_units_list_is_missing_evidence(town_std):
    f = judge_town(town_std(), {"subject": {"id": "t1", "kind": "town"}, "facts": {}, "units": None})
    assert f.status == "missing_evidence"
