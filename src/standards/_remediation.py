"""Turn findings into the 整改清单: one item per fail, missing or invalid finding.

Priority: a mandatory criterion is ``critical`` (its fail vetoes the assessment), any
other fail is ``high``, missing or invalid evidence is ``medium`` (缺什么补什么). Items
sort by priority, then due date, then the standard's own order, so the list reads the
way a 创建办 works through it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any

from ._compiler import CompiledCriterion
from ._messages import render
from ._values import Duration
from .checks._base import FAIL, INVALID, MISSING_EVIDENCE
from .results import Finding, RemediationItem, gap_text

__all__ = ["PRIORITIES", "remediate"]

PRIORITIES = ("critical", "high", "medium")
_RANK = {p: i for i, p in enumerate(PRIORITIES)}


def _priority(cc: CompiledCriterion, status: str) -> str:
    if cc.spec.mandatory:
        return "critical"
    return "high" if status == FAIL else "medium"


def _expected_text(finding: Finding) -> str:
    """The threshold as written for a sentence: ``97%`` (the ≥ is the template's to say)."""
    text = str(finding.outcome.args.get("expected", "") or "")
    return text.removeprefix("≥ ").removeprefix("≤ ") or "要求"


def _observed_text(finding: Finding) -> str:
    obs = finding.outcome.args.get("observed")
    return str(obs) if obs is not None else "—"


def _action(
    cc: CompiledCriterion, finding: Finding, params: Mapping[str, Any]
) -> tuple[str, tuple[str, dict[str, Any]] | None]:
    """(rendered action, or a message key for text the library words itself)."""
    out = finding.outcome
    if finding.status == MISSING_EVIDENCE or finding.status == INVALID:
        wanted = list(cc.spec.remediation.evidence) if cc.spec.remediation else []
        paths = (
            list((out.gap or {}).get("paths", [])) or [p for p, _ in out.reads] or list(cc.paths)
        )
        what = "、".join(dict.fromkeys([*paths, *wanted])) or cc.spec.title
        if finding.status == INVALID:
            # The reason is an outcome, worded in the report's language when rendered.
            return "", ("remedy.correct", {"what": what, "why": finding.note or out})
        return "", ("remedy.supply", {"what": what})
    args = {
        **params,
        "observed": _observed_text(finding),
        "expected": _expected_text(finding),
        "gap": gap_text(out.gap, "zh"),
        "title": cc.spec.title,
        "unit": str((out.gap or {}).get("unit", "")),
    }
    template = cc.spec.remediation.action if cc.spec.remediation else None
    if template:
        return render(template, args), None
    return "", ("remedy.default", args)


@lru_cache(maxsize=4096)
def _due(months: int, days: int, as_of: date) -> date:
    """``as_of`` + months and days (cached: a batch shares one as_of and a few durations)."""
    return Duration(months=months, days=days).after(as_of)


def _wording(
    cc: CompiledCriterion, finding: Finding, params: Mapping[str, Any]
) -> Callable[[], tuple[str, tuple[str, dict[str, Any]] | None, dict[str, Any] | None]]:
    """The item's action and gap, worked out from the finding's outcome when first read."""

    def make() -> tuple[str, tuple[str, dict[str, Any]] | None, dict[str, Any] | None]:
        action, key = _action(cc, finding, params)
        gap = finding.outcome.gap
        return action, key, dict(gap) if gap else None

    return make


def remediate(
    rows: Sequence[tuple[CompiledCriterion, Finding]],
    as_of: date,
    subject_id: str,
    params: Mapping[str, Any],
    category_owner: Mapping[str, str | None],
) -> tuple[RemediationItem, ...]:
    """One item per finding that is fail, missing or invalid; sorted for the person fixing.

    ``params`` are the parameter values as text, for the actions' ``{placeholders}``.
    """
    items: list[tuple[int, date, int, RemediationItem]] = []
    for cc, finding in rows:
        status = finding.status
        if status not in (FAIL, MISSING_EVIDENCE, INVALID):
            continue
        within = cc.within
        due = cc.due or _due(within.years * 12 + within.months, within.days, as_of)
        evidence = cc.supply if status == FAIL else cc.supply_missing
        prio = _priority(cc, status)
        spec = cc.spec
        item = RemediationItem(  # (positional: once per item per record)
            f"{subject_id}:{cc.id}",
            cc.id,
            spec.title,
            spec.category,
            status,
            prio,
            cc.owner or category_owner.get(spec.category),
            due,
            evidence,
            _wording(cc, finding, params),
        )
        items.append((_RANK[prio], due, cc.index, item))
    items.sort()  # (the criterion's index is unique: items themselves are never compared)
    return tuple(t[3] for t in items)
