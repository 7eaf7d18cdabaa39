"""Strategies for rule files: YAML-ish text, and bundled rule files with subtrees replaced."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from _fuzzkit import BUNDLED, json_values, mutate, tricky_text
from hypothesis import strategies as st

KINDS = [
    "value",
    "ratio",
    "count",
    "exists",
    "absent",
    "periodic",
    "age",
    "grade",
    "compare",
    "trend",
    "each",
    "meets",
    "all",
    "any",
    "not",
    "nope",
]
FIELDS = [
    "path",
    "min",
    "max",
    "equals",
    "one_of",
    "numerator",
    "denominator",
    "where",
    "document",
    "within",
    "event",
    "every",
    "over",
    "grace",
    "scale",
    "left",
    "op",
    "right",
    "direction",
    "last",
    "units",
    "check",
    "checks",
    "min_share",
    "standard",
    "unit",
    "title",
]
OPS = ["<", "<=", "==", "!=", ">=", ">", "=>", ""]


def _checks(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    slot = st.one_of(tricky_text, json_values, st.sampled_from(OPS), inner, st.lists(inner, max_size=3))
    return st.builds(
        lambda kind, extra: {"kind": kind, **extra},
        st.sampled_from(KINDS),
        st.dictionaries(st.sampled_from(FIELDS), slot, max_size=5),
    )


#: Check specs of every kind with arbitrary (often nonsensical) fields, nested.
check_specs: st.SearchStrategy[Any] = st.recursive(
    st.sampled_from([{"kind": "exists", "path": "a"}]), _checks, max_leaves=6
)

#: What may replace a subtree of a rule file: any JSON value, or something rule-shaped.
rule_values = st.one_of(json_values, check_specs, tricky_text)


def _rule_data() -> dict[str, Any]:
    """Each bundled rule file's data, cut to its first criteria (a quick load, every shape kept)."""
    out = {}
    for sid, _, path in BUNDLED:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        if isinstance(data.get("criteria"), list):
            data["criteria"] = data["criteria"][:8]
        out[sid] = data
    return out


RULE_DATA = _rule_data()


@st.composite
def mutated_rules(draw: st.DrawFn) -> dict[str, Any]:
    """A bundled rule file's data with 1-3 subtrees replaced, deleted or added."""
    sid = draw(st.sampled_from(sorted(RULE_DATA)))
    base = RULE_DATA[sid]
    value = draw(mutate(base, times=3))
    # Aim some mutations at the checks, where most of the logic is.
    crits = value.get("criteria") if isinstance(value, dict) else None
    if isinstance(crits, list) and crits and draw(st.booleans()):
        i = draw(st.integers(0, len(crits) - 1))
        if isinstance(crits[i], dict):
            crits[i]["check"] = draw(check_specs)
    return value


YAML_TOKENS = st.sampled_from(
    [
        "standard:",
        " id: t.x",
        " title: 标题",
        "criteria:",
        "categories:",
        "parameters:",
        "scoring:",
        "extends:",
        "  - ",
        "- ",
        "id: c1",
        "category: c",
        "points: 1",
        "check:",
        " kind: value",
        " path: a",
        " min: 75%",
        "{",
        "}",
        "[",
        "]",
        ",",
        ": ",
        ":",
        "\n",
        "\n  ",
        "\n    ",
        "  ",
        "\t",
        "#",
        "'",
        '"',
        "|",
        ">",
        "---",
        "...",
        "&a ",
        "*a",
        "&b ",
        "*b",
        "? ",
        "<<: *a",
        "!!str ",
        "!!int ",
        "!!float ",
        "!!python/object:os.system ",
        "!local ",
        "%YAML 1.1\n",
        "%TAG ! tag:x,2000:\n",
        "~",
        "null",
        "yes",
        "No",
        "1e400",
        ".inf",
        ".nan",
        "2010-09-31",
        "2011-06-02",
        "0x1F",
        "1_000",
        "017",
        "8:30",
        "$p",
        "P1Y",
        "\\u0000",
        "\x00",
        "\ufeff",
        "\u2028",
    ]
)

#: Text that looks like YAML: structural tokens, rule-file words and arbitrary characters.
yamlish_text = st.lists(st.one_of(YAML_TOKENS, st.text(max_size=4)), max_size=60).map("".join)


@contextmanager
def workdir() -> Iterator[Path]:
    """A fresh directory two levels below an empty one (the loader looks at parents)."""
    with tempfile.TemporaryDirectory() as d:
        here = Path(d) / "a" / "b"
        here.mkdir(parents=True)
        yield here


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
