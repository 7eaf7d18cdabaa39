"""The README is a promise: its Python example runs, and CI runs its test command."""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_examples_run(capsys):
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert blocks
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        for block in blocks:
            exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    assert "incomplete" in capsys.readouterr().out


def test_ci_runs_the_readme_test_command():
    commands = re.findall(r"```sh\n(.*?)```", README, re.S)
    assert len(commands) == 2
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert commands[1].strip() in ci
    install = commands[0].split("&&")[1].strip()
    assert install in ci


def test_example_report_matches_what_the_checker_prints():
    import io

    from standards.cli import main

    shown = re.findall(r"```text\n(.*?)```", README, re.S)[0]
    out = io.StringIO()
    code = main(["check", str(ROOT / "rules/guangdong/health-village.yaml"),
                 str(ROOT / "fixtures/guangdong/houhuan.json")], out=out, err=io.StringIO())
    assert code == 3
    printed = out.getvalue().splitlines()
    for line in shown.splitlines():
        if "…" in line or not line.strip():
            continue
        assert line in printed, line
