"""Evidence records (SPEC §2): facts, dated events, documents, sub-units and provenance.

A record is checked for *shape* when it is read (the wrong shape is an
:class:`~standards.errors.EvidenceError` naming the JSON path); *values* are judged only
when a criterion reads them, so one template blank makes one finding
``invalid_evidence`` instead of rejecting the whole record. Nothing here alters a value:
the record keeps the data exactly as given, and a record built in Python with types
``json.load`` does not make is read through a copy in JSON's types (:func:`copy_tree`),
never changed in place.
"""

from __future__ import annotations

import difflib
import json
import numbers
import operator
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, Final

from ._values import DateSpan, parse_date
from ._yaml import InputRejected, Limits, check_data
from .errors import EvidenceError

__all__ = ["MISSING", "NOT_AN_OBJECT", "Evidence", "ReadPlan", "copy_tree", "fetch"]


class _Missing:
    """The one "no value" marker: absent and ``null`` are both unknown, never zero."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False

    def __reduce__(self) -> str:
        # Unpickle to the one module-level MISSING, so ``is MISSING`` holds in workers too.
        return "MISSING"


MISSING: Final = _Missing()

class _NotAnObject:
    """What :func:`fetch` returns when a path runs through a value that is not an object."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NOT_AN_OBJECT"


NOT_AN_OBJECT: Final = _NotAnObject()


def fetch(facts: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    """The raw value at a path (None when absent or null).

    NOT_AN_OBJECT when the path runs through a non-object (``survey.rate`` where
    ``survey`` is 5). The one walk of a dotted path: checks read facts through it, and :meth:`Evidence.get`.
    """
    cur: Any = facts
    for k in keys:
        if type(cur) is not dict:
            return NOT_AN_OBJECT
        cur = cur.get(k)
        if cur is None:
            return None
    return cur


_DEFAULT_LIMITS: Final = Limits()

_TOP_KEYS: Final = (
    "subject",
    "as_of",
    "facts",
    "events",
    "documents",
    "units",
    "provenance",
    "meta",
    "$schema",
)
_UNIT_KEYS: Final = tuple(k for k in _TOP_KEYS if k != "as_of")
#: The same as sets: one C-level test passes a record whose keys are all known.
_TOP_KEY_SET: Final = frozenset(_TOP_KEYS)
_UNIT_KEY_SET: Final = frozenset(_UNIT_KEYS)


def _type_name(v: object) -> str:
    if v is None:
        return "null"
    return {dict: "object", list: "array", str: "string", bool: "boolean"}.get(
        type(v), "number" if isinstance(v, int | float) else type(v).__name__
    )


_LEAVES: Final = frozenset({str, int, float, bool, type(None)})


#: Leaves a copy shares as they are: JSON's own, and the dates YAML reads (all immutable).
_JSON_LEAVES: Final = _LEAVES | {date, datetime, time}


def copy_tree(data: Any, path: str = "$") -> Any:
    """A copy of ``data`` in JSON's types: every dict and list new, the immutable leaves shared.

    Two uses. A snapshot copies the parts of a record a report may read later (see
    :meth:`Evidence.snapshot`). And a record built in Python is read through it as JSON:
    checks read exact types (``type(x) is dict``, ``type(x) is float``), as ``json.load``
    makes them, so without it every fact under an ``OrderedDict`` would read as "not an
    object" and a ``numpy.float64`` or an ``IntEnum`` as "not a number". So:

    * a dict of any kind becomes a ``dict``, a list, tuple or list subclass a ``list``;
    * a subclass of ``str``, ``int`` or ``float`` becomes its plain value; any other
      whole number (``numpy.int64``, ``Fraction(4)``) an ``int``; a ``Decimal`` what its
      digits mean in JSON (``2500`` a whole number, ``0.97`` a float); any other real
      number (``numpy.float32``, ``Fraction(1, 4)``) a float;
    * dates and times stay (YAML evidence holds them);
    * anything else (a set, bytes, an object) is refused: EvidenceError ``evidence-type``
      at its JSON path (``path`` names ``data``), rather than a finding that blames the
      evidence for a caller's mistake.

    The walk is bounded: the caller has held ``data`` to the limits first. Where each
    container lies is kept as a chain of (parent, key, in a dict) and written out as a
    path only for an error: a snapshot copies on every evaluate.
    """
    root = _json_value(data, path)
    todo: list[tuple[Any, _Where]] = [(root, path)] if type(root) is dict or type(root) is list else []
    while todo:
        c, where = todo.pop()
        is_dict = type(c) is dict
        for k, v in c.items() if is_dict else enumerate(c):
            t = type(v)
            if t in _JSON_LEAVES:
                continue
            at = (where, k, is_dict)
            if t is dict or t is list:
                c[k] = fresh = t(v)
            else:
                c[k] = fresh = _json_value(v, at)
                if type(fresh) is not dict and type(fresh) is not list:
                    continue
            todo.append((fresh, at))
    return root


#: Where a value lies: the root's JSON path, or (parent, key, whether the parent is a dict).
_Where = str | tuple[Any, Any, bool]


def _path_text(where: _Where) -> str:
    """The JSON path of a chain of :data:`_Where` (``$.facts.org.staff[1]``)."""
    steps: list[str] = []
    while isinstance(where, tuple):
        where, key, in_dict = where
        steps.append(f".{key}" if in_dict else f"[{key}]")
    return where + "".join(reversed(steps))


def _json_value(v: Any, where: _Where) -> Any:
    """One value in JSON's types (a container's copy is shallow: :func:`copy_tree` goes on into it)."""
    if type(v) in _JSON_LEAVES:
        return v
    if isinstance(v, dict):
        return dict(v)
    if isinstance(v, list | tuple):
        return list(v)
    if isinstance(v, str):
        return str.__str__(v)
    if isinstance(v, bool):  # (bool has no subclasses; numpy.bool_ is not one)
        return v
    if isinstance(v, int):
        return int.__int__(v)
    if isinstance(v, float):
        return float.__float__(v)
    if isinstance(v, numbers.Integral):
        return operator.index(v)
    if isinstance(v, Decimal):
        try:  # what its digits mean in JSON: "2500" a whole number, "0.97" and "1E+2" floats
            return json.loads(str(v))
        except ValueError:  # sNaN
            pass
    elif isinstance(v, numbers.Rational) and v.denominator == 1:
        return int(v.numerator)
    elif isinstance(v, numbers.Real):
        return float(v)
    if isinstance(v, date | time):  # a pandas Timestamp is a datetime: dates are read as they are
        return v
    raise EvidenceError(
        f"a value of type {type(v).__name__} is not evidence",
        code="evidence-type",
        path=_path_text(where),
        expected="text, a number, true/false, null, an object or an array (a date in YAML)",
    )


class ReadPlan:
    """What a report may read of a record after it is made (compiled once per standard).

    ``facts`` is a tree of the fact paths: each key leads to the keys read below it, or
    to None where the whole value is read. ``sections`` are the parts read whole
    (``events``, ``documents``, ``units``). Provenance, when a record has any, is always
    copied: every evidence read names the provenance of its path.
    """

    __slots__ = ("facts", "sections")

    def __init__(self, facts: dict[str, Any], sections: frozenset[str]) -> None:
        self.facts = facts
        self.sections = sections


def _copy_along(value: Mapping[str, Any], tree: dict[str, Any]) -> dict[str, Any]:
    """``value`` with a new dict at every step of ``tree`` and copies where paths end."""
    out = dict(value)
    for key, below in tree.items():
        v: Any = out.get(key)
        t = type(v)
        if t in _LEAVES:
            continue  # (absent too: None) nothing to copy
        if below is None or t is not dict:
            # The whole value is read (or the path runs through a non-object, which the
            # check echoes as it is): all of it is copied.
            out[key] = copy_tree(v)
        else:
            out[key] = _copy_along(v, below)
    return out


def _fail(path: str, message: str, expected: str | None = None, hint: str | None = None) -> None:
    raise EvidenceError(message, code="evidence-shape", path=path, expected=expected, hint=hint)


class Evidence:
    """One community's evidence, shape-checked, read-only, with fast indexed access."""

    __slots__ = (
        "_docs_by_kind",
        "_events_by_type",
        "as_of",
        "documents",
        "events",
        "facts",
        "owned",
        "path",
        "provenance",
        "raw",
        "subject",
        "units",
    )

    raw: Mapping[str, Any]
    subject: Mapping[str, Any]
    as_of: date | None
    facts: Mapping[str, Any]
    events: list[Mapping[str, Any]] | None
    documents: list[Mapping[str, Any]] | None
    units: list[Evidence] | None
    provenance: Mapping[str, Any]
    #: True when no one else holds the record's containers (read from a file or text by
    #: the library, or copied): a report may then read it later, when its details are.
    owned: bool
    path: str
    _events_by_type: dict[str, list[tuple[DateSpan | None, Mapping[str, Any]]]] | None
    _docs_by_kind: dict[str, list[Mapping[str, Any]]] | None

    @classmethod
    def from_data(
        cls,
        data: object,
        *,
        path: str = "$",
        is_unit: bool = False,
        limits: Limits | None = None,
        owned: bool = False,
        checked: bool = False,
    ) -> Evidence:
        """Check the shape of ``data`` and wrap it; raise EvidenceError naming the JSON path.

        A whole record (not a sub-unit, which its record's check already covered) is first
        held to ``limits`` (default :class:`~standards._yaml.Limits`): nesting depth,
        string and list lengths, the number of values, and whole numbers a float can hold.
        A dict handed to the API is as untrusted as a file. A record that is not plain
        JSON (an ``OrderedDict``, a tuple, a ``numpy.float64``) is then read as JSON
        through a copy (:func:`copy_tree`), held to the limits again.

        ``owned`` says no one else holds the data (the library read it from a file or
        text, or copied it: see :meth:`snapshot`). ``checked`` skips the limits for data
        already held to them.
        """
        if isinstance(data, Evidence):
            return data
        if not isinstance(data, dict):
            _fail(path, f"an evidence record must be a JSON object, not {_type_name(data)}")
        assert isinstance(data, dict)
        if not is_unit and not checked:
            try:
                if not check_data(data, limits or _DEFAULT_LIMITS):
                    # Not plain JSON (an OrderedDict, a tuple, a numpy float): read as JSON,
                    # by a copy held to the limits again (a str subclass was not checked).
                    read_as_json: dict[str, Any] = copy_tree(data, path)
                    check_data(read_as_json, limits or _DEFAULT_LIMITS)
                    data = read_as_json
                    owned = True
            except InputRejected as exc:
                pr = exc.problem
                where = pr.path or "$"
                raise EvidenceError(
                    pr.message, code=pr.code, path=path + where[1:] if where.startswith("$") else where
                ) from None
        allowed = _UNIT_KEYS if is_unit else _TOP_KEYS
        if not (_UNIT_KEY_SET if is_unit else _TOP_KEY_SET).issuperset(data):  # (one C-level test)
            for key in data:
                if key not in allowed and not str(key).startswith("x-"):
                    close = difflib.get_close_matches(str(key), allowed, n=1)
                    _fail(
                        f"{path}.{key}",
                        f"unknown key {key!r} in an evidence record",
                        expected="one of " + ", ".join(allowed),
                        hint=f"did you mean {close[0]!r}?" if close else None,
                    )
        self = cls.__new__(cls)
        self.raw = data
        self.owned = owned
        self.path = path
        self.subject = cls._subject(data.get("subject"), f"{path}.subject")
        self.as_of = None
        if not is_unit and data.get("as_of") is not None:
            span = parse_date(data["as_of"])
            if span is None or not span.is_day:
                _fail(f"{path}.as_of", f"as_of {data['as_of']!r} is not a date", "YYYY-MM-DD")
            assert span is not None
            self.as_of = span.first
        facts = data.get("facts")
        if facts is None:
            facts = {}
        elif not isinstance(facts, dict):
            _fail(f"{path}.facts", f"facts must be an object, not {_type_name(facts)}")
        self.facts = facts
        self.events = cls._items(data, "events", "type", path)
        self.documents = cls._items(data, "documents", "kind", path)
        prov = data.get("provenance")
        if prov is None:
            prov = {}
        elif not isinstance(prov, dict) or not all(isinstance(v, dict) for v in prov.values()):
            _fail(f"{path}.provenance", "provenance must map a fact path to an object")
        self.provenance = prov
        self.units = None
        raw_units = data.get("units")
        if raw_units is not None:
            if not isinstance(raw_units, list):
                _fail(f"{path}.units", f"units must be an array, not {_type_name(raw_units)}")
            self.units = [
                cls.from_data(u, path=f"{path}.units[{i}]", is_unit=True, owned=owned)
                for i, u in enumerate(raw_units)
            ]
        self._events_by_type = None
        self._docs_by_kind = None
        return self

    @staticmethod
    def _subject(subject: object, path: str) -> Mapping[str, Any]:
        if subject is None:
            _fail(
                path, "the record has no subject", 'an object like {"id": "v1", "kind": "village"}'
            )
        if not isinstance(subject, dict):
            _fail(path, f"subject must be an object, not {_type_name(subject)}")
        assert isinstance(subject, dict)
        sid = subject.get("id")
        if not isinstance(sid, str) or not sid.strip():
            _fail(f"{path}.id", "subject.id must be a non-empty string", "a stable identifier")
        kind = subject.get("kind")
        if kind is not None and not isinstance(kind, str):
            _fail(f"{path}.kind", "subject.kind must be a string such as 'village'")
        return subject

    @staticmethod
    def _items(
        data: Mapping[str, Any], key: str, discriminator: str, path: str
    ) -> list[Mapping[str, Any]] | None:
        items = data.get(key)
        if items is None:
            return None
        if not isinstance(items, list):
            _fail(f"{path}.{key}", f"{key} must be an array, not {_type_name(items)}")
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                _fail(f"{path}.{key}[{i}]", f"each entry of {key} must be an object")
            tag = item.get(discriminator)
            if not isinstance(tag, str) or not tag:
                _fail(
                    f"{path}.{key}[{i}].{discriminator}",
                    f"each entry of {key} needs a string {discriminator!r}",
                )
        return list(items)

    def snapshot(self, plan: ReadPlan | None = None) -> Evidence:
        """This record owning what ``plan`` reads (all of it without a plan).

        Itself when it already owns its data; otherwise a record over copies of the
        containers the plan reads (facts along its paths, the sections it names, the
        provenance), sharing everything else: what a report reads later can then not
        change under it, and unread parts cost nothing.
        """
        if self.owned:
            return self
        if plan is None:
            return Evidence.from_data(copy_tree(self.raw), path=self.path, owned=True, checked=True)
        snap = Evidence.__new__(Evidence)
        snap.raw, snap.path, snap.owned = self.raw, self.path, True
        snap.subject, snap.as_of = self.subject, self.as_of
        snap.facts = _copy_along(self.facts, plan.facts)
        snap.provenance = copy_tree(self.provenance) if self.provenance else self.provenance
        copied = plan.sections
        snap.events = copy_tree(self.events) if "events" in copied and self.events else self.events
        snap.documents = copy_tree(self.documents) if "documents" in copied and self.documents else self.documents
        snap.units = (
            [Evidence.from_data(copy_tree(u.raw), path=u.path, is_unit=True, owned=True) for u in self.units]
            if "units" in copied and self.units
            else self.units
        )
        snap._events_by_type = snap._docs_by_kind = None
        return snap

    # -- reading -------------------------------------------------------------------------
    @property
    def subject_id(self) -> str:
        """The subject's id."""
        return str(self.subject["id"])

    @property
    def kind(self) -> str | None:
        """The subject's kind (village, community, town, school, …) if given."""
        k = self.subject.get("kind")
        return k if isinstance(k, str) else None

    def get(self, path: str | tuple[str, ...]) -> Any:
        """The fact at a dotted path, or MISSING (absent and null are both unknown)."""
        cur = fetch(self.facts, tuple(path.split(".")) if isinstance(path, str) else path)
        return MISSING if cur is None or cur is NOT_AN_OBJECT else cur

    def events_of(self, event_type: str) -> list[tuple[DateSpan | None, Mapping[str, Any]]]:
        """Events of a type with parsed dates (None for an impossible date), oldest first."""
        if self._events_by_type is None:
            index: dict[str, list[tuple[DateSpan | None, Mapping[str, Any]]]] = {}
            for ev in self.events or ():
                index.setdefault(ev["type"], []).append((parse_date(ev.get("date")), ev))
            for lst in index.values():
                lst.sort(key=lambda p: (p[0] is not None, p[0].first if p[0] else date.min))
            self._events_by_type = index
        result: list[tuple[DateSpan | None, Mapping[str, Any]]] = self._events_by_type.get(
            event_type, []
        )
        return result

    def documents_of(self, kind: str) -> list[Mapping[str, Any]]:
        """Documents of a kind, in record order."""
        if self._docs_by_kind is None:
            index: dict[str, list[Mapping[str, Any]]] = {}
            for doc in self.documents or ():
                index.setdefault(doc["kind"], []).append(doc)
            self._docs_by_kind = index
        result: list[Mapping[str, Any]] = self._docs_by_kind.get(kind, [])
        return result

    def units_of(self, kind: str | None) -> list[Evidence] | None:
        """Sub-units of a kind (all of them when kind is None); None if none are listed."""
        if self.units is None:
            return None
        if kind is None:
            return list(self.units)
        return [u for u in self.units if u.kind == kind]

    def provenance_of(self, path: str) -> Mapping[str, Any] | None:
        """Provenance of a fact: its own entry, else the nearest enclosing path's entry."""
        p = path
        while True:
            entry = self.provenance.get(p)
            if entry is not None:
                return entry  # type: ignore[no-any-return]
            if "." not in p:
                return None
            p = p.rsplit(".", 1)[0]
