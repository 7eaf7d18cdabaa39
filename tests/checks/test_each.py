"""``each``: every (or a share of) sub-unit passes a check on its own facts (每个自然村有一名保洁员)."""

from __future__ import annotations

import pytest

CLEANER = {"kind": "value", "path": "cleaners", "min": 1}
EACH = {"kind": "each", "units": "village", "check": CLEANER}
ABSENT = object()


def villages(*cleaners, kind="village", **facts):
    units = []
    for i, c in enumerate(cleaners):
        unit_facts = {} if c is ABSENT else {"cleaners": c}
        units.append({"subject": {"id": f"v{i + 1}", "name": f"{i + 1}村", "kind": kind}, "facts": unit_facts})
    return {"subject": {"id": "t1", "kind": "town"}, "facts": dict(facts), "units": units}


def test_every_unit_passing_passes(judge):
    f = judge(EACH, record=villages(1, 2, 1))
    assert f.status == "pass"
    assert f.to_dict()["observed"] == {"passed": 3, "units": 3, "share": 1.0}


def test_lists_the_failing_units_by_id(judge, gap_of):
    f = judge(EACH, record=villages(1, 0, 1, 0))
    assert f.status == "fail"
    gap = f.outcome.gap
    assert gap["kind"] == "failing_units"
    assert gap["units"] == ["v2", "v4"]
    assert gap["amount"] == 2
    assert gap["detail"]["v2"]["status"] == "fail"
    assert "v2、v4" in gap_of(f)
    assert "v2、v4" in f.explanation("zh") and "v2" in f.explanation("en")


def test_min_share_exactly_met_passes(judge):
    assert judge({**EACH, "min_share": "75%"}, record=villages(1, 1, 1, 0)).status == "pass"
    assert judge({**EACH, "min_share": "75%"}, record=villages(1, 1, 0, 0)).status == "fail"


@pytest.mark.parametrize(
    ("cleaners", "status"),
    [
        ((1, 1, 1, None, None), "pass"),  # 3/5 already meets 60%
        ((1, 0, 0, 0, None), "fail"),  # at best 2/5 < 60%
        ((1, 1, 0, None, None), "missing_evidence"),  # 2/5 or up to 4/5: undecided
        ((1, 1, 0, "__", None), "invalid_evidence"),  # invalid outranks missing
    ],
)
def test_undecided_units_are_weighed_both_ways(judge, cleaners, status):
    f = judge({**EACH, "min_share": "60%"}, record=villages(*cleaners))
    assert f.status == status


def test_undecided_units_are_named_apart_from_failing_ones(judge):
    f = judge({**EACH, "min_share": "60%"}, record=villages(1, 1, 0, None, ABSENT))
    gap = f.outcome.gap
    assert (gap["units"], gap["undecided_units"], gap["amount"]) == (["v3"], ["v4", "v5"], 1)
    assert "v4、v5" in f.explanation("zh") and "v3" in f.explanation("zh")
    assert "v4、v5" in f.explanation("en")


def test_a_fail_also_names_the_undecided_units(judge):
    f = judge(EACH, record=villages(0, None))
    assert f.status == "fail"
    assert "v2" in f.explanation("zh") and "undecided: v2" in f.explanation("en")


def test_only_units_of_the_named_kind_count(judge):
    record = villages(1, 1)
    record["units"].append({"subject": {"id": "s1", "kind": "school"}, "facts": {"cleaners": 0}})
    assert judge(EACH, record=record).status == "pass"
    assert judge({"kind": "each", "check": CLEANER}, record=record).status == "fail"


@pytest.mark.parametrize("record", [{"facts": {}}, {"facts": {}, "units": []}, villages(1, kind="school")])
def test_no_units_of_the_kind_is_missing_evidence(judge, record):
    f = judge(EACH, record=record)
    assert f.status == "missing_evidence"
    assert f.outcome.gap == {"kind": "supply", "paths": ["units"]}


def test_units_are_judged_on_their_own_facts_not_the_parent(judge):
    record = villages(0, 0, cleaners=10)
    assert judge(EACH, record=record).status == "fail"


def test_not_applicable_when_the_guard_fails(judge, guard):
    f = judge(EACH, record=villages(0, has_school=False), criterion=guard)
    assert f.status == "not_applicable"


def test_a_null_units_list_is_missing_evidence(judge):
    assert judge(EACH, record={"facts": {}, "units": None}).status == "missing_evidence"
