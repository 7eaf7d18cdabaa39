"""The corpus: every input that found a bug, kept as a test (issue 7, "keep a corpus").

Each case names what it did before the fix (in the id, the docstring or the comment).
Found by the fuzz targets in this folder or while writing them, against the code of
commit a857a31. The last few were fixed outside the reading code (cli.py, _loader.py,
results.py, model.py, Standard.with_parameters); their docstrings say what they did.
"""

from __future__ import annotations

import io
import json
import math
import time
from pathlib import Path
from typing import Any

import pytest
from _fuzzkit import EXIT_CODES, outcome

import standards
from standards import StandardsError, cli
from standards._values import parse_bound, parse_duration, parse_number
from standards._yaml import InputRejected, read_json_text, read_yaml_text

ROOT = Path(__file__).resolve().parents[2]
HOUHUAN = ROOT / "fixtures" / "guangdong" / "houhuan.json"

# (id, YAML text, expected error code or None when it must read) — read_yaml_text
YAML_CORPUS = [
    ("nul-byte: ReaderError escaped", "a: \x00", "yaml-syntax"),
    ("bell: ReaderError escaped", "a: b\x07", "yaml-syntax"),
    ("empty-explicit-float: IndexError", "!!float ", "yaml-value"),
    ("empty-explicit-int: IndexError", "a: !!int", "yaml-value"),
    ("explicit-bool-x: KeyError", "!!bool x", "yaml-value"),
    ("explicit-timestamp-x: AttributeError", "!!timestamp x", "yaml-value"),
    ("explicit-null-x: read as None", "!!null x", "yaml-value"),
    ("explicit-int-underscores: silently 10", "a: !!int 1_0", "yaml-value"),
    ("impossible-date: ValueError", "a: 2010-09-31", None),
    ("month-13: ValueError", "a: 2011-13-01", None),
    ("tz-99-hours: ValueError", "a: 2011-06-02T10:00:00+99:00", None),
    ("5000-nested-lists: RecursionError", "[" * 5000, "too-deep"),
    ("100k-flow-levels: 1s quadratic scan", "{" * 100_000, "too-deep"),
    ("inf: float('inf') let through", "a: .inf", "not-finite"),
    ("nan: float('nan') let through", "a: .nan", "not-finite"),
    ("1e400: read as inf", "a: 1.0e+400", "number-out-of-range"),
    ("5000-digit-int: ValueError", "a: " + "9" * 5000, "number-out-of-range"),
    ("binary-tag: bytes in the data", "a: !!binary aGk=", "yaml-tag"),
    ("lone-surrogate: UnicodeEncodeError on output", 'a: "\\ud800"', "not-unicode"),
    ("self-alias: infinite structure", "a: &x [*x]", "yaml-syntax"),
    ("underscore-int: silently 1000", "a: 1_000", None),
    ("octal: silently 15", "a: 017", None),
    ("sexagesimal: silently 510", "a: 8:30", None),
]


@pytest.mark.parametrize(("text", "code"), [c[1:] for c in YAML_CORPUS], ids=[c[0] for c in YAML_CORPUS])
def test_yaml_corpus(text: str, code: str | None) -> None:
    def run() -> Any:
        try:
            return read_yaml_text(text, "f.yaml")
        except InputRejected as exc:
            return exc.problem

    start = time.perf_counter()
    result = outcome(run)
    assert time.perf_counter() - start < 1.0
    if code is None:
        assert not hasattr(result, "code"), result
        data = result.data
        assert all(isinstance(v, str) for v in data.values()), data  # kept as written
    else:
        assert result.code == code and result.file == "f.yaml", result


# (id, value in evidence, the status a `value ≥ 1` check must give) — found by the evidence fuzz
EVIDENCE_CORPUS = [
    ("text-1e400: OverflowError", "1e400", "invalid_evidence"),
    ("text-minus-1e400: OverflowError", "-1e400", "invalid_evidence"),
    ("text-1e999999999: builds 10**999999999 (hang)", "1e999999999", "invalid_evidence"),
    ("text-1-underscore-000: read as 1000 by float()", "1_000", "invalid_evidence"),
    ("text-1-comma-5: silently 15", "1,5", "invalid_evidence"),
    ("arabic-indic-digits: silently 12", "١٢", "invalid_evidence"),
    ("full-width: read", "１２", "pass"),
]


@pytest.mark.parametrize(("value", "status"), [c[1:] for c in EVIDENCE_CORPUS], ids=[c[0] for c in EVIDENCE_CORPUS])
def test_evidence_value_corpus(make_standard: Any, value: Any, status: str) -> None:
    std = make_standard([{"check": {"kind": "value", "path": "a", "min": 1}}])
    report = outcome(lambda: std.evaluate({"subject": {"id": "s"}, "as_of": "2011-10-16", "facts": {"a": value}}))
    assert isinstance(report, standards.Report)
    assert report.findings[0].status == status


@pytest.mark.parametrize(
    ("record", "code"),
    [
        ({"a": 10**400}, "number-out-of-range"),  # OverflowError in every numeric check
        ({"a": -(10**400)}, "number-out-of-range"),
        ({"a": "\ud800"}, "not-unicode"),  # CLI exit 4: UnicodeEncodeError writing the report
        ({"\udfff": 1}, "not-unicode"),
    ],
    ids=["int-10e400", "int-minus-10e400", "surrogate-value", "surrogate-key"],
)
def test_evidence_record_corpus(record: dict[str, Any], code: str) -> None:
    result = outcome(lambda: standards.read_evidence({"subject": {"id": "s"}, "facts": record}))
    assert isinstance(result, StandardsError) and result.code == code


@pytest.mark.parametrize("name", ["\x00", "\ud800", "a\x00b.json"], ids=["nul", "surrogate", "nul-inside"])
def test_file_names_no_file_can_have(name: str) -> None:
    """read_evidence("\\x00") raised ValueError, "\\ud800" UnicodeEncodeError (evidence fuzz)."""
    result = outcome(lambda: standards.read_evidence(name))
    assert isinstance(result, StandardsError) and result.code == "file-not-found"
    assert str(result).encode("utf-8")  # printable: no lone surrogate in the message


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('{"a": 1e400}', "number-out-of-range"),  # json.loads gives inf
        ('{"a": 1e-400}', "number-out-of-range"),  # json.loads gives 0.0
        ('{"a": ' + "9" * 5000 + "}", "number-out-of-range"),  # ValueError past 4300 digits
        ('{"a": NaN}', "not-finite"),
        ('{"a": "\\ud800"}', "not-unicode"),
        ("[" * 100_000, "too-deep"),
    ],
    ids=["1e400", "1e-400", "5000-digits", "NaN", "surrogate", "deep"],
)
def test_json_corpus(text: str, code: str) -> None:
    def run() -> Any:
        try:
            return read_json_text(text, "e.json")
        except InputRejected as exc:
            return exc.problem

    assert outcome(run).code == code


@pytest.mark.parametrize(
    "text",
    ["1e400", "-1e400", "1e999999999999", "9" * 100 + "e-999999999", "1" * 5000],
    ids=["1e400", "-1e400", "huge-exponent", "tiny", "5000-digits"],
)
def test_threshold_text_corpus(text: str) -> None:
    """parse_bound("1e400") raised OverflowError: a rule threshold could crash the loader."""
    assert outcome(lambda: parse_bound(text)) is None
    assert outcome(lambda: parse_number(text)) is None


@pytest.mark.parametrize("text", ["P" + "1" * 5000 + "Y", "P99999999D"], ids=["5000-digits", "eight-digits"])
def test_duration_corpus(text: str) -> None:
    """parse_duration of 5000 digits raised ValueError (int() digit limit)."""
    assert outcome(lambda: parse_duration(text)) is None


@pytest.mark.parametrize("as_of", ["9999-12-30", "9999-12-31", "0001-01-01"])
def test_calendar_end_corpus(make_standard: Any, as_of: str) -> None:
    """as_of 9999-12-30 with a due date P60D later raised ValueError (year 10000)."""
    std = make_standard(
        [
            {
                "check": {"kind": "periodic", "event": "e", "every": "P3M", "over": "P1Y"},
                "remediation": {"action": "做", "within": "P60D"},
            },
            {"check": {"kind": "age", "path": "a", "min": "P1Y"}},
        ]
    )
    report = outcome(lambda: std.evaluate({"subject": {"id": "s"}, "as_of": as_of, "facts": {"a": as_of}}))
    assert isinstance(report, standards.Report)
    json.loads(report.to_json())


def test_dev_zero_corpus() -> None:
    """read_text of /dev/zero read forever (its size says 0, so the size check passed)."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    result = outcome(lambda: standards.read_evidence("/dev/zero", limits=standards._api.Limits(max_bytes=1 << 20)))
    assert isinstance(result, StandardsError) and result.code == "too-large"


def _cli(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(args), out=out, err=err)
    return code, err.getvalue()


def test_cli_set_with_deeply_nested_json_is_a_usage_error() -> None:
    """``--set NAME=[[[[…`` was a RecursionError out of json.loads in cli._parameters: exit 4."""
    code, err = _cli("check", "gd.health-village", str(HOUHUAN), "--set", "knowledge_rate_min=" + "[" * 5000)
    assert code in EXIT_CODES and "internal error" not in err


def test_an_unrelated_yaml_file_with_an_impossible_date_next_to_a_profile(tmp_path: Path) -> None:
    """_loader._peek_id let PyYAML's ValueError (2010-09-31) out: any such YAML file near a profile
    that extends by id crashed load(), and the test suite with it, depending on its tmp files."""
    here = tmp_path / "a"
    here.mkdir()
    (here / "notes.yaml").write_text("due: 2010-09-31\n", encoding="utf-8")
    (here / "child.yaml").write_text(
        "standard: {id: t.child, title: 子}\nextends: gd.health-villag\n", encoding="utf-8"
    )
    result = outcome(lambda: standards.load(here / "child.yaml"))
    assert isinstance(result, StandardsError)


@pytest.mark.parametrize("bad", [math.nan, math.inf], ids=["nan", "inf"])
def test_a_report_of_a_dict_record_holding_nan_serialises(make_standard: Any, bad: float) -> None:
    """A NaN in a dict record reached Report.to_json (allow_nan=False): ValueError."""
    std = make_standard([{"check": {"kind": "value", "path": "a", "min": 1}}])
    report = std.evaluate({"subject": {"id": "s"}, "as_of": "2011-10-16", "facts": {"a": bad}})
    assert report.findings[0].status == "invalid_evidence"
    json.loads(report.to_json())


@pytest.mark.parametrize("per", [0, "0%", "-5%"], ids=["zero", "zero-percent", "negative"])
def test_a_deduct_step_that_is_not_positive_is_a_rule_error(make_standard: Any, per: Any) -> None:
    """deduct.per 0 was a ZeroDivisionError in _scoring; a negative per let a failing criterion keep
    its points (a silent pass). Found by the rule-file fuzz vocabulary ("0", "0%")."""

    def run() -> Any:
        std = make_standard([{"check": {"kind": "value", "path": "a", "min": 5}, "deduct": {"per": per, "points": 1}}])
        return std.evaluate({"subject": {"id": "s"}, "as_of": "2011-10-16", "facts": {"a": 1}})

    assert isinstance(outcome(run), standards.RuleSetError)


@pytest.mark.parametrize("value", [[], {"a": 1}], ids=["list", "object"])
def test_parameters_that_are_lists_or_objects(value: Any) -> None:
    """with_parameters keyed its cache on frozenset((name, value)): a list was a TypeError."""
    std = standards.load_bundled("zj.health-village")
    result = outcome(
        lambda: std.evaluate(json.loads(HOUHUAN.read_text(encoding="utf-8")), parameters={"behavior_rate_min": value})
    )
    assert isinstance(result, StandardsError)
