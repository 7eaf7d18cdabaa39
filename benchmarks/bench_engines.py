"""The two engines compared on the 51-criterion standard of bench_51.py, in one run.

Same standard, same generated records (``bench_51.make_records``), four deciders:

* ``hand_decide`` — the function written by hand for this one standard (the floor);
* ``std.decide`` — the native engine's fast path (verdict and statuses);
* ``std.evaluate`` — the native engine's full report;
* ``std.evaluate(engine="durable")`` — the full report, every status decided by a
  durable_rules Rete network (and cross-checked against the native closures).

Before anything is timed, every record is evaluated by both engines and the JSON reports
must be identical (``engine`` aside), and ``hand_decide`` must agree with ``std.decide``;
a disagreement is printed and the run exits 1. Timings are the best of ``--repeats``
passes, the paths interleaved within each repeat.

Usage::

    python benchmarks/bench_engines.py                 # 1000 records, best of 3
    python benchmarks/bench_engines.py --records 2000 --repeats 5
    python benchmarks/bench_engines.py --quick         # smoke: 100 records, 1 repeat
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_51  # the workload lives next to this file

from standards.engines import durable

QUICK_RECORDS, QUICK_REPEATS = 100, 1


def _text(report: Any) -> str:
    """The report's JSON text (NaN allowed: a few edge records hold one, echoed as read)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, allow_nan=True)


def agreement(std: Any, records: Sequence[dict[str, Any]]) -> list[str]:
    """Every record where the engines' reports differ, or hand_decide and std.decide do."""
    bad = [f"#{d.index} hand_decide vs std.decide: {d.statuses}" for d in bench_51.disagreements(std, records)]
    for i, rec in enumerate(records):
        native = _text(dataclasses.replace(std.evaluate(rec), engine="durable"))
        try:
            rete = _text(std.evaluate(rec, engine="durable"))
        except durable.EngineDisagreement as exc:
            bad.append(f"#{i} {exc}")
            continue
        if rete != native:
            bad.append(f"#{i}: the durable report differs from the native one")
    return bad


def paths(std: Any) -> list[tuple[str, Callable[[Any], Any]]]:
    """The timed paths: (label, function of one record)."""
    return [
        ("hand_decide (hand-written)", bench_51.hand_decide),
        ("native: std.decide", std.decide),
        ("native: std.evaluate (report)", std.evaluate),
        ("durable: std.evaluate (report)", lambda r: std.evaluate(r, engine="durable")),
    ]


def measure(std: Any, records: Sequence[dict[str, Any]], repeats: int) -> tuple[list[tuple[str, float]], float]:
    """(label, best µs per record) per path, and µs per record spent inside durable sessions."""
    timed = paths(std)
    best = [math.inf] * len(timed)
    in_rules = math.inf
    for _ in range(repeats):
        for i, (_, fn) in enumerate(timed):
            before = durable.stats()["session_ns"]
            secs = bench_51.one_pass(fn, records)
            best[i] = min(best[i], secs / len(records) * 1e6)
            spent = durable.stats()["session_ns"] - before
            if spent:
                in_rules = min(in_rules, spent / 1e3 / len(records))
    return [(label, us) for (label, _), us in zip(timed, best, strict=True)], in_rules


def table(rows: Sequence[tuple[str, float]], in_rules: float) -> str:
    """The result as a Markdown table (pasted into docs/engines.md)."""
    base = rows[0][1]
    lines = ["| path | µs per record | records/s | × hand-written |", "|---|---:|---:|---:|"]
    for label, us in rows:
        lines.append(f"| {label} | {us:,.1f} | {1e6 / us:,.0f} | {us / base:,.1f} |")
    lines.append(f"| … of which inside durable_rules (assert → fire → delete) | {in_rules:,.1f} | | |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=1000, help="records to generate (1000)")
    ap.add_argument("--repeats", type=int, default=3, help="timing repeats, best kept (3)")
    ap.add_argument("--seed", type=int, default=51)
    ap.add_argument("--quick", action="store_true", help="smoke run: 100 records, 1 repeat")
    args = ap.parse_args(argv)
    why = durable.available()
    if why is not None:
        print(f"the durable engine is not available here: {why}")
        return 2
    n, repeats = (QUICK_RECORDS, QUICK_REPEATS) if args.quick else (args.records, args.repeats)
    t0 = time.perf_counter()
    std = bench_51.load_standard()
    records = bench_51.make_records(n, args.seed)
    edges = bench_51.edge_records()
    stats0 = durable.stats()
    bad = agreement(std, [*records, *edges])
    stats1 = durable.stats()
    print(bench_51.environment())
    evaluated = len(records) + len(edges)
    print(
        f"workload: {len(bench_51.CRITERIA)} criteria, {n} records (seed {args.seed}) + {len(edges)} edge cases; "
        f"best of {repeats}"
    )
    if bad:
        print(f"\nDISAGREEMENT on {len(bad)} records (first 10):")
        for line in bad[:10]:
            print("  " + line)
        return 1
    plan = durable.plan_for(std.compiled)
    rules = sum(len(c.rules) for c in plan.chunks)
    print(
        f"agreement: identical JSON reports from both engines, and hand_decide == std.decide, "
        f"on all {evaluated} records\n"
        f"durable: {len(plan.chunks)} ruleset(s), {rules} rules; per record "
        f"{(stats1['facts'] - stats0['facts']) / evaluated:.0f} facts asserted, "
        f"{(stats1['firings'] - stats0['firings']) / evaluated:.0f} rules fired\n"
    )
    rows, in_rules = measure(std, records, repeats)
    print(table(rows, in_rules))
    print(f"\n(total run {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
