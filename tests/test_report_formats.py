"""Renderers behind one protocol: json (schema-valid), markdown, text, csv (BOM), junit (valid XML)."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

import standards
from standards.report import RENDERERS, render_many
from standards.report.csv_ import BOM

ROOT = Path(__file__).resolve().parent.parent
HOUHUAN = ROOT / "fixtures/guangdong/houhuan.json"
FIXED = ROOT / "fixtures/guangdong/houhuan-fixed.json"


@pytest.fixture(scope="module")
def std() -> standards.Standard:
    return standards.load(ROOT / "rules/guangdong/health-village.yaml")


@pytest.fixture(scope="module")
def report(std: standards.Standard) -> standards.Report:
    return std.evaluate(HOUHUAN)


def test_every_renderer_follows_the_protocol(report):
    assert set(RENDERERS) == {"text", "json", "markdown", "html", "csv", "junit"}
    for name, r in RENDERERS.items():
        assert r.name == name and r.suffix.startswith(".")
        for lang in ("zh", "en"):
            out = r.render(report, lang)
            assert isinstance(out, str) and out.endswith("\n")
            assert r.render(report, lang) == out  # deterministic: no timestamps


def test_json_is_schema_valid_alone_and_as_an_array(std, report):
    schema = standards.schema("report")
    jsonschema.validate(json.loads(standards.render(report, "json")), schema)
    many = json.loads(render_many([report, std.evaluate(FIXED)], "json", "en"))
    assert isinstance(many, list) and len(many) == 2
    for item in many:
        jsonschema.validate(item, schema)


def test_csv_is_the_remediation_list_with_a_bom(report):
    text = standards.render(report, "csv")
    assert text.startswith(BOM) and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows[0] == ["优先级", "项目", "状态", "整改措施", "责任组", "期限", "差距", "需提供材料"]
    assert len(rows) == 1 + len(report.remediation)
    first = report.remediation[0].to_dict("zh")
    assert rows[1][0] == "必备" and rows[1][1].startswith(first["criterion"])
    assert rows[1][3] == first["action"] and rows[1][5] == first["due"]
    en = list(csv.reader(io.StringIO(standards.render(report, "csv", "en").removeprefix(BOM))))
    assert en[0] == ["Priority", "Criterion", "Status", "Action", "Owner", "Due", "Gap", "Evidence to supply"]
    # bytes as Excel sees them: UTF-8 with the BOM first
    assert text.encode("utf-8")[:3] == b"\xef\xbb\xbf"


def test_csv_of_several_reports_names_the_subject(std, report):
    data = json.loads(HOUHUAN.read_text(encoding="utf-8"))
    data["subject"]["id"] = "other"
    text = render_many([report, std.evaluate(data)], "csv")
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM))))
    assert rows[0][0] == "对象" and {r[0] for r in rows[1:]} == {"gd-houhuan", "other"}
    assert text.count(BOM) == 1


def test_csv_cells_cannot_become_formulas(make_standard):
    std = make_standard(
        [
            {
                "check": {"kind": "value", "path": "a", "min": 1},
                "remediation": {"action": '=HYPERLINK("http://x")', "owner": "@组"},
            }
        ]
    )
    rep = std.evaluate({"subject": {"id": "+s"}, "facts": {"a": 0}}, as_of="2011-10-16")
    rows = list(csv.reader(io.StringIO(standards.render(rep, "csv").removeprefix(BOM))))
    assert rows[1][3] == '\'=HYPERLINK("http://x")' and rows[1][4] == "'@组"


def test_junit_one_case_per_criterion(report):
    xml = standards.render(report, "junit")
    root = ET.fromstring(xml.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == len(report.findings)
    counts = report.score.counts
    assert len(suite.findall("testcase/failure")) == counts["fail"] == int(suite.get("failures", "-1"))
    errors = counts["missing_evidence"] + counts["invalid_evidence"]
    assert len(suite.findall("testcase/error")) == errors == int(suite.get("errors", "-1"))
    assert int(suite.get("tests", "-1")) == len(report.findings) == int(root.get("tests", "-1"))
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["verdict"] == "incomplete" and props["subject"] == "gd-houhuan"
    by_name = {c.get("name", "").split()[0]: c for c in cases}
    fail = next(f for f in report.findings if f.status == "fail")
    el = by_name[fail.criterion].find("failure")
    assert el is not None and el.get("type") == "fail" and el.get("message") == fail.explanation("zh")


def test_junit_skips_and_escapes(make_standard):
    std = make_standard(
        [
            {"title": 'a <b> & "c" \x01', "check": {"kind": "value", "path": "a", "min": 1}},
            {"check": {"kind": "value", "path": "b", "min": 1}, "applies_when": {"kind": "exists", "path": "z"}},
            {"check": {"kind": "value", "path": "c", "min": 1}},
        ]
    )
    rep = std.evaluate(
        {"subject": {"id": "s<1>", "name": "]]>"}, "facts": {"a": 0, "c": "__", "z": False}},
        as_of="2011-10-16",
        waivers=[{"criterion": "c0", "justification": "x", "until": "2012-01-01"}],
    )
    root = ET.fromstring(standards.render(rep, "junit").encode("utf-8"))
    cases = root.findall("testsuite/testcase")
    assert cases[0].find("skipped") is not None and cases[0].find("skipped").get("type") == "waived"  # type: ignore[union-attr]
    assert cases[1].find("skipped").get("type") == "not_applicable"  # type: ignore[union-attr]
    assert cases[2].find("error").get("type") == "invalid_evidence"  # type: ignore[union-attr]
    assert cases[0].get("name") == 'c0 a <b> & "c" \ufffd'
    assert root.find("testsuite").get("name").endswith("]]> [s<1>]")  # type: ignore[union-attr]


def test_junit_of_several_reports_has_one_suite_each(std, report):
    root = ET.fromstring(render_many([report, std.evaluate(FIXED)], "junit").encode("utf-8"))
    assert len(root.findall("testsuite")) == 2
    assert int(root.get("tests", "0")) == 2 * len(report.findings)


def test_markdown_tables(report):
    md = standards.render(report, "markdown")
    assert "## 整改清单" in md and "| # | 优先级 | 整改措施 | 责任组 | 期限 | 差距 | 需提供材料 |" in md
    assert sum(1 for line in md.splitlines() if line.startswith("| `")) == len(report.findings)


def test_text_colour_only_when_asked(report):
    plain = standards.render(report, "text")
    assert "\x1b[" not in plain
    coloured = standards.render(report, "text", colour=True)
    assert "\x1b[33m" in coloured and "\x1b[0m" in coloured
    assert coloured.replace("\x1b[33m", "").count("结论") == plain.count("结论")
