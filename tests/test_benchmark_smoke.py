"""Smoke test of benchmarks/bench_51.py: it runs, and the hand-written decider agrees.

Nothing about timing is asserted: timings on shared CI machines are too noisy. What is
asserted is that ``hand_decide`` (written by hand for the 51-criterion workload) and
``Standard.decide`` reach the same statuses and verdict on every generated and edge-case
record, so the benchmark compares two deciders that do the same job.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_51.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_51", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_51"] = module  # dataclasses resolve annotations through sys.modules
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop("bench_51", None)
    return module


def test_committed_standard_matches_generator(bench: ModuleType) -> None:
    committed = (BENCH.parent / "standard_51.yaml").read_text(encoding="utf-8")
    assert committed == bench.standard_text(), "run: python benchmarks/bench_51.py --write-standard"
    std = bench.load_standard()
    assert len(std.criteria) == 51
    assert sum(c.mandatory for c in std.criteria) == 4
    assert len(std.categories) == 10
    assert sum(c.points for c in std.criteria) == 1000


def test_records_are_deterministic_and_mixed(bench: ModuleType) -> None:
    a, b = bench.make_records(50, seed=7), bench.make_records(50, seed=7)
    assert a == b
    assert a != bench.make_records(50, seed=8)
    statuses = {st for rec in bench.make_records(200) for st in bench.hand_decide(rec)[1].values()}
    assert statuses == {"pass", "fail", "missing_evidence", "invalid_evidence"}


def test_quick_run_agrees_with_engine(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    """The --quick run checks hand_decide against std.decide on every generated and
    edge-case record before timing, and exits 1 (printing the records) if they differ."""
    code = bench.main(["--quick"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "agreement: hand_decide == std.decide" in out
    assert "std.evaluate(...).to_dict()" in out


def test_edge_cases_cover_every_status_and_verdict(bench: ModuleType) -> None:
    std = bench.load_standard()
    records = bench.edge_records()
    assert not bench.disagreements(std, records)
    decisions = [bench.hand_decide(r) for r in records]
    assert {v for v, _ in decisions} == {"pass", "fail", "incomplete"}
    assert {st for _, s in decisions for st in s.values()} == {
        "pass",
        "fail",
        "missing_evidence",
        "invalid_evidence",
    }
