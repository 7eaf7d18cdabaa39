"""The one exception hierarchy of `standards`.

Findings are values; exceptions are only for inputs that cannot be used at all::

    StandardsError (Exception)           code, message, file, line, column, path, expected, hint
    ├── RuleSetError (ValueError)        a rule file that cannot be loaded; carries every Problem
    ├── EvidenceError (ValueError)       an evidence record of the wrong shape (JSON path named)
    ├── WaiverError (ValueError)         a waiver file or argument that cannot be used
    ├── UsageError (ValueError)          a bad argument to the API or the CLI
    └── EngineUnavailable (RuntimeError) an optional engine (durable_rules) cannot be imported

Each error carries a stable kebab-case ``code`` so callers (and the CLI's exit codes) can
react to the kind of problem without parsing the message.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EngineUnavailable",
    "EvidenceError",
    "Problem",
    "RuleSetError",
    "StandardsError",
    "UsageError",
    "WaiverError",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located as precisely as the input allows.

    Attributes:
        code: stable kebab-case identifier, e.g. ``unknown-field``.
        message: one sentence saying what is wrong and what was expected.
        file: the file it is in, when there is one.
        line: 1-based line, when known.
        column: 1-based column, when known.
        path: where inside the document, e.g. ``criteria[3].check.kind`` or ``$.facts.a``.
        hint: a "did you mean …" or similar suggestion.

    """

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None
    hint: str | None = None

    def location(self) -> str:
        """``file:line:col`` as far as it is known (the form editors jump to)."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.column if self.column is not None else 1))
        return ":".join(parts)

    def __str__(self) -> str:
        where = f" (at {self.path})" if self.path else ""
        hint = f"; {self.hint}" if self.hint else ""
        return f"{self.location()}: {self.code}: {self.message}{where}{hint}"


class StandardsError(Exception):
    """Base of every error this library raises on purpose."""

    code: str = "standards-error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.expected = expected
        self.hint = hint

    def as_problem(self) -> Problem:
        """This error as a :class:`Problem` (for uniform printing)."""
        msg = self.message if self.expected is None else f"{self.message}; expected {self.expected}"
        return Problem(self.code, msg, self.file, self.line, self.column, self.path, self.hint)

    def __str__(self) -> str:
        return str(self.as_problem())


class RuleSetError(StandardsError, ValueError):
    """A rule file (or a set of them) cannot be loaded.

    Loading collects every problem it can find (up to a limit) and raises once, so the
    author sees all mistakes in one run. ``problems`` holds them in file/line order.
    """

    code = "rule-set-error"

    def __init__(self, problems: list[Problem], *, truncated: bool = False) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.column or 0, p.code))
        self.truncated = truncated
        first = self.problems[0] if self.problems else Problem("rule-set-error", "invalid rules")
        super().__init__(
            first.message,
            code=first.code,
            file=first.file,
            line=first.line,
            column=first.column,
            path=first.path,
            hint=first.hint,
        )

    def __str__(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.truncated:
            lines.append("(more problems were found; fix these first)")
        return "\n".join(lines)


class EvidenceError(StandardsError, ValueError):
    """An evidence record whose shape makes it unusable (the JSON path says where)."""

    code = "evidence-error"


class WaiverError(StandardsError, ValueError):
    """A waiver that cannot be used (no justification, no date, unknown criterion)."""

    code = "waiver-error"


class UsageError(StandardsError, ValueError):
    """A bad argument to the API or the command line."""

    code = "usage-error"


class EngineUnavailable(StandardsError, RuntimeError):
    """An optional engine was asked for but cannot be used here (the message says why)."""

    code = "engine-unavailable"
