"""Load rule files: YAML (with positions) → models → ``extends`` resolved → semantic checks.

Loading never stops at the first mistake: every problem found (up to ``MAX_PROBLEMS``)
is collected with its code, file, line, column and rule path, then raised once as a
:class:`~standards.errors.RuleSetError` — the OPA way, so an author fixes a file in one
pass. The stages are named functions, in the order they run:

``read`` → ``validate`` → ``resolve_extends`` → ``check_semantics`` (the compiler follows).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ._yaml import InputRejected, Limits, Located, PathKey, dotted, read_text, read_yaml_text
from .errors import Problem, RuleSetError
from .model import (
    CHECK_KINDS,
    Category,
    Criterion,
    Deduct,
    Grade,
    Parameter,
    Remediation,
    RuleFile,
    Scoring,
    StandardHeader,
)

__all__ = ["MAX_PROBLEMS", "Loader", "Resolved", "bundled_dir"]

MAX_PROBLEMS = 50
_PARAM_REF = re.compile(r"^\$([A-Za-z_][A-Za-z0-9_]*)$")


def bundled_dir() -> Path:
    """Where the bundled rule files are: inside the wheel, or the source checkout's rules/."""
    here = Path(__file__).resolve().parent
    packaged = here / "rules"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "rules"


@dataclass
class Resolved:
    """A standard with ``extends`` applied: what the compiler turns into closures."""

    header: StandardHeader
    parameters: dict[str, Parameter]
    scoring: Scoring
    categories: list[Category]
    criteria: list[Criterion]
    files: list[tuple[str, str]]
    where: dict[str, tuple[str, int | None, int | None]]
    path: str
    meets: dict[str, Resolved] = field(default_factory=dict)
    extends: str | None = None


class _Stop(Exception):
    """Too many problems: stop collecting."""


class Loader:
    """Loads rule files, resolving ``extends`` and ``meets`` references, collecting problems."""

    def __init__(
        self, search_path: Iterable[str | Path] = (), limits: Limits | None = None
    ) -> None:
        self.search_path = [Path(p) for p in search_path]
        self.limits = limits or Limits()
        self.problems: list[Problem] = []
        self.truncated = False
        self._cache: dict[Path, Resolved | None] = {}
        self._index: dict[str, Path] | None = None
        self._stack: list[Path] = []
        self._roots: list[Path] = []

    # -- problems --------------------------------------------------------------------------
    def add(self, problem: Problem) -> None:
        """Record a problem; stop once the limit is reached."""
        if problem in self.problems:
            return
        self.problems.append(problem)
        if len(self.problems) >= MAX_PROBLEMS:
            self.truncated = True
            raise _Stop

    def raise_if_problems(self) -> None:
        """Raise one RuleSetError carrying every collected problem."""
        if self.problems:
            raise RuleSetError(self.problems, truncated=self.truncated)

    # -- entry points ------------------------------------------------------------------------
    def load(self, path: str | Path) -> Resolved:
        """Load one rule file (and what it extends or meets); raise RuleSetError on problems."""
        p = Path(path)
        self._roots.append(p.resolve().parent)
        try:
            result = self.resolve(p)
        except _Stop:
            result = None
        self.raise_if_problems()
        assert result is not None
        return result

    def resolve(self, path: Path) -> Resolved | None:
        """Read → validate → resolve_extends → check_semantics, memoised per file."""
        key = path.resolve()
        if key in self._cache:
            return self._cache[key]
        if key in self._stack:
            chain = " → ".join(p.name for p in [*self._stack, key])
            self.add(Problem("extends-cycle", f"extends forms a cycle: {chain}", str(path)))
            return None
        self._stack.append(key)
        try:
            located = self.read(path)
            if located is None:
                return None
            model = self.validate(located)
            if model is None:
                return None
            resolved = self.resolve_extends(model, located, path)
            if resolved is not None:
                self.check_semantics(resolved, model, located)
            self._cache[key] = resolved
            return resolved
        finally:
            self._stack.pop()

    # -- stage 1: read -------------------------------------------------------------------------
    def read(self, path: Path) -> Located | None:
        """The file's data with positions, or None after recording why it cannot be read."""
        try:
            text = read_text(path, self.limits)
            located = read_yaml_text(text, str(path), self.limits)
        except InputRejected as exc:
            self.add(exc.problem)
            return None
        if not isinstance(located.data, dict):
            got = "an empty file" if located.data is None else type(located.data).__name__
            self.add(
                Problem("wrong-type", f"a rule file must be a mapping, got {got}", str(path), 1, 1)
            )
            return None
        return located

    # -- stage 2: validate ---------------------------------------------------------------------
    def validate(self, located: Located) -> RuleFile | None:
        """Validate against the models; each pydantic error becomes a located Problem."""
        try:
            return RuleFile.model_validate(located.data)
        except ValidationError as exc:
            seen: set[tuple[str, str]] = set()
            for err in exc.errors(include_url=False):
                problem = _problem_from_error(err, located)
                if (problem.path or "", problem.code) in seen:
                    continue
                seen.add((problem.path or "", problem.code))
                self.add(problem)
            return None

    # -- stage 3: resolve extends ----------------------------------------------------------------
    def resolve_extends(self, model: RuleFile, located: Located, path: Path) -> Resolved | None:
        """Apply ``extends``: inherit, exclude, override, add (OSCAL profile style)."""
        file = str(path)
        files = [(file, _sha256(path))]
        where = {
            c.id: (file, *located.where(("criteria", i))) for i, c in enumerate(model.criteria)
        }
        params = {k: _as_parameter(v) for k, v in model.parameters.items()}
        if model.extends is None:
            if model.exclude or model.override:
                line, col = located.where(
                    ("exclude",) if model.exclude else ("override",), key=True
                )
                self.add(Problem("no-base", "exclude/override need 'extends'", file, line, col))
            return Resolved(
                model.standard,
                params,
                model.scoring or Scoring(),
                list(model.categories),
                list(model.criteria),
                files,
                where,
                file,
            )
        base_path = self.find(model.extends, path)
        line, col = located.where(("extends",))
        if base_path is None:
            close = difflib.get_close_matches(model.extends, list(self.index()), n=1)
            self.add(
                Problem(
                    "extends-not-found",
                    f"extends {model.extends!r}: no such standard or file",
                    file,
                    line,
                    col,
                    "extends",
                    f"did you mean {close[0]!r}?" if close else None,
                )
            )
            return None
        if base_path.resolve() in self._stack:
            chain = " → ".join(p.name for p in [*self._stack, base_path.resolve()])
            self.add(
                Problem(
                    "extends-cycle", f"extends forms a cycle: {chain}", file, line, col, "extends"
                )
            )
            return None
        base = self.resolve(base_path)
        if base is None:
            return None
        return self._merge(base, model, located, file, files, where, params)

    def _merge(
        self,
        base: Resolved,
        model: RuleFile,
        located: Located,
        file: str,
        files: list[tuple[str, str]],
        where: dict[str, tuple[str, int | None, int | None]],
        params: dict[str, Parameter],
    ) -> Resolved:
        base_ids = [c.id for c in base.criteria]
        for i, cid in enumerate(model.exclude):
            if cid not in base_ids:
                self._unknown_criterion(cid, base_ids, located, ("exclude", i), "exclude")
        criteria: list[Criterion] = []
        merged_where = dict(base.where)
        for crit in base.criteria:
            if crit.id in model.exclude:
                merged_where.pop(crit.id, None)
                continue
            if crit.id in model.override:
                crit = self._override(crit, model.override[crit.id], located, file) or crit
                merged_where[crit.id] = (file, *located.where(("override", crit.id), key=True))
            criteria.append(crit)
        for cid in model.override:
            if cid not in base_ids:
                self._unknown_criterion(cid, base_ids, located, ("override", cid), "override")
        for i, crit in enumerate(model.criteria):
            if crit.id in base_ids:
                line, col = located.where(("criteria", i, "id"))
                self.add(
                    Problem(
                        "duplicate-criterion",
                        f"criterion {crit.id!r} is already in the base "
                        "standard; use override to change it",
                        file,
                        line,
                        col,
                        f"criteria[{i}].id",
                    )
                )
            criteria.append(crit)
        merged_where.update(where)
        cats = list(base.categories)
        known = {c.id for c in cats}
        cats += [c for c in model.categories if c.id not in known]
        return Resolved(
            model.standard,
            {**base.parameters, **params},
            model.scoring or base.scoring,
            cats,
            criteria,
            files + base.files,
            merged_where,
            file,
            extends=base.header.id,
        )

    def _unknown_criterion(
        self, cid: str, ids: list[str], located: Located, at: PathKey, what: str
    ) -> None:
        line, col = located.where(at, key=isinstance(at[-1], str))
        close = difflib.get_close_matches(cid, ids, n=1)
        self.add(
            Problem(
                "unknown-criterion",
                f"{what}: the base standard has no criterion {cid!r}",
                located.file,
                line,
                col,
                dotted(at),
                f"did you mean {close[0]!r}?" if close else None,
            )
        )

    def _override(
        self, crit: Criterion, changes: Mapping[str, Any], located: Located, file: str
    ) -> Criterion | None:
        data = crit.model_dump(mode="python", exclude_unset=True, exclude_none=True)
        for key, value in changes.items():
            if (
                key in ("remediation", "deduct")
                and isinstance(value, dict)
                and isinstance(data.get(key), dict)
            ):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        if "id" in changes and changes["id"] != crit.id:
            line, col = located.where(("override", crit.id, "id"))
            self.add(
                Problem("invalid-value", "override cannot change a criterion's id", file, line, col)
            )
            return None
        try:
            return Criterion.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = ("override", crit.id, *err["loc"])
                problem = _problem_from_error({**err, "loc": loc}, located)
                self.add(problem)
            return None

    # -- stage 4: semantics ----------------------------------------------------------------------
    def check_semantics(self, res: Resolved, model: RuleFile, located: Located) -> None:
        """Ids unique, categories declared, parameters defined, ``meets`` standards found."""
        file = located.file
        own = {c.id: i for i, c in enumerate(model.criteria)}
        seen: set[str] = set()
        for crit in res.criteria:
            if crit.id in seen and crit.id in own:
                line, col = located.where(("criteria", own[crit.id], "id"))
                self.add(
                    Problem(
                        "duplicate-criterion",
                        f"criterion id {crit.id!r} is used twice",
                        file,
                        line,
                        col,
                        f"criteria[{own[crit.id]}].id",
                    )
                )
            seen.add(crit.id)
        cat_ids = [c.id for c in res.categories]
        for i, cat in enumerate(model.categories):
            if cat_ids.count(cat.id) > 1:
                line, col = located.where(("categories", i, "id"))
                self.add(
                    Problem(
                        "duplicate-category",
                        f"category {cat.id!r} is declared twice",
                        file,
                        line,
                        col,
                    )
                )
        for crit in res.criteria:
            at = self._at(crit.id, model, located)
            if crit.category not in cat_ids:
                close = difflib.get_close_matches(crit.category, cat_ids, n=1)
                self._add_at(
                    at,
                    "category",
                    "undeclared-category",
                    f"criterion {crit.id!r} names category {crit.category!r}, which is not declared",
                    f"did you mean {close[0]!r}?"
                    if close
                    else f"declare it under categories: {cat_ids}",
                )
            for field_path, name in _param_refs(crit.model_dump(mode="python", exclude_none=True)):
                if name not in res.parameters:
                    close = difflib.get_close_matches(name, list(res.parameters), n=1)
                    self._add_at(
                        at,
                        field_path,
                        "undefined-parameter",
                        f"${name} is not defined under parameters",
                        f"did you mean ${close[0]}?" if close else None,
                    )
            for field_path, std_id in _meets_refs(
                crit.model_dump(mode="python", exclude_none=True)
            ):
                dep_path = self.find(std_id, Path(res.path))
                if dep_path is None:
                    close = difflib.get_close_matches(std_id, list(self.index()), n=1)
                    self._add_at(
                        at,
                        field_path,
                        "unknown-standard",
                        f"meets {std_id!r}: no loaded or bundled standard has this id",
                        f"did you mean {close[0]!r}?" if close else None,
                    )
                    continue
                if std_id == res.header.id:
                    self._add_at(
                        at, field_path, "meets-cycle", "a standard cannot meet itself", None
                    )
                    continue
                dep = self.resolve(dep_path)
                if dep is not None:
                    res.meets[std_id] = dep
        for field_path, name in _param_refs(
            res.scoring.model_dump(mode="python", exclude_none=True)
        ):
            if name not in res.parameters:
                line, col = located.where(("scoring",))
                self.add(
                    Problem(
                        "undefined-parameter",
                        f"${name} is not defined under parameters",
                        file,
                        line,
                        col,
                        f"scoring.{field_path}",
                    )
                )

    def _at(self, cid: str, model: RuleFile, located: Located) -> tuple[Located, PathKey]:
        for i, c in enumerate(model.criteria):
            if c.id == cid:
                return located, ("criteria", i)
        if cid in model.override:
            return located, ("override", cid)
        return located, ()

    def _add_at(
        self, at: tuple[Located, PathKey], sub: str, code: str, msg: str, hint: str | None
    ) -> None:
        located, base = at
        keys: list[str | int] = list(base)
        for part in re.findall(r"[^.\[\]]+", sub):
            keys.append(int(part) if part.isdigit() else part)
        line, col = located.where(tuple(keys))
        self.add(
            Problem(code, msg, located.file, line, col, dotted(tuple(keys)) if keys else sub, hint)
        )

    # -- finding standards by id or path -------------------------------------------------------
    def find(self, ref: str, relative_to: Path) -> Path | None:
        """A standard by relative path (``../base.yaml``) or by id (searched in known dirs)."""
        if ref.endswith((".yaml", ".yml")) or "/" in ref:
            cand = (relative_to.parent / ref).resolve()
            return cand if cand.is_file() else None
        return self.index().get(ref)

    def index(self) -> dict[str, Path]:
        """Id → file for every rule file in the search path, the roots and the bundled dir."""
        if self._index is None:
            index: dict[str, Path] = {}
            for d in self._search_dirs():
                for f in sorted(d.rglob("*.y*ml")):
                    if f.name.endswith((".cases.yaml", ".cases.yml")) or not f.is_file():
                        continue
                    sid = _peek_id(f, self.limits)
                    if sid is not None:
                        index.setdefault(sid, f.resolve())
            self._index = index
        return self._index

    def _search_dirs(self) -> Iterator[Path]:
        seen: set[Path] = set()
        for d in [*self.search_path, *self._roots, *(r.parent for r in self._roots), bundled_dir()]:
            try:
                r = d.resolve()
            except OSError:
                continue
            if r.is_dir() and r not in seen:
                seen.add(r)
                yield r


def _peek_id(path: Path, limits: Limits) -> str | None:
    try:
        data = read_yaml_text(read_text(path, limits), str(path), limits).data
    except InputRejected:
        return None
    if isinstance(data, dict) and isinstance(data.get("standard"), dict):
        sid = data["standard"].get("id")
        return sid if isinstance(sid, str) else None
    return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _as_parameter(v: Any) -> Parameter:
    return v if isinstance(v, Parameter) else Parameter(value=v)


def _param_refs(data: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every ``$name`` string inside a dumped model, with its dotted field path."""
    if isinstance(data, dict):
        for k, v in data.items():
            if k in ("title", "description", "source", "remediation"):
                continue
            yield from _param_refs(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _param_refs(v, f"{prefix}[{i}]")
    elif isinstance(data, str):
        m = _PARAM_REF.match(data)
        if m:
            yield prefix, m.group(1)


def _meets_refs(data: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        if data.get("kind") == "meets" and isinstance(data.get("standard"), str):
            yield f"{prefix}.standard" if prefix else "standard", data["standard"]
        for k, v in data.items():
            yield from _meets_refs(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _meets_refs(v, f"{prefix}[{i}]")


# -- pydantic errors → problems ----------------------------------------------------------------

_MODEL_AT: dict[str, type[BaseModel]] = {
    "standard": StandardHeader,
    "scoring": Scoring,
    "remediation": Remediation,
    "deduct": Deduct,
    "categories": Category,
    "criteria": Criterion,
    "grades": Grade,
}


def _data_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """Keep only the loc elements that are real keys/indexes of the data (drop union tags)."""
    out: list[str | int] = []
    cur = data
    for part in loc:
        if isinstance(cur, dict) and str(part) in cur:
            out.append(str(part))
            cur = cur[str(part)]
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            out.append(part)
            cur = cur[part]
    return tuple(out)


def _fields_at(data: Any, path: PathKey) -> list[str]:
    """The field names valid at ``path`` (for "did you mean")."""
    cur = data
    for p in path:
        cur = cur[p] if isinstance(cur, dict | list) else None
    if isinstance(cur, dict) and isinstance(cur.get("kind"), str) and cur["kind"] in CHECK_KINDS:
        return list(CHECK_KINDS[cur["kind"]].model_fields)
    if not path:
        return list(RuleFile.model_fields)
    name = next((p for p in reversed(path) if isinstance(p, str)), "")
    model = _MODEL_AT.get(name)
    if model is not None:
        return list(model.model_fields)
    return []


def _problem_from_error(err: Mapping[str, Any], located: Located) -> Problem:
    loc = tuple(err["loc"])
    typ = err["type"]
    path = _data_path(located.data, loc)
    ctx = err.get("ctx") or {}
    if typ == "extra_forbidden":
        name = str(loc[-1])
        line, col = located.where((*path, name) if name not in path[-1:] else path, key=True)
        if path and path[-1] == name:
            line, col = located.where(path, key=True)
            parent = path[:-1]
        else:
            parent = path
        close = difflib.get_close_matches(name, _fields_at(located.data, parent), n=1)
        return Problem(
            "unknown-field",
            f"unknown field {name!r}",
            located.file,
            line,
            col,
            dotted(path),
            f"did you mean {close[0]!r}?" if close else None,
        )
    line, col = located.where(path)
    where = dotted(path)
    if typ == "union_tag_invalid":
        tag = str(ctx.get("tag", ""))
        kinds = list(CHECK_KINDS)
        close = difflib.get_close_matches(tag, kinds, n=1)
        line, col = located.where((*path, "kind"))
        return Problem(
            "unknown-check-kind",
            f"unknown check kind {tag!r}; known kinds: {', '.join(kinds)}",
            located.file,
            line,
            col,
            f"{where}.kind",
            f"did you mean {close[0]!r}?" if close else None,
        )
    if typ == "union_tag_not_found":
        return Problem(
            "missing-field",
            "a check needs a 'kind' (value, ratio, count, …)",
            located.file,
            line,
            col,
            where,
        )
    if typ == "missing":
        name = str(loc[-1])
        return Problem(
            "missing-field",
            f"missing required field {name!r}",
            located.file,
            line,
            col,
            f"{where}.{name}" if where else name,
        )
    if typ == "literal_error":
        expected = str(ctx.get("expected", ""))
        got = err.get("input")
        options = re.findall(r"'([^']*)'", expected)
        close = difflib.get_close_matches(str(got), options, n=1)
        return Problem(
            "invalid-value",
            f"{got!r} is not allowed; expected {expected}",
            located.file,
            line,
            col,
            where,
            f"did you mean {close[0]!r}?" if close else None,
        )
    if typ in ("value_error", "assertion_error"):
        msg = str(err.get("msg", "")).removeprefix("Value error, ")
        return Problem("invalid-value", msg, located.file, line, col, where)
    if (
        typ.endswith("_type")
        or typ.endswith("_parsing")
        or typ in ("model_attributes_type", "dict_type")
    ):
        got = err.get("input")
        return Problem(
            "wrong-type",
            f"{err.get('msg', 'wrong type')} (got {type(got).__name__} {got!r:.40})",
            located.file,
            line,
            col,
            where,
        )
    return Problem(
        "invalid-value", str(err.get("msg", "invalid value")), located.file, line, col, where
    )
