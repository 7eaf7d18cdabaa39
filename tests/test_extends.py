"""Profiles: a rule file that ``extends`` a base inherits it, then tailors it (SPEC §1).

The OSCAL-profile idea: a county adopts the provincial standard by id (or by relative
path), sets its own parameter values, excludes what does not apply, overrides what it
weighs differently, and adds its own categories and criteria. What it does not touch
must behave exactly as in the base.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

import standards

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "rules" / "guangdong" / "health-village.yaml"
HOUHUAN = ROOT / "fixtures" / "guangdong" / "houhuan.json"

BASE = """
standard: {id: t.base, title: 基础标准, version: "2011"}
parameters:
  knowledge_rate_min: {value: 75%, description: 健康知识知晓率下限, assumed: true}
  board_every: P3M
scoring: {method: points, pass_mark: 85%}
categories:
  - {id: edu, title: 健康教育, owner: 健康教育宣传组}
  - {id: env, title: 环境卫生, owner: 环境卫生组}
criteria:
  - id: edu.knowledge-rate
    category: edu
    title: 村民健康知识知晓率达到75%以上
    points: 4
    check:
      kind: ratio
      numerator: survey.correct
      denominator: survey.respondents
      min: $knowledge_rate_min
    remediation:
      action: 开展健康教育,将知晓率从{observed}提高到{expected}以上
      owner: 健康教育宣传组
      within: P60D
      evidence: [知晓率调查汇总表]
  - id: edu.board
    category: edu
    title: 宣传栏每季度更换一次
    points: 4
    check: {kind: periodic, event: board.update, every: $board_every, over: P1Y}
  - id: env.toilets
    category: env
    title: 卫生厕所普及
    points: 4
    check: {kind: ratio, numerator: toilets.sanitary, denominator: toilets.total, min: 80%}
"""

PROFILE = """
standard: {id: t.county, title: 某县卫生村标准, version: "2012"}
extends: REF
parameters:
  knowledge_rate_min: 80%
exclude: [edu.board]
override:
  env.toilets:
    points: 6
    remediation: {owner: 爱卫办}
  edu.knowledge-rate:
    remediation: {owner: 县健康教育所}
categories:
  - {id: food, title: 食品卫生, owner: 食品卫生组}
criteria:
  - id: food.licences
    category: food
    title: 餐饮店证照齐全
    points: 2
    check: {kind: absent, path: food.unlicensed}
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def record(**facts: Any) -> dict[str, Any]:
    return {
        "subject": {"id": "v1", "name": "一村", "kind": "village"},
        "as_of": "2011-10-16",
        "facts": facts,
        "events": [],
    }


@pytest.fixture(params=["by-id", "by-path"])
def profile(request: pytest.FixtureRequest, tmp_path: Path) -> standards.Standard:
    """The county profile, extending the base by id or by relative path."""
    base = write(tmp_path, "province/base.yaml", BASE)
    if request.param == "by-id":
        path = write(tmp_path, "county/profile.yaml", PROFILE.replace("REF", "t.base"))
    else:
        path = write(tmp_path, "county/profile.yaml", PROFILE.replace("REF", "../province/base.yaml"))
    std = standards.load(path)
    assert std.files[1][0] == str(base.resolve())
    return std


def test_the_profile_has_its_own_header(profile: standards.Standard) -> None:
    assert (profile.id, profile.version) == ("t.county", "2012")
    assert [Path(p).name for p, _ in profile.files] == ["profile.yaml", "base.yaml"]
    assert all(len(sha) == 64 for _, sha in profile.files)


def test_criteria_excluded_overridden_and_added_in_order(profile: standards.Standard) -> None:
    assert [c.id for c in profile.criteria] == [
        "edu.knowledge-rate",
        "env.toilets",
        "food.licences",
    ]
    toilets = {c.id: c for c in profile.criteria}["env.toilets"]
    assert toilets.points == 6
    assert toilets.title == "卫生厕所普及"  # untouched fields are inherited


def test_remediation_merges_one_level_deep(profile: standards.Standard) -> None:
    rate = {c.id: c for c in profile.criteria}["edu.knowledge-rate"]
    assert rate.remediation is not None
    assert rate.remediation.owner == "县健康教育所"
    # The rest of the base's remediation is kept, not replaced by the override's block.
    assert rate.remediation.action == "开展健康教育,将知晓率从{observed}提高到{expected}以上"
    assert rate.remediation.within == "P60D"
    assert rate.remediation.evidence == ["知晓率调查汇总表"]
    toilets = {c.id: c for c in profile.criteria}["env.toilets"]
    assert toilets.remediation is not None and toilets.remediation.owner == "爱卫办"


def test_parameters_changed_and_inherited(profile: standards.Standard) -> None:
    assert profile.parameters == {"knowledge_rate_min": "80%", "board_every": "P3M"}
    spec = profile.parameter_specs["knowledge_rate_min"]
    # A bare value keeps the base's description; the profile chose it, so not assumed.
    assert (spec.value, spec.description, spec.assumed) == ("80%", "健康知识知晓率下限", False)


def test_categories_inherited_and_added(profile: standards.Standard) -> None:
    assert [(c.id, c.owner) for c in profile.categories] == [
        ("edu", "健康教育宣传组"),
        ("env", "环境卫生组"),
        ("food", "食品卫生组"),
    ]


def test_scoring_is_inherited(profile: standards.Standard) -> None:
    assert profile.scoring.method == "points"
    assert str(profile.scoring.pass_mark) == "85%"


def test_the_profile_evaluates_with_its_changes(profile: standards.Standard) -> None:
    rec = record(
        survey={"correct": 78, "respondents": 100},
        toilets={"sanitary": 70, "total": 100},
        food={"unlicensed": []},
    )
    report = profile.evaluate(rec)
    status = {f.criterion: f.status for f in report.findings}
    # 78% passes the base's 75% but not the county's 80%.
    assert status == {"edu.knowledge-rate": "fail", "env.toilets": "fail", "food.licences": "pass"}
    assert report.score.possible == 4 + 6 + 2
    owners = {item.criterion: item.owner for item in report.remediation}
    assert owners == {"edu.knowledge-rate": "县健康教育所", "env.toilets": "爱卫办"}


def test_base_alone_is_unchanged_by_loading_a_profile(tmp_path: Path) -> None:
    base = write(tmp_path, "base.yaml", BASE)
    write(tmp_path, "profile.yaml", PROFILE.replace("REF", "t.base"))
    standards.load(tmp_path / "profile.yaml")
    std = standards.load(base)
    assert [c.id for c in std.criteria] == ["edu.knowledge-rate", "edu.board", "env.toilets"]
    assert std.parameters["knowledge_rate_min"] == "75%"


def test_a_profile_of_a_profile(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", BASE)
    write(tmp_path, "county.yaml", PROFILE.replace("REF", "t.base"))
    town = write(
        tmp_path,
        "town.yaml",
        """
        standard: {id: t.town, title: 某镇}
        extends: t.county
        parameters: {knowledge_rate_min: 85%}
        exclude: [food.licences]
        """,
    )
    std = standards.load(town)
    assert [c.id for c in std.criteria] == ["edu.knowledge-rate", "env.toilets"]
    assert std.parameters["knowledge_rate_min"] == "85%"
    assert [Path(p).name for p, _ in std.files] == ["town.yaml", "county.yaml", "base.yaml"]


def test_an_id_next_to_the_profile_wins_over_a_namesake_elsewhere(tmp_path: Path) -> None:
    write(tmp_path, "a/base.yaml", BASE)
    write(tmp_path, "b/base.yaml", BASE.replace("基础标准", "另一个基础标准"))
    write(tmp_path, "b/profile.yaml", PROFILE.replace("REF", "t.base"))
    std = standards.load(tmp_path / "b" / "profile.yaml")
    assert Path(std.files[1][0]) == (tmp_path / "b" / "base.yaml").resolve()


@pytest.mark.parametrize("ref", ["gd.health-village", str(BUNDLED)], ids=["by-id", "by-path"])
def test_a_profile_without_changes_finds_what_the_base_finds(tmp_path: Path, ref: str) -> None:
    path = write(
        tmp_path,
        "copy.yaml",
        f"""
        standard: {{id: t.copy, title: 广东省卫生村标准(副本)}}
        extends: {json.dumps(ref)}
        """,
    )
    base = standards.load(BUNDLED)
    copy = standards.load(path)
    assert [c.id for c in copy.criteria] == [c.id for c in base.criteria]
    for rec in (HOUHUAN, ROOT / "fixtures" / "guangdong" / "houhuan-fixed.json"):
        want, got = base.evaluate(rec), copy.evaluate(rec)
        assert got.to_dict()["findings"] == want.to_dict()["findings"]
        assert got.to_dict()["remediation"] == want.to_dict()["remediation"]
        assert (got.verdict, got.score) == (want.verdict, want.score)


def test_extends_by_a_path_relative_to_the_profile(tmp_path: Path) -> None:
    write(tmp_path, "rules/base.yaml", BASE)
    path = write(
        tmp_path,
        "rules/profiles/p.yaml",
        """
        standard: {id: t.p, title: P}
        extends: ../base.yaml
        """,
    )
    assert [c.id for c in standards.load(path).criteria] == [
        "edu.knowledge-rate",
        "edu.board",
        "env.toilets",
    ]
