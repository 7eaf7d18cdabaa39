"""One small compile function per check kind, registered in :data:`REGISTRY`.

Modules by family: quantity (value, ratio, count), presence (exists, absent), time
(periodic, age, trend), order (grade, compare), units (each, meets), logic (all, any,
not). Importing this package fills the registry once; nothing mutates it afterwards.
"""

from __future__ import annotations

from . import logic, order, presence, quantity, time, units
from ._base import REGISTRY, STATUSES, CheckFn, CompileEnv, Ctx, Outcome

__all__ = ["REGISTRY", "STATUSES", "CheckFn", "CompileEnv", "Ctx", "Outcome"]

_ = (logic, order, presence, quantity, time, units)
