"""Waivers: active ones make a finding `waived` and keep what was measured; expired ones don't."""

from __future__ import annotations

from typing import Any

import pytest

import standards


def crits() -> list[dict[str, Any]]:
    return [{"check": {"kind": "value", "path": "a", "min": 10}}, {"check": {"kind": "value", "path": "b", "min": 10}}]


REC = {"subject": {"id": "v1"}, "as_of": "2011-10-16", "facts": {"a": 3, "b": 20}}


def test_active_waiver_waives_only_its_criterion_and_keeps_values(make_standard):
    std = make_standard(crits())
    w = [{"criterion": "c0", "justification": "道路施工中", "until": "2011-12-31", "approved_by": "区爱卫办"}]
    plain, waived = std.evaluate(REC), std.evaluate(REC, waivers=w)
    assert plain.statuses == {"c0": "fail", "c1": "pass"}
    assert waived.statuses == {"c0": "waived", "c1": "pass"}
    f = waived.finding("c0")
    assert f.outcome.observed == 3 and f.possible == 0
    assert "2011-12-31" in f.explanation("zh") and "道路施工中" in f.explanation("zh")
    assert waived.verdict == "pass"
    assert [x.state for x in waived.waivers] == ["applied"]
    assert waived.remediation == ()


def test_waiver_valid_through_its_until_day(make_standard):
    std = make_standard(crits())
    w = [{"criterion": "c0", "justification": "x", "until": "2011-10-16"}]
    assert std.evaluate(REC, waivers=w).finding("c0").status == "waived"


def test_expired_waiver_is_ignored_and_reported(make_standard):
    std = make_standard(crits())
    w = [{"criterion": "c0", "justification": "x", "until": "2011-10-15"}]
    report = std.evaluate(REC, waivers=w)
    assert report.finding("c0").status == "fail"
    assert [x.state for x in report.waivers] == ["expired"]
    assert report.to_dict()["waivers"][0]["state"] == "expired"


def test_waiver_for_another_subject_does_not_apply(make_standard):
    std = make_standard(crits())
    w = [{"criterion": "c0", "subject": "v2", "justification": "x", "until": "2012-01-01"}]
    assert std.evaluate(REC, waivers=w).finding("c0").status == "fail"


def test_waiver_needs_a_justification_and_a_date(make_standard):
    std = make_standard(crits())
    with pytest.raises(standards.WaiverError):
        std.evaluate(REC, waivers=[{"criterion": "c0", "until": "2012-01-01"}])
    with pytest.raises(standards.WaiverError):
        std.evaluate(REC, waivers=[{"criterion": "c0", "justification": "x", "until": "soon"}])


def test_waiver_file(tmp_path, make_standard):
    std = make_standard(crits())
    p = tmp_path / "w.yaml"
    p.write_text("waivers:\n  - {criterion: c0, justification: 施工, until: 2012-01-01}\n", encoding="utf-8")
    assert std.evaluate(REC, waivers=p).finding("c0").status == "waived"
