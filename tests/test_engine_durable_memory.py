"""10,000 records through the durable engine: no new rulesets, no sessions left, no memory growth.

durable_rules never frees a ruleset and keeps every session (``sid``) until it is deleted
(more than 1,024 live ones raise MemoryError). So the engine registers one ruleset per
standard and deletes each record's session; this test holds it to that over 10,000
records, and measures the resident memory (VmRSS) before and after.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import standards
from standards.engines import durable as engine

UNAVAILABLE = engine.available()
pytestmark = pytest.mark.skipif(UNAVAILABLE is not None, reason=f"durable-rules unavailable: {UNAVAILABLE}")

RECORDS = 10_000
LIMIT_MB = 4.0


def rss_mb() -> float:
    """Resident memory now (not the peak): VmRSS from /proc, else ru_maxrss."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    import resource  # pragma: no cover - not Linux

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover


def _records() -> list[dict[str, Any]]:
    out = []
    for i in range(40):
        out.append(
            {
                "subject": {"id": f"v{i}", "kind": "village"},
                "facts": {
                    "rate": [0.5, 0.8, "80%", "__", None, 87][i % 6],
                    "n": i % 9,
                    "d": 8,
                    "has_team": [True, False, None, "__"][i % 4],
                    "team": {"size": i % 5},
                    "ads": ["a"] * (i % 3),
                    "kind": ["x", "y"][i % 2],
                },
                "provenance": {"rate": {"collected": ["2011-10-01", "2009-01-01"][i % 2]}},
                "events": [{"type": "meeting", "date": f"2011-{m:02d}-10"} for m in range(1, 13) if (m + i) % 5],
            }
        )
    return out


def test_ten_thousand_records(make_standard: Callable[..., standards.Standard]) -> None:
    std = make_standard(
        [
            {"check": {"kind": "value", "path": "rate", "min": "75%"}, "fresh_within": "P1Y"},
            {"check": {"kind": "ratio", "numerator": "n", "denominator": "d", "min": "50%"}, "mandatory": True},
            {"check": {"kind": "all", "checks": [{"kind": "exists", "path": "has_team"},
                                                 {"kind": "count", "path": "team.size", "min": 2}]},
             "applies_when": {"kind": "value", "path": "kind", "equals": "x"}},
            {"check": {"kind": "not", "check": {"kind": "absent", "path": "ads"}}},
            {"check": {"kind": "periodic", "event": "meeting", "every": "P3M", "over": "P1Y"}},
        ],
        scoring={"method": "points", "pass_mark": "60%"},
    )
    records = _records()
    waivers = [{"criterion": "c3", "subject": "v3", "justification": "批准", "until": "2012-01-01"}]
    for rec in records * 5:  # warm up: registration, caches, allocator pools
        std.evaluate(rec, as_of="2011-10-16", waivers=waivers, engine="durable")
    gc.collect()
    before, stats = rss_mb(), engine.stats()
    verdicts: dict[str, int] = {}
    for i in range(RECORDS):
        rep = std.evaluate(records[i % len(records)], as_of="2011-10-16", waivers=waivers, engine="durable")
        verdicts[rep.verdict] = verdicts.get(rep.verdict, 0) + 1
    gc.collect()
    grown = rss_mb() - before
    after = engine.stats()
    assert after["registered"] == stats["registered"], "a ruleset was registered again"
    assert after["sessions"] - stats["sessions"] == RECORDS
    assert after["deleted"] - stats["deleted"] == RECORDS, "a session was left behind"
    assert set(verdicts) == {"pass", "fail", "incomplete"}
    print(f"\n{RECORDS} records: RSS {before:.1f} MB -> {before + grown:.1f} MB ({grown:+.2f} MB); {verdicts}")
    assert grown < LIMIT_MB, f"RSS grew by {grown:.2f} MB over {RECORDS} records"
