"""Every golden case under fixtures/ holds: hand-worked statuses and verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest

from standards._cases import find_case_files, run_case_file

ROOT = Path(__file__).resolve().parent.parent
CASE_FILES = find_case_files([ROOT / "fixtures"])


def test_there_are_case_files():
    assert CASE_FILES


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_case_file(path: Path):
    results = run_case_file(path)
    assert results
    failures = {r.name: r.mismatches for r in results if not r.ok}
    assert failures == {}


def test_a_wrong_expectation_is_reported(tmp_path):
    (tmp_path / "std.yaml").write_text(
        "standard: {id: t.x, title: T}\ncategories: [{id: c, title: C}]\n"
        "criteria:\n  - {id: a, category: c, title: A, check: {kind: value, path: a, min: 1}}\n",
        encoding="utf-8",
    )
    (tmp_path / "x.cases.yaml").write_text(
        "standard: std.yaml\ncases:\n  - name: wrong\n    as_of: 2011-01-01\n"
        "    evidence: {subject: {id: s}, facts: {a: 0}}\n    expect: {verdict: pass, findings: {a: pass}}\n",
        encoding="utf-8",
    )
    [res] = run_case_file(tmp_path / "x.cases.yaml")
    assert res.mismatches == ["verdict: want pass, got fail", "a: want pass, got fail"]
