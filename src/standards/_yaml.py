"""Safe YAML and JSON reading that remembers where every value came from.

Rule authors need ``file:line:column`` for every mistake, so YAML is composed into a node
tree (never constructed into arbitrary objects: only the safe tags are resolved) and
turned into plain data while a map from each value's path to its position is kept.

Rule files and evidence are untrusted input (docs/security.md), so reading is bounded
by :class:`Limits`, each limit with its own error code:

=================  ======================  ==========================================
limit              code                    what it bounds
=================  ======================  ==========================================
``max_bytes``      ``too-large``           size of one file (or one JSON text)
``max_nodes``      ``too-many-nodes``      values in one document, alias expansion
                                           included (a "billion laughs" file stops here
                                           before anything is expanded)
``max_depth``      ``too-deep``            nesting of mappings and lists
``max_string``     ``string-too-long``     characters in one string or key
``max_items``      ``list-too-long``       entries in one list or one mapping
``max_criteria``   ``too-many-criteria``   criteria in one standard (checked by load)
=================  ======================  ==========================================

Other refusals: a tag other than the plain data ones (``yaml-tag``: ``!!python/object``
and friends are never constructed), a duplicate key (``duplicate-key``), bytes that are
not UTF-8 (``not-utf8``), text with a lone surrogate (``not-unicode``), NaN or infinity
(``not-finite``) and a number no float can hold (``number-out-of-range``). Numbers are
read as YAML 1.2 writes them: ``1_000``, ``017``, ``0x1F`` and ``1:30`` stay text instead
of silently becoming 1000, 15, 31 and 90.
"""

from __future__ import annotations

import datetime
import json
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Final

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from .errors import Problem, UsageError

__all__ = [
    "LIMIT_CODES",
    "InputRejected",
    "Limits",
    "Located",
    "PathKey",
    "check_data",
    "dotted",
    "read_json_text",
    "read_text",
    "read_yaml_text",
]

PathKey = tuple[str | int, ...]

#: The error code each limit produces when it is exceeded.
LIMIT_CODES: Final = {
    "max_bytes": "too-large",
    "max_nodes": "too-many-nodes",
    "max_depth": "too-deep",
    "max_string": "string-too-long",
    "max_items": "list-too-long",
    "max_criteria": "too-many-criteria",
}

#: The largest integer a float can hold; a number beyond it cannot be compared.
_MAX_NUMBER: Final = int(sys.float_info.max)


@dataclass(frozen=True, slots=True)
class Limits:
    """Hard limits on untrusted rule files and evidence; each has a default and can be changed.

    ``standards.load(path, limits=Limits(max_criteria=5000))`` and
    ``standards.read_evidence(path_or_dict, limits=Limits(max_bytes=1 << 20))``.

    Attributes:
        max_bytes: bytes in one file (10 MiB).
        max_nodes: values in one document, alias expansion included (200 000).
        max_depth: nesting of mappings and lists (64).
        max_string: characters in one string or mapping key (100 000).
        max_items: entries in one list or mapping (50 000).
        max_criteria: criteria in one standard, ``extends`` included (2 000).

    """

    max_bytes: int = 10 * 1024 * 1024
    max_nodes: int = 200_000
    max_depth: int = 64
    max_string: int = 100_000
    max_items: int = 50_000
    max_criteria: int = 2_000

    def __post_init__(self) -> None:
        for f in fields(self):
            v = getattr(self, f.name)
            if not isinstance(v, int) or isinstance(v, bool) or v < 1:
                raise UsageError(
                    f"Limits.{f.name} = {v!r}: expected a whole number of at least 1",
                    code="bad-limit",
                )


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


def _limit_message(what: str, name: str, value: int) -> str:
    return f"{what}; the limit is {value} (Limits.{name})"


def read_text(path: Path, limits: Limits) -> str:
    """Read a UTF-8 file within the size limit; raise InputRejected with a located problem."""
    name = str(path)
    try:
        if path.is_dir():
            raise InputRejected(Problem("file-unreadable", "is a directory, expected a file", name))
        # Read at most one byte past the limit: a file that grows, or a device such as
        # /dev/zero whose size says 0, cannot make the read unbounded.
        with path.open("rb") as fh:
            raw = fh.read(limits.max_bytes + 1)
    except FileNotFoundError:
        raise InputRejected(Problem("file-not-found", "no such file", name)) from None
    except OSError as exc:
        raise InputRejected(Problem("file-unreadable", f"cannot read: {exc.strerror or exc}", name)) from None
    except (ValueError, UnicodeError):  # a NUL byte or a lone surrogate: no file has that name
        shown = name.encode("unicode_escape").decode("ascii")[:80]
        raise InputRejected(Problem("file-not-found", f"{shown!r} is not a usable file name", shown)) from None
    if len(raw) > limits.max_bytes:
        raise InputRejected(
            Problem("too-large", _limit_message("the file is too large", "max_bytes", limits.max_bytes), name)
        )
    return decode_utf8(raw, name)


def decode_utf8(raw: bytes, name: str | None) -> str:
    """Bytes as UTF-8 text (a leading BOM dropped); InputRejected naming line and column if not."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        # The column counts characters, as editors do: decode what precedes on the line.
        column = len(before[line_start:].decode("utf-8", "replace")) + 1
        hint = None
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = "the file looks like UTF-16; save it as UTF-8"
        else:
            try:
                raw.decode("gb18030")
                hint = "the file may be GBK/GB18030 (a Chinese legacy encoding); save it as UTF-8"
            except UnicodeDecodeError:
                pass
        raise InputRejected(
            Problem(
                "not-utf8",
                f"byte {exc.start} (0x{raw[exc.start]:02x}) is not UTF-8; save the file as UTF-8",
                name,
                line,
                column,
                hint=hint,
            )
        ) from None


# -- YAML ---------------------------------------------------------------------------------

_INT: Final = "tag:yaml.org,2002:int"
_FLOAT: Final = "tag:yaml.org,2002:float"
_TIMESTAMP: Final = "tag:yaml.org,2002:timestamp"
_SAFE_TAGS: Final = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge")
)


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-style numbers (no ``_`` separators, octal, hex or base 60).

    It also stops at the ``max_depth``-th unclosed ``[`` or ``{``: PyYAML's scanner
    re-examines every open flow level for each token, so a file of ten thousand ``[``
    would otherwise cost seconds before the composer could refuse it.
    """

    max_flow_level = 64

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        if self.flow_level >= self.max_flow_level:
            raise _FlowTooDeep(self.get_mark())
        super().fetch_flow_collection_start(TokenClass)


class _FlowTooDeep(Exception):
    def __init__(self, mark: Any) -> None:
        super().__init__("too deep")
        self.mark = mark


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))
_StrictLoader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"""^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?
            |[-+]?\.(?:inf|Inf|INF)
            |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
    list("-+0123456789."),
)


#: libyaml's parser, when PyYAML was built with it: six times faster on rule files. Only
#: documents it accepts are read with it; an error is reproduced by the pure-Python parser,
#: whose messages and positions are the ones documented and tested.
_CLoader: type[Any] | None = None
if hasattr(yaml, "CSafeLoader"):  # pragma: no branch - present in the wheels PyPI ships

    class _CStrictLoader(yaml.CSafeLoader):
        """libyaml's parser with the same resolvers as :class:`_StrictLoader`."""

        yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers

    _CLoader = _CStrictLoader


#: The text each scalar tag accepts: what the strict loader resolves to it implicitly.
_SCALAR_FORMS: Final = {
    tag: rx
    for tag, rx in ((tag, rx) for resolvers in _StrictLoader.yaml_implicit_resolvers.values() for tag, rx in resolvers)
    if tag in (_INT, _FLOAT, _TIMESTAMP, "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")
}


class _Frame:
    __slots__ = ("anchor", "height", "items", "node", "size")

    def __init__(self, node: yaml.CollectionNode, anchor: str | None) -> None:
        self.node = node
        self.anchor = anchor
        self.items: list[yaml.Node] = []
        self.size = 1
        self.height = 0


class _Composer:
    """Events → nodes without recursion, every limit enforced before anything is expanded.

    PyYAML's own composer recurses (a file nested a few hundred levels deep is a
    RecursionError) and only an expansion can tell how large an aliased tree is. Here
    each node knows the size and height of its expanded subtree, so an alias costs a
    lookup, and ``max_nodes`` and ``max_depth`` hold for the document as it would expand.
    """

    def __init__(self, loader: _StrictLoader, file: str | None, limits: Limits) -> None:
        self.loader: Any = loader  # PyYAML's event API is untyped
        self.file = file
        self.limits = limits
        self.anchors: dict[str, tuple[yaml.Node, int, int]] = {}
        self.total = 0

    def reject(self, code: str, msg: str, mark: Any) -> InputRejected:
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        return InputRejected(Problem(code, msg, self.file, line, col))

    def compose(self) -> yaml.Node | None:
        ld = self.loader
        ld.get_event()  # stream start
        if ld.check_event(StreamEndEvent):
            return None
        ld.get_event()  # document start
        root = self._node()
        ld.get_event()  # document end
        if not ld.check_event(StreamEndEvent):
            event: Any = ld.get_event()
            raise self.reject("yaml-syntax", "expected one YAML document, found a second one ('---')", event.start_mark)
        return root

    def _tag(self, tag: str | None, mark: Any) -> None:
        if tag not in _SAFE_TAGS:
            raise self.reject(
                "yaml-tag",
                f"tag {tag!r} is not allowed: rule files and evidence are data, never objects to construct",
                mark,
            )

    def _node(self) -> yaml.Node:
        ld = self.loader
        lim = self.limits
        stack: list[_Frame] = []
        while True:
            event: Any = ld.get_event()
            start: Any = event.start_mark
            node: yaml.Node
            if isinstance(event, AliasEvent):
                hit = self.anchors.get(str(event.anchor))
                if hit is None:
                    raise self.reject(
                        "yaml-syntax", f"alias *{event.anchor} refers to no anchor before it", event.start_mark
                    )
                node, size, height = hit
                self.total += size
                if self.total > lim.max_nodes:
                    raise self.reject(
                        "too-many-nodes",
                        _limit_message(
                            f"alias *{event.anchor} would expand the document past {lim.max_nodes} values"
                            " (a 'billion laughs' file?)",
                            "max_nodes",
                            lim.max_nodes,
                        ),
                        event.start_mark,
                    )
                if len(stack) + height > lim.max_depth:
                    raise self.reject(
                        "too-deep",
                        _limit_message(
                            f"alias *{event.anchor} would nest values deeper than {lim.max_depth} levels",
                            "max_depth",
                            lim.max_depth,
                        ),
                        event.start_mark,
                    )
            elif isinstance(event, ScalarEvent):
                if len(event.value) > lim.max_string:
                    raise self.reject(
                        "string-too-long",
                        _limit_message(f"a value of {len(event.value)} characters", "max_string", lim.max_string),
                        event.start_mark,
                    )
                if not event.value.isascii() and _SURROGATE.search(event.value):
                    raise self.reject("not-unicode", _SURROGATE_MESSAGE, event.start_mark)
                tag = event.tag
                if tag is None or tag == "!":
                    tag = ld.resolve(yaml.ScalarNode, event.value, event.implicit)
                self._tag(tag, event.start_mark)
                end: Any = event.end_mark
                node = yaml.ScalarNode(tag, event.value, start, end, style=event.style)
                size, height = 1, 0
                self._count(event.start_mark)
                self._register(event.anchor, node, size, height, event.start_mark)
            elif isinstance(event, SequenceStartEvent | MappingStartEvent):
                if len(stack) + 1 > lim.max_depth:
                    raise self.reject(
                        "too-deep",
                        _limit_message(f"nesting deeper than {lim.max_depth} levels", "max_depth", lim.max_depth),
                        event.start_mark,
                    )
                tag = event.tag
                is_seq = isinstance(event, SequenceStartEvent)
                kind = yaml.SequenceNode if is_seq else yaml.MappingNode
                if tag is None or tag == "!":
                    tag = ld.resolve(kind, None, event.implicit)
                self._tag(tag, event.start_mark)
                self._count(event.start_mark)
                if event.anchor is not None and event.anchor in self.anchors:
                    raise self._twice(event.anchor, event.start_mark)
                stack.append(_Frame(kind(tag, [], start, None, flow_style=event.flow_style), event.anchor))
                continue
            elif isinstance(event, SequenceEndEvent | MappingEndEvent):
                frame = stack.pop()
                node = frame.node
                node.end_mark = event.end_mark
                items = frame.items
                if isinstance(node, yaml.MappingNode):
                    node.value = list(zip(items[0::2], items[1::2], strict=True))
                else:
                    node.value = items
                size, height = frame.size, frame.height + 1
                self._register(frame.anchor, node, size, height, node.start_mark)
            else:  # pragma: no cover - the parser emits nothing else inside a document
                raise self.reject("yaml-syntax", f"unexpected {type(event).__name__}", event.start_mark)
            if not stack:
                return node
            parent = stack[-1]
            parent.items.append(node)
            parent.size += size
            parent.height = max(parent.height, height)
            entries = len(parent.items) // 2 if isinstance(parent.node, yaml.MappingNode) else len(parent.items)
            if entries > lim.max_items:
                what = "a mapping with" if isinstance(parent.node, yaml.MappingNode) else "a list with"
                raise self.reject(
                    "list-too-long",
                    _limit_message(f"{what} more than {lim.max_items} entries", "max_items", lim.max_items),
                    parent.node.start_mark,
                )

    def _count(self, mark: Any) -> None:
        self.total += 1
        if self.total > self.limits.max_nodes:
            raise self.reject(
                "too-many-nodes",
                _limit_message(f"more than {self.limits.max_nodes} values", "max_nodes", self.limits.max_nodes),
                mark,
            )

    def _twice(self, anchor: str, mark: Any) -> InputRejected:
        return self.reject("yaml-syntax", f"anchor &{anchor} is defined twice", mark)

    def _register(self, anchor: str | None, node: yaml.Node, size: int, height: int, mark: Any) -> None:
        if anchor is None:
            return
        if anchor in self.anchors:
            raise self._twice(anchor, mark)
        self.anchors[anchor] = (node, size, height)


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, file: str | None, limits: Limits) -> None:
        self.loader = loader
        self.file = file
        self.limits = limits
        self.out = Located(None, file)

    def problem(self, code: str, msg: str, node: yaml.Node, path: PathKey) -> InputRejected:
        mark = node.start_mark
        return InputRejected(Problem(code, msg, self.file, mark.line + 1, mark.column + 1, _dotted(path)))

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        # Depth, size and tags were bounded while composing: the recursion here is shallow.
        self.out.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(n, (*path, i)) for i, n in enumerate(node.value)]
        return self.scalar(node, path)

    def scalar(self, node: yaml.Node, path: PathKey) -> Any:
        if node.tag == _INT and len(node.value) > 310:
            # No number of more than 309 digits fits a float; int() of it is slow besides.
            raise self.problem(
                "number-out-of-range",
                f"{node.value[:40]}… ({len(node.value)} digits) is too large for a number",
                node,
                path,
            )
        form = _SCALAR_FORMS.get(node.tag)
        if form is not None and not (
            form.match(node.value) or (node.tag == _FLOAT and _SCALAR_FORMS[_INT].match(node.value))
        ):
            # An explicit tag on text that is not of its kind (`!!int 0x1F`, `!!bool x`,
            # `!!float ''`): refused, as the plain text would never have resolved to it.
            raise self.problem(
                "yaml-value", f"{node.value[:40]!r} is not a valid {node.tag.rsplit(':', 1)[-1]}", node, path
            )
        try:
            value = self.loader.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:
            if node.tag == _TIMESTAMP:
                # 2010-09-31 (a day that does not exist): keep the text as written; the
                # check that reads it says it is not a date, nothing moves it to Oct 1.
                return node.value
            raise self.problem(
                "yaml-value", f"{node.value[:40]!r} is not a valid {node.tag.rsplit(':', 1)[-1]}: {exc}", node, path
            ) from None
        except yaml.YAMLError as exc:
            raise self.problem("yaml-value", str(exc).split("\n")[0], node, path) from None
        if type(value) is float and not math.isfinite(value):
            if math.isnan(value) or node.value.lstrip("+-").startswith("."):
                raise self.problem(
                    "not-finite",
                    f"{node.value} is not a number a rule or a record can use (NaN and infinity are refused)",
                    node,
                    path,
                )
            raise self.problem("number-out-of-range", f"{node.value} is too large for a number", node, path)
        if type(value) is float and value == 0.0 and any(c in "123456789" for c in node.value.lower().split("e")[0]):
            raise self.problem(
                "number-out-of-range", f"{node.value} is too small for a number (it would read as 0)", node, path
            )
        if type(value) is int and not -_MAX_NUMBER <= value <= _MAX_NUMBER:
            raise self.problem("number-out-of-range", f"{node.value[:40]}… is too large for a number", node, path)
        return value

    def mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.problem("yaml-merge-key", "'<<' merge keys are not supported", key_node, path)
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.problem("yaml-key", "a mapping key must be a plain value", key_node, path)
            # The key as written: `010:` stays "010" (not 8), `yes:` stays "yes".
            key = str(key_node.value)
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
            out[key] = self.build(value_node, kp)
        return out


def _check_size(text: str, file: str | None, limits: Limits) -> None:
    n = len(text)
    if n > limits.max_bytes or (
        n * 4 > limits.max_bytes and len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes
    ):
        raise InputRejected(
            Problem("too-large", _limit_message("the text is too large", "max_bytes", limits.max_bytes), file)
        )


def read_yaml_text(text: str, file: str | None = None, limits: Limits | None = None) -> Located:
    """Parse one YAML document safely into :class:`Located` data (raises InputRejected)."""
    limits = limits or Limits()
    _check_size(text, file, limits)
    if _CLoader is not None:
        try:
            return _read_yaml(_CLoader, text, file, limits)
        except _SyntaxError:
            pass  # the pure-Python parser below says what and where, as documented
    try:
        return _read_yaml(_StrictLoader, text, file, limits)
    except _SyntaxError as exc:
        raise InputRejected(_syntax_problem(exc.error, text, file)) from None


class _SyntaxError(Exception):
    def __init__(self, error: yaml.YAMLError) -> None:
        super().__init__(str(error))
        self.error = error


def _read_yaml(loader_class: type[Any], text: str, file: str | None, limits: Limits) -> Located:
    """One parse with ``loader_class``; a YAML syntax error comes out as _SyntaxError."""
    try:
        loader = loader_class(text)
    except yaml.YAMLError as exc:  # a control character: PyYAML's reader refuses it up front
        raise _SyntaxError(exc) from None
    loader.max_flow_level = limits.max_depth
    try:
        try:
            node = _Composer(loader, file, limits).compose()
        except _FlowTooDeep as exc:
            raise InputRejected(
                Problem(
                    "too-deep",
                    _limit_message(f"nesting deeper than {limits.max_depth} levels", "max_depth", limits.max_depth),
                    file,
                    exc.mark.line + 1,
                    exc.mark.column + 1,
                )
            ) from None
        except yaml.YAMLError as exc:
            raise _SyntaxError(exc) from None
        builder = _Builder(loader, file, limits)
        if node is None:
            builder.out.data = None
            return builder.out
        try:
            builder.out.data = builder.build(node, ())
        except RecursionError:  # only with a max_depth raised far past its default
            raise InputRejected(
                Problem("too-deep", f"nesting too deep to read (Limits.max_depth is {limits.max_depth})", file)
            ) from None
        return builder.out
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.YAMLError, text: str, file: str | None) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
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
        return Problem(code, msg, file, line, col, hint=hint)
    return Problem("yaml-syntax", _reader_message(exc), file, *_reader_position(text, exc))


def _reader_message(exc: yaml.YAMLError) -> str:
    if isinstance(exc, yaml.reader.ReaderError):
        return f"character U+{exc.character:04X} is not allowed in YAML ({exc.reason})"
    return str(exc).split("\n")[0]


def _reader_position(text: str, exc: yaml.YAMLError) -> tuple[int | None, int | None]:
    if isinstance(exc, yaml.reader.ReaderError) and isinstance(exc.position, int):
        before = text[: exc.position]
        return before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
    return None, None


# -- JSON ---------------------------------------------------------------------------------


class _Refused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _Refused(
                "duplicate-key", f"key {k!r} appears twice in one object; the second would silently replace the first"
            )
        out[k] = v
    return out


def _no_constants(name: str) -> Any:
    raise _Refused("not-finite", f"{name} is not a valid JSON number (NaN and infinity are refused)")


_FAR_NUMBER: Final = re.compile(r"[0-9]{300}|[eE][-+]?0*[1-9][0-9]{2}")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("number-out-of-range", f"{text[:40]} is too large for a number")
    if value == 0.0 and any(c in "123456789" for c in text.lower().split("e")[0]):
        raise _Refused("number-out-of-range", f"{text[:40]} is too small for a number (it would read as 0)")
    return value


def _int(text: str) -> int:
    if len(text) > 309:
        # int() of a long digit string is slow (and refused past 4300 digits); no number
        # with more than 309 digits fits a float, so it is out of range without parsing.
        raise _Refused("number-out-of-range", f"{text[:40]}… ({len(text)} digits) is too large for a number")
    value = int(text)
    if not -_MAX_NUMBER <= value <= _MAX_NUMBER:
        raise _Refused("number-out-of-range", f"{text[:40]}… is too large for a number")
    return value


def read_json_text(text: str, file: str | None = None, limits: Limits | None = None, *, walk: bool = True) -> Any:
    """Parse JSON strictly (raises InputRejected).

    Duplicate keys, NaN/Infinity and numbers beyond a float's range are errors; the size
    and (with ``walk``) the depth, string, list and node limits are enforced.
    """
    limits = limits or Limits()
    _check_size(text, file, limits)
    # The number hooks cost a Python call per number; only text that holds a long digit
    # run or a three-digit exponent can hold a number no float can (1e400, 1e-400, 10**400).
    numbers: dict[str, Any] = {"parse_float": _float, "parse_int": _int} if _FAR_NUMBER.search(text) else {}
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants, **numbers)
    except json.JSONDecodeError as exc:
        raise InputRejected(Problem("json-syntax", exc.msg, file, exc.lineno, exc.colno)) from None
    except _Refused as exc:
        raise InputRejected(Problem(exc.code, exc.message, file)) from None
    except RecursionError:
        raise InputRejected(
            Problem("too-deep", _limit_message("JSON nested too deeply", "max_depth", limits.max_depth), file)
        ) from None
    if walk:
        check_data(data, limits, file)
    return data


# -- limits on plain data (JSON, or a dict handed to the API) ------------------------------


def check_data(data: Any, limits: Limits, file: str | None = None) -> bool:
    """Enforce depth, size and number limits on plain data; raise InputRejected at a breach.

    The problem names the JSON path (``$.facts.a[3]``). A structure that contains itself
    is caught by the depth limit; a shared sub-structure counts once per appearance, as
    its serialisation would. The check runs on every record evaluated, so the common case
    (nothing wrong) takes a fast pass that keeps no paths; only a breach is walked again
    to say where.

    Returns:
        True when the data is certainly plain JSON: every container an exact ``dict`` or
        ``list``, every leaf a ``str``, ``int``, ``float``, ``bool``, ``None`` or one of
        the dates YAML reads. False when it is within the limits but may hold other types
        (a tuple, an ``OrderedDict``, a float subclass, a ``Decimal``): the caller then
        reads it as JSON (:func:`standards.evidence.copy_tree`).

    """
    if _vouch(data, limits):
        return True
    if _fits_exact(data, limits):
        return False
    found = _locate(data, limits)
    code, msg, where = found if found is not None else ("too-many-nodes", "too many values", "$")
    raise InputRejected(Problem(code, msg, file, path=where))


_CONTAINERS: Final = (dict, list, tuple)
#: A lone UTF-16 surrogate ("\ud800" in JSON): not a character, and no output can encode it.
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_SURROGATE_MESSAGE: Final = "text with a lone surrogate (such as \\ud800) is not Unicode: it cannot be shown or saved"


def _escape(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


#: Leaf types the exact walk passes over unchecked (it checks values of exactly ``str`` and
#: ``int`` only); ``date`` and ``datetime`` are what YAML timestamps read as. A value of any
#: other type makes :func:`_vouch` leave the record to the exact walk.
_UNCHECKED_LEAVES: Final = (float, bool, type(None), datetime.date, datetime.datetime, datetime.time)


def _fits(data: Any, limits: Limits) -> bool:
    """True when ``data`` is within every limit: the hot path of :func:`check_data`.

    :func:`_vouch` vouches for ordinary data in about three quarters of the time of the
    exact walk (benchmarks/bench_51.py records: 22 µs against 29 µs); whatever it cannot
    vouch for (a breach, or a shape it leaves alone such as a subclass of dict or list)
    is decided by :func:`_fits_exact`. The answer is therefore always the exact walk's.
    """
    return _vouch(data, limits) or _fits_exact(data, limits)


def _vouch(data: Any, limits: Limits) -> bool:
    """True only when ``data`` is plain JSON certainly within every limit; False means "not sure".

    Breadth first, one level of nesting per round, like :func:`_fits_exact`, so the depth
    limit also ends a structure that contains itself and the node count ends a shared
    sub-structure that repeats past ``max_nodes`` (it counts once per appearance).

    Each value costs one table lookup and one call of a list's bound ``append`` (``route[type(v)](v)``):
    fewer interpreter steps than a chain of ``type(v) is ...`` tests, about a third
    faster when measured. The string, key and number checks are then made once for the
    whole record with C-level calls: one ``"".join`` and ``isascii()`` for all strings
    and one for all keys, a UTF-8 encode only when there is non-ASCII text (it fails
    exactly on a lone surrogate, several times faster than the regular expression), and
    a ``min`` and ``max`` of all whole numbers. Bulk calls per dict (``set(map(type,
    ...))``, a join per dict) were measured and lost: a C call costs about as much as
    routing two values, and a dict holds four or five. So did bulk calls per level.

    The table lists the types ``json.load`` makes and the dates YAML reads. Any other
    type (a tuple, a dict subclass, a ``Decimal``) is a missing key, and the answer is
    "not sure": the exact walk decides the limits, and the record is then read as JSON
    through a copy (:func:`standards.evidence.copy_tree`), so such records cost more
    and plain ones nothing extra. Keys are joined once per appearance; keys that are not
    text (or str subclasses) make this pass look closer (:func:`_keys_fit`), never vouch
    wrongly.

    Args:
        data: plain data (JSON-like), as handed to :func:`check_data`.
        limits: the limits to hold it to.

    Returns:
        True when the data holds only exact dicts and lists and leaves of the types in
        :data:`_UNCHECKED_LEAVES`, ``str`` and ``int``, and every limit holds; False when
        a limit may not hold or a value is of another type.

    """
    t = type(data)
    if t is dict:
        dicts, seqs = [data], []
    elif t is list:
        dicts, seqs = [], [data]
    else:  # a leaf, a tuple or a subclass: rare, and the exact walk is quick on a leaf
        return False
    max_depth, max_string, max_items, max_nodes = (
        limits.max_depth,
        limits.max_string,
        limits.max_items,
        limits.max_nodes,
    )
    strs: list[Any] = []
    ints: list[Any] = []
    keys: list[Any] = []
    unchecked: list[Any] = []  # filled, never read: appending costs less than a test
    route: dict[type, Callable[[Any], None]] = dict.fromkeys(_UNCHECKED_LEAVES, unchecked.append)
    route[str] = strs.append
    route[int] = ints.append
    add_keys = keys.extend
    depth = 0
    nodes = 1
    try:
        while dicts or seqs:
            depth += 1
            if depth > max_depth:
                return False
            level_dicts, level_seqs = dicts, seqs
            dicts, seqs = [], []
            route[dict] = dicts.append
            route[list] = seqs.append
            for c in level_dicts:
                n = len(c)
                nodes += n
                if n > max_items or nodes > max_nodes:
                    return False
                add_keys(c)
                for v in c.values():
                    route[type(v)](v)
            for c in level_seqs:
                n = len(c)
                nodes += n
                if n > max_items or nodes > max_nodes:
                    return False
                for v in c:
                    route[type(v)](v)
    except (KeyError, TypeError):  # a type the table does not list (or cannot hash): not plain JSON
        return False
    try:
        text = "".join(keys)
    except TypeError:  # a key that is not text (an int, say): each key on its own
        if not _keys_fit(keys, max_string):
            return False
    else:
        if (len(text) > max_string or not _no_surrogate(text)) and not _keys_fit(keys, max_string):
            return False
    if strs:
        text = "".join(strs)
        if len(text) > max_string and max(map(len, strs)) > max_string:
            return False
        if not _no_surrogate(text):
            return False
    return not ints or (min(ints) >= -_MAX_NUMBER and max(ints) <= _MAX_NUMBER)


def _keys_fit(keys: list[Any], max_string: int) -> bool:
    """Whether every key that is exactly ``str`` is short enough and free of lone surrogates.

    Keys of other types (ints, str subclasses) are passed over, as the exact walk does.
    """
    wide: list[str] = []
    for k in keys:
        if type(k) is str:
            if len(k) > max_string:
                return False
            if not k.isascii():
                wide.append(k)
    return _no_surrogate("".join(wide))


def _no_surrogate(text: str) -> bool:
    """Whether ``text`` holds no lone surrogate.

    UTF-8 can encode every code point but U+D800 to U+DFFF, so the encode fails exactly
    when :data:`_SURROGATE` would match, and scans several times faster.
    """
    if text.isascii():
        return True
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _fits_exact(data: Any, limits: Limits) -> bool:
    """True when ``data`` is within every limit: the reference walk that decides every case.

    Breadth first and without paths; it handles any shape (subclasses of dict, list and
    tuple, keys and leaves of any type). :func:`_vouch` answers sooner for ordinary data.
    """
    max_depth, max_string, max_items, max_nodes = (
        limits.max_depth,
        limits.max_string,
        limits.max_items,
        limits.max_nodes,
    )
    big = _MAX_NUMBER
    if not isinstance(data, _CONTAINERS):
        return _leaf_ok(data, max_string)
    level: list[Any] = [data]
    depth = 0
    nodes = 1
    wide: list[str] = []  # non-ASCII text, searched for lone surrogates in one pass at the end
    keep = wide.append
    while level:
        depth += 1
        if depth > max_depth:
            return False
        nxt: list[Any] = []
        add = nxt.append
        for c in level:
            n = len(c)
            nodes += n
            if n > max_items or nodes > max_nodes:
                return False
            if isinstance(c, dict):
                for k in c:
                    if type(k) is str:
                        if len(k) > max_string:
                            return False
                        if not k.isascii():
                            keep(k)
                values = c.values()
            else:
                values = c
            for v in values:
                t = type(v)
                if t is str:
                    if len(v) > max_string:
                        return False
                    if not v.isascii():
                        keep(v)
                elif t is int:
                    if v > big or v < -big:
                        return False
                elif t is dict or t is list or isinstance(v, _CONTAINERS):
                    add(v)
        level = nxt
    return not (wide and _SURROGATE.search("".join(wide)))


def _leaf_ok(v: Any, max_string: int) -> bool:
    if type(v) is str:
        return len(v) <= max_string and not _SURROGATE.search(v)
    if type(v) is int:
        return -_MAX_NUMBER <= v <= _MAX_NUMBER
    return True


def _locate(data: Any, limits: Limits) -> tuple[str, str, str] | None:
    """The first breach found depth first: (code, message, JSON path), or None."""
    max_depth, max_string, max_items, max_nodes = (
        limits.max_depth,
        limits.max_string,
        limits.max_items,
        limits.max_nodes,
    )
    stack: list[tuple[Any, int, str]] = [(data, 0, "$")]
    nodes = 0
    while stack:
        value, depth, where = stack.pop()
        nodes += 1
        if nodes > max_nodes:
            return "too-many-nodes", _limit_message(f"more than {max_nodes} values", "max_nodes", max_nodes), where
        if type(value) is str:
            if len(value) > max_string:
                msg = _limit_message(f"a string of {len(value)} characters", "max_string", max_string)
                return "string-too-long", msg, where
            if _SURROGATE.search(value):
                return "not-unicode", _SURROGATE_MESSAGE, where
        elif type(value) is int:
            if not -_MAX_NUMBER <= value <= _MAX_NUMBER:
                return "number-out-of-range", "a whole number too large for a float, so it cannot be compared", where
        elif isinstance(value, _CONTAINERS):
            if depth + 1 > max_depth:
                msg = _limit_message(f"nesting deeper than {max_depth} levels", "max_depth", max_depth)
                return "too-deep", msg, where
            if len(value) > max_items:
                msg = _limit_message(f"{len(value)} entries in one list or object", "max_items", max_items)
                return "list-too-long", msg, where
            if isinstance(value, dict):
                for k, v in value.items():
                    if type(k) is str and len(k) > max_string:
                        msg = _limit_message(f"a key of {len(k)} characters", "max_string", max_string)
                        return "string-too-long", msg, f"{where}.{k[:40]}…"
                    if type(k) is str and _SURROGATE.search(k):
                        return "not-unicode", _SURROGATE_MESSAGE, f"{where}.{_escape(k)}"
                    stack.append((v, depth + 1, f"{where}.{k}"))
            else:
                stack.extend((v, depth + 1, f"{where}[{i}]") for i, v in enumerate(value))
    return None


def _dotted(path: PathKey) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def dotted(path: PathKey) -> str:
    """``("criteria", 3, "check")`` → ``criteria[3].check``."""
    return _dotted(path)
