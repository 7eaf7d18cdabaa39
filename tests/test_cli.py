"""The command line through real subprocesses: exit codes, formats, no tracebacks."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import standards
from standards.cli import main

ROOT = Path(__file__).resolve().parent.parent
GD = str(ROOT / "rules/guangdong/health-village.yaml")
HOUHUAN = str(ROOT / "fixtures/guangdong/houhuan.json")
FIXED = str(ROOT / "fixtures/guangdong/houhuan-fixed.json")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "standards", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The same command in this process (faster than a subprocess; argparse's messages captured too)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(list(args), out, err)
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def test_check_exit_codes_follow_the_verdict():
    assert run("check", GD, HOUHUAN).returncode == 3
    assert run("check", GD, FIXED).returncode == 0


def test_check_fail_exits_1(tmp_path):
    data = json.loads(Path(FIXED).read_text(encoding="utf-8"))
    data["facts"]["vector"]["pesticides"] = [{"name": "毒鼠强", "banned": True}]
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = cli("check", GD, str(p))
    assert r.returncode == 1, r.stderr
    assert "不达标" in r.stdout


@pytest.mark.parametrize("fmt", ["json", "markdown", "text"])
def test_formats_and_output_file(tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    r = cli("check", GD, HOUHUAN, "-f", fmt, "-o", str(out), "--lang", "en")
    assert r.returncode == 3
    assert r.stdout == ""
    text = out.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(text)["verdict"] == "incomplete"
    else:
        assert "后环社区" in text


def test_set_parameter_changes_the_result():
    r = cli("check", GD, FIXED, "--set", "knowledge_rate_min=99%", "-f", "json")
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
    p.write_text(
        "standard: {id: x.y, title: T}\ncategories: [{id: c, title: C}]\ncriteria:\n"
        "  - {id: a, category: c, title: A, check: {kind: ration, path: a}}\n",
        encoding="utf-8",
    )
    r = run("check", str(p), HOUHUAN)
    assert r.returncode == 2
    assert f"{p}:4:" in r.stderr and "unknown-check-kind" in r.stderr and "did you mean 'ratio'" in r.stderr
    lint = run("lint", str(p))
    assert lint.returncode == 2 and "unknown-check-kind" in lint.stdout


def test_debug_shows_the_traceback():
    r = run("--debug", "check", GD, "nope.json")
    assert "Traceback" in r.stderr


def test_lint_list_schema_explain_template_test():
    # in this process (they are quick); every bundled standard is loaded by test_standard_docs
    # and every golden case run by test_cases
    assert cli("lint", str(ROOT / "rules/guangdong")).returncode == 0
    assert "gd.health-village" in cli("list").stdout
    assert json.loads(cli("schema", "report").stdout)["title"] == "standards report"
    assert "edu.knowledge-rate" in cli("explain", GD, "edu.knowledge-rate").stdout
    tpl = json.loads(cli("template", GD).stdout)
    assert "health" in tpl["facts"] and tpl["events"][0]["type"] == "health_board.update"
    t = cli("test", str(ROOT / "fixtures/guangdong"))
    assert t.returncode == 0 and "0 failed" in t.stdout


# -- more bad input: each is a message naming the file / line / path, exit 2, no traceback --------


def _no_traceback(r: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert r.returncode == code, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    assert r.stdout == ""
    return r.stderr


def test_unreadable_evidence_is_a_message(tmp_path):
    assert "standards:" in _no_traceback(run("check", GD, str(tmp_path)))  # a directory
    p = tmp_path / "locked.json"
    p.write_text("{}", encoding="utf-8")
    p.chmod(0)
    try:
        if os.access(p, os.R_OK):  # root reads anything
            pytest.skip("running as root: permissions do not stop reading")
        assert str(p) in _no_traceback(run("check", GD, str(p)))
    finally:
        p.chmod(0o644)


def test_not_utf8_evidence_is_a_message(tmp_path):
    p = tmp_path / "gbk.json"
    p.write_bytes('{"subject": {"id": "后环"}}'.encode("gbk"))
    assert str(p) in _no_traceback(cli("check", GD, str(p)))


def test_malformed_yaml_rule_file_names_line_and_column(tmp_path):
    p = tmp_path / "r.yaml"
    p.write_text("standard:\n  id: x.y\n  title: [unclosed\ncriteria: []\n", encoding="utf-8")
    err = _no_traceback(run("check", str(p), HOUHUAN))
    assert re.search(rf"{re.escape(str(p))}:\d+:\d+: yaml", err), err


def test_malformed_yaml_evidence_names_line_and_column(tmp_path):
    p = tmp_path / "e.yaml"
    p.write_text("subject:\n  id: x\nfacts: {a: 1\n", encoding="utf-8")
    err = _no_traceback(cli("check", GD, str(p)))
    assert re.search(rf"{re.escape(str(p))}:\d+:\d+:", err), err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("check", GD, HOUHUAN, "--as-of", "2011-02-30"), "bad-as-of"),
        (("check", GD, HOUHUAN, "--lang", "fr"), "invalid choice"),
        (("check", GD, HOUHUAN, "--waivers", "nope.yaml"), "nope.yaml"),
        (("check", GD, HOUHUAN, "--set", "novalue"), "NAME=VALUE"),
        (("check", GD), "EVIDENCE"),
        (("check", GD, HOUHUAN, "--jobs", "2"), "only works with --batch"),
        (("check", GD, HOUHUAN, "--batch", HOUHUAN), "not both"),
        (("check", "gd.health-vilage", HOUHUAN), "did you mean 'gd.health-village'"),
        (("check", GD, HOUHUAN, "-o", "/"), "directory"),
        (("explain", GD, "edu.knowledge-rat"), "did you mean 'edu.knowledge-rate'"),
        (("docs", GD), "-o"),
        (("nonsense",), "invalid choice"),
        ((), "required"),
    ],
)
def test_more_bad_input(args, needle):
    assert needle in _no_traceback(cli(*args))


def test_bad_waiver_file_is_located(tmp_path):
    w = tmp_path / "w.yaml"
    w.write_text("- criterion: edu.plan\n  until: 2012-01-01\n", encoding="utf-8")  # no justification
    err = _no_traceback(cli("check", GD, HOUHUAN, "--waivers", str(w)))
    assert str(w) in err and "justification" in err


def test_debug_also_after_the_command():
    with pytest.raises(standards.EvidenceError):
        main(["check", GD, "nope.json", "--debug"], io.StringIO(), io.StringIO())


# -- formats, several evidence files, waivers, colour ----------------------------------------------


@pytest.mark.parametrize(("fmt", "head"), [("html", "<!DOCTYPE html>"), ("csv", "\ufeff优先级"), ("junit", "<?xml")])
def test_new_formats_to_a_file(tmp_path, fmt, head):
    out = tmp_path / f"r.{fmt}"
    r = cli("check", GD, HOUHUAN, "-f", fmt, "-o", str(out))
    assert r.returncode == 3 and r.stdout == ""
    assert out.read_text(encoding="utf-8").startswith(head)


def test_several_evidence_files_exit_with_the_worst_verdict():
    r = cli("check", GD, FIXED, HOUHUAN, "-f", "json")
    assert r.returncode == 3
    data = json.loads(r.stdout)
    assert [d["verdict"] for d in data] == ["pass", "incomplete"]
    text = cli("check", GD, FIXED, HOUHUAN)
    assert text.stdout.count("结论:") == 2


def test_waivers_and_as_of(tmp_path):
    w = tmp_path / "w.yaml"
    w.write_text("- {criterion: edu.plan, justification: 计划已在区里备案, until: 2012-01-01}\n", encoding="utf-8")
    data = json.loads(cli("check", GD, HOUHUAN, "--waivers", str(w), "-f", "json").stdout)
    assert {f["criterion"]: f["status"] for f in data["findings"]}["edu.plan"] == "waived"
    later = json.loads(cli("check", GD, HOUHUAN, "--as-of", "2013-01-01", "-f", "json").stdout)
    assert later["as_of"] == "2013-01-01"


def test_colour_follows_the_terminal_no_color_and_the_flag(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in cli("check", GD, HOUHUAN).stdout  # not a terminal
    assert "\x1b[" in cli("check", GD, HOUHUAN, "--color", "always").stdout  # the flag wins over NO_COLOR
    assert "\x1b[" not in cli("check", GD, HOUHUAN, "--color", "never").stdout


def test_want_colour_honours_no_color(monkeypatch):
    from standards.report.text import want_colour

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert want_colour(Tty()) and not want_colour(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not want_colour(Tty()) and want_colour(Tty(), "always")


# -- docs -----------------------------------------------------------------------------------------


def test_docs_writes_one_page_per_standard_and_check_finds_stale_pages(tmp_path):
    from standards._docgen import render_standard_doc

    out = tmp_path / "pages"
    r = cli("docs", GD, "-o", str(out))
    assert r.returncode == 0, r.stderr
    page = out / "gd.health-village.md"
    assert page.read_text(encoding="utf-8") == render_standard_doc(standards.load(GD))
    assert cli("docs", GD, "-o", str(out), "--check").returncode == 0
    page.write_text("old\n", encoding="utf-8")
    stale = cli("docs", GD, "-o", str(out), "--check")
    assert stale.returncode == 1 and f"{page}: differs" in stale.stdout
    assert page.read_text(encoding="utf-8") == "old\n"  # --check writes nothing
    missing = cli("docs", GD, "-o", str(tmp_path / "none"), "--check")
    assert missing.returncode == 1 and "missing" in missing.stdout and not (tmp_path / "none").exists()


def test_test_properties_reports_a_rule_set_defect(tmp_path):
    rules = tmp_path / "village.yaml"
    rules.write_text(
        "standard: {id: demo.village, title: 示例}\nscoring: {method: points, pass_mark: 85%}\n"
        "categories: [{id: env, title: 环境卫生}]\ncriteria:\n"
        "  - {id: env.toilets, category: env, title: 卫生厕所普及率, points: 6,\n"
        "     check: {kind: ratio, numerator: toilets.sanitary, denominator: households, min: 970%}}\n",
        encoding="utf-8",
    )
    r = run("test", str(rules), "--properties", "--examples", "5")
    assert r.returncode == 1, r.stderr
    assert "FAIL  demo.village: property reachability" in r.stdout
    assert "env.toilets can never pass" in r.stdout
    ok = run("test", str(ROOT / "rules/guangdong/health-village.yaml"), "--properties", "--examples", "5")
    assert ok.returncode == 0 and " 0 failed" in ok.stdout


def test_engine_option_gives_the_same_report():
    pytest.importorskip("durable_rules_engine")
    native = json.loads(run("check", GD, HOUHUAN, "-f", "json").stdout)
    durable = json.loads(run("check", GD, HOUHUAN, "-f", "json", "--engine", "durable").stdout)
    assert durable["engine"] == "durable"
    native.pop("engine"), durable.pop("engine")
    assert native == durable
