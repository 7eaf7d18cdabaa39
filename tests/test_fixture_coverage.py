"""Every bundled standard has a passing and a failing fixture, and every criterion is decided.

"Exercised" means some golden case expects the criterion to be decided (pass or fail) —
a criterion only ever missing evidence in the fixtures has never been tested. Run with
``-s`` to print the coverage table.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import yaml

import standards
from standards._cases import find_case_files

ROOT = Path(__file__).resolve().parent.parent


def coverage() -> dict[str, dict[str, set[str]]]:
    """standard id → criterion id → the statuses the golden cases expect of it."""
    by_file = {p.resolve(): sid for sid, _, p in standards.bundled()}
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    verdicts: dict[str, set[str]] = defaultdict(set)
    for f in find_case_files([ROOT / "fixtures"]):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        sid = by_file.get((f.parent / data["standard"]).resolve())
        if sid is None:
            continue
        for case in data["cases"]:
            exp = case.get("expect") or {}
            verdicts[sid].add(exp.get("verdict", ""))
            for cid, status in (exp.get("findings") or {}).items():
                out[sid][cid].add(status)
    for sid, vs in verdicts.items():
        out[sid]["__verdicts__"] = vs
    return out


def test_every_standard_passes_and_fails_somewhere_and_every_criterion_is_decided():
    cov = coverage()
    rows = []
    problems = []
    for sid, _, path in standards.bundled():
        std = standards.load(path)
        seen = cov.get(sid, {})
        verdicts = seen.get("__verdicts__", set())
        decided = [c.id for c in std.criteria if seen.get(c.id, set()) & {"pass", "fail"}]
        failing = [c.id for c in std.criteria if "fail" in seen.get(c.id, set())]
        rows.append(f"{sid:42s} {len(decided):3d}/{len(std.criteria):3d} decided, {len(failing):3d} fail somewhere, "
                    f"verdicts {sorted(verdicts)}")
        if not {"pass", "fail"} <= verdicts:
            problems.append(f"{sid}: verdicts seen {sorted(verdicts)}, need a pass and a fail")
        undecided = sorted({c.id for c in std.criteria} - set(decided))
        if undecided:
            problems.append(f"{sid}: never decided: {undecided}")
    print("\n" + "\n".join(rows))
    assert problems == []
