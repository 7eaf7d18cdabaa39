"""Fuzz the command line in-process: arbitrary arguments and file contents.

``standards.cli.main(argv, out=, err=)`` must return 0, 1, 2 or 3 (never 4, "internal
error") and never print a traceback, whatever the arguments and whatever the files they
name contain. Files live in a fresh directory; ``-o`` only ever points inside it.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

from _fuzzkit import EXIT_CODES, bounded_call, json_values, mutate, tricky_text
from _rules import dump, mutated_rules, workdir, yamlish_text
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from standards import cli

ROOT = Path(__file__).resolve().parents[2]
HOUHUAN = json.loads((ROOT / "fixtures" / "guangdong" / "houhuan.json").read_text(encoding="utf-8"))
GD_RULES = (ROOT / "rules" / "guangdong" / "health-village.yaml").read_text(encoding="utf-8")

#: Names the argument list may use; each becomes a real file (or directory) below.
FILES = ["rules.yaml", "evidence.json", "evidence.yaml", "batch.jsonl", "waivers.yaml", "cases.cases.yaml", "dir"]

rule_texts = st.one_of(st.just(GD_RULES), mutated_rules().map(dump), yamlish_text)
evidence_texts = st.one_of(
    st.just(json.dumps(HOUHUAN, ensure_ascii=False)),
    mutate(HOUHUAN, times=3).map(lambda r: json.dumps(r, ensure_ascii=False)),
    json_values.map(json.dumps),
    yamlish_text,
)
batch_texts = st.lists(
    st.one_of(evidence_texts.map(lambda t: t.replace("\n", " ")), st.text(max_size=10)), max_size=4
).map("\n".join)
waiver_texts = st.one_of(
    st.builds(
        lambda c, j, u: dump([{"criterion": c, "justification": j, "until": u}]),
        st.one_of(st.sampled_from(["edu.board", "env.toilets", "nope"]), tricky_text),
        st.one_of(st.just("已批准"), tricky_text),
        st.one_of(st.just("2012-01-01"), tricky_text),
    ),
    json_values.map(dump),
    yamlish_text,
)

COMMANDS = ["check", "lint", "template", "explain", "schema", "list", "test", "docs", "nope"]
FLAGS = [
    "-f",
    "--format",
    "-o",
    "--output",
    "--as-of",
    "--set",
    "--waivers",
    "--lang",
    "--color",
    "--batch",
    "--jobs",
    "--resume",
    "--full",
    "-q",
    "--cases",
    "--check",
    "--help",
    "-h",
    "--",
    "-",
]
VALUES = [
    "text",
    "json",
    "markdown",
    "html",
    "csv",
    "junit",
    "zh",
    "en",
    "fr",
    "auto",
    "always",
    "never",
    "rules",
    "evidence",
    "report",
    "gd.health-village",
    "cn.health-village-base",
    "gd.health-villag",
    "1",
    "0",
    "-1",
    "edu.board",
    "knowledge_rate_min=80%",
    "knowledge_rate_min=[[[[",
    "x=1e400",
    "=",
    "a=",
    "2011-10-16",
]


@st.composite
def argv(draw: st.DrawFn, here: Path) -> list[str]:
    def word() -> st.SearchStrategy[str]:
        return st.one_of(
            st.sampled_from(FILES).map(lambda f: str(here / f)),
            st.sampled_from(FLAGS),
            st.sampled_from(VALUES),
            tricky_text.filter(lambda t: "\x00" not in t and "\ud800" not in t),
            st.just(str(here / "out.txt")),
            st.just(str(here / "missing.json")),
        )

    command = draw(st.sampled_from(COMMANDS))
    rest = draw(st.lists(word(), max_size=7))
    # "-o" must write inside the work directory: whatever follows it is made a path there.
    fixed: list[str] = []
    for i, w in enumerate(rest):
        if i > 0 and rest[i - 1] in ("-o", "--output") and not w.startswith(str(here)):
            w = str(here / "out.txt")
        fixed.append(w)
    if fixed and fixed[-1] in ("-o", "--output"):
        fixed.append(str(here / "out.txt"))
    # "--batch -" reads stdin; "--jobs" other than 1 starts processes: keep the run in-process.
    fixed = [str(here / "batch.jsonl") if w == "-" else w for w in fixed]
    fixed = ["1" if i > 0 and fixed[i - 1] == "--jobs" else w for i, w in enumerate(fixed)]
    return [command, *fixed]


def run_cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    # argparse writes usage errors and --help to sys.stderr / sys.stdout: capture those too.
    sys_out, sys_err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(sys_out), contextlib.redirect_stderr(sys_err):
        code = cli.main(args, out=out, err=err)
    return code, out.getvalue() + sys_out.getvalue(), err.getvalue() + sys_err.getvalue()


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data(), rules=rule_texts, evidence=evidence_texts, batch=batch_texts, waivers=waiver_texts)
def test_cli_with_arbitrary_arguments_and_files(data: Any, rules: str, evidence: str, batch: str, waivers: str) -> None:
    with workdir() as here:
        contents = {
            "rules.yaml": rules,
            "evidence.json": evidence,
            "evidence.yaml": evidence,
            "batch.jsonl": batch,
            "waivers.yaml": waivers,
            "cases.cases.yaml": dump(
                {"standard": "gd.health-village", "cases": [{"name": "x", "evidence": "evidence.json"}]}
            ),
        }
        for name, text in contents.items():
            (here / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        (here / "dir").mkdir()
        args = data.draw(argv(here))
        code, out, err = bounded_call(lambda: run_cli(args), what=f"standards {' '.join(args)}")
        assert code in EXIT_CODES, f"exit {code} for {args}:\n{err}"
        assert "Traceback" not in err and "Traceback" not in out, err
        if code == 2 and err:
            assert err.strip(), args
