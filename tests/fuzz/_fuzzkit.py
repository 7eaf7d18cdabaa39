"""What every fuzz target shares: the bounds, the allowed outcomes, the value strategies.

The contract under test (docs/security.md): for any input the library returns a result
or raises a documented error (a subclass of :class:`standards.StandardsError`); it never
raises anything else, never runs longer than :data:`TIME_BOUND` seconds and never holds
more than :data:`MEMORY_BOUND` bytes at its peak for one input. The CLI exits with a code
in {0, 1, 2, 3} and never prints a traceback.
"""

from __future__ import annotations

import signal
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from hypothesis import strategies as st

import standards
from standards import StandardsError

__all__ = [
    "EXIT_CODES",
    "MEMORY_BOUND",
    "TIME_BOUND",
    "Hang",
    "bounded_call",
    "json_scalars",
    "json_values",
    "mutate",
    "outcome",
    "paths_in",
    "tricky_text",
]

#: CPU seconds one example may take (a hard stop by SIGPROF, then an assertion).
TIME_BOUND = 2.0
#: Peak bytes (tracemalloc) one example may allocate.
MEMORY_BOUND = 50 * 1024 * 1024
#: Exit codes the CLI may return for any input: pass, fail, unusable input/usage, incomplete.
EXIT_CODES = frozenset({0, 1, 2, 3})

T = TypeVar("T")


class Hang(BaseException):  # a BaseException: no `except Exception` in the library swallows it
    """Raised by the alarm inside a call that ran past the time bound."""


def _alarm(signum: int, frame: Any) -> None:
    raise Hang(f"one example ran past the {TIME_BOUND}s bound (signal {signum})")


#: Wall-clock seconds after which a call that is blocked (not computing) is stopped.
WALL_BOUND = 30.0
#: How much slower a call runs while tracemalloc traces it (the CPU bound of the traced run).
TRACE_SLOWDOWN = 6


@contextmanager
def _stop_after(cpu_seconds: float) -> Iterator[None]:
    """Raise Hang in the call after ``cpu_seconds`` of CPU time, or WALL_BOUND of waiting.

    CPU time, not wall time, is what is bounded: the machine running the tests may be busy
    with other work, and that must not fail an example (nor let a loop hide behind it).
    """
    old_prof = signal.signal(signal.SIGPROF, _alarm)
    old_alrm = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    signal.setitimer(signal.ITIMER_REAL, WALL_BOUND)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGPROF, old_prof)
        signal.signal(signal.SIGALRM, old_alrm)


def bounded_call(fn: Callable[[], T], what: str = "example") -> T:
    """``fn()`` once timed (≤ TIME_BOUND s of CPU, a hard stop), once traced (peak ≤ MEMORY_BOUND).

    Two runs, because tracemalloc slows allocation-heavy code (the YAML parser) several
    times: the time bound is measured on the untraced run, the memory bound on the traced
    one (which only has a hang guard). The calls under test are pure functions of their
    input, so both runs do the same work.
    """
    start = time.process_time()
    with _stop_after(TIME_BOUND):
        fn_result = _run(fn)
    elapsed = time.process_time() - start
    assert elapsed < TIME_BOUND, f"{what} took {elapsed:.2f}s of CPU (bound {TIME_BOUND}s)"
    was_tracing = tracemalloc.is_tracing()
    if was_tracing:
        tracemalloc.reset_peak()
    else:
        tracemalloc.start()
    try:
        with _stop_after(TIME_BOUND * TRACE_SLOWDOWN):
            _run(fn)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        if not was_tracing:
            tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"{what} peaked at {peak / 2**20:.1f} MiB (bound {MEMORY_BOUND / 2**20:.0f} MiB)"
    if isinstance(fn_result, _Raised):
        raise fn_result.exc
    return fn_result


class _Raised:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def _run(fn: Callable[[], T]) -> T | _Raised:
    try:
        return fn()
    except StandardsError as exc:
        return _Raised(exc)


def outcome(fn: Callable[[], T]) -> T | StandardsError:
    """Run ``fn`` within the bounds: its result, or the documented error it raised.

    Any other exception propagates (the fuzz target fails and Hypothesis shrinks it). A
    documented error must also print: code, message and location are part of it.
    """
    try:
        return bounded_call(fn)
    except StandardsError as exc:
        assert isinstance(exc.code, str) and exc.code, repr(exc)
        assert str(exc)
        return exc


# -- values ------------------------------------------------------------------------------------

#: Strings that mean something to some part of the checker (numbers, dates, durations,
#: blanks, grades, parameter references, paths) or to a parser.
TRICKY: tuple[str, ...] = (
    "",
    " ",
    "__",
    "XX",
    "xx",
    "＿＿",
    "N/A",
    "无",
    "约七成",
    "0",
    "1",
    "-1",
    "0.5",
    "75%",
    "75 %",
    " 75 % ",
    "７５％",
    "75％",
    "120%",
    "-5%",
    "1,000",
    "1,5",
    "１，０００",
    "1e400",
    "-1e400",
    "1e-400",
    "1_000",
    "١٢",
    "NaN",
    "Infinity",
    "inf",
    "0x1F",
    "017",
    "1:30",
    "2011-06-02",
    "2011-06",
    "2010-09-31",
    "2011-13-01",
    "0001-01-01",
    "9999-12-31",
    "2011-06-02T10:00:00+08:00",
    "P1Y",
    "P3M",
    "P7D",
    "P0D",
    "P",
    "P9999999Y",
    "A",
    "B",
    "C",
    "D",
    "优秀",
    "达标",
    "$knowledge_rate_min",
    "$",
    "$nope",
    "a.b",
    ".",
    "..",
    "a..b",
    "{observed}",
    "{",
    "%s",
    "\x00",
    "\ud800",
    "village",
    "community",
    "town",
    "school",
)
tricky_text = st.sampled_from(TRICKY)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, -1, 2, 100, 10**15, 2**53 + 1, 10**308, -(10**308)]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0.1, 0.2, 0.3, 0.1 + 0.2, 0.7, 0.97, 1.2, 5e-324, 1.7976931348623157e308, -0.0]),
    st.text(max_size=12),
    tricky_text,
)

#: Any JSON value, small (arbitrary nesting of lists and objects over the scalars).
json_values: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(
                st.text(max_size=6),
                tricky_text,
                st.sampled_from(["id", "kind", "type", "date", "value", "period", "subject"]),
            ),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=10,
)


def paths_in(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a node of a JSON value (the root is ``()``), in document order."""
    out = [here]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(paths_in(v, (*here, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(paths_in(v, (*here, i)))
    return out


def _set(root: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = root
    for p in path[:-1]:
        parent = parent[p]
    parent[path[-1]] = value
    return root


def _delete(root: Any, path: tuple[Any, ...]) -> Any:
    if not path:
        return root
    parent = root
    for p in path[:-1]:
        parent = parent[p]
    del parent[path[-1]]
    return root


@st.composite
def mutate(draw: st.DrawFn, base: Any, times: int = 3, keep_root: bool = True) -> Any:
    """``base`` (a JSON value, copied) with 1..times leaves or subtrees replaced, deleted or added."""
    import copy

    value = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, times))):
        paths = paths_in(value)
        if keep_root and len(paths) > 1:
            paths = paths[1:]
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace" or (action == "delete" and not path):
            value = _set(value, path, draw(json_values))
        elif action == "delete":
            value = _delete(value, path)
        else:
            target = value
            for p in path:
                target = target[p]
            if isinstance(target, dict):
                target[draw(st.one_of(st.text(max_size=6), tricky_text))] = draw(json_values)
            elif isinstance(target, list):
                target.insert(draw(st.integers(0, len(target))), draw(json_values))
            else:
                value = _set(value, path, draw(json_values))
    return value


BUNDLED = standards.bundled()
