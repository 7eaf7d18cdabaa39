"""``absent``: 无X — no matching items, false or zero; the gap is what to remove, by id."""

from __future__ import annotations

import pytest

ADS = {"kind": "absent", "path": "ads", "where": {"type": "tobacco"}, "unit": "处"}


@pytest.mark.parametrize("raw", [[], [{"id": "ad-1", "type": "public_health"}], False, 0, "0"])
def test_nothing_matching_passes(judge, raw):
    f = judge(ADS, {"ads": raw})
    assert f.status == "pass"
    assert f.outcome.gap is None


def test_lists_the_items_to_remove_by_id(judge, gap_of):
    raw = [
        {"id": "ad-1", "type": "tobacco"},
        {"id": "ad-2", "type": "public_health"},
        {"id": "ad-3", "type": "tobacco"},
    ]
    f = judge(ADS, {"ads": raw})
    assert f.status == "fail"
    gap = f.outcome.gap
    assert (gap["kind"], gap["amount"], gap["items"]) == ("remove", 2, ["ad-1", "ad-3"])
    assert gap_of(f) == "需清除 2处(ad-1、ad-3)"
    assert gap_of(f, "en") == "remove 2 处 (ad-1, ad-3)"
    assert "ad-1" in f.explanation("zh") and "ad-3" in f.explanation("en")


def test_items_without_ids_go_by_name_label_or_position(judge):
    raw = [{"name": "村口广告牌"}, "烟草海报", {"size": "大"}]
    f = judge({"kind": "absent", "path": "ads"}, {"ads": raw})
    assert f.outcome.gap["items"] == ["村口广告牌", "烟草海报", "#3"]


@pytest.mark.parametrize(("raw", "amount"), [(True, 1), (3, 3), ("2", 2)])
def test_a_flag_or_tally_fails_without_a_dangling_list(judge, raw, amount, gap_of):
    f = judge({"kind": "absent", "path": "ads"}, {"ads": raw})
    assert f.status == "fail"
    assert f.outcome.gap["amount"] == amount
    assert gap_of(f) == f"需清除 {amount}"
    assert gap_of(f, "en") == f"remove {amount}"
    for lang in ("zh", "en"):
        assert not f.explanation(lang).endswith((" ", "()", "("))


@pytest.mark.parametrize("facts", [{}, {"ads": None}])
def test_absent_or_null_is_missing_evidence_not_a_pass(judge, facts):
    f = judge(ADS, facts)
    assert f.status == "missing_evidence"
    assert f.outcome.gap == {"kind": "supply", "paths": ["ads"]}


@pytest.mark.parametrize("raw", ["__", "XX", "", "有", -1, 2.5, "50%"])
def test_blanks_words_and_impossible_tallies_are_invalid(judge, raw):
    assert judge(ADS, {"ads": raw}).status == "invalid_evidence"


def test_not_applicable_when_the_guard_fails(judge, guard):
    f = judge(ADS, {"ads": True, "has_school": False}, criterion=guard)
    assert f.status == "not_applicable"
