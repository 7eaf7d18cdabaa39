"""Pydantic v2 models of rule files (SPEC §1).

Every check kind is one model, ``<Kind>Check``, and :data:`Check` is the discriminated
union on ``kind``: a typo in ``kind`` is reported as one precise error with the known
kinds, and the JSON Schema of rule files falls out of the models.

Threshold slots take a number, a percentage string (``"75%"``) or a ``$parameter``;
duration slots take an ISO 8601 duration (``P3M``) or a ``$parameter``. The literals are
checked here for shape; the compiler resolves parameters and turns them into exact
:class:`~standards._values.Bound` values.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from ._values import parse_bound, parse_date, parse_duration

__all__ = [
    "CHECK_KINDS",
    "AbsentCheck",
    "AgeCheck",
    "AllCheck",
    "AnyCheck",
    "Category",
    "Check",
    "CompareCheck",
    "CountCheck",
    "Criterion",
    "Deduct",
    "EachCheck",
    "ExistsCheck",
    "Grade",
    "GradeCheck",
    "MeetsCheck",
    "NotCheck",
    "Parameter",
    "PeriodicCheck",
    "RatioCheck",
    "Remediation",
    "RuleFile",
    "Scoring",
    "StandardHeader",
    "TrendCheck",
    "ValueCheck",
]

_PARAM_RE = re.compile(r"^\$[A-Za-z_][A-Za-z0-9_]*$")
Scalar = str | int | float | bool


def _is_param(v: object) -> bool:
    return isinstance(v, str) and bool(_PARAM_RE.match(v))


def _rule_error(code: str, message: str, field: str | None = None) -> PydanticCustomError:
    """A mistake spanning fields, with its own stable code and the field to fix.

    A plain ``ValueError`` in a model validator is located at the whole check; this names
    the field (``ctx["field"]``) so the loader can point at the line an author must edit.
    """
    return PydanticCustomError(code, message, {"field": field} if field else None)


def _as_text(v: object) -> object:
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


def _check_number(v: object) -> object:
    if v is None or _is_param(v) or parse_bound(v) is not None:
        return v
    raise ValueError(f"expected a number, a percentage such as '75%' or a $parameter, got {v!r}")


def _check_duration(v: object) -> object:
    if v is None or _is_param(v) or parse_duration(v) is not None:
        return v
    raise ValueError(f"expected an ISO 8601 duration such as 'P1Y', 'P3M' or 'P7D', got {v!r}")


Number = Annotated[int | float | str, Field(description="A number, '75%' or a $parameter")]
DurationText = Annotated[str, Field(description="ISO 8601 duration (P1Y, P3M, P7D) or $param")]
Path = Annotated[str, Field(min_length=1, description="Dotted path inside the record's facts")]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _CheckBase(_Model):
    title: str | None = Field(None, description="A short label for this (sub-)check")


class _Bounded(_CheckBase):
    min: Number | None = None
    max: Number | None = None
    unit: str | None = Field(None, description="Unit named in gaps, e.g. 户 or 个")

    @field_validator("min", "max", mode="before")
    @classmethod
    def _numbers(cls, v: object) -> object:
        return _check_number(v)


class ValueCheck(_Bounded):
    """A fact satisfies every bound given (min, max, equals, one_of)."""

    kind: Literal["value"]
    path: Path
    equals: Scalar | None = None
    one_of: list[Scalar] | None = None

    @model_validator(mode="after")
    def _some_bound(self) -> ValueCheck:
        if self.min is None and self.max is None and self.equals is None and self.one_of is None:
            raise _rule_error("missing-bound", "a value check needs at least one of min, max, equals, one_of")
        return self


class RatioCheck(_Bounded):
    """numerator / denominator lies within the bounds."""

    kind: Literal["ratio"]
    numerator: Path
    denominator: Path

    @model_validator(mode="after")
    def _some_bound(self) -> RatioCheck:
        if self.min is None and self.max is None:
            raise _rule_error("missing-bound", "a ratio check needs min or max")
        return self


class CountCheck(_Bounded):
    """The number of matching items of a list (or a tallied count) lies within the bounds."""

    kind: Literal["count"]
    path: Path
    where: dict[str, Scalar] | None = None

    @model_validator(mode="after")
    def _some_bound(self) -> CountCheck:
        if self.min is None and self.max is None:
            raise _rule_error("missing-bound", "a count check needs min or max")
        return self


class ExistsCheck(_CheckBase):
    """A fact is present and truthy, or a document of a kind is on file (within a window)."""

    kind: Literal["exists"]
    path: Path | None = None
    document: str | None = None
    within: DurationText | None = None

    @field_validator("within", mode="before")
    @classmethod
    def _duration(cls, v: object) -> object:
        return _check_duration(v)

    @model_validator(mode="after")
    def _one_target(self) -> ExistsCheck:
        if self.path is None and self.document is None:
            raise _rule_error("missing-field", "an exists check needs path or document")
        if self.path is not None and self.document is not None:
            raise _rule_error(
                "conflicting-fields",
                "an exists check takes path or document, not both",
                "document",
            )
        if self.within is not None and self.document is None:
            raise _rule_error("conflicting-fields", "'within' applies to documents only", "within")
        return self


class AbsentCheck(_CheckBase):
    """No matching items / false / zero (无烟草广告, 无违章建筑)."""

    kind: Literal["absent"]
    path: Path
    where: dict[str, Scalar] | None = None
    unit: str | None = None


class PeriodicCheck(_CheckBase):
    """Every period of length ``every`` in the window ``over`` holds an event of a type."""

    kind: Literal["periodic"]
    event: str = Field(min_length=1)
    every: DurationText
    over: DurationText
    grace: DurationText | None = None

    @field_validator("every", "over", "grace", mode="before")
    @classmethod
    def _duration(cls, v: object) -> object:
        return _check_duration(v)


class AgeCheck(_CheckBase):
    """as_of − a date lies within min / max durations (取得称号一年以上)."""

    kind: Literal["age"]
    path: Path
    min: DurationText | None = None
    max: DurationText | None = None

    @field_validator("min", "max", mode="before")
    @classmethod
    def _duration(cls, v: object) -> object:
        return _check_duration(v)

    @model_validator(mode="after")
    def _some_bound(self) -> AgeCheck:
        if self.min is None and self.max is None:
            raise _rule_error("missing-bound", "an age check needs min or max")
        return self


class GradeCheck(_CheckBase):
    """An ordinal grade on a scale (best first) is at least ``min`` (鼠密度达到C级)."""

    kind: Literal["grade"]
    path: Path
    scale: list[str] = Field(min_length=2)
    min: str

    @field_validator("scale", mode="before", json_schema_input_type=Annotated[list[str | int], Field(min_length=2)])
    @classmethod
    def _scale_text(cls, v: object) -> object:
        # Grades are compared as text; a scale of numbers (1, 2, 3) means the same as "1".
        return [_as_text(g) for g in v] if isinstance(v, list) else v

    @field_validator("min", mode="before", json_schema_input_type=str | int)
    @classmethod
    def _min_text(cls, v: object) -> object:
        return _as_text(v)

    @model_validator(mode="after")
    def _min_on_scale(self) -> GradeCheck:
        if len(set(self.scale)) != len(self.scale):
            twice = next(g for g in self.scale if self.scale.count(g) > 1)
            raise _rule_error("duplicate-grade", f"the scale lists grade {twice!r} twice", "scale")
        if not _is_param(self.min) and self.min not in self.scale:
            raise _rule_error(
                "grade-not-in-scale",
                f"min {self.min!r} is not on the scale [{', '.join(self.scale)}]",
                "min",
            )
        return self


class CompareCheck(_CheckBase):
    """A relation between two facts, or a fact and a literal (left op right)."""

    kind: Literal["compare"]
    left: Scalar
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    right: Scalar


class TrendCheck(_CheckBase):
    """The last N points of a series ({period, value}) move in a direction."""

    kind: Literal["trend"]
    path: Path
    direction: Literal["rising", "falling", "not_falling", "not_rising"]
    last: int = Field(3, ge=2)


class EachCheck(_CheckBase):
    """A share of sub-units passes a check on their own evidence (每个自然村有一名保洁员)."""

    kind: Literal["each"]
    units: str | None = None
    check: Check
    min_share: Number = "100%"

    @field_validator("min_share", mode="before")
    @classmethod
    def _number(cls, v: object) -> object:
        return _check_number(v)


class MeetsCheck(_CheckBase):
    """A share of sub-units passes another standard (town ← villages)."""

    kind: Literal["meets"]
    standard: str = Field(min_length=1)
    units: str | None = None
    min_share: Number = "100%"

    @field_validator("min_share", mode="before")
    @classmethod
    def _number(cls, v: object) -> object:
        return _check_number(v)


class AllCheck(_CheckBase):
    """Every child check passes."""

    kind: Literal["all"]
    checks: list[Check] = Field(min_length=1)


class AnyCheck(_CheckBase):
    """At least one child check passes."""

    kind: Literal["any"]
    checks: list[Check] = Field(min_length=1)


class NotCheck(_CheckBase):
    """The child check fails."""

    kind: Literal["not"]
    check: Check


Check = Annotated[
    ValueCheck
    | RatioCheck
    | CountCheck
    | ExistsCheck
    | AbsentCheck
    | PeriodicCheck
    | AgeCheck
    | GradeCheck
    | CompareCheck
    | TrendCheck
    | EachCheck
    | MeetsCheck
    | AllCheck
    | AnyCheck
    | NotCheck,
    Field(discriminator="kind"),
]

#: kind → model, the one list of check kinds (a test proves the registry matches it).
CHECK_KINDS: dict[str, type[_CheckBase]] = {
    "value": ValueCheck,
    "ratio": RatioCheck,
    "count": CountCheck,
    "exists": ExistsCheck,
    "absent": AbsentCheck,
    "periodic": PeriodicCheck,
    "age": AgeCheck,
    "grade": GradeCheck,
    "compare": CompareCheck,
    "trend": TrendCheck,
    "each": EachCheck,
    "meets": MeetsCheck,
    "all": AllCheck,
    "any": AnyCheck,
    "not": NotCheck,
}

for _model in (EachCheck, AllCheck, AnyCheck, NotCheck):
    _model.model_rebuild()


class Deduct(_Model):
    """Partial credit: each ``per`` short of the bound costs ``points`` (capped)."""

    per: Number
    points: float = Field(gt=0)

    @field_validator("per", mode="before")
    @classmethod
    def _number(cls, v: object) -> object:
        v = _check_number(v)
        b = parse_bound(v) if not (isinstance(v, str) and v.startswith("$")) else None
        if b is not None and b.q <= 0:
            raise ValueError(f"per must be above zero (each step of it costs points), got {v!r}")
        return v


class Remediation(_Model):
    """What to do when the criterion is not met (the 整改清单 entry)."""

    action: str | None = Field(None, description="May use {observed} {expected} {gap} {title}")
    owner: str | None = None
    within: DurationText | None = None
    due: date | str | None = None
    evidence: list[str] = Field(default_factory=list)

    @field_validator("within", mode="before")
    @classmethod
    def _duration(cls, v: object) -> object:
        return _check_duration(v)

    @field_validator("due", mode="before")
    @classmethod
    def _date(cls, v: object) -> object:
        if v is None or isinstance(v, date) or parse_date(v) is not None:
            return v
        raise ValueError(f"expected an ISO date such as 2011-10-15, got {v!r}")


class Criterion(_Model):
    """One item of the standard (小项)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    category: str
    title: str
    description: str | None = None
    mandatory: bool = False
    points: float = Field(1.0, ge=0)
    deduct: Deduct | None = None
    applies_when: Check | None = None
    fresh_within: DurationText | None = None
    check: Check
    remediation: Remediation | None = None
    source: str | None = None
    tags: list[str] = Field(default_factory=list)

    @field_validator("fresh_within", mode="before")
    @classmethod
    def _duration(cls, v: object) -> object:
        return _check_duration(v)


class Category(_Model):
    """A group of criteria (大项) with its own subtotal."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    owner: str | None = Field(None, description="Default remediation owner for its criteria")
    description: str | None = None


class Grade(_Model):
    """A named grade reached at ``min`` (a share like 95% or absolute points)."""

    name: str
    min: Number

    @field_validator("min", mode="before")
    @classmethod
    def _number(cls, v: object) -> object:
        return _check_number(v)


class Scoring(_Model):
    """How findings become a score and a verdict."""

    method: Literal["points", "deduction", "pass_fail"] = "points"
    pass_mark: Number | None = None
    grades: list[Grade] = Field(default_factory=list)

    @field_validator("pass_mark", mode="before")
    @classmethod
    def _number(cls, v: object) -> object:
        return _check_number(v)


class Parameter(_Model):
    """A parameter with its documentation (``assumed: true`` marks an invented default)."""

    value: Scalar
    description: str | None = None
    assumed: bool = False


class StandardHeader(_Model):
    """Who issued the standard, for whom, and which version."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")
    title: str
    version: str = "1"
    level: Literal["national", "provincial", "municipal", "county", "district"] | None = None
    region: str | None = None
    applies_to: list[str] = Field(default_factory=list)
    source: str | None = None
    description: str | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, v: object) -> object:
        return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v


class RuleFile(_Model):
    """One rule file as written (before ``extends`` is resolved)."""

    standard: StandardHeader
    extends: str | None = None
    parameters: dict[str, Scalar | Parameter] = Field(default_factory=dict)
    scoring: Scoring | None = None
    categories: list[Category] = Field(default_factory=list)
    criteria: list[Criterion] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    override: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("parameters")
    @classmethod
    def _parameter_names(cls, v: dict[str, object]) -> dict[str, object]:
        for name in v:
            if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", name):
                raise ValueError(f"parameter name {name!r} must be letters, digits and _")
        return v
