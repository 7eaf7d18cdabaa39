"""Batch mode loses nothing: one valid line per input line, in order, across jobs and interruptions."""

from __future__ import annotations

import collections
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from standards import _batch
from standards.cli import main

ROOT = Path(__file__).resolve().parent.parent
GD = str(ROOT / "rules/guangdong/health-village.yaml")
HOUHUAN = json.loads((ROOT / "fixtures/guangdong/houhuan.json").read_text(encoding="utf-8"))
FIXED = json.loads((ROOT / "fixtures/guangdong/houhuan-fixed.json").read_text(encoding="utf-8"))
ENV = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "PYTHONPATH": str(ROOT / "src")}


def make_records(path: Path, n: int, broken: bool = True) -> list[int]:
    """Write n lines of records (a few broken ones); return the line numbers that need a result."""
    numbers = []
    with path.open("w", encoding="utf-8") as f:
        for i in range(1, n + 1):
            if broken and i % 97 == 0:
                f.write('{"subject": {"id": "torn"}, "facts": \n')  # not JSON
            elif broken and i % 131 == 0:
                f.write(json.dumps({"subject": {"id": f"bad-{i}"}, "as_of": "2011-10-16", "events": [{}]}) + "\n")
            elif broken and i == 50:
                f.write("   \n")  # blank: not a record, no result line
                continue
            else:
                rec = dict(HOUHUAN if i % 2 else FIXED)
                rec["subject"] = {**rec["subject"], "id": f"v{i:05d}"}
                f.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")
            numbers.append(i)
    return numbers


def batch(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "standards", "check", GD, "--batch", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=ENV,
        cwd=cwd,
    )


def parse(path: Path) -> list[dict[str, object]]:
    raw = path.read_bytes()
    assert raw == b"" or raw.endswith(b"\n"), "the output must end with a complete line"
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int], bytes, str]:
    """300 lines, with broken ones, and the reference output of an uninterrupted --jobs 1 run."""
    d = tmp_path_factory.mktemp("batch")
    src = d / "records.jsonl"
    numbers = make_records(src, 300)
    out = d / "reference.jsonl"
    r = batch(str(src), "-o", str(out))
    assert r.returncode == 2, r.stderr  # broken lines → 2
    assert r.stdout == ""
    return src, numbers, out.read_bytes(), r.stderr


def test_one_line_per_input_line_in_order_with_line_numbers_and_subjects(records):
    _, numbers, reference, _ = records
    lines = [json.loads(x) for x in reference.decode().splitlines()]
    assert [x["line"] for x in lines] == numbers
    by_line = {x["line"]: x for x in lines}
    assert by_line[1]["subject"] == "v00001" and by_line[1]["verdict"] == "incomplete"
    assert by_line[2]["subject"] == "v00002" and by_line[2]["verdict"] == "pass"
    assert by_line[97]["error"]["code"] == "json-syntax" and by_line[97]["error"]["column"] > 1
    assert by_line[131]["subject"] == "bad-131"
    assert by_line[131]["error"]["path"] == "$.events[0].type"
    assert 50 not in by_line  # the blank line
    good = by_line[1]
    assert set(good) == {"line", "subject", "verdict", "score", "counts", "deciding", "statuses", "remediation"}
    assert good["score"] == {"earned": 22.0, "possible": 110.0, "pass_mark": 93.5, "grade": None}
    assert good["remediation"] == 22 and len(good["statuses"]) == sum(good["counts"].values())


def test_jobs_2_is_byte_identical_to_jobs_1(records, tmp_path):
    src, _, reference, _ = records
    out = tmp_path / "j2.jsonl"
    r = batch(str(src), "-o", str(out), "--jobs", "2", "--chunk-size", "7")
    assert r.returncode == 2, r.stderr
    assert out.read_bytes() == reference


def test_summary_on_stderr(records):
    _, numbers, _, stderr = records
    assert f"{len(numbers)} result line(s)" in stderr
    assert "incomplete" in stderr and "first error: line 97: json-syntax" in stderr
    assert "\r" not in stderr  # no progress bar when stderr is not a terminal


def test_sigint_leaves_complete_lines_and_resume_finishes_identically(records, tmp_path):
    src, numbers, reference, _ = records
    out = tmp_path / "interrupted.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "standards", "check", GD, "--batch", str(src), "-o", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 20_000):
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted (SIGINT) after input line" in err and "--resume" in err
    assert "Traceback" not in err
    partial = parse(out)  # every line complete and valid JSON
    assert 0 < len(partial) < len(numbers), "the run should have stopped part-way"
    assert [x["line"] for x in partial] == numbers[: len(partial)]
    assert reference.startswith(out.read_bytes())

    r = batch(str(src), "-o", str(out), "--resume", "--jobs", "2")
    assert r.returncode == 2, r.stderr
    assert f"resumed after input line {partial[-1]['line']}" in r.stderr
    assert out.read_bytes() == reference
    assert collections.Counter(x["line"] for x in parse(out)) == collections.Counter(numbers)


def test_resume_drops_a_torn_last_line(records, tmp_path):
    src, _, reference, _ = records
    lines = reference.splitlines(keepends=True)
    out = tmp_path / "torn.jsonl"
    out.write_bytes(b"".join(lines[:40]) + lines[40][:25])  # a crash mid-line (not ours: kill -9, disk full)
    r = batch(str(src), "-o", str(out), "--resume")
    assert "dropping an incomplete last line" in r.stderr
    assert out.read_bytes() == reference


def test_resume_refuses_output_that_is_not_batch_results(records, tmp_path):
    src, _, _, _ = records
    out = tmp_path / "other.jsonl"
    out.write_text("hello\n", encoding="utf-8")
    r = batch(str(src), "-o", str(out), "--resume")
    assert r.returncode == 2 and "cannot resume" in r.stderr and "Traceback" not in r.stderr
    assert out.read_text(encoding="utf-8") == "hello\n"  # untouched


def test_exit_code_is_the_worst_verdict_when_every_line_is_usable(tmp_path):
    src = tmp_path / "ok.jsonl"
    make_records(src, 6, broken=False)
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", GD, "--batch", str(src), "-q"], out, err) == 3
    assert err.getvalue() == ""
    assert [json.loads(x)["line"] for x in out.getvalue().splitlines()] == [1, 2, 3, 4, 5, 6]
    fixed = tmp_path / "fixed.jsonl"
    fixed.write_text(json.dumps(FIXED, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["check", GD, "--batch", str(fixed), "-q"], io.StringIO(), err) == 0


def test_full_lines_carry_the_whole_report(tmp_path):
    src = tmp_path / "two.jsonl"
    make_records(src, 2, broken=False)
    out = io.StringIO()
    assert main(["check", GD, "--batch", str(src), "--full", "--lang", "en", "-q"], out, io.StringIO()) == 3
    first = json.loads(out.getvalue().splitlines()[0])
    assert list(first)[:3] == ["line", "subject", "verdict"]
    assert first["report"]["lang"] == "en" and len(first["report"]["findings"]) == 29


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("nope.jsonl",), "no such file"),
        (("x.jsonl", "--resume"), "--resume needs -o"),
        (("x.jsonl", "-f", "html"), "JSON Lines"),
        (("x.jsonl", "--jobs", "-1"), "--jobs -1"),
        (("x.jsonl", "--as-of", "2011-13-01"), "bad-as-of"),
        (("x.jsonl", "--set", "nope=1"), "unknown"),
        (("x.jsonl", "-o", "/no/such/dir/out.jsonl"), "does not exist"),
    ],
)
def test_batch_usage_errors(tmp_path, monkeypatch, args, needle):
    (tmp_path / "x.jsonl").write_text(json.dumps(FIXED) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", GD, "--batch", *args], out, err) == 2, err.getvalue()
    assert needle in err.getvalue() and out.getvalue() == ""


def test_process_line_turns_every_bad_line_into_an_error_line():
    _batch.init(_batch.BatchOptions(rules=GD))
    try:

        def run(n: int, raw: bytes | None) -> dict[str, object]:
            lineno, text, _, _ = _batch.process_line(n, raw)
            assert lineno == n and text.endswith("\n") and text.count("\n") == 1
            return json.loads(text)

        assert run(3, b"\xff\xfe{}\n")["error"]["code"] == "not-utf8"  # type: ignore[index]
        assert run(4, b"[1, 2]\n")["error"]["path"] == "$"  # type: ignore[index]
        assert run(5, None)["error"]["code"] == "line-too-long"  # type: ignore[index]
        no_date = dict(FIXED)
        del no_date["as_of"]
        line = run(6, json.dumps(no_date).encode())
        assert line["subject"] == "gd-houhuan" and line["error"]["code"] == "missing-as-of"  # type: ignore[index]
        dup = run(7, b'{"subject": {"id": "a"}, "subject": {"id": "b"}}')
        assert dup["error"]["code"] in ("json-value", "duplicate-key") and "verdict" not in dup  # type: ignore[index]
        assert run(1, "\ufeff".encode() + json.dumps(FIXED).encode() + b"\r\n")["verdict"] == "pass"
    finally:
        _batch._STATE.clear()


@pytest.mark.slow
def test_memory_stays_flat_over_20000_records(tmp_path):
    src = tmp_path / "many.jsonl"
    make_records(src, 20_000)
    # measured in a wrapper process, so only this run's processes count (not chromium's, say)
    wrapper = (
        "import resource, subprocess, sys; "
        "code = subprocess.run(sys.argv[1:]).returncode; "
        "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    cmd = [sys.executable, "-m", "standards", "check", GD, "--batch", str(src), "-o", os.devnull, "--jobs", "2", "-q"]
    r = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, env=ENV, timeout=1800)
    code, peak_kib = map(int, r.stdout.split())
    assert code == 2, r.stderr
    assert peak_kib < 200 * 1024, f"peak RSS {peak_kib / 1024:.0f} MB"


def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path):
    src = tmp_path / "few.jsonl"
    make_records(src, 3, broken=False)
    out = str(tmp_path / "o.jsonl")
    err = io.StringIO()
    main(["check", GD, "--batch", str(src), "-o", out, "--progress", "always"], io.StringIO(), err)
    assert "\r[" in err.getvalue() and "/3 lines" in err.getvalue() and "\r\x1b[K" in err.getvalue()
    quiet = io.StringIO()
    main(["check", GD, "--batch", str(src), "-o", out], io.StringIO(), quiet)
    assert "\r" not in quiet.getvalue()  # a StringIO is not a terminal
