"""JUnit XML for CI systems: one test suite per report, one test case per criterion.

``pass`` → a passing case; ``fail`` → ``<failure type="fail">``; ``missing_evidence`` and
``invalid_evidence`` → ``<error type="…">`` (the check could not be decided, which is
not the same as failing it); ``not_applicable`` and ``waived`` → ``<skipped>``. The
verdict, score and as-of date are suite properties. Built with ElementTree, so every
value is escaped; characters XML 1.0 cannot hold are replaced.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from ..results import Finding, RemediationItem, Report
from ._words import STATUS, VERDICT, WORDS, word

__all__ = ["JunitRenderer"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _case(suite: ET.Element, report: Report, f: Finding, item: RemediationItem | None, lang: str) -> str:
    case = ET.SubElement(
        suite,
        "testcase",
        {
            "classname": _x(f"{report.standard['id']}.{f.category}"),
            "name": _x(f"{f.criterion} {f.title}"),
            "time": "0",
        },
    )
    message = _x(f.explanation(lang))
    body = [f"{word(WORDS, 'status', lang)}: {word(STATUS, f.status, lang)}", message]
    if f.mandatory:
        body[0] += f" [{word(WORDS, 'mandatory', lang)}]"
    if item is not None:
        d = item.to_dict(lang)
        body.append(f"{word(WORDS, 'action', lang)}: {d['action']}")
        body.append(f"{word(WORDS, 'owner', lang)}: {d['owner']}   {word(WORDS, 'due', lang)}: {d['due']}")
        if d["gap"] and d["gap"]["text"]:
            body.append(f"{word(WORDS, 'gap', lang)}: {d['gap']['text']}")
    if f.status == "fail":
        el = ET.SubElement(case, "failure", {"type": "fail", "message": message})
        el.text = _x("\n".join(body))
        return "failures"
    if f.status in ("missing_evidence", "invalid_evidence"):
        el = ET.SubElement(case, "error", {"type": f.status, "message": message})
        el.text = _x("\n".join(body))
        return "errors"
    if f.status in ("not_applicable", "waived"):
        ET.SubElement(case, "skipped", {"type": f.status, "message": message})
        return "skipped"
    return "passed"


def _suite(parent: ET.Element, report: Report, lang: str) -> dict[str, int]:
    subject = report.subject.get("name") or report.subject["id"]
    suite = ET.SubElement(
        parent,
        "testsuite",
        {"name": _x(f"{report.standard['id']}: {subject} [{report.subject['id']}]")},
    )
    props = ET.SubElement(suite, "properties")
    s = report.score
    values = {
        "standard": f"{report.standard['id']} v{report.standard['version']}",
        "subject": report.subject["id"],
        "as_of": report.as_of.isoformat(),
        "verdict": report.verdict,
        "verdict_text": word(VERDICT, report.verdict, lang),
        "score": f"{s.earned:g}/{s.possible:g}",
    }
    if s.pass_mark is not None:
        values["pass_mark"] = f"{s.pass_mark:g}"
    if report.deciding:
        values["deciding"] = ", ".join(report.deciding)
    for name, value in values.items():
        ET.SubElement(props, "property", {"name": name, "value": _x(value)})
    items = {r.criterion: r for r in report.remediation}
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0, "passed": 0}
    for f in report.findings:
        counts[_case(suite, report, f, items.get(f.criterion), lang)] += 1
        counts["tests"] += 1
    for key in ("tests", "failures", "errors", "skipped"):
        suite.set(key, str(counts[key]))
    return counts


class JunitRenderer:
    """``-f junit``: JUnit XML (``<testsuites>``), one ``<testcase>`` per criterion."""

    name = "junit"
    suffix = ".xml"

    def render(self, report: Report, lang: str = "zh") -> str:
        """One report as a JUnit XML document."""
        return self.render_many([report], lang)

    def render_many(self, reports: Sequence[Report], lang: str = "zh") -> str:
        """Several reports, one ``<testsuite>`` each, in one document."""
        root = ET.Element("testsuites", {"name": "standards"})
        total = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for r in reports:
            counts = _suite(root, r, lang)
            for key in total:
                total[key] += counts[key]
        for key, value in total.items():
            root.set(key, str(value))
        ET.indent(root)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
