"""Logic checks: ``all``, ``any`` and ``not``, with three-valued outcomes.

An undecided child (missing or invalid evidence) never passes or fails on its own:
``all`` fails as soon as one child fails, and is undecided if none fails but one is
undecided; ``any`` is the dual; ``not`` swaps pass and fail and keeps undecided.
Invalid outranks missing, because wrong data must be corrected before more is collected.
"""

from __future__ import annotations

from ..model import AllCheck, AnyCheck, NotCheck
from ._base import (
    FAIL,
    INVALID,
    MISSING_EVIDENCE,
    PASS,
    CheckFn,
    CompileEnv,
    Ctx,
    Outcome,
    StatusFn,
    check_kind,
    fragment,
    quick,
    status_kind,
)

__all__ = ["all_", "all_status", "any_", "any_status", "label_of", "not_", "not_status"]


def label_of(spec: object, index: int) -> str:
    """The name a child check goes by in a finding: its title, else ``kind[index]``."""
    title = getattr(spec, "title", None)
    return title if isinstance(title, str) and title else f"{getattr(spec, 'kind', 'check')}[{index}]"


def _names(child: str, status: str) -> bool:
    """Whether a child is named as the reason for the combined status.

    Only children of that very status: an undecided child is never listed as "not met",
    and a missing one is named apart from the invalid ones (``also``).
    """
    return child == status


def _combine(statuses: list[str], decisive: str, otherwise: str) -> str:
    if decisive in statuses:
        return decisive
    if INVALID in statuses:
        return INVALID
    if MISSING_EVIDENCE in statuses:
        return MISSING_EVIDENCE
    return otherwise


def _children(ctx: Ctx, fns: list[CheckFn], labels: list[str], decisive: str) -> tuple[str, list[tuple[str, Outcome]]]:
    done: list[tuple[str, Outcome]] = []
    for fn, label in zip(fns, labels, strict=True):
        out = fn(ctx)
        done.append((label, out))
        if out.status == decisive and not ctx.detail:
            break
    return _combine([o.status for _, o in done], decisive, PASS if decisive == FAIL else FAIL), done


def _gap(children: list[tuple[str, Outcome]], status: str) -> dict[str, object] | None:
    if status == PASS:
        return None
    parts = [
        {"check": label, "status": o.status, **(dict(o.gap) if o.gap else {})}
        for label, o in children
        if o.status != PASS
    ]
    return {"kind": "children", "items": parts, "display": str(len(parts))}


def _first(decisive: str, otherwise: str, fns: list[StatusFn]) -> StatusFn:
    """The three-valued combination of child statuses, stopping at the first decisive one."""

    def status(ctx: Ctx) -> str:
        worst = otherwise
        for fn in fns:
            st = fn(ctx)
            if st == decisive:
                return decisive
            if st == INVALID:
                worst = INVALID
            elif st == MISSING_EVIDENCE and worst != INVALID:
                worst = MISSING_EVIDENCE
        return worst

    return status


@status_kind("all")
def all_status(spec: AllCheck, env: CompileEnv) -> StatusFn:
    """The status of ``all``: fail at the first failing child."""
    return _first(FAIL, PASS, [env.child_status(c) for c in spec.checks])


@status_kind("any")
def any_status(spec: AnyCheck, env: CompileEnv) -> StatusFn:
    """The status of ``any``: pass at the first passing child."""
    return _first(PASS, FAIL, [env.child_status(c) for c in spec.checks])


@status_kind("not")
def not_status(spec: NotCheck, env: CompileEnv) -> StatusFn:
    """The status of ``not``: pass and fail swapped, undecided kept."""
    fn = env.child_status(spec.check)

    def status(ctx: Ctx) -> str:
        st = fn(ctx)
        return _FLIP.get(st, st)

    return status


@check_kind("all")
def all_(spec: AllCheck, env: CompileEnv) -> CheckFn:
    """Every child passes; fails on the first failing child."""
    fns = [env.child(c) for c in spec.checks]
    labels = [label_of(c, i) for i, c in enumerate(spec.checks)]

    def run(ctx: Ctx) -> Outcome:
        status, done = _children(ctx, fns, labels, FAIL)
        if not ctx.detail:
            return quick(status)
        # Name the children that decided: the failing ones for a fail, the undecided ones
        # (missing and invalid alike) otherwise — never an undecided child as "not met".
        bad = [label for label, o in done if _names(o.status, status)]
        also = [label for label, o in done if status == INVALID and o.status == MISSING_EVIDENCE]
        return Outcome(
            status,
            f"all.{status}",
            {
                "n": str(len(done)),
                "bad": "、".join(bad),
                "also": fragment("logic.also_missing", open="、".join(also)),
            },
            reads=tuple(r for _, o in done for r in o.reads),
            children=tuple(done),
            gap=_gap(done, status),
        )

    return run


@check_kind("any")
def any_(spec: AnyCheck, env: CompileEnv) -> CheckFn:
    """At least one child passes."""
    fns = [env.child(c) for c in spec.checks]
    labels = [label_of(c, i) for i, c in enumerate(spec.checks)]

    def run(ctx: Ctx) -> Outcome:
        status, done = _children(ctx, fns, labels, PASS)
        if not ctx.detail:
            return quick(status)
        good = [label for label, o in done if o.status == PASS]
        open_ = [label for label, o in done if _names(o.status, status)]
        also = [label for label, o in done if status == INVALID and o.status == MISSING_EVIDENCE]
        return Outcome(
            status,
            f"any.{status}",
            {
                "n": str(len(done)),
                "good": "、".join(good),
                "open": "、".join(open_),
                "also": fragment("logic.also_missing", open="、".join(also)),
            },
            reads=tuple(r for _, o in done for r in o.reads),
            children=tuple(done),
            gap=_gap(done, status),
        )

    return run


_FLIP = {PASS: FAIL, FAIL: PASS}


@check_kind("not")
def not_(spec: NotCheck, env: CompileEnv) -> CheckFn:
    """The child fails (undecided stays undecided)."""
    fn = env.child(spec.check)
    label = label_of(spec.check, 0)

    def run(ctx: Ctx) -> Outcome:
        out = fn(ctx)
        status = _FLIP.get(out.status, out.status)
        if not ctx.detail:
            return quick(status)
        return Outcome(
            status,
            f"not.{status}",
            {"child": label},
            reads=out.reads,
            children=((label, out),),
            gap=None if status == PASS else ({"kind": "negate", "check": label} if status == FAIL else out.gap),
        )

    return run
