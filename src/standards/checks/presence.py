"""Presence checks: ``exists`` (a fact, or a dated document) and ``absent`` (无X)."""

from __future__ import annotations

import sys
from typing import Any, Final

from .._values import is_blank, parse_bound, parse_date
from ..evidence import MISSING
from ..model import AbsentCheck, ExistsCheck
from ._base import (
    FAIL,
    INVALID,
    MISSING_EVIDENCE,
    NOT_AN_OBJECT,
    PASS,
    CheckFn,
    CompileEnv,
    Ctx,
    Outcome,
    StatusFn,
    check_kind,
    getter,
    inline_keys,
    lookup,
    quick,
    reason_outcome,
    show,
    split,
    status_kind,
    unknown,
)
from .quantity import _item_id, matcher

__all__ = ["absent", "absent_status", "exists", "exists_status"]


def _truthy(raw: Any) -> bool | None:
    """True/False for a usable presence value; None when it is a template blank."""
    if isinstance(raw, str):
        return None if is_blank(raw) else True
    if isinstance(raw, list | dict):
        return len(raw) > 0
    return bool(raw)


@status_kind("exists")
def exists_status(spec: ExistsCheck, env: CompileEnv) -> StatusFn | None:
    """The status of ``exists`` on a fact (a document's: read from the check)."""
    if spec.document is not None or spec.path is None:
        return None
    keys = split(spec.path)
    get, (inline, k0, k1, k2) = getter(keys), inline_keys(keys)

    def status(ctx: Ctx) -> str:
        facts = ctx.facts
        try:  # (see quantity.value_status)
            raw = (facts[k0][k1] if k2 is None else facts[k0][k1][k2]) if inline else get(facts)
        except (KeyError, TypeError):
            raw = get(facts)
        if raw is None:
            return MISSING_EVIDENCE
        if raw is NOT_AN_OBJECT:
            return INVALID
        ok = _truthy(raw)
        return INVALID if ok is None else (PASS if ok else FAIL)

    return status


@check_kind("exists")
def exists(spec: ExistsCheck, env: CompileEnv) -> CheckFn:
    """A fact present and truthy, or a document of a kind dated within a window."""
    if spec.document is not None:
        return _document(spec.document, env.duration(spec.within, "within"))
    assert spec.path is not None
    keys, path = split(spec.path), spec.path

    def run(ctx: Ctx) -> Outcome:
        raw = lookup(ctx.facts, keys)
        if raw is MISSING:
            return unknown(ctx, keys, path)
        ok = _truthy(raw)
        if ok is None:
            return reason_outcome(INVALID, "blank", path, raw, ((path, raw),)) if ctx.detail else quick(INVALID)
        status = PASS if ok else FAIL
        if not ctx.detail:
            return quick(status)
        return Outcome(
            status,
            f"exists.{status}",
            {"path": path, "observed": show(raw)},
            observed=raw,
            expected={"exists": True},
            reads=((path, raw),),
            gap=None if ok else {"kind": "produce", "what": path},
        )

    return run


def _document(kind: str, within: Any) -> CheckFn:
    def run(ctx: Ctx) -> Outcome:
        if ctx.record.documents is None:
            return (
                Outcome(
                    MISSING_EVIDENCE,
                    "document.no_list",
                    {"kind": kind},
                    reads=((f"documents[kind={kind}]", None),),
                    gap={"kind": "supply", "paths": ["documents"]},
                )
                if ctx.detail
                else quick(MISSING_EVIDENCE)
            )
        docs = ctx.record.documents_of(kind)
        start = within.before(ctx.as_of) if within is not None else None
        best: Any = None
        bad_date: Any = None
        undated: Any = None
        for doc in docs:
            if start is None:
                best = doc
                break
            when = doc.get("date")
            if when is None:
                # An undated document might be in the window: unknown, not wrong.
                undated = undated or doc
                continue
            span = parse_date(when)
            if span is None:
                bad_date = bad_date or doc
                continue
            if start <= span.last and span.first <= ctx.as_of:
                best = doc
                break
        if best is not None:
            status = PASS
        elif bad_date is not None:
            status = INVALID  # a wrong date must be corrected before more is collected
        elif undated is not None:
            status = MISSING_EVIDENCE
        else:
            status = FAIL
        if not ctx.detail:
            return quick(status)
        shown = best or bad_date or undated
        read = (
            f"documents[kind={kind}]",
            None if shown is None else {k: shown.get(k) for k in ("id", "title", "date") if k in shown},
        )
        window = {"within": str(within)} if within is not None else {}
        if status == INVALID:
            return Outcome(
                INVALID,
                "document.bad_date",
                {"kind": kind, "raw": repr(bad_date.get("date"))},
                reads=(read,),
                gap={"kind": "correct", "paths": [f"documents[kind={kind}].date"]},
            )
        if status == MISSING_EVIDENCE:
            return Outcome(
                MISSING_EVIDENCE,
                "document.undated",
                {"kind": kind, "title": str(undated.get("title", kind)), "within": str(within)},
                reads=(read,),
                gap={"kind": "supply", "paths": [f"documents[kind={kind}].date"]},
            )
        return Outcome(
            status,
            f"document.{status}" + ("_window" if within is not None else ""),
            {
                "kind": kind,
                "within": str(within or ""),
                "title": str((best or {}).get("title", kind)),
                "date": str((best or {}).get("date", "")),
            },
            observed=None if best is None else best.get("id", best.get("title")),
            expected={"document": kind, **window},
            reads=(read,),
            gap=None if best else {"kind": "produce", "what": kind, **window},
        )

    return run


def _tally(raw: Any) -> int | None:
    """A count written as a number or numeric text (``3``, ``"3"``); None if it is not one."""
    t = type(raw)
    if t is int:  # the common case, without building a Bound
        return raw if 0 <= raw <= _MAX_TALLY else None
    if t is float and 0 <= raw < 2**53:  # floats this small are their own decimal
        return int(raw) if raw.is_integer() else None
    if isinstance(raw, bool):
        return None
    b = parse_bound(raw) if isinstance(raw, int | float | str) else None
    if b is None or b.percent or b.q < 0 or b.q.denominator != 1:
        return None
    return int(b.q)


#: The largest whole number a float holds: a bigger one cannot be compared (as parse_bound says).
_MAX_TALLY: Final = int(sys.float_info.max)


@status_kind("absent")
def absent_status(spec: AbsentCheck, env: CompileEnv) -> StatusFn:
    """The status of an ``absent`` check."""
    keys = split(spec.path)
    get, (inline, k0, k1, k2) = getter(keys), inline_keys(keys)
    where = None if spec.where is None else {k: env.resolve(v) for k, v in spec.where.items()}
    matches = matcher(where)

    def status(ctx: Ctx) -> str:
        facts = ctx.facts
        try:  # (see quantity.value_status)
            raw = (facts[k0][k1] if k2 is None else facts[k0][k1][k2]) if inline else get(facts)
        except (KeyError, TypeError):
            raw = get(facts)
        if raw is None:
            return MISSING_EVIDENCE
        if isinstance(raw, list):
            # Without a filter every item counts: the list itself says whether any is there.
            return FAIL if (raw if where is None else any(map(matches, raw))) else PASS
        if isinstance(raw, bool):
            return FAIL if raw else PASS
        tally = _tally(raw)  # (NOT_AN_OBJECT is no tally either: invalid)
        if tally is None:
            return INVALID
        return PASS if tally == 0 else FAIL

    return status


@check_kind("absent")
def absent(spec: AbsentCheck, env: CompileEnv) -> CheckFn:
    """No matching items, false, or zero; the gap is the items to remove (by id)."""
    keys, path = split(spec.path), spec.path
    where = None if spec.where is None else {k: env.resolve(v) for k, v in spec.where.items()}
    matches = matcher(where)
    unit = spec.unit or ""

    def run(ctx: Ctx) -> Outcome:
        raw = lookup(ctx.facts, keys)
        if raw is MISSING:
            return unknown(ctx, keys, path)
        ids: list[str] = []
        if isinstance(raw, list):
            ids = [_item_id(it, i) for i, it in enumerate(raw) if matches(it)]
            n = len(ids)
        elif isinstance(raw, bool):
            n = int(raw)
        elif (tally := _tally(raw)) is not None:
            n = tally
        else:
            reason = "blank" if isinstance(raw, str) and is_blank(raw) else "not_a_count"
            return reason_outcome(INVALID, reason, path, raw, ((path, raw),)) if ctx.detail else quick(INVALID)
        status = PASS if n == 0 else FAIL
        if not ctx.detail:
            return quick(status)
        gap = (
            None
            if n == 0
            else {
                "kind": "remove",
                "amount": n,
                "items": ids,
                "unit": unit,
                "display": f"{n}{unit}",
            }
        )
        shown = "、".join(ids[:10]) + ("…" if len(ids) > 10 else "")
        return Outcome(
            status,
            f"absent.{status}",
            {"path": path, "observed": show(n), "unit": unit, "items": shown},
            observed=n if not isinstance(raw, bool) else raw,
            expected={"absent": True},
            reads=((path, raw),),
            gap=gap,
        )

    return run
