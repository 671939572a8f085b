"""Insights: each chart's numbers and its plain caption come from the data (and say so kindly when thin)."""

from __future__ import annotations

from datetime import timedelta

from netjournal.core import insights as ins
from netjournal.core import ladder as ld
from netjournal.core import reflections as rf
from netjournal.core.journal import trash
from netjournal.core.models import Channel
from tests import factories


def _discomfort(s, now, days, pred, act, **kw):
    form = rf.DiscomfortForm(
        situation="meetup",
        prediction="awkward",
        predicted_suds=pred,
        actual_suds=act,
        occurred_at=now - timedelta(days=days),
        **kw,
    )
    return rf.save_reflection(s, form, now=now)


def test_empty_journal_gets_kind_captions_not_errors(journal, now) -> None:
    with journal.read() as s:
        all_ = ins.all_insights(s, now)
    assert all_.discomfort.points == [] and "Nothing to compare yet" in all_.discomfort.caption
    assert "Nothing to compare yet" in all_.liking.caption
    assert all_.attempts.total == 0 and len(all_.attempts.months) == 12
    assert "whatever the answer" in all_.attempts.caption
    assert "Note your energy" in all_.energy.caption
    assert "Add a few people" in all_.circles.caption


def test_discomfort_caption_states_how_much_more_worried_predictions_were(journal, now) -> None:
    with journal.session() as s:
        for days, pred, act in ((30, 80, 50), (20, 70, 50), (10, 60, 44)):
            _discomfort(s, now, days, pred, act)
        _discomfort(s, now, 5, 90, None)  # no outcome yet: not compared
        d = rf.save_reflection(
            s, rf.DiscomfortForm(situation="x", predicted_suds=99, actual_suds=1), now=now, draft=True
        )
        assert d.is_draft  # drafts are not charted
    with journal.read() as s:
        gap = ins.discomfort_gap(s, now)
    assert gap.n == 3 and [p.predicted for p in gap.points] == [80, 70, 60]
    assert gap.mean_gap == 22.0
    assert gap.caption.startswith("Your predictions were on average 22 points more worried than what happened")
    assert "3 of 3" in gap.caption


def test_discomfort_with_two_points_says_a_pattern_will_show(journal, now) -> None:
    with journal.session() as s:
        _discomfort(s, now, 3, 60, 40)
    with journal.read() as s:
        assert "pattern will start to show" in ins.discomfort_gap(s, now).caption


def test_many_reflections_are_averaged_per_month(journal, now) -> None:
    with journal.session() as s:
        for i in range(70):
            _discomfort(s, now, i * 3, 70, 40)
    with journal.read() as s:
        gap = ins.discomfort_gap(s, now)
    assert gap.per_month and 2 <= len(gap.points) <= 12 and all(p.predicted == 70 for p in gap.points)


def test_liking_gap_combines_meetings_and_reflections(journal, now) -> None:
    with journal.session() as s:
        p = factories.person(s, "Amara", now)
        for d in (3, 10, 40):
            factories.meeting(s, p, now, days_ago=d, predicted_liking=3, perceived_liking=5)
        _discomfort(s, now, 2, 50, 30, predicted_liking=4, actual_liking=6)
    with journal.read() as s:
        lk = ins.liking_gap(s, now)
    assert lk.n == 4 and lk.mean_gap == 2.0
    assert "more than you expected: 2.0 points" in lk.caption


def test_attempts_count_reaching_out_asks_and_ladder_tries_never_outcomes(journal, now) -> None:
    with journal.session() as s:
        p = factories.person(s, "Kwame", now)
        factories.meeting(s, p, now, days_ago=2, initiated_by_me=True)
        factories.meeting(s, p, now, days_ago=3, initiated_by_me=False)  # they reached out: not my attempt
        factories.meeting(s, p, now, days_ago=40, initiated_by_me=True)
        for resp in ("no", "yes"):
            rf.save_reflection(
                s,
                rf.RejectionForm(
                    ask="coffee?",
                    first_interpretation="x",
                    response=resp,
                    alternatives=["a", "b", "c"],
                    occurred_at=now,
                ),
                now=now,
            )
        ladder = ld.create_starter_ladder(s, now=now)
        ld.add_attempt(s, ladder.steps[0].id, at=now - timedelta(days=1), suds_peak=20)
    with journal.read() as s:
        att = ins.attempts_per_month(s, now)
    this = att.months[-1]
    assert (this.reached_out, this.asked, this.ladder) == (1, 2, 1)  # NOW is mid-March
    assert att.months[-2].reached_out == 1
    assert att.total == 5
    assert "5 attempts" in att.caption and "streak" not in att.caption.lower()


def test_energy_by_kind_of_meeting(journal, now) -> None:
    with journal.session() as s:
        p = factories.person(s, "Jonas", now)
        for d in range(3):
            factories.meeting(s, p, now, days_ago=d, energy_before=6, energy_after=7, group_size=2)
            factories.meeting(s, p, now, days_ago=d, energy_before=7, energy_after=3, channel=Channel.EVENT)
    with journal.read() as s:
        en = ins.energy_by_kind(s, now)
    bars = {b.label: b for b in en.bars}
    assert bars[ins.ONE_TO_ONE].change == 1.0 and bars[ins.LARGE_GROUP].change == -4.0
    assert bars[ins.SMALL_GROUP].count == 0
    assert en.caption == (
        "Over the last twelve months, your energy rose by 1.0 after one-to-one meetings and fell by 4.0 after "
        "larger groups and events, on average. A quiet hour after those can help."
    )


def test_circles_count_people_and_who_was_in_touch_this_season(journal, now) -> None:
    with journal.session() as s:
        close = factories.person(s, "Lea", now, circle=5)
        factories.person(s, "Sam", now, circle=5)
        old = factories.person(s, "Old friend", now, circle=50)
        gone = factories.person(s, "Gone", now, circle=50)
        factories.meeting(s, close, now, days_ago=10)
        factories.meeting(s, old, now, days_ago=200)
        trash(s, "person", gone.id, now=now)
        factories.person(s, "Unplaced", now)
    with journal.read() as s:
        c = ins.circles(s, now)
    bars = {b.circle: b for b in c.bars}
    assert (bars[5].people, bars[5].in_touch) == (2, 1)
    assert (bars[50].people, bars[50].in_touch) == (1, 0)
    assert bars[None].people == 1
    assert (
        c.caption
        == "In the last three months you were in touch with 1 of 4 people, including 1 of the 2 closest to you."
    )
