"""The Python examples of these docs pages run, in order (the docs cannot rot).

The README's are run by ``tests/test_readme.py``; the one in ``docs/engines.md`` needs
durable_rules and is what ``tests/test_engine_durable.py`` does.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "docs" / name for name in ("testing-rule-sets.md", "performance.md", "security.md")]


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
