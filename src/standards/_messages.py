"""Explanation sentences in Chinese (the default) and English.

A check returns a message key and its arguments from the very lines that decided its
status; this table only words them. Templates use ``{name}`` placeholders filled by a
plain regex substitution — never ``str.format`` — because rule authors write templates
too, and ``{observed.__class__}`` must not reach into Python objects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Final

__all__ = ["LANGS", "MESSAGES", "render", "text"]

LANGS: Final = ("zh", "en")
_PLACEHOLDER: Final = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

MESSAGES: Final[dict[str, tuple[str, str]]] = {
    # unusable values (shared by every kind)
    "value.absent": ("缺少证据:{path} 未填写", "missing evidence: {path} is not given"),
    "value.blank": (
        "证据无效:{path} 是模板空白 {raw}",
        "invalid evidence: {path} is a template blank {raw}",
    ),
    "value.not_a_number": (
        "证据无效:{path} = {raw} 不是数值",
        "invalid evidence: {path} = {raw} is not a number",
    ),
    "value.not_finite": (
        "证据无效:{path} = {raw} 不是有限数值",
        "invalid evidence: {path} = {raw} is not finite",
    ),
    "value.not_an_object": (
        "证据无效:{path} 的上级不是对象(得到 {raw})",
        "invalid evidence: a parent of {path} is not an object (got {raw})",
    ),
    "value.negative_share": (
        "证据无效:{path} = {raw} 为负数,比例不可能小于0",
        "invalid evidence: {path} = {raw} is negative, which a share cannot be",
    ),
    "value.above_100": (
        "证据无效:{path} = {raw} 超过100%,比例不可能超过100%",
        "invalid evidence: {path} = {raw} is above 100%, which a share cannot be",
    ),
    "value.looks_like_percent": (
        '证据无效:{path} = {raw} 看起来是百分数;请写作 {fraction} 或 "{percent}"',
        'invalid evidence: {path} = {raw} looks like a percent; write {fraction} or "{percent}"',
    ),
    "value.not_a_count": (
        "证据无效:{path} = {raw} 不是计数",
        "invalid evidence: {path} = {raw} is not a count",
    ),
    "value.not_a_list": (
        "证据无效:{path} 应为列表,得到 {raw}",
        "invalid evidence: {path} should be a list, got {raw}",
    ),
    "value.not_a_date": (
        "证据无效:{path} = {raw} 不是有效日期",
        "invalid evidence: {path} = {raw} is not a valid date",
    ),
    "value.not_a_series": (
        "证据无效:{path} 应为 [{{period, value}}] 序列",
        "invalid evidence: {path} should be a list of {{period, value}}",
    ),
    "value.not_on_scale": (
        "证据无效:{path} = {raw} 不在等级表中",
        "invalid evidence: {path} = {raw} is not on the scale",
    ),
    "value.not_comparable": (
        "证据无效:{path} = {raw} 无法比较",
        "invalid evidence: {path} = {raw} cannot be compared",
    ),
    # value
    "value.pass": (
        "{path} = {observed},达到 {expected}",
        "{path} is {observed}, which meets {expected}",
    ),
    "value.fail": (
        "{path} = {observed},未达到 {expected}",
        "{path} is {observed}, which does not meet {expected}",
    ),
    # ratio
    "ratio.pass": (
        "{num}/{den} = {n}/{d} = {observed},达到 {expected}",
        "{num}/{den} = {n}/{d} = {observed}, which meets {expected}",
    ),
    "ratio.fail": (
        "{num}/{den} = {n}/{d} = {observed},未达到 {expected}",
        "{num}/{den} = {n}/{d} = {observed}, which does not meet {expected}",
    ),
    "ratio.zero_denominator": (
        "缺少证据:{path} 为 0,无法计算比率",
        "missing evidence: {path} is 0, so no rate can be computed",
    ),
    "ratio.impossible": (
        "证据无效:{num} = {n} 大于 {den} = {d}(比率超过100%)",
        "invalid evidence: {num} = {n} exceeds {den} = {d} (a rate above 100%)",
    ),
    # count
    "count.pass": (
        "{path} 共 {observed} 项,达到 {expected}",
        "{path} counts {observed}, which meets {expected}",
    ),
    "count.fail": (
        "{path} 共 {observed} 项,未达到 {expected}",
        "{path} counts {observed}, which does not meet {expected}",
    ),
    # exists / documents
    "exists.pass": ("{path} 已具备({observed})", "{path} is in place ({observed})"),
    "exists.fail": ("{path} 不具备({observed})", "{path} is not in place ({observed})"),
    "document.pass": ("已有{kind}类文件:{title}", "a {kind} document is on file: {title}"),
    "document.fail": ("没有{kind}类文件", "no {kind} document is on file"),
    "document.pass_window": (
        "{within}内有{kind}类文件:{title}({date})",
        "a {kind} document dated within {within}: {title} ({date})",
    ),
    "document.fail_window": (
        "{within}内没有{kind}类文件",
        "no {kind} document dated within {within}",
    ),
    "document.no_list": (
        "缺少证据:未提供文件清单(documents),无法核对{kind}",
        "missing evidence: no documents list, so {kind} cannot be checked",
    ),
    "document.undated": (
        "缺少证据:{kind}类文件“{title}”未注明日期,无法核对是否在{within}内",
        "missing evidence: the {kind} document “{title}” has no date, so {within} cannot be checked",
    ),
    "document.bad_date": (
        "证据无效:{kind}类文件日期 {raw} 无效",
        "invalid evidence: the {kind} document's date {raw} is not valid",
    ),
    # absent
    "absent.pass": ("{path}:无", "{path}: none"),
    "absent.fail": (
        "{path}:应无,实有 {observed}{unit}({items})",
        "{path}: should be none, but {observed} {unit} found ({items})",
    ),
    # periodic
    "periodic.pass": (
        "{over}内{n}个周期(每{every})均有{event}记录",
        "all {n} periods of {every} in {over} have a {event} event",
    ),
    "periodic.fail": (
        "{over}内{n}个周期(每{every})中仅{covered}个有{event}记录;缺:{missed};下次应于{next}前完成",
        "only {covered} of {n} periods of {every} in {over} have a {event} event; missed: {missed}; next due {next}",
    ),
    "periodic.no_events": (
        "缺少证据:未提供事件记录(events),无法核对{event}",
        "missing evidence: no events list, so {event} cannot be checked",
    ),
    "periodic.undated": (
        "缺少证据:{n}条{event}记录未注明日期,无法判定是否覆盖 {missed}",
        "missing evidence: {n} {event} events have no date, so {missed} cannot be checked",
    ),
    "periodic.bad_date": (
        "证据无效:{event}事件日期 {raw} 无效",
        "invalid evidence: a {event} event has the invalid date {raw}",
    ),
    # age
    "age.pass": (
        "{path} = {observed},距评估日满足 {expected}",
        "{path} is {observed}: the time since meets {expected}",
    ),
    "age.fail": (
        "{path} = {observed},距评估日不满足 {expected}(满足日期:{date})",
        "{path} is {observed}: the time since does not meet {expected} (satisfied on {date})",
    ),
    "age.expired": (
        "{path} = {observed},距评估日已超过 {max}(已于 {date} 超期)",
        "{path} is {observed}: more than {max} has passed (expired on {date})",
    ),
    # trend
    "trend.pass": (
        "{path} 最近{n}期({series})呈{direction}",
        "the last {n} points of {path} ({series}) are {direction}",
    ),
    "trend.fail": (
        "{path} 最近{n}期({series})未呈{direction},{at} 期不符",
        "the last {n} points of {path} ({series}) are not {direction}; {at} breaks it",
    ),
    "trend.missing_point": (
        "缺少证据:{path} 第 {period} 期数值未填写",
        "missing evidence: {path} has no value for {period}",
    ),
    "trend.bad_point": (
        "证据无效:{path} 第 {period} 期数值 {raw} 不是数值",
        "invalid evidence: {path} for {period} is {raw}, not a number",
    ),
    "trend.rising": ("上升", "rising"),
    "trend.falling": ("下降", "falling"),
    "trend.not_falling": ("不下降", "not falling"),
    "trend.not_rising": ("不上升", "not rising"),
    "trend.too_short": (
        "缺少证据:{path} 只有{have}期,需要{n}期",
        "missing evidence: {path} has {have} points, {n} are needed",
    ),
    # grade / compare
    "grade.pass": (
        "{path} = {observed} 级,达到 {expected} 级({scale})",
        "{path} is grade {observed}, at least {expected} ({scale})",
    ),
    "grade.fail": (
        "{path} = {observed} 级,未达到 {expected} 级({scale})",
        "{path} is grade {observed}, below {expected} ({scale})",
    ),
    "compare.pass": ("{lhs} {op} {rhs} 成立", "{lhs} {op} {rhs} holds"),
    "compare.fail": ("{lhs} {op} {rhs} 不成立", "{lhs} {op} {rhs} does not hold"),
    # units
    "each.pass": (
        "{n}个{kind}单位中{passed}个达标,达到 {share}",
        "{passed} of {n} {kind} units pass, meeting {share}",
    ),
    "each.fail": (
        "{n}个{kind}单位中仅{passed}个达标,未达到 {share};不达标:{failing}{open_part}",
        "only {passed} of {n} {kind} units pass, short of {share}; failing: {failing}{open_part}",
    ),
    "each.missing_evidence": (
        "{n}个{kind}单位中{passed}个达标{failing_part},{open} 证据不足,无法判定是否达到 {share}",
        "{passed} of {n} {kind} units pass {failing_part}; {open} lack evidence to tell whether {share} is met",
    ),
    "each.invalid_evidence": (
        "{n}个{kind}单位中{passed}个达标{failing_part},{open} 证据无效,无法判定是否达到 {share}",
        "{passed} of {n} {kind} units pass {failing_part}; {open} have invalid evidence to tell whether {share} is met",
    ),
    "meets.pass": (
        "{n}个{kind}单位中{passed}个达到 {standard},达到 {share}",
        "{passed} of {n} {kind} units meet {standard}, meeting {share}",
    ),
    "meets.fail": (
        "{n}个{kind}单位中仅{passed}个达到 {standard},未达到 {share};不达标:{failing}{open_part}",
        "only {passed} of {n} {kind} units meet {standard}, short of {share}; failing: {failing}{open_part}",
    ),
    "meets.missing_evidence": (
        "{n}个{kind}单位中{passed}个达到 {standard}{failing_part},{open} 证据不足,无法判定是否达到 {share}",
        "{passed} of {n} {kind} units meet {standard} {failing_part}; "
        "{open} lack evidence to tell whether {share} is met",
    ),
    "meets.invalid_evidence": (
        "{n}个{kind}单位中{passed}个达到 {standard}{failing_part},{open} 证据无效,无法判定是否达到 {share}",
        "{passed} of {n} {kind} units meet {standard} {failing_part}; "
        "{open} have invalid evidence to tell whether {share} is met",
    ),
    "units.failing_part": ("(不达标:{failing})", "(failing: {failing})"),
    "units.open_part": (";无法判定:{open}", "; undecided: {open}"),
    "units.none": (
        "缺少证据:未列出{kind}下属单位",
        "missing evidence: no {kind} sub-units are listed",
    ),
    # logic
    "all.pass": ("全部{n}项均满足", "all {n} conditions hold"),
    "all.fail": ("未满足:{bad}", "not met: {bad}"),
    "all.missing_evidence": ("无法判定:{bad} 缺少证据", "undecided: no evidence for {bad}"),
    "all.invalid_evidence": (
        "无法判定:{bad} 证据无效{also}",
        "undecided: invalid evidence for {bad}{also}",
    ),
    "any.pass": ("满足其一:{good}", "met by: {good}"),
    "any.fail": ("{n}项均不满足", "none of the {n} conditions holds"),
    "any.missing_evidence": (
        "无法判定:尚无一项满足,{open} 缺少证据",
        "undecided: none holds so far, and there is no evidence for {open}",
    ),
    "any.invalid_evidence": (
        "无法判定:尚无一项满足,{open} 证据无效{also}",
        "undecided: none holds so far, and the evidence for {open} is invalid{also}",
    ),
    "logic.also_missing": (";{open} 缺少证据", "; no evidence for {open}"),
    "not.pass": ("{child} 不成立,符合要求", "{child} does not hold, as required"),
    "not.fail": ("{child} 成立,不符合要求", "{child} holds, which it must not"),
    "not.missing_evidence": ("无法判定:{child} 缺少证据", "undecided: {child} lacks evidence"),
    "not.invalid_evidence": (
        "无法判定:{child} 证据无效",
        "undecided: {child} has invalid evidence",
    ),
    # criterion-level wrappers
    "criterion.not_applicable": ("不适用:{why}", "not applicable: {why}"),
    "criterion.guard_undecided": (
        "无法判断是否适用:{why}",
        "cannot tell whether it applies: {why}",
    ),
    "criterion.stale": (
        "证据已过期或无采集日期:{paths}(要求 {within} 内采集);原判定:{why}",
        "evidence is stale or undated: {paths} (must be collected within {within}); it said: {why}",
    ),
    "criterion.waived": (
        "已豁免至 {until}({justification});实测:{why}",
        "waived until {until} ({justification}); measured: {why}",
    ),
    # remediation
    "remedy.supply": ("补充证据:{what}", "supply evidence: {what}"),
    "remedy.correct": ("更正证据:{what}({why})", "correct the evidence: {what} ({why})"),
    "remedy.default": (
        "整改“{title}”,使其达到 {expected}",
        "rectify “{title}” to reach {expected}",
    ),
    "owner.none": ("未指定", "unassigned"),
    # gaps
    "gap.more_needed": (
        "还差 {amount}{unit}(需达到 {target}/{of})",
        "{amount} {unit} more needed ({target} of {of})",
    ),
    "gap.fewer_needed": (
        "需减少 {amount}{unit}(至多 {target}/{of})",
        "{amount} {unit} too many (at most {target} of {of})",
    ),
    "gap.items_short": (
        "还差 {amount}{unit}(需至少 {target}{unit})",
        "{amount} {unit} short (at least {target} needed)",
    ),
    "gap.items_over": (
        "需减少 {amount}{unit}(至多 {target}{unit})",
        "{amount} {unit} too many (at most {target} allowed)",
    ),
    "gap.short_by": ("差 {display}{unit}", "short by {display} {unit}"),
    "gap.over_by": ("超出 {display}{unit}", "over by {display} {unit}"),
    "gap.change_to": ("应为 {display}", "should be {display}"),
    "gap.produce": ("需提供 {what}", "produce {what}"),
    "gap.remove": ("需清除 {amount}{unit}({items})", "remove {amount} {unit} ({items})"),
    "gap.missed_periods": (
        "漏 {amount} 个周期:{periods};下次应于 {next_due} 前完成",
        "{amount} periods missed: {periods}; next due {next_due}",
    ),
    "gap.wait_until": ("{date} 起满足", "satisfied from {date}"),
    "gap.expired_on": ("已于 {date} 超期", "expired on {date}"),
    "gap.grades_to_climb": ("还需提升 {amount} 个等级", "{amount} grades to climb"),
    "gap.difference": ("相差 {display}", "differs by {display}"),
    "gap.difference_days": ("相差 {display} 天", "{display} days apart"),
    "gap.trend_break": ("趋势中断于 {periods}", "the trend breaks at {periods}"),
    "gap.failing_units": (
        "尚未达标的单位:{display}(还需 {amount} 个达标)",
        "units not yet passing: {display} ({amount} more must pass)",
    ),
    "gap.supply": ("缺少:{paths}", "missing: {paths}"),
    "gap.correct": ("需更正:{paths}", "to correct: {paths}"),
    "gap.children": ("{display} 项未满足", "{display} conditions not met"),
    "gap.negate": ("使 {check} 不再成立", "make {check} no longer hold"),
    "gap.stale": ("重新采集:{paths}", "collect again: {paths}"),
}


def text(key: str, lang: str) -> str:
    """The template of a key in a language (the key itself if unknown)."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


@lru_cache(maxsize=2048)
def _parts(template: str) -> tuple[tuple[str, str | None], ...]:
    """A template split once into (literal text, placeholder name or None) pairs."""
    out: list[tuple[str, str | None]] = []
    pos = 0
    for m in _PLACEHOLDER.finditer(template):
        out.append((template[pos : m.start()], m.group(1)))
        pos = m.end()
    out.append((template[pos:], None))
    return tuple(out)


def render(template: str, args: Mapping[str, Any]) -> str:
    """Fill ``{name}`` placeholders from args; unknown names are left as written."""
    pieces: list[str] = []
    for literal, name in _parts(template):
        pieces.append(literal)
        if name is None:
            continue
        if name not in args:
            pieces.append("{" + name + "}")
            continue
        v = args[name]
        pieces.append("、".join(str(x) for x in v) if isinstance(v, list | tuple) else str(v))
    out = "".join(pieces).replace("{{", "{").replace("}}", "}")
    # Tidying only matters where a slot came out empty or a template left a gap.
    if "()" in out or "（）" in out or "  " in out or " )" in out or out[:1].isspace() or out[-1:].isspace() \
            or _SPACE_BEFORE_CLOSE.search(out) or _EMPTY_PARENS.search(out):
        return _tidy(out)
    return out


_EMPTY_PARENS: Final = re.compile(r"\s*[(（]\s*[)）]")
_SPACES: Final = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_CLOSE: Final = re.compile(r"[ \t]+(?=[)）,，;；:：、。])")


def _tidy(sentence: str) -> str:
    """Drop what an empty optional slot leaves behind.

    Templates name optional parts (a unit, the ids of items) in place; when one is
    empty, "remove 3  ()" must read "remove 3", never end in a stray space or "()".
    """
    out = _EMPTY_PARENS.sub("", sentence)
    out = _SPACES.sub(" ", out)
    out = _SPACE_BEFORE_CLOSE.sub("", out)
    return out.strip()
