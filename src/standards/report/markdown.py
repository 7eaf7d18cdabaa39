"""A Markdown report a 创建办 can paste into a document."""

from __future__ import annotations

from ..results import Report
from ._words import PRIORITY, STATUS, VERDICT, WORDS, word

__all__ = ["MarkdownRenderer"]


def _cell(s: object) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


class MarkdownRenderer:
    """``-f markdown``: summary, category scores, findings, 整改清单 table."""

    name = "markdown"
    suffix = ".md"

    def render(self, report: Report, lang: str = "zh") -> str:
        """The report as GitHub-flavoured Markdown."""

        def w(key: str) -> str:
            return word(WORDS, key, lang)

        s = report.score
        out = [
            f"# {report.standard['title']} — {report.subject.get('name', report.subject['id'])}",
            "",
            f"- {w('standard')}: `{report.standard['id']}` v{report.standard['version']}",
            f"- {w('as_of')}: {report.as_of.isoformat()}",
            f"- **{w('verdict')}: {word(VERDICT, report.verdict, lang)}**",
        ]
        if s.method != "pass_fail":
            out.append(
                f"- {w('score')}: {s.earned:g} / {s.possible:g}"
                + (f"({w('pass_mark')} {s.pass_mark:g})" if s.pass_mark is not None else "")
                + (f",{w('grade')}: {s.grade}" if s.grade else "")
            )
        if report.deciding:
            out.append(f"- {w('deciding')}: " + ", ".join(f"`{c}`" for c in report.deciding))
        out += [
            "",
            f"## {w('category')}",
            "",
            f"| {w('category')} | {w('score')} | "
            + " | ".join(word(STATUS, k, lang) for k in ("pass", "fail", "missing_evidence", "invalid_evidence"))
            + " |",
            "|---|---|---|---|---|---|",
        ]
        for c in s.categories:
            out.append(
                f"| {_cell(c.title)} | {c.earned:g}/{c.possible:g} | "
                + " | ".join(str(c.counts.get(k, 0)) for k in ("pass", "fail", "missing_evidence", "invalid_evidence"))
                + " |"
            )
        out += [
            "",
            f"## {w('findings')}",
            "",
            f"| {w('criterion')} | {w('status')} | {w('points')} | {w('explanation')} |",
            "|---|---|---|---|",
        ]
        for f in report.findings:
            title = f"`{f.criterion}` {_cell(f.title)}" + (f" **({w('mandatory')})**" if f.mandatory else "")
            points = f"{f.earned:g}/{f.possible:g}"
            out.append(f"| {title} | {word(STATUS, f.status, lang)} | {points} | {_cell(f.explanation(lang))} |")
        out += ["", f"## {w('remediation')}", ""]
        if not report.remediation:
            out.append(w("none"))
        else:
            out += [
                f"| # | {w('priority')} | {w('action')} | {w('owner')} | {w('due')} | {w('gap')} | {w('evidence')} |",
                "|---|---|---|---|---|---|---|",
            ]
            for i, item in enumerate(report.remediation, 1):
                d = item.to_dict(lang)
                gap = d["gap"]["text"] if d["gap"] else ""
                out.append(
                    f"| {i} | {word(PRIORITY, item.priority, lang)} | {_cell(d['action'])} | {_cell(d['owner'])} | "
                    f"{d['due']} | {_cell(gap)} | {_cell('、'.join(d['evidence']))} |"
                )
        return "\n".join(out) + "\n"
