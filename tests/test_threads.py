"""A loaded standard is immutable: 8 threads at once give the same reports as one."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import standards

ROOT = Path(__file__).resolve().parent.parent


def _records() -> list[dict]:
    base = json.loads((ROOT / "fixtures/guangdong/houhuan.json").read_text(encoding="utf-8"))
    fixed = json.loads((ROOT / "fixtures/guangdong/houhuan-fixed.json").read_text(encoding="utf-8"))
    out = []
    for i in range(40):
        rec = json.loads(json.dumps(fixed if i % 2 else base))
        rec["subject"]["id"] = f"r{i}"
        out.append(rec)
    return out


def test_eight_threads_match_one_thread():
    std = standards.load(ROOT / "rules/guangdong/health-village.yaml")
    records = _records()
    params = [None, {"knowledge_rate_min": "80%"}]
    serial = [std.evaluate(r, parameters=params[i % 2]).to_json() for i, r in enumerate(records)]

    def work(i: int) -> str:
        return std.evaluate(records[i], parameters=params[i % 2]).to_json()

    with ThreadPoolExecutor(8) as pool:
        for _ in range(3):
            threaded = list(pool.map(work, range(len(records))))
            assert threaded == serial
