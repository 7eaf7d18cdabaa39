"""Worker side of ``evaluate_many(jobs=N)``: each process loads the standard once."""

from __future__ import annotations

from typing import Any

__all__ = ["init_worker", "work"]

_STATE: dict[str, Any] = {}


def init_worker(path: str, parameters: dict[str, Any], kwargs: dict[str, Any]) -> None:
    """Load and compile the standard once per worker process."""
    from ._api import load

    _STATE["standard"] = load(path).with_parameters(parameters)
    _STATE["kwargs"] = kwargs


def work(record: Any) -> Any:
    """Evaluate one record in the worker."""
    return _STATE["standard"].evaluate(record, **_STATE["kwargs"])
