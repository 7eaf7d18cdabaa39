"""Published JSON Schemas of rule files, evidence records and reports.

The rule-file schema is generated from the pydantic models, so it cannot drift from
what the loader accepts. Evidence and report schemas are written out here because they
describe plain JSON that other systems produce and consume; tests validate real
records and real reports against them.
"""

from __future__ import annotations

import copy
from typing import Any, Final

from .errors import UsageError
from .model import RuleFile

__all__ = ["SCHEMA_NAMES", "schema"]

SCHEMA_NAMES: Final = ("rules", "evidence", "report")
_DIALECT: Final = "https://json-schema.org/draft/2020-12/schema"

_SUBJECT: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string", "minLength": 1},
        "name": {"type": "string"},
        "kind": {
            "type": "string",
            "description": "village, community, town, school, food_business, …",
        },
        "region": {"type": "string"},
    },
}

_RECORD_PROPS: Final[dict[str, Any]] = {
    "subject": {"$ref": "#/$defs/subject"},
    "facts": {"type": "object", "description": "Dotted paths resolve inside; keys may be Chinese"},
    "events": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {"type": "string", "minLength": 1},
                "date": {"type": "string"},
                "source": {"type": "string"},
            },
        },
    },
    "documents": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["kind"],
            "properties": {
                "id": {"type": "string"},
                "kind": {"type": "string", "minLength": 1},
                "title": {"type": "string"},
                "date": {"type": "string"},
            },
        },
    },
    "units": {"type": "array", "items": {"$ref": "#/$defs/unit"}},
    "provenance": {
        "type": "object",
        "additionalProperties": {
            "type": "object",
            "properties": {
                "source": {"type": "string"},
                "collected": {"type": "string"},
                "approx": {"type": "boolean"},
            },
        },
    },
    "meta": {"type": "object"},
    "$schema": {"type": "string"},
}

EVIDENCE: Final[dict[str, Any]] = {
    "$schema": _DIALECT,
    "title": "standards evidence record",
    "type": "object",
    "required": ["subject"],
    "properties": {**_RECORD_PROPS, "as_of": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}"}},
    "patternProperties": {"^x-": {}},
    "additionalProperties": False,
    "$defs": {
        "subject": _SUBJECT,
        "unit": {
            "type": "object",
            "required": ["subject"],
            "properties": _RECORD_PROPS,
            "patternProperties": {"^x-": {}},
            "additionalProperties": False,
        },
    },
}

_STATUS: Final = {
    "enum": ["pass", "fail", "missing_evidence", "invalid_evidence", "not_applicable", "waived"]
}
_COUNTS: Final = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
_GAP: Final = {
    "type": ["object", "null"],
    "required": ["kind", "text"],
    "properties": {"kind": {"type": "string"}, "text": {"type": "string"}},
}
_CHILD: Final[dict[str, Any]] = {
    "type": "object",
    "required": ["check", "status", "explanation"],
    "properties": {
        "check": {"type": "string"},
        "status": _STATUS,
        "explanation": {"type": "string"},
        "children": {"type": "array", "items": {"$ref": "#/$defs/child"}},
    },
}

REPORT: Final[dict[str, Any]] = {
    "$schema": _DIALECT,
    "title": "standards report",
    "type": "object",
    "required": [
        "report_version",
        "standard",
        "parameters",
        "subject",
        "as_of",
        "verdict",
        "score",
        "findings",
        "remediation",
        "waivers",
    ],
    "additionalProperties": False,
    "properties": {
        "report_version": {"const": "1.0"},
        "standard": {
            "type": "object",
            "required": ["id", "title", "version", "files"],
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "version": {"type": "string"},
                "level": {"type": ["string", "null"]},
                "region": {"type": ["string", "null"]},
                "files": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["path", "sha256"],
                        "properties": {
                            "path": {"type": "string"},
                            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                        },
                    },
                },
            },
        },
        "parameters": {"type": "object"},
        "subject": _SUBJECT,
        "as_of": {"type": "string", "format": "date"},
        "engine": {"enum": ["native", "durable"]},
        "lang": {"enum": ["zh", "en"]},
        "verdict": {"enum": ["pass", "fail", "incomplete"]},
        "deciding": {"type": "array", "items": {"type": "string"}},
        "score": {
            "type": "object",
            "required": [
                "method",
                "earned",
                "possible",
                "pass_mark",
                "grade",
                "counts",
                "categories",
            ],
            "properties": {
                "method": {"enum": ["points", "deduction", "pass_fail"]},
                "earned": {"type": "number", "minimum": 0},
                "possible": {"type": "number", "minimum": 0},
                "share": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                "pass_mark": {"type": ["number", "null"]},
                "pass_mark_written": {"type": ["string", "null"]},
                "grade": {"type": ["string", "null"]},
                "counts": _COUNTS,
                "categories": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["id", "title", "earned", "possible", "counts"],
                        "properties": {
                            "id": {"type": "string"},
                            "title": {"type": "string"},
                            "earned": {"type": "number"},
                            "possible": {"type": "number"},
                            "counts": _COUNTS,
                        },
                    },
                },
            },
        },
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "criterion",
                    "title",
                    "category",
                    "status",
                    "mandatory",
                    "points",
                    "observed",
                    "expected",
                    "explanation",
                    "evidence",
                ],
                "properties": {
                    "criterion": {"type": "string"},
                    "title": {"type": "string"},
                    "category": {"type": "string"},
                    "status": _STATUS,
                    "mandatory": {"type": "boolean"},
                    "points": {
                        "type": "object",
                        "required": ["earned", "possible"],
                        "properties": {
                            "earned": {"type": "number", "minimum": 0},
                            "possible": {"type": "number", "minimum": 0},
                        },
                    },
                    "observed": {},
                    "expected": {"type": "object"},
                    "explanation": {"type": "string", "minLength": 1},
                    "evidence": {
                        "type": "array",
                        "items": {"type": "object", "required": ["path", "value"]},
                    },
                    "gap": _GAP,
                    "children": {"type": "array", "items": {"$ref": "#/$defs/child"}},
                },
            },
        },
        "remediation": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "criterion",
                    "status",
                    "priority",
                    "action",
                    "owner",
                    "due",
                    "gap",
                    "evidence",
                ],
                "properties": {
                    "id": {"type": "string"},
                    "criterion": {"type": "string"},
                    "title": {"type": "string"},
                    "category": {"type": "string"},
                    "status": {"enum": ["fail", "missing_evidence", "invalid_evidence"]},
                    "priority": {"enum": ["critical", "high", "medium"]},
                    "action": {"type": "string", "minLength": 1},
                    "owner": {"type": "string"},
                    "due": {"type": "string", "format": "date"},
                    "gap": _GAP,
                    "evidence": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "waivers": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["criterion", "justification", "until", "state"],
                "properties": {
                    "criterion": {"type": "string"},
                    "subject": {"type": ["string", "null"]},
                    "justification": {"type": "string"},
                    "until": {"type": "string"},
                    "approved_by": {"type": ["string", "null"]},
                    "state": {"enum": ["applied", "expired", "unused", "unknown-criterion"]},
                },
            },
        },
    },
    "$defs": {"child": _CHILD},
}


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema named ``rules``, ``evidence`` or ``report`` (a fresh copy)."""
    if name == "rules":
        out = RuleFile.model_json_schema()
        out["$schema"] = _DIALECT
        out["title"] = "standards rule file"
        return out
    if name == "evidence":
        return copy.deepcopy(EVIDENCE)
    if name == "report":
        return copy.deepcopy(REPORT)
    raise UsageError(
        f"no schema named {name!r}", code="unknown-schema", expected="rules, evidence or report"
    )
