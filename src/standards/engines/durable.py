"""The durable_rules engine (being written; see docs/engines.md when it lands)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ..errors import EngineUnavailable

__all__ = ["evaluate"]


def evaluate(std: Any, record: Any, as_of: date, waivers: Sequence[Any]) -> Any:
    """Not available yet: raise a clear error instead of guessing."""
    raise EngineUnavailable("the durable engine is not part of this build yet", code="engine-unavailable")
