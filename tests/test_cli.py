"""The command line through real subprocesses: exit codes, formats, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GD = str(ROOT / "rules/guangdong/health-village.yaml")
HOUHUAN = str(ROOT / "fixtures/guangdong/houhuan.json")
FIXED = str(ROOT / "fixtures/guangdong/houhuan-fixed.json")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "standards", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"})


def test_check_exit_codes_follow_the_verdict():
    assert run("check", GD, HOUHUAN).returncode == 3
    assert run("check", GD, FIXED).returncode == 0


def test_check_fail_exits_1(tmp_path):
    data = json.loads(Path(FIXED).read_text(encoding="utf-8"))
    data["facts"]["vector"]["pesticides"] = [{"name": "毒鼠强", "banned": True}]
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = run("check", GD, str(p))
    assert r.returncode == 1, r.stderr
    assert "不达标" in r.stdout


@pytest.mark.parametrize("fmt", ["json", "markdown", "text"])
def test_formats_and_output_file(tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    r = run("check", GD, HOUHUAN, "-f", fmt, "-o", str(out), "--lang", "en")
    assert r.returncode == 3
    assert r.stdout == ""
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(text)["verdict"] == "incomplete"
    else:
        assert "后环社区" in text


def test_set_parameter_changes_the_result():
    r = run("check", GD, FIXED, "--set", "knowledge_rate_min=99%", "-f", "json")
    data = json.loads(r.stdout)
    assert data["parameters"]["knowledge_rate_min"] == "99%"
    assert {f["criterion"]: f["status"] for f in data["findings"]}["edu.knowledge-rate"] == "fail"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("check", GD, "nope.json"), "file-not-found"),
        (("check", "nope.yaml", HOUHUAN), "file-not-found"),
        (("check", GD, HOUHUAN, "--set", "knowledge_rate_mn=80%"), "did you mean 'knowledge_rate_min'"),
        (("check", GD, HOUHUAN, "-o", "/no/such/dir/r.json"), "does not exist"),
        (("check", GD, HOUHUAN, "-f", "docx"), "invalid choice"),
        (("check", GD, HOUHUAN, "--frobnicate"), "unrecognized arguments"),
        (("schema", "nope"), "invalid choice"),
    ],
)
def test_bad_input_is_a_message_and_exit_2_never_a_traceback(args, needle):
    r = run(*args)
    assert r.returncode == 2
    assert needle in r.stderr
    assert "Traceback" not in r.stderr


def test_malformed_json_names_line_and_column(tmp_path):
    p = tmp_path / "e.json"
    p.write_text('{"subject": {"id": "x"},\n "facts": {"a": 1,}}', encoding="utf-8")
    r = run("check", GD, str(p))
    assert r.returncode == 2
    assert f"{p}:2:" in r.stderr and "json-syntax" in r.stderr


def test_wrong_shape_evidence_names_the_json_path(tmp_path):
    p = tmp_path / "e.json"
    p.write_text('{"subject": {"id": "x"}, "as_of": "2011-01-01", "events": [{"date": "2011-01-01"}]}')
    r = run("check", GD, str(p))
    assert r.returncode == 2
    assert "$.events[0].type" in r.stderr


def test_bad_rule_file_is_located(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text("standard: {id: x.y, title: T}\ncategories: [{id: c, title: C}]\ncriteria:\n"
                 "  - {id: a, category: c, title: A, check: {kind: ration, path: a}}\n", encoding="utf-8")
    r = run("check", str(p), HOUHUAN)
    assert r.returncode == 2
    assert f"{p}:4:" in r.stderr and "unknown-check-kind" in r.stderr and "did you mean 'ratio'" in r.stderr
    lint = run("lint", str(p))
    assert lint.returncode == 2 and "unknown-check-kind" in lint.stdout


def test_debug_shows_the_traceback():
    r = run("--debug", "check", GD, "nope.json")
    assert "Traceback" in r.stderr


def test_lint_list_schema_explain_template_test():
    assert run("lint", str(ROOT / "rules")).returncode == 0
    assert "gd.health-village" in run("list").stdout
    assert json.loads(run("schema", "report").stdout)["title"] == "standards report"
    assert "edu.knowledge-rate" in run("explain", GD, "edu.knowledge-rate").stdout
    tpl = json.loads(run("template", GD).stdout)
    assert "health" in tpl["facts"] and tpl["events"][0]["type"] == "health_board.update"
    t = run("test", str(ROOT / "fixtures"))
    assert t.returncode == 0 and "0 failed" in t.stdout
