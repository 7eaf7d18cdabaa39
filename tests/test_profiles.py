"""Provincial profiles: a parameter changes exactly the findings it should, no others."""

from __future__ import annotations

from pathlib import Path

import standards

ROOT = Path(__file__).resolve().parent.parent
HEMUDOU = ROOT / "fixtures/zhejiang/hemudou-fixed.json"


def test_gd_and_zj_differ_only_where_their_parameters_differ():
    gd, zj = standards.load_bundled("gd.health-village"), standards.load_bundled("zj.health-village")
    a, b = gd.evaluate(HEMUDOU).statuses, zj.evaluate(HEMUDOU).statuses
    shared = sorted(set(a) & set(b))
    assert len(shared) >= 10
    differ = {c: (a[c], b[c]) for c in shared if a[c] != b[c]}
    # road_hardening_min: 90% in 广东, 100% (assumed) in 浙江; 和睦兜 reports 9.5 of 10 km.
    assert differ == {"env.road-hardening": ("pass", "fail")}
    assert gd.parameters["road_hardening_min"] != zj.parameters["road_hardening_min"]


def test_setting_the_parameter_removes_the_difference():
    gd, zj = standards.load_bundled("gd.health-village"), standards.load_bundled("zj.health-village")
    a = gd.evaluate(HEMUDOU).statuses
    b = zj.evaluate(HEMUDOU, parameters={"road_hardening_min": gd.parameters["road_hardening_min"]}).statuses
    assert {c: b[c] for c in a if c in b} == {c: a[c] for c in a if c in b}


def test_one_parameter_changes_one_finding():
    gd = standards.load_bundled("gd.health-village")
    rec = ROOT / "fixtures/guangdong/houhuan-fixed.json"
    base = gd.evaluate(rec)
    ratio = base.finding("edu.knowledge-rate").outcome.observed
    stricter = gd.evaluate(rec, parameters={"knowledge_rate_min": f"{round(ratio * 100 + 1)}%"})
    changed = {c for c, s in stricter.statuses.items() if base.statuses[c] != s}
    assert changed == {"edu.knowledge-rate"}
    assert stricter.finding("edu.knowledge-rate").status == "fail"


def test_report_lists_only_parameters_the_standard_reads():
    report = standards.load_bundled("gd.health-village").evaluate(ROOT / "fixtures/guangdong/houhuan.json")
    assert set(report.to_dict()["parameters"]) == {
        "knowledge_rate_min", "behavior_rate_min", "road_hardening_min", "board_update_every"}
