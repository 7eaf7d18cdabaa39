"""A report describes the record as it was when evaluated, whatever happens to it later.

``evaluate`` works a finding's outcome out when it is first read, from a copy of the
parts of the record the standard reads (``Evidence.snapshot`` with the standard's
``ReadPlan``). If that plan missed a path, an edit of the caller's dict after
``evaluate`` would show in the report read later. These tests scramble every value and
container of the record in place after evaluating and compare the report with one made
from an untouched copy.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import standards
from standards.testing import AS_OF, evidence_for

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
STANDARDS = [
    *((sid, path) for sid, _, path in standards.bundled()),
    ("all-kinds", HERE / "all-kinds.yaml"),
    ("bench-51", ROOT / "benchmarks" / "standard_51.yaml"),
]
FIXTURES = sorted((ROOT / "fixtures").rglob("*.json"))
SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


def _changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1000
    if isinstance(value, str):
        return value + "改"
    return "改"


def scramble(tree: Any) -> None:
    """Change every leaf, and add to every dict and list, in place."""
    if isinstance(tree, dict):
        for key in list(tree):
            value = tree[key]
            if isinstance(value, dict | list):
                scramble(value)
            else:
                tree[key] = _changed(value)
        tree["x-added"] = 1
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            if isinstance(value, dict | list):
                scramble(value)
            else:
                tree[i] = _changed(value)
        tree.append({"type": "改", "kind": "改", "date": "2011-06-01", "id": "改"})


def reports(report: standards.Report) -> tuple[str, str]:
    return report.to_json(), report.to_json(lang="en")


def check_untouched(std: standards.Standard, record: dict[str, Any], wrap: Any = None) -> None:
    expected = reports(std.evaluate(copy.deepcopy(record), as_of=AS_OF))
    report = std.evaluate(wrap(record) if wrap else record, as_of=AS_OF)
    scramble(record)
    assert reports(report) == expected


@pytest.mark.parametrize(("sid", "path"), STANDARDS, ids=[sid for sid, _ in STANDARDS])
def test_scrambling_the_record_after_evaluate_changes_no_report(sid: str, path: Path) -> None:
    """Property: for evidence steered to every status, a report read after every value
    and container of its record was changed in place equals the report of an untouched
    copy (in both languages)."""
    std = standards.load(path)

    @settings(max_examples=min(settings().max_examples, 15), deadline=None, suppress_health_check=SLOW)
    @given(record=evidence_for(std))
    def check(record: dict[str, Any]) -> None:
        check_untouched(std, record)

    check()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_scrambling_a_fixture_after_evaluate_changes_no_report(fixture: Path) -> None:
    """The same for every fixture against every bundled standard it can be read by,
    passed as a dict and as an Evidence read from that dict."""
    data = json.loads(fixture.read_text(encoding="utf-8"))
    if "subject" not in data:
        pytest.skip("not a record")
    for _, _, path in standards.bundled():
        std = standards.load(path)
        for wrap in (None, standards.read_evidence):
            try:
                check_untouched(std, copy.deepcopy(data), wrap)
            except standards.StandardsError:
                continue  # a fixture that is wrong on purpose is refused by both
