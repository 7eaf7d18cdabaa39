"""The examples in docs/ run: every rule example loads and gives the status its page states.

The reference pages show rules the way users copy them, so a rule example that no longer
loads, or no longer gives the status printed beside it, is a bug in the docs or in the
library. The page format (see docs/rule-format.md, "How the examples are written")::

    ```yaml title="example: ratio"       a criterion, a fragment or a whole rule file
    ```json title="evidence: ratio"      a record to evaluate it with (one or more)
    Expected: fail                       the finding's status, or key=value pairs
    ```yaml title="error: unknown-kind"  a rule file that must not load
    Error: unknown-check-kind at 5:11    its problem code and line:column
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

import standards
from standards.model import CHECK_KINDS

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
RULE_FORMAT = DOCS / "rule-format.md"
STATUSES = {"pass", "fail", "missing_evidence", "invalid_evidence", "not_applicable", "waived"}

_FENCE = re.compile(r"^(?P<ticks>`{3,})(?P<lang>[\w-]*)(?P<info>[^\n`]*)$")
_TITLE = re.compile(r'title="(?P<title>[^"]*)"')


@dataclass
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int
    lang: str
    title: str | None
    text: str
    after: str  # the first non-blank line after the closing fence


@dataclass
class Evidence:
    """A record and the outcome the page states for it."""

    block: Block
    expected: dict[str, str]


@dataclass
class Example:
    """A rule example (criterion, fragment or rule file) with its records."""

    name: str
    block: Block
    data: dict[str, Any]
    records: list[Evidence] = field(default_factory=list)


@dataclass
class BadRule:
    """A rule file the page says must not load, with the problem it must give."""

    name: str
    block: Block
    code: str
    line: int | None
    column: int | None


def blocks(page: Path) -> Iterator[Block]:
    """The fenced blocks of a Markdown page, with the line that follows each."""
    lines = page.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i].strip())
        if not m:
            i += 1
            continue
        ticks, start = m.group("ticks"), i
        j = i + 1
        while j < len(lines) and lines[j].strip() != ticks:
            j += 1
        k = j + 1
        while k < len(lines) and not lines[k].strip():
            k += 1
        title = _TITLE.search(m.group("info"))
        yield Block(
            page,
            start + 1,
            m.group("lang"),
            title.group("title").strip() if title else None,
            "\n".join(lines[start + 1 : j]) + "\n",
            lines[k].strip() if k < len(lines) else "",
        )
        i = j + 1


def parse_expected(block: Block) -> dict[str, str]:
    """``Expected: fail`` → {"status": "fail"}; ``Expected: verdict=pass, a.b=fail`` → pairs."""
    m = re.match(r"^\**Expected:?\**:?\s*(.+)$", block.after)
    assert m, f"{where(block)}: an evidence block must be followed by 'Expected: <status>'"
    out: dict[str, str] = {}
    for token in m.group(1).replace("`", "").rstrip(".").split(","):
        key, eq, value = token.strip().partition("=")
        if eq:
            out[key.strip()] = value.strip()
        else:
            out["status"] = key.strip()
    return out


def where(block: Block) -> str:
    return f"{block.page.relative_to(ROOT)}:{block.line}"


def collect(pages: list[Path]) -> tuple[list[Example], list[BadRule]]:
    """Examples with their records, and the rule files that must not load."""
    examples: dict[str, Example] = {}
    bad: list[BadRule] = []
    for page in pages:
        for block in blocks(page):
            if block.title is None:
                continue
            kind, _, name = block.title.partition(":")
            kind, name = kind.strip(), name.strip()
            if kind == "example":
                assert name not in examples, f"{where(block)}: example {name!r} defined twice"
                data = yaml.safe_load(block.text)
                assert isinstance(data, dict), f"{where(block)}: an example is a mapping"
                examples[name] = Example(name, block, data)
            elif kind == "evidence":
                assert name in examples, f"{where(block)}: evidence for unknown example {name!r}"
                examples[name].records.append(Evidence(block, parse_expected(block)))
            elif kind == "error":
                m = re.match(
                    r"^\**Error:?\**:?\s*`?(?P<code>[a-z0-9-]+)`?(?:\s+at\s+(?P<l>\d+):(?P<c>\d+))?",
                    block.after,
                )
                assert m, f"{where(block)}: an error block must be followed by 'Error: <code>'"
                line, col = m.group("l"), m.group("c")
                bad.append(
                    BadRule(
                        name,
                        block,
                        m.group("code"),
                        int(line) if line else None,
                        int(col) if col else None,
                    )
                )
    return list(examples.values()), bad


PAGES = sorted(DOCS.glob("*.md"))
EXAMPLES, BAD_RULES = collect(PAGES)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9.-]+", "-", name.lower()).strip("-") or "example"


def rule_file(example: Example) -> dict[str, Any]:
    """The example as a whole rule file: bare criteria and fragments get a minimal header."""
    data = dict(example.data)
    if "standard" in data:
        return data
    if "criteria" not in data:  # a bare criterion
        assert "check" in data, f"{where(example.block)}: neither a criterion nor a rule file"
        data = {"criteria": [data]}
    criteria = [{"id": f"c{i}", "category": "c", "title": example.name, **c} for i, c in enumerate(data["criteria"])]
    declared = {c["id"] for c in data.get("categories", [])}
    categories = list(data.get("categories", []))
    for c in criteria:
        if c["category"] not in declared:
            categories.append({"id": c["category"], "title": c["category"]})
            declared.add(c["category"])
    return {
        "standard": {"id": f"doc.{_slug(example.name)}", "title": example.name},
        **{k: v for k, v in data.items() if k not in ("criteria", "categories")},
        "categories": categories,
        "criteria": criteria,
    }


@pytest.fixture(scope="module")
def example_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every example written as a rule file into one directory.

    One directory, so that an example may refer to another by id (``extends``,
    ``meets``) the way rule files next to each other do.
    """
    directory = tmp_path_factory.mktemp("doc-examples")
    for example in EXAMPLES:
        text = yaml.safe_dump(rule_file(example), allow_unicode=True, sort_keys=False)
        (directory / f"{_slug(example.name)}.yaml").write_text(text, encoding="utf-8")
    return directory


def test_the_rule_format_page_exists_and_has_examples() -> None:
    assert RULE_FORMAT in PAGES
    assert len(EXAMPLES) >= len(CHECK_KINDS)


def test_every_code_block_of_the_rule_format_page_is_annotated() -> None:
    for block in blocks(RULE_FORMAT):
        if block.lang in ("yaml", "yml"):
            assert block.title and block.title.split(":")[0] in ("example", "error"), (
                f'{where(block)}: a YAML block needs title="example: …" or title="error: …"'
            )
        if block.lang == "json":
            assert block.title and block.title.startswith("evidence:"), (
                f'{where(block)}: a JSON block needs title="evidence: …"'
            )


def test_every_example_has_a_record_with_an_expected_outcome() -> None:
    for example in EXAMPLES:
        assert example.records, f"{where(example.block)}: example {example.name!r} has no evidence"


def _kinds(check: Any) -> Iterator[str]:
    if isinstance(check, dict):
        if isinstance(check.get("kind"), str):
            yield check["kind"]
        for value in check.values():
            yield from _kinds(value)
    elif isinstance(check, list):
        for value in check:
            yield from _kinds(value)


def test_every_check_kind_has_its_own_example() -> None:
    named = {e.name: e for e in EXAMPLES}
    for kind in CHECK_KINDS:
        assert kind in named, f"no example titled 'example: {kind}' in docs/"
        data = rule_file(named[kind])
        tops = {c["check"]["kind"] for c in data["criteria"]}
        assert kind in tops, f"'example: {kind}' does not use a {kind} check"


def test_every_check_kind_has_a_section() -> None:
    text = RULE_FORMAT.read_text(encoding="utf-8")
    for kind in CHECK_KINDS:
        assert re.search(rf"^###+ `{kind}`", text, re.M), f"no section '### `{kind}`'"


@pytest.mark.parametrize(
    ("example", "record"),
    [(e, r) for e in EXAMPLES for r in e.records],
    ids=[f"{e.name}@{r.block.line}" for e in EXAMPLES for r in e.records],
)
def test_example_gives_the_stated_outcome(example_dir: Path, example: Example, record: Evidence) -> None:
    std = standards.load(example_dir / f"{_slug(example.name)}.yaml")
    data = json.loads(record.block.text)
    report = std.evaluate(data)
    findings = {f.criterion: f for f in report.findings}
    for key, want in record.expected.items():
        at = f"{where(record.block)} ({example.name}): {key}"
        if key == "status":
            assert want in STATUSES, f"{at}: unknown status {want!r}"
            assert len(findings) == 1, f"{at}: several criteria; write <criterion id>={want}"
            (finding,) = findings.values()
            assert finding.status == want, f"{at}: {finding.status} ≠ {want}\n{finding}"
        elif key == "verdict":
            assert report.verdict == want, f"{at}: {report.verdict} ≠ {want}"
        elif key == "earned":
            assert len(findings) == 1, f"{at}: several criteria; earned is ambiguous"
            (finding,) = findings.values()
            assert finding.earned == pytest.approx(float(want)), f"{at}: {finding.earned}"
        elif key == "score":
            assert report.score.earned == pytest.approx(float(want)), f"{at}"
        elif key == "grade":
            assert report.score.grade == want, f"{at}: {report.score.grade} ≠ {want}"
        elif key == "owner":
            owners = {item.owner for item in report.remediation}
            assert owners == {want}, f"{at}: {owners}"
        elif key == "due":
            dues = {item.due.isoformat() for item in report.remediation}
            assert dues == {want}, f"{at}: {dues}"
        else:
            assert key in findings, f"{at}: no criterion {key!r} (have {sorted(findings)})"
            got = findings[key].status
            assert got == want, f"{at}: {got} ≠ {want}"


@pytest.mark.parametrize("bad", BAD_RULES, ids=[b.name for b in BAD_RULES])
def test_error_example_gives_the_stated_problem(tmp_path: Path, bad: BadRule) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(bad.block.text, encoding="utf-8")
    with pytest.raises(standards.RuleSetError) as info:
        standards.load(path)
    codes = [(p.code, p.line, p.column) for p in info.value.problems]
    assert any(
        code == bad.code and (bad.line is None or (line, col) == (bad.line, bad.column)) for code, line, col in codes
    ), f"{where(bad.block)}: expected {bad.code} at {bad.line}:{bad.column}, got {codes}"
