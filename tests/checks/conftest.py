"""Fixtures for the check-kind tests.

``judge`` evaluates one check like ``check_one`` does, and also runs the fast path
(``Standard.decide``) on the same record: the two must agree on the status, or a
screening run and its report would tell a user different things.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import pytest

import standards

AS_OF = "2011-10-16"

#: A criterion guard that fails when ``has_school`` is false (→ not_applicable).
GUARD: dict[str, Any] = {"applies_when": {"kind": "exists", "path": "has_school"}}


@pytest.fixture
def judge(make_standard: Callable[..., standards.Standard]) -> Callable[..., standards.Finding]:
    """Evaluate one check; assert the fast path agrees; return the finding."""

    def run(
        check: Mapping[str, Any],
        facts: Mapping[str, Any] | None = None,
        *,
        record: Mapping[str, Any] | None = None,
        as_of: str = AS_OF,
        criterion: Mapping[str, Any] | None = None,
        **kw: Any,
    ) -> standards.Finding:
        std = make_standard([{"check": dict(check), **(criterion or {})}], **kw)
        rec = dict(record) if record is not None else {"facts": dict(facts or {})}
        rec.setdefault("subject", {"id": "s1", "kind": "village"})
        finding = std.evaluate(rec, as_of=as_of).findings[0]
        fast = std.decide(rec, as_of=as_of).statuses[finding.criterion]
        assert fast == finding.status, f"fast path says {fast}, report says {finding.status}"
        _assert_readable(finding)
        return finding

    return run


_LEFTOVER = re.compile(r"\{[A-Za-z_]+\}|^[a-z_]+\.[a-z_]+$")


def _assert_readable(finding: standards.Finding) -> None:
    """Every sentence a user reads is filled in, tidy, and differs between zh and en."""
    texts = {lang: finding.explanation(lang) for lang in ("zh", "en")}
    for lang in ("zh", "en"):
        data = finding.to_dict(lang)
        gap = data.get("gap")
        for text in (texts[lang], gap["text"] if gap else None):
            if text is None:
                continue
            assert text, f"empty {lang} text"
            assert not _LEFTOVER.search(text), f"unfilled {lang} text: {text!r}"
            assert text == text.strip() and "  " not in text, f"untidy {lang} text: {text!r}"
    assert texts["zh"] != texts["en"], f"not translated: {texts['en']!r}"


def _gap_text(finding: standards.Finding, lang: str = "zh") -> str:
    gap = finding.to_dict(lang).get("gap")
    assert gap is not None, f"{finding.status} finding has no gap"
    return str(gap["text"])


@pytest.fixture
def gap_of() -> Callable[..., str]:
    """``gap_of(finding, lang="zh")`` → the gap as the report words it."""
    return _gap_text


@pytest.fixture
def guard() -> dict[str, Any]:
    """Criterion fields whose guard fails when the facts say ``has_school: false``."""
    return dict(GUARD)
