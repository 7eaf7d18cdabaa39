"""The public API of SPEC §5: load, evaluate (dict, path or Evidence), reports, schemas."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import standards
from standards import schemas

ROOT = Path(__file__).resolve().parent.parent
GD = ROOT / "rules/guangdong/health-village.yaml"
HOUHUAN = ROOT / "fixtures/guangdong/houhuan.json"


def test_all_is_sorted_and_complete():
    isort_style = sorted(standards.__all__, key=lambda n: (0 if n.isupper() else 1 if n[:1].isupper() else 2, n))
    assert standards.__all__ == isort_style
    for name in standards.__all__:
        assert hasattr(standards, name), name
    public = {n for n in dir(standards) if not n.startswith("_")}
    # modules are fine; every public non-module name must be exported on purpose
    import types

    leaked = {n for n in public - set(standards.__all__) if not isinstance(getattr(standards, n), types.ModuleType)}
    assert leaked == set()


def test_load_bundled_by_id_matches_loading_the_file():
    a = standards.load_bundled("gd.health-village")
    b = standards.load(GD)
    assert a.id == b.id == "gd.health-village"
    assert [c.id for c in a.criteria] == [c.id for c in b.criteria]


def test_load_bundled_unknown_id_suggests():
    with pytest.raises(standards.UsageError) as exc:
        standards.load_bundled("gd.health-vilage")
    assert exc.value.hint == "did you mean 'gd.health-village'?"


def test_evaluate_accepts_dict_path_and_evidence():
    std = standards.load(GD)
    data = json.loads(HOUHUAN.read_text(encoding="utf-8"))
    by_path = std.evaluate(HOUHUAN).to_dict()
    by_dict = std.evaluate(data).to_dict()
    by_evidence = std.evaluate(standards.Evidence.from_data(data)).to_dict()
    assert by_path == by_dict == by_evidence


def test_report_names_rule_file_sha256_and_parameters():
    std = standards.load(GD)
    d = std.evaluate(HOUHUAN).to_dict()
    assert d["report_version"] == "1.0"
    assert d["standard"]["id"] == "gd.health-village"
    assert d["standard"]["files"][0]["sha256"] == hashlib.sha256(GD.read_bytes()).hexdigest()
    assert d["parameters"]["knowledge_rate_min"] == "75%"


def test_to_json_round_trips_and_keeps_chinese_readable():
    report = standards.load(GD).evaluate(HOUHUAN)
    text = report.to_json()
    assert "后环社区" in text
    assert json.loads(text) == json.loads(json.dumps(report.to_dict(), ensure_ascii=False))


def test_parameters_change_thresholds_and_are_reported(make_standard):
    std = make_standard(
        [{"check": {"kind": "value", "path": "rate", "min": "$rate_min"}}], parameters={"rate_min": "75%"}
    )
    rec = {"subject": {"id": "s"}, "facts": {"rate": "80%"}}
    assert std.evaluate(rec, as_of="2011-01-01").verdict == "pass"
    strict = std.evaluate(rec, as_of="2011-01-01", parameters={"rate_min": "85%"})
    assert strict.verdict == "fail"
    assert strict.to_dict()["parameters"] == {"rate_min": "85%"}
    assert strict.findings[0].outcome.expected == {"min": 0.85}


def test_unknown_parameter_is_a_usage_error_with_suggestion(make_standard):
    std = make_standard(
        [{"check": {"kind": "value", "path": "rate", "min": "$rate_min"}}], parameters={"rate_min": "75%"}
    )
    with pytest.raises(standards.UsageError) as exc:
        std.evaluate({"subject": {"id": "s"}}, as_of="2011-01-01", parameters={"rate_mn": "1%"})
    assert exc.value.code == "unknown-parameter"
    assert "rate_min" in (exc.value.hint or "")


def test_as_of_is_required_somewhere(make_standard):
    std = make_standard([{"check": {"kind": "value", "path": "a", "min": 1}}])
    with pytest.raises(standards.EvidenceError) as exc:
        std.evaluate({"subject": {"id": "s"}, "facts": {"a": 1}})
    assert exc.value.code == "missing-as-of"


def test_evaluate_many_keeps_order():
    std = standards.load(GD)
    base = json.loads(HOUHUAN.read_text(encoding="utf-8"))
    records = [{**base, "subject": {**base["subject"], "id": f"r{i}"}} for i in range(5)]
    ids = [r.subject["id"] for r in std.evaluate_many(records)]
    assert ids == [f"r{i}" for i in range(5)]


def test_evaluate_many_with_two_processes_gives_the_same_reports():
    std = standards.load(GD)
    base = json.loads(HOUHUAN.read_text(encoding="utf-8"))
    records = [{**base, "subject": {**base["subject"], "id": f"r{i}"}} for i in range(6)]
    one = [r.to_json() for r in std.evaluate_many(records)]
    two = [r.to_json() for r in std.evaluate_many(records, jobs=2)]
    assert one == two


def test_schemas_are_available_and_unknown_name_refused():
    for name in schemas.SCHEMA_NAMES:
        assert standards.schema(name)["$schema"].startswith("https://json-schema.org/")
    with pytest.raises(standards.UsageError):
        standards.schema("nope")


def test_render_unknown_format_is_a_usage_error():
    report = standards.load(GD).evaluate(HOUHUAN)
    with pytest.raises(standards.UsageError):
        standards.render(report, "docx")
    assert "整改清单" in standards.render(report, "markdown")
    assert "Remediation list" in standards.render(report, "markdown", lang="en")


def _bump_numbers(tree):
    """Change every number in place (a "what if" edit of the same dict)."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            if isinstance(v, int | float) and not isinstance(v, bool):
                tree[k] = v + 1000
            else:
                _bump_numbers(v)
    elif isinstance(tree, list):
        for v in tree:
            _bump_numbers(v)


@pytest.mark.parametrize("wrap", [lambda d: d, standards.read_evidence], ids=["dict", "evidence"])
def test_changing_the_record_after_evaluate_changes_no_report(wrap):
    """A report works its explanations out when they are read; it reads its own copy.

    The "what if" session: evaluate a record, edit the same dict, evaluate again, then
    read both reports. The first must still describe the record as it was.
    """
    std = standards.load_bundled("gd.health-village")
    record = json.loads((ROOT / "fixtures" / "guangdong" / "houhuan.json").read_text(encoding="utf-8"))
    expected = std.evaluate(json.loads(json.dumps(record))).to_json()
    before = std.evaluate(wrap(record))
    _bump_numbers(record["facts"])
    after = std.evaluate(record)
    assert before.to_json() == expected
    assert after.to_json() != expected


def test_a_record_read_from_a_file_is_not_copied():
    """The library owns what it parsed: evaluating it needs no copy."""
    record = standards.read_evidence(ROOT / "fixtures" / "guangdong" / "houhuan.json")
    assert record.owned and record.snapshot() is record
    from_dict = standards.read_evidence(dict(record.raw))
    assert not from_dict.owned and from_dict.snapshot() is not from_dict
