"""The public façade: load a standard once, evaluate many records (SPEC §5).

A :class:`Standard` is immutable and safe to share between threads: its compiled
closures hold no per-record state, and the only mutable thing — a cache of compilations
for other parameter values — is guarded by a lock.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ._compiler import Compiled, compile_standard
from ._evaluator import Decision, decide, evaluate
from ._loader import Loader, Resolved, bundled_dir
from ._values import parse_date
from ._yaml import InputRejected, Limits, Located, read_json_text, read_text, read_yaml_text
from .checks._base import FAIL, MISSING_EVIDENCE, PASS
from .errors import EvidenceError, Problem, RuleSetError, UsageError
from .evidence import Evidence
from .model import Criterion
from .results import Report
from .waivers import Waiver, load_waivers, parse_waivers

__all__ = ["Limits", "Standard", "bundled", "load", "load_bundled", "read_evidence"]

EvidenceLike = Evidence | Mapping[str, Any] | str | Path
WaiversLike = Sequence[Waiver] | Sequence[Mapping[str, Any]] | str | Path | None
_VERDICT_STATUS = {"pass": PASS, "fail": FAIL, "incomplete": MISSING_EVIDENCE}


def read_evidence(source: EvidenceLike, limits: Limits | None = None) -> Evidence:
    """An Evidence record from a dict, an Evidence, or a JSON/YAML file path.

    Files and dicts alike are held to ``limits`` (default :class:`Limits`): size, depth,
    string and list lengths, number of values; duplicate keys, NaN/Infinity and numbers
    no float can hold are refused. Each breach is an EvidenceError with its own code
    (``too-large``, ``too-deep``, …) naming the file, line and column or JSON path.
    """
    if isinstance(source, Evidence):
        return source
    if limits is None and isinstance(source, dict):
        return Evidence.from_data(source)  # the default limits (the per-record hot path)
    lim = limits or Limits()
    if isinstance(source, str | Path):
        p = Path(source)
        try:
            text = read_text(p, lim)
            data = (
                read_yaml_text(text, str(p), lim).data
                if p.suffix in (".yaml", ".yml")
                # Evidence.from_data walks the record for the limits: once is enough.
                else read_json_text(text, str(p), lim, walk=False)
            )
        except InputRejected as exc:
            pr = exc.problem
            raise EvidenceError(
                pr.message, code=pr.code, file=pr.file, line=pr.line, column=pr.column, path=pr.path, hint=pr.hint
            ) from None
        try:
            return Evidence.from_data(data, limits=lim, owned=True)
        except EvidenceError as exc:
            exc.file = str(p)
            raise
    return Evidence.from_data(source, limits=lim)


def _as_of(value: date | str | None, record: Evidence) -> date:
    if value is None:
        if record.as_of is None:
            raise EvidenceError(
                "no as_of: give it in the record or as an argument",
                code="missing-as-of",
                path="$.as_of",
                expected="a date such as 2011-10-16",
            )
        return record.as_of
    if isinstance(value, date):
        return value
    span = parse_date(value)
    if span is None or not span.is_day:
        raise UsageError(f"as_of {value!r} is not a date", code="bad-as-of", expected="YYYY-MM-DD")
    return span.first


def _waivers(waivers: WaiversLike) -> tuple[Waiver, ...]:
    if waivers is None:
        return ()
    if isinstance(waivers, str | Path):
        return load_waivers(waivers)
    return parse_waivers(list(waivers))


class Standard:
    """A loaded, compiled standard. Build it with :func:`load` or :func:`load_bundled`."""

    def __init__(
        self, resolved: Resolved, compiled: Compiled, deps: Mapping[str, Standard]
    ) -> None:
        self._resolved = resolved
        self._compiled = compiled
        self._deps = dict(deps)
        self._variants: dict[str, Standard] = {}
        self._lock = threading.Lock()

    # -- what it is ------------------------------------------------------------------------
    @property
    def id(self) -> str:
        """The standard's id (``gd.health-village``)."""
        return self._resolved.header.id

    @property
    def title(self) -> str:
        """The standard's title."""
        return self._resolved.header.title

    @property
    def version(self) -> str:
        """The standard's version."""
        return self._resolved.header.version

    @property
    def path(self) -> str:
        """The rule file it was loaded from."""
        return self._resolved.path

    @property
    def header(self) -> Any:
        """The ``standard:`` block of the rule file."""
        return self._resolved.header

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """The criteria after ``extends`` is applied, in order."""
        return tuple(self._resolved.criteria)

    @property
    def categories(self) -> tuple[Any, ...]:
        """The categories after ``extends`` is applied."""
        return tuple(self._resolved.categories)

    @property
    def parameters(self) -> dict[str, Any]:
        """Parameter values in force for this compilation."""
        return dict(self._compiled.parameters)

    @property
    def parameter_specs(self) -> dict[str, Any]:
        """Parameters with their descriptions and ``assumed`` flags."""
        return dict(self._resolved.parameters)

    @property
    def scoring(self) -> Any:
        """The scoring block in force."""
        return self._resolved.scoring

    @property
    def files(self) -> tuple[tuple[str, str], ...]:
        """(path, sha256) of every rule file this standard was built from."""
        return tuple(self._resolved.files)

    @property
    def dependencies(self) -> dict[str, Standard]:
        """Standards this one refers to with ``meets``."""
        return dict(self._deps)

    def __repr__(self) -> str:
        return f"<Standard {self.id} v{self.version}: {len(self._compiled.criteria)} criteria>"

    # -- parameters --------------------------------------------------------------------------
    def with_parameters(self, values: Mapping[str, Any] | None = None) -> Standard:
        """The same standard compiled with other parameter values (cached per value set)."""
        if not values:
            return self
        # A canonical text key: values may be lists or objects (unhashable), and 1 vs "1" differ.
        key = json.dumps(sorted((k.removeprefix("$"), v) for k, v in values.items()), default=repr,
                         ensure_ascii=False)
        with self._lock:
            hit = self._variants.get(key)
            if hit is None:
                merged = {
                    **self._compiled.parameters,
                    **{k.removeprefix("$"): v for k, v in values.items()},
                }
                compiled = compile_standard(self._resolved, merged, self._deps)
                hit = Standard(self._resolved, compiled, self._deps)
                if len(self._variants) < 64:
                    self._variants[key] = hit
            return hit

    # -- evaluating ----------------------------------------------------------------------------
    def evaluate(
        self,
        evidence: EvidenceLike,
        as_of: date | str | None = None,
        parameters: Mapping[str, Any] | None = None,
        waivers: WaiversLike = None,
        engine: str = "native",
    ) -> Report:
        """Evaluate one record: findings, score, verdict, 整改清单 (a pure function)."""
        std = self.with_parameters(parameters)
        # A report works details out when they are read, and keeps values it read: it must
        # own them, so the parts of a caller's record the standard reads are copied (their
        # containers) — changing the record later changes no report.
        record = read_evidence(evidence).snapshot(std._compiled.reads)
        day, active = _as_of(as_of, record), _waivers(waivers)
        if engine == "native":
            return evaluate(std._compiled, record, day, active)
        if engine == "durable":
            # Imported here: the rest of the library never depends on durable_rules.
            from .engines import durable

            report: Report = durable.evaluate(std, record, day, active)
            return report
        raise UsageError(f"unknown engine {engine!r}", code="unknown-engine", expected="native or durable")

    @property
    def compiled(self) -> Compiled:
        """The compiled form (for engines and tools inside the library)."""
        return self._compiled

    def decide(
        self,
        evidence: EvidenceLike,
        as_of: date | str | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> Decision:
        """Verdict and statuses only, without explanations or remediation (the fast path)."""
        std = self.with_parameters(parameters)
        record = read_evidence(evidence)
        return decide(std._compiled, record, _as_of(as_of, record))

    def evaluate_many(
        self,
        records: Iterable[EvidenceLike],
        jobs: int = 1,
        **kwargs: Any,
    ) -> Iterator[Report]:
        """Evaluate records in order; ``jobs > 1`` spreads them over processes."""
        if jobs <= 1:
            for record in records:
                yield self.evaluate(record, **kwargs)
            return
        from concurrent.futures import ProcessPoolExecutor

        from ._parallel import init_worker, work

        with ProcessPoolExecutor(
            jobs, initializer=init_worker, initargs=(self.path, self.parameters, kwargs)
        ) as pool:
            yield from pool.map(
                work, (r if not isinstance(r, Evidence) else r.raw for r in records), chunksize=64
            )

    def judge_unit(self, unit: Evidence, as_of: date, detail: bool) -> tuple[str, list[str]]:
        """A sub-unit's verdict as a status, with its failing or undecided criteria (``meets``)."""
        d = decide(self._compiled, unit, as_of)
        why = [
            cid
            for cid, st in d.statuses.items()
            if st != PASS and st in (FAIL, MISSING_EVIDENCE, "invalid_evidence")
        ]
        status = _VERDICT_STATUS[d.verdict]
        if status == MISSING_EVIDENCE and any(
            d.statuses.get(c) == "invalid_evidence" for c in d.deciding
        ):
            status = "invalid_evidence"
        return status, why


def load(
    path: str | Path, search_path: Iterable[str | Path] = (), limits: Limits | None = None
) -> Standard:
    """Load and compile a rule file; raise RuleSetError listing every problem found.

    Every file read (the rule file, what it extends, the standards its ``meets`` name) is
    held to ``limits`` (default :class:`Limits`); a breach is a located problem with the
    limit's code (``too-large``, ``too-many-nodes``, ``too-deep``, ``string-too-long``,
    ``list-too-long``, ``too-many-criteria``).
    """
    loader = _LimitedLoader(search_path, limits)
    resolved = loader.load(path)
    _check_criteria_count(resolved, loader.limits, set())
    return _build(resolved, {})


class _LimitedLoader(Loader):
    """The loader, refusing a file with more criteria than ``max_criteria`` before validating them."""

    def read(self, path: Path) -> Located | None:
        located = super().read(path)
        if located is None or not isinstance(located.data, dict):
            return located
        criteria = located.data.get("criteria")
        cap = self.limits.max_criteria
        if isinstance(criteria, list) and len(criteria) > cap:
            line, column = located.where(("criteria", cap))
            self.add(
                Problem(
                    "too-many-criteria",
                    f"the file has {len(criteria)} criteria; the limit is {cap} (Limits.max_criteria)",
                    str(path),
                    line,
                    column,
                    f"criteria[{cap}]",
                )
            )
            return None
        return located


def _check_criteria_count(res: Resolved, limits: Limits, seen: set[int]) -> None:
    """``max_criteria`` over a standard after ``extends`` (and over the standards it meets)."""
    if id(res) in seen:
        return
    seen.add(id(res))
    cap = limits.max_criteria
    if len(res.criteria) > cap:
        extra = res.criteria[cap]
        file, line, column = res.where.get(extra.id, (res.path, None, None))
        raise RuleSetError(
            [
                Problem(
                    "too-many-criteria",
                    f"{res.header.id} has {len(res.criteria)} criteria with what it extends; "
                    f"the limit is {cap} (Limits.max_criteria)",
                    file,
                    line,
                    column,
                )
            ]
        )
    for dep in res.meets.values():
        _check_criteria_count(dep, limits, seen)


def _build(res: Resolved, cache: dict[str, Standard]) -> Standard:
    deps: dict[str, Standard] = {}
    for sid, dep in res.meets.items():
        if sid not in cache:
            cache[sid] = _build(dep, cache)
        deps[sid] = cache[sid]
    compiled = compile_standard(res, {}, deps)
    return Standard(res, compiled, deps)


def bundled() -> list[tuple[str, str, Path]]:
    """(id, title, path) of every bundled standard, sorted by id."""
    loader = Loader()
    out = []
    for sid, path in sorted(loader.index().items()):
        data = read_yaml_text(read_text(path, Limits()), str(path)).data
        out.append((sid, str(data["standard"].get("title", "")), path))
    return out


def load_bundled(standard_id: str) -> Standard:
    """Load a bundled standard by id."""
    for sid, _, path in bundled():
        if sid == standard_id:
            return load(path)
    import difflib

    ids = [sid for sid, _, _ in bundled()]
    close = difflib.get_close_matches(standard_id, ids, n=1)
    raise UsageError(
        f"no bundled standard {standard_id!r}",
        code="unknown-standard",
        expected="one of " + ", ".join(ids),
        hint=f"did you mean {close[0]!r}?" if close else None,
    )


_ = bundled_dir
