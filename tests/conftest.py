"""Shared fixtures: build small standards from Python data, evaluate records tersely."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

import standards

ROOT = Path(__file__).resolve().parent.parent

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def rule_file(
    criteria: Iterable[Mapping[str, Any]],
    *,
    parameters: Mapping[str, Any] | None = None,
    scoring: Mapping[str, Any] | None = None,
    categories: Iterable[Mapping[str, Any]] | None = None,
    std_id: str = "test.standard",
    **extra: Any,
) -> dict[str, Any]:
    """A rule-file dict: every criterion defaults to category ``c`` and 1 point."""
    crits = []
    for i, c in enumerate(criteria):
        crit = {"id": f"c{i}", "category": "c", "title": f"criterion {i}", **c}
        crits.append(crit)
    data: dict[str, Any] = {
        "standard": {"id": std_id, "title": "测试标准", "version": "1"},
        "parameters": dict(parameters or {}),
        "scoring": dict(scoring or {"method": "points", "pass_mark": "100%"}),
        "categories": list(categories or [{"id": "c", "title": "类别", "owner": "测试组"}]),
        "criteria": crits,
    }
    data.update(extra)
    return data


@pytest.fixture
def make_standard(tmp_path: Path) -> Callable[..., standards.Standard]:
    """Write a rule file built by :func:`rule_file` (or a raw dict) and load it."""
    counter = iter(range(10_000))

    def make(
        criteria: Any = None, *, raw: Mapping[str, Any] | None = None, name: str | None = None, **kw: Any
    ) -> standards.Standard:
        data = dict(raw) if raw is not None else rule_file(criteria or [], **kw)
        path = tmp_path / (name or f"std{next(counter)}.yaml")
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return standards.load(path)

    return make


@pytest.fixture
def check_one(make_standard: Callable[..., standards.Standard]) -> Callable[..., standards.Finding]:
    """Evaluate one check against facts and return its finding.

    ``check_one({"kind": "value", "path": "a", "min": 1}, {"a": 2})`` → Finding(status="pass").
    """

    def run(
        check: Mapping[str, Any],
        facts: Mapping[str, Any] | None = None,
        *,
        record: Mapping[str, Any] | None = None,
        as_of: str = "2011-10-16",
        criterion: Mapping[str, Any] | None = None,
        **kw: Any,
    ) -> standards.Finding:
        std = make_standard([{"check": dict(check), **(criterion or {})}], **kw)
        rec = dict(record) if record is not None else {"subject": {"id": "s1", "kind": "village"}}
        if record is None:
            rec["facts"] = dict(facts or {})
        rec.setdefault("subject", {"id": "s1", "kind": "village"})
        return std.evaluate(rec, as_of=as_of).findings[0]

    return run
