"""Fuzz the rule-file loader: YAML-ish text, and bundled rule files with subtrees replaced.

A rule file either loads (and then compiles and evaluates an empty record) or raises a
RuleSetError whose problems each carry a code and print as ``file:line:col: code: …``.
Nothing else, within the time and memory bounds.
"""

from __future__ import annotations

from typing import Any

from _fuzzkit import outcome
from _rules import dump, mutated_rules, workdir, yamlish_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import standards
from standards import RuleSetError, StandardsError
from standards._yaml import InputRejected, read_yaml_text


def load_and_use(text: str, *, raw: bool = False) -> None:
    with workdir() as d:
        path = d / "rules.yaml"
        if raw:
            path.write_bytes(text.encode("utf-8", "surrogatepass"))
        else:
            path.write_text(text, encoding="utf-8", errors="surrogatepass")

        def run() -> Any:
            std = standards.load(path)
            # A file that loads must also evaluate: an empty record, then one with as_of.
            return std.evaluate({"subject": {"id": "s", "kind": "village"}}, as_of="2011-10-16")

        result = outcome(run)
        if isinstance(result, RuleSetError):
            assert result.problems
            for p in result.problems:
                assert p.code and str(p).startswith(p.location())
        elif isinstance(result, StandardsError):
            pass  # e.g. the evidence is refused by the loaded standard: still documented
        else:
            assert result.verdict in ("pass", "fail", "incomplete")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(text=yamlish_text, raw=st.booleans())
def test_loader_on_yamlish_text(text: str, raw: bool) -> None:
    load_and_use(text, raw=raw)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=mutated_rules())
def test_loader_on_bundled_rule_files_with_subtrees_replaced(data: Any) -> None:
    load_and_use(dump(data))


@given(text=yamlish_text)
def test_yaml_reader_on_yamlish_text(text: str) -> None:
    """The reader alone: plain data with positions, or InputRejected with a located problem."""

    def run() -> Any:
        try:
            return read_yaml_text(text, "f.yaml")
        except InputRejected as exc:
            assert exc.problem.code and exc.problem.file == "f.yaml"
            return exc

    outcome(run)
