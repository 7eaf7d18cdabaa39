"""Reports are the same bytes for the same input: whatever the key order, whatever the threads.

Every case of every fixture (``fixtures/*/*.cases.yaml``: each bundled standard with the
evidence written for it) is evaluated once, then again with every object of the evidence
in a different key order, then on 8 threads sharing one loaded standard; each report, in
every format, must be byte-identical to the first. Generated records (Hypothesis) with
shuffled keys cover the paths the fixtures do not.
"""

from __future__ import annotations

import json
import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import standards
from standards.testing import evidence_for

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ["json", "text", "markdown", "csv", "junit", "html"]


def _cases() -> list[tuple[str, Path, Path, str | None]]:
    out = []
    for cases in sorted(ROOT.glob("fixtures/*/*.cases.yaml")):
        data = yaml.safe_load(cases.read_text(encoding="utf-8"))
        rules = (cases.parent / data["standard"]).resolve() if str(data["standard"]).endswith(".yaml") else None
        for case in data.get("cases", []):
            ev = case.get("evidence")
            if rules is None or not isinstance(ev, str):
                continue
            out.append((f"{cases.name}:{case['name']}", rules, (cases.parent / ev).resolve(), case.get("as_of")))
    return out


CASES = _cases()
_LOADED: dict[Path, standards.Standard] = {}


def std_at(path: Path) -> standards.Standard:
    if path not in _LOADED:
        _LOADED[path] = standards.load(path)
    return _LOADED[path]


def shuffled(value: Any, rng: random.Random) -> Any:
    """The same JSON value with the keys of every object in another order."""
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [shuffled(v, rng) for v in value]
    return value


def rendered(report: standards.Report) -> dict[str, str]:
    return {fmt: standards.render(report, fmt) for fmt in FORMATS} | {"to_json": report.to_json()}


def test_there_are_fixture_cases_for_every_bundled_standard() -> None:
    covered = {std_at(rules).id for _, rules, _, _ in CASES}
    bundled = {sid for sid, _, _ in standards.bundled()}
    assert len(CASES) > 20
    assert len(covered & bundled) >= len(bundled) - 2, bundled - covered


@pytest.mark.parametrize(("name", "rules", "evidence", "as_of"), CASES, ids=[c[0] for c in CASES])
def test_same_bytes_whatever_the_key_order(name: str, rules: Path, evidence: Path, as_of: str | None) -> None:
    std = std_at(rules)
    record = json.loads(evidence.read_text(encoding="utf-8"))
    first = rendered(std.evaluate(record, as_of=as_of))
    assert rendered(std.evaluate(evidence, as_of=as_of)) == first  # from the file, and again
    for seed in range(2):
        again = rendered(std.evaluate(shuffled(record, random.Random(seed)), as_of=as_of))
        for fmt in first:
            assert again[fmt] == first[fmt], f"{fmt} differs with the keys in another order (seed {seed})"


def test_same_bytes_on_eight_threads() -> None:
    jobs = [(std_at(rules), json.loads(ev.read_text(encoding="utf-8")), as_of) for _, rules, ev, as_of in CASES]
    serial = [std.evaluate(rec, as_of=as_of).to_json() for std, rec, as_of in jobs]

    def work(i: int) -> str:
        std, rec, as_of = jobs[i]
        rng = random.Random(i)
        return std.evaluate(shuffled(rec, rng), as_of=as_of).to_json()

    order = list(range(len(jobs))) * 3
    random.Random(7).shuffle(order)
    with ThreadPoolExecutor(8) as pool:
        threaded = list(pool.map(work, order))
    for i, text in zip(order, threaded, strict=True):
        assert text == serial[i], CASES[i][0]


_BUNDLED = {sid: path for sid, _, path in standards.bundled()}


@settings(max_examples=20, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), sid=st.sampled_from(sorted(_BUNDLED)), seed=st.integers(0, 2**16))
def test_generated_records_give_the_same_bytes_whatever_the_key_order(data: Any, sid: str, seed: int) -> None:
    std = std_at(Path(_BUNDLED[sid]))
    record = data.draw(evidence_for(std))
    first = std.evaluate(record).to_json()
    assert std.evaluate(shuffled(record, random.Random(seed))).to_json() == first
    assert standards.load(_BUNDLED[sid]).evaluate(record).to_json() == first  # a fresh load, too
