"""Time checks: ``periodic`` (宣传栏每季度更换一次), ``age`` (称号一年以上), ``trend``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise
from typing import Any

from .._values import Duration, parse_bound
from ..evidence import MISSING
from ..model import AgeCheck, PeriodicCheck, TrendCheck
from ._base import (
    FAIL,
    INVALID,
    MISSING_EVIDENCE,
    PASS,
    CheckFn,
    CompileEnv,
    Ctx,
    Outcome,
    check_kind,
    lookup,
    quick,
    read_date,
    reason_outcome,
    show,
    split,
    unknown,
)

__all__ = ["age", "periodic", "periods", "trend"]


@lru_cache(maxsize=1024)
def periods(as_of: date, every: Duration, over: Duration) -> tuple[tuple[date, date], ...]:
    """The window ``over`` ending at as_of, cut into periods of ``every`` counted back.

    Each period is (start, end]: an event on ``end`` counts, one on ``start`` belongs to
    the period before. Returned oldest first. When the window is not a whole number of
    periods (13 weeks and a day in three months), the short remainder at the old end is
    merged into the oldest full period: no day goes unwatched, and a perfectly regular
    log is not failed for a one-day sliver. (Cached: every record of a run shares as_of.)
    """
    window_start = over.before(as_of)
    out: list[tuple[date, date]] = []
    k = 0
    end = as_of
    clamped = False
    while end > window_start and k < 10_000:
        full_start = every.before(as_of, k + 1)
        clamped = full_start < window_start
        start = max(full_start, window_start)
        out.append((start, end))
        k += 1
        end = start
    if clamped and len(out) > 1:
        sliver = out.pop()
        out[-1] = (sliver[0], out[-1][1])
    out.reverse()
    return tuple(out)


def _assign(spans: list[date], slots: Sequence[tuple[date, date]], grace: Duration | None) -> list[date | None]:
    """Give each period (oldest first) the earliest unused event that counts for it."""
    used = [False] * len(spans)
    result: list[date | None] = []
    for start, end in slots:
        late = grace.after(end) if grace is not None else end
        hit: date | None = None
        for i, d in enumerate(spans):
            if not used[i] and start < d <= late:
                used[i] = True
                hit = d
                break
        result.append(hit)
    return result


@check_kind("periodic")
def periodic(spec: PeriodicCheck, env: CompileEnv) -> CheckFn:
    """Each period holds an event; the gap lists the missed periods and the next due date."""
    every = env.duration(spec.every, "every")
    over = env.duration(spec.over, "over")
    grace = env.duration(spec.grace, "grace")
    assert every is not None and over is not None
    if every.approx_days() <= 0:
        from ._base import RuleCompileError

        raise RuleCompileError("invalid-duration", "every must be longer than zero", "every")
    event = spec.event

    def run(ctx: Ctx) -> Outcome:
        if ctx.record.events is None:
            return (
                Outcome(
                    MISSING_EVIDENCE,
                    "periodic.no_events",
                    {"event": event},
                    reads=((f"events[type={event}]", None),),
                    gap={"kind": "supply", "paths": ["events"]},
                )
                if ctx.detail
                else quick(MISSING_EVIDENCE)
            )
        found = ctx.record.events_of(event)
        # A month-precision date counts as the month's last day (the latest it can be),
        # but an event recorded in the month of as_of happened by as_of at the latest.
        spans = [min(s.last, ctx.as_of) for s, _ in found if s is not None and s.first <= ctx.as_of]
        # An event whose date is wrong ("2011-09-31", "__") or not given could be the one a
        # missed period lacks: the check is undecided, invalid before missing.
        bad = [ev for s, ev in found if s is None and ev.get("date") is not None]
        undated = [ev for s, ev in found if s is None and ev.get("date") is None]
        slots = periods(ctx.as_of, every, over)
        hits = _assign(spans, slots, grace)
        missed = [slot for slot, hit in zip(slots, hits, strict=True) if hit is None]
        status = PASS if not missed else (INVALID if bad else MISSING_EVIDENCE if undated else FAIL)
        if not ctx.detail:
            return quick(status)
        last = max(spans) if spans else None
        nxt = every.after(last) if last is not None else ctx.as_of
        nxt = max(nxt, ctx.as_of) if missed else nxt
        missed_txt = [f"{(s + timedelta(days=1)).isoformat()}~{e.isoformat()}" for s, e in missed]
        reads = ((f"events[type={event}]", [str(ev.get("date")) for _, ev in found]),)
        if status == INVALID:
            return Outcome(
                INVALID,
                "periodic.bad_date",
                {"event": event, "raw": repr(bad[0].get("date"))},
                reads=reads,
                gap={"kind": "correct", "paths": [f"events[type={event}].date"]},
            )
        if status == MISSING_EVIDENCE:
            return Outcome(
                MISSING_EVIDENCE,
                "periodic.undated",
                {"event": event, "n": str(len(undated)), "missed": "、".join(missed_txt)},
                reads=reads,
                gap={"kind": "supply", "paths": [f"events[type={event}].date"]},
            )
        return Outcome(
            status,
            f"periodic.{status}",
            {
                "event": event,
                "every": str(every),
                "over": str(over),
                "n": str(len(slots)),
                "covered": str(len(slots) - len(missed)),
                "missed": "、".join(missed_txt),
                "next": nxt.isoformat(),
            },
            observed={"periods": len(slots), "covered": len(slots) - len(missed)},
            expected={
                "every": str(every),
                "over": str(over),
                **({"grace": str(grace)} if grace else {}),
            },
            reads=reads,
            gap=None
            if not missed
            else {
                "kind": "missed_periods",
                "amount": len(missed),
                "periods": missed_txt,
                "next_due": nxt.isoformat(),
                "display": str(len(missed)),
            },
        )

    return run


@check_kind("age")
def age(spec: AgeCheck, env: CompileEnv) -> CheckFn:
    """as_of − date within [min, max]; the gap is the date it becomes (or stopped being) true."""
    keys, path = split(spec.path), spec.path
    lo, hi = env.duration(spec.min, "min"), env.duration(spec.max, "max")
    want = " ".join(x for x in (f"≥ {lo}" if lo else "", f"≤ {hi}" if hi else "") if x)

    def run(ctx: Ctx) -> Outcome:
        status, span, raw, reason = read_date(ctx, keys)
        if status is not None or span is None:
            st = status or INVALID
            return reason_outcome(st, reason, path, raw, ((path, raw),)) if ctx.detail else quick(st)
        # A month counts as its least favourable day: old enough only if its last day is.
        ready = lo.after(span.last) if lo is not None else None
        expires = hi.after(span.first) if hi is not None else None
        ok = (ready is None or ctx.as_of >= ready) and (expires is None or ctx.as_of <= expires)
        st = PASS if ok else FAIL
        if not ctx.detail:
            return quick(st)
        gap = None
        msg = f"age.{st}"
        if ready is not None and ctx.as_of < ready:
            gap = {"kind": "wait_until", "date": ready.isoformat(), "display": ready.isoformat()}
        elif expires is not None and ctx.as_of > expires:
            # Too old can never become true by waiting: say when it stopped being true.
            msg = "age.expired"
            gap = {
                "kind": "expired_on",
                "date": expires.isoformat(),
                "display": expires.isoformat(),
            }
        return Outcome(
            st,
            msg,
            {
                "path": path,
                "observed": span.text,
                "expected": want,
                "date": (gap["date"] if gap else (ready or expires or ctx.as_of).isoformat()),
                "max": str(hi or ""),
            },
            observed=span.text,
            expected={k: str(v) for k, v in (("min", lo), ("max", hi)) if v},
            reads=((path, raw),),
            gap=gap,
        )

    return run


Point = tuple[str, Fraction | None, Any]


def _series(raw: Any) -> list[Point] | None:
    """Points as (period, exact value or None, raw value), oldest first; None if not a series.

    A point's value is judged only if it is among the last N: a blank in a year the rule
    does not look at must not make the check undecided.
    """
    if not isinstance(raw, list):
        return None
    out: list[Point] = []
    for item in raw:
        if not isinstance(item, dict) or item.get("period") is None:
            return None
        v = item.get("value")
        b = None if v is None or isinstance(v, bool) else parse_bound(v)
        out.append((str(item["period"]), None if b is None else b.q, v))
    out.sort(key=lambda p: p[0])
    return out


_STEP: dict[str, Callable[[Fraction, Fraction], bool]] = {
    "rising": lambda a, b: b > a,
    "falling": lambda a, b: b < a,
    "not_falling": lambda a, b: b >= a,
    "not_rising": lambda a, b: b <= a,
}


def _unusable_point(tail: list[Point], path: str, raw: Any, detail: bool) -> Outcome | None:
    """The outcome of the first unusable point of the tail (invalid before missing), if any."""
    bad = [p for p in tail if p[1] is None and p[2] is not None]
    gone = [p for p in tail if p[2] is None]
    if not bad and not gone:
        return None
    status = INVALID if bad else MISSING_EVIDENCE
    if not detail:
        return quick(status)
    period, _, value = (bad or gone)[0]
    return Outcome(
        status,
        "trend.bad_point" if bad else "trend.missing_point",
        {"path": path, "period": period, "raw": repr(value) if isinstance(value, str) else value},
        observed=raw,
        reads=((path, raw),),
        gap={
            "kind": "correct" if bad else "supply",
            "paths": [f"{path}[period={p[0]}]" for p in (bad or gone)],
        },
    )


@check_kind("trend")
def trend(spec: TrendCheck, env: CompileEnv) -> CheckFn:
    """The last N points of a {period, value} series all move in one direction."""
    keys, path, n, direction = split(spec.path), spec.path, spec.last, spec.direction
    step = _STEP[direction]

    def run(ctx: Ctx) -> Outcome:
        raw = lookup(ctx.facts, keys)
        if raw is MISSING:
            return unknown(ctx, keys, path)
        series = _series(raw)
        if series is None:
            return reason_outcome(INVALID, "not_a_series", path, raw, ((path, raw),)) if ctx.detail else quick(INVALID)
        if len(series) < n:
            return (
                Outcome(
                    MISSING_EVIDENCE,
                    "trend.too_short",
                    {"path": path, "n": str(n), "have": str(len(series))},
                    reads=((path, raw),),
                    gap={"kind": "supply", "paths": [path]},
                )
                if ctx.detail
                else quick(MISSING_EVIDENCE)
            )
        tail = series[-n:]
        unusable = _unusable_point(tail, path, raw, ctx.detail)
        if unusable is not None:
            return unusable
        values = [(p, q) for p, q, _ in tail if q is not None]
        bad = [(a, b) for a, b in pairwise(values) if not step(a[1], b[1])]
        st = PASS if not bad else FAIL
        if not ctx.detail:
            return quick(st)
        shown = ", ".join(f"{p}: {show(v)}" for p, v in values)
        return Outcome(
            st,
            f"trend.{st}",
            {
                "path": path,
                # Worded per language when the sentence is rendered (下降 / falling).
                "direction": Outcome(st, f"trend.{direction}"),
                "n": str(n),
                "series": shown,
                "at": bad[0][1][0] if bad else "",
            },
            observed=[{"period": p, "value": v} for p, _, v in tail],
            expected={"direction": direction, "last": n},
            reads=((path, raw),),
            gap=None if not bad else {"kind": "trend_break", "periods": [b[1][0] for b in bad]},
        )

    return run
