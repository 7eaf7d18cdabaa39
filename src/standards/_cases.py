"""Golden cases: ``*.cases.yaml`` files with evidence and the statuses expected of it.

A case file names a rule file and lists cases; each case names an evidence file (or
inlines a record) and the expected verdict and per-criterion statuses. A mismatch in
either direction fails — "want fail, got pass" and "want pass, got not_applicable"
alike — because a golden case that cannot fail protects nothing (Kyverno #11814).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ._api import Standard, load, read_evidence
from ._yaml import InputRejected, Limits, read_text, read_yaml_text
from .errors import UsageError

__all__ = ["CaseResult", "find_case_files", "run_case_file"]


@dataclass
class CaseResult:
    """One case: what was expected, what came out, and every mismatch."""

    file: str
    name: str
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the case matched in every expected respect."""
        return not self.mismatches


def find_case_files(paths: list[Path]) -> list[Path]:
    """``*.cases.yaml`` files under the given files or directories, sorted."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(p.rglob("*.cases.yaml"))
        elif p.name.endswith(".cases.yaml"):
            out.append(p)
    return out


def _read(path: Path) -> dict[str, Any]:
    try:
        data = read_yaml_text(read_text(path, Limits()), str(path)).data
    except InputRejected as exc:
        raise UsageError(
            exc.problem.message, code=exc.problem.code, file=str(path), line=exc.problem.line
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise UsageError(
            "a cases file needs 'standard' and a list of 'cases'",
            code="bad-cases-file",
            file=str(path),
        )
    return data


def run_case_file(path: Path, standard: Standard | None = None) -> list[CaseResult]:
    """Run every case in a file against its standard (or the one given)."""
    data = _read(path)
    if standard is None:
        ref = data.get("standard")
        if not isinstance(ref, str):
            raise UsageError(
                "the cases file does not name its standard", code="bad-cases-file", file=str(path)
            )
        standard = load(path.parent / ref)
    results = []
    for i, case in enumerate(data["cases"]):
        name = str(case.get("name", f"case {i + 1}"))
        result = CaseResult(str(path), name)
        results.append(result)
        evidence = case.get("evidence")
        record = (
            read_evidence(path.parent / evidence)
            if isinstance(evidence, str)
            else read_evidence(evidence)
        )
        as_of = case.get("as_of")
        report = standard.evaluate(
            record,
            as_of=as_of.isoformat() if isinstance(as_of, date) else as_of,
            parameters=case.get("parameters"),
            waivers=case.get("waivers"),
        )
        expect = case.get("expect") or {}
        if "verdict" in expect and expect["verdict"] != report.verdict:
            result.mismatches.append(f"verdict: want {expect['verdict']}, got {report.verdict}")
        got = report.statuses
        for cid, want in (expect.get("findings") or {}).items():
            if cid not in got:
                result.mismatches.append(f"{cid}: no such criterion")
            elif got[cid] != want:
                result.mismatches.append(f"{cid}: want {want}, got {got[cid]}")
        for key in ("earned", "possible"):
            if key in expect and abs(float(expect[key]) - getattr(report.score, key)) > 1e-9:
                result.mismatches.append(
                    f"{key}: want {expect[key]}, got {getattr(report.score, key)}"
                )
        if "grade" in expect and expect["grade"] != report.score.grade:
            result.mismatches.append(f"grade: want {expect['grade']}, got {report.score.grade}")
    return results
