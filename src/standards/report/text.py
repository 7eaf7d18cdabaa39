"""The terminal report: verdict, score, category table, failing criteria, 整改清单."""

from __future__ import annotations

import os
import unicodedata

from ..checks import STATUSES
from ..results import Report
from ._words import PRIORITY, STATUS, VERDICT, WORDS, word

__all__ = ["TextRenderer", "want_colour", "width"]

_COLOURS = {
    "pass": "32",
    "fail": "31",
    "incomplete": "33",
    "missing_evidence": "33",
    "invalid_evidence": "35",
    "critical": "1;31",
    "heading": "1",
}


def width(s: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, n: int) -> str:
    return s + " " * max(0, n - width(s))


def want_colour(stream: object, choice: str = "auto") -> bool:
    """Whether to colour text written to ``stream``.

    ``always`` and ``never`` are explicit; ``auto`` means: the stream is a terminal and
    the ``NO_COLOR`` environment variable is unset or empty (https://no-color.org).
    """
    if choice == "always":
        return True
    if choice == "never":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


class TextRenderer:
    """``-f text``: for people at a terminal (ANSI colour only when asked for).

    ``colour=True`` is an explicit request; the CLI asks for it through
    :func:`want_colour` (a terminal, and ``NO_COLOR`` unset, unless ``--color always``).
    """

    name = "text"
    suffix = ".txt"

    def __init__(self, colour: bool = False) -> None:
        self.colour = colour

    def _c(self, key: str, s: str) -> str:
        if not self.colour or key not in _COLOURS:
            return s
        return f"\x1b[{_COLOURS[key]}m{s}\x1b[0m"

    def render_with(self, report: Report, lang: str = "zh", colour: bool = False) -> str:
        """Render with colour switched on or off."""
        return TextRenderer(colour).render(report, lang)

    def render(self, report: Report, lang: str = "zh") -> str:
        """The report as lines of text."""

        def w(key: str) -> str:
            return word(WORDS, key, lang)

        s = report.score
        lines = [
            f"{report.standard['title']} ({report.standard['id']} v{report.standard['version']})",
            f"{w('subject')}: {report.subject.get('name', report.subject['id'])} [{report.subject['id']}]"
            f"   {w('as_of')}: {report.as_of.isoformat()}",
            f"{w('verdict')}: {self._c(report.verdict, word(VERDICT, report.verdict, lang))}",
        ]
        if s.method != "pass_fail":
            pm = (
                f"   {w('pass_mark')}: {s.pass_mark:g}" + (f" ({s.pass_mark_written})" if s.pass_mark_written else "")
                if s.pass_mark is not None
                else ""
            )
            grade = f"   {w('grade')}: {s.grade}" if s.grade else ""
            lines.append(f"{w('score')}: {s.earned:g} / {s.possible:g}{pm}{grade}")
        if report.deciding:
            lines.append(f"{w('deciding')}: {', '.join(report.deciding)}")
        lines.append("")
        head = [
            w("category"),
            w("score"),
            *(word(STATUS, k, lang) for k in STATUSES),
        ]
        rows = [
            [
                c.title,
                f"{c.earned:g}/{c.possible:g}",
                *(str(c.counts.get(k, 0)) for k in STATUSES),
            ]
            for c in s.categories
        ]
        widths = [max(width(r[i]) for r in [head, *rows]) for i in range(len(head))]
        for r in [head, *rows]:
            lines.append("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(r)).rstrip())
        bad = [f for f in report.findings if f.status not in ("pass", "not_applicable", "waived")]
        if bad:
            lines += ["", self._c("heading", w("findings") + ":")]
            for f in bad:
                flag = f" [{w('mandatory')}]" if f.mandatory else ""
                lines.append(f"  {self._c(f.status, word(STATUS, f.status, lang))}  {f.criterion} {f.title}{flag}")
                lines.append(f"      {f.explanation(lang)}")
        if report.remediation:
            lines += ["", self._c("heading", w("remediation") + ":")]
            for i, item in enumerate(report.remediation, 1):
                d = item.to_dict(lang)
                prio = self._c(item.priority, f"[{word(PRIORITY, item.priority, lang)}]")
                lines.append(f"  {i}. {prio} {d['action']}")
                extra = f"{w('owner')}: {d['owner']}   {w('due')}: {d['due']}"
                if d["gap"] and d["gap"]["text"]:
                    extra += f"   {w('gap')}: {d['gap']['text']}"
                lines.append(f"     {extra}")
        expired = [x for x in report.waivers if x.state != "applied"]
        if expired:
            lines += ["", w("waivers") + ":"]
            lines += [f"  {x.criterion}: {x.state} (until {x.until.isoformat()})" for x in expired]
        return "\n".join(lines) + "\n"
