"""Batch mode: ``standards check RULES --batch RECORDS.jsonl`` (SPEC §4) loses nothing.

One JSON record per input line in, one JSON result per input line out, in input order:

* every result line carries the input ``line`` number and the ``subject`` id; a line that
  cannot be used (not JSON, the wrong shape, too long) becomes an ``error`` line and the
  run goes on;
* memory stays flat: input is read one line at a time and at most ``jobs × 4`` chunks are
  in flight (``multiprocessing.Pool.imap`` would read the whole input ahead of the workers,
  so the ordered window is kept here with futures instead);
* each result line is written with one ``write`` system call on an unbuffered file, so an
  interruption (SIGINT, SIGTERM) leaves only complete lines; ``--resume`` reads them,
  drops a torn last line if some other crash left one, and goes on after the last line;
* ``jobs > 1`` runs the same per-line function in worker processes (each loads the
  standard once from its path and parameters) and writes results in input order, so the
  output is byte-identical to ``jobs = 1``.

Exit code: 4 if any line hit an internal error, else 2 if any line was unusable, else
the worst verdict (1 fail, 3 incomplete, 0 pass); 130 when interrupted.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, BinaryIO, TextIO

from ._api import Standard, load
from ._yaml import InputRejected, Limits, read_json_text
from .errors import StandardsError, UsageError
from .waivers import Waiver, load_waivers

__all__ = ["BatchOptions", "Tally", "process_line", "run_batch"]

#: (input line number, the result line with its newline, its kind: a verdict or
#: "error" / "internal", the criteria that did not pass)
Result = tuple[int, str, str, tuple[str, ...]]

_NOT_PASSED_OK = frozenset({"pass", "not_applicable", "waived"})
_RANK = {"pass": 0, "incomplete": 1, "fail": 2}
_EXIT = {"pass": 0, "fail": 1, "incomplete": 3}


@dataclass(frozen=True, slots=True)
class BatchOptions:
    """What every worker needs to evaluate a line the same way (it must pickle)."""

    rules: str
    parameters: dict[str, Any] = field(default_factory=dict)
    as_of: str | None = None
    waivers: str | None = None
    lang: str = "zh"
    full: bool = False
    max_line: int = Limits().max_bytes
    engine: str = "native"


# -- the per-line work (runs in the main process with jobs=1, in workers otherwise) ----------

_STATE: dict[str, Any] = {}


def init(opts: BatchOptions, worker: bool = False) -> None:
    """Load the standard (and waivers) once for this process."""
    if worker:
        # Ctrl-C reaches the whole process group; only the main process decides to stop.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    std = load(opts.rules).with_parameters(opts.parameters)
    waivers: tuple[Waiver, ...] = load_waivers(opts.waivers) if opts.waivers else ()
    _STATE.update(standard=std, waivers=waivers, opts=opts)


def _init_worker(opts: BatchOptions) -> None:
    init(opts, worker=True)


def _dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def _subject_of(data: Any) -> str | None:
    if isinstance(data, dict):
        subject = data.get("subject")
        sid = subject.get("id") if isinstance(subject, dict) else None
        if isinstance(sid, str):
            return sid
    return None


def _error(lineno: int, subject: str | None, code: str, message: str, **where: Any) -> Result:
    err: dict[str, Any] = {"code": code, "message": message}
    err.update({k: v for k, v in where.items() if v is not None})
    kind = "internal" if code == "internal-error" else "error"
    return lineno, _dumps({"line": lineno, "subject": subject, "error": err}), kind, ()


def process_line(lineno: int, raw: bytes | None) -> Result:
    """Evaluate one input line; never raises (a bad line becomes an error line)."""
    opts: BatchOptions = _STATE["opts"]
    std: Standard = _STATE["standard"]
    if raw is None:
        return _error(lineno, None, "line-too-long", f"line longer than {opts.max_line} bytes; skipped")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _error(lineno, None, "not-utf8", f"not UTF-8: {exc.reason}", column=exc.start + 1)
    text = text.rstrip("\r\n")
    if lineno == 1:
        text = text.removeprefix("\ufeff")
    try:
        data = read_json_text(text)
    except InputRejected as exc:
        pr = exc.problem
        return _error(lineno, None, pr.code, pr.message, column=pr.column)
    subject = _subject_of(data)
    try:
        report = std.evaluate(data, as_of=opts.as_of, waivers=_STATE["waivers"], engine=opts.engine)
    except StandardsError as exc:
        pr = exc.as_problem()
        message = pr.message + (f"; {pr.hint}" if pr.hint else "")
        return _error(lineno, subject, pr.code, message, path=pr.path)
    except Exception as exc:  # one bad record must not stop the other 99,999
        return _error(lineno, subject, "internal-error", f"{type(exc).__name__}: {exc}")
    subject = str(report.subject["id"])
    statuses = report.statuses
    not_passed = tuple(c for c, st in statuses.items() if st not in _NOT_PASSED_OK)
    if opts.full:
        line = {
            "line": lineno,
            "subject": subject,
            "verdict": report.verdict,
            "report": report.to_dict(opts.lang),
        }
    else:
        s = report.score
        line = {
            "line": lineno,
            "subject": subject,
            "verdict": report.verdict,
            "score": {
                "earned": s.earned,
                "possible": s.possible,
                "pass_mark": s.pass_mark,
                "grade": s.grade,
            },
            "counts": dict(s.counts),
            "deciding": list(report.deciding),
            "statuses": statuses,
            "remediation": len(report.remediation),
        }
    return lineno, _dumps(line), report.verdict, not_passed


def process_chunk(chunk: list[tuple[int, bytes | None]]) -> list[Result]:
    """Evaluate a chunk of lines in a worker."""
    return [process_line(n, raw) for n, raw in chunk]


# -- reading and writing ---------------------------------------------------------------------


def _lines(f: BinaryIO, limit: int, after: int, seen: list[int]) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) of every non-blank line after line ``after``; None if too long.

    ``seen[0]`` counts the physical lines read so far (to tell how far the input goes).
    """
    n = 0
    while True:
        raw = f.readline(limit + 1)
        if not raw:
            return
        n += 1
        seen[0] = n
        too_long = len(raw) > limit and not raw.endswith(b"\n")
        if too_long:
            while True:  # skip the rest of the line without holding it
                more = f.readline(1 << 20)
                if not more or more.endswith(b"\n"):
                    break
        if n <= after:
            continue
        if too_long:
            yield n, None
        elif raw.strip():
            yield n, raw


def _chunks(lines: Iterator[tuple[int, bytes | None]], size: int) -> Iterator[list[tuple[int, bytes | None]]]:
    chunk: list[tuple[int, bytes | None]] = []
    for item in lines:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _Sink:
    """Whole lines out: one ``write`` system call per line on an unbuffered descriptor."""

    def __init__(self, fd: int | None = None, stream: TextIO | None = None) -> None:
        self.fd = fd
        self.stream = stream
        self.lines = 0

    def write(self, text: str) -> None:
        if self.fd is None:
            assert self.stream is not None
            self.stream.write(text)
            self.stream.flush()
        else:
            view = memoryview(text.encode("utf-8"))
            while view:
                view = view[os.write(self.fd, view) :]
        self.lines += 1


@dataclass
class Tally:
    """Counts for the summary and the exit code."""

    lines: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    not_passed: Counter[str] = field(default_factory=Counter)
    first_error: str | None = None
    last_line: int = 0

    def add(self, lineno: int, kind: str, not_passed: tuple[str, ...], error: str | None) -> None:
        """Count one result line."""
        self.lines += 1
        self.last_line = lineno
        self.kinds[kind] += 1
        self.not_passed.update(not_passed)
        if error is not None and self.first_error is None:
            self.first_error = f"line {lineno}: {error}"

    def exit_code(self) -> int:
        """4 internal error, 2 unusable line, else the worst verdict."""
        if self.kinds["internal"]:
            return 4
        if self.kinds["error"]:
            return 2
        worst = max((v for v in _RANK if self.kinds[v]), key=_RANK.__getitem__, default="pass")
        return _EXIT[worst]


def _error_text(line: str) -> str:
    err = json.loads(line)["error"]
    where = f" (at {err['path']})" if err.get("path") else ""
    return f"{err['code']}: {err['message']}{where}"


def _scan_output(path: Path, full: bool, tally: Tally, err: TextIO) -> int:
    """Count the complete result lines of an earlier run; drop a torn last line.

    Returns the input line number of the last result (0 when there is none).
    """
    if not path.exists():
        return 0
    good_end = 0
    with path.open("r+b") as f:
        for k, raw in enumerate(f, 1):
            if not raw.endswith(b"\n"):
                break
            try:
                obj = json.loads(raw)
                lineno = obj["line"]
                if not isinstance(lineno, int) or lineno <= tally.last_line:
                    raise ValueError("line numbers must increase")
            except (ValueError, KeyError, TypeError) as exc:
                raise UsageError(
                    f"cannot resume: line {k} of {path} is not a batch result line ({exc})",
                    code="bad-resume",
                    file=str(path),
                    line=k,
                ) from None
            if "error" in obj:
                kind = "internal" if obj["error"].get("code") == "internal-error" else "error"
                tally.add(lineno, kind, (), _error_text(raw.decode("utf-8")))
            else:
                if ("report" in obj) != full:
                    flag = "with" if "report" in obj else "without"
                    raise UsageError(
                        f"cannot resume: {path} was written {flag} --full",
                        code="bad-resume",
                        file=str(path),
                        hint=f"run again {flag} --full",
                    )
                statuses = {f["criterion"]: f["status"] for f in obj["report"]["findings"]} if full else obj["statuses"]
                bad = tuple(c for c, st in statuses.items() if st not in _NOT_PASSED_OK)
                tally.add(lineno, obj["verdict"], bad, None)
            good_end += len(raw)
        size = f.seek(0, os.SEEK_END)
        if size > good_end:
            err.write(
                f"standards: {path}: dropping an incomplete last line ({size - good_end} bytes) before resuming\n"
            )
            f.truncate(good_end)
    return tally.last_line


class _Progress:
    """A one-line progress bar on a terminal (stderr), redrawn at most five times a second."""

    def __init__(self, err: TextIO, total: int | None, enabled: bool) -> None:
        self.err = err
        self.total = total
        self.enabled = enabled
        self.start = time.monotonic()
        self.last = 0.0
        self.done = 0

    def update(self, lineno: int, done: int, force: bool = False) -> None:
        self.done = done
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.2:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-9)
        if self.total:
            frac = min(1.0, lineno / self.total)
            bar = "#" * int(frac * 30)
            eta = (self.total - lineno) / rate if rate > 0 else 0.0
            text = (
                f"[{bar:<30}] {frac:4.0%} {lineno}/{self.total} lines  {rate:,.0f}/s  "
                f"ETA {int(eta) // 60}m{int(eta) % 60:02d}s"
            )
        else:
            text = f"{lineno} lines  {rate:,.0f}/s"
        self.err.write("\r" + text + "\x1b[K")
        self.err.flush()

    def close(self) -> None:
        if self.enabled:
            self.err.write("\r\x1b[K")
            self.err.flush()


def _count_lines(path: Path) -> int | None:
    try:
        n = 0
        last = b"\n"
        with path.open("rb") as f:
            while block := f.read(1 << 20):
                n += block.count(b"\n")
                last = block[-1:]
        return n + (last != b"\n")
    except OSError:
        return None


class _Stop:
    """SIGINT / SIGTERM: finish the line in hand, then stop (a second Ctrl-C stops at once)."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is not None:
            raise KeyboardInterrupt
        self.signum = signum


def _summary(tally: Tally, err: TextIO, elapsed: float, new: int, jobs: int, target: str) -> None:
    rate = new / elapsed if elapsed > 0 else 0.0
    err.write(
        f"standards batch: {tally.lines} result line(s) in {target}; this run evaluated {new} "
        f"in {elapsed:.1f} s ({rate:,.0f} records/s, jobs {jobs})\n"
    )
    rows = [(k, tally.kinds[k]) for k in ("pass", "fail", "incomplete", "error", "internal")]
    width = max(len(k) for k, _ in rows)
    err.write(f"  {'verdict':<{width}}  lines\n")
    for k, n in rows:
        if k == "internal" and not n:
            continue
        err.write(f"  {k:<{width}}  {n:>5}\n")
    if tally.first_error:
        err.write(f"  first error: {tally.first_error}\n")
    if tally.not_passed:
        err.write("  criteria most often not passed:\n")
        top = tally.not_passed.most_common(5)
        cw = max(len(c) for c, _ in top)
        for c, n in top:
            err.write(f"    {c:<{cw}}  {n:>5}\n")


def run_batch(
    opts: BatchOptions,
    source: str,
    output: str | None,
    out: TextIO,
    err: TextIO,
    jobs: int = 1,
    resume: bool = False,
    chunk_size: int = 16,
    progress: bool | None = None,
    quiet: bool = False,
) -> int:
    """Evaluate every line of ``source`` and write one result line each; return the exit code."""
    started = time.monotonic()
    if source != "-" and not Path(source).is_file():
        what = "no such file" if not Path(source).exists() else "not a file"
        raise UsageError(f"{source}: {what}", code="file-not-found", file=source)
    if resume and output is None:
        raise UsageError("--resume needs -o RESULTS.jsonl", code="bad-resume")
    if output is not None and not Path(output).parent.exists():
        raise UsageError(
            f"cannot write {output}: directory {Path(output).parent} does not exist",
            code="bad-output",
            file=output,
        )
    if output is not None and source != "-" and Path(output).exists() and Path(output).samefile(source):
        raise UsageError(f"-o {output} is the input file", code="bad-output", file=output)
    jobs = jobs if jobs > 0 else (os.cpu_count() or 1)
    tally = Tally()
    after = _scan_output(Path(output), opts.full, tally, err) if resume and output else 0
    already = tally.lines

    init(opts)  # fails here, with a clear message, before any output is touched
    show = err.isatty() if progress is None else progress
    total = _count_lines(Path(source)) if show and source != "-" else None
    bar = _Progress(err, total, show)

    fd: int | None = None
    if output is not None:
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if resume else os.O_TRUNC)
        try:
            fd = os.open(output, flags, 0o644)
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror}", code="bad-output", file=output) from None
        sink = _Sink(fd=fd)
    else:
        out.flush()
        try:
            sink = _Sink(fd=out.fileno())
        except (AttributeError, OSError, ValueError):
            sink = _Sink(stream=out)

    stop = _Stop()
    old: dict[int, Any] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):  # not the main thread: no signal handling
            old[sig] = signal.signal(sig, stop)

    def emit(result: Result) -> None:
        lineno, line, kind, not_passed = result
        sink.write(line)
        tally.add(lineno, kind, not_passed, _error_text(line) if kind in ("error", "internal") else None)
        bar.update(lineno, tally.lines - already)

    seen = [0]
    worker_died: str | None = None
    source_file: BinaryIO = sys.stdin.buffer if source == "-" else open(source, "rb")  # noqa: SIM115
    broken_pipe = False
    try:
        lines = _lines(source_file, opts.max_line, after, seen)
        if jobs == 1:
            for n, raw in lines:
                if stop.signum is not None:
                    break
                emit(process_line(n, raw))
        else:
            _run_parallel(opts, lines, jobs, chunk_size, stop, emit)
    except KeyboardInterrupt:
        stop.signum = int(signal.SIGINT)
    except BrokenPipeError:
        broken_pipe = True
    except BrokenProcessPool as exc:
        worker_died = str(exc) or "a worker process died"
    finally:
        for signum, handler in old.items():
            signal.signal(signum, handler)
        if source != "-":
            source_file.close()
        if fd is not None:
            os.close(fd)
        bar.close()

    target = output or "stdout"
    new = tally.lines - already
    if broken_pipe:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        err.write(f"standards: output closed after {tally.lines} line(s) (input line {tally.last_line})\n")
        return 141
    if worker_died is not None:
        err.write(
            f"standards: {worker_died} after input line {tally.last_line}: {target} holds "
            f"{tally.lines} complete result line(s)"
            + ("; run the same command with --resume to continue\n" if output else "\n")
        )
        return 4
    if stop.signum is not None:
        name = signal.Signals(stop.signum).name
        err.write(
            f"standards: interrupted ({name}) after input line {tally.last_line}: {target} holds "
            f"{tally.lines} complete result line(s)"
            + ("; run the same command with --resume to continue\n" if output else "\n")
        )
        if not quiet:
            _summary(tally, err, time.monotonic() - started, new, jobs, target)
        return 130
    if resume and seen[0] < after:
        raise UsageError(
            f"cannot resume: {output} has results up to input line {after}, but {source} has only {seen[0]} line(s)",
            code="bad-resume",
            file=output,
        )
    if not quiet:
        if already:
            err.write(f"standards: resumed after input line {after} ({already} line(s) kept)\n")
        _summary(tally, err, time.monotonic() - started, new, jobs, target)
    return tally.exit_code()


def _run_parallel(
    opts: BatchOptions,
    lines: Iterator[tuple[int, bytes | None]],
    jobs: int,
    chunk_size: int,
    stop: _Stop,
    emit: Callable[[Result], None],
) -> None:
    """Chunks to worker processes, results back in input order, a bounded window in flight."""
    import multiprocessing
    import threading

    # fork starts workers fastest; it is only safe while this process has a single thread.
    single = threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if single else "spawn")
    pool = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker, initargs=(opts,))
    pending: deque[Future[list[Result]]] = deque()
    chunks = _chunks(lines, chunk_size)
    window = jobs * 4
    try:
        exhausted = False
        while True:
            while not exhausted and stop.signum is None and len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                else:
                    pending.append(pool.submit(process_chunk, chunk))
            if not pending:
                break
            if stop.signum is not None:
                # Keep what is already done, in order; drop the rest.
                while pending and pending[0].done() and not pending[0].cancelled():
                    for result in pending.popleft().result():
                        emit(result)
                break
            for result in pending.popleft().result():
                emit(result)
    finally:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
