"""Mutation test of the rule-set checks: plant a defect, see which check catches it.

Each mutant is a copy of a bundled rule file with one typical author's mistake. The
checks run cheapest first — load/lint, the golden cases next to the fixtures, then the
invariants of :mod:`standards.testing.invariants` — and the first one that objects is
recorded. A mutant nobody catches is a hole in the safety net.

Run ``python tests/properties/mutation_test.py`` for the table (it is copied into
docs/testing-rule-sets.md); ``tests/properties/test_mutations.py`` asserts every mutant
is caught.
"""

from __future__ import annotations

import copy
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

import standards
from standards._cases import run_case_file
from standards.testing.invariants import run_properties

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path("guangdong/health-village.yaml")
CASES = ROOT / "fixtures/guangdong/houhuan.cases.yaml"

Data = dict[str, Any]


class Files:
    """The YAML files of a copied rules/ tree, editable by criterion id."""

    def __init__(self, rules: Path) -> None:
        self.rules = rules
        self.data = {p: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(rules.rglob("*.yaml"))}
        self.target = rules / TARGET

    @property
    def main(self) -> Data:
        """The standard under test (its own file)."""
        return self.data[self.target]  # type: ignore[no-any-return]

    def criterion(self, cid: str) -> Data:
        """The criterion as the standard under test sees it.

        A profile's ``override`` entry wins over the base definition: the defect is
        planted where it takes effect (the entry gets a copy of the base check first).
        """
        base = None
        for data in self.data.values():
            for c in (data or {}).get("criteria", []) or []:
                if c.get("id") == cid:
                    base = c
        override = (self.main.get("override") or {}).get(cid)
        if override is not None:
            if "check" not in override and base is not None:
                override["check"] = copy.deepcopy(base["check"])
            return override  # type: ignore[no-any-return]
        if base is None:
            raise KeyError(cid)
        return base

    def save(self) -> None:
        """Write every file back."""
        for p, data in self.data.items():
            p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _crit(files: Files, cid: str) -> Data:
    return files.criterion(cid)


def flip_min_to_max(data: Files) -> Files:
    chk = _crit(data, "edu.knowledge-rate")["check"]
    chk["max"] = chk.pop("min")
    return data


def threshold_above_100(data: Files) -> Files:
    _crit(data, "env.road-hardening")["check"]["min"] = "120%"
    return data


def all_to_any(data: Files) -> Files:
    _crit(data, "vector.aedes-sites")["check"]["kind"] = "any"
    return data


def impossible_mandatory(data: Files) -> Files:
    c = _crit(data, "org.leading-group")
    c["mandatory"] = True
    c["check"] = {
        "kind": "all",
        "checks": [
            {"kind": "exists", "path": "org.leading_group.established"},
            {"kind": "not", "check": {"kind": "exists", "path": "org.leading_group.established"}},
        ],
    }
    return data


def unreachable_pass_mark(data: Files) -> Files:
    data.main["scoring"] = {**(data.main.get("scoring") or {"method": "points"}), "pass_mark": 200}
    return data


def guard_never_true(data: Files) -> Files:
    _crit(data, "env.garbage-daily")["applies_when"] = {
        "kind": "all",
        "checks": [
            {"kind": "exists", "path": "env.has_garbage"},
            {"kind": "not", "check": {"kind": "exists", "path": "env.has_garbage"}},
        ],
    }
    return data


def override_out_of_existence(data: Files) -> Files:
    # A profile of the standard that overrides a criterion to be worth nothing.
    profile = data.rules / TARGET.parent / "profile.yaml"
    data.data[profile] = {
        "standard": {**data.main["standard"], "id": "gd.health-village-profile"},
        "extends": "gd.health-village",
        "override": {"edu.knowledge-rate": {"points": 0}},
    }
    return data


def parameter_typo(data: Files) -> Files:
    _crit(data, "edu.behavior-rate")["check"]["min"] = "$behaviour_rate_min"
    return data


def always_true(data: Files) -> Files:
    _crit(data, "org.working-groups")["check"]["min"] = 0
    return data


def share_zero(data: Files) -> Files:
    # min_share 0% on a per-unit duty: any set of food businesses "passes".
    _crit(data, "food.licences")["check"]["min_share"] = "0%"
    return data


@dataclass(frozen=True)
class Mutant:
    """One planted defect."""

    name: str
    defect: str
    mutate: Callable[[Files], Files]
    profile: bool = False


MUTANTS = [
    Mutant("flip-min-max", "a minimum written as a maximum (知晓率 ≤ 75%)", flip_min_to_max),
    Mutant("above-100", "a rate threshold above 100% (硬底化率 ≥ 120%)", threshold_above_100),
    Mutant("all-to-any", "`all` turned into `any`", all_to_any),
    Mutant("impossible-mandatory", "a mandatory criterion whose check can never pass", impossible_mandatory),
    Mutant("pass-mark", "points that make the pass mark unreachable (200 of 110)", unreachable_pass_mark),
    Mutant("guard-never-true", "an `applies_when` that is never true", guard_never_true),
    Mutant(
        "override-away",
        "a profile overriding a criterion out of existence (points: 0)",
        override_out_of_existence,
        profile=True,
    ),
    Mutant("param-typo", "a parameter typo ($behaviour_rate_min)", parameter_typo),
    Mutant("always-true", "a criterion that can never fail (count ≥ 0)", always_true),
    Mutant("share-zero", "an `each` roll-up with min_share 0% (every unit may fail)", share_zero),
]


def _cases_for(std_path: Path, tmp: Path) -> Path:
    data = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    data["standard"] = str(std_path)
    for case in data["cases"]:
        if isinstance(case.get("evidence"), str):
            case["evidence"] = str((CASES.parent / case["evidence"]).resolve())
    out = tmp / "mutant.cases.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def _prepare(mutant: Mutant, tmp: Path) -> Path:
    """Copy rules/ into tmp, plant the defect, return the rule file to load."""
    rules = tmp / "rules"
    shutil.copytree(ROOT / "rules", rules)
    files = mutant.mutate(Files(rules))
    files.save()
    return rules / TARGET.parent / "profile.yaml" if mutant.profile else rules / TARGET


def caught_by(mutant: Mutant, examples: int = 15) -> str | None:
    """The name of the first check that objects to the mutant (None if none does)."""
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        path = _prepare(mutant, tmp)
        try:
            std = standards.load(path)
        except standards.RuleSetError as exc:
            return f"lint ({exc.problems[0].code})"
        if any(not r.ok for r in run_case_file(_cases_for(path, tmp), std)):
            return "golden cases"
        for res in run_properties(std, examples, stop_early=True):
            if not res.ok:
                return res.name
    return None


def table(examples: int = 15) -> list[tuple[Mutant, str | None]]:
    """(mutant, catching check) for every mutant."""
    return [(m, caught_by(m, examples)) for m in MUTANTS]


def matrix(examples: int = 15) -> list[tuple[Mutant, list[str]]]:
    """(mutant, every check that objects) — the full picture, for the docs."""
    out = []
    for m in MUTANTS:
        with tempfile.TemporaryDirectory() as d:
            tmp = Path(d)
            path = _prepare(m, tmp)
            try:
                std = standards.load(path)
            except standards.RuleSetError as exc:
                out.append((m, [f"lint ({exc.problems[0].code})"]))
                continue
            hits = ["golden cases"] if any(not r.ok for r in run_case_file(_cases_for(path, tmp), std)) else []
            hits += [r.name for r in run_properties(std, examples) if not r.ok]
            out.append((m, hits))
    return out


if __name__ == "__main__":
    if "--all" in sys.argv:
        full = matrix()
        print("| mutant | defect planted | caught by (every check that objects) |")
        print("|---|---|---|")
        for m, hits in full:
            print(f"| `{m.name}` | {m.defect} | {', '.join(hits) or '**NOT CAUGHT**'} |")
        sys.exit(0 if all(hits for _, hits in full) else 1)
    rows = table()
    print("| mutant | defect planted | first check to catch it |")
    print("|---|---|---|")
    for m, by in rows:
        print(f"| `{m.name}` | {m.defect} | {by or '**NOT CAUGHT**'} |")
    sys.exit(0 if all(by for _, by in rows) else 1)
