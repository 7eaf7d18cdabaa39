"""The HTML report: self-contained, escaped, and rendered by a real headless Chromium.

The browser test needs Debian's ``chromium`` (``.ci/run`` installs it, with
``fonts-noto-cjk`` for the Chinese); it is skipped, saying so, only when it is absent.
The screenshot is kept at ``$STANDARDS_SCREENSHOT_DIR`` (default: pytest's tmp dir) so a
person can look at it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import standards
from standards.report import render_many

ROOT = Path(__file__).resolve().parent.parent
GD = ROOT / "rules/guangdong/health-village.yaml"
HOUHUAN = ROOT / "fixtures/guangdong/houhuan.json"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="module")
def std() -> standards.Standard:
    return standards.load(GD)


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Tags:
    t = Tags()
    t.feed(html)
    return t


def test_self_contained_no_script_no_network(std):
    html = standards.render(std.evaluate(HOUHUAN), "html")
    tags = parse(html)
    names = {t for t, _ in tags.tags}
    assert "script" not in names and "link" not in names and "img" not in names and "iframe" not in names
    urls = re.findall(r"(?:https?:)?//[^\s\"'<>)]+", html)
    assert urls == ["http://www.w3.org/2000/svg"]  # the SVG namespace name, never fetched
    assert "default-src 'none'" in html  # the page may not load anything at all
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")


def test_counts_of_rows(std):
    report = std.evaluate(HOUHUAN)
    tags = parse(standards.render(report, "html")).tags
    findings = [a for t, a in tags if t == "tr" and "data-status" in a]
    assert [a["data-criterion"] for a in findings] == [f.criterion for f in report.findings]
    fixes = [a for t, a in tags if t == "tr" and "data-priority" in a]
    assert [a["data-criterion"] for a in fixes] == [r.criterion for r in report.remediation]
    bars = [a for t, a in tags if t == "rect" and a.get("class") == "bar"]
    assert len(bars) == len(report.score.categories) + 1  # one per category, and the total


def test_everything_is_escaped(std):
    data = json.loads(HOUHUAN.read_text(encoding="utf-8"))
    data["subject"]["name"] = '<script>alert("x")</script>&<img src=x onerror=alert(1)>'
    data["subject"]["id"] = 'id"><b>'
    html = standards.render(std.evaluate(data), "html", "en")
    tags = parse(html)
    assert not any(t in ("script", "img", "b") for t, _ in tags.tags)
    assert '<script>alert("x")</script>&<img src=x onerror=alert(1)>' in "".join(tags.text)
    assert "&lt;script&gt;" in html and 'data-subject="id&quot;&gt;&lt;b&gt;"' in html


def test_several_reports_share_one_page(std):
    a = std.evaluate(HOUHUAN)
    b = std.evaluate(ROOT / "fixtures/guangdong/houhuan-fixed.json")
    html = render_many([a, b], "html")
    assert html.count("<article") == 2 and html.count("<!DOCTYPE") == 1


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-extensions",
        f"--user-data-dir={profile}",
        "--enable-logging=stderr",
        "--v=0",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does)")
def test_renders_in_headless_chromium(std, tmp_path):
    lang = "zh"  # the Chinese page is the one that needs the CJK fonts; en is checked without a browser
    report = std.evaluate(HOUHUAN)
    page = tmp_path / f"report-{lang}.html"
    r = subprocess.run(
        [sys.executable, "-m", "standards", "check", str(GD), str(HOUHUAN), "-f", "html", "-o", str(page)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 3, r.stderr

    dom = _chromium(["--dump-dom", page.as_uri()], tmp_path / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    tags = parse(dom.stdout)
    banner = [a for t, a in tags.tags if t == "header" and a.get("id") == "verdict"]
    assert banner and banner[0]["data-verdict"] == "incomplete", dom.stdout[:3000]
    verdict_text = "证据不足,无法判定" if lang == "zh" else "INCOMPLETE"
    assert verdict_text in dom.stdout, dom.stdout[:3000]
    assert sum(1 for t, _ in tags.tags if t == "svg") == 1
    rows = [a for t, a in tags.tags if t == "tr" and "data-status" in a]
    assert len(rows) == len(std.criteria) == len(report.findings)
    fixes = [a for t, a in tags.tags if t == "tr" and "data-priority" in a]
    assert len(fixes) == len(report.remediation) > 0

    outdir = Path(os.environ.get("STANDARDS_SCREENSHOT_DIR", tmp_path))
    outdir.mkdir(parents=True, exist_ok=True)
    shot = outdir / f"report-{lang}.png"
    png = _chromium([f"--screenshot={shot}", "--window-size=1200,2000", page.as_uri()], tmp_path / "profile-png")
    assert png.returncode == 0, png.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000, png.stderr[-2000:]

    # No console messages (errors or otherwise), no loads blocked by the page's CSP: the page
    # has no script and fetches nothing. (Chromium's own D-Bus and GPU chatter is ignored.)
    for log in (dom.stderr, png.stderr):
        assert not console_errors(log), console_errors(log)


def console_errors(log: str) -> list[str]:
    """Console messages and CSP refusals in Chromium's ``--enable-logging=stderr`` output."""
    return [line for line in log.splitlines() if ":CONSOLE" in line or "Uncaught" in line or "Refused to" in line]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does)")
def test_the_console_check_would_see_an_error(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>undefinedFn();</script></body></html>", encoding="utf-8")
    r = _chromium(["--dump-dom", page.as_uri()], tmp_path / "profile")
    assert any("Uncaught ReferenceError" in line for line in console_errors(r.stderr)), r.stderr[-2000:]
