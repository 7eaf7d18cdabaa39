"""The Hypothesis strategies steer every check kind to every status it can take."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings

import standards
from standards.model import CHECK_KINDS
from standards.testing import STRATEGIES, evidence_for

HERE = Path(__file__).resolve().parent
ALL_KINDS = standards.load(HERE / "all-kinds.yaml")

# Statuses each criterion of all-kinds.yaml cannot take by construction.
UNREACHABLE = {
    ("exists", "invalid_evidence"): False,
    ("meets", "invalid_evidence"): True,
    ("each", "missing_evidence"): False,
}


def test_one_strategy_per_check_kind():
    assert set(STRATEGIES) == set(CHECK_KINDS)


CASES = [
    (c.id, s)
    for c in ALL_KINDS.criteria
    for s in ("pass", "fail", "missing_evidence", "invalid_evidence")
    if not UNREACHABLE.get((c.id, s))
]


@pytest.mark.parametrize(("cid", "status"), CASES, ids=[f"{c}-{s}" for c, s in CASES])
def test_steering_reaches_the_status(cid: str, status: str):
    """Property: every record drawn for (criterion, status) gives that criterion that status."""

    @settings(max_examples=10, deadline=None, database=None)
    @given(evidence_for(ALL_KINDS, cid, status, others=False))
    def prop(record: dict) -> None:
        assert ALL_KINDS.decide(record).statuses[cid] == status

    prop()


def test_guard_can_be_steered_to_not_applicable():
    """Property: steering a guarded criterion to not_applicable makes its guard fail."""

    @settings(max_examples=10, deadline=None, database=None)
    @given(evidence_for(ALL_KINDS, "guarded", "not_applicable", others=False))
    def prop(record: dict) -> None:
        assert ALL_KINDS.decide(record).statuses["guarded"] == "not_applicable"

    prop()


@settings(max_examples=25, deadline=None, database=None)
@given(evidence_for(ALL_KINDS))
def test_generated_records_are_schema_valid_and_cover_every_path(record: dict):
    """Property: every generated record is a valid evidence record and reads evaluate cleanly."""
    jsonschema.validate(record, standards.schema("evidence"))
    report = ALL_KINDS.evaluate(record)
    assert len(report.findings) == len(ALL_KINDS.criteria)


def test_bad_arguments_are_usage_errors():
    with pytest.raises(standards.UsageError):
        evidence_for(ALL_KINDS, "nope", "pass")
    with pytest.raises(standards.UsageError):
        evidence_for(ALL_KINDS, "value", "maybe")
