"""standards: check a community against a Chinese creation standard (创建标准).

Load a standard once, evaluate many evidence records, and get findings, a score, a
verdict and the 整改清单 (what to fix, by whom, by when)::

    import standards
    std = standards.load_bundled("gd.health-village")
    report = std.evaluate("fixtures/guangdong/houhuan.json")
    report.verdict, report.score, report.findings, report.remediation
"""

from ._api import Limits, Standard, bundled, load, load_bundled, read_evidence
from ._evaluator import Decision
from .errors import (
    EngineUnavailable,
    EvidenceError,
    Problem,
    RuleSetError,
    StandardsError,
    UsageError,
    WaiverError,
)
from .evidence import MISSING, Evidence
from .report import render
from .results import CategoryScore, Finding, RemediationItem, Report, Score, WaiverUse
from .schemas import schema
from .waivers import Waiver, load_waivers

__version__ = "0.1.0"

__all__ = [
    "MISSING",
    "CategoryScore",
    "Decision",
    "EngineUnavailable",
    "Evidence",
    "EvidenceError",
    "Finding",
    "Limits",
    "Problem",
    "RemediationItem",
    "Report",
    "RuleSetError",
    "Score",
    "Standard",
    "StandardsError",
    "UsageError",
    "Waiver",
    "WaiverError",
    "WaiverUse",
    "__version__",
    "bundled",
    "load",
    "load_bundled",
    "load_waivers",
    "read_evidence",
    "render",
    "schema",
]
