"""Every Python example in the README and docs/*.md runs (the docs cannot rot)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "docs" / "testing-rule-sets.md"]


def blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_python_examples_run_in_order(page: Path, capsys):
    found = blocks(page)
    assert found
    namespace: dict = {}
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        for block in found:  # one namespace per page: later blocks build on earlier ones
            exec(compile(block, str(page), "exec"), namespace)
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    text_blocks = re.findall(r"which prints\n\n```text\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    for expected in text_blocks:
        assert expected.strip() in out
