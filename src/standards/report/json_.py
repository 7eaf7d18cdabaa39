"""The JSON report (SPEC §3), the format other systems read."""

from __future__ import annotations

from ..results import Report

__all__ = ["JsonRenderer"]


class JsonRenderer:
    """``-f json``: the report as validated by ``standards schema report``."""

    name = "json"
    suffix = ".json"

    def render(self, report: Report, lang: str = "zh") -> str:
        """The JSON text, with a trailing newline."""
        return report.to_json(lang) + "\n"
