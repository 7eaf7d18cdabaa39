"""A self-contained HTML report: one file, inline CSS and SVG, no script, no network.

The page opens from a USB stick on an office PC without Internet: a verdict banner, the
score by category as an inline SVG bar chart, the findings table and the 整改清单.
Every value that comes from a rule file or an evidence record is escaped; a
Content-Security-Policy forbids the page from loading anything at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..results import Report
from ._words import PRIORITY, STATUS, VERDICT, WORDS, word

__all__ = ["HtmlRenderer"]

_CSS = """
:root{--pass:#1b7f3b;--fail:#b42318;--incomplete:#b54708;--muted:#5f6b7a;--line:#d6dbe1;
--bg:#f6f7f9;--ink:#1d2430}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);line-height:1.5;
font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
"WenQuanYi Micro Hei",system-ui,-apple-system,"Segoe UI",sans-serif;font-size:15px}
main{max-width:1120px;margin:0 auto;padding:24px}
article{background:#fff;border:1px solid var(--line);border-radius:8px;margin:0 0 32px;
overflow:hidden}
.banner{padding:20px 24px;color:#fff}
.banner.pass{background:var(--pass)}.banner.fail{background:var(--fail)}
.banner.incomplete{background:var(--incomplete)}
.banner h1{margin:0 0 4px;font-size:20px;font-weight:600}
.banner .verdict{font-size:30px;font-weight:700;margin:6px 0}
.banner .meta{opacity:.92;font-size:14px}
.banner .meta span{margin-right:18px;white-space:nowrap}
section{padding:16px 24px;border-top:1px solid var(--line)}
h2{font-size:17px;margin:4px 0 12px}
.deciding code{background:#fff3;padding:0 4px;border-radius:3px}
table{border-collapse:collapse;width:100%;font-size:14px}
table.findings,table.remediation{table-layout:fixed}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
th{background:#eef1f4;font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.id code{font-size:12px;color:var(--muted)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;white-space:nowrap;
color:#fff}
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}
.badge.missing_evidence{background:var(--incomplete)}.badge.invalid_evidence{background:#7a2e8e}
.badge.not_applicable,.badge.waived{background:#8792a2}
.badge.critical{background:var(--fail)}.badge.high{background:var(--incomplete)}
.badge.medium{background:#3d6fb6}
.flag{color:var(--fail);font-size:12px;margin-left:4px}
svg text{font-family:inherit}
.chart{max-width:100%;height:auto}
.empty{color:var(--muted)}
footer{color:var(--muted);font-size:12px;padding:12px 24px;border-top:1px solid var(--line);
word-break:break-all}
@media print{body{background:#fff}main{padding:0}article{border:0}
.banner{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""

_STATUSES = ("pass", "fail", "missing_evidence", "invalid_evidence", "not_applicable", "waived")


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _num(x: float) -> str:
    return f"{x:g}"


def _chart(report: Report, lang: str) -> str:
    """Score by category: one horizontal bar per category, and the total with its pass mark."""
    s = report.score
    rows: list[tuple[str, float, float]] = [(c.title, c.earned, c.possible) for c in s.categories]
    rows.append((word(WORDS, "total", lang), s.earned, s.possible))
    label_w, bar_w, value_w, row_h, top = 150, 560, 110, 30, 8
    width = label_w + bar_w + value_w
    height = top + row_h * len(rows) + 24
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_e(word(WORDS, "score", lang))}">'
    ]
    for i, (title, earned, possible) in enumerate(rows):
        y = top + i * row_h
        share = 0.0 if possible <= 0 else max(0.0, min(1.0, earned / possible))
        colour = "#1b7f3b" if share >= 0.85 else ("#b54708" if share >= 0.6 else "#b42318")
        weight = ' font-weight="700"' if i == len(rows) - 1 else ""
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end" font-size="14"'
            f'{weight} fill="#1d2430">{_e(title)}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{bar_w}" height="18" rx="3" '
            f'fill="#e4e8ed"/>'
            f'<rect class="bar" x="{label_w}" y="{y + 5}" width="{share * bar_w:.1f}" '
            f'height="18" rx="3" fill="{colour}"/>'
            f'<text x="{label_w + bar_w + 8}" y="{y + 19}" font-size="13" fill="#1d2430">'
            f"{_num(earned)} / {_num(possible)}</text>"
        )
    if s.pass_mark is not None and s.possible > 0:
        y = top + (len(rows) - 1) * row_h
        x = label_w + bar_w * max(0.0, min(1.0, s.pass_mark / s.possible))
        mark = f"{word(WORDS, 'pass_mark', lang)} {_num(s.pass_mark)}"
        parts.append(
            f'<line x1="{x:.1f}" y1="{y + 1}" x2="{x:.1f}" y2="{y + 27}" stroke="#1d2430" '
            f'stroke-width="2" stroke-dasharray="3 2"/>'
            f'<text x="{x:.1f}" y="{y + row_h + 12}" text-anchor="middle" font-size="12" '
            f'fill="#5f6b7a">{_e(mark)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _article(report: Report, lang: str) -> str:
    def w(key: str) -> str:
        return _e(word(WORDS, key, lang))

    s = report.score
    subject = report.subject.get("name") or report.subject["id"]
    meta = [
        f"<span>{w('subject')}: {_e(subject)} [{_e(report.subject['id'])}]</span>",
        f"<span>{w('as_of')}: {_e(report.as_of.isoformat())}</span>",
    ]
    if s.method != "pass_fail":
        score = f"{w('score')}: {_num(s.earned)} / {_num(s.possible)}"
        if s.pass_mark is not None:
            written = f" ({s.pass_mark_written})" if s.pass_mark_written else ""
            score += f" · {w('pass_mark')}: {_num(s.pass_mark)}{_e(written)}"
        if s.grade:
            score += f" · {w('grade')}: {_e(s.grade)}"
        meta.append(f"<span>{score}</span>")
    out = [
        f'<article data-subject="{_e(report.subject["id"])}">',
        f'<header class="banner {_e(report.verdict)}" id="verdict" data-verdict="{_e(report.verdict)}">',
        f"<h1>{_e(report.standard['title'])}</h1>",
        f'<div class="verdict">{w("verdict")}: {_e(word(VERDICT, report.verdict, lang))}</div>',
        f'<div class="meta">{"".join(meta)}</div>',
    ]
    if report.deciding:
        codes = " ".join(f"<code>{_e(c)}</code>" for c in report.deciding)
        out.append(f'<div class="meta deciding">{w("deciding")}: {codes}</div>')
    out.append("</header>")

    # Score by category: the chart, then the counts per status.
    out += [f'<section id="categories"><h2>{w("category")}</h2>', _chart(report, lang)]
    out.append(
        "<table><thead><tr>"
        f"<th>{w('category')}</th><th class='num'>{w('score')}</th>"
        + "".join(f"<th class='num'>{_e(word(STATUS, k, lang))}</th>" for k in _STATUSES)
        + "</tr></thead><tbody>"
    )
    for c in s.categories:
        out.append(
            f"<tr><td>{_e(c.title)}</td><td class='num'>{_num(c.earned)}/{_num(c.possible)}</td>"
            + "".join(f"<td class='num'>{c.counts.get(k, 0)}</td>" for k in _STATUSES)
            + "</tr>"
        )
    out.append("</tbody></table></section>")

    # Findings: one row per criterion.
    out.append(
        f'<section id="findings"><h2>{w("findings")}</h2><table class="findings">'
        '<colgroup><col style="width:34%"><col style="width:10%"><col style="width:8%">'
        '<col style="width:48%"></colgroup><thead><tr>'
        f"<th>{w('criterion')}</th><th>{w('status')}</th><th class='num'>{w('points')}</th>"
        f"<th>{w('explanation')}</th></tr></thead><tbody>"
    )
    for f in report.findings:
        flag = f'<span class="flag">[{w("mandatory")}]</span>' if f.mandatory else ""
        out.append(
            f'<tr data-criterion="{_e(f.criterion)}" data-status="{_e(f.status)}">'
            f'<td class="id">{_e(f.title)}{flag}<br><code>{_e(f.criterion)}</code></td>'
            f'<td><span class="badge {_e(f.status)}">{_e(word(STATUS, f.status, lang))}</span></td>'
            f"<td class='num'>{_num(f.earned)}/{_num(f.possible)}</td>"
            f"<td>{_e(f.explanation(lang))}</td></tr>"
        )
    out.append("</tbody></table></section>")

    # The 整改清单.
    out.append(f'<section id="remediation"><h2>{w("remediation")}</h2>')
    if not report.remediation:
        out.append(f'<p class="empty">{w("none")}</p>')
    else:
        out.append(
            '<table class="remediation"><colgroup><col style="width:4%"><col style="width:7%">'
            '<col style="width:16%"><col style="width:23%"><col style="width:9%">'
            '<col style="width:10%"><col style="width:15%"><col style="width:16%"></colgroup>'
            '<thead><tr><th class="num">#</th>'
            f"<th>{w('priority')}</th><th>{w('criterion')}</th><th>{w('action')}</th>"
            f"<th>{w('owner')}</th><th>{w('due')}</th><th>{w('gap')}</th>"
            f"<th>{w('evidence')}</th></tr></thead><tbody>"
        )
        sep = "、" if lang == "zh" else "; "
        for i, item in enumerate(report.remediation, 1):
            d = item.to_dict(lang)
            gap = d["gap"]["text"] if d["gap"] else ""
            out.append(
                f'<tr data-criterion="{_e(item.criterion)}" data-priority="{_e(item.priority)}">'
                f"<td class='num'>{i}</td>"
                f'<td><span class="badge {_e(item.priority)}">'
                f"{_e(word(PRIORITY, item.priority, lang))}</span></td>"
                f"<td class='id'>{_e(item.title)}<br><code>{_e(item.criterion)}</code></td>"
                f"<td>{_e(d['action'])}</td><td>{_e(d['owner'])}</td>"
                f"<td class='num'>{_e(d['due'])}</td><td>{_e(gap)}</td>"
                f"<td>{_e(sep.join(d['evidence']))}</td></tr>"
            )
        out.append("</tbody></table>")
    out.append("</section>")

    if report.waivers:
        out.append(
            f'<section id="waivers"><h2>{w("waivers")}</h2><table><thead><tr>'
            f"<th>{w('criterion')}</th><th>{w('status')}</th><th>{w('due')}</th>"
            f"<th>{w('explanation')}</th></tr></thead><tbody>"
        )
        for x in report.waivers:
            out.append(
                f"<tr><td><code>{_e(x.criterion)}</code></td><td>{_e(x.state)}</td>"
                f"<td class='num'>{_e(x.until.isoformat())}</td><td>{_e(x.justification)}</td></tr>"
            )
        out.append("</tbody></table></section>")

    files = "; ".join(f"{_e(f['path'])} sha256:{_e(f['sha256'])}" for f in report.files)
    out.append(
        f"<footer>{w('standard')}: {_e(report.standard['id'])} v{_e(report.standard['version'])}"
        f" · {files} · standards report</footer></article>"
    )
    return "\n".join(out)


class HtmlRenderer:
    """``-f html``: one self-contained page (no script, no network, inline CSS and SVG)."""

    name = "html"
    suffix = ".html"

    def render(self, report: Report, lang: str = "zh") -> str:
        """One report as a complete HTML document."""
        return self.render_many([report], lang)

    def render_many(self, reports: Sequence[Report], lang: str = "zh") -> str:
        """Several reports (one per evidence file) in one HTML document."""
        first = reports[0] if reports else None
        if first is None:
            title = "standards"
        elif len(reports) == 1:
            subject = first.subject.get("name") or first.subject["id"]
            title = f"{first.standard['title']} — {subject}"
        else:
            title = f"{first.standard['title']} — {len(reports)}"
        body = "\n".join(_article(r, lang) for r in reports)
        return (
            "<!DOCTYPE html>\n"
            f'<html lang="{"en" if lang == "en" else "zh-CN"}">\n<head>\n<meta charset="utf-8">\n'
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
            f"{body}\n</main>\n</body>\n</html>\n"
        )
