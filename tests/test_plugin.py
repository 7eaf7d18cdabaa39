"""The pytest plugin: golden cases collected as tests, fixtures for a rule author's own tests."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

RULES = """
standard: {id: t.plugin, title: 插件测试}
categories: [{id: c, title: C}]
criteria:
  - {id: a, category: c, title: A, check: {kind: value, path: a, min: 1}}
"""
CASES = """
standard: rules.yaml
cases:
  - name: passes
    as_of: 2011-01-01
    evidence: {subject: {id: s}, facts: {a: 2}}
    expect: {verdict: pass, findings: {a: pass}}
  - name: wrong expectation
    as_of: 2011-01-01
    evidence: {subject: {id: s}, facts: {a: 0}}
    expect: {verdict: pass, findings: {a: pass}}
"""


def test_cases_files_become_test_items(pytester: pytest.Pytester):
    pytester.makefile(".yaml", rules=RULES)
    (pytester.path / "golden.cases.yaml").write_text(CASES, encoding="utf-8")
    result = pytester.runpytest("golden.cases.yaml")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*verdict: want pass, got fail*", "*a: want pass, got fail*"])


def test_standard_and_evaluate_fixtures(pytester: pytest.Pytester):
    pytester.makefile(".yaml", rules=RULES)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.standard("rules.yaml")
        def test_it(standard, evaluate):
            assert standard.id == "t.plugin"
            report = evaluate({"subject": {"id": "s"}, "facts": {"a": 5}}, as_of="2011-01-01")
            assert report.verdict == "pass"
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)


def test_hypothesis_profiles_are_registered():
    from hypothesis import settings

    import standards.testing.plugin  # noqa: F401

    assert settings.get_profile("standards-ci").max_examples == 30
    assert settings.get_profile("standards-deep").max_examples == 2000
