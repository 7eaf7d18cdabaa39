"""The 整改清单 as CSV: UTF-8 with a byte-order mark, so Excel shows the Chinese correctly."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ..results import Report
from ._words import PRIORITY, STATUS, WORDS, word

__all__ = ["COLUMNS", "CsvRenderer"]

#: The column keys (``_words.WORDS``), in order: 优先级, 项目, 状态, 整改措施, 责任组, 期限, 差距,
#: 需提供材料 (Priority, Criterion, Status, Action, Owner, Due, Gap, Evidence to supply).
COLUMNS = ("priority", "criterion", "state", "action", "owner", "due", "gap", "evidence")

BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(text: str) -> str:
    """A cell Excel shows as text: a leading ``= + - @`` would make it a formula."""
    return "'" + text if text.startswith(_FORMULA) else text


def _rows(report: Report, lang: str) -> list[list[str]]:
    sep = "、" if lang == "zh" else "; "
    rows = []
    for item in report.remediation:
        d = item.to_dict(lang)
        rows.append(
            [
                _cell(c)
                for c in (
                    word(PRIORITY, item.priority, lang),
                    f"{item.criterion} {item.title}",
                    word(STATUS, item.status, lang),
                    d["action"],
                    d["owner"],
                    d["due"],
                    d["gap"]["text"] if d["gap"] else "",
                    sep.join(d["evidence"]),
                )
            ]
        )
    return rows


class CsvRenderer:
    """``-f csv``: one row per remediation item (header row first; CRLF line ends).

    With several reports a first column, 对象 (Subject), names the subject of each row.
    """

    name = "csv"
    suffix = ".csv"

    def render(self, report: Report, lang: str = "zh") -> str:
        """The 整改清单 of one report."""
        return self.render_many([report], lang)

    def render_many(self, reports: Sequence[Report], lang: str = "zh") -> str:
        """The 整改清单 of several reports in one table."""
        buf = io.StringIO()
        out = csv.writer(buf, lineterminator="\r\n")
        head = [word(WORDS, k, lang) for k in COLUMNS]
        several = len(reports) > 1
        out.writerow([word(WORDS, "subject", lang), *head] if several else head)
        for r in reports:
            for row in _rows(r, lang):
                out.writerow([_cell(r.subject["id"]), *row] if several else row)
        return BOM + buf.getvalue()
