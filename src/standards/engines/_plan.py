"""Compile a standard into durable_rules rulesets, once: the rules and how to read them back.

Facts a record brings (all guarded by the discriminator ``t``):

* ``{t: "m", n, st, op, a, b}`` — a measure (see :mod:`._measure`);
* ``{t: "c", n, w, z}`` — a criterion: ``w`` 1 when a waiver is active for it, ``z`` 1 when
  its evidence is stale (both computed in Python: dates);
* ``{t: "s", n, s, ra, ry, d}`` — a status the rules derived for node ``n``, asserted back as
  a fact so other rules can build on it (forward chaining). ``ra``/``ry`` rank the status
  for ``all``/``any`` and ``d`` is 1 for a decided status: encodings of ``s``, nothing more.

Rules, each guarded by ``t``:

* generic leaf rules (the same in every ruleset): missing and invalid readings, and for each
  comparison ``op`` one rule that it holds (pass) and one that it does not (fail); the
  ``band`` of sub-unit shares: pass, fail, or undecided (missing or invalid);
* per ``all``/``any`` node of k children, a chain of k−1 steps, each combining the status so
  far with the next child's: two rules, *keep* (the next child does not outrank it) and
  *take* (it does). For ``all`` a fail outranks invalid, invalid outranks missing, missing
  outranks pass; for ``any`` a pass outranks invalid, then missing, then fail — so ``all``
  fails if any child fails and is undecided if none fails but one is undecided, and
  ``any`` dually;
* per ``not`` node, one rule per outcome (pass and fail swap, undecided stays);
* per criterion, one rule per outcome of ``applies_when`` (fail → not applicable;
  undecided → that status; pass → the check's status), freshness (a stale pass or fail
  → missing evidence) and waivers (an active waiver → waived, unless not applicable);
* per mandatory criterion, one rule: a decided fail vetoes the verdict.

Criteria are packed into as few rulesets as the engine's limits allow (:mod:`._rules`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from .._compiler import Compiled, CompiledCriterion, compile_check
from ..checks._base import FAIL, INVALID, MISSING_EVIDENCE, NOT_APPLICABLE, PASS, WAIVED, CompileEnv
from ..errors import EngineUnavailable
from ._measure import LEAF_KINDS, OPS, Item, Measurer, measurer
from ._rules import (
    MAX_PATTERNS,
    Action,
    Cmp,
    Eq,
    FactShape,
    Ne,
    Pattern,
    Rule,
    canonical,
    check_limits,
    pattern_count,
)

__all__ = [
    "GENERIC_RULES",
    "RANK_ALL",
    "RANK_ANY",
    "Chunk",
    "CritPlan",
    "Leaf",
    "Node",
    "Plan",
    "build_plan",
]

RANK_ALL: Final = {PASS: 0, MISSING_EVIDENCE: 1, INVALID: 2, FAIL: 3}
RANK_ANY: Final = {FAIL: 0, MISSING_EVIDENCE: 1, INVALID: 2, PASS: 3}
_COMPLEMENT: Final = {"ge": "<", "le": ">", "gt": "<=", "lt": ">=", "eq": "!=", "ne": "=="}
_UNDECIDED: Final = (MISSING_EVIDENCE, INVALID)


def _m(*conds: Any) -> Pattern:
    return Pattern("m", (Eq("t", "m"), *conds))


def _generic_rules() -> tuple[Rule, ...]:
    rules = [
        Rule("L.missing", (_m(Eq("st", MISSING_EVIDENCE)),), Action(status=MISSING_EVIDENCE)),
        Rule("L.invalid", (_m(Eq("st", INVALID)),), Action(status=INVALID)),
    ]
    for name, symbol in OPS.items():
        ok = (Eq("st", "ok"), Eq("op", name))
        rules.append(Rule(f"L.{name}.pass", (_m(*ok, Cmp(symbol, "a", "m", "b")),), Action(status=PASS)))
        rules.append(
            Rule(f"L.{name}.fail", (_m(*ok, Cmp(_COMPLEMENT[name], "a", "m", "b")),), Action(status=FAIL))
        )
    band = (Eq("st", "ok"), Eq("op", "band"))
    open_ = (*band, Cmp("<", "a", "m", "b"), Cmp(">=", "a2", "m", "b"))
    rules += [
        Rule("L.band.pass", (_m(*band, Cmp(">=", "a", "m", "b")),), Action(status=PASS)),
        Rule("L.band.fail", (_m(*band, Cmp("<", "a2", "m", "b")),), Action(status=FAIL)),
        Rule("L.band.missing", (_m(*open_, Eq("u", MISSING_EVIDENCE)),), Action(status=MISSING_EVIDENCE)),
        Rule("L.band.invalid", (_m(*open_, Eq("u", INVALID)),), Action(status=INVALID)),
    ]
    return tuple(rules)


#: The leaf rules every ruleset starts with.
GENERIC_RULES: Final = _generic_rules()


# -- the node tree of one criterion -----------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """A leaf check: its node id, its spec, its comparisons and its measurer."""

    id: str
    spec: Any
    items: tuple[Item, ...]
    measure: Measurer
    ids: dict[str, str] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.ids.update(self._slot_ids())

    def slot_ids(self) -> dict[str, str]:
        """Node id of each comparison slot (the leaf's own id when it has just one)."""
        return self.ids

    def _slot_ids(self) -> dict[str, str]:
        slots = [s for it in self.items for s in ((it,) if isinstance(it, str) else it)]
        if len(self.items) == 1 and isinstance(self.items[0], str):
            return {self.items[0]: self.id}
        if len(self.items) == 1:  # a single one_of group: the leaf is the ``any``
            return {s: f"{self.id}o{j}" for j, s in enumerate(slots)}
        out: dict[str, str] = {}
        for i, it in enumerate(self.items):
            if isinstance(it, str):
                out[it] = f"{self.id}p{i}"
            else:
                out.update({s: f"{self.id}p{i}o{j}" for j, s in enumerate(it)})
        return out


@dataclass(frozen=True)
class Node:
    """A combinator node: all, any or not."""

    id: str
    kind: str
    children: tuple[Leaf | Node, ...]


Tree = Leaf | Node


def _tree(spec: Any, node_id: str, env: CompileEnv) -> Tree:
    if spec.kind in ("all", "any"):
        return Node(node_id, spec.kind, tuple(_tree(c, f"{node_id}.{i}", env) for i, c in enumerate(spec.checks)))
    if spec.kind == "not":
        return Node(node_id, "not", (_tree(spec.check, f"{node_id}.0", env),))
    if spec.kind not in LEAF_KINDS:  # pragma: no cover - the model and this list agree (tested)
        raise EngineUnavailable(f"the durable engine has no measure for check kind {spec.kind!r}")
    items, fn = measurer(spec, env)
    return Leaf(node_id, spec, tuple(items), fn)


def _s(alias: str, node: str, *conds: Any) -> Pattern:
    return Pattern(alias, (Eq("t", "s"), Eq("n", node), *conds))


def _fold(out: str, kind: str, children: Sequence[str]) -> Iterator[Rule]:
    """all/any over child node ids: a chain of keep/take steps on the children's ranks."""
    if len(children) == 1:
        yield Rule(f"{out}:copy", (_s("m", children[0]),), Action(node=out, copy="m"))
        return
    rank = "ra" if kind == "all" else "ry"
    left = children[0]
    for j, right in enumerate(children[1:], start=1):
        target = out if j == len(children) - 1 else f"{out}f{j}"
        lpat = _s("l", left)
        yield Rule(f"{target}:keep", (lpat, _s("r", right, Cmp("<=", rank, "l", rank))), Action(node=target, copy="l"))
        yield Rule(f"{target}:take", (lpat, _s("r", right, Cmp(">", rank, "l", rank))), Action(node=target, copy="r"))
        left = target


def _not(out: str, child: str) -> Iterator[Rule]:
    for seen, becomes in ((PASS, FAIL), (FAIL, PASS), (MISSING_EVIDENCE, MISSING_EVIDENCE), (INVALID, INVALID)):
        yield Rule(f"{out}:not-{seen}", (_s("m", child, Eq("s", seen)),), Action(node=out, status=becomes))


def _tree_rules(tree: Tree) -> Iterator[Rule]:
    if isinstance(tree, Leaf):
        if len(tree.items) == 1 and isinstance(tree.items[0], str):
            return  # the generic leaf rules decide it directly
        ids = tree.slot_ids()
        if len(tree.items) == 1:  # one one_of group
            group = tree.items[0]
            assert not isinstance(group, str)
            yield from _fold(tree.id, "any", [ids[s] for s in group])
            return
        kids: list[str] = []
        for i, it in enumerate(tree.items):
            if isinstance(it, str):
                kids.append(ids[it])
            else:
                gid = f"{tree.id}p{i}"
                yield from _fold(gid, "any", [ids[s] for s in it])
                kids.append(gid)
        yield from _fold(tree.id, "all", kids)
        return
    for c in tree.children:
        yield from _tree_rules(c)
    if tree.kind == "not":
        yield from _not(tree.id, tree.children[0].id)
    else:
        yield from _fold(tree.id, tree.kind, [c.id for c in tree.children])


def _crit_rules(i: int, cc: CompiledCriterion, has_guard: bool) -> Iterator[Rule]:
    cid, k, g = str(i), f"{i}k", f"{i}g"

    def c(*conds: Any) -> Pattern:
        return Pattern("c", (Eq("t", "c"), Eq("n", cid), *conds))

    guard: tuple[Pattern, ...] = ()
    if has_guard:
        yield Rule(f"{cid}:na", (_s("g", g, Eq("s", FAIL)),), Action(node=cid, status=NOT_APPLICABLE))
        yield Rule(f"{cid}:w", (c(Eq("w", 1)), _s("g", g, Ne("s", FAIL))), Action(node=cid, status=WAIVED))
        yield Rule(f"{cid}:g", (c(Eq("w", 0)), _s("g", g, Eq("d", 0))), Action(node=cid, copy="g"))
        guard = (_s("g", g, Eq("s", PASS)),)
    else:
        yield Rule(f"{cid}:w", (c(Eq("w", 1)),), Action(node=cid, status=WAIVED))
    if cc.fresh is None:
        yield Rule(f"{cid}:k", (c(Eq("w", 0)), *guard, _s("k", k)), Action(node=cid, copy="k"))
    else:
        yield Rule(f"{cid}:k", (c(Eq("w", 0), Eq("z", 0)), *guard, _s("k", k)), Action(node=cid, copy="k"))
        yield Rule(
            f"{cid}:stale",
            (c(Eq("w", 0), Eq("z", 1)), *guard, _s("k", k, Eq("d", 1))),
            Action(node=cid, status=MISSING_EVIDENCE),
        )
        yield Rule(
            f"{cid}:open", (c(Eq("w", 0), Eq("z", 1)), *guard, _s("k", k, Eq("d", 0))), Action(node=cid, copy="k")
        )
    if cc.mandatory:
        yield Rule(f"{cid}:veto", (_s("m", cid, Eq("s", FAIL)),), Action(veto=i))


# -- plans ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CritPlan:
    """One criterion: its trees, rules, and the facts it may bring."""

    index: int
    cc: CompiledCriterion
    check: Tree
    guard: Tree | None
    rules: tuple[Rule, ...]
    shapes: tuple[FactShape, ...]


@dataclass
class Chunk:
    """One ruleset: some criteria, all their rules, and how to read its firings."""

    name: str
    crits: list[CritPlan]
    rules: tuple[Rule, ...]
    text: str  # canonical JSON: what is registered, and the cache key
    actions: dict[str, Action] = field(default_factory=dict)
    consumed: frozenset[str] = frozenset()  # nodes whose status other rules read

    def __post_init__(self) -> None:
        self.actions = {r.name: r.action for r in self.rules}
        self.consumed = frozenset(
            str(c.value)
            for r in self.rules
            for p in r.patterns
            if p.equalities().get("t") == "s"
            for c in p.conds
            if isinstance(c, Eq) and c.field == "n"
        )


@dataclass
class Plan:
    """A compiled standard's rulesets."""

    std_id: str
    chunks: list[Chunk]


def _shapes(i: int, check: Tree, guard: Tree | None, rules: Sequence[Rule]) -> Iterator[FactShape]:
    yield FactShape((("t", "c"), ("n", str(i))), frozenset({"w", "z"}))
    nodes = {str(c.value) for r in rules for p in r.patterns for c in p.conds if isinstance(c, Eq) and c.field == "n"}
    nodes.add(str(i))
    for n in sorted(nodes):
        yield FactShape((("t", "s"), ("n", n)), frozenset({"s", "ra", "ry", "d"}))
    for tree in (check, guard):
        for leaf in _leaves(tree):
            yield FactShape((("t", "m"), ("n", leaf.id)), frozenset({"st"}))
            for slot, nid in leaf.slot_ids().items():
                op = "band" if slot == "share" else None
                varying = {"st", "a", "b", "op"} | ({"a2", "u"} if op else set())
                yield FactShape((("t", "m"), ("n", nid)), frozenset(varying))


def _leaves(tree: Tree | None) -> Iterator[Leaf]:
    if tree is None:
        return
    if isinstance(tree, Leaf):
        yield tree
        return
    for c in tree.children:
        yield from _leaves(c)


def _crit_plan(i: int, cc: CompiledCriterion, env: CompileEnv) -> CritPlan:
    check = _tree(cc.spec.check, f"{i}k", env)
    guard = _tree(cc.spec.applies_when, f"{i}g", env) if cc.spec.applies_when is not None else None
    rules = [
        *_tree_rules(check),
        *(_tree_rules(guard) if guard is not None else ()),
        *_crit_rules(i, cc, guard is not None),
    ]
    return CritPlan(i, cc, check, guard, tuple(rules), tuple(_shapes(i, check, guard, rules)))


def build_plan(comp: Compiled) -> Plan:
    """The rulesets of a compiled standard, checked against the engine's limits.

    Criteria are packed in order into rulesets of at most :data:`MAX_PATTERNS` fact
    patterns (each ruleset repeats the generic leaf rules). A criterion too large for a
    ruleset on its own is refused here, before anything is registered.
    """
    env = CompileEnv(parameters=comp.parameters, standards=comp.deps, compile=compile_check)
    std_id = comp.resolved.header.id
    base = pattern_count(GENERIC_RULES)
    groups: list[list[CritPlan]] = [[]]
    used = base
    for i, cc in enumerate(comp.criteria):
        cp = _crit_plan(i, cc, env)
        need = pattern_count(cp.rules)
        if base + need > MAX_PATTERNS:
            raise EngineUnavailable(
                f"criterion {cc.id} of {std_id} needs {need} rule patterns, more than one durable_rules "
                f"ruleset can hold ({MAX_PATTERNS - base} besides the leaf rules; the engine hangs at "
                f"registration above 512)",
                code="engine-limit",
                hint="split the check into several criteria, or use engine='native' for this standard",
            )
        if used + need > MAX_PATTERNS and groups[-1]:
            groups.append([])
            used = base
        groups[-1].append(cp)
        used += need
    chunks = []
    for part, crits in enumerate(groups):
        rules = (*GENERIC_RULES, *(r for cp in crits for r in cp.rules))
        name = f"{std_id}#{part}"
        check_limits(name, rules, (s for cp in crits for s in cp.shapes))
        chunks.append(Chunk(name, crits, rules, canonical(rules)))
    return Plan(std_id, chunks)
