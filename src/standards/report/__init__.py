"""Renderers: one module per output format behind one protocol.

``render(report, fmt, lang)`` looks the format up in :data:`RENDERERS`. A renderer is
anything with ``name``, ``suffix`` and ``render(report, lang) -> str``; it may also
offer ``render_many(reports, lang) -> str`` to put several reports in one document
(JSON: an array; HTML: one page; CSV: one table with a subject column; JUnit: one
suite per report). Without it, :func:`render_many` joins the single renderings.

| format | module | what it is |
|---|---|---|
| ``text`` | ``text.py`` | the terminal summary (colour on request) |
| ``json`` | ``json_.py`` | the SPEC §3 report (``standards schema report``) |
| ``markdown`` | ``markdown.py`` | a report to paste into a document |
| ``html`` | ``html.py`` | one self-contained page: banner, SVG chart, tables |
| ``csv`` | ``csv_.py`` | the 整改清单, UTF-8 with BOM for Excel |
| ``junit`` | ``junit.py`` | JUnit XML, one test case per criterion |
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ..errors import UsageError
from ..results import Report
from .csv_ import CsvRenderer
from .html import HtmlRenderer
from .json_ import JsonRenderer
from .junit import JunitRenderer
from .markdown import MarkdownRenderer
from .text import TextRenderer

__all__ = ["RENDERERS", "Renderer", "render", "render_many"]


class Renderer(Protocol):
    """A report format."""

    name: str
    suffix: str

    def render(self, report: Report, lang: str = "zh") -> str:
        """The report in this format."""
        ...


RENDERERS: dict[str, Renderer] = {
    r.name: r
    for r in (
        TextRenderer(),
        JsonRenderer(),
        MarkdownRenderer(),
        HtmlRenderer(),
        CsvRenderer(),
        JunitRenderer(),
    )
}


def _renderer(fmt: str, lang: str) -> Renderer:
    renderer = RENDERERS.get(fmt)
    if renderer is None:
        raise UsageError(
            f"unknown format {fmt!r}",
            code="unknown-format",
            expected="one of " + ", ".join(sorted(RENDERERS)),
        )
    if lang not in ("zh", "en"):
        raise UsageError(f"unknown language {lang!r}", code="unknown-lang", expected="zh or en")
    return renderer


def render(report: Report, fmt: str = "text", lang: str = "zh", **options: object) -> str:
    """Render a report as ``text``, ``json``, ``markdown``, ``html``, ``csv`` or ``junit``.

    ``options`` go to a renderer's ``render_with`` (``colour=True`` for ``text``).
    """
    renderer = _renderer(fmt, lang)
    if options and hasattr(renderer, "render_with"):
        return renderer.render_with(report, lang, **options)  # type: ignore[no-any-return]
    return renderer.render(report, lang)


def render_many(reports: Sequence[Report], fmt: str = "text", lang: str = "zh", **options: object) -> str:
    """Several reports in one output (one per evidence file, in order)."""
    renderer = _renderer(fmt, lang)
    if len(reports) == 1:
        return render(reports[0], fmt, lang, **options)
    many = getattr(renderer, "render_many", None)
    if many is not None:
        return many(reports, lang)  # type: ignore[no-any-return]
    sep = "\n---\n\n" if fmt == "markdown" else "\n"
    return sep.join(render(r, fmt, lang, **options) for r in reports)
