"""Rules for durable_rules as plain data, rendered to its JSON, and checked against its limits.

Nothing here imports durable_rules: a ruleset is built, measured and refused (if it must
be) in pure Python, before the engine ever sees it.

The engine's limits, measured on durable-rules 2.0.28 (see docs/engines.md):

* a ruleset of more than 512 fact patterns (summed over its rules) hangs at registration;
* more than 256 patterns behind one alpha node fail registration (error 108);
* one fact matching more than 64 patterns fails with error 303, and the process may crash
  on its next call;
* a fact of more than 64 properties fails with error 302.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from ..errors import EngineUnavailable

__all__ = [
    "MAX_FACT_FIELDS",
    "MAX_MATCHES_PER_FACT",
    "MAX_PATTERNS",
    "MAX_PATTERNS_PER_ALPHA",
    "Action",
    "Cmp",
    "Eq",
    "FactShape",
    "Ne",
    "Pattern",
    "Rule",
    "check_limits",
    "definition",
    "pattern_count",
]

#: A ruleset of 513 patterns hangs at registration; 512 register in about 10 ms. The margin
#: keeps us clear of whatever else the engine counts towards the same limit.
MAX_PATTERNS: Final = 480
#: Error 303 at 65 patterns matched by one fact; counted conservatively (see check_limits).
MAX_MATCHES_PER_FACT: Final = 48
#: Error 108 at 257 patterns behind one alpha node.
MAX_PATTERNS_PER_ALPHA: Final = 200
#: Error 302 above 64 properties in one fact (``sid`` included).
MAX_FACT_FIELDS: Final = 32

_OPS: Final = {">=": "$gte", "<=": "$lte", ">": "$gt", "<": "$lt", "!=": "$neq"}


@dataclass(frozen=True, slots=True)
class Eq:
    """``field == value`` (a constant): the discriminators; hashed by the engine."""

    field: str
    value: str | int


@dataclass(frozen=True, slots=True)
class Ne:
    """``field != value`` (a constant)."""

    field: str
    value: str | int


@dataclass(frozen=True, slots=True)
class Cmp:
    """``field <op> alias.other``: compare with another field.

    The other field is of this fact (when ``alias`` is the pattern's own) or of a fact
    matched earlier in the same rule.
    """

    op: str  # one of >= <= > < == !=
    field: str
    alias: str
    other: str


Cond = Eq | Ne | Cmp


@dataclass(frozen=True, slots=True)
class Pattern:
    """One fact a rule matches: an alias and the conditions on that fact."""

    alias: str
    conds: tuple[Cond, ...]

    def json(self) -> dict[str, Any]:
        """The pattern as durable_rules JSON."""
        parts = [_cond(c, self.alias) for c in self.conds]
        return {self.alias: parts[0] if len(parts) == 1 else {"$and": parts}}

    def equalities(self) -> dict[str, str | int]:
        """The constant equalities of this pattern (its alpha path)."""
        return {c.field: c.value for c in self.conds if isinstance(c, Eq)}


@dataclass(frozen=True, slots=True)
class Action:
    """What a fired rule means: a status for a node, or a veto.

    ``node`` None takes the node id from the matched fact ``m`` (generic leaf rules).
    ``status`` None copies the status of the fact matched under ``copy``.
    ``veto`` names a mandatory criterion whose decided fail vetoes the verdict.
    """

    node: str | None = None
    status: str | None = None
    copy: str | None = None
    veto: int | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    """A named rule: the facts it joins and what its firing means."""

    name: str
    patterns: tuple[Pattern, ...]
    action: Action

    def json(self) -> dict[str, Any]:
        """The rule as durable_rules JSON (no ``run``: actions are dispatched by name)."""
        return {"all": [p.json() for p in self.patterns]}


@dataclass(frozen=True, slots=True)
class FactShape:
    """A fact that may be asserted: its fixed fields, and the fields whose value varies."""

    fixed: tuple[tuple[str, str | int], ...]
    varying: frozenset[str]

    def may_match(self, pattern: Pattern) -> bool:
        """Whether some fact of this shape could satisfy the pattern's equalities."""
        fixed = dict(self.fixed)
        for c in pattern.conds:
            if isinstance(c, Eq):
                if c.field in fixed:
                    if fixed[c.field] != c.value:
                        return False
                elif c.field not in self.varying:
                    return False
            elif c.field not in fixed and c.field not in self.varying:
                return False  # a condition on a field this fact never has
        return True


def _cond(c: Cond, alias: str) -> dict[str, Any]:
    if isinstance(c, Eq):
        return {c.field: c.value}
    if isinstance(c, Ne):
        return {"$neq": {c.field: c.value}}
    ref = {"$m" if c.alias == alias else c.alias: c.other}
    if c.op == "==":
        return {c.field: ref}
    return {_OPS[c.op]: {c.field: ref}}


def definition(rules: Iterable[Rule]) -> dict[str, Any]:
    """The ruleset as the JSON object durable_rules registers."""
    return {r.name: r.json() for r in rules}


def canonical(rules: Iterable[Rule]) -> str:
    """The ruleset as canonical JSON text (the key it is registered and cached under)."""
    return json.dumps(definition(rules), sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def pattern_count(rules: Iterable[Rule]) -> int:
    """Fact patterns summed over rules: what the registration limit counts."""
    return sum(len(r.patterns) for r in rules)


def check_limits(name: str, rules: Sequence[Rule], shapes: Iterable[FactShape]) -> None:
    """Refuse, before registration, a ruleset the engine would hang or fail on.

    The count of patterns one fact can match is conservative: every pattern whose
    constant equalities the fact's shape could satisfy counts, whatever its comparisons.
    """
    total = pattern_count(rules)
    if total > MAX_PATTERNS:
        raise EngineUnavailable(
            f"ruleset {name} needs {total} fact patterns; durable_rules hangs at registration "
            f"above 512 (this library stops at {MAX_PATTERNS})",
            code="engine-limit",
            hint="split the criteria over more rulesets, or use engine='native'",
        )
    patterns = [p for r in rules for p in r.patterns]
    alpha = Counter(json.dumps(p.json()[p.alias], sort_keys=True) for p in patterns)
    worst, n = alpha.most_common(1)[0] if alpha else ("", 0)
    if n > MAX_PATTERNS_PER_ALPHA:
        raise EngineUnavailable(
            f"ruleset {name}: {n} patterns share the condition {worst}; durable_rules refuses "
            f"more than 256 (error 108; this library stops at {MAX_PATTERNS_PER_ALPHA})",
            code="engine-limit",
        )
    for shape in shapes:
        if len(shape.fixed) + len(shape.varying) + 1 > MAX_FACT_FIELDS:
            raise EngineUnavailable(
                f"ruleset {name}: a fact of {len(shape.fixed) + len(shape.varying)} fields "
                f"exceeds durable_rules' limit (error 302)",
                code="engine-limit",
            )
        hits = sum(1 for p in patterns if shape.may_match(p))
        if hits > MAX_MATCHES_PER_FACT:
            raise EngineUnavailable(
                f"ruleset {name}: the fact {dict(shape.fixed)} can match {hits} patterns; "
                f"durable_rules fails above 64 (error 303; this library stops at "
                f"{MAX_MATCHES_PER_FACT})",
                code="engine-limit",
                hint="use engine='native' for this standard",
            )
