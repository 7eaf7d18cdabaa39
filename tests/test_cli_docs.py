"""Every command in docs/cli.md runs and exits with the code written next to it.

A command is a line starting with ``standards `` inside a ```sh block, ending with
``# exit N``. Blocks titled ``title="FILE"`` are written to FILE first. The commands run
in this process (``standards.cli.main``) from a scratch directory holding ``rules/`` and
``fixtures/`` (links to the repository's), the page's files and ``records.jsonl``.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shlex
from pathlib import Path

import pytest

from standards.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "cli.md"
_BLOCK = re.compile(r"^```(?P<lang>\w*)(?P<info>[^\n]*)\n(?P<body>.*?)^```$", re.M | re.S)
_COMMAND = re.compile(r"^(?P<cmd>standards .+?)\s+# exit (?P<code>\d+)\s*$")


def blocks() -> list[tuple[str, str, str]]:
    return [(m["lang"], m["info"], m["body"]) for m in _BLOCK.finditer(PAGE.read_text(encoding="utf-8"))]


def commands() -> list[tuple[str, int]]:
    out = []
    for lang, _, body in blocks():
        if lang != "sh":
            continue
        for line in body.splitlines():
            if not line.strip():
                continue
            m = _COMMAND.match(line)
            assert m, f"docs/cli.md: a sh line must be `standards … # exit N`: {line!r}"
            out.append((m["cmd"], int(m["code"])))
    return out


COMMANDS = commands()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("cli-docs")
    (d / "rules").symlink_to(ROOT / "rules")
    (d / "fixtures").symlink_to(ROOT / "fixtures")
    for _, info, body in blocks():
        m = re.search(r'title="([^"]+)"', info)
        if m:
            (d / m[1]).write_text(body, encoding="utf-8")
    lines = [
        json.dumps(
            json.loads((ROOT / f"fixtures/guangdong/{name}.json").read_text(encoding="utf-8")), ensure_ascii=False
        )
        for name in ("houhuan", "houhuan-fixed")
    ]
    (d / "records.jsonl").write_text(
        f'{lines[0]}\n{{"subject": {{"id": "x"}}, "facts": \n{lines[1]}\n', encoding="utf-8"
    )
    return d


def test_the_page_documents_every_command_and_format():
    text = PAGE.read_text(encoding="utf-8")
    from standards.cli import COMMANDS as ALL
    from standards.report import RENDERERS

    for name in ALL:
        assert f"## `{name}`" in text or f"## `{name}`:" in text, name
        assert any(cmd.split()[1] == name for cmd, _ in COMMANDS), f"no example of `standards {name}`"
    for fmt in RENDERERS:
        assert f"### `-f {fmt}`" in text, fmt
    assert len(COMMANDS) >= 20


@pytest.mark.parametrize(("command", "code"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_documented_command(workdir, monkeypatch, command, code):
    monkeypatch.chdir(workdir)
    monkeypatch.setenv("NO_COLOR", "1")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        got = main(shlex.split(command)[1:], out, err)
    assert got == code, err.getvalue()
    assert "Traceback" not in err.getvalue()
