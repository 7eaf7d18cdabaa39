"""The durable_rules engine: same reports as the native engine, and every safety rule tested.

The safety rules (docs/engines.md): facts not events; one ruleset per standard, registered
once; every rule guarded by a discriminator; one session per record, deleted afterwards;
one process-wide lock; limits checked before registration (split or refuse, never hang);
a clear error where durable-rules cannot be imported, with the native engine unaffected.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

import standards
from standards.engines import _rules
from standards.engines import durable as engine
from standards.engines._plan import GENERIC_RULES, build_plan
from standards.engines._rules import Cmp, Eq, FactShape, Pattern, Rule
from standards.errors import EngineUnavailable

ROOT = Path(__file__).resolve().parent.parent
UNAVAILABLE = engine.available()
needs_durable = pytest.mark.skipif(UNAVAILABLE is not None, reason=f"durable-rules unavailable: {UNAVAILABLE}")


def same(std: standards.Standard, record: Any, **kw: Any) -> standards.Report:
    """Evaluate with both engines; assert the JSON reports are identical (engine aside)."""
    native = std.evaluate(record, **kw)
    rete = std.evaluate(record, engine="durable", **kw)
    assert rete.engine == "durable"
    assert rete.to_json() == dataclasses.replace(native, engine="durable").to_json()
    assert rete.to_json(lang="en") == dataclasses.replace(native, engine="durable").to_json(lang="en")
    return rete


def _houhuan() -> tuple[standards.Standard, list[dict[str, Any]]]:
    std = standards.load(ROOT / "rules/guangdong/health-village.yaml")
    recs = [json.loads((ROOT / f"fixtures/guangdong/{n}.json").read_text(encoding="utf-8"))
            for n in ("houhuan", "houhuan-fixed", "houhuan-banned-pesticide")]
    return std, recs


# -- unavailable ----------------------------------------------------------------------------------------


def test_unimportable_engine_is_a_clear_error_and_native_still_works(monkeypatch: pytest.MonkeyPatch) -> None:
    std, recs = _houhuan()
    monkeypatch.setitem(sys.modules, "durable_rules_engine", None)  # import raises ImportError
    with pytest.raises(EngineUnavailable) as err:
        std.evaluate(recs[0], engine="durable")
    assert err.value.code == "engine-unavailable"
    assert "durable-rules cannot be imported" in str(err.value)
    assert "pip install 'standards[durable]'" in str(err.value)
    assert engine.available() is not None
    assert std.evaluate(recs[0]).verdict == "incomplete"


def test_python_313_symbol_error_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def fake(name: str, package: str | None = None) -> Any:
        if name == "durable_rules_engine":
            raise ImportError("durable_rules_engine.so: undefined symbol: PyEval_CallObject")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", fake)
    with pytest.raises(EngineUnavailable, match=r"does not load on Python .*3\.11 and 3\.12"):
        engine.evaluate(None, None, None, ())  # type: ignore[arg-type]


def test_the_library_never_imports_durable_at_import_time() -> None:
    code = (
        "import sys, standards; standards.load_bundled('gd.health-village'); "
        "print('durable_rules_engine' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- plans and limits (pure Python: no engine needed) -------------------------------------------------------


def test_every_rule_is_guarded_by_a_discriminator() -> None:
    for _, _, path in standards.bundled():
        plan = build_plan(standards.load(path).compiled)
        for chunk in plan.chunks:
            for rule in chunk.rules:
                for pattern in rule.patterns:
                    first = pattern.conds[0]
                    assert isinstance(first, Eq) and first.field == "t", (rule.name, pattern)
                    assert pattern.json()[pattern.alias]["$and"][0]["t"] in ("m", "s", "c")


def test_bundled_standards_fit_the_engine() -> None:
    for _, _, path in standards.bundled():
        plan = build_plan(standards.load(path).compiled)
        for chunk in plan.chunks:
            assert _rules.pattern_count(chunk.rules) <= _rules.MAX_PATTERNS


def _shape() -> FactShape:
    return FactShape((("t", "m"), ("n", "x")), frozenset({"st", "op", "a", "b"}))


def test_limit_check_refuses_a_fact_matching_too_many_patterns() -> None:
    rules = [
        Rule(f"r{i}", (Pattern("m", (Eq("t", "m"), Cmp(">=", "a", "m", "b"))),), _rules.Action(status="pass"))
        for i in range(65)
    ]
    with pytest.raises(EngineUnavailable, match="error 303"):
        _rules.check_limits("synthetic", rules, [_shape()])
    _rules.check_limits("synthetic", rules[: _rules.MAX_MATCHES_PER_FACT], [_shape()])


def test_limit_check_refuses_too_many_patterns_and_shared_alpha_nodes() -> None:
    many = [Rule(f"r{i}", (Pattern("m", (Eq("t", "m"), Eq("n", f"n{i}"))),), _rules.Action()) for i in range(513)]
    with pytest.raises(EngineUnavailable, match="hangs at registration above 512"):
        _rules.check_limits("synthetic", many, [])
    shared = [Rule(f"r{i}", (Pattern("m", (Eq("t", "m"), Eq("n", "x"))),), _rules.Action()) for i in range(257)]
    with pytest.raises(EngineUnavailable, match="error 108"):
        _rules.check_limits("synthetic", shared, [])


def _big(make_standard: Callable[..., standards.Standard], n: int, width: int) -> standards.Standard:
    crit = [
        {"check": {"kind": "all", "checks": [{"kind": "value", "path": f"c{i}.v{j}", "min": j} for j in range(width)]}}
        for i in range(n)
    ]
    return make_standard(crit)


def test_a_standard_too_large_for_one_ruleset_is_split(make_standard: Callable[..., standards.Standard]) -> None:
    std = _big(make_standard, 120, 3)
    plan = build_plan(std.compiled)
    assert len(plan.chunks) > 1
    assert all(_rules.pattern_count(c.rules) <= _rules.MAX_PATTERNS for c in plan.chunks)
    assert [cp.index for c in plan.chunks for cp in c.crits] == list(range(120))
    if UNAVAILABLE is None:
        facts: dict[str, dict[str, Any]] = {
            f"c{i}": {f"v{j}": (j if (i + j) % 7 else j - 1) for j in range(3)} for i in range(120)
        }
        for i in range(0, 120, 11):
            facts[f"c{i}"]["v1"] = "__"
        same(std, {"subject": {"id": "s", "kind": "village"}, "facts": facts}, as_of="2011-10-16")


def test_a_criterion_too_large_for_any_ruleset_is_refused_before_registration(
    make_standard: Callable[..., standards.Standard],
) -> None:
    std = _big(make_standard, 1, 200)  # one `all` of 200 children: about 800 patterns
    before = engine.stats()["registered"]
    with pytest.raises(EngineUnavailable) as err:
        build_plan(std.compiled)
    assert err.value.code == "engine-limit"
    assert "c0" in str(err.value) and "512" in str(err.value)
    if UNAVAILABLE is None:
        with pytest.raises(EngineUnavailable):
            std.evaluate({"subject": {"id": "s"}, "facts": {}}, as_of="2011-10-16", engine="durable")
        assert engine.stats()["registered"] == before
    assert std.evaluate({"subject": {"id": "s"}, "facts": {}}, as_of="2011-10-16").verdict == "incomplete"


# -- the engine ----------------------------------------------------------------------------------------------


@needs_durable
def test_fixture_cases_give_identical_reports() -> None:
    files = sorted(ROOT.glob("fixtures/**/*.cases.yaml"))
    assert files
    n = 0
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        std = standards.load(path.parent / data["standard"])
        for case in data["cases"]:
            ev = case["evidence"]
            record = json.loads((path.parent / ev).read_text(encoding="utf-8")) if isinstance(ev, str) else ev
            as_of = case.get("as_of")
            same(
                std,
                record,
                as_of=as_of.isoformat() if hasattr(as_of, "isoformat") else as_of,
                parameters=case.get("parameters"),
                waivers=case.get("waivers"),
            )
            n += 1
    assert n >= 20


@needs_durable
def test_boundaries_are_exact(make_standard: Callable[..., standards.Standard]) -> None:
    std = make_standard(
        [
            {"check": {"kind": "value", "path": "rate", "min": "70%"}},
            {"check": {"kind": "ratio", "numerator": "n", "denominator": "d", "min": "97%"}},
            {"check": {"kind": "value", "path": "x", "min": 0.1, "max": 0.3}},
            {"check": {"kind": "compare", "left": "a", "op": "<=", "right": "b"}},
            {"check": {"kind": "value", "path": "code", "one_of": ["01", 2, "3%"]}},
            {"check": {"kind": "value", "path": "flag", "equals": True}},
        ]
    )
    cases = [
        # 12548/12937 is 96.9993%: short of 97% by less than a float's rounding of 0.97 would hide.
        {"rate": 0.7, "n": 12548, "d": 12937, "x": 0.3, "a": "0.3", "b": 0.3, "code": "01", "flag": True},
        {"rate": "70%", "n": 9700, "d": 10000, "x": 0.1, "a": "2011-10-16", "b": "2011-10-15", "code": 2.0, "flag": 1},
        {"rate": 0.6999999999, "n": 12549, "d": 12937, "x": "0.30000000000000004", "a": 1, "b": "100%",
         "code": "0.03", "flag": "true"},
        {"rate": "abc", "n": 5, "d": 0, "x": True, "a": "x", "b": 1, "code": "1", "flag": None},
        {"rate": 87, "n": 11, "d": 10, "x": "__", "a": "2010-09-31", "b": "2010-09-30", "code": ["01"], "flag": False},
    ]
    reports = [same(std, {"subject": {"id": "s"}, "facts": facts}, as_of="2011-10-16") for facts in cases]
    assert [f.status for f in reports[0].findings] == ["pass", "fail", "pass", "pass", "pass", "pass"]
    assert [f.status for f in reports[1].findings] == ["pass", "pass", "pass", "fail", "pass", "fail"]
    assert [f.status for f in reports[2].findings] == ["fail", "pass", "fail", "pass", "pass", "fail"]
    fourth = reports[3]
    # durable_rules alone would say "abc" >= 0.7: the value never reaches it unvalidated.
    assert fourth.findings[0].status == "invalid_evidence"


@needs_durable
def test_guards_freshness_waivers_and_vetoes(make_standard: Callable[..., standards.Standard]) -> None:
    std = make_standard(
        [
            {"check": {"kind": "value", "path": "a", "min": 1}, "applies_when": {"kind": "exists", "path": "has_a"}},
            {"check": {"kind": "value", "path": "b", "min": 1}, "fresh_within": "P1Y"},
            {"check": {"kind": "not", "check": {"kind": "any", "checks": [
                {"kind": "exists", "path": "c1"}, {"kind": "absent", "path": "c2"}]}}, "mandatory": True},
            {"check": {"kind": "value", "path": "d", "min": 1}, "mandatory": True,
             "applies_when": {"kind": "value", "path": "kind", "equals": "x"}, "fresh_within": "P30D"},
        ],
        scoring={"method": "points", "pass_mark": "50%"},
    )
    waivers = [
        {"criterion": "c0", "justification": "j", "until": "2012-01-01"},
        {"criterion": "c2", "subject": "s", "justification": "j", "until": "2011-01-01"},
        {"criterion": "c3", "subject": "other", "justification": "j", "until": "2012-01-01"},
        {"criterion": "nope", "justification": "j", "until": "2012-01-01"},
    ]
    old = {"collected": "2009-01-01"}
    new = {"collected": "2011-10-01"}
    facts_list = [
        {"has_a": False, "a": 0, "b": 2, "c1": False, "c2": 0, "kind": "x", "d": 0},
        {"has_a": True, "a": 0, "b": 0, "c1": True, "c2": 3, "kind": "y", "d": 5},
        {"a": 2, "b": "__", "c1": None, "c2": [1], "kind": "x", "d": 2},
        {"has_a": "__", "b": 5, "c1": 0, "c2": 0, "kind": "x", "d": "7"},
    ]
    statuses = set()
    for facts in facts_list:
        for prov in ({}, {"b": old, "d": new}, {"b": new, "d": old}):
            for ws in (None, waivers):
                rec = {"subject": {"id": "s"}, "facts": facts, "provenance": prov}
                rep = same(std, rec, as_of="2011-10-16", waivers=ws)
                statuses |= set(rep.statuses.values())
                assert rep.verdict in ("pass", "fail", "incomplete")
    assert statuses >= {"pass", "fail", "missing_evidence", "invalid_evidence", "not_applicable", "waived"}


@needs_durable
def test_parameter_variants_share_the_ruleset() -> None:
    std, recs = _houhuan()
    same(std, recs[1])
    before = engine.stats()["registered"]
    for value in ("50%", "95%", "100%"):
        same(std, recs[1], parameters={"knowledge_rate_min": value})
    same(standards.load(std.path), recs[0])  # the same standard loaded again
    assert engine.stats()["registered"] == before


class _Spy:
    """The C module, with every call recorded and concurrent entry detected."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.calls: list[tuple[str, tuple[Any, ...]]] = []
        self.inside = 0
        self.most = 0
        self.guard = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        fn = getattr(self.real, name)

        def call(*args: Any) -> Any:
            with self.guard:
                self.inside += 1
                self.most = max(self.most, self.inside)
                self.calls.append((name, args))
            try:
                return fn(*args)
            finally:
                with self.guard:
                    self.inside -= 1

        return call


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> _Spy:
    real = engine._engine()
    s = _Spy(real)
    monkeypatch.setattr(engine, "_engine", lambda: s)
    return s


@needs_durable
def test_facts_not_events_and_one_deleted_session_per_record(spy: _Spy) -> None:
    std, recs = _houhuan()
    std.evaluate(recs[0], engine="durable")  # registered (if it was not already)
    spy.calls.clear()
    for rec in recs:
        same(std, rec)
    names = {name for name, _ in spy.calls}
    assert names <= {"assert_facts", "start_action_for_state", "complete_and_start_action", "delete_state"}
    assert not any("event" in n or "retract" in n or n == "create_ruleset" for n in names)
    sids = {json.loads(args[1])[0]["sid"] for name, args in spy.calls if name == "assert_facts"}
    deleted = [args[1] for name, args in spy.calls if name == "delete_state"]
    assert len(sids) == len(recs) == len(deleted) and sids == set(deleted)
    for name, args in spy.calls:
        if name == "assert_facts":
            assert {f["t"] for f in json.loads(args[1])} <= {"m", "s", "c"}
    real = spy.real
    handle = next(args[0] for name, args in spy.calls if name == "delete_state")
    for sid in sids:
        with pytest.raises(Exception, match="309"):  # ERR_SID_NOT_FOUND: nothing left behind
            real.get_facts(handle, sid)


@needs_durable
def test_eight_threads_match_one_thread_and_never_enter_the_engine_together(spy: _Spy) -> None:
    std, base = _houhuan()
    records = []
    for i in range(24):
        rec = json.loads(json.dumps(base[i % 3]))
        rec["subject"]["id"] = f"r{i}"
        records.append(rec)
    params = [None, {"knowledge_rate_min": "80%"}]
    serial = [std.evaluate(r, parameters=params[i % 2]).to_json() for i, r in enumerate(records)]

    def work(i: int) -> str:
        return std.evaluate(records[i], parameters=params[i % 2], engine="durable").to_json()

    with ThreadPoolExecutor(8) as pool:
        for _ in range(2):
            threaded = list(pool.map(work, range(len(records))))
            assert [json.loads(t) | {"engine": "native"} for t in threaded] == [json.loads(s) for s in serial]
    assert spy.most == 1, "two threads were inside durable_rules at once"


@needs_durable
def test_a_disagreement_is_an_error_not_a_report(monkeypatch: pytest.MonkeyPatch) -> None:
    std, recs = _houhuan()
    real = engine._session

    def flipped(*args: Any) -> tuple[dict[str, str], list[int]]:
        statuses, vetoes = real(*args)
        node = next(n for n, s in statuses.items() if s == "pass")
        statuses[node] = "fail"
        return statuses, vetoes

    monkeypatch.setattr(engine, "_session", flipped)
    with pytest.raises(engine.EngineDisagreement, match="durable_rules decided"):
        std.evaluate(recs[1], engine="durable")


LIMIT_PROBE = textwrap.dedent(
    """
    import json, sys
    import durable_rules_engine as dre
    n = int(sys.argv[1])
    rules = {f"r{i}": {"all": [{"m": {"$and": [{"t": "m"}, {"n": f"n{i}"}]}}]} for i in range(n)}
    dre.create_ruleset("limit", json.dumps(rules))
    print("registered")
    """
)


@needs_durable
def test_the_engines_limits_are_where_we_say(tmp_path: Path) -> None:
    """512 patterns register in a blink; the refusal threshold stays below that."""
    out = subprocess.run([sys.executable, "-c", LIMIT_PROBE, "512"], capture_output=True, text=True, timeout=30,
                         check=True)
    assert out.stdout.strip() == "registered"
    assert _rules.MAX_PATTERNS < 512
    assert _rules.pattern_count(GENERIC_RULES) < 64


@needs_durable
@pytest.mark.slow
def test_513_patterns_hang_durable_rules() -> None:
    """Why the limit is checked before registration: one pattern more and it never returns."""
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-c", LIMIT_PROBE, "513"], capture_output=True, timeout=10)
