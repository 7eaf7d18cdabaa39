"""Throughput of the engine on a 51-criterion standard, against a hand-written decider.

The workload follows the shape of 江苏省卫生镇 (10 大项, 51 小项, 4 必备条件; sources
S3:1085-1087): one rule file of 51 threshold criteria and N evidence records of about
sixty leaf facts each. The 51 小项 themselves are not listed in the sources, so the
criteria, thresholds and points here are a realistic invention (see the header of
``standard_51.yaml``), generated deterministically by :func:`build_standard`.

Three deciders run over the same records:

* ``hand_decide`` — a function written by hand for this one standard, the way a
  competent developer would write it without a rule engine (the floor);
* ``Standard.decide`` — the engine's fast path (verdict and statuses);
* ``Standard.evaluate`` — the full Report: every finding's status and points, score,
  verdict, the 整改清单 items with priority, owner and due date. Each finding's outcome
  (observed value, explanation arguments, evidence read) and each item's action and gap
  are computed on first read, by the check that decided;
* ``evaluate`` + every outcome, action and gap read (``materialize``): what a report
  costs when every detail is used;
* ``.to_dict()`` on it: all of that plus every sentence rendered as text.

``hand_decide`` must agree with ``Standard.decide`` on every record (statuses and
verdict) before anything is timed; a disagreement is printed and the run exits 1.

Usage::

    python benchmarks/bench_51.py --records 5000     # the full run
    python benchmarks/bench_51.py --quick            # smoke: a few hundred records, < 5 s
    python benchmarks/bench_51.py --write-standard   # regenerate standard_51.yaml
    python benchmarks/bench_51.py --profile decide   # cProfile: decide | evaluate | materialize | report
    python benchmarks/bench_51.py --check-targets    # exit 2 if a ratio target is missed

Timing targets (ratio to hand-written): decide ≤ 2×, full report ≤ 6×. They are printed,
not enforced, unless ``--check-targets`` is given: timings on shared machines are noisy.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import math
import os
import platform
import pstats
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

import standards

HERE = Path(__file__).resolve().parent
STANDARD_PATH = HERE / "standard_51.yaml"
AS_OF = "2011-10-16"
QUICK_RECORDS, QUICK_REPEATS = 200, 2

PASS, FAIL = "pass", "fail"
MISSING, INVALID = "missing_evidence", "invalid_evidence"

# =========================================================================================
# 1. The standard
# =========================================================================================

PARAMETERS: dict[str, str] = {
    "knowledge_rate_min": "80%",  # 居民健康知识知晓率
    "behavior_rate_min": "70%",  # 健康行为形成率
    "garbage_harmless_min": "90%",  # 生活垃圾无害化处理率 (必备条件 2)
    "tap_water_min": "95%",  # 自来水普及率 (必备条件 4)
    "toilet_min": "85%",  # 无害化卫生户厕普及率 (必备条件 4)
    "sewage_min": "70%",  # 生活污水集中处理率
    "vector_max": "3%",  # 鼠、蚊、蝇、蟑螂密度 (阳性率)
    "satisfaction_min": "80%",  # 群众满意率
}

CATEGORIES: list[tuple[str, str, str]] = [
    ("org", "爱国卫生组织管理", "综合组"),
    ("edu", "健康教育", "健康教育组"),
    ("env", "环境卫生", "集镇办"),
    ("eco", "环境保护", "环保办"),
    ("vector", "病媒生物防制", "除四害小组"),
    ("sup", "卫生监督", "卫生监督所"),
    ("dis", "疾病预防与控制", "卫生院(防保所)"),
    ("unit", "社区和单位卫生", "台帐资料组"),
    ("vil", "镇辖村卫生", "村建所"),
    ("sat", "群众满意度", "督查组"),
]


def chk_ratio(num: str, den: str, lo: str, unit: str = "") -> dict[str, Any]:
    check: dict[str, Any] = {"kind": "ratio", "numerator": num, "denominator": den, "min": lo}
    if unit:
        check["unit"] = unit
    return check


def chk_value(path: str, lo: Any = None, hi: Any = None, unit: str = "") -> dict[str, Any]:
    check: dict[str, Any] = {"kind": "value", "path": path}
    if lo is not None:
        check["min"] = lo
    if hi is not None:
        check["max"] = hi
    if unit:
        check["unit"] = unit
    return check


def chk_count(path: str, lo: int, unit: str = "", where: dict[str, Any] | None = None) -> dict[str, Any]:
    check: dict[str, Any] = {"kind": "count", "path": path, "min": lo}
    if where:
        check["where"] = where
    if unit:
        check["unit"] = unit
    return check


def chk_exists(path: str) -> dict[str, Any]:
    return {"kind": "exists", "path": path}


def chk_absent(path: str, unit: str = "") -> dict[str, Any]:
    check: dict[str, Any] = {"kind": "absent", "path": path}
    if unit:
        check["unit"] = unit
    return check


def chk_compare(left: str, op: str, right: str) -> dict[str, Any]:
    return {"kind": "compare", "left": left, "op": op, "right": right}


def chk_all(*checks: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "all", "checks": list(checks)}


# (id, category, title, points, mandatory, check, action, owner or None, within, evidence)
_Row = tuple[str, str, str, int, bool, dict[str, Any], str, str | None, str, list[str]]

CRITERIA: list[_Row] = [
    # ---------------------------------------------------------------- 1 爱国卫生组织管理 (100)
    ("org.city-title", "org", "取得省辖市卫生镇称号一年以上", 0, True,
     chk_value("org.city_title_years", 1, unit="年"),
     "保持省辖市卫生镇称号满一年后再申报(现为{observed}年)", "领导小组", "P30D",
     ["省辖市卫生镇命名文件"]),
    ("org.leading-group", "org", "成立创建省卫生镇工作领导小组", 20, False,
     chk_exists("org.leading_group"),
     "成立创卫领导小组,由镇长任组长,明确成员分工", "领导小组", "P14D",
     ["成立领导小组的文件"]),
    ("org.budget", "org", "爱国卫生经费列入财政预算并逐年增长", 20, False,
     chk_compare("org.budget_this_year", ">=", "org.budget_last_year"),
     "追加爱国卫生经费,使本年度经费不低于上年度({gap}万元)", "财政所", "P60D",
     ["本年度及上年度爱卫经费预算表"]),
    ("org.ledger", "org", "创卫台帐资料齐全,分类归档", 20, False,
     chk_value("org.ledger_complete_rate", "90%"),
     "补齐台帐资料,归档率从{observed}提高到{expected}", "台帐资料组", "P14D",
     ["台帐资料目录及归档清单"]),
    ("org.meetings", "org", "每季度召开一次爱卫会全体成员会议", 20, False,
     chk_count("org.meetings", 4, "次", {"type": "爱卫会"}),
     "按季度召开爱卫会全体成员会议(本年已开{observed}次,应{expected})", "综合组", "P30D",
     ["会议记录及签到表"]),
    ("org.staff", "org", "配备专职爱卫干部", 20, False,
     chk_count("org.full_time_staff", 2, "名"),
     "配齐专职爱卫干部(现有{observed}名,应{expected})", "综合组", "P30D",
     ["爱卫干部任命文件"]),
    # ---------------------------------------------------------------- 2 健康教育 (100)
    ("edu.knowledge-rate", "edu", "居民健康知识知晓率达到80%以上", 20, False,
     chk_value("edu.knowledge_rate", "$knowledge_rate_min"),
     "开展健康教育,将居民健康知识知晓率从{observed}提高到{expected}", None, "P60D",
     ["健康知识知晓率调查问卷及汇总表"]),
    ("edu.behavior-rate", "edu", "居民健康行为形成率达到70%以上", 15, False,
     chk_value("edu.behavior_rate", "$behavior_rate_min"),
     "开展健康行为干预,将健康行为形成率从{observed}提高到{expected}", None, "P60D",
     ["健康行为形成率调查汇总表"]),
    ("edu.boards", "edu", "镇区主要街道设置健康教育宣传栏", 15, False,
     chk_count("edu.boards", 4, "块"),
     "增设健康教育宣传栏{gap}", None, "P30D", ["宣传栏照片"]),
    ("edu.board-updates", "edu", "健康教育宣传栏每月更换一次", 15, False,
     chk_count("edu.board_updates_year", 12, "次"),
     "按月更换宣传栏内容(本年{observed}次,应{expected})", None, "P30D", ["宣传栏更换记录"]),
    ("edu.school-course", "edu", "中小学健康教育开课率100%", 15, False,
     chk_value("edu.school_course_rate", "100%"),
     "督促中小学开足健康教育课(现开课率{observed})", "教办", "P60D", ["课程表"]),
    ("edu.no-tobacco-ads", "edu", "镇区无烟草广告", 10, False,
     chk_absent("edu.tobacco_ads", "处"),
     "拆除烟草广告{gap}", "工商分局", "P14D", ["整治前后照片"]),
    ("edu.smoke-free", "edu", "无烟单位占单位总数60%以上", 10, False,
     chk_ratio("edu.smoke_free_units", "units.total", "60%", "家"),
     "创建无烟单位,{gap}", None, "P90D", ["无烟单位名单"]),
    # ---------------------------------------------------------------- 3 环境卫生 (140)
    ("env.garbage", "env", "垃圾处理达到标准要求", 0, True,
     chk_all(chk_ratio("env.garbage.harmless_tons_day", "env.garbage.collected_tons_day",
                 "$garbage_harmless_min", "吨/日"),
          chk_exists("env.garbage.transfer_station")),
     "完善垃圾收运处理体系:{gap}", "集镇办", "P30D",
     ["垃圾无害化处理台帐", "垃圾中转站验收材料"]),
    ("env.roads", "env", "镇区主次干道硬化率95%以上", 20, False,
     chk_value("env.road_hardening_rate", "95%"),
     "硬化未硬化路段,硬化率从{observed}提高到{expected}", "村建所", "P90D",
     ["道路硬化统计表"]),
    ("env.cleaners", "env", "保洁员按标准配备", 20, False,
     chk_compare("env.cleaners", ">=", "env.cleaners_required"),
     "增配保洁员({gap}名)", "集镇办", "P30D", ["保洁员花名册"]),
    ("env.bins", "env", "垃圾桶(箱)设置合理", 15, False,
     chk_count("env.bins", 50, "个"),
     "增设垃圾桶(箱){gap}", "集镇办", "P30D", ["垃圾桶(箱)分布图"]),
    ("env.public-toilets", "env", "公厕达到三类以上标准的占90%以上", 20, False,
     chk_ratio("env.toilets.class3_plus", "env.toilets.total", "90%", "座"),
     "改造公厕:{gap}", "村建所", "P90D", ["公厕改造清单"]),
    ("env.daily-clearance", "env", "生活垃圾日产日清", 15, False,
     chk_compare("env.garbage.collected_tons_day", ">=", "env.garbage.produced_tons_day"),
     "提高清运能力,做到日产日清(差{gap}吨/日)", "集镇办", "P30D", ["垃圾清运记录"]),
    ("env.no-open-dumps", "env", "无暴露垃圾和卫生死角", 15, False,
     chk_absent("env.open_dumps", "处"),
     "清除暴露垃圾和卫生死角{gap}", "集镇办", "P7D", ["整治前后照片"]),
    ("env.no-illegal-buildings", "env", "无违章建筑", 10, False,
     chk_absent("env.illegal_buildings", "处"),
     "拆除违章建筑{gap}", "城管中队", "P60D", ["拆违台帐"]),
    ("env.market", "env", "农贸市场布局合理、设施完善", 15, False,
     chk_all(chk_exists("env.market.drainage"), chk_absent("env.market.live_poultry_violations", "起")),
     "整治农贸市场:{gap}", "工商分局", "P30D", ["农贸市场整治方案"]),
    ("env.green", "env", "人均公共绿地面积6平方米以上", 10, False,
     chk_value("env.green_m2_per_capita", 6, unit="平方米"),
     "增加公共绿地,人均还差{gap}", "村建所", "P90D", ["绿化统计表"]),
    # ---------------------------------------------------------------- 4 环境保护 (100)
    ("eco.indicators", "eco", "环境保护各项指标达到标准要求", 0, True,
     chk_ratio("eco.indicators_met", "eco.indicators_total", "100%", "项"),
     "整改未达标的环保指标({gap})", "环保办", "P30D", ["环境监测报告"]),
    ("eco.sewage", "eco", "生活污水集中处理率达到70%以上", 25, False,
     chk_value("eco.sewage_treatment_rate", "$sewage_min"),
     "扩大污水管网覆盖,处理率从{observed}提高到{expected}", "环保办", "P90D",
     ["污水处理厂运行台帐"]),
    ("eco.air-days", "eco", "空气质量优良天数比例85%以上", 25, False,
     chk_value("eco.air_good_days_rate", "85%"),
     "治理大气污染源,优良天数比例从{observed}提高到{expected}", "环保办", "P90D",
     ["空气质量监测年报"]),
    ("eco.noise", "eco", "区域环境噪声平均值不超过60分贝", 25, False,
     chk_value("eco.noise_db", hi=60, unit="分贝"),
     "治理噪声源,降低{gap}", "环保办", "P60D", ["噪声监测报告"]),
    ("eco.no-pollution-incidents", "eco", "近三年无重大环境污染事故", 25, False,
     chk_absent("eco.pollution_incidents", "起"),
     "查处环境污染事故{gap}并落实整改", "环保办", "P30D", ["环保部门证明"]),
    # ---------------------------------------------------------------- 5 病媒生物防制 (100)
    ("vector.rat", "vector", "鼠密度控制在国家标准以内", 20, False,
     chk_value("vector.rat_positive_rate", hi="$vector_max"),
     "开展灭鼠,阳性率从{observed}降到{expected}", None, "P30D", ["鼠密度监测报告"]),
    ("vector.mosquito", "vector", "蚊虫密度控制在国家标准以内", 20, False,
     chk_value("vector.mosquito_container_rate", hi="$vector_max"),
     "清除积水,容器阳性率从{observed}降到{expected}", None, "P30D", ["蚊虫密度监测报告"]),
    ("vector.fly", "vector", "苍蝇密度控制在国家标准以内", 20, False,
     chk_value("vector.fly_positive_rate", hi="$vector_max"),
     "开展灭蝇,阳性率从{observed}降到{expected}", None, "P30D", ["蝇密度监测报告"]),
    ("vector.cockroach", "vector", "蟑螂密度控制在国家标准以内", 20, False,
     chk_value("vector.cockroach_rate", hi="$vector_max"),
     "开展灭蟑,侵害率从{observed}降到{expected}", None, "P30D", ["蟑螂密度监测报告"]),
    ("vector.team", "vector", "有专业消杀队伍", 20, False,
     chk_exists("vector.pest_team"),
     "组建专业消杀队伍", None, "P30D", ["消杀队伍人员名单及资质"]),
    # ---------------------------------------------------------------- 6 卫生监督 (100)
    ("sup.food-licences", "sup", "食品生产经营单位持证率100%", 25, False,
     chk_ratio("sup.food.licensed", "sup.food.businesses", "100%", "家"),
     "为无证食品经营单位办证:{gap}", None, "P30D", ["食品经营许可台帐"]),
    ("sup.health-certs", "sup", "从业人员健康证持证率95%以上", 25, False,
     chk_ratio("sup.food.staff_certified", "sup.food.staff", "95%", "人"),
     "组织从业人员体检办证:{gap}", None, "P30D", ["健康证登记表"]),
    ("sup.public-places", "sup", "公共场所卫生许可证持证率95%以上", 20, False,
     chk_value("sup.public_licence_rate", "95%"),
     "督促公共场所办理卫生许可证,持证率从{observed}提高到{expected}", None, "P30D",
     ["公共场所卫生许可台帐"]),
    ("sup.no-food-poisoning", "sup", "近三年无重大食物中毒事故", 20, False,
     chk_absent("sup.food_poisoning_incidents", "起"),
     "查处食物中毒事故{gap}并落实整改", None, "P30D", ["卫生监督部门证明"]),
    ("sup.inspections", "sup", "每月开展卫生监督检查", 10, False,
     chk_count("sup.inspections", 12, "次"),
     "按月开展卫生监督检查(本年{observed}次,应{expected})", None, "P30D", ["监督检查记录"]),
    # ---------------------------------------------------------------- 7 疾病预防与控制 (100)
    ("dis.water-toilet", "dis", "生活饮用水安全和无害化卫生户厕普及率达到标准要求", 0, True,
     chk_all(chk_ratio("households.tap_water", "households.total", "$tap_water_min", "户"),
          chk_ratio("households.sanitary_toilet", "households.total", "$toilet_min", "户"),
          chk_value("water.residual_chlorine", 0.05, 4, "mg/L")),
     "改水改厕:{gap}", "卫生院(防保所)", "P30D",
     ["自来水普及率统计表", "无害化卫生户厕统计表", "末梢水余氯检测报告"]),
    ("dis.immunization", "dis", "儿童计划免疫接种率95%以上", 25, False,
     chk_value("dis.immunization_rate", "95%"),
     "开展查漏补种,接种率从{observed}提高到{expected}", None, "P30D", ["预防接种报表"]),
    ("dis.reporting", "dis", "法定传染病报告率100%", 25, False,
     chk_value("dis.report_rate", "100%"),
     "落实传染病网络直报(报告率{observed})", None, "P14D", ["传染病报告登记"]),
    ("dis.health-center", "dis", "镇卫生院达到标准化建设要求", 25, False,
     chk_exists("dis.health_center"),
     "推进镇卫生院标准化建设", None, "P90D", ["卫生院标准化验收材料"]),
    ("dis.no-outbreak", "dis", "近三年无甲、乙类传染病暴发", 25, False,
     chk_absent("dis.outbreaks", "起"),
     "处置传染病暴发疫情{gap}", None, "P7D", ["疫情处置报告"]),
    # ---------------------------------------------------------------- 8 社区和单位卫生 (100)
    ("unit.health-units", "unit", "卫生先进单位占60%以上", 40, False,
     chk_ratio("units.health_units", "units.total", "60%", "家"),
     "开展卫生单位创建,{gap}", None, "P90D", ["卫生先进单位名单"]),
    ("unit.communities", "unit", "建成卫生社区(小区)2个以上", 30, False,
     chk_count("units.healthy_communities", 2, "个"),
     "创建卫生社区(小区){gap}", None, "P90D", ["卫生社区命名文件"]),
    ("unit.canteens", "unit", "单位食堂卫生考核80分以上", 30, False,
     chk_value("units.canteen_score", 80, 100, "分"),
     "整改单位食堂卫生,考核分从{observed}提高到{expected}", None, "P30D",
     ["食堂卫生考核表"]),
    # ---------------------------------------------------------------- 9 镇辖村卫生 (100)
    ("vil.health-villages", "vil", "市级以上卫生村占行政村60%以上", 40, False,
     chk_ratio("vil.health_villages", "vil.villages", "60%", "个村"),
     "推进卫生村创建,{gap}", None, "P90D", ["卫生村命名文件"]),
    ("vil.garbage-chain", "vil", "各村实行组保洁、村收集、镇中转", 30, False,
     chk_ratio("vil.villages_with_collection", "vil.villages", "100%", "个村"),
     "在其余行政村建立组保洁、村收集、镇中转体系:{gap}", None, "P60D",
     ["各村保洁收运台帐"]),
    ("vil.rural-toilets", "vil", "农村卫生户厕普及率80%以上", 30, False,
     chk_value("vil.rural_toilet_rate", "80%"),
     "推进农村改厕,普及率从{observed}提高到{expected}", None, "P90D", ["农村改厕统计表"]),
    # ---------------------------------------------------------------- 10 群众满意度 (60)
    ("sat.survey", "sat", "群众对卫生状况满意率80%以上", 40, False,
     chk_ratio("sat.satisfied", "sat.respondents", "$satisfaction_min", "人"),
     "针对群众意见整改,满意率{gap}", None, "P60D", ["群众满意度调查问卷及汇总表"]),
    ("sat.complaints", "sat", "群众卫生投诉办结率95%以上", 20, False,
     chk_value("sat.complaint_handled_rate", "95%"),
     "办结群众投诉,办结率从{observed}提高到{expected}", None, "P30D", ["投诉处理登记"]),
]

# One criterion earns partial credit (每低1个百分点扣2分), as Chinese scoring tables do.
DEDUCT = {"edu.knowledge-rate": {"per": "1%", "points": 2}}

_HEADER = """\
# GENERATED by benchmarks/bench_51.py (build_standard); do not edit by hand.
# Regenerate with:  python benchmarks/bench_51.py --write-standard
#
# A benchmark workload shaped like 江苏省卫生镇标准: 10 大项, 51 小项, 4 必备条件
# (structure: sources S3:1085-1087). The sources name the 10 categories and the
# 4 prerequisites but NOT the 51 sub-items, their thresholds or their points: the
# criteria below are a realistic invention for timing, not the real standard.
# Points total 1000; the 4 必备条件 carry no points (they are gates).
"""


def build_standard() -> dict[str, Any]:
    """The rule file as data: deterministic, so the YAML can always be regenerated."""
    cats = [{"id": cid, "title": title, "owner": owner} for cid, title, owner in CATEGORIES]
    crits: list[dict[str, Any]] = []
    for cid, cat, title, pts, mandatory, check, action, owner, within, evidence in CRITERIA:
        crit: dict[str, Any] = {
            "id": cid,
            "category": cat,
            "title": title,
            "mandatory": mandatory,
            "points": pts,
        }
        if cid in DEDUCT:
            crit["deduct"] = dict(DEDUCT[cid])
        crit["check"] = check
        rem: dict[str, Any] = {"action": action}
        if owner:
            rem["owner"] = owner
        rem["within"] = within
        rem["evidence"] = list(evidence)
        crit["remediation"] = rem
        crit["source"] = "benchmark workload (江苏省卫生镇 structure, S3:1085-1087); item invented"
        crits.append(crit)
    return {
        "standard": {
            "id": "bench.js-health-town-51",
            "title": "江苏省卫生镇标准(基准测试用,51小项)",
            "version": "bench-1",
            "level": "provincial",
            "region": "江苏省",
            "applies_to": ["town"],
            "source": "structure from 下蜀镇创建江苏省卫生镇工作总结 (S3:1085-1087)",
        },
        "parameters": dict(PARAMETERS),
        "scoring": {
            "method": "points",
            "pass_mark": "85%",
            "grades": [{"name": "优秀", "min": "95%"}, {"name": "达标", "min": "85%"}],
        },
        "categories": cats,
        "criteria": crits,
    }


def standard_text() -> str:
    """The YAML text of ``standard_51.yaml``."""
    body = yaml.safe_dump(
        build_standard(), allow_unicode=True, sort_keys=False, width=100, default_flow_style=None
    )
    return _HEADER + body


def write_standard(path: Path = STANDARD_PATH) -> Path:
    """(Re)write the committed rule file."""
    path.write_text(standard_text(), encoding="utf-8")
    return path


def load_standard(path: Path = STANDARD_PATH) -> standards.Standard:
    """Load the committed file; refuse a stale one (it must equal the generator's output)."""
    if not path.exists() or path.read_text(encoding="utf-8") != standard_text():
        raise SystemExit(
            f"{path} is missing or differs from build_standard(); "
            "run: python benchmarks/bench_51.py --write-standard"
        )
    return standards.load(path)


# =========================================================================================
# 2. The records
# =========================================================================================

_ABSENT = object()  # "leave the key out"
_BLANKS = ("__", "XX", "", "___", "xx")
_TEXTS = ("约八成", "良好", "基本达标", "N/A", "见附件")


@dataclass(frozen=True)
class Profile:
    """How good a town's evidence is: chance of a failing value, of a missing or bad one."""

    name: str
    p_fail: float
    p_missing: float
    p_blank: float
    p_odd: float  # non-numeric text, a boolean, a percent written as 87, a string number


PROFILES = (
    (0.45, Profile("good", 0.02, 0.006, 0.003, 0.004)),
    (0.35, Profile("medium", 0.10, 0.02, 0.008, 0.01)),
    (0.20, Profile("poor", 0.30, 0.05, 0.02, 0.02)),
)


class _Gen:
    """Draws one record's leaf facts, with the profile's share of fails and bad values."""

    def __init__(self, rng: random.Random, profile: Profile) -> None:
        self.rng = rng
        self.p = profile

    def ok(self) -> bool:
        return self.rng.random() >= self.p.p_fail

    def noisy(self, value: Any, kind: str) -> Any:
        """Maybe replace a value by what real 台帐 contain: nothing, null, blanks, odd text."""
        r = self.rng.random()
        p = self.p
        if r < p.p_missing:
            return _ABSENT if self.rng.random() < 0.6 else None
        r -= p.p_missing
        if r < p.p_blank:
            return self.rng.choice(_BLANKS)
        r -= p.p_blank
        if r < p.p_odd:
            odd = self.rng.random()
            if odd < 0.3:
                return self.rng.choice(_TEXTS)
            if odd < 0.45:
                return self.rng.random() < 0.5
            if kind == "rate" and isinstance(value, float):
                # a percentage written as a plain number: 87 instead of 0.87 (invalid)
                return round(value * 100, 1) if odd < 0.8 else str(round(value * 100))
            if isinstance(value, int | float) and not isinstance(value, bool):
                return f"{value:,}" if odd < 0.8 else str(value)
            return self.rng.choice(_TEXTS)
        return value

    def rate(self, lo: float | None = None, hi: float | None = None) -> Any:
        """A share in [0, 1]; sometimes written "87%" or "87.5%"."""
        rng = self.rng
        good = self.ok()
        if lo is not None:
            v = rng.uniform(lo, min(1.0, lo + 0.15)) if good else rng.uniform(lo - 0.2, lo)
        else:
            assert hi is not None
            v = rng.uniform(0.0, hi) if good else rng.uniform(hi, hi + 0.05)
        if good and rng.random() < 0.04:
            v = lo if lo is not None else (hi or 0.0)  # exactly on the bound
        v = round(max(0.0, min(1.0, v)), 3)
        if rng.random() < 0.25:
            pct = round(v * 100, 1)
            text = f"{pct:g}%" if rng.random() < 0.9 else f"{pct:g}％"
            return self.noisy(text, "text")
        return self.noisy(v, "rate")

    def num(self, lo: float | None, hi: float | None, span: float, digits: int = 1) -> Any:
        rng = self.rng
        good = self.ok()
        if lo is not None and hi is not None:
            v = rng.uniform(lo, hi) if good else rng.choice(
                (rng.uniform(0, lo), rng.uniform(hi, hi + span))
            )
        elif lo is not None:
            v = rng.uniform(lo, lo + span) if good else rng.uniform(max(0, lo - span), lo)
        else:
            assert hi is not None
            v = rng.uniform(max(0, hi - span), hi) if good else rng.uniform(hi, hi + span)
        v = round(v, digits)
        if good and lo is not None and v < lo:
            v = lo
        return self.noisy(v, "num")

    def count(self, lo: int, span: int) -> Any:
        rng = self.rng
        v = rng.randint(lo, lo + span) if self.ok() else rng.randint(max(0, lo - span), lo - 1)
        return self.noisy(v, "num")

    def flag(self, present: str) -> Any:
        """An exists-fact: a name, a document title or true when present; 0/false/"" when not."""
        rng = self.rng
        if self.ok():
            v: Any = rng.choice((present, True, 1, [present]))
        else:
            v = rng.choice((False, 0, []))
        return self.noisy(v, "flag")

    def incidents(self, prefix: str) -> Any:
        """An absent-fact: 0, false, [] when clean; a count or a list of items when not."""
        rng = self.rng
        if self.ok():
            v: Any = rng.choice((0, 0, False, []))
        else:
            n = rng.randint(1, 4)
            v = (
                n
                if rng.random() < 0.5
                else [{"id": f"{prefix}-{i + 1}", "地点": f"{i + 1}号点"} for i in range(n)]
            )
        return self.noisy(v, "flag")

    def numerator(self, d: int, share: float) -> int:
        """A numerator over d: at least share·d when good, below it otherwise."""
        rng = self.rng
        need = math.ceil(share * d)
        if self.ok() or need == 0:
            return rng.randint(need, d)
        return rng.randint(max(0, need - max(3, d // 5)), need - 1)

    def pair(self, share: float, den_lo: int, den_hi: int) -> tuple[Any, Any]:
        """(numerator, denominator) of a ratio with a minimum share; some zero or inverted."""
        rng = self.rng
        d = rng.randint(den_lo, den_hi)
        r = rng.random()
        if r < 0.004:
            n, d = 0, 0  # denominator 0 → missing_evidence
        elif r < 0.008:
            n = d + rng.randint(1, 9)  # numerator above denominator → invalid_evidence
        else:
            n = self.numerator(d, share)
        return self.noisy(n, "num"), self.noisy(d, "num")

    def meetings(self) -> Any:
        rng = self.rng
        n = rng.randint(4, 6) if self.ok() else rng.randint(0, 3)
        items: list[dict[str, Any]] = [
            {"type": "爱卫会", "date": f"2011-{3 * i + 1:02d}-15"} for i in range(n)
        ]
        items += [{"type": "专题会", "date": "2011-05-20"}] * rng.randint(0, 2)
        rng.shuffle(items)
        if rng.random() < 0.03:
            return self.noisy(n, "num")  # a tally where a list is expected → invalid
        return self.noisy(items, "list")

    def staff(self) -> Any:
        v = self.count(2, 3)
        if isinstance(v, int) and not isinstance(v, bool) and self.rng.random() < 0.3:
            return [f"爱卫干部{i + 1}" for i in range(v)]
        return v

    def compare(self, base: float, span: float, digits: int = 1) -> tuple[Any, Any]:
        """(left, right) where left >= right when good."""
        rng = self.rng
        right = round(rng.uniform(base, base + span), digits)
        left = round(right + rng.uniform(0, span / 4), digits) if self.ok() else round(
            right - rng.uniform(0.1, span / 4), digits
        )
        if rng.random() < 0.03:
            left = right
        return self.noisy(left, "num"), self.noisy(right, "num")


def _put(tree: dict[str, Any], path: str, value: Any) -> None:
    keys = path.split(".")
    cur = tree
    for k in keys[:-1]:
        cur = cur.setdefault(k, {})
    if value is not _ABSENT:
        cur[keys[-1]] = value


def make_record(i: int, rng: random.Random) -> dict[str, Any]:
    """One town's evidence record."""
    r = rng.random()
    profile = PROFILES[-1][1]
    for share, prof in PROFILES:
        if r < share:
            profile = prof
            break
        r -= share
    g = _Gen(rng, profile)
    f: dict[str, Any] = {}
    put = _put
    # org
    put(f, "org.city_title_years", g.num(1, None, 10))
    put(f, "org.leading_group", g.flag("镇创卫工作领导小组"))
    a, b = g.compare(80, 60)
    put(f, "org.budget_this_year", a)
    put(f, "org.budget_last_year", b)
    put(f, "org.ledger_complete_rate", g.rate(0.90))
    put(f, "org.meetings", g.meetings())
    put(f, "org.full_time_staff", g.staff())
    # edu
    put(f, "edu.knowledge_rate", g.rate(0.80))
    put(f, "edu.behavior_rate", g.rate(0.70))
    put(f, "edu.boards", g.count(4, 20))
    put(f, "edu.board_updates_year", g.count(12, 3))
    put(f, "edu.school_course_rate", g.rate(1.0))
    put(f, "edu.tobacco_ads", g.incidents("烟草广告"))
    # units (shared denominator units.total)
    n, d = g.pair(0.60, 30, 120)
    put(f, "edu.smoke_free_units", n)
    put(f, "units.total", d)
    total_units = d if type(d) is int and d > 0 else rng.randint(30, 120)
    put(f, "units.health_units", g.noisy(g.numerator(total_units, 0.60), "num"))
    put(f, "units.healthy_communities", g.count(2, 4))
    put(f, "units.canteen_score", g.num(80, 100, 20, 0))
    # env
    harmless, collected = g.pair(0.90, 30, 200)
    put(f, "env.garbage.harmless_tons_day", harmless)
    put(f, "env.garbage.collected_tons_day", collected)
    if isinstance(collected, int) and not isinstance(collected, bool):
        produced: Any = collected - rng.randint(0, 5) if g.ok() else collected + rng.randint(1, 9)
        put(f, "env.garbage.produced_tons_day", g.noisy(produced, "num"))
    else:
        put(f, "env.garbage.produced_tons_day", g.noisy(rng.randint(30, 200), "num"))
    put(f, "env.garbage.transfer_station", g.flag("镇垃圾中转站"))
    put(f, "env.road_hardening_rate", g.rate(0.95))
    a, b = g.compare(40, 80, 0)
    put(f, "env.cleaners", a)
    put(f, "env.cleaners_required", b)
    put(f, "env.bins", g.count(50, 400))
    n, d = g.pair(0.90, 5, 40)
    put(f, "env.toilets.class3_plus", n)
    put(f, "env.toilets.total", d)
    put(f, "env.open_dumps", g.incidents("暴露垃圾"))
    put(f, "env.illegal_buildings", g.incidents("违章建筑"))
    put(f, "env.market.drainage", g.flag("明沟改暗沟"))
    put(f, "env.market.live_poultry_violations", g.incidents("活禽"))
    put(f, "env.green_m2_per_capita", g.num(6, None, 6))
    # eco
    n, d = g.pair(1.0, 8, 12)
    put(f, "eco.indicators_met", n)
    put(f, "eco.indicators_total", d)
    put(f, "eco.sewage_treatment_rate", g.rate(0.70))
    put(f, "eco.air_good_days_rate", g.rate(0.85))
    put(f, "eco.noise_db", g.num(None, 60, 15))
    put(f, "eco.pollution_incidents", g.incidents("污染事故"))
    # vector
    put(f, "vector.rat_positive_rate", g.rate(hi=0.03))
    put(f, "vector.mosquito_container_rate", g.rate(hi=0.03))
    put(f, "vector.fly_positive_rate", g.rate(hi=0.03))
    put(f, "vector.cockroach_rate", g.rate(hi=0.03))
    put(f, "vector.pest_team", g.flag("镇消杀队"))
    # sup
    n, d = g.pair(1.0, 50, 400)
    put(f, "sup.food.licensed", n)
    put(f, "sup.food.businesses", d)
    n, d = g.pair(0.95, 100, 1500)
    put(f, "sup.food.staff_certified", n)
    put(f, "sup.food.staff", d)
    put(f, "sup.public_licence_rate", g.rate(0.95))
    put(f, "sup.food_poisoning_incidents", g.incidents("食物中毒"))
    put(f, "sup.inspections", g.count(12, 12))
    # dis (households.total shared by two ratios)
    total = rng.randint(3000, 15000)
    tap = g.numerator(total, 0.95)
    toilet = g.numerator(total, 0.85)
    if rng.random() < 0.003:
        total = 0
    put(f, "households.total", g.noisy(total, "num"))
    put(f, "households.tap_water", g.noisy(tap, "num"))
    put(f, "households.sanitary_toilet", g.noisy(toilet, "num"))
    put(f, "water.residual_chlorine", g.num(0.05, 4, 1, 2))
    put(f, "dis.immunization_rate", g.rate(0.95))
    put(f, "dis.report_rate", g.rate(1.0))
    put(f, "dis.health_center", g.flag("镇卫生院"))
    put(f, "dis.outbreaks", g.incidents("疫情"))
    # vil (vil.villages shared)
    n, d = g.pair(0.60, 5, 25)
    put(f, "vil.health_villages", n)
    put(f, "vil.villages", d)
    if isinstance(d, int) and not isinstance(d, bool):
        put(f, "vil.villages_with_collection", g.noisy(d if g.ok() else max(0, d - 2), "num"))
    else:
        put(f, "vil.villages_with_collection", g.noisy(rng.randint(5, 25), "num"))
    put(f, "vil.rural_toilet_rate", g.rate(0.80))
    # sat
    n, d = g.pair(0.80, 200, 1000)
    put(f, "sat.satisfied", n)
    put(f, "sat.respondents", d)
    put(f, "sat.complaint_handled_rate", g.rate(0.95))
    return {
        "subject": {"id": f"js-town-{i:05d}", "name": f"镇{i:05d}", "kind": "town", "region": "江苏省"},
        "as_of": AS_OF,
        "facts": f,
    }


def make_records(n: int, seed: int = 51) -> list[dict[str, Any]]:
    """N records from a seeded generator (the same seed gives the same records)."""
    rng = random.Random(seed)
    return [make_record(i, rng) for i in range(n)]


# A record on which every criterion passes (1000 of 1000 points) ...
PERFECT: dict[str, Any] = {
    "org.city_title_years": 10, "org.leading_group": "镇创卫工作领导小组",
    "org.budget_this_year": 120.0, "org.budget_last_year": 110.0,
    "org.ledger_complete_rate": 0.95,
    "org.meetings": [{"type": "爱卫会", "date": f"2011-{m:02d}-15"} for m in (1, 4, 7, 10)],
    "org.full_time_staff": 3,
    "edu.knowledge_rate": 0.87, "edu.behavior_rate": 0.75, "edu.boards": 12,
    "edu.board_updates_year": 12, "edu.school_course_rate": 1.0, "edu.tobacco_ads": 0,
    "edu.smoke_free_units": 40, "units.total": 60, "units.health_units": 40,
    "units.healthy_communities": 3, "units.canteen_score": 88,
    "env.garbage.harmless_tons_day": 95, "env.garbage.collected_tons_day": 100,
    "env.garbage.produced_tons_day": 98, "env.garbage.transfer_station": True,
    "env.road_hardening_rate": 0.97, "env.cleaners": 80, "env.cleaners_required": 75,
    "env.bins": 300, "env.toilets.class3_plus": 19, "env.toilets.total": 20,
    "env.open_dumps": 0, "env.illegal_buildings": [], "env.market.drainage": "明沟改暗沟",
    "env.market.live_poultry_violations": 0, "env.green_m2_per_capita": 7.5,
    "eco.indicators_met": 10, "eco.indicators_total": 10, "eco.sewage_treatment_rate": 0.8,
    "eco.air_good_days_rate": 0.9, "eco.noise_db": 55, "eco.pollution_incidents": False,
    "vector.rat_positive_rate": 0.01, "vector.mosquito_container_rate": 0.02,
    "vector.fly_positive_rate": "1.5%", "vector.cockroach_rate": 0.0, "vector.pest_team": True,
    "sup.food.licensed": 120, "sup.food.businesses": 120, "sup.food.staff_certified": 980,
    "sup.food.staff": 1000, "sup.public_licence_rate": 0.97, "sup.food_poisoning_incidents": 0,
    "sup.inspections": 14,
    "households.total": 12937, "households.tap_water": 12800,
    "households.sanitary_toilet": 11500, "water.residual_chlorine": 0.3,
    "dis.immunization_rate": 0.98, "dis.report_rate": 1.0, "dis.health_center": "镇卫生院",
    "dis.outbreaks": [],
    "vil.health_villages": 8, "vil.villages": 12, "vil.villages_with_collection": 12,
    "vil.rural_toilet_rate": "85%",
    "sat.satisfied": 850, "sat.respondents": 1000, "sat.complaint_handled_rate": 0.96,
}

_LOSE_140 = {  # fail 4 criteria worth 140 points: 860 left before anything else
    "units.health_units": 10, "units.healthy_communities": 1, "units.canteen_score": 70,
    "vil.health_villages": 2,
}

_EXISTS_VALUES: tuple[Any, ...] = (
    "", "  ", "x", "有", 0, 1, 0.0, [], {}, {"组长": "镇长"}, False, True, "N/A", None,
)

#: ... and the same record with a few facts changed: the boundaries and odd values where
#: a hand-written decider and an engine are most likely to part ways. ``_ABSENT`` removes
#: the key. (Dates in a ``compare`` are left out on purpose: the engine compares two dates,
#: the hand-written decider for this standard expects money and counts only.)
EDGE_CASES: list[dict[str, Any]] = [
    {},
    # value against a percentage bound (edu.knowledge_rate ≥ 80%, 每低1%扣2分)
    *({"edu.knowledge_rate": v} for v in (
        0.8, "80%", "80％", " 80 % ", "+80%", ".8", "8e-1", 0.7999, 0.795, "79.5%", 0.5, 0.0,
        -0.1, "-5%", 1, 1.0, "1", 1.0001, 87, 87.0, "87", "0.87", "87%", "100%", "120%",
        True, False, "__", "XX", "", "＿＿", "  ", "x", "xx", "×", None, _ABSENT, "约八成",
        "80%以上", [0.8], {"v": 0.8}, float("nan"), float("inf"), "1,000%",
    )),
    # a maximum as a percentage (vector ≤ 3%): 3 means 300%, not 3%
    *({"vector.rat_positive_rate": v} for v in (0.03, "3%", "3.1%", 0.031, 3, "3", 1, 0, "0")),
    # plain bounds
    *({"org.city_title_years": v} for v in (1, "1", 0.99, "1年", 100, "100%", True, "1,0")),
    *({"eco.noise_db": v} for v in (60, 60.0001, "60", "60dB", -5)),
    *({"units.canteen_score": v} for v in (80, 100, 100.5, 79.9, "80", "__")),
    *({"water.residual_chlorine": v} for v in (0.05, 0.049, 4, 4.01, "__", None)),
    # ratio: zero / missing / invalid denominators and numerators
    *(
        {"sat.satisfied": n, "sat.respondents": d}
        for n, d in (
            (0, 0), (5, 0), (801, 800), (-1, 800), (640, 800), (639, 800), ("640", "800"),
            ("6,40", 800), (640, None), ("__", None), (None, "__"), (640.5, 800), (True, 800),
            (640, -800), (640, _ABSENT), (_ABSENT, _ABSENT), ("64%", 800), (640, "1e3"),
        )
    ),
    {"eco.indicators_met": 9},
    {"eco.indicators_met": "10", "eco.indicators_total": "10"},
    {"households.total": 0},
    {"households.total": "12,937"},
    # count: tallies, lists, and a list filtered by type
    *({"edu.boards": v} for v in (
        4, 3, "4", 4.0, "4.0", 4.5, -1, ["a", "b", "c", "d"], [], True, "四", {"n": 4}, None,
    )),
    *({"org.full_time_staff": v} for v in (["干部甲", "干部乙"], ["干部甲"], "2", 1.5)),
    *({"org.meetings": v} for v in (
        [{"type": "爱卫会"}] * 3 + [{"type": "专题会"}] * 3, ["爱卫会"] * 4, 4, "4", [],
        [{"type": "爱卫会"}, {"type": True}, {"kind": "爱卫会"}, {"type": "爱卫会 "}], None,
    )),
    # exists
    *({"org.leading_group": v} for v in _EXISTS_VALUES),
    # absent: tallies, lists, and what is not a tally
    *({"edu.tobacco_ads": v} for v in (
        0, 0.0, False, [], "0", "3", 3, "3.0", 2.5, "2.5", -1, "0%", "__", True,
        [{"id": "a"}], "无", 1e300, float("nan"), float("inf"), None,
    )),
    # compare (org.budget_this_year ≥ org.budget_last_year)
    *(
        {"org.budget_this_year": a, "org.budget_last_year": b}
        for a, b in (
            (100, 100), (99.9, 100), ("100", 100), ("100%", 1), ("__", None), (None, "__"),
            ("__", 100), ("abc", 100), (True, 100), (True, True), ("abc", "abc"), ([1], 1),
            ("1,000", 999), (_ABSENT, 100),
        )
    ),
    # all: the first fail decides; invalid outranks missing
    {"env.garbage.harmless_tons_day": 50, "env.garbage.transfer_station": None},
    {"env.garbage.harmless_tons_day": None, "env.garbage.transfer_station": "__"},
    {"env.garbage.harmless_tons_day": "__", "env.garbage.transfer_station": None},
    {"env.garbage.harmless_tons_day": None},
    {"env.market.drainage": 0, "env.market.live_poultry_violations": "__"},
    {"households.tap_water": 100, "water.residual_chlorine": "__"},
    # verdicts: mandatory gates, the exact pass mark, undecided points either way
    {"org.city_title_years": 0.5},
    {"org.city_title_years": None},
    {"eco.indicators_total": 0},
    {**_LOSE_140, "edu.tobacco_ads": 1},  # 850: pass exactly at the mark
    {**_LOSE_140, "edu.tobacco_ads": 1, "edu.boards": 3},  # 835: fail
    {**_LOSE_140, "edu.knowledge_rate": 0.75},  # 5 steps short: 860 − 10 = 850, pass
    {**_LOSE_140, "edu.knowledge_rate": 0.749},  # 6 steps: 848, fail
    {**_LOSE_140, "edu.knowledge_rate": "75%"},
    {**_LOSE_140, "edu.tobacco_ads": 1, "sat.complaint_handled_rate": "__"},  # incomplete
    {**_LOSE_140, "edu.tobacco_ads": 1, "edu.boards": 3, "sat.complaint_handled_rate": None},
    {**_LOSE_140, "edu.tobacco_ads": 1, "dis.report_rate": None, "eco.indicators_met": None},
]


def edge_records() -> list[dict[str, Any]]:
    """PERFECT with each of EDGE_CASES applied (the agreement check runs on these too)."""
    out = []
    for i, case in enumerate(EDGE_CASES):
        facts: dict[str, Any] = {}
        for path, value in {**PERFECT, **case}.items():
            _put(facts, path, value)
        out.append(
            {"subject": {"id": f"edge-{i:03d}", "kind": "town"}, "as_of": AS_OF, "facts": facts}
        )
    return out


def count_leaves(facts: Any) -> int:
    """Leaf facts of a record (a list counts as one fact)."""
    if isinstance(facts, dict):
        return sum(count_leaves(v) for v in facts.values())
    return 1


# =========================================================================================
# 3. The hand-written decider
# =========================================================================================

_BLANK_RE = re.compile(r"^[\s_＿xX×]*$")
_GROUPED_RE = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INF = float("inf")


def _num(v: Any, pct: bool = False) -> Any:
    """A usable number, or the status string MISSING / INVALID.

    ``pct``: the bound is a percentage, so a plain number above 1 is invalid (87 ≠ 87%).
    """
    t = type(v)
    if t is int or t is float:
        if v != v or v == _INF or v == -_INF:
            return INVALID
        if pct and (v > 1 or v < 0):  # a share lies within 0..100%
            return INVALID
        return v
    if v is None:
        return MISSING
    if t is not str:
        return INVALID  # bool, list, dict
    if _BLANK_RE.match(v):
        return INVALID
    s = v.strip()
    percent = s.endswith(("%", "％"))
    body = s[:-1].strip() if percent else s
    if "," in body:
        if not _GROUPED_RE.match(body):  # "12,345" groups thousands; "1,0" is not a number
            return INVALID
        body = body.replace(",", "")
    if not _NUMBER_RE.match(body):
        return INVALID
    x = float(body)
    if x == _INF or x == -_INF:  # "1e400": not a finite number
        return INVALID
    if percent:
        x = x / 100
    if pct and (x > 1 or x < 0):  # a share: 87 is not 8700%, "120%" and "-5%" are not shares either
        return INVALID
    return x


def _min(v: Any, lo: float, pct: bool = False) -> str:
    x = _num(v, pct)
    if type(x) is str:
        return x
    return PASS if x >= lo else FAIL


def _max(v: Any, hi: float, pct: bool = False) -> str:
    x = _num(v, pct)
    if type(x) is str:
        return x
    return PASS if x <= hi else FAIL


def _ratio_min(nv: Any, dv: Any, lo: float) -> str:
    n, d = _num(nv), _num(dv)
    if n == INVALID or d == INVALID:
        return INVALID
    if n == MISSING or d == MISSING:
        return MISSING
    if d == 0:
        return MISSING
    if n < 0 or d < 0 or n > d:
        return INVALID
    return PASS if n / d >= lo else FAIL


def _count_min(v: Any, lo: int) -> str:
    if v is None:
        return MISSING
    if type(v) is list:
        return PASS if len(v) >= lo else FAIL
    x = _num(v)
    if type(x) is str:
        return x
    if x < 0 or x != int(x):
        return INVALID
    return PASS if x >= lo else FAIL


def _exists(v: Any) -> str:
    if v is None:
        return MISSING
    if type(v) is str:
        return INVALID if _BLANK_RE.match(v) else PASS
    return PASS if v else FAIL


def _absent(v: Any) -> str:
    if v is None:
        return MISSING
    t = type(v)
    if t is list or t is bool:
        return PASS if not v else FAIL
    if t is str and v.strip().endswith(("%", "％")):
        return INVALID  # "0%" is not a tally of incidents
    n = _num(v)  # a tally: 3, 3.0 or "3"
    if type(n) is str or n < 0 or n != int(n):
        return INVALID
    return PASS if n == 0 else FAIL


def _at_least(left: Any, right: Any) -> str:
    if left is None or right is None:
        return MISSING
    a, b = _num(left), _num(right)
    if type(a) is str or type(b) is str:
        return INVALID
    return PASS if a >= b else FAIL


def _all(*statuses: str) -> str:
    if FAIL in statuses:
        return FAIL
    if INVALID in statuses:
        return INVALID
    if MISSING in statuses:
        return MISSING
    return PASS


_POINTS = {row[0]: row[3] for row in CRITERIA}
_MANDATORY = ("org.city-title", "env.garbage", "eco.indicators", "dis.water-toilet")
_POSSIBLE = sum(_POINTS.values())  # 1000; nothing here is ever not_applicable


def hand_decide(record: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """Verdict and statuses for this one standard, written out by hand."""
    f = record.get("facts") or {}
    org = f.get("org") or {}
    edu = f.get("edu") or {}
    units = f.get("units") or {}
    env = f.get("env") or {}
    garbage = env.get("garbage") or {}
    toilets = env.get("toilets") or {}
    market = env.get("market") or {}
    eco = f.get("eco") or {}
    vec = f.get("vector") or {}
    sup = f.get("sup") or {}
    food = sup.get("food") or {}
    hh = f.get("households") or {}
    water = f.get("water") or {}
    dis = f.get("dis") or {}
    vil = f.get("vil") or {}
    sat = f.get("sat") or {}

    meetings = org.get("meetings")
    if meetings is None:
        s_meetings = MISSING
    elif type(meetings) is list:
        held = sum(1 for m in meetings if type(m) is dict and m.get("type") == "爱卫会")
        s_meetings = PASS if held >= 4 else FAIL
    else:
        s_meetings = INVALID

    knowledge = _num(edu.get("knowledge_rate"), True)
    if type(knowledge) is str:
        s_knowledge, knowledge_pts = knowledge, 0
    elif knowledge >= 0.80:
        s_knowledge, knowledge_pts = PASS, 20
    else:  # 每低1个百分点扣2分
        s_knowledge = FAIL
        knowledge_pts = max(0, 20 - 2 * math.ceil((0.80 - knowledge) * 100 - 1e-9))

    vmax = 0.03
    s = {
        "org.city-title": _min(org.get("city_title_years"), 1),
        "org.leading-group": _exists(org.get("leading_group")),
        "org.budget": _at_least(org.get("budget_this_year"), org.get("budget_last_year")),
        "org.ledger": _min(org.get("ledger_complete_rate"), 0.90, True),
        "org.meetings": s_meetings,
        "org.staff": _count_min(org.get("full_time_staff"), 2),
        "edu.knowledge-rate": s_knowledge,
        "edu.behavior-rate": _min(edu.get("behavior_rate"), 0.70, True),
        "edu.boards": _count_min(edu.get("boards"), 4),
        "edu.board-updates": _count_min(edu.get("board_updates_year"), 12),
        "edu.school-course": _min(edu.get("school_course_rate"), 1.0, True),
        "edu.no-tobacco-ads": _absent(edu.get("tobacco_ads")),
        "edu.smoke-free": _ratio_min(edu.get("smoke_free_units"), units.get("total"), 0.60),
        "env.garbage": _all(
            _ratio_min(garbage.get("harmless_tons_day"), garbage.get("collected_tons_day"), 0.90),
            _exists(garbage.get("transfer_station")),
        ),
        "env.roads": _min(env.get("road_hardening_rate"), 0.95, True),
        "env.cleaners": _at_least(env.get("cleaners"), env.get("cleaners_required")),
        "env.bins": _count_min(env.get("bins"), 50),
        "env.public-toilets": _ratio_min(toilets.get("class3_plus"), toilets.get("total"), 0.90),
        "env.daily-clearance": _at_least(
            garbage.get("collected_tons_day"), garbage.get("produced_tons_day")
        ),
        "env.no-open-dumps": _absent(env.get("open_dumps")),
        "env.no-illegal-buildings": _absent(env.get("illegal_buildings")),
        "env.market": _all(
            _exists(market.get("drainage")), _absent(market.get("live_poultry_violations"))
        ),
        "env.green": _min(env.get("green_m2_per_capita"), 6),
        "eco.indicators": _ratio_min(eco.get("indicators_met"), eco.get("indicators_total"), 1.0),
        "eco.sewage": _min(eco.get("sewage_treatment_rate"), 0.70, True),
        "eco.air-days": _min(eco.get("air_good_days_rate"), 0.85, True),
        "eco.noise": _max(eco.get("noise_db"), 60),
        "eco.no-pollution-incidents": _absent(eco.get("pollution_incidents")),
        "vector.rat": _max(vec.get("rat_positive_rate"), vmax, True),
        "vector.mosquito": _max(vec.get("mosquito_container_rate"), vmax, True),
        "vector.fly": _max(vec.get("fly_positive_rate"), vmax, True),
        "vector.cockroach": _max(vec.get("cockroach_rate"), vmax, True),
        "vector.team": _exists(vec.get("pest_team")),
        "sup.food-licences": _ratio_min(food.get("licensed"), food.get("businesses"), 1.0),
        "sup.health-certs": _ratio_min(food.get("staff_certified"), food.get("staff"), 0.95),
        "sup.public-places": _min(sup.get("public_licence_rate"), 0.95, True),
        "sup.no-food-poisoning": _absent(sup.get("food_poisoning_incidents")),
        "sup.inspections": _count_min(sup.get("inspections"), 12),
    }
    chlorine = _num(water.get("residual_chlorine"))
    s["dis.water-toilet"] = _all(
        _ratio_min(hh.get("tap_water"), hh.get("total"), 0.95),
        _ratio_min(hh.get("sanitary_toilet"), hh.get("total"), 0.85),
        chlorine if type(chlorine) is str else (PASS if 0.05 <= chlorine <= 4 else FAIL),
    )
    s["dis.immunization"] = _min(dis.get("immunization_rate"), 0.95, True)
    s["dis.reporting"] = _min(dis.get("report_rate"), 1.0, True)
    s["dis.health-center"] = _exists(dis.get("health_center"))
    s["dis.no-outbreak"] = _absent(dis.get("outbreaks"))
    s["unit.health-units"] = _ratio_min(units.get("health_units"), units.get("total"), 0.60)
    s["unit.communities"] = _count_min(units.get("healthy_communities"), 2)
    canteen = _num(units.get("canteen_score"))
    s["unit.canteens"] = (
        canteen if type(canteen) is str else (PASS if 80 <= canteen <= 100 else FAIL)
    )
    s["vil.health-villages"] = _ratio_min(vil.get("health_villages"), vil.get("villages"), 0.60)
    s["vil.garbage-chain"] = _ratio_min(
        vil.get("villages_with_collection"), vil.get("villages"), 1.0
    )
    s["vil.rural-toilets"] = _min(vil.get("rural_toilet_rate"), 0.80, True)
    s["sat.survey"] = _ratio_min(sat.get("satisfied"), sat.get("respondents"), 0.80)
    s["sat.complaints"] = _min(sat.get("complaint_handled_rate"), 0.95, True)

    # Verdict: a mandatory fail vetoes; otherwise ≥ 85% of 1000 points, undecided both ways.
    for cid in _MANDATORY:
        if s[cid] == FAIL:
            return "fail", s
    earned = undecided = 0
    for cid, st in s.items():
        if st == PASS:
            earned += _POINTS[cid]
        elif st != FAIL:
            undecided += _POINTS[cid]
    if s_knowledge == FAIL:
        earned += knowledge_pts
    best = (earned + undecided) * 100 >= 85 * _POSSIBLE
    if not best:
        return "fail", s
    mandatory_open = any(s[cid] != PASS for cid in _MANDATORY)
    worst = not mandatory_open and earned * 100 >= 85 * _POSSIBLE
    return ("pass" if worst else "incomplete"), s


# =========================================================================================
# 4. Agreement and timing
# =========================================================================================


@dataclass
class Disagreement:
    """One record on which the hand-written decider and the engine differ."""

    index: int
    subject: str
    hand_verdict: str
    engine_verdict: str
    statuses: dict[str, tuple[str, str]]  # criterion → (hand, engine), differing only


def disagreements(std: standards.Standard, records: Sequence[dict[str, Any]]) -> list[Disagreement]:
    """Every record where hand_decide and std.decide differ (statuses or verdict)."""
    out = []
    for i, rec in enumerate(records):
        hv, hs = hand_decide(rec)
        d = std.decide(rec)
        if hv != d.verdict or hs != d.statuses:
            diff = {
                k: (hs.get(k, "-"), d.statuses.get(k, "-"))
                for k in dict.fromkeys([*hs, *d.statuses])
                if hs.get(k) != d.statuses.get(k)
            }
            out.append(Disagreement(i, rec["subject"]["id"], hv, d.verdict, diff))
    return out


def one_pass(fn: Callable[[Any], Any], records: Sequence[Any]) -> float:
    """Wall time (s) of one pass of fn over all records."""
    gc.collect()
    t0 = time.perf_counter()
    for rec in records:
        fn(rec)
    return time.perf_counter() - t0


@dataclass
class Row:
    """One line of the result table."""

    name: str
    seconds: float
    n: int
    target: float | None = None

    @property
    def us(self) -> float:
        return self.seconds / self.n * 1e6

    @property
    def per_second(self) -> float:
        return self.n / self.seconds


def paths(
    std: standards.Standard, records: Sequence[dict[str, Any]]
) -> list[tuple[str, Callable[[Any], Any], float | None]]:
    """The timed paths: (label, function of one record, target ratio to hand-written).

    Two rows split ``std.decide`` in its parts: ``read_evidence`` (the shape check and the
    walk that holds every value of the record to the Limits, which the hand-written
    function does not do) and deciding a record already read.
    """
    read = {id(r): standards.read_evidence(r) for r in records}
    return [
        ("hand_decide (hand-written)", hand_decide, None),
        ("std.decide (verdict + statuses)", std.decide, 2.0),
        ("  read_evidence (shape, Limits)", standards.read_evidence, None),
        ("  std.decide on a read Evidence", lambda r: std.decide(read[id(r)]), None),
        ("std.evaluate (full Report)", std.evaluate, 6.0),
        ("evaluate + every detail read", lambda r: materialize(std.evaluate(r)), None),
        ("std.evaluate(...).to_dict()", lambda r: std.evaluate(r).to_dict(), None),
    ]


def materialize(report: standards.Report) -> standards.Report:
    """Read every finding's outcome and evidence, and every item's action and gap."""
    for f in report.findings:
        _ = f.outcome, f.reads
    for item in report.remediation:
        _ = item.action, item.gap
    return report


def measure(
    std: standards.Standard, records: Sequence[dict[str, Any]], repeats: int
) -> list[Row]:
    """Best of ``repeats`` passes per path, the paths interleaved within each repeat.

    Interleaving spreads a burst of load from elsewhere on the machine over all paths
    instead of one, which keeps the ratios honest on a shared runner.
    """
    timed = paths(std, records)
    for _, fn, _ in timed:
        for rec in records[: min(50, len(records))]:
            fn(rec)  # warm-up
    best = [math.inf] * len(timed)
    for _ in range(repeats):
        for i, (_, fn, _) in enumerate(timed):
            best[i] = min(best[i], one_pass(fn, records))
    return [
        Row(label, secs, len(records), target)
        for (label, _, target), secs in zip(timed, best, strict=True)
    ]


def table(rows: Sequence[Row]) -> str:
    """The result table as text."""
    base = rows[0].us
    lines = [
        f"{'path':34} {'µs/record':>10} {'records/s':>11} {'× hand':>7} {'target':>7}  ok",
        "-" * 78,
    ]
    for r in rows:
        ratio = r.us / base
        tgt = f"≤{r.target:g}×" if r.target is not None else ""
        ok = "" if r.target is None else ("yes" if ratio <= r.target else "NO")
        lines.append(
            f"{r.name:34} {r.us:10.1f} {r.per_second:11,.0f} {ratio:7.2f} {tgt:>7}  {ok}"
        )
    return "\n".join(lines)


def environment() -> str:
    """Python version, implementation and CPU count."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        usable = os.cpu_count() or 0
    return (
        f"Python {platform.python_version()} ({platform.python_implementation()}, "
        f"{platform.machine()}), CPUs: {os.cpu_count()} (usable: {usable}), "
        f"standards {getattr(standards, '__version__', '?')}, load average {_load()}"
    )


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not available on this platform
        return "n/a"


@dataclass
class Result:
    """What one run produced."""

    records: list[dict[str, Any]]
    verdicts: dict[str, int]
    statuses: dict[str, int]
    disagreements: list[Disagreement]
    rows: list[Row]


def run(n: int, repeats: int, seed: int = 51, timing: bool = True) -> Result:
    """Generate, check agreement, and (if the deciders agree) time."""
    std = load_standard()
    records = make_records(n, seed)
    edges = edge_records()
    bad = disagreements(std, [*records, *edges])
    verdicts: dict[str, int] = {}
    statuses: dict[str, int] = {}
    for rec in records:
        v, st = hand_decide(rec)
        verdicts[v] = verdicts.get(v, 0) + 1
        for x in st.values():
            statuses[x] = statuses.get(x, 0) + 1
    rows = measure(std, records, repeats) if timing and not bad else []
    return Result(records, verdicts, statuses, bad, rows)


def profile(path: str, n: int, top: int = 25) -> None:
    """cProfile one engine path over n records and print the top functions."""
    std = load_standard()
    records = make_records(n)
    fns: dict[str, Callable[[Any], Any]] = {
        "decide": std.decide,
        "evaluate": std.evaluate,
        "report": lambda r: std.evaluate(r).to_dict(),
        "materialize": lambda r: materialize(std.evaluate(r)),
    }
    fn = fns[path]
    for rec in records[:50]:
        fn(rec)
    prof = cProfile.Profile()
    prof.enable()
    for rec in records:
        fn(rec)
    prof.disable()
    stats = pstats.Stats(prof)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--records", type=int, default=5000, help="records to generate (5000)")
    ap.add_argument("--repeats", type=int, default=5, help="timing repeats, best kept (5)")
    ap.add_argument("--seed", type=int, default=51)
    ap.add_argument("--quick", action="store_true", help="smoke run: 200 records, 2 repeats")
    ap.add_argument("--write-standard", action="store_true", help="regenerate standard_51.yaml")
    ap.add_argument("--profile", choices=("decide", "evaluate", "materialize", "report"))
    ap.add_argument(
        "--check-targets", action="store_true", help="exit 2 when a ratio target is missed"
    )
    args = ap.parse_args(argv)
    if args.write_standard:
        print(f"wrote {write_standard()}")
        return 0
    if args.profile:
        profile(args.profile, args.records)
        return 0
    n, repeats = (QUICK_RECORDS, QUICK_REPEATS) if args.quick else (args.records, args.repeats)
    t0 = time.perf_counter()
    res = run(n, repeats, args.seed)
    print(environment())
    leaves = [count_leaves(r["facts"]) for r in res.records]
    print(
        f"workload: {len(CRITERIA)} criteria, {n} records "
        f"(seed {args.seed}, {min(leaves)}-{max(leaves)} leaf facts, mean "
        f"{sum(leaves) / len(leaves):.1f}), best of {repeats}"
    )
    print("verdicts: " + ", ".join(f"{k} {v}" for k, v in sorted(res.verdicts.items())))
    print("statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(res.statuses.items())))
    if res.disagreements:
        print(f"\nDISAGREEMENT on {len(res.disagreements)} of {n} records (first 10):")
        for d in res.disagreements[:10]:
            print(f"  #{d.index} {d.subject}: verdict hand={d.hand_verdict} "
                  f"engine={d.engine_verdict}; statuses {d.statuses}")
        return 1
    print(
        f"agreement: hand_decide == std.decide (statuses and verdict) on all {n} generated "
        f"and {len(EDGE_CASES)} edge-case records\n"
    )
    print(table(res.rows))
    print(f"\n(total run {time.perf_counter() - t0:.1f} s)")
    missed = [r.name for r in res.rows if r.target is not None and r.us / res.rows[0].us > r.target]
    if args.check_targets and missed:
        print("targets missed: " + "; ".join(missed))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
