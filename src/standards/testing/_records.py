"""Whole evidence records for a standard, built from the per-kind strategies."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from .._api import Standard
from .._compiler import fact_paths
from ..checks._base import CompileEnv
from ..errors import UsageError
from ._strategies import DECIDED, STATUSES, Piece, combine, piece_for

__all__ = ["AS_OF", "all_criteria_piece", "env_of", "evidence_for"]

#: The default evaluation date of generated records (the start of 后环's 考核验收阶段).
AS_OF = date(2011, 10, 16)


def env_of(std: Standard) -> CompileEnv:
    """The compile environment of a standard: its parameters and the standards it meets."""
    return CompileEnv(parameters=std.parameters, standards=std.dependencies)


def _criterion_piece(std: Standard, crit: Any, status: str | None, as_of: date) -> st.SearchStrategy[Piece]:
    env = env_of(std)
    wanted = STATUSES if status is None else (status,)
    body = st.one_of([piece_for(crit.check, env, s, as_of) for s in wanted])
    if crit.fresh_within is not None:
        # Freshly collected evidence, so the freshness rule does not hide the steered status.
        stamp = {p: {"collected": as_of.isoformat()} for p in fact_paths(crit.check)}
        body = body.map(lambda piece: piece.merge(Piece(provenance=stamp)))
    if crit.applies_when is None:
        return body
    if status == "not_applicable":
        return piece_for(crit.applies_when, env, "fail", as_of)
    guard = piece_for(crit.applies_when, env, "pass", as_of)
    return st.tuples(guard, body).map(lambda t: t[0].merge(t[1]))


def all_criteria_piece(std: Standard, status: str, as_of: date) -> st.SearchStrategy[Piece]:
    """Evidence steering every criterion of a standard to one status."""
    return combine([_criterion_piece(std, c, status, as_of) for c in std.criteria])


def evidence_for(
    standard: Standard,
    criterion: str | None = None,
    status: str | None = None,
    *,
    as_of: date = AS_OF,
    subject_kind: str | None = None,
    others: bool = True,
) -> st.SearchStrategy[dict[str, Any]]:
    """Evidence records for a standard, or steering one criterion to a status.

    ``evidence_for(std)`` draws records that cover every fact path, event type, document
    kind and sub-unit list the standard reads, each criterion steered to a random status.
    ``evidence_for(std, "edu.knowledge-rate", "fail")`` steers that one criterion (values
    exactly at and just beside its thresholds); the other criteria get random evidence.

    Args:
        standard: a loaded standard.
        criterion: a criterion id to steer, or None.
        status: pass, fail, missing_evidence, invalid_evidence or not_applicable (with a
            criterion), or pass / fail to steer every criterion at once (without one).
        as_of: the records' as_of date.
        subject_kind: the subject's kind (default: the standard's first ``applies_to``).
        others: with a criterion, also draw evidence for the other criteria (False makes
            small records that exercise only the steered criterion: faster to shrink).

    """
    kind = subject_kind or (standard.header.applies_to or ["village"])[0]
    subject = {"id": "generated", "name": "生成的记录", "kind": kind}
    ids = [c.id for c in standard.criteria]
    if criterion is not None and criterion not in ids:
        import difflib

        close = difflib.get_close_matches(criterion, ids, n=1)
        raise UsageError(f"no criterion {criterion!r} in {standard.id}", code="unknown-criterion",
                         hint=f"did you mean {close[0]!r}?" if close else None)
    allowed = (*STATUSES, "not_applicable")
    if status is not None and status not in allowed:
        raise UsageError(f"status={status!r}", code="bad-status", expected=" | ".join(allowed))
    if criterion is None and status is not None and status not in DECIDED:
        raise UsageError("without a criterion, status must be pass or fail", code="bad-status")
    parts = []
    for c in standard.criteria:
        if criterion is None:
            parts.append(_criterion_piece(standard, c, status, as_of))
        elif c.id == criterion:
            target = _criterion_piece(standard, c, status, as_of)
        elif others:
            parts.append(_criterion_piece(standard, c, None, as_of))
    if criterion is not None:
        parts.append(target)  # last, so its facts win where paths are shared

    return combine(parts).map(lambda piece: piece.record(subject, as_of))
