"""Results (SPEC §3): findings, score, remediation items, waivers and the report.

These are immutable values. A finding's outcome and a remediation item's action and gap
are worked out when first read (docs/performance.md); text (explanations, gaps) is
rendered from message keys when a report is turned into a dict, so one evaluation
serves both ``zh`` and ``en``.
"""

from __future__ import annotations

import json
import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, NamedTuple

from ._messages import render, text
from .checks._base import Ctx, Outcome
from .evidence import MISSING

__all__ = [
    "REPORT_VERSION",
    "CategoryScore",
    "Finding",
    "RemediationItem",
    "Report",
    "Score",
    "WaiverUse",
    "explain",
    "gap_text",
]

REPORT_VERSION: Final = "1.0"


def explain(outcome: Outcome, lang: str) -> str:
    """The explanation sentence of an outcome in a language (nested outcomes included)."""
    args = {k: explain(v, lang) if isinstance(v, Outcome) else v for k, v in outcome.args.items()}
    return render(text(outcome.msg, lang), args)


def gap_text(gap: Any, lang: str) -> str:
    """A gap as one sentence (``还差 116户(需达到 12549/12937)``)."""
    if not gap:
        return ""
    args = dict(gap)
    for key in ("paths", "periods", "items", "units"):
        if isinstance(args.get(key), list):
            args[key] = (
                "、".join(str(x) for x in args[key])
                if lang == "zh"
                else ", ".join(str(x) for x in args[key])
            )
    args.setdefault("unit", "")
    if args.get("kind") == "children":
        parts = [
            gap_text(c, lang) for c in gap.get("items", []) if isinstance(c, dict) and c.get("kind")
        ]
        head = render(text("gap.children", lang), args)
        return (
            head + (":" if lang == "zh" else ": ") + ("; ".join(p for p in parts if p))
            if parts
            else head
        )
    return render(text(f"gap.{args.get('kind')}", lang), args)


_SCALARS = (str, int, float, bool, type(None))


def _json_value(v: Any) -> Any:
    """A JSON-ready copy: dates as ISO text, MISSING as null, dict keys sorted."""
    if type(v) in _SCALARS:
        # NaN and infinities are not JSON: a dict record may hold them (the check calls
        # them invalid evidence); the report writes null rather than failing to serialise.
        return None if type(v) is float and not math.isfinite(v) else v
    if v is MISSING:
        return None
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, dict):
        # Sorted: a report must not depend on the key order of the evidence it read.
        return {str(k): _json_value(v[k]) for k in sorted(v, key=str)}
    if isinstance(v, list | tuple):
        return [_json_value(x) for x in v]
    return v


def _read_only(slot: str) -> Any:
    """A read-only attribute backed by a slot (C-speed getter, no setter)."""
    return property(operator.attrgetter(slot), doc=f"Read-only ({slot[1:]}).")


def evidence_reads(out: Outcome, record: Any) -> tuple[dict[str, Any], ...]:
    """The evidence an outcome read: each path once, with its value and provenance."""
    seen: dict[str, dict[str, Any]] = {}
    for path, value in out.reads:
        if path in seen:
            continue
        entry: dict[str, Any] = {"path": path, "value": value}
        prov = (
            record.provenance_of(path)
            if record.provenance and not path.startswith(("events[", "documents[", "units"))
            else None
        )
        if prov is not None:
            entry["provenance"] = dict(prov)
        seen[path] = entry
    return tuple(seen.values())


class Finding:
    """The result for one criterion.

    The finding of a plain criterion (no guard, no freshness rule, no waiver) is decided
    by its check's status twin, and its outcome (observed value, explanation arguments,
    evidence read, gap) is computed only when first asked for: screening a province
    reads verdicts and the 整改清单, not why each of ten thousand criteria passed. The
    outcome is then computed by the same check from the record's copy the report owns,
    and a status that differed from the finding's would raise instead of giving a report
    that contradicts itself (``tests/properties/test_status_twins.py`` shows it cannot).
    Findings are immutable values.
    """

    __slots__ = (
        "_category",
        "_check",
        "_criterion",
        "_ctx",
        "_earned",
        "_mandatory",
        "_note",
        "_outcome",
        "_possible",
        "_reads",
        "_status",
        "_title",
    )

    # Read-only views of the slots: a finding cannot be changed after it is made, and
    # building one costs plain slot stores (a province's records make millions of them).
    criterion: str = _read_only("_criterion")
    title: str = _read_only("_title")
    category: str = _read_only("_category")
    status: str = _read_only("_status")
    mandatory: bool = _read_only("_mandatory")
    earned: float = _read_only("_earned")
    possible: float = _read_only("_possible")
    #: A criterion-level wrapper of the outcome: not applicable, stale, waived.
    note: Outcome | None = _read_only("_note")

    def __init__(
        self,
        criterion: str,
        title: str,
        category: str,
        status: str,
        mandatory: bool,
        earned: float,
        possible: float,
        outcome: Outcome | None = None,
        reads: tuple[dict[str, Any], ...] = (),
        note: Outcome | None = None,
        check: Callable[[Ctx], Outcome] | None = None,
        ctx: Ctx | None = None,
    ) -> None:
        if outcome is None and (check is None or ctx is None):
            raise TypeError("a Finding needs its outcome, or the check and context to compute it")
        self._criterion = criterion
        self._title = title
        self._category = category
        self._status = status
        self._mandatory = mandatory
        self._earned = earned
        self._possible = possible
        self._outcome = outcome
        self._reads = reads
        self._note = note
        self._check = check
        self._ctx = ctx

    def __repr__(self) -> str:
        return f"Finding({self.criterion!r}, {self.status!r}, earned={self.earned!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (to or from a worker process) with its outcome worked out: a closure
        # over the record cannot travel, the values it computes can.
        return (
            Finding,
            (
                self.criterion,
                self.title,
                self.category,
                self.status,
                self.mandatory,
                self.earned,
                self.possible,
                self.outcome,
                self.reads,
                self.note,
            ),
        )

    def _compute(self) -> Outcome:
        assert self._check is not None and self._ctx is not None
        outcome = self._check(self._ctx)
        reads = evidence_reads(outcome, self._ctx.record)
        if outcome.status != self.status:  # a bug in a twin, never bad input
            raise RuntimeError(
                f"criterion {self.criterion}: the check's outcome says {outcome.status}, "
                f"its status twin said {self.status}"
            )
        # Benign if two threads race here: both compute the same values.
        self._reads = reads
        self._outcome = outcome
        return outcome

    @property
    def outcome(self) -> Outcome:
        """What the check found: observed, expected, explanation arguments, gap, children."""
        out = self._outcome
        return out if out is not None else self._compute()

    @property
    def reads(self) -> tuple[dict[str, Any], ...]:
        """The evidence read, each with its path, value and provenance."""
        if self._outcome is None:
            self._compute()
        return self._reads

    def explanation(self, lang: str = "zh") -> str:
        """Why this status, in one sentence, from the code that decided it."""
        if self.note is not None:
            return explain(self.note, lang)
        return explain(self.outcome, lang)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """JSON-ready form."""
        out = self.outcome
        data: dict[str, Any] = {
            "criterion": self.criterion,
            "title": self.title,
            "category": self.category,
            "status": self.status,
            "mandatory": self.mandatory,
            "points": {"earned": self.earned, "possible": self.possible},
            "observed": _json_value(out.observed),
            "expected": _json_value(dict(out.expected)),
            "explanation": self.explanation(lang),
            "evidence": [_json_value(r) for r in self.reads],
        }
        if out.gap:
            data["gap"] = {**_json_value(dict(out.gap)), "text": gap_text(out.gap, lang)}
        if out.children:
            data["children"] = [_child(label, o, lang) for label, o in out.children]
        return data


def _child(label: str, out: Outcome, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "check": label,
        "status": out.status,
        "observed": _json_value(out.observed),
        "expected": _json_value(dict(out.expected)),
        "explanation": explain(out, lang),
    }
    if out.children:
        data["children"] = [_child(lb, o, lang) for lb, o in out.children]
    return data


class CategoryScore(NamedTuple):
    """Subtotal of one category (an immutable value; one per category per record)."""

    id: str
    title: str
    earned: float
    possible: float
    counts: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "title": self.title,
            "earned": self.earned,
            "possible": self.possible,
            "counts": dict(self.counts),
        }


@dataclass(frozen=True, slots=True)
class Score:
    """Earned and possible points, pass mark, grade, subtotals and status counts."""

    method: str
    earned: float
    possible: float
    pass_mark: float | None
    pass_mark_written: str | None
    grade: str | None
    categories: tuple[CategoryScore, ...]
    counts: dict[str, int]

    @property
    def share(self) -> float | None:
        """Earned / possible (None when nothing is applicable)."""
        return None if self.possible == 0 else self.earned / self.possible

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "method": self.method,
            "earned": self.earned,
            "possible": self.possible,
            "share": None if self.share is None else round(self.share, 6),
            "pass_mark": self.pass_mark,
            "pass_mark_written": self.pass_mark_written,
            "grade": self.grade,
            "counts": dict(self.counts),
            "categories": [c.to_dict() for c in self.categories],
        }


#: Computes an item's (action, action key, gap) when first asked for (see RemediationItem).
Action = Callable[[], tuple[str, "tuple[str, dict[str, Any]] | None", "dict[str, Any] | None"]]


class RemediationItem:
    """One entry of the 整改清单.

    Which items there are, their order, priority, owner, due date and the evidence to
    supply are decided with the verdict. The action sentence and the quantitative gap
    come from the finding's outcome and are worked out when first read (as the
    finding's explanation is), so a screening run that counts items does not word them.
    """

    __slots__ = (
        "_action",
        "_category",
        "_criterion",
        "_due",
        "_evidence",
        "_id",
        "_make",
        "_owner",
        "_priority",
        "_status",
        "_title",
    )

    id: str = _read_only("_id")
    criterion: str = _read_only("_criterion")
    title: str = _read_only("_title")
    category: str = _read_only("_category")
    status: str = _read_only("_status")
    priority: str = _read_only("_priority")
    owner: str | None = _read_only("_owner")
    due: date = _read_only("_due")
    evidence: tuple[str, ...] = _read_only("_evidence")

    def __init__(
        self,
        id: str,
        criterion: str,
        title: str,
        category: str,
        status: str,
        priority: str,
        owner: str | None,
        due: date,
        evidence: tuple[str, ...],
        make: Action,
    ) -> None:
        self._id = id
        self._criterion = criterion
        self._title = title
        self._category = category
        self._status = status
        self._priority = priority
        self._owner = owner
        self._due = due
        self._evidence = evidence
        self._make = make
        self._action: tuple[str, tuple[str, dict[str, Any]] | None, dict[str, Any] | None] | None = None

    def __repr__(self) -> str:
        return f"RemediationItem({self.id!r}, {self.priority!r}, due={self.due.isoformat()})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled with its wording worked out (see Finding.__reduce__).
        fields = (self.id, self.criterion, self.title, self.category, self.status, self.priority)
        return (_worded_item, (*fields, self.owner, self.due, self.evidence, self._worded()))

    def _worded(self) -> tuple[str, tuple[str, dict[str, Any]] | None, dict[str, Any] | None]:
        got = self._action
        if got is None:
            got = self._action = self._make()  # benign if two threads race: same values
        return got

    @property
    def action(self) -> str:
        """The rule's own action, rendered (empty when the library words it: see action_text)."""
        return self._worded()[0]

    @property
    def action_key(self) -> tuple[str, dict[str, Any]] | None:
        """A message key and its arguments, for actions the library words in each language."""
        return self._worded()[1]

    @property
    def gap(self) -> dict[str, Any] | None:
        """The quantitative gap (how many more households, which quarters, which units)."""
        return self._worded()[2]

    def action_text(self, lang: str) -> str:
        """The action in a language (rule-authored actions are shown as written)."""
        if self.action_key is not None:
            key, args = self.action_key
            return render(text(key, lang), {k: explain(v, lang) if isinstance(v, Outcome) else v
                                            for k, v in args.items()})
        return self.action

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """JSON-ready form."""
        gap = None if not self.gap else {**_json_value(self.gap), "text": gap_text(self.gap, lang)}
        return {
            "id": self.id,
            "criterion": self.criterion,
            "title": self.title,
            "category": self.category,
            "status": self.status,
            "priority": self.priority,
            "action": self.action_text(lang),
            "owner": self.owner if self.owner is not None else text("owner.none", lang),
            "due": self.due.isoformat(),
            "gap": gap,
            "evidence": list(self.evidence),
        }


def _worded_item(*args: Any) -> RemediationItem:
    """A RemediationItem whose action and gap are already worked out (for unpickling)."""
    *fields, worded = args
    item: RemediationItem = RemediationItem.__new__(RemediationItem)
    item.__init__(*fields, make=lambda: worded)  # type: ignore[misc]
    return item


@dataclass(frozen=True, slots=True)
class WaiverUse:
    """A waiver and what became of it: applied, expired or unused."""

    criterion: str
    subject: str | None
    justification: str
    until: date
    approved_by: str | None
    state: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "criterion": self.criterion,
            "subject": self.subject,
            "justification": self.justification,
            "until": self.until.isoformat(),
            "approved_by": self.approved_by,
            "state": self.state,
        }


@dataclass(frozen=True)
class Report:
    """Everything one evaluation found (SPEC §3)."""

    standard: dict[str, Any]
    files: tuple[dict[str, str], ...]
    parameters: dict[str, Any]
    subject: dict[str, Any]
    as_of: date
    engine: str
    verdict: str
    deciding: tuple[str, ...]
    score: Score
    findings: tuple[Finding, ...]
    remediation: tuple[RemediationItem, ...]
    waivers: tuple[WaiverUse, ...] = field(default=())

    def finding(self, criterion: str) -> Finding:
        """The finding of a criterion by id (KeyError if there is none)."""
        for f in self.findings:
            if f.criterion == criterion:
                return f
        raise KeyError(criterion)

    @property
    def statuses(self) -> dict[str, str]:
        """Criterion id → status, in the standard's order."""
        return {f.criterion: f.status for f in self.findings}

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON report (validated by :func:`standards.schema` ``"report"``)."""
        return {
            "report_version": REPORT_VERSION,
            "standard": {**self.standard, "files": [dict(f) for f in self.files]},
            "parameters": _json_value(self.parameters),
            "subject": _json_value(self.subject),
            "as_of": self.as_of.isoformat(),
            "engine": self.engine,
            "lang": lang,
            "verdict": self.verdict,
            "deciding": list(self.deciding),
            "score": self.score.to_dict(),
            "findings": [f.to_dict(lang) for f in self.findings],
            "remediation": [r.to_dict(lang) for r in self.remediation],
            "waivers": [w.to_dict() for w in self.waivers],
        }

    def to_json(self, lang: str = "zh", indent: int | None = 2) -> str:
        """The JSON report as text (UTF-8, Chinese kept readable, keys in a stable order)."""
        return json.dumps(self.to_dict(lang), ensure_ascii=False, indent=indent, allow_nan=False)
