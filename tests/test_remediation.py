"""The 整改清单: one item per fail / missing / invalid finding, with gap, owner and due date."""

from __future__ import annotations

from pathlib import Path

import standards

ROOT = Path(__file__).resolve().parent.parent


def toilets(**extra):
    return {
        "title": "卫生厕所普及率达到97%",
        "check": {
            "kind": "ratio",
            "numerator": "toilets.sanitary",
            "denominator": "households",
            "min": "97%",
            "unit": "户",
        },
        "remediation": {
            "action": "改造卫生厕所,将普及率从{observed}提高到{expected}以上:{gap}",
            "owner": "环境卫生组",
            "within": "P60D",
            "evidence": ["户厕改造验收表"],
        },
        **extra,
    }


def test_ratio_gap_counts_households_and_renders_the_action(make_standard):
    std = make_standard([toilets()])
    rep = std.evaluate(
        {"subject": {"id": "xiashu"}, "facts": {"toilets": {"sanitary": 12433}, "households": 12937}},
        as_of="2010-12-01",
    )
    [item] = rep.remediation
    # ⌈0.97 × 12937⌉ − 12433 = 12549 − 12433 = 116
    assert item.gap is not None and item.gap["amount"] == 116 and item.gap["target"] == 12549
    d = item.to_dict("zh")
    assert d["action"] == "改造卫生厕所,将普及率从96.10%提高到97%以上:还差 116户(需达到 12549/12937)"
    assert d["owner"] == "环境卫生组"
    assert d["due"] == "2011-01-30"
    assert d["priority"] == "high"
    assert d["evidence"] == ["户厕改造验收表"]
    assert d["id"] == "xiashu:c0"


def test_one_item_per_unmet_finding_none_for_passes(make_standard):
    std = make_standard([toilets(), toilets(mandatory=True), toilets(), toilets()])
    facts = {"toilets": {"sanitary": 12433}, "households": 12937}
    rep = std.evaluate({"subject": {"id": "s"}, "facts": facts}, as_of="2010-12-01")
    assert len(rep.remediation) == 4
    rep2 = std.evaluate(
        {"subject": {"id": "s"}, "facts": {"households": 10, "toilets": {"sanitary": 10}}}, as_of="2010-12-01"
    )
    assert rep2.remediation == ()


def test_sorted_by_priority_then_due_date(make_standard):
    crits = [
        {"check": {"kind": "value", "path": "a", "min": 1}, "remediation": {"within": "P10D"}},
        {"check": {"kind": "value", "path": "b", "min": 1}, "remediation": {"within": "P5D"}},
        {"check": {"kind": "value", "path": "c", "min": 1}, "mandatory": True},
        {"check": {"kind": "value", "path": "d", "min": 1}},
    ]
    rep = make_standard(crits).evaluate({"subject": {"id": "s"}, "facts": {"a": 0, "b": 0, "c": 0}}, as_of="2011-01-01")
    assert [(r.criterion, r.priority) for r in rep.remediation] == [
        ("c2", "critical"),
        ("c1", "high"),
        ("c0", "high"),
        ("c3", "medium"),
    ]


def test_missing_evidence_asks_for_the_evidence(make_standard):
    rep = make_standard([toilets()]).evaluate({"subject": {"id": "s"}, "facts": {"households": 10}}, as_of="2011-01-01")
    d = rep.remediation[0].to_dict("zh")
    assert d["status"] == "missing_evidence"
    assert d["action"].startswith("补充证据:toilets.sanitary")
    assert "户厕改造验收表" in d["action"]
    assert rep.remediation[0].to_dict("en")["action"].startswith("supply evidence: toilets.sanitary")


def test_owner_falls_back_to_the_category_then_unassigned(make_standard):
    crit = {"check": {"kind": "value", "path": "a", "min": 1}}
    rep = make_standard([crit]).evaluate({"subject": {"id": "s"}, "facts": {"a": 0}}, as_of="2011-01-01")
    assert rep.remediation[0].owner == "测试组"
    rep2 = make_standard([crit], categories=[{"id": "c", "title": "C"}]).evaluate(
        {"subject": {"id": "s"}, "facts": {"a": 0}}, as_of="2011-01-01"
    )
    assert rep2.remediation[0].to_dict("zh")["owner"] == "未指定"
    assert rep2.remediation[0].to_dict("en")["owner"] == "unassigned"


def test_houhuan_list_names_the_open_poultry_households():
    std = standards.load(ROOT / "rules/guangdong/health-village.yaml")
    rep = std.evaluate(ROOT / "fixtures/guangdong/houhuan.json")
    item = next(r for r in rep.remediation if r.criterion == "env.no-illegal-livestock")
    assert item.gap is not None and item.gap["amount"] == 5
    assert item.owner == "环境卫生组"
    assert rep.remediation[0].priority == "critical"
