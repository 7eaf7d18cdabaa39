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
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from ._values import parse_bound, parse_duration
from ._yaml import InputRejected, Limits, Located, PathKey, dotted, read_text, read_yaml_text
from .errors import Problem, RuleSetError
from .model import (
    CHECK_KINDS,
    AllCheck,
    AnyCheck,
    Category,
    Criterion,
    Deduct,
    EachCheck,
    Grade,
    GradeCheck,
    MeetsCheck,
    NotCheck,
    Parameter,
    Remediation,
    RuleFile,
    Scalar,
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

    def __init__(self, search_path: Iterable[str | Path] = (), limits: Limits | None = None) -> None:
        self.search_path = [Path(p) for p in search_path]
        self.limits = limits or Limits()
        self.problems: list[Problem] = []
        self.truncated = False
        self._cache: dict[Path, Resolved | None] = {}
        self._index: dict[str, Path] | None = None
        self._dir_ids: dict[tuple[Path, int | None], dict[str, Path]] = {}
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
            read = self.read(path)
            if read is None:
                return None
            validated = self.validate(read)
            if validated is None:
                return None
            model, located = validated
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
        if located.data is None:
            self.add(
                Problem(
                    "empty-file",
                    "the file is empty; a rule file needs at least a 'standard:' block",
                    str(path),
                    1,
                    1,
                )
            )
            return None
        if not isinstance(located.data, dict):
            got = "a list" if isinstance(located.data, list) else repr(located.data)
            self.add(
                Problem(
                    "wrong-type",
                    f"a rule file must be a mapping (standard:, criteria:, …), got {got:.40}",
                    str(path),
                    *located.where(()),
                )
            )
            return None
        return located

    # -- stage 2: validate ---------------------------------------------------------------------
    def validate(self, located: Located) -> tuple[RuleFile, Located] | None:
        """Validate against the models; each pydantic error becomes a located Problem.

        When every error lies inside some criteria, those criteria are set aside and the
        rest of the file goes on to the later stages, so an author also hears about an
        undeclared category or an undefined parameter in the same run (the errors are
        already recorded, so the load still fails). The returned Located is then a view
        of the file without the set-aside criteria, positions re-keyed to match.
        """
        try:
            return RuleFile.model_validate(located.data), located
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            seen: set[tuple[str, str]] = set()
            for err in errors:
                problem = _problem_from_error(err, located)
                if (problem.path or "", problem.code) in seen:
                    continue
                seen.add((problem.path or "", problem.code))
                self.add(problem)
            return _salvage(located, errors)

    # -- stage 3: resolve extends ----------------------------------------------------------------
    def resolve_extends(self, model: RuleFile, located: Located, path: Path) -> Resolved | None:
        """Apply ``extends``: inherit, exclude, override, add (OSCAL profile style)."""
        file = str(path)
        files = [(file, _sha256(path))]
        where = {c.id: (file, *located.where(("criteria", i))) for i, c in enumerate(model.criteria)}
        params = {k: _as_parameter(v) for k, v in model.parameters.items()}
        if model.extends is None:
            if model.exclude or model.override:
                line, col = located.where(("exclude",) if model.exclude else ("override",), key=True)
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
            if _is_path_ref(model.extends):
                hint: str | None = f"there is no file {(path.parent / model.extends).resolve()}"
            else:
                close = difflib.get_close_matches(model.extends, list(self.index()), n=1)
                hint = f"did you mean {close[0]!r}?" if close else None
            self.add(
                Problem(
                    "extends-not-found",
                    f"extends {model.extends!r}: no such standard or file",
                    file,
                    line,
                    col,
                    "extends",
                    hint,
                )
            )
            return None
        if base_path.resolve() in self._stack:
            chain = " → ".join(p.name for p in [*self._stack, base_path.resolve()])
            self.add(Problem("extends-cycle", f"extends forms a cycle: {chain}", file, line, col, "extends"))
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
            elif cid in model.override:
                line, col = located.where(("override", cid), key=True)
                self.add(
                    Problem(
                        "conflicting-fields",
                        f"criterion {cid!r} is both excluded and overridden; the override would be ignored",
                        file,
                        line,
                        col,
                        f"override.{cid}",
                        "remove it from exclude or from override",
                    )
                )
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
                        f"criterion {crit.id!r} is already in the base standard; use override to change it",
                        file,
                        line,
                        col,
                        f"criteria[{i}].id",
                        f"write it under override: {{{crit.id}: {{…}}}}, or exclude it and "
                        "add a new one with another id",
                    )
                )
                continue
            criteria.append(crit)
        merged_where.update(where)
        cats = list(base.categories)
        known = {c.id for c in cats}
        for i, cat in enumerate(model.categories):
            if cat.id in known:
                line, col = located.where(("categories", i, "id"))
                self.add(
                    Problem(
                        "duplicate-category",
                        f"category {cat.id!r} is already declared in the base standard",
                        file,
                        line,
                        col,
                        f"categories[{i}].id",
                        "a profile only adds categories; remove this one",
                    )
                )
                continue
            cats.append(cat)
            known.add(cat.id)
        kept = {c.id for c in criteria}
        meets = {
            sid: dep
            for sid, dep in base.meets.items()
            if any(sid in _meets_ids(c) for c in base.criteria if c.id in kept)
        }
        return Resolved(
            model.standard,
            _merge_parameters(base.parameters, model.parameters),
            model.scoring or base.scoring,
            cats,
            criteria,
            files + base.files,
            merged_where,
            file,
            meets=meets,
            extends=base.header.id,
        )

    def _unknown_criterion(self, cid: str, ids: list[str], located: Located, at: PathKey, what: str) -> None:
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

    def _override(self, crit: Criterion, changes: Mapping[str, Any], located: Located, file: str) -> Criterion | None:
        data = crit.model_dump(mode="python", exclude_unset=True, exclude_none=True)
        for key, value in changes.items():
            if key in ("remediation", "deduct") and isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            else:
                data[key] = value
        if "id" in changes and changes["id"] != crit.id:
            line, col = located.where(("override", crit.id, "id"))
            self.add(Problem("invalid-value", "override cannot change a criterion's id", file, line, col))
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
        """Ids unique, categories declared, parameters defined and fitting, bounds ordered.

        Only what this file wrote is judged here: inherited criteria were judged when their
        own file was loaded, except where this file's parameter values reach into them.
        """
        file = located.file
        seen: set[str] = set()
        for i, crit in enumerate(model.criteria):
            if crit.id in seen:
                line, col = located.where(("criteria", i, "id"))
                first = next(j for j, c in enumerate(model.criteria) if c.id == crit.id)
                first_line = located.where(("criteria", first))[0]
                self.add(
                    Problem(
                        "duplicate-criterion",
                        f"criterion id {crit.id!r} is used twice",
                        file,
                        line,
                        col,
                        f"criteria[{i}].id",
                        f"the first is criteria[{first}] (line {first_line})",
                    )
                )
            seen.add(crit.id)
        cat_ids = [c.id for c in res.categories]
        for i, cat in enumerate(model.categories):
            if [c.id for c in model.categories[:i]].count(cat.id):
                line, col = located.where(("categories", i, "id"))
                self.add(
                    Problem(
                        "duplicate-category",
                        f"category {cat.id!r} is declared twice",
                        file,
                        line,
                        col,
                        f"categories[{i}].id",
                    )
                )
        written = {id(c) for c in model.criteria}
        placed: list[tuple[Criterion, PathKey | None]] = [(c, ("criteria", i)) for i, c in enumerate(model.criteria)]
        for crit in res.criteria:
            if id(crit) not in written:
                placed.append((crit, ("override", crit.id) if crit.id in model.override else None))
        for crit, at in placed:
            if at is not None:
                self._check_category(crit, cat_ids, located, at)
                self._check_meets(crit, res, located, at)
            self._check_slots(_criterion_slots(crit), res, model, located, at)
        if model.scoring is not None or model.parameters:
            self._check_slots(
                _scoring_slots(res.scoring),
                res,
                model,
                located,
                ("scoring",) if model.scoring is not None else None,
            )

    def _check_category(self, crit: Criterion, cat_ids: list[str], located: Located, at: PathKey) -> None:
        if crit.category in cat_ids:
            return
        close = difflib.get_close_matches(crit.category, cat_ids, n=1)
        self._add_at(
            located,
            (*at, "category"),
            "undeclared-category",
            f"criterion {crit.id!r} names category {crit.category!r}, which is not declared",
            f"did you mean {close[0]!r}?"
            if close
            else f"declare it under categories (declared: {', '.join(cat_ids) or 'none'})",
        )

    def _check_meets(self, crit: Criterion, res: Resolved, located: Located, at: PathKey) -> None:
        for sub, check in _criterion_checks(crit):
            if not isinstance(check, MeetsCheck):
                continue
            where = (*at, *sub, "standard")
            std_id = check.standard
            if std_id == res.header.id:
                self._add_at(located, where, "meets-cycle", "a standard cannot meet itself", None)
                continue
            dep_path = self.find(std_id, Path(res.path))
            if dep_path is None:
                close = difflib.get_close_matches(std_id, list(self.index()), n=1)
                self._add_at(
                    located,
                    where,
                    "unknown-standard",
                    f"meets {std_id!r}: no loaded or bundled standard has this id",
                    f"did you mean {close[0]!r}?" if close else None,
                )
                continue
            if dep_path.resolve() in self._stack:
                chain = " → ".join(p.name for p in [*self._stack, dep_path.resolve()])
                self._add_at(located, where, "meets-cycle", f"meets forms a cycle: {chain}", None)
                continue
            dep = self.resolve(dep_path)
            if dep is not None:
                res.meets[std_id] = dep

    def _check_slots(
        self,
        slots: Iterable[_Slot],
        res: Resolved,
        model: RuleFile,
        located: Located,
        at: PathKey | None,
    ) -> None:
        """Every ``$name`` defined and of the right shape; every min at most its max.

        ``at`` is where the slots are written in this file (None when inherited: then only
        a parameter value set in this file can be at fault, and it is reported there).
        """
        ranges: dict[PathKey, dict[str, tuple[str, Any, str | None]]] = {}
        for sub, kind, value, scale in slots:
            name = _param_name(value)
            resolved = value
            if name is not None:
                if name not in res.parameters:
                    if at is not None:
                        close = difflib.get_close_matches(name, list(res.parameters), n=1)
                        self._add_at(
                            located,
                            (*at, *sub),
                            "undefined-parameter",
                            f"${name} is not defined under parameters",
                            f"did you mean ${close[0]}?" if close else "define it under parameters:",
                        )
                    continue
                resolved = res.parameters[name].value
                wrong = _misfit(kind, resolved, scale)
                if wrong is not None:
                    self._blame(
                        located,
                        model,
                        at,
                        sub,
                        name,
                        "invalid-parameter",
                        f"${name} = {resolved!r} is not {wrong}, which {dotted(sub) or 'this slot'} needs",
                    )
                    continue
            if sub and sub[-1] in ("min", "max") and kind in ("number", "duration"):
                ranges.setdefault(sub[:-1], {})[str(sub[-1])] = (kind, resolved, name)
        for check_at, pair in ranges.items():
            if "min" not in pair or "max" not in pair:
                continue
            (kind, lo, lo_name), (_, hi, hi_name) = pair["min"], pair["max"]
            if not _above(kind, lo, hi):
                continue
            names = [n for n in (lo_name, hi_name) if n is not None]
            self._blame(
                located,
                model,
                at,
                (*check_at, "min"),
                next((n for n in names if n in model.parameters), None) if at is None else None,
                "bound-order",
                f"min {lo!r} is above max {hi!r}"
                + (f" ({', '.join('$' + n for n in names)})" if names else "")
                + "; the check can never pass",
            )

    def _blame(
        self,
        located: Located,
        model: RuleFile,
        at: PathKey | None,
        sub: PathKey,
        param: str | None,
        code: str,
        msg: str,
    ) -> None:
        """Report at the slot when this file wrote it, else at this file's parameter."""
        if at is not None:
            self._add_at(located, (*at, *sub), code, msg, None)
        elif param is not None and param in model.parameters:
            self._add_at(
                located,
                ("parameters", param),
                code,
                msg,
                f"a criterion of the base standard uses ${param} at {dotted(sub)}",
            )

    def _add_at(self, located: Located, keys: PathKey, code: str, msg: str, hint: str | None) -> None:
        line, col = located.where(keys)
        self.add(Problem(code, msg, located.file, line, col, dotted(keys), hint))

    # -- finding standards by id or path -------------------------------------------------------
    def find(self, ref: str, relative_to: Path) -> Path | None:
        """A standard by relative path (``../base.yaml``) or by id.

        An id is looked up directory by directory, nearest first: the referring file's
        own directory, the search path, the directories of the files being loaded and
        their parents, then the bundled standards. The first directory that holds the id
        wins, so a standard next to its profile beats a namesake elsewhere, and a lookup
        reads no more of the disk than it must.
        """
        if _is_path_ref(ref):
            cand = (relative_to.parent / ref).resolve()
            return cand if cand.is_file() else None
        for d, depth in self._search_dirs(relative_to.resolve().parent):
            hit = self._ids_in(d, depth).get(ref)
            if hit is not None:
                return hit
        return None

    def index(self) -> dict[str, Path]:
        """Id → file for every rule file in the search path, the roots and the bundled dir."""
        if self._index is None:
            index: dict[str, Path] = {}
            for d, depth in self._search_dirs():
                for sid, f in self._ids_in(d, depth).items():
                    index.setdefault(sid, f)
            self._index = index
        return self._index

    def _ids_in(self, directory: Path, depth: int | None) -> dict[str, Path]:
        """Id → file under one directory (hidden directories skipped), cached."""
        found = self._dir_ids.get((directory, depth))
        if found is None:
            found = {}
            for f in _rule_files(directory, depth):
                sid = _peek_id(f, self.limits)
                if sid is not None:
                    found.setdefault(sid, f)
            self._dir_ids[(directory, depth)] = found
        return found

    def _search_dirs(self, near: Path | None = None) -> Iterator[tuple[Path, int | None]]:
        """(directory, how deep to look) in lookup order, each directory once.

        The search path and the bundled standards are searched all the way down; the
        directories found implicitly (the referring file's, the loaded files' and their
        parents) only ``_NEARBY_DEPTH`` levels, so a rule file kept in a home directory
        never makes a lookup walk the whole disk.
        """
        seen: set[Path] = set()
        nearby = [*([near] if near is not None else []), *self._roots, *(r.parent for r in self._roots)]
        ordered: list[tuple[Path, int | None]] = [
            *((d, _NEARBY_DEPTH) for d in nearby[:1]),
            *((d, None) for d in self.search_path),
            *((d, _NEARBY_DEPTH) for d in nearby[1:]),
            (bundled_dir(), None),
        ]
        for d, depth in ordered:
            try:
                r = d.resolve()
            except OSError:
                continue
            if r.is_dir() and r not in seen:
                seen.add(r)
                yield r, depth


def _is_path_ref(ref: str) -> bool:
    """``base.yaml`` or ``../x/base`` name a file; ``gd.health-village`` names an id."""
    return ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref


#: How many directory levels below an implicitly searched directory are looked at.
_NEARBY_DEPTH = 2


def _rule_files(directory: Path, depth: int | None) -> list[Path]:
    """The YAML files under a directory, sorted, skipping hidden dirs and test cases.

    ``depth`` 1 is the directory's own files, 2 adds its subdirectories', None is all.
    """
    out: list[Path] = []
    base = len(directory.parts)
    for here, dirs, files in os.walk(directory):
        level = len(Path(here).parts) - base + 1
        if depth is not None and level >= depth:
            dirs[:] = []
        else:
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")) and not name.endswith((".cases.yaml", ".cases.yml")):
                out.append((Path(here) / name).resolve())
    return out


_FAST_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: (path, size, mtime) → id: lookups by id read each rule file once per process.
_ID_CACHE: dict[tuple[Path, int, int], str | None] = {}


def _peek_id(path: Path, limits: Limits) -> str | None:
    """The ``standard.id`` of a rule file, or None when it is not a usable rule file."""
    try:
        st = path.stat()
    except OSError:
        return None
    key = (path, st.st_size, st.st_mtime_ns)
    if key in _ID_CACHE:
        return _ID_CACHE[key]
    sid: str | None = None
    try:
        # Only the id is wanted: libyaml's safe loader, without positions, is ~10x faster.
        data = yaml.load(read_text(path, limits), Loader=_FAST_SAFE_LOADER)
    except (InputRejected, yaml.YAMLError, RecursionError, ValueError, LookupError, AttributeError, TypeError):
        # A file that is not a usable rule file is simply not indexed; PyYAML's constructor
        # raises ValueError for 2010-09-31 and Index/Key/AttributeError for bad tags.
        data = None
    if isinstance(data, dict) and isinstance(data.get("standard"), dict):
        found = data["standard"].get("id")
        sid = found if isinstance(found, str) else None
    if len(_ID_CACHE) > 10_000:
        _ID_CACHE.clear()
    _ID_CACHE[key] = sid
    return sid


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _as_parameter(v: Any) -> Parameter:
    return v if isinstance(v, Parameter) else Parameter(value=v)


_Slot = tuple[PathKey, str, Any, "list[str] | None"]
_DURATION_FIELDS = frozenset({"every", "over", "grace", "within"})
_SCALAR_FIELDS = frozenset({"equals", "one_of", "where", "left", "right"})


def _param_name(value: object) -> str | None:
    m = _PARAM_REF.match(value) if isinstance(value, str) else None
    return m.group(1) if m else None


def _walk_checks(check: Any, at: PathKey) -> Iterator[tuple[PathKey, Any]]:
    yield at, check
    if isinstance(check, AllCheck | AnyCheck):
        for i, child in enumerate(check.checks):
            yield from _walk_checks(child, (*at, "checks", i))
    elif isinstance(check, NotCheck | EachCheck):
        yield from _walk_checks(check.check, (*at, "check"))


def _criterion_checks(crit: Criterion) -> Iterator[tuple[PathKey, Any]]:
    """Every check of a criterion (its guard too), with its path inside the criterion."""
    yield from _walk_checks(crit.check, ("check",))
    if crit.applies_when is not None:
        yield from _walk_checks(crit.applies_when, ("applies_when",))


def _meets_ids(crit: Criterion) -> set[str]:
    return {c.standard for _, c in _criterion_checks(crit) if isinstance(c, MeetsCheck)}


def _slot_kind(kind: str, name: str) -> str | None:
    """What a field of a check takes: number, duration, grade, scalar (None: no $param)."""
    if name in ("min", "max"):
        return {"age": "duration", "grade": "grade"}.get(kind, "number")
    if name == "min_share":
        return "number"
    if name in _DURATION_FIELDS:
        return "duration"
    if name in _SCALAR_FIELDS:
        return "scalar"
    return None


def _criterion_slots(crit: Criterion) -> Iterator[_Slot]:
    """Every slot of a criterion that may hold a ``$parameter``: (path, kind, value, scale)."""
    if crit.fresh_within is not None:
        yield ("fresh_within",), "duration", crit.fresh_within, None
    if crit.deduct is not None:
        yield ("deduct", "per"), "number", crit.deduct.per, None
    if crit.remediation is not None and crit.remediation.within is not None:
        yield ("remediation", "within"), "duration", crit.remediation.within, None
    for sub, check in _criterion_checks(crit):
        scale = list(check.scale) if isinstance(check, GradeCheck) else None
        for name in type(check).model_fields:
            kind = _slot_kind(check.kind, name)
            value = getattr(check, name)
            if kind is None or value is None:
                continue
            if isinstance(value, list):
                for i, item in enumerate(value):
                    yield (*sub, name, i), kind, item, scale
            elif isinstance(value, dict):
                for key, item in value.items():
                    yield (*sub, name, str(key)), kind, item, scale
            else:
                yield (*sub, name), kind, value, scale


def _scoring_slots(scoring: Scoring) -> Iterator[_Slot]:
    if scoring.pass_mark is not None:
        yield ("pass_mark",), "number", scoring.pass_mark, None
    for i, grade in enumerate(scoring.grades):
        yield ("grades", i, "min"), "number", grade.min, None


def _misfit(kind: str, value: object, scale: list[str] | None) -> str | None:
    """What a slot needs, when ``value`` does not fit it (None when it fits)."""
    if kind == "number" and parse_bound(value) is None:
        return "a number or a percentage such as '75%'"
    if kind == "duration" and parse_duration(value) is None:
        return "an ISO 8601 duration such as 'P3M'"
    if kind == "grade" and scale is not None and str(value) not in scale:
        return f"a grade on the scale [{', '.join(scale)}]"
    return None


def _above(kind: str, lo: object, hi: object) -> bool:
    """True when ``lo`` is surely above ``hi``, so a check with these bounds never passes.

    Durations compare exactly when both are in days or both in months and years; mixed,
    ``lo`` must exceed ``hi`` even with the shortest months and the longest years.
    """
    if kind == "number":
        a, b = parse_bound(lo), parse_bound(hi)
        return a is not None and b is not None and a.q > b.q
    da, db = parse_duration(lo), parse_duration(hi)
    if da is None or db is None:
        return False
    if da.days == db.days == 0:
        return da.total_months() > db.total_months()
    if da.total_months() == db.total_months() == 0:
        return da.days > db.days
    shortest = da.years * 365 + da.months * 28 + da.days
    longest = db.years * 366 + db.months * 31 + db.days
    return shortest > longest


def _merge_parameters(base: Mapping[str, Parameter], own: Mapping[str, Scalar | Parameter]) -> dict[str, Parameter]:
    """The base's parameters with the profile's values; a bare value keeps the description.

    A profile that writes ``rate_min: 80%`` means "this value", not "forget what the
    parameter is": the base's description stays, and ``assumed`` is cleared because the
    profile's author chose the value.
    """
    out = dict(base)
    for name, value in own.items():
        if isinstance(value, Parameter):
            out[name] = value
        elif name in base:
            out[name] = base[name].model_copy(update={"value": value, "assumed": False})
        else:
            out[name] = Parameter(value=value)
    return out


def _salvage(located: Located, errors: Iterable[Mapping[str, Any]]) -> tuple[RuleFile, Located] | None:
    """The file without its invalid criteria, when only criteria are invalid (else None)."""
    data = located.data
    crits = data.get("criteria") if isinstance(data, dict) else None
    if not isinstance(crits, list):
        return None
    bad: set[int] = set()
    for err in errors:
        loc = tuple(err["loc"])
        if len(loc) < 2 or loc[0] != "criteria" or not isinstance(loc[1], int):
            return None
        bad.add(loc[1])
    keep = [i for i in range(len(crits)) if i not in bad]
    renumber = {old: new for new, old in enumerate(keep)}
    view = Located({**data, "criteria": [crits[i] for i in keep]}, located.file)
    for table, out in (
        (located.positions, view.positions),
        (located.key_positions, view.key_positions),
    ):
        for key, pos in table.items():
            if len(key) >= 2 and key[0] == "criteria" and isinstance(key[1], int):
                if key[1] not in renumber:
                    continue
                key = ("criteria", renumber[key[1]], *key[2:])
            out[key] = pos
    try:
        return RuleFile.model_validate(view.data), view
    except ValidationError:  # pragma: no cover - the kept criteria were valid on their own
        return None


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
        if isinstance(cur, dict):
            cur = cur.get(p)
        elif isinstance(cur, list) and isinstance(p, int) and 0 <= p < len(cur):
            cur = cur[p]
        else:
            cur = None
    if isinstance(cur, dict) and isinstance(cur.get("kind"), str) and cur["kind"] in CHECK_KINDS:
        return list(CHECK_KINDS[cur["kind"]].model_fields)
    if not path:
        return list(RuleFile.model_fields)
    if len(path) == 2 and path[0] == "override":
        return list(Criterion.model_fields)
    name = next((p for p in reversed(path) if isinstance(p, str)), "")
    model = _MODEL_AT.get(name)
    if model is not None:
        return list(model.model_fields)
    return []


_EXPECTED = {
    "float": "a number",
    "int": "a whole number",
    "bool": "true or false",
    "string": "text",
    "list": "a list",
    "dict": "a mapping",
    "model": "a mapping",
    "model_attributes": "a mapping",
    "date": "a date such as 2011-10-15",
}


def _describe(value: object) -> str:
    """A YAML value as a rule author wrote it, with its YAML type."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {value!r:.40}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing (null)" if value is None else repr(value)[:40]


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
    if "-" in typ:  # a model validator's own code (model._rule_error), naming the field
        field = ctx.get("field")
        if isinstance(field, str):
            path = (*path, field)
            line, col = located.where(path)
            where = dotted(path)
        return Problem(typ, str(err.get("msg", "")), located.file, line, col, where)
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
    if typ.endswith(("_type", "_parsing")) or typ == "model_attributes_type":
        got = err.get("input")
        want = _EXPECTED.get(typ.removesuffix("_parsing").removesuffix("_type"))
        name = next((str(p) for p in reversed(path) if isinstance(p, str)), "the value")
        msg = (
            f"{name} must be {want}, got {_describe(got)}"
            if want
            else f"{err.get('msg', 'wrong type')} (got {_describe(got)})"
        )
        return Problem("wrong-type", msg, located.file, line, col, where)
    if typ == "string_pattern_mismatch":
        got = err.get("input")
        allowed = "'.', '-' and '_'" if "_" in str(ctx.get("pattern", "")) else "'.' and '-'"
        return Problem(
            "invalid-value",
            f"{got!r} is not a valid id: use lower-case letters, digits, {allowed}, starting with a letter or digit",
            located.file,
            line,
            col,
            where,
        )
    if typ in ("greater_than_equal", "greater_than", "too_short"):
        return Problem(
            "invalid-value",
            str(err.get("msg", "invalid value")),
            located.file,
            line,
            col,
            where,
        )
    return Problem("invalid-value", str(err.get("msg", "invalid value")), located.file, line, col, where)
