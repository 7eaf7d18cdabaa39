"""Fuzz the evidence reader and the evaluator: any JSON value anywhere in a record.

Records start valid — ``standards.testing.evidence_for(std)`` covers every path, event
type, document kind and unit list a bundled standard reads — and then have leaves or whole
subtrees replaced by arbitrary JSON, so the odd values land exactly where the checks read.
The only outcomes allowed: a report (which must also serialise and render) or a documented
error, within the time and memory bounds (``_fuzzkit.bounded``).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from _fuzzkit import BUNDLED, json_values, mutate, outcome, tricky_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import standards
from standards import Report, StandardsError
from standards.testing import evidence_for

_STANDARDS: dict[str, standards.Standard] = {}
FORMATS = ["text", "json", "markdown", "csv", "junit", "html"]


def std_of(sid: str) -> standards.Standard:
    if sid not in _STANDARDS:
        _STANDARDS[sid] = standards.load_bundled(sid)
    return _STANDARDS[sid]


def check_report(report: Report, fmt: str) -> None:
    data = json.loads(report.to_json())
    assert data["verdict"] in ("pass", "fail", "incomplete")
    assert {f["status"] for f in data["findings"]} <= {
        "pass",
        "fail",
        "missing_evidence",
        "invalid_evidence",
        "not_applicable",
        "waived",
    }
    assert isinstance(standards.render(report, fmt), str)


_RECORDS: dict[tuple[str, str | None], st.SearchStrategy[Any]] = {}


def records_for(sid: str, criterion: str | None) -> st.SearchStrategy[Any]:
    """Valid records steering one criterion (small, quick to draw), or covering them all."""
    key = (sid, criterion)
    if key not in _RECORDS:
        std = std_of(sid)
        _RECORDS[key] = evidence_for(std) if criterion is None else evidence_for(std, criterion, others=False)
    return _RECORDS[key]


@st.composite
def mutated_record(draw: st.DrawFn) -> tuple[str, Any]:
    sid = draw(st.sampled_from([s for s, _, _ in BUNDLED]))
    ids = [c.id for c in std_of(sid).criteria]
    # Mostly one criterion's evidence (the mutation lands where that check reads); now and
    # then a whole record, so criteria sharing facts and sub-units meet odd values too.
    criterion = draw(st.one_of(st.sampled_from(ids), st.none())) if draw(st.integers(0, 4)) else None
    record = draw(records_for(sid, criterion))
    return sid, draw(mutate(record, times=3))


@st.composite
def call_options(draw: st.DrawFn, sid: str) -> dict[str, Any]:
    """Sometimes other parameter values, an as_of, or waivers: arbitrary, like the record."""
    std = std_of(sid)
    out: dict[str, Any] = {}
    if std.parameters and draw(st.integers(0, 3)) == 0:
        names = sorted(std.parameters)
        out["parameters"] = draw(
            st.dictionaries(
                st.sampled_from([*names, "nope"]), st.one_of(tricky_text, json_values), min_size=1, max_size=2
            )
        )
    if draw(st.integers(0, 5)) == 0:
        out["as_of"] = draw(st.one_of(tricky_text, st.dates().map(str)))
    if draw(st.integers(0, 5)) == 0:
        ids = [c.id for c in std.criteria]
        waiver = st.fixed_dictionaries(
            {"criterion": st.one_of(st.sampled_from(ids), tricky_text)},
            optional={
                "justification": st.one_of(st.just("已批准"), tricky_text),
                "until": tricky_text,
                "subject": tricky_text,
                "approved_by": json_values,
            },
        )
        out["waivers"] = draw(st.lists(st.one_of(waiver, json_values), max_size=2))
    return out


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), case=mutated_record(), fmt=st.sampled_from(FORMATS))
def test_evaluator_on_every_bundled_standard_with_arbitrary_json_anywhere(
    data: Any, case: tuple[str, Any], fmt: str
) -> None:
    sid, record = case
    std = std_of(sid)
    options = data.draw(call_options(sid))
    result = outcome(lambda: std.evaluate(record, **options))
    if isinstance(result, Report):
        check_report(result, fmt)
    decision = outcome(lambda: std.decide(record, as_of=options.get("as_of"), parameters=options.get("parameters")))
    if isinstance(result, Report) and isinstance(decision, standards.Decision) and not options.get("waivers"):
        assert decision.verdict == result.verdict  # the fast path agrees with the full report


@pytest.mark.parametrize("sid", [s for s, _, _ in BUNDLED])
def test_every_bundled_standard_evaluates_its_own_generated_records(sid: str) -> None:
    """A smoke pass per standard (few examples each), so no standard is left unfuzzed."""
    std = std_of(sid)

    @settings(max_examples=3, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(record=evidence_for(std).flatmap(lambda r: mutate(r, times=2)))
    def run(record: Any) -> None:
        result = outcome(lambda: std.evaluate(record))
        if isinstance(result, Report):
            check_report(result, "text")

    run()


@given(value=json_values)
def test_read_evidence_on_any_json_value(value: Any) -> None:
    result = outcome(lambda: standards.read_evidence(value))
    assert isinstance(result, standards.Evidence | StandardsError)


_JSONISH = st.sampled_from(
    [
        *'{}[]:,"\\ \n0123456789.eE+-truefalsnNaIiy',
        '"subject"',
        '"facts"',
        '"id"',
        "1e400",
        "NaN",
        '"\\ud800"',
        "\ufeff",
    ]
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(
        st.lists(_JSONISH, max_size=80).map("".join),
        json_values.map(lambda v: json.dumps({"subject": {"id": "v1"}, "as_of": "2011-10-16", "facts": v})),
        st.binary(max_size=60).map(lambda b: b.decode("latin-1")),
    ),
    suffix=st.sampled_from([".json", ".yaml"]),
    raw=st.booleans(),
)
def test_read_evidence_on_any_file_content(text: str, suffix: str, raw: bool) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"evidence{suffix}"
        if raw:
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        result = outcome(lambda: standards.read_evidence(path))
        if isinstance(result, StandardsError):
            assert result.file == str(path) or result.file is None
