"""The JSON report (SPEC §3), the format other systems read."""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..results import Report

__all__ = ["JsonRenderer"]


class JsonRenderer:
    """``-f json``: the report as validated by ``standards schema report``."""

    name = "json"
    suffix = ".json"

    def render(self, report: Report, lang: str = "zh") -> str:
        """The JSON text, with a trailing newline."""
        return report.to_json(lang) + "\n"

    def render_many(self, reports: Sequence[Report], lang: str = "zh") -> str:
        """Several reports as a JSON array (each element a report as above)."""
        data = [r.to_dict(lang) for r in reports]
        return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
