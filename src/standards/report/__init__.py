"""Renderers: one module per output format behind one protocol.

``render(report, fmt, lang)`` looks the format up in :data:`RENDERERS`. A renderer is
anything with ``name``, ``suffix`` and ``render(report, lang) -> str``.
"""

from __future__ import annotations

from typing import Protocol

from ..errors import UsageError
from ..results import Report
from .json_ import JsonRenderer
from .markdown import MarkdownRenderer
from .text import TextRenderer

__all__ = ["RENDERERS", "Renderer", "render"]


class Renderer(Protocol):
    """A report format."""

    name: str
    suffix: str

    def render(self, report: Report, lang: str = "zh") -> str:
        """The report in this format."""
        ...


RENDERERS: dict[str, Renderer] = {
    r.name: r for r in (TextRenderer(), JsonRenderer(), MarkdownRenderer())
}


def render(report: Report, fmt: str = "text", lang: str = "zh", **options: object) -> str:
    """Render a report as ``text``, ``json``, ``markdown`` (or a registered format)."""
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise UsageError(
            f"unknown format {fmt!r}",
            code="unknown-format",
            expected="one of " + ", ".join(sorted(RENDERERS)),
        )
    if lang not in ("zh", "en"):
        raise UsageError(f"unknown language {lang!r}", code="unknown-lang", expected="zh or en")
    if options and hasattr(renderer, "render_with"):
        return renderer.render_with(report, lang, **options)  # type: ignore[no-any-return]
    return renderer.render(report, lang)
