"""The ``standards`` command line (SPEC §4).

``main`` parses, one ``cmd_*`` function per command runs and returns the exit code:
0 pass (or clean), 1 fail, 3 incomplete, 2 unusable input or usage, 4 internal error.
Reports go to stdout or ``-o``; diagnostics go to stderr; no traceback unless ``--debug``.
"""

from __future__ import annotations

import argparse
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
from .errors import RuleSetError, StandardsError, UsageError
from .report import RENDERERS, render
from .schemas import SCHEMA_NAMES, schema

__all__ = ["EXIT", "build_parser", "main"]

EXIT = {"pass": 0, "fail": 1, "usage": 2, "incomplete": 3, "internal": 4}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (kept apart from running, so it can be tested alone)."""
    p = argparse.ArgumentParser(prog="standards", description="Check evidence against a creation standard (创建标准).")
    p.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    c = sub.add_parser("check", help="evaluate evidence against a standard")
    c.add_argument("rules", help="rule file (YAML) or a bundled standard id")
    c.add_argument("evidence", nargs="+", help="evidence file(s), JSON or YAML")
    c.add_argument("-f", "--format", default="text", choices=sorted(RENDERERS), help="report format")
    c.add_argument("-o", "--output", help="write the report here instead of stdout")
    c.add_argument("--as-of", help="evaluation date (default: the record's as_of)")
    c.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="set a parameter")
    c.add_argument("--waivers", help="waiver file (YAML or JSON)")
    c.add_argument("--lang", default="zh", choices=["zh", "en"], help="report language")
    c.add_argument("--color", choices=["auto", "always", "never"], default="auto")

    lint = sub.add_parser("lint", help="check rule files; print file:line:col: code: message")
    lint.add_argument("rules", nargs="+")

    t = sub.add_parser("test", help="run *.cases.yaml golden cases")
    t.add_argument("paths", nargs="+", help="case files or directories (or a rule file with --cases)")
    t.add_argument("--cases", help="directory of case files to run against the given rule file")

    e = sub.add_parser("explain", help="what a criterion checks and which evidence it needs")
    e.add_argument("rules")
    e.add_argument("criterion", nargs="?")
    e.add_argument("--lang", default="zh", choices=["zh", "en"])

    tp = sub.add_parser("template", help="an evidence skeleton listing everything the rules read")
    tp.add_argument("rules")

    s = sub.add_parser("schema", help="print a JSON Schema")
    s.add_argument("name", choices=SCHEMA_NAMES)

    sub.add_parser("list", help="list bundled standards")
    return p


def _load(ref: str) -> Standard:
    path = Path(ref)
    if not path.exists() and not ref.endswith((".yaml", ".yml")):
        from ._api import load_bundled

        return load_bundled(ref)
    return load(path)


def _parameters(pairs: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set {pair!r}: expected NAME=VALUE", code="bad-set", expected="NAME=VALUE")
        v: Any = value.strip()
        try:
            v = json.loads(v) if v[:1] in "-0123456789tfn[{\"" and not v.endswith("%") else v
        except ValueError:
            pass
        out[name.strip()] = v
    return out


def _write(text: str, output: str | None, stdout: TextIO) -> None:
    if output is None:
        stdout.write(text)
        return
    target = Path(output)
    if not target.parent.exists():
        raise UsageError(f"cannot write {output}: directory {target.parent} does not exist",
                         code="bad-output", file=output)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Evaluate each evidence file; exit with the worst verdict."""
    std = _load(args.rules).with_parameters(_parameters(args.set))
    rank = {"pass": 0, "incomplete": 1, "fail": 2}
    worst = "pass"
    texts = []
    colour = args.color == "always" or (args.color == "auto" and out.isatty() and args.output is None)
    for ev in args.evidence:
        record = read_evidence(ev)
        report = std.evaluate(record, as_of=args.as_of, waivers=args.waivers)
        if args.format == "text":
            texts.append(render(report, "text", args.lang, colour=colour))
        else:
            texts.append(render(report, args.format, args.lang))
        worst = max(worst, report.verdict, key=rank.__getitem__)
    _write("".join(texts), args.output, out)
    return EXIT[worst]


def cmd_lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Load every rule file and print each problem as file:line:col: code: message."""
    problems = 0
    files: list[Path] = []
    for ref in args.rules:
        p = Path(ref)
        files += sorted(f for f in p.rglob("*.y*ml") if not f.name.endswith(".cases.yaml")) if p.is_dir() else [p]
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
    if not files:
        raise UsageError("no *.cases.yaml files found", code="no-cases", file=", ".join(args.paths))
    passed = failed = 0
    for f in files:
        for res in run_case_file(f, standard):
            if res.ok:
                passed += 1
                out.write(f"ok    {f}: {res.name}\n")
            else:
                failed += 1
                out.write(f"FAIL  {f}: {res.name}\n")
                for m in res.mismatches:
                    out.write(f"        {m}\n")
    out.write(f"{passed} passed, {failed} failed\n")
    return EXIT["fail"] if failed else 0


def cmd_explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Describe one criterion (or list them all) with the evidence each one reads."""
    std = _load(args.rules)
    crits = std.criteria
    if args.criterion:
        crits = tuple(c for c in crits if c.id == args.criterion)
        if not crits:
            import difflib

            close = difflib.get_close_matches(args.criterion, [c.id for c in std.criteria], n=1)
            raise UsageError(f"no criterion {args.criterion!r} in {std.id}", code="unknown-criterion",
                             hint=f"did you mean {close[0]!r}?" if close else None)
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


COMMANDS = {
    "check": cmd_check,
    "lint": cmd_lint,
    "test": cmd_test,
    "explain": cmd_explain,
    "template": cmd_template,
    "schema": cmd_schema,
    "list": cmd_list,
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
    try:
        return COMMANDS[args.command](args, out, err)
    except StandardsError as exc:
        if args.debug:
            raise
        err.write(f"standards: {exc}\n")
        return EXIT["usage"]
    except KeyboardInterrupt:
        err.write("standards: interrupted\n")
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        if args.debug:
            raise
        err.write(f"standards: internal error: {type(exc).__name__}: {exc} (run with --debug for a traceback)\n")
        return EXIT["internal"]
