"""The pytest plugin (entry point ``pytest11``): golden cases, fixtures, Hypothesis profiles.

Installed with the library, it lets a rule author point pytest at a rules folder:

* every ``*.cases.yaml`` file pytest is asked to collect becomes one test item per case,
  failing with the list of mismatching statuses ("want pass, got fail");
* the ``standard`` fixture loads the rule file named by ``--standards-rules`` (or by a
  ``@pytest.mark.standard("path.yaml")`` marker), and ``evaluate`` evaluates a record
  against it;
* Hypothesis profiles ``standards-ci`` (bounded examples, no deadline) and
  ``standards-deep`` (a long run), selected with ``--hypothesis-profile``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

__all__ = ["CaseItem", "CasesFile"]

try:  # Hypothesis comes with the `testing` extra; the plugin must not break pytest without it.
    from hypothesis import HealthCheck, settings
except ImportError:  # pragma: no cover - exercised only without the extra
    pass
else:
    _slow = [HealthCheck.too_slow, HealthCheck.data_too_large]
    settings.register_profile("standards-ci", max_examples=30, deadline=None, derandomize=True,
                              suppress_health_check=_slow)
    settings.register_profile("standards-deep", max_examples=2000, deadline=None, suppress_health_check=_slow)


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--standards-rules PATH``: the rule file the ``standard`` fixture loads."""
    group = parser.getgroup("standards", "rule sets checked by the standards library")
    group.addoption("--standards-rules", action="store", default=None, metavar="PATH",
                    help="rule file loaded by the `standard` fixture")


def pytest_configure(config: pytest.Config) -> None:
    """Declare the ``standard`` marker."""
    config.addinivalue_line("markers", "standard(path): the rule file the `standard` fixture loads")


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collect ``*.cases.yaml`` files as golden-case tests."""
    if file_path.name.endswith(".cases.yaml"):
        return CasesFile.from_parent(parent, path=file_path)
    return None


class CasesFile(pytest.File):
    """A ``*.cases.yaml`` file: one test item per case."""

    def collect(self) -> Iterator[pytest.Item]:
        """One item per case, named after it."""
        from .._cases import _read

        data = _read(self.path)
        for i, case in enumerate(data["cases"]):
            yield CaseItem.from_parent(self, name=str(case.get("name", f"case {i + 1}")), index=i)


class CaseItem(pytest.Item):
    """One golden case: evidence, and the verdict and statuses expected of it."""

    def __init__(self, *, index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.index = index

    def runtest(self) -> None:
        """Evaluate the case; raise with every mismatch."""
        from .._cases import run_case_file

        results = run_case_file(self.path)
        result = results[self.index]
        if not result.ok:
            raise CaseMismatch(result.mismatches)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The mismatches, one per line (no traceback: the case file is the test)."""
        if isinstance(excinfo.value, CaseMismatch):
            return "\n".join(excinfo.value.mismatches)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        """Where the case is."""
        return self.path, 0, f"case: {self.name}"


class CaseMismatch(Exception):
    """A golden case did not come out as expected."""

    def __init__(self, mismatches: list[str]) -> None:
        super().__init__("; ".join(mismatches))
        self.mismatches = mismatches


@pytest.fixture
def standard(request: pytest.FixtureRequest) -> Any:
    """The standard under test: ``@pytest.mark.standard(path)`` or ``--standards-rules``."""
    import standards

    marker = request.node.get_closest_marker("standard")
    path = marker.args[0] if marker is not None else request.config.getoption("--standards-rules")
    if path is None:
        pytest.skip("no rule file: use @pytest.mark.standard('rules.yaml') or --standards-rules")
    return standards.load(path)


@pytest.fixture
def evaluate(standard: Any) -> Callable[..., Any]:
    """Evaluate a record (dict or path) against the ``standard`` fixture; returns the Report."""

    def run(record: Any, **kwargs: Any) -> Any:
        return standard.evaluate(record, **kwargs)

    return run
