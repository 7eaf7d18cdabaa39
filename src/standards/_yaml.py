"""Safe YAML and JSON reading that remembers where every value came from.

Rule authors need ``file:line:column`` for every mistake, so YAML is composed into a node
tree (never constructed into arbitrary objects: only the safe tags are resolved) and
turned into plain data while a map from each value's path to its position is kept.
Duplicate keys are an error, never a silent overwrite, and alias expansion is bounded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

__all__ = [
    "InputRejected",
    "Limits",
    "Located",
    "PathKey",
    "dotted",
    "read_json_text",
    "read_text",
    "read_yaml_text",
]

PathKey = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Limits:
    """Hard limits on untrusted files; each has a default and can be changed."""

    max_bytes: int = 10 * 1024 * 1024
    max_nodes: int = 200_000
    max_depth: int = 64


@dataclass(slots=True)
class Located:
    """Plain data plus the (line, column) of every value and of every mapping key."""

    data: Any
    file: str | None
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: PathKey, *, key: bool = False) -> tuple[int | None, int | None]:
        """The best known position of ``path``: itself, else its nearest ancestor."""
        table = self.key_positions if key else self.positions
        p = tuple(path)
        while True:
            if p in table:
                return table[p]
            if key and p in self.positions:
                return self.positions[p]
            if not p:
                return None, None
            p = p[:-1]


class InputRejected(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def read_text(path: Path, limits: Limits) -> str:
    """Read a UTF-8 file within the size limit; raise InputRejected with a located problem."""
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputRejected(Problem("file-not-found", "no such file", name)) from None
    except OSError as exc:
        raise InputRejected(Problem("file-unreadable", f"cannot read: {exc.strerror}", name)) from None
    if path.is_dir():
        raise InputRejected(Problem("file-unreadable", "is a directory, expected a file", name))
    if size > limits.max_bytes:
        raise InputRejected(Problem("too-large", f"file is {size} bytes; the limit is {limits.max_bytes}", name))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputRejected(Problem("file-unreadable", f"cannot read: {exc.strerror}", name)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        # The column counts characters, as editors do: decode what precedes on the line.
        column = len(before[line_start:].decode("utf-8", "replace")) + 1
        raise InputRejected(
            Problem(
                "not-utf8",
                f"byte {exc.start} (0x{raw[exc.start]:02x}) is not UTF-8; save the file as UTF-8",
                name,
                line,
                column,
            )
        ) from None


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, file: str | None, limits: Limits) -> None:
        self.loader = loader
        self.file = file
        self.limits = limits
        self.nodes = 0
        self.out = Located(None, file)

    def problem(self, code: str, msg: str, node: yaml.Node, path: PathKey) -> InputRejected:
        mark = node.start_mark
        return InputRejected(Problem(code, msg, self.file, mark.line + 1, mark.column + 1, _dotted(path)))

    def build(self, node: yaml.Node, path: PathKey, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.problem(
                "too-many-nodes",
                f"more than {self.limits.max_nodes} values (alias expansion included)",
                node,
                path,
            )
        if depth > self.limits.max_depth:
            raise self.problem("too-deep", f"nesting deeper than {self.limits.max_depth} levels", node, path)
        self.out.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(n, (*path, i), depth + 1) for i, n in enumerate(node.value)]
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            raise self.problem("yaml-value", str(exc).split("\n")[0], node, path) from None

    def mapping(self, node: yaml.MappingNode, path: PathKey, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.problem("yaml-merge-key", "'<<' merge keys are not supported", key_node, path)
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.problem("yaml-key", "a mapping key must be a plain value", key_node, path)
            key = self.loader.construct_object(key_node)
            if not isinstance(key, str | int) or isinstance(key, bool):
                key = str(key_node.value)
            key = str(key)
            if key in out:
                raise self.problem(
                    "duplicate-key",
                    f"key {key!r} appears twice in this mapping; the second would silently replace the first",
                    key_node,
                    (*path, key),
                )
            kp = (*path, key)
            self.out.key_positions[kp] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            out[key] = self.build(value_node, kp, depth + 1)
        return out


def read_yaml_text(text: str, file: str | None = None, limits: Limits | None = None) -> Located:
    """Parse one YAML document safely into :class:`Located` data (raises InputRejected)."""
    limits = limits or Limits()
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise InputRejected(Problem("too-large", f"more than {limits.max_bytes} bytes", file))
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            col = mark.column + 1 if mark else None
            msg = f"{exc.problem or exc.context or 'invalid YAML'}"
            code = "yaml-tag" if "tag" in msg or "constructor" in msg else "yaml-syntax"
            # Where the parser noticed is often past the mistake (an unclosed "{" shows at
            # the next key): name where the enclosing construct began as well.
            cm = exc.context_mark
            hint = (
                f"{exc.context} that began at line {cm.line + 1}, column {cm.column + 1}"
                if exc.problem and exc.context and cm is not None and cm is not mark
                else None
            )
            raise InputRejected(Problem(code, msg, file, line, col, hint=hint)) from None
        except yaml.YAMLError as exc:
            raise InputRejected(Problem("yaml-syntax", str(exc), file)) from None
        builder = _Builder(loader, file, limits)
        if node is None:
            builder.out.data = None
            return builder.out
        _reject_unsafe_tags(node, file)
        builder.out.data = builder.build(node, (), 0)
        return builder.out
    finally:
        loader.dispose()


_SAFE_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary", "merge")
}


def _reject_unsafe_tags(root: yaml.Node, file: str | None) -> None:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.tag not in _SAFE_TAGS:
            mark = node.start_mark
            raise InputRejected(
                Problem(
                    "yaml-tag",
                    f"tag {node.tag!r} is not allowed: rule files and evidence are data, never objects to construct",
                    file,
                    mark.line + 1,
                    mark.column + 1,
                )
            )
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"duplicate key {k!r}")
        out[k] = v
    return out


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON number")


def read_json_text(text: str, file: str | None = None) -> Any:
    """Parse JSON strictly: duplicate keys and NaN/Infinity are errors (raises InputRejected)."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise InputRejected(Problem("json-syntax", exc.msg, file, exc.lineno, exc.colno)) from None
    except ValueError as exc:
        raise InputRejected(Problem("json-value", str(exc), file)) from None
    except RecursionError:
        raise InputRejected(Problem("too-deep", "JSON nested too deeply", file)) from None


def _dotted(path: PathKey) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def dotted(path: PathKey) -> str:
    """``("criteria", 3, "check")`` → ``criteria[3].check``."""
    return _dotted(path)
