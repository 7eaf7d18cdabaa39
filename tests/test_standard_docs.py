"""docs/standards/<id>.md are generated from the rules and must be up to date.

Regenerate with ``standards docs rules -o docs/standards`` (or the snippet in
``regenerate()`` below) after changing a rule file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import standards
from standards._docgen import render_standard_doc

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "standards"
BUNDLED = standards.bundled()


def regenerate() -> None:
    """Write every page (run ``python tests/test_standard_docs.py``)."""
    for sid, _, path in BUNDLED:
        (DOCS / f"{sid}.md").write_text(render_standard_doc(standards.load(path)), encoding="utf-8")


@pytest.mark.parametrize(("sid", "path"), [(s, p) for s, _, p in BUNDLED], ids=[s for s, _, _ in BUNDLED])
def test_generated_doc_is_up_to_date(sid: str, path: Path):
    page = DOCS / f"{sid}.md"
    assert page.exists(), f"missing {page}: run `python tests/test_standard_docs.py`"
    assert page.read_text(encoding="utf-8") == render_standard_doc(standards.load(path)), (
        f"{page} is stale: run `python tests/test_standard_docs.py`"
    )


def test_every_check_kind_is_described():
    from standards._docgen import describe_check
    from standards.model import CHECK_KINDS

    samples = {
        "value": {"kind": "value", "path": "a", "min": 1},
        "ratio": {"kind": "ratio", "numerator": "a", "denominator": "b", "min": "1%"},
        "count": {"kind": "count", "path": "a", "min": 1},
        "exists": {"kind": "exists", "document": "plan", "within": "P1Y"},
        "absent": {"kind": "absent", "path": "a"},
        "periodic": {"kind": "periodic", "event": "e", "every": "P3M", "over": "P1Y"},
        "age": {"kind": "age", "path": "d", "min": "P1Y"},
        "grade": {"kind": "grade", "path": "g", "scale": ["A", "B"], "min": "B"},
        "compare": {"kind": "compare", "left": "a", "op": ">=", "right": "b"},
        "trend": {"kind": "trend", "path": "s", "direction": "rising", "last": 3},
        "each": {"kind": "each", "units": "village", "check": {"kind": "exists", "path": "a"}},
        "meets": {"kind": "meets", "standard": "x.y", "units": "village"},
        "all": {"kind": "all", "checks": [{"kind": "exists", "path": "a"}]},
        "any": {"kind": "any", "checks": [{"kind": "exists", "path": "a"}]},
        "not": {"kind": "not", "check": {"kind": "exists", "path": "a"}},
    }
    assert set(samples) == set(CHECK_KINDS)
    for kind, data in samples.items():
        text = describe_check(CHECK_KINDS[kind].model_validate(data), {})
        assert text and text != kind


if __name__ == "__main__":
    regenerate()
