"""Published JSON Schemas accept what the library reads and writes."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

import standards

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted(p for p in (ROOT / "fixtures").rglob("*.json"))
RULES = sorted(p for p in (ROOT / "rules").rglob("*.yaml"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixtures_validate_against_the_evidence_schema(path):
    jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), standards.schema("evidence"))


@pytest.mark.parametrize("path", RULES, ids=lambda p: p.name)
def test_rule_files_validate_against_the_rules_schema(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data = json.loads(json.dumps(data, default=str))  # YAML dates → strings, as JSON tools see them
    jsonschema.validate(data, standards.schema("rules"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reports_validate_against_the_report_schema(lang):
    std = standards.load(ROOT / "rules/guangdong/health-village.yaml")
    for path in FIXTURES:
        if "guangdong" not in str(path):
            continue
        report = std.evaluate(path)
        data = json.loads(report.to_json(lang))
        jsonschema.validate(data, standards.schema("report"))


def test_report_schema_rejects_a_broken_report():
    std = standards.load(ROOT / "rules/guangdong/health-village.yaml")
    data = std.evaluate(ROOT / "fixtures/guangdong/houhuan.json").to_dict()
    data["verdict"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, standards.schema("report"))
