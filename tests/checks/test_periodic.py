"""``periodic``: 宣传栏每季度更换一次 — every P3M over P1Y, the window ending at as_of.

With as_of 2011-10-16 the quarters are (each end inclusive)
2010-10-17~2011-01-16, 2011-01-17~2011-04-16, 2011-04-17~2011-07-16, 2011-07-17~2011-10-16.
"""

from __future__ import annotations

import pytest

BOARD = {"kind": "periodic", "event": "health_board.update", "every": "P3M", "over": "P1Y"}
Q1, Q2, Q3, Q4 = (
    "2010-10-17~2011-01-16",
    "2011-01-17~2011-04-16",
    "2011-04-17~2011-07-16",
    "2011-07-17~2011-10-16",
)


def updates(*dates, event="health_board.update", **facts):
    return {
        "facts": dict(facts),
        "events": [{"type": event, "date": d, "source": f"doc-{i}"} for i, d in enumerate(dates)],
    }


def test_one_update_per_quarter_passes(judge):
    f = judge(BOARD, record=updates("2010-12-01", "2011-03-01", "2011-06-01", "2011-09-01"))
    assert f.status == "pass"
    assert f.outcome.gap is None
    assert f.to_dict()["observed"] == {"periods": 4, "covered": 4}


def test_lists_the_missed_quarters_and_the_next_due_date(judge, gap_of):
    f = judge(BOARD, record=updates("2011-07-05", "2011-10-05"))
    assert f.status == "fail"
    gap = f.outcome.gap
    assert gap["kind"] == "missed_periods"
    assert gap["amount"] == 2
    assert gap["periods"] == [Q1, Q2]
    assert gap["next_due"] == "2012-01-05"  # three months after the last update
    assert gap_of(f) == f"漏 2 个周期:{Q1}、{Q2};下次应于 2012-01-05 前完成"
    assert Q1 in f.explanation("en") and "2012-01-05" in f.explanation("en")


def test_when_the_current_quarter_is_missed_the_next_update_is_due_now(judge):
    f = judge(BOARD, record=updates("2010-12-01", "2011-03-01", "2011-06-01"))
    assert f.outcome.gap["periods"] == [Q4]
    assert f.outcome.gap["next_due"] == "2011-10-16"


def test_no_update_at_all_misses_every_quarter(judge):
    f = judge(BOARD, record=updates())
    assert f.status == "fail"
    assert f.outcome.gap["periods"] == [Q1, Q2, Q3, Q4]


def test_an_update_on_the_last_day_of_a_quarter_counts_for_it(judge):
    f = judge(BOARD, record=updates("2011-01-16", "2011-04-16", "2011-07-16", "2011-10-16"))
    assert f.status == "pass"


def test_an_update_on_the_day_the_window_opens_is_outside_it(judge):
    f = judge(BOARD, record=updates("2010-10-16", "2011-04-16", "2011-07-16", "2011-10-16"))
    assert f.outcome.gap["periods"] == [Q1]


def test_one_update_cannot_serve_two_quarters(judge):
    f = judge(BOARD, record=updates("2011-01-16", "2011-01-16", "2011-07-16", "2011-10-16"))
    assert f.outcome.gap["periods"] == [Q2]


def test_updates_after_as_of_do_not_count(judge):
    f = judge(BOARD, record=updates("2010-12-01", "2011-03-01", "2011-06-01", "2011-11-01"))
    assert f.outcome.gap["periods"] == [Q4]


LATE_Q2 = ("2010-12-01", "2011-04-20", "2011-06-01", "2011-09-01")  # Q2's update 4 days late


def test_a_late_update_misses_its_quarter_without_grace(judge):
    f = judge(BOARD, record=updates(*LATE_Q2))
    assert f.status == "fail"
    assert f.outcome.gap["periods"] == [Q2]


def test_grace_lets_a_late_update_count(judge):
    f = judge({**BOARD, "grace": "P7D"}, record=updates(*LATE_Q2))
    assert f.status == "pass"
    assert f.to_dict()["expected"]["grace"] == "P7D"


def test_grace_shorter_than_the_delay_does_not_help(judge):
    f = judge({**BOARD, "grace": "P3D"}, record=updates(*LATE_Q2))
    assert f.outcome.gap["periods"] == [Q2]


def test_a_month_dated_update_in_the_month_of_as_of_counts(judge):
    f = judge(BOARD, record=updates("2010-12", "2011-03", "2011-06", "2011-10"))
    assert f.status == "pass"


def test_other_event_types_do_not_count(judge):
    f = judge(BOARD, record=updates("2010-12-01", "2011-03-01", "2011-06-01", event="meeting"))
    assert f.outcome.gap["amount"] == 4


def test_no_events_list_is_missing_evidence(judge):
    f = judge(BOARD, record={"facts": {}})
    assert f.status == "missing_evidence"
    assert f.outcome.gap == {"kind": "supply", "paths": ["events"]}


@pytest.mark.parametrize("bad", ["2011-09-31", "__", "", "上月"])
def test_an_unreadable_date_that_could_fill_a_gap_is_invalid(judge, bad):
    f = judge(BOARD, record=updates("2010-12-01", "2011-03-01", "2011-06-01", bad))
    assert f.status == "invalid_evidence"
    assert f.outcome.gap["kind"] == "correct"
    assert "health_board.update" in f.explanation("zh")


def test_an_undated_event_that_could_fill_a_gap_is_missing_evidence(judge, gap_of):
    f = judge(BOARD, record=updates("2010-12-01", "2011-03-01", "2011-06-01", None))
    assert f.status == "missing_evidence"
    assert f.outcome.gap == {"kind": "supply", "paths": ["events[type=health_board.update].date"]}
    assert Q4 in f.explanation("zh") and Q4 in f.explanation("en")


def test_a_wrong_date_outranks_a_missing_one(judge):
    f = judge(BOARD, record=updates("2010-12-01", "2011-03-01", None, "2011-09-31"))
    assert f.status == "invalid_evidence"


def test_an_unreadable_date_does_not_matter_when_every_quarter_is_covered(judge):
    f = judge(BOARD, record=updates("2010-12-01", "2011-03-01", "2011-06-01", "2011-09-01", "2010-09-31"))
    assert f.status == "pass"


def test_the_rule_may_take_its_durations_from_parameters(judge):
    check = {**BOARD, "every": "$every"}
    f = judge(check, record=updates("2011-01-01", "2011-09-01"), parameters={"every": "P6M"})
    assert f.status == "pass"
    f = judge(check, record=updates("2011-06-01", "2011-09-01"), parameters={"every": "P6M"})
    assert f.outcome.gap["periods"] == ["2010-10-17~2011-04-16"]


def test_not_applicable_when_the_guard_fails(judge, guard):
    f = judge(BOARD, record=updates(has_school=False), criterion=guard)
    assert f.status == "not_applicable"


def test_a_null_events_list_is_missing_evidence(judge):
    f = judge(BOARD, record={"facts": {}, "events": None})
    assert f.status == "missing_evidence"


def test_a_window_that_is_not_whole_periods_does_not_fail_a_regular_log(check_one):
    """Thirteen weeks and a day in three months: the one-day remainder joins the oldest week."""
    from datetime import date, timedelta

    fridays = [date(2025, 1, 3) + timedelta(days=7 * i) for i in range(26)]
    record = {"subject": {"id": "s"}, "events": [{"type": "patrol", "date": d.isoformat()} for d in fridays]}
    f = check_one({"kind": "periodic", "event": "patrol", "every": "P7D", "over": "P3M"}, record=record,
                  as_of="2025-06-30")
    assert f.status == "pass"
    assert f.outcome.observed == {"periods": 13, "covered": 13}
