"""The ``standards`` command line (SPEC §4; user guide: docs/cli.md).

``main`` parses, one ``cmd_*`` function per command runs and returns the exit code:
0 pass (or clean), 1 fail, 3 incomplete, 2 unusable input or usage, 4 internal error,
130 interrupted. Reports go to stdout or ``-o``; diagnostics go to stderr; no traceback
unless ``--debug``. Batch mode (``check --batch``) lives in ``_batch.py``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from ._api import Standard, bundled, load, read_evidence
from ._cases import find_case_files, run_case_file
from ._compiler import fact_paths
from ._loader import Loader
from ._values import parse_date
from .errors import RuleSetError, StandardsError, UsageError
from .report import RENDERERS, render_many
from .report.text import want_colour
from .schemas import SCHEMA_NAMES, schema
from .waivers import load_waivers

__all__ = ["EXIT", "build_parser", "main"]

EXIT = {"pass": 0, "fail": 1, "usage": 2, "incomplete": 3, "internal": 4}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (kept apart from running, so it can be tested alone)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks for errors")
    p = argparse.ArgumentParser(
        prog="standards",
        description="Check evidence against a creation standard (创建标准).",
        epilog="exit codes: 0 pass, 1 fail, 3 incomplete, 2 unusable input or usage, 4 internal error",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser(
        "check",
        parents=[common],
        help="evaluate evidence against a standard",
        description="Evaluate one or more evidence files (or, with --batch, a JSON Lines file of records).",
    )
    c.add_argument("rules", help="rule file (YAML) or a bundled standard id")
    c.add_argument("evidence", nargs="*", help="evidence file(s), JSON or YAML")
    c.add_argument("-f", "--format", choices=sorted(RENDERERS), help="report format (default: text)")
    c.add_argument("-o", "--output", help="write the report (or the batch results) here instead of stdout")
    c.add_argument("--as-of", help="evaluation date YYYY-MM-DD (default: each record's as_of)")
    c.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="set a parameter")
    c.add_argument("--waivers", help="waiver file (YAML or JSON)")
    c.add_argument("--lang", default="zh", choices=["zh", "en"], help="report language")
    c.add_argument("--engine", default="native", choices=["native", "durable"],
                   help="evaluation engine (durable: the durable_rules cross-check; see docs/engines.md)")
    c.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="colour the text report")
    b = c.add_argument_group("batch mode")
    b.add_argument("--batch", metavar="RECORDS.jsonl", help="one evidence record per line ('-' for stdin)")
    b.add_argument("--jobs", type=int, default=1, metavar="N", help="worker processes (0: one per CPU)")
    b.add_argument("--resume", action="store_true", help="continue after the last complete line of -o")
    b.add_argument("--full", action="store_true", help="write the full JSON report on each line")
    b.add_argument("--chunk-size", type=int, default=16, metavar="N", help=argparse.SUPPRESS)
    b.add_argument("--progress", choices=["auto", "always", "never"], default="auto", help=argparse.SUPPRESS)
    b.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")

    lint = sub.add_parser("lint", parents=[common], help="check rule files; print file:line:col: code: message")
    lint.add_argument("rules", nargs="+", help="rule files or directories")

    t = sub.add_parser("test", parents=[common], help="run *.cases.yaml golden cases")
    t.add_argument("paths", nargs="+", help="case files or directories (or a rule file with --cases)")
    t.add_argument("--cases", help="directory of case files to run against the given rule file")
    t.add_argument("--properties", action="store_true",
                   help="also run the invariant suite (Hypothesis) on each rule file given")
    t.add_argument("--examples", type=int, default=30, metavar="N", help="examples per property (default 30)")

    e = sub.add_parser("explain", parents=[common], help="what a criterion checks and which evidence it needs")
    e.add_argument("rules")
    e.add_argument("criterion", nargs="?")
    e.add_argument("--lang", default="zh", choices=["zh", "en"])

    tp = sub.add_parser("template", parents=[common], help="an evidence skeleton listing everything the rules read")
    tp.add_argument("rules")

    s = sub.add_parser("schema", parents=[common], help="print a JSON Schema")
    s.add_argument("name", choices=SCHEMA_NAMES)

    sub.add_parser("list", parents=[common], help="list bundled standards")

    d = sub.add_parser("docs", parents=[common], help="write a Markdown reference page per standard")
    d.add_argument("rules", nargs="+", help="rule files, directories or bundled standard ids")
    d.add_argument("-o", "--output", required=True, metavar="DIR", help="directory for <standard-id>.md")
    d.add_argument("--check", action="store_true", help="write nothing; exit 1 listing pages that differ")
    return p


def _load(ref: str) -> Standard:
    """A rule file, or a bundled standard by id."""
    path = Path(ref)
    if not path.exists() and not ref.endswith((".yaml", ".yml")):
        index = Loader().index()  # peeks at ids only: quicker than bundled()
        if ref in index:
            return load(index[ref])
        import difflib

        close = difflib.get_close_matches(ref, list(index), n=1)
        raise UsageError(
            f"{ref}: no such file, and no bundled standard with that id",
            code="unknown-standard",
            expected="a rule file or one of " + ", ".join(sorted(index)),
            hint=f"did you mean {close[0]!r}?" if close else None,
        )
    return load(path)


def _parameters(pairs: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set {pair!r}: expected NAME=VALUE", code="bad-set", expected="NAME=VALUE")
        v: Any = value.strip()
        with contextlib.suppress(ValueError, RecursionError):
            v = json.loads(v) if v[:1] in '-0123456789tfn[{"' and not v.endswith("%") else v
        out[name.strip()] = v
    return out


def _write(text: str, output: str | None, stdout: TextIO) -> None:
    if output is None:
        stdout.write(text)
        return
    target = Path(output)
    if not target.parent.exists():
        raise UsageError(
            f"cannot write {output}: directory {target.parent} does not exist", code="bad-output", file=output
        )
    if target.is_dir():
        raise UsageError(f"cannot write {output}: it is a directory", code="bad-output", file=output)
    if target.exists() and not target.is_file():  # /dev/stdout, a named pipe: write straight in
        with target.open("w", encoding="utf-8", newline="") as f:
            f.write(text)
        return
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"cannot write {output}: {exc.strerror}", code="bad-output", file=output) from None


def _check_as_of(value: str | None) -> None:
    if value is None:
        return
    span = parse_date(value)
    if span is None or not span.is_day:
        raise UsageError(f"--as-of {value!r} is not a date", code="bad-as-of", expected="YYYY-MM-DD")


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Evaluate each evidence file (exit with the worst verdict), or a batch of records."""
    if args.batch is not None:
        return _check_batch(args, out, err)
    if not args.evidence:
        raise UsageError(
            "check needs EVIDENCE file(s) or --batch RECORDS.jsonl",
            code="usage",
            expected="standards check RULES EVIDENCE... or standards check RULES --batch FILE",
        )
    for flag, given in (("--jobs", args.jobs != 1), ("--resume", args.resume), ("--full", args.full)):
        if given:
            raise UsageError(f"{flag} only works with --batch", code="usage")
    _check_as_of(args.as_of)
    std = _load(args.rules).with_parameters(_parameters(args.set))
    waivers = load_waivers(args.waivers) if args.waivers else None
    rank = {"pass": 0, "incomplete": 1, "fail": 2}
    reports = [
        std.evaluate(read_evidence(ev), as_of=args.as_of, waivers=waivers, engine=args.engine) for ev in args.evidence
    ]
    worst = max((r.verdict for r in reports), key=rank.__getitem__)
    fmt = args.format or "text"
    if fmt == "text":
        colour = args.output is None and want_colour(out, args.color)
        text = render_many(reports, "text", args.lang, colour=colour)
    else:
        text = render_many(reports, fmt, args.lang)
    _write(text, args.output, out)
    return EXIT[worst]


def _check_batch(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from ._batch import BatchOptions, run_batch

    if args.evidence:
        raise UsageError("give EVIDENCE files or --batch, not both", code="usage")
    if args.format not in (None, "json"):
        raise UsageError(
            f"--batch writes JSON Lines; -f {args.format} does not apply",
            code="usage",
            hint="use --full for the whole JSON report on each line",
        )
    if args.jobs < 0:
        raise UsageError(f"--jobs {args.jobs}: expected 0 (one per CPU) or more", code="usage")
    if args.chunk_size < 1:
        raise UsageError(f"--chunk-size {args.chunk_size}: expected 1 or more", code="usage")
    _check_as_of(args.as_of)
    parameters = _parameters(args.set)
    std = _load(args.rules).with_parameters(parameters)  # unknown parameters fail here, once
    if args.waivers:
        load_waivers(args.waivers)
    opts = BatchOptions(
        rules=std.path,
        parameters=parameters,
        as_of=args.as_of,
        waivers=args.waivers,
        lang=args.lang,
        full=args.full,
        engine=args.engine,
    )
    progress = None if args.progress == "auto" else args.progress == "always"
    return run_batch(
        opts,
        args.batch,
        args.output,
        out,
        err,
        jobs=args.jobs,
        resume=args.resume,
        chunk_size=args.chunk_size,
        progress=progress,
        quiet=args.quiet,
    )


def _rule_files(refs: Sequence[str]) -> list[Path]:
    files: list[Path] = []
    for ref in refs:
        p = Path(ref)
        if p.is_dir():
            files += sorted(f for f in p.rglob("*.y*ml") if not f.name.endswith(".cases.yaml"))
        else:
            files.append(p)
    return files


def cmd_lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Load every rule file and print each problem as file:line:col: code: message."""
    problems = 0
    files = _rule_files(args.rules)
    for f in files:
        try:
            load(f)
        except RuleSetError as exc:
            for pr in exc.problems:
                out.write(str(pr) + "\n")
                problems += 1
    err.write(f"{len(files)} file(s), {problems} problem(s)\n")
    return EXIT["usage"] if problems else 0


def cmd_test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run golden cases; any mismatch fails the run."""
    paths = [Path(p) for p in args.paths]
    standard = None
    if args.cases:
        standard = _load(args.paths[0])
        paths = [Path(args.cases)]
    files = find_case_files(paths)
    rule_files = [p for p in paths if p.suffix in (".yaml", ".yml") and not p.name.endswith(".cases.yaml")]
    if args.properties and not rule_files:
        raise UsageError("--properties needs rule files to test", code="no-rules", expected="RULES.yaml")
    if not files and not args.properties:
        raise UsageError("no *.cases.yaml files found", code="no-cases", file=", ".join(args.paths))
    passed = failed = 0
    if args.properties:
        passed, failed = _run_properties(rule_files, args.examples, out)
    for f in files:
        for res in run_case_file(f, standard):
            ok = _result_line(out, res.ok, f"{f}: {res.name}", res.mismatches)
            passed, failed = passed + ok, failed + (not ok)
    out.write(f"{passed} passed, {failed} failed\n")
    return EXIT["fail"] if failed else 0


def _run_properties(rule_files: list[Path], examples: int, out: TextIO) -> tuple[int, int]:
    """Run the invariant suite on each rule file; print one line per property."""
    try:
        from .testing.invariants import run_properties
    except ImportError as exc:  # Hypothesis is in the `testing` extra
        raise UsageError(f"--properties needs Hypothesis: {exc}", code="missing-extra",
                         expected="pip install 'standards[testing]'") from None
    passed = failed = 0
    for path in rule_files:
        std = _load(str(path))
        for res in run_properties(std, examples):
            details = [res.message]
            if res.example is not None:
                details.append("counter-example: " + json.dumps(res.example, ensure_ascii=False))
            ok = _result_line(out, res.ok, f"{std.id}: property {res.name}", details)
            passed, failed = passed + ok, failed + (not ok)
    return passed, failed


def _result_line(out: TextIO, ok: bool, label: str, details: list[str]) -> bool:
    """One ``ok``/``FAIL`` line (the runner-style lines CI reads), details indented under a FAIL."""
    out.write(f"{'ok  ' if ok else 'FAIL'}  {label}\n")
    if not ok:
        out.writelines(f"        {d}\n" for d in details)
    return ok


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Describe one criterion (or list them all) with the evidence each one reads."""
    std = _load(args.rules)
    crits = std.criteria
    if args.criterion:
        crits = tuple(c for c in crits if c.id == args.criterion)
        if not crits:
            import difflib

            close = difflib.get_close_matches(args.criterion, [c.id for c in std.criteria], n=1)
            raise UsageError(
                f"no criterion {args.criterion!r} in {std.id}",
                code="unknown-criterion",
                hint=f"did you mean {close[0]!r}?" if close else None,
            )
    for c in crits:
        flag = " [必备]" if c.mandatory else ""
        out.write(f"{c.id}  {c.title}{flag}\n")
        out.write(f"    category: {c.category}   points: {c.points:g}   check: {c.check.kind}\n")
        spec = c.check.model_dump(exclude_none=True)
        out.write("    rule: " + json.dumps(spec, ensure_ascii=False) + "\n")
        reads = list(fact_paths(c.check))
        if reads:
            out.write("    reads facts: " + ", ".join(reads) + "\n")
        if c.remediation and c.remediation.evidence:
            out.write("    evidence to supply: " + "、".join(c.remediation.evidence) + "\n")
        if c.source:
            out.write(f"    source: {c.source}\n")
    return 0


def _collect(check: Any, acc: dict[str, Any], title: str) -> None:
    kind = check.kind
    for p in fact_paths(check):
        acc["facts"].setdefault(p, title)
    if kind == "periodic":
        acc["events"].setdefault(check.event, title)
    if kind == "exists" and check.document:
        acc["documents"].setdefault(check.document, title)
    if kind in ("each", "meets"):
        acc["units"].setdefault(check.units or "(any)", title)
    for child in getattr(check, "checks", None) or ():
        _collect(child, acc, title)
    inner = getattr(check, "check", None)
    if inner is not None:
        _collect(inner, acc, title)


def cmd_template(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print an evidence skeleton: every fact path, event, document and unit list read."""
    std = _load(args.rules)
    acc: dict[str, Any] = {"facts": {}, "events": {}, "documents": {}, "units": {}}
    for c in std.criteria:
        _collect(c.check, acc, c.title)
        if c.applies_when is not None:
            _collect(c.applies_when, acc, c.title)
    facts: dict[str, Any] = {}
    for path in acc["facts"]:
        node = facts
        keys = path.split(".")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = None
    skeleton = {
        "subject": {"id": "", "name": "", "kind": (std.header.applies_to or ["village"])[0]},
        "as_of": "YYYY-MM-DD",
        "facts": facts,
        "events": [{"type": t, "date": "YYYY-MM-DD", "x-hint": h} for t, h in acc["events"].items()],
        "documents": [{"kind": k, "title": "", "date": "YYYY-MM-DD", "x-hint": h} for k, h in acc["documents"].items()],
        "units": [{"subject": {"id": "", "kind": k}, "facts": {}, "x-hint": h} for k, h in acc["units"].items()],
        "x-hints": {p: h for p, h in acc["facts"].items()},
    }
    out.write(json.dumps(skeleton, ensure_ascii=False, indent=2) + "\n")
    return 0


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print a JSON Schema."""
    out.write(json.dumps(schema(args.name), ensure_ascii=False, indent=2) + "\n")
    return 0


def cmd_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """List the bundled standards."""
    for sid, title, path in bundled():
        out.write(f"{sid}\t{title}\t{path.name}\n")
    return 0


def cmd_docs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Write DIR/<standard-id>.md for each standard; with --check, list the stale pages."""
    from ._docgen import render_standard_doc

    standards: list[Standard] = []
    for ref in args.rules:
        p = Path(ref)
        if p.is_dir():
            standards += [load(f) for f in _rule_files([ref])]
        else:
            standards.append(_load(ref))
    target = Path(args.output)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is not a directory", code="bad-output", file=str(target))
    stale = []
    for std in standards:
        page = target / f"{std.id}.md"
        text = render_standard_doc(std)
        current = page.read_text(encoding="utf-8") if page.is_file() else None
        if current == text:
            continue
        if args.check:
            stale.append(page)
            out.write(f"{page}: {'missing' if current is None else 'differs'}\n")
        else:
            target.mkdir(parents=True, exist_ok=True)
            _write(text, str(page), out)
            err.write(f"wrote {page}\n")
    if args.check:
        err.write(f"{len(standards)} page(s), {len(stale)} out of date\n")
        return EXIT["fail"] if stale else 0
    return 0


COMMANDS = {
    "check": cmd_check,
    "lint": cmd_lint,
    "test": cmd_test,
    "explain": cmd_explain,
    "template": cmd_template,
    "schema": cmd_schema,
    "list": cmd_list,
    "docs": cmd_docs,
}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one command; return its exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else EXIT["usage"]
    debug = bool(getattr(args, "debug", False))
    try:
        return COMMANDS[args.command](args, out, err)
    except StandardsError as exc:
        if debug:
            raise
        err.write(f"standards: {str(exc).removeprefix('<input>: ')}\n")
        return EXIT["usage"]
    except KeyboardInterrupt:
        err.write("standards: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (``standards … | head``): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except Exception as exc:  # the last line of defence: no traceback for users
        if debug:
            raise
        err.write(f"standards: internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)\n")
        return EXIT["internal"]
