"""Words shared by the human-readable renderers, in zh and en."""

from __future__ import annotations

from typing import Final

__all__ = ["PRIORITY", "STATUS", "VERDICT", "WORDS", "word"]

VERDICT: Final = {
    "pass": ("达标", "PASS"),
    "fail": ("不达标", "FAIL"),
    "incomplete": ("证据不足,无法判定", "INCOMPLETE"),
}
STATUS: Final = {
    "pass": ("通过", "pass"),
    "fail": ("不通过", "fail"),
    "missing_evidence": ("缺少证据", "missing evidence"),
    "invalid_evidence": ("证据无效", "invalid evidence"),
    "not_applicable": ("不适用", "not applicable"),
    "waived": ("已豁免", "waived"),
}
PRIORITY: Final = {
    "critical": ("必备", "critical"),
    "high": ("高", "high"),
    "medium": ("中", "medium"),
}
WORDS: Final = {
    "verdict": ("结论", "Verdict"),
    "score": ("得分", "Score"),
    "pass_mark": ("合格线", "Pass mark"),
    "grade": ("等级", "Grade"),
    "category": ("类别", "Category"),
    "criterion": ("项目", "Criterion"),
    "status": ("结果", "Status"),
    "points": ("分值", "Points"),
    "explanation": ("说明", "Explanation"),
    "remediation": ("整改清单", "Remediation list"),
    "action": ("整改措施", "Action"),
    "owner": ("责任组", "Owner"),
    "due": ("期限", "Due"),
    "gap": ("差距", "Gap"),
    "priority": ("优先级", "Priority"),
    "evidence": ("需提供材料", "Evidence to supply"),
    "findings": ("检查结果", "Findings"),
    "deciding": ("决定结论的项目", "Criteria that decide it"),
    "subject": ("对象", "Subject"),
    "as_of": ("评估日期", "As of"),
    "standard": ("标准", "Standard"),
    "none": ("无", "none"),
    "waivers": ("豁免", "Waivers"),
    "mandatory": ("必备", "mandatory"),
    "total": ("总分", "Total"),
    "state": ("状态", "Status"),
}


def word(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    """A word from a table in a language."""
    pair = table.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
