"""Every planted rule-set defect is caught by lint, the golden cases or an invariant."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("mutation_test", Path(__file__).with_name("mutation_test.py"))
assert _spec is not None and _spec.loader is not None
mutation_test = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mutation_test)


def test_at_least_eight_kinds_of_defect():
    assert len({m.name for m in mutation_test.MUTANTS}) >= 8


@pytest.mark.parametrize("mutant", mutation_test.MUTANTS, ids=[m.name for m in mutation_test.MUTANTS])
def test_mutant_is_caught(mutant):
    assert mutation_test.caught_by(mutant, examples=10) is not None, f"{mutant.defect}: nothing caught it"
