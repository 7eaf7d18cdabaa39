"""The invariant suite holds for every bundled standard (bounded by the CI profile)."""

from __future__ import annotations

import os

import pytest

import standards
from standards.testing.invariants import RECORD_INVARIANTS, run_properties

BUNDLED = standards.bundled()
EXAMPLES = 8 if os.environ.get("CI") else 15


@pytest.mark.parametrize("path", [p for _, _, p in BUNDLED], ids=[s for s, _, _ in BUNDLED])
def test_invariants_hold_for_bundled_standard(path):
    """Property: determinism, score bounds, verdict consistency, one remediation item per unmet
    finding, schema round-trip, missing never passes, monotonicity, waiver isolation,
    every criterion counts, pass mark reachable and every criterion reachable."""
    std = standards.load(path)
    failures = {r.name: (r.message, r.example) for r in run_properties(std, EXAMPLES) if not r.ok}
    assert failures == {}


def test_every_invariant_is_documented():
    for name, fn in RECORD_INVARIANTS.items():
        assert fn.__doc__ and len(fn.__doc__.strip()) > 20, name
