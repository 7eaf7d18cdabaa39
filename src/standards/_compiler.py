"""Compile a resolved standard into closures, once, in named stages.

``resolve_parameters`` → ``compile_checks`` → ``compile_scoring``. The result is
immutable and shared freely between threads; evaluating a record never touches the
rule models again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from . import checks
from ._judge import judged_status
from ._loader import Resolved
from ._values import Bound, Duration, parse_bound, parse_date, parse_duration
from .checks._base import CheckFn, CompileEnv, RuleCompileError, StatusFn
from .errors import Problem, RuleSetError, UsageError
from .evidence import ReadPlan
from .model import Category, Criterion

__all__ = ["Compiled", "CompiledCriterion", "compile_check", "compile_standard", "fact_paths"]

DEFAULT_WITHIN = Duration(days=30, text="P30D")
_TEMPLATE_NAME = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True, slots=True)
class CompiledCriterion:
    """A criterion ready to run: closures plus resolved scoring and remediation fields."""

    spec: Criterion
    index: int
    run: CheckFn
    #: The check's status alone (a twin registered for the kind, else read from ``run``).
    status: StatusFn
    guard: CheckFn | None
    fresh: Duration | None
    paths: tuple[str, ...]
    deduct_per: Bound | None
    deduct_points: float
    owner: str | None
    within: Duration
    due: date | None
    id: str = ""
    points: float = 0.0
    mandatory: bool = False
    #: No guard and no freshness rule: the check's status is the criterion's status.
    plain: bool = False
    #: Evidence a 整改清单 item asks for: on a fail, and on missing or invalid evidence.
    supply: tuple[str, ...] = ()
    supply_missing: tuple[str, ...] = ()
    #: The category's position in the standard's categories (-1: undeclared; the loader
    #: refuses those, so only hand-built rule sets have it).
    slot: int = -1


@dataclass(frozen=True, slots=True)
class Compiled:
    """A standard compiled for one set of parameter values."""

    resolved: Resolved
    parameters: dict[str, Any]
    criteria: tuple[CompiledCriterion, ...]
    categories: tuple[Category, ...]
    method: str
    pass_mark: Bound | None
    grades: tuple[tuple[str, Bound], ...]
    deps: dict[str, Any]
    used_parameters: frozenset[str] = frozenset()
    #: What reports may read of a record after they are made (see Evidence.snapshot).
    reads: ReadPlan = field(default_factory=lambda: ReadPlan({}, frozenset()))
    #: Per criterion (id, what gives its status): its check's twin when the criterion is
    #: plain, else :func:`~standards._judge.judged_status` (guard, check, freshness). What
    #: :func:`~standards._evaluator.decide` calls, in one dict comprehension.
    deciders: tuple[tuple[str, StatusFn], ...] = ()
    #: The points of all criteria (decide subtracts those not applicable or waived).
    total_points: float = 0.0
    #: The parameters a report lists: those the criteria and scoring read, in order.
    report_parameters: tuple[str, ...] = ()
    #: The parameter values as text, for remediation actions' ``{placeholders}``.
    parameter_texts: dict[str, str] = field(default_factory=dict)
    category_titles: dict[str, str] = field(default_factory=dict)
    category_owners: dict[str, str | None] = field(default_factory=dict)


def compile_check(spec: Any, env: CompileEnv) -> CheckFn:
    """Dispatch on ``kind`` to the registered compile function."""
    fn = checks.REGISTRY.get(spec.kind)
    if fn is None:  # pragma: no cover - the model's Literal and the registry agree (tested)
        raise RuleCompileError("unknown-check-kind", f"no compiler for kind {spec.kind!r}")
    return fn(spec, env)


def fact_paths(spec: Any) -> Iterator[str]:
    """Every fact path a check reads (for freshness and for the evidence template)."""
    for name in ("path", "numerator", "denominator"):
        v = getattr(spec, name, None)
        if isinstance(v, str):
            yield v
    for name in ("left", "right"):
        v = getattr(spec, name, None)
        if isinstance(v, str) and not v.startswith("$") and parse_bound(v) is None:
            yield v
    if getattr(spec, "kind", None) in ("all", "any"):
        for child in spec.checks:
            yield from fact_paths(child)
    if getattr(spec, "kind", None) == "not":
        yield from fact_paths(spec.check)


def resolve_parameters(res: Resolved, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """Defaults from the rule files, then the caller's values (unknown names refused)."""
    values = {name: p.value for name, p in res.parameters.items()}
    for name, value in overrides.items():
        key = name.removeprefix("$")
        if key not in values:
            import difflib

            close = difflib.get_close_matches(key, list(values), n=1)
            raise UsageError(
                f"unknown parameter {key!r} for standard {res.header.id}",
                code="unknown-parameter",
                expected="one of " + (", ".join(sorted(values)) or "(none defined)"),
                hint=f"did you mean {close[0]!r}?" if close else None,
            )
        values[key] = value
    return values


def _criterion(crit: Criterion, index: int, env: CompileEnv, slot: int = -1) -> CompiledCriterion:
    run = compile_check(crit.check, env)
    status = env.child_status(crit.check, run)
    guard = compile_check(crit.applies_when, env) if crit.applies_when is not None else None
    rem = crit.remediation
    due: date | None = None
    if rem is not None and rem.due is not None:
        span = parse_date(rem.due)
        due = span.first if span is not None else None
    within = env.duration(rem.within, "remediation.within") if rem is not None else None
    per = env.bound(crit.deduct.per, "deduct.per") if crit.deduct is not None else None
    paths = tuple(dict.fromkeys(fact_paths(crit.check)))
    supply = tuple(rem.evidence) if rem is not None else ()
    return CompiledCriterion(
        spec=crit,
        index=index,
        run=run,
        status=status,
        guard=guard,
        fresh=env.duration(crit.fresh_within, "fresh_within"),
        paths=paths,
        deduct_per=per,
        deduct_points=crit.deduct.points if crit.deduct is not None else 0.0,
        owner=rem.owner if rem is not None else None,
        within=within or DEFAULT_WITHIN,
        due=due,
        id=crit.id,
        points=crit.points,
        mandatory=crit.mandatory,
        plain=guard is None and crit.fresh_within is None,
        supply=supply,
        supply_missing=supply or paths,
        slot=slot,
    )


def compile_standard(
    res: Resolved, overrides: Mapping[str, Any], deps: Mapping[str, Any]
) -> Compiled:
    """Compile every criterion; collect located problems and raise them together."""
    params = resolve_parameters(res, overrides)
    env = CompileEnv(parameters=params, standards=deps, compile=compile_check)
    problems: list[Problem] = []
    compiled: list[CompiledCriterion] = []
    slots = {c.id: i for i, c in enumerate(res.categories)}
    for i, crit in enumerate(res.criteria):
        try:
            compiled.append(_criterion(crit, i, env, slots.get(crit.category, -1)))
        except RuleCompileError as exc:
            file, line, col = res.where.get(crit.id, (res.path, None, None))
            where = f"criteria[{crit.id}]" + (f".{exc.field_name}" if exc.field_name else "")
            problems.append(Problem(exc.code, f"{crit.id}: {exc.message}", file, line, col, where))
        _check_bound_order(crit, env, res, problems)
    pass_mark = grades = None
    try:
        pass_mark = env.bound(res.scoring.pass_mark, "pass_mark")
        grades = tuple(
            (g.name, b)
            for g in res.scoring.grades
            if (b := env.bound(g.min, f"grade {g.name}")) is not None
        )
    except RuleCompileError as exc:
        problems.append(Problem(exc.code, exc.message, res.path, None, None, "scoring"))
    if problems:
        raise RuleSetError(problems)
    used = frozenset(_used_parameters(res))
    return Compiled(
        resolved=res,
        parameters=params,
        criteria=tuple(compiled),
        categories=tuple(res.categories),
        method=res.scoring.method,
        pass_mark=pass_mark,
        grades=tuple(sorted(grades or (), key=lambda g: g[1].q, reverse=True)),
        deps=dict(deps),
        used_parameters=used,
        reads=read_plan(compiled),
        deciders=tuple((cc.id, cc.status if cc.plain else partial(judged_status, cc)) for cc in compiled),
        total_points=sum(cc.points for cc in compiled),
        report_parameters=tuple(k for k in params if k in used),
        parameter_texts={k: str(v) for k, v in params.items()},
        category_titles={c.id: c.title for c in res.categories},
        category_owners={c.id: c.owner for c in res.categories},
    )


def read_plan(criteria: Iterable[CompiledCriterion]) -> ReadPlan:
    """What a report may hold of a record: the checks' and guards' reads.

    A finding worked out later reads its facts then, and one worked out at once keeps
    the values it read (a list of items is the record's own list), so both must come
    from a copy. Fact paths (``cc.paths`` and the guard's, nested ``all``/``any``/``not``
    included) and the sections the kinds read whole: events (``periodic``), documents
    (``exists`` of a document), sub-units (``each``, ``meets``).
    """
    facts: dict[str, Any] = {}
    sections: set[str] = set()
    for cc in criteria:
        guard = cc.spec.applies_when
        paths = [*cc.paths, *(fact_paths(guard) if guard is not None else ())]
        for path in paths:
            node: dict[str, Any] | None = facts
            keys = path.split(".")
            for i, key in enumerate(keys):
                if node is None:
                    break  # an enclosing value is copied whole already
                if i == len(keys) - 1:
                    node[key] = None
                else:
                    node = node.setdefault(key, {})
        for spec in [*_checks_in(cc.spec.check), *(_checks_in(guard) if guard is not None else ())]:
            kind = spec.kind
            if kind == "periodic":
                sections.add("events")
            elif kind == "exists" and spec.document is not None:
                sections.add("documents")
            elif kind in ("each", "meets"):
                sections.add("units")
    return ReadPlan(facts, frozenset(sections))


def _checks_in(spec: Any) -> Iterator[Any]:
    """A check and every check nested in it."""
    yield spec
    for child in getattr(spec, "checks", None) or ():
        yield from _checks_in(child)
    child = getattr(spec, "check", None)
    if child is not None:
        yield from _checks_in(child)


def _used_parameters(res: Resolved) -> Iterator[str]:
    """Parameters the criteria and scoring actually read (a profile may inherit unused ones)."""
    def walk(data: Any) -> Iterator[str]:
        if isinstance(data, dict):
            for v in data.values():
                yield from walk(v)
        elif isinstance(data, list):
            for v in data:
                yield from walk(v)
        elif isinstance(data, str):
            if data.startswith("$"):
                yield data[1:]
            yield from _TEMPLATE_NAME.findall(data)

    for crit in res.criteria:
        yield from walk(crit.model_dump(mode="python", exclude_none=True))
    yield from walk(res.scoring.model_dump(mode="python", exclude_none=True))


def _check_bound_order(
    crit: Criterion, env: CompileEnv, res: Resolved, problems: list[Problem]
) -> None:
    """Min above max can never pass: say so at load time, not after a season of fails."""
    spec = crit.check
    lo, hi = getattr(spec, "min", None), getattr(spec, "max", None)
    if lo is None or hi is None:
        return
    try:
        a, b = env.resolve(lo), env.resolve(hi)
    except RuleCompileError:
        return
    ba, bb = parse_bound(a), parse_bound(b)
    da, db = parse_duration(a), parse_duration(b)
    bad = (ba is not None and bb is not None and ba.q > bb.q) or (
        da is not None and db is not None and da.approx_days() > db.approx_days()
    )
    if bad:
        file, line, col = res.where.get(crit.id, (res.path, None, None))
        problems.append(
            Problem(
                "bound-order",
                f"{crit.id}: min {a!r} is above max {b!r}; it can never pass",
                file,
                line,
                col,
                f"criteria[{crit.id}].check",
            )
        )
