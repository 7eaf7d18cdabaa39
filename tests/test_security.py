"""Untrusted rule files and evidence (docs/security.md): nothing executes, everything is bounded.

Each limit of :class:`standards._yaml.Limits` is exercised at its default and at a
configured value, for rule files (``standards.load(..., limits=)``) and for evidence given
as a file or as a dict (``standards.read_evidence(..., limits=)``); each breach has its own
error code. Hostile YAML (object tags, "billion laughs", deep nesting) is refused quickly,
and a scan of the source proves there is no eval/exec/pickle/unsafe YAML anywhere.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

import standards
from standards import EvidenceError, RuleSetError, StandardsError
from standards._api import Limits
from standards._yaml import LIMIT_CODES

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "standards"
HOUHUAN = ROOT / "fixtures" / "guangdong" / "houhuan.json"

HEAD = """\
standard: {id: t.security, title: 安全测试}
categories:
  - {id: c, title: 类别}
criteria:
  - id: c.one
    category: c
    title: 一项
    points: 1
    check: {kind: value, path: a, min: 1}
"""


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load_error(path: Path, limits: Limits | None = None) -> RuleSetError:
    with pytest.raises(RuleSetError) as info:
        standards.load(path, limits=limits)
    return info.value


def codes(err: RuleSetError) -> list[str]:
    return [p.code for p in err.problems]


def evidence_error(source: Any, limits: Limits | None = None) -> EvidenceError:
    with pytest.raises(EvidenceError) as info:
        standards.read_evidence(source, limits=limits)
    return info.value


def record(**facts: Any) -> dict[str, Any]:
    return {"subject": {"id": "v1", "kind": "village"}, "as_of": "2011-10-16", "facts": facts}


# -- 1. no code execution ------------------------------------------------------------------

DANGEROUS_TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/object:builtins.dict {{}}",
    "!!python/name:os.system ''",
    "!!python/module:os ''",
    "!!python/tuple [1, 2]",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
    "!!binary aGVsbG8=",
    "!!set {{a: null}}",
    "!!omap [a: 1]",
    "!custom 1",
]


@pytest.mark.parametrize("tagged", DANGEROUS_TAGS)
def test_object_tags_are_refused_in_rule_files_and_never_run(tmp_path: Path, tagged: str) -> None:
    marker = tmp_path / "pwned"
    path = write(tmp_path, HEAD + f"extra: {tagged.format(marker=marker)}\n")
    err = load_error(path)
    assert codes(err) == ["yaml-tag"], str(err)
    assert "not allowed" in err.problems[0].message and err.problems[0].line == 10
    assert not marker.exists()


@pytest.mark.parametrize("tagged", DANGEROUS_TAGS)
def test_object_tags_are_refused_in_evidence_and_never_run(tmp_path: Path, tagged: str) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evidence.yaml"
    path.write_text(f"subject: {{id: v1}}\nfacts:\n  a: {tagged.format(marker=marker)}\n", encoding="utf-8")
    err = evidence_error(path)
    assert err.code == "yaml-tag" and (err.file, err.line) == (str(path), 3)
    assert not marker.exists()


def test_a_tagged_mapping_key_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "? !!python/object/apply:os.getcwd []\n: 1\n")
    assert codes(load_error(path)) == ["yaml-tag"]


def _calls(tree: ast.AST) -> list[tuple[str, ast.Call]]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name):
                out.append((f.id, node))
            elif isinstance(f, ast.Attribute):
                base = f.value.id if isinstance(f.value, ast.Name) else "?"
                out.append((f"{base}.{f.attr}", node))
    return out


FORBIDDEN_CALLS = {
    "eval",
    "exec",
    "compile",
    "__import__",
    "pickle.loads",
    "pickle.load",
    "marshal.loads",
    "marshal.load",
    "yaml.unsafe_load",
    "yaml.full_load",
    "yaml.unsafe_load_all",
    "yaml.full_load_all",
    "os.system",
    "os.popen",
}


def test_the_package_never_evaluates_code_or_loads_unsafely() -> None:
    """A grep (and an AST walk, which comments and strings cannot fool) of every module."""
    files = sorted(SRC.rglob("*.py"))
    assert len(files) > 20
    grep = re.compile(r"(?<![\w.])(eval|exec)\(|pickle\.loads?\(|marshal\.loads?\(|yaml\.(unsafe_|full_)load")
    found = []
    for f in files:
        text = f.read_text(encoding="utf-8")
        for i, line in enumerate(text.splitlines(), 1):
            if grep.search(line):
                found.append(f"{f.relative_to(ROOT)}:{i}: {line.strip()}")
            # yaml.load( is only allowed with a safe loader named on the same line.
            if re.search(r"\byaml\.load(_all)?\(", line) and "SafeLoader" not in line and "SAFE" not in line:
                found.append(f"{f.relative_to(ROOT)}:{i}: {line.strip()}")
        for name, call in _calls(ast.parse(text)):
            if name in FORBIDDEN_CALLS:
                found.append(f"{f.relative_to(ROOT)}:{call.lineno}: call to {name}")
            if name in ("yaml.load", "yaml.load_all"):
                loader = next((k.value for k in call.keywords if k.arg == "Loader"), None)
                named = ast.unparse(loader) if loader is not None else ""
                if "Safe" not in named and "SAFE" not in named:
                    found.append(f"{f.relative_to(ROOT)}:{call.lineno}: yaml.load without a safe Loader")
    assert found == [], "\n".join(found)


def test_the_scan_itself_catches_what_it_looks_for() -> None:
    bad = "x = eval('1')\nimport pickle\npickle.loads(b'')\nimport yaml\nyaml.load('a', Loader=yaml.Loader)\n"
    names = {n for n, _ in _calls(ast.parse(bad))}
    assert {"eval", "pickle.loads", "yaml.load"} <= names


# -- 2. alias expansion ----------------------------------------------------------------------


def billion_laughs(levels: int = 9, fan: int = 9) -> str:
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * fan) + "]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_rule_file_is_refused_quickly_naming_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + billion_laughs())
    start = time.perf_counter()
    err = load_error(path)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"took {elapsed:.2f}s"
    assert codes(err) == ["too-many-nodes"]
    assert "max_nodes" in err.problems[0].message and "200000" in err.problems[0].message
    assert err.problems[0].line is not None


def test_billion_laughs_evidence_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "evidence.yaml"
    path.write_text("subject: {id: v1}\nfacts:\n" + textwrap.indent(billion_laughs(), "  "), encoding="utf-8")
    start = time.perf_counter()
    err = evidence_error(path)
    assert time.perf_counter() - start < 1.0
    assert err.code == "too-many-nodes" and "Limits.max_nodes" in err.message


def test_a_python_level_billion_laughs_dict_is_refused_quickly() -> None:
    lol: Any = ["lol"] * 10
    for _ in range(8):
        lol = [lol] * 10  # 10**9 leaves, a few hundred objects
    start = time.perf_counter()
    err = evidence_error(record(lol=lol))
    assert time.perf_counter() - start < 1.0
    assert err.code == "too-many-nodes"


def test_modest_aliases_still_work(tmp_path: Path) -> None:
    path = tmp_path / "evidence.yaml"
    path.write_text("subject: {id: v1}\nfacts:\n  a: &n [1, 2]\n  b: *n\n  c: *n\n", encoding="utf-8")
    ev = standards.read_evidence(path)
    assert ev.facts == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}


def test_a_self_referencing_alias_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD + "loop: &a [*a]\n")
    assert codes(load_error(path)) == ["yaml-syntax"]


# -- 3. each limit, default and configured ----------------------------------------------------


def test_every_limit_has_a_default_and_a_code() -> None:
    lim = Limits()
    assert {f: getattr(lim, f) for f in LIMIT_CODES} == {
        "max_bytes": 10 * 1024 * 1024,
        "max_nodes": 200_000,
        "max_depth": 64,
        "max_string": 100_000,
        "max_items": 50_000,
        "max_criteria": 2_000,
    }
    assert len(set(LIMIT_CODES.values())) == len(LIMIT_CODES)


@pytest.mark.parametrize("bad", [0, -1, True, 1.5, "10"])
def test_a_limit_must_be_a_positive_whole_number(bad: Any) -> None:
    with pytest.raises(standards.UsageError) as info:
        Limits(max_depth=bad)
    assert info.value.code == "bad-limit" and "max_depth" in info.value.message


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# (limit field, small value, a YAML value within it, a YAML value beyond it)
YAML_CASES = [
    ("max_bytes", 2000, "x", "x" * 2500),
    ("max_nodes", 60, "[1, 2, 3]", "[" + ", ".join(["1"] * 60) + "]"),
    ("max_depth", 5, nested(2), nested(6)),
    ("max_string", 50, "x" * 50, "x" * 51),
    ("max_items", 10, "[" + ", ".join(["1"] * 10) + "]", "[" + ", ".join(["1"] * 11) + "]"),
]


@pytest.mark.parametrize(("name", "value", "ok", "bad"), YAML_CASES, ids=[c[0] for c in YAML_CASES])
def test_each_limit_on_rule_files(tmp_path: Path, name: str, value: int, ok: str, bad: str) -> None:
    limits = Limits(**{name: value})
    good = write(tmp_path, HEAD + f"x-note: {ok}\n", "good.yaml")
    with pytest.raises(RuleSetError) as info:  # the file loads past the limit: only x-note is unknown
        standards.load(good, limits=limits)
    assert LIMIT_CODES[name] not in codes(info.value)
    broken = write(tmp_path, HEAD + f"x-note: {bad}\n", "bad.yaml")
    err = load_error(broken, limits)
    assert codes(err) == [LIMIT_CODES[name]], str(err)
    p = err.problems[0]
    assert f"Limits.{name}" in p.message and str(value) in p.message
    assert p.file == str(broken)
    if name != "max_bytes":
        assert p.line == 10  # located at the offending value
    # The default is far above these: the same file loads as far as the unknown field.
    assert LIMIT_CODES[name] not in codes(load_error(broken))


@pytest.mark.parametrize(("name", "value", "ok", "bad"), YAML_CASES, ids=[c[0] for c in YAML_CASES])
def test_each_limit_on_evidence_files(tmp_path: Path, name: str, value: int, ok: str, bad: str) -> None:
    limits = Limits(**{name: value})
    for suffix, dump in ((".yaml", None), (".json", json.dumps)):
        good = tmp_path / f"good{suffix}"
        broken = tmp_path / f"bad{suffix}"
        if dump is None:
            good.write_text(f"subject: {{id: v1}}\nfacts:\n  a: {ok}\n", encoding="utf-8")
            broken.write_text(f"subject: {{id: v1}}\nfacts:\n  a: {bad}\n", encoding="utf-8")
        else:
            good.write_text(json.dumps({"subject": {"id": "v1"}, "facts": {"a": yaml.safe_load(ok)}}))
            broken.write_text(json.dumps({"subject": {"id": "v1"}, "facts": {"a": yaml.safe_load(bad)}}))
        standards.read_evidence(good, limits=limits)
        err = evidence_error(broken, limits)
        assert err.code == LIMIT_CODES[name], (suffix, str(err))
        assert err.file == str(broken) and f"Limits.{name}" in err.message
        if name != "max_bytes":
            assert err.line == 3 or err.path == "$.facts.a" or (err.path or "").startswith("$.facts.a")
        standards.read_evidence(broken)  # within the defaults


DICT_CASES = [
    ("max_nodes", 60, [1, 2, 3], [1] * 60),
    ("max_depth", 5, [[1]], [[[[[[1]]]]]]),
    ("max_string", 50, "x" * 50, "x" * 51),
    ("max_items", 10, [1] * 10, [1] * 11),
]


@pytest.mark.parametrize(("name", "value", "ok", "bad"), DICT_CASES, ids=[c[0] for c in DICT_CASES])
def test_each_limit_on_evidence_given_as_a_dict(name: str, value: int, ok: Any, bad: Any) -> None:
    limits = Limits(**{name: value})
    standards.read_evidence(record(a=ok), limits=limits)
    err = evidence_error(record(a=bad), limits)
    assert err.code == LIMIT_CODES[name] and (err.path or "").startswith("$.facts.a"), str(err)
    standards.read_evidence(record(a=bad))


def test_a_long_key_in_a_dict_is_refused() -> None:
    err = evidence_error(record(**{"k" * 51: 1}), Limits(max_string=50))
    assert err.code == "string-too-long" and "key" in err.message


def test_evaluate_holds_a_dict_to_the_default_limits() -> None:
    std = standards.load_bundled("gd.health-village")
    with pytest.raises(EvidenceError) as info:
        std.evaluate(record(a="x" * 100_001))
    assert info.value.code == "string-too-long"


def test_a_record_that_contains_itself_is_refused() -> None:
    rec = record()
    rec["facts"]["me"] = rec
    assert evidence_error(rec).code == "too-deep"


def test_max_criteria_per_file(tmp_path: Path) -> None:
    crits = "".join(
        f"  - {{id: c.k{i}, category: c, title: 项{i}, points: 1, check: {{kind: exists, path: k{i}}}}}\n"
        for i in range(6)
    )
    path = write(
        tmp_path, "standard: {id: t.many, title: 多}\ncategories:\n  - {id: c, title: 类别}\ncriteria:\n" + crits
    )
    assert len(standards.load(path).criteria) == 6
    err = load_error(path, Limits(max_criteria=5))
    assert codes(err) == ["too-many-criteria"]
    p = err.problems[0]
    assert (p.line, p.path) == (10, "criteria[5]") and "Limits.max_criteria" in p.message


def test_max_criteria_counts_what_a_standard_extends(tmp_path: Path) -> None:
    def crits(prefix: str) -> str:
        return "".join(
            f"  - {{id: c.{prefix}{i}, category: c, title: 项{i}, points: 1, check: {{kind: exists, path: k{i}}}}}\n"
            for i in range(3)
        )

    write(
        tmp_path,
        "standard: {id: t.base, title: 基}\ncategories:\n  - {id: c, title: 类}\ncriteria:\n" + crits("a"),
        "base.yaml",
    )
    child = write(
        tmp_path, "standard: {id: t.child, title: 子}\nextends: base.yaml\ncriteria:\n" + crits("b"), "child.yaml"
    )
    assert len(standards.load(child).criteria) == 6
    err = load_error(child, Limits(max_criteria=5))
    assert codes(err) == ["too-many-criteria"] and "t.child" in err.problems[0].message


def test_dev_zero_is_too_large_not_a_hang() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    start = time.perf_counter()
    err = evidence_error("/dev/zero", Limits(max_bytes=1 << 16))
    assert err.code == "too-large" and time.perf_counter() - start < 1.0


@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deep_json_is_refused_quickly(tmp_path: Path, opener: str) -> None:
    path = tmp_path / "deep.json"
    path.write_text(opener * 100_000, encoding="utf-8")
    start = time.perf_counter()
    err = evidence_error(path)
    assert err.code in ("too-deep", "json-syntax") and time.perf_counter() - start < 1.0
    path.write_text('{"subject": {"id": "v"}, "facts": {"a": ' + nested(100) + "}}", encoding="utf-8")
    assert evidence_error(path).code == "too-deep"


@pytest.mark.parametrize("opener", ["[", "{", "- ", "a:\n  "])
def test_deep_yaml_is_refused_quickly(tmp_path: Path, opener: str) -> None:
    text = opener * 20_000 if "\n" not in opener else "".join(f"{'  ' * i}a:\n" for i in range(2_000))
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    err = evidence_error(path)
    assert time.perf_counter() - start < 1.0
    assert err.code == "too-deep", str(err)


# -- 4. duplicate keys, encodings, numbers no float can hold ------------------------------------


def test_duplicate_keys_in_json_evidence_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_text('{"subject": {"id": "v1"}, "facts": {"a": 1, "a": 2}}', encoding="utf-8")
    err = evidence_error(path)
    assert err.code == "duplicate-key" and "'a'" in err.message and err.file == str(path)


def test_duplicate_keys_in_yaml_evidence_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text("subject: {id: v1}\nfacts:\n  a: 1\n  a: 2\n", encoding="utf-8")
    err = evidence_error(path)
    assert (err.code, err.line, err.column) == ("duplicate-key", 4, 3)


def test_duplicate_keys_in_rule_files_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD.replace("    points: 1\n", "    points: 1\n    points: 2\n"))
    assert codes(load_error(path)) == ["duplicate-key"]


def test_keys_that_differ_only_as_yaml_1_1_numbers_are_kept_apart(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text("subject: {id: v1}\nfacts:\n  '8': a\n  010: b\n  0o10: c\n", encoding="utf-8")
    assert standards.read_evidence(path).facts == {"8": "a", "010": "b", "0o10": "c"}


def test_gbk_evidence_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_bytes(b'{"subject": {"id": "v1"},\n "facts": {"a": "' + "测试".encode("gbk") + b'"}}')
    err = evidence_error(path)
    assert (err.code, err.line, err.column) == ("not-utf8", 2, 18)
    assert "UTF-8" in err.message and err.hint is not None and "GBK" in err.hint


def test_utf16_evidence_gets_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_bytes('{"subject": {"id": "v1"}}'.encode("utf-16"))
    err = evidence_error(path)
    assert err.code == "not-utf8" and err.hint is not None and "UTF-16" in err.hint


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "e.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(record(a=1)).encode())
    assert standards.read_evidence(path).facts == {"a": 1}


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b"])
def test_control_characters_in_yaml_are_a_syntax_error(tmp_path: Path, char: str) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(f"subject: {{id: v1}}\nfacts: {{a: b{char}}}\n", encoding="utf-8")
    err = evidence_error(path)
    assert (err.code, err.line) == ("yaml-syntax", 2) and "U+00" in err.message


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("NaN", "not-finite"),
        ("Infinity", "not-finite"),
        ("-Infinity", "not-finite"),
        ("1e400", "number-out-of-range"),
        ("-1e400", "number-out-of-range"),
        ("1e-400", "number-out-of-range"),
        ("9" * 400, "number-out-of-range"),
        ("9" * 5000, "number-out-of-range"),
    ],
)
def test_json_numbers_no_float_can_hold_are_refused(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "e.json"
    path.write_text('{"subject": {"id": "v1"}, "facts": {"a": ' + text + "}}", encoding="utf-8")
    err = evidence_error(path)
    assert err.code == code and err.file == str(path)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (".inf", "not-finite"),
        ("-.inf", "not-finite"),
        (".nan", "not-finite"),
        ("1.0e+400", "number-out-of-range"),
        ("1.0e-400", "number-out-of-range"),
        ("9" * 400, "number-out-of-range"),
    ],
)
def test_yaml_numbers_no_float_can_hold_are_refused(tmp_path: Path, text: str, code: str) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(f"subject: {{id: v1}}\nfacts:\n  a: {text}\n", encoding="utf-8")
    err = evidence_error(path)
    assert (err.code, err.line, err.column) == (code, 3, 6)
    rule = write(tmp_path, HEAD.replace("min: 1", f"min: {text}"))
    assert codes(load_error(rule)) == [code]


def test_a_whole_number_no_float_can_hold_in_a_dict_is_refused() -> None:
    err = evidence_error(record(a=10**400))
    assert err.code == "number-out-of-range" and err.path == "$.facts.a"


def test_nan_in_a_dict_is_invalid_evidence_not_a_pass(make_standard: Any) -> None:
    std = make_standard([{"check": {"kind": "value", "path": "a", "max": 5}}])
    for bad in (math.nan, math.inf, -math.inf):
        assert std.evaluate(record(a=bad)).findings[0].status == "invalid_evidence"


@pytest.mark.parametrize(
    "written",
    ["1_000", "0x1F", "0o17", "1:30", "8:30", "0b101", "1_000.5", "2010-09-31", "017"],
)
def test_yaml_1_1_number_forms_stay_text_and_are_never_silently_converted(
    tmp_path: Path, make_standard: Any, written: str
) -> None:
    """YAML 1.1 reads 1_000 as 1000, 017 as 15, 0x1F as 31 and 8:30 as 510: here they stay text."""
    path = tmp_path / "e.yaml"
    path.write_text(f"subject: {{id: v1}}\nas_of: 2011-10-16\nfacts:\n  a: {written}\n", encoding="utf-8")
    ev = standards.read_evidence(path)
    assert ev.facts["a"] == written
    std = make_standard([{"check": {"kind": "value", "path": "a", "min": 16}}])
    # Text a person could have meant as a number is judged as written: "017" is 17 (not
    # octal 15, which would fail min 16); every other form is not a number at all.
    expected = "pass" if written == "017" else "invalid_evidence"
    assert std.evaluate(ev).findings[0].status == expected


def test_yaml_numbers_that_are_numbers_still_are(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text("subject: {id: v1}\nfacts: {a: 0, b: -12, c: 1.5, d: .5, e: 1.0e+3, f: '7', g: 1e3, h: true}\n")
    assert standards.read_evidence(path).facts == {
        "a": 0,
        "b": -12,
        "c": 1.5,
        "d": 0.5,
        "e": 1000.0,
        "f": "7",
        "g": "1e3",
        "h": True,
    }


def test_a_second_yaml_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text("subject: {id: v1}\n---\nsubject: {id: v2}\n", encoding="utf-8")
    assert evidence_error(path).code == "yaml-syntax"


def test_every_refusal_is_a_standards_error(tmp_path: Path) -> None:
    """What the CLI turns into exit 2 (never a traceback): each is a StandardsError."""
    for text in ("{", "[1, 2]", '{"subject": 1}', "NaN", "\x00"):
        path = tmp_path / "e.json"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(StandardsError):
            standards.read_evidence(path)


def test_the_bundled_example_still_reads(tmp_path: Path) -> None:
    ev = standards.read_evidence(HOUHUAN)
    assert ev.subject_id == "gd-houhuan"
    assert os.path.getsize(HOUHUAN) < Limits().max_bytes


def test_docs_security_lists_every_limit_with_its_default_and_code() -> None:
    page = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(max_\w+)` \| ([^|]+) \| `([\w-]+)` \|", page, re.M)
    assert {name: code for name, _, code in rows} == LIMIT_CODES
    for name, default, _ in rows:
        # "10 MiB (10 485 760)" → 10485760; "200 000" → 200000
        number = int(re.sub(r"\D", "", default.split("(")[-1]))
        assert number == getattr(Limits(), name), (name, default)
