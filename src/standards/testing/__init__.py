"""Property-based testing of rule sets with Hypothesis.

``evidence_for(standard)`` draws evidence records for a standard;
``evidence_for(standard, criterion, status)`` steers one criterion to a status at and
beside its thresholds. :mod:`standards.testing.invariants` states what must hold for any
rule set and any record; ``standards test RULES --properties`` runs them.
"""

from ._records import AS_OF, evidence_for
from ._strategies import STRATEGIES, Piece, piece_for

__all__ = ["AS_OF", "STRATEGIES", "Piece", "evidence_for", "piece_for"]
