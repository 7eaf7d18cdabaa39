"""Waivers: an approved, time-limited exception for one criterion (InSpec-style).

A waiver names a criterion, optionally a subject, a justification and an ``until`` date
(inclusive: a waiver until 2011-12-31 still holds on that day). An active waiver makes
the finding ``waived`` and keeps what was measured; an expired one changes nothing and
is reported as expired, so nobody mistakes a lapsed exception for compliance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ._yaml import InputRejected, Limits, read_json_text, read_text, read_yaml_text
from .errors import WaiverError

__all__ = ["Waiver", "load_waivers", "parse_waivers"]


class Waiver(BaseModel):
    """One waiver."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    criterion: str = Field(min_length=1)
    subject: str | None = None
    justification: str = Field(min_length=1)
    until: date
    approved_by: str | None = None

    def applies_to(self, criterion: str, subject: str) -> bool:
        """True if it names this criterion and this subject (or any subject)."""
        return self.criterion == criterion and (self.subject is None or self.subject == subject)

    def active_on(self, day: date) -> bool:
        """Still in force on ``day`` (the until date included)."""
        return day <= self.until


def parse_waivers(data: Any, source: str = "waivers") -> tuple[Waiver, ...]:
    """Waivers from data: a list, ``{"waivers": [...]}``, or Waiver objects."""
    if isinstance(data, Mapping) and "waivers" in data:
        data = data["waivers"]
    if data is None:
        return ()
    if isinstance(data, Waiver):
        return (data,)
    if not isinstance(data, Iterable) or isinstance(data, str | bytes | Mapping):
        raise WaiverError("waivers must be a list", path=source, expected="a list of waivers")
    out: list[Waiver] = []
    for i, item in enumerate(data):
        if isinstance(item, Waiver):
            out.append(item)
            continue
        try:
            out.append(Waiver.model_validate(item))
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in err["loc"])
            raise WaiverError(
                f"waiver {i + 1}: {where}: {err['msg']}",
                path=f"{source}[{i}].{where}",
                expected="criterion, justification and until (YYYY-MM-DD)",
            ) from None
    return tuple(out)


def load_waivers(path: str | Path, limits: Limits | None = None) -> tuple[Waiver, ...]:
    """Read a YAML or JSON waiver file."""
    p = Path(path)
    try:
        text = read_text(p, limits or Limits())
        data = (
            read_json_text(text, str(p))
            if p.suffix == ".json"
            else read_yaml_text(text, str(p), limits).data
        )
    except InputRejected as exc:
        pr = exc.problem
        raise WaiverError(
            pr.message, code=pr.code, file=pr.file, line=pr.line, column=pr.column
        ) from None
    try:
        return parse_waivers(data, str(p))
    except WaiverError as exc:
        exc.file = str(p)
        raise
