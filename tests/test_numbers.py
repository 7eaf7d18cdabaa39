"""Numbers you can trust: exact thresholds, boundary values, text read as written, round trips.

A value exactly at a threshold passes a ``min`` and a ``max`` (never flipped by 0.7 × 100
style float drift); a strict comparison (``compare`` with ``<`` or ``>``, the only
exclusive bound the rule format offers) fails at equality. Numeric text is read as a
person wrote it or not at all: ``"1e400"`` is not infinity, ``"1_000"`` and ``"1,5"`` are
not numbers, and the report shows the evidence exactly as it was given.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import standards
from standards import RuleSetError
from standards._values import Bound, format_number, parse_bound, parse_duration, parse_number

AS_OF = "2011-10-16"


def record(**facts: Any) -> dict[str, Any]:
    return {"subject": {"id": "s1", "kind": "village"}, "as_of": AS_OF, "facts": facts}


@pytest.fixture
def finding(make_standard: Callable[..., standards.Standard]) -> Callable[..., dict[str, Any]]:
    """``finding(check, **facts)`` → the JSON finding of a one-criterion standard."""
    cache: dict[str, standards.Standard] = {}

    def run(check: dict[str, Any], **facts: Any) -> dict[str, Any]:
        key = json.dumps(check, sort_keys=True)
        if key not in cache:
            cache[key] = make_standard([{"check": check}])
        result: dict[str, Any] = cache[key].evaluate(record(**facts)).to_dict()["findings"][0]
        return result

    return run


def status(finding: Callable[..., dict[str, Any]], check: dict[str, Any], **facts: Any) -> str:
    return str(finding(check, **facts)["status"])


# -- numeric text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "percent"),
    [
        ("87", Fraction(87), False),
        ("0.87", Fraction(87, 100), False),
        ("87%", Fraction(87, 100), True),
        (" 75 % ", Fraction(3, 4), True),
        ("75％", Fraction(3, 4), True),
        ("７５％", Fraction(3, 4), True),
        ("７５．５％", Fraction(755, 1000), True),
        ("-5%", Fraction(-1, 20), True),
        ("120%", Fraction(6, 5), True),
        ("1,000", Fraction(1000), False),
        ("12,345.5", Fraction(24691, 2), False),
        ("１，０００", Fraction(1000), False),
        ("−3", Fraction(-3), False),
        ("+.5", Fraction(1, 2), False),
        ("1.5e3", Fraction(1500), False),
        ("0.1", Fraction(1, 10), False),
        ("1e-300", Fraction(1, 10**300), False),
        ("1.7976931348623157e308", Fraction(17976931348623157 * 10**292), False),
    ],
)
def test_numeric_text_is_read_exactly_as_written(text: str, value: Fraction, percent: bool) -> None:
    b = parse_bound(text)
    assert b is not None and (b.q, b.percent) == (value, percent)
    assert b.f == float(value)
    assert parse_number(text) == (float(value), percent)


@pytest.mark.parametrize(
    "text",
    [
        "1e400",
        "-1e400",
        "1e-400",
        "1.8e308",
        "1e999999999",
        "1_000",
        "1_000.5",
        "1,5",
        "1,0",
        "6,40",
        "1,23,456",
        ",5",
        "١٢",
        "٣٠%",
        "0x1F",
        "1:30",
        "NaN",
        "nan",
        "Infinity",
        "inf",
        "",
        "%",
        ".",
        "-",
        "e5",
        "1e",
        "5 5",
        "75%%",
        "%75",
        "1" * 101,
        "__",
        "XX",
    ],
)
def test_text_that_is_not_a_usable_number_is_refused(text: str) -> None:
    assert parse_bound(text) is None
    assert parse_number(text) is None


def test_a_huge_exponent_is_refused_without_building_it() -> None:
    import time

    start = time.perf_counter()
    assert parse_bound("1e999999999999") is None
    assert parse_bound("9" * 100 + "e-999999999") is None
    assert time.perf_counter() - start < 0.1


def test_python_numbers_no_float_holds_are_not_bounds() -> None:
    assert parse_bound(10**400) is None
    assert parse_bound(float("inf")) is None and parse_bound(float("nan")) is None
    assert parse_bound(True) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1e400", "invalid_evidence"),
        ("-1e400", "invalid_evidence"),
        ("1_000", "invalid_evidence"),
        ("1,5", "invalid_evidence"),
        ("١٢", "invalid_evidence"),
        (" 75 % ", "pass"),
        ("７５％", "pass"),
        ("75％", "pass"),
        ("-5%", "invalid_evidence"),  # a negative share is impossible too
        ("120%", "invalid_evidence"),  # a rate above 100%, like plain 1.2, is impossible
        (1.2, "invalid_evidence"),
        ("0.75", "pass"),
        (0.75, "pass"),
        ("70%", "pass"),
        (0.7, "pass"),
        (0.6999999999999999, "fail"),
    ],
)
def test_numeric_text_in_evidence_where_a_percentage_is_compared(
    finding: Callable[..., dict[str, Any]], raw: Any, expected: str
) -> None:
    f = finding({"kind": "value", "path": "rate", "min": "70%"}, rate=raw)
    assert f["status"] == expected, f["explanation"]
    assert f["observed"] == raw  # the report shows what was given, unchanged


@pytest.mark.parametrize("raw", ["1e400", "1_000", "1,0"])
def test_unusable_numeric_text_is_invalid_for_every_numeric_kind(
    finding: Callable[..., dict[str, Any]], raw: str
) -> None:
    checks = [
        ({"kind": "value", "path": "a", "min": 1}, {"a": raw}),
        ({"kind": "ratio", "numerator": "a", "denominator": "b", "min": "50%"}, {"a": raw, "b": 10}),
        ({"kind": "ratio", "numerator": "b", "denominator": "a", "min": "50%"}, {"a": raw, "b": 10}),
        ({"kind": "count", "path": "a", "min": 1}, {"a": raw}),
        ({"kind": "compare", "left": "a", "op": ">=", "right": "b"}, {"a": raw, "b": 1}),
    ]
    for check, facts in checks:
        assert status(finding, check, **facts) == "invalid_evidence", (check, facts)


@pytest.mark.parametrize("threshold", ["1e400", "-1e400", "1e-400", "1_000", "1,5", "NaN"])
def test_a_threshold_no_float_can_hold_is_a_located_rule_error(tmp_path: Path, threshold: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "standard: {id: t.n, title: 数}\n"
        "categories: [{id: c, title: 类}]\n"
        "criteria:\n"
        "  - id: c.a\n"
        "    category: c\n"
        "    title: 甲\n"
        f"    check: {{kind: value, path: a, min: '{threshold}'}}\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleSetError) as info:
        standards.load(path)
    p = info.value.problems[0]
    assert (p.file, p.line, p.path) == (str(path), 7, "criteria[0].check.min"), str(info.value)


def test_a_parameter_set_to_a_number_no_float_holds_is_refused(make_standard: Callable[..., Any]) -> None:
    std = make_standard([{"check": {"kind": "value", "path": "a", "min": "$lo"}}], parameters={"lo": "50%"})
    for bad in ("1e400", 10**400, float("inf")):
        with pytest.raises(standards.StandardsError):
            std.with_parameters({"lo": bad})


@pytest.mark.parametrize("text", ["P" + "9" * 8 + "D", "P" + "1" * 5000 + "Y"])
def test_an_absurd_duration_is_not_a_duration(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize("as_of", ["0001-01-05", "9999-12-30"])
def test_dates_at_the_ends_of_the_calendar_give_an_answer(
    make_standard: Callable[..., standards.Standard], as_of: str
) -> None:
    std = make_standard(
        [
            {
                "check": {"kind": "periodic", "event": "board.update", "every": "P3M", "over": "P1Y"},
                "remediation": {"action": "更新", "within": "P60D"},
            },
            {"check": {"kind": "age", "path": "since", "min": "P1Y"}},
            {"check": {"kind": "exists", "document": "plan", "within": "P1Y"}},
        ]
    )
    rec = {
        "subject": {"id": "s1"},
        "as_of": as_of,
        "facts": {"since": as_of},
        "events": [{"type": "board.update", "date": as_of}],
        "documents": [{"kind": "plan", "id": "d", "date": as_of}],
    }
    report = std.evaluate(rec)
    assert report.verdict in ("pass", "fail", "incomplete")
    json.loads(report.to_json())


# -- exact thresholds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "threshold"),
    [
        (0.7, "70%"),
        ("70%", "70%"),
        ("70%", 0.7),
        (0.3, 0.3),  # 0.1 + 0.2 written in evidence as 0.3
        (0.3, "30%"),
        (0.57, "57%"),  # 0.57 * 100 == 56.99999999999999
        (0.29, "29%"),
        (1.1, 1.1),
        (4, 4),
        ("4", 4),
        (0, 0),
        (0.1, "10%"),
        (1, "100%"),
        (2.675, 2.675),
    ],
)
def test_a_value_exactly_at_a_threshold_passes_min_and_max(
    finding: Callable[..., dict[str, Any]], value: Any, threshold: Any
) -> None:
    for bound in ("min", "max"):
        f = finding({"kind": "value", "path": "a", bound: threshold}, a=value)
        assert f["status"] == "pass", (bound, f["explanation"])


def test_float_arithmetic_drift_in_evidence_is_judged_as_written(finding: Callable[..., dict[str, Any]]) -> None:
    """0.1 + 0.2 computed in a spreadsheet and exported unrounded is 0.30000000000000004."""
    drift = 0.1 + 0.2
    assert status(finding, {"kind": "value", "path": "a", "min": 0.3}, a=drift) == "pass"
    assert status(finding, {"kind": "value", "path": "a", "max": 0.3}, a=drift) == "fail"
    assert status(finding, {"kind": "value", "path": "a", "equals": 0.3}, a=0.3) == "pass"
    assert status(finding, {"kind": "value", "path": "a", "equals": "30%"}, a=0.3) == "pass"


@pytest.mark.parametrize(
    ("num", "den", "threshold"),
    [
        (7, 10, "70%"),
        (97, 100, "97%"),
        (9700, 10000, "97%"),
        (12549, 12937, "97%"),  # 0.970009…: just above
        (1, 3, Fraction(1, 3)),
        (57, 100, "57%"),
        (29, 100, "29%"),
        (3, 10, 0.3),
        (1, 1, "100%"),
        (0, 5, 0),
    ],
)
def test_a_ratio_at_a_threshold(finding: Callable[..., dict[str, Any]], num: int, den: int, threshold: Any) -> None:
    q = Fraction(num, den)
    t = threshold if not isinstance(threshold, Fraction) else f"{float(threshold) * 100!r}%"
    b = parse_bound(t)
    assert b is not None
    check = {"kind": "ratio", "numerator": "n", "denominator": "d"}
    at = q == b.q
    f_min = finding({**check, "min": t}, n=num, d=den)
    f_max = finding({**check, "max": t}, n=num, d=den)
    assert f_min["status"] == ("pass" if q >= b.q else "fail"), f_min["explanation"]
    assert f_max["status"] == ("pass" if q <= b.q else "fail"), f_max["explanation"]
    if at:
        assert f_min["status"] == f_max["status"] == "pass"
    assert [e["value"] for e in f_min["evidence"]] == [num, den]


def test_12549_of_12937_against_97_percent_on_both_sides(finding: Callable[..., dict[str, Any]]) -> None:
    check = {"kind": "ratio", "numerator": "n", "denominator": "d", "min": "97%"}
    assert status(finding, check, n=12549, d=12937) == "pass"  # 12549/12937 = 0.9700085
    assert status(finding, check, n=12548, d=12937) == "fail"  # 0.9699312


def test_bound_comparisons_are_exact_in_the_band_around_the_threshold() -> None:
    b = parse_bound("70%")
    assert isinstance(b, Bound)
    assert b.le(0.7) and b.ge(0.7) and b.eq(0.7)
    assert not b.le(0.6999999999999999) and not b.ge(0.7000000000000001)
    assert b.le_ratio(7, 10) and b.ge_ratio(7, 10)
    assert b.le_ratio(70000001, 100000000) and not b.ge_ratio(70000001, 100000000)


# -- boundaries of every numeric kind --------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "check", "below", "at", "above"),
    [
        ("value", {"kind": "value", "path": "a", "min": 5, "max": 10}, {"a": 4.999}, {"a": 5}, {"a": 10.001}),
        ("value-max", {"kind": "value", "path": "a", "min": 5, "max": 10}, {"a": 4}, {"a": 10}, {"a": 11}),
        (
            "ratio",
            {"kind": "ratio", "numerator": "n", "denominator": "d", "min": "40%", "max": "60%"},
            {"n": 39, "d": 100},
            {"n": 40, "d": 100},
            {"n": 61, "d": 100},
        ),
        (
            "ratio-max",
            {"kind": "ratio", "numerator": "n", "denominator": "d", "min": "40%", "max": "60%"},
            {"n": 3, "d": 10},
            {"n": 6, "d": 10},
            {"n": 7, "d": 10},
        ),
        (
            "count",
            {"kind": "count", "path": "xs", "min": 2, "max": 3},
            {"xs": [1]},
            {"xs": [1, 2]},
            {"xs": [1, 2, 3, 4]},
        ),
        (
            "count-max",
            {"kind": "count", "path": "xs", "min": 2, "max": 3},
            {"xs": [1]},
            {"xs": [1, 2, 3]},
            {"xs": [1, 2, 3, 4]},
        ),
        ("count-tally", {"kind": "count", "path": "xs", "min": 2, "max": 3}, {"xs": 1}, {"xs": 3}, {"xs": 4}),
        (
            "compare>=",
            {"kind": "compare", "left": "a", "op": ">=", "right": "b"},
            {"a": 0.29, "b": 0.3},
            {"a": 0.3, "b": 0.3},
            None,
        ),
        (
            "compare<=",
            {"kind": "compare", "left": "a", "op": "<=", "right": "b"},
            None,
            {"a": 0.3, "b": "30%"},
            {"a": 0.31, "b": 0.3},
        ),
        (
            "compare==",
            {"kind": "compare", "left": "a", "op": "==", "right": "b"},
            {"a": 0.7, "b": 0.71},
            {"a": 0.7, "b": "70%"},
            {"a": 0.71, "b": 0.7},
        ),
        (
            "compare-literal",
            {"kind": "compare", "left": "a", "op": ">=", "right": "75%"},
            {"a": 0.74},
            {"a": "75%"},
            None,
        ),
    ],
)
def test_boundaries_of_every_numeric_kind(
    finding: Callable[..., dict[str, Any]],
    kind: str,
    check: dict[str, Any],
    below: dict[str, Any] | None,
    at: dict[str, Any],
    above: dict[str, Any] | None,
) -> None:
    assert status(finding, check, **at) == "pass", kind
    for outside in (below, above):
        if outside is not None:
            assert status(finding, check, **outside) == "fail", (kind, outside)


@pytest.mark.parametrize(
    ("op", "at_equality"),
    [(">", "fail"), ("<", "fail"), (">=", "pass"), ("<=", "pass"), ("==", "pass"), ("!=", "fail")],
)
def test_strict_comparisons_are_the_exclusive_bounds(
    finding: Callable[..., dict[str, Any]], op: str, at_equality: str
) -> None:
    check = {"kind": "compare", "left": "a", "op": op, "right": "b"}
    assert status(finding, check, a=0.7, b="70%") == at_equality
    assert status(finding, check, a=12549 / 12937, b=12549 / 12937) == at_equality


# -- round trips through the report -----------------------------------------------------------------


ROUND_TRIP = [
    {"kind": "value", "path": "a", "min": "70%"},
    {"kind": "value", "path": "a", "min": 0},
    {"kind": "count", "path": "a", "min": 0},
    {"kind": "age", "path": "a", "min": "P1Y"},
    {"kind": "compare", "left": "a", "op": ">=", "right": "a"},
]


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (ROUND_TRIP[0], "75%"),
        (ROUND_TRIP[0], "７５％"),
        (ROUND_TRIP[0], " 75 % "),
        (ROUND_TRIP[0], 0.75),
        (ROUND_TRIP[0], 0.3),
        (ROUND_TRIP[0], 0.1 + 0.2),
        (ROUND_TRIP[0], "120%"),
        (ROUND_TRIP[1], 12433),
        (ROUND_TRIP[1], "12,433"),
        (ROUND_TRIP[1], 2**53 + 1),
        (ROUND_TRIP[1], 1e-300),
        (ROUND_TRIP[1], "1e400"),
        (ROUND_TRIP[2], 5),
        (ROUND_TRIP[2], [{"id": "a"}, {"id": "b"}]),
        (ROUND_TRIP[3], "2010-06-02"),
        (ROUND_TRIP[3], "2010-06"),
        (ROUND_TRIP[3], "2010-09-31"),
        (ROUND_TRIP[4], 0.57),
    ],
)
def test_evidence_values_round_trip_through_the_report_unchanged(
    finding: Callable[..., dict[str, Any]], check: dict[str, Any], value: Any
) -> None:
    f = finding(check, a=value)
    reads = [e for e in f["evidence"] if e["path"] == "a"]
    assert reads and all(e["value"] == value and type(e["value"]) is type(value) for e in reads), f["evidence"]
    if check["kind"] in ("value", "age"):
        assert f["observed"] == value and type(f["observed"]) is type(value)


def test_round_trip_through_json_text_and_back(
    make_standard: Callable[..., standards.Standard], tmp_path: Path
) -> None:
    std = make_standard(
        [
            {"check": {"kind": "value", "path": "a", "min": "70%"}},
            {"check": {"kind": "age", "path": "since", "min": "P1Y"}},
            {"check": {"kind": "ratio", "numerator": "n", "denominator": "d", "min": "97%"}},
        ]
    )
    facts = {"a": "75%", "since": "2010-06-02", "n": 12549, "d": 12937}
    path = tmp_path / "e.json"
    path.write_text(json.dumps(record(**facts), ensure_ascii=False), encoding="utf-8")
    report = json.loads(std.evaluate(path).to_json())
    seen = {e["path"]: e["value"] for f in report["findings"] for e in f["evidence"]}
    assert seen == facts
    assert report["findings"][0]["expected"] == {"min": 0.7}
    assert report["findings"][2]["expected"] == {"min": 0.97}


@pytest.mark.parametrize(
    ("x", "percent", "text"),
    [
        (0.75, True, "75%"),
        (0.961, True, "96.10%"),
        (12433, False, "12433"),
        (Fraction(1, 3), False, "0.3333"),
        (0.5, False, "0.5"),
        (2.0, False, "2"),
    ],
)
def test_numbers_are_shown_as_a_person_reads_them(x: Any, percent: bool, text: str) -> None:
    assert format_number(x, percent) == text
