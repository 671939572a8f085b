"""Plans, personal suggestions with their reasons, the debrief, and the prep sheet's data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from netjournal.core import prep, prompts
from netjournal.core.errors import NotFoundError, ValidationError
from netjournal.core.journal import add_commitment, open_commitments, timeline
from netjournal.core.models import Channel, Direction, Interaction, InteractionState
from tests.factories import meeting, person


def test_situation_follows_the_history(now) -> None:
    assert prep.detect_situation(None, now).key == "first_meeting"
    assert prep.detect_situation(now - timedelta(days=300), now).key == "reconnecting"
    assert "ten months ago" in prep.detect_situation(now - timedelta(days=300), now).why
    recent = prep.detect_situation(now - timedelta(days=9), now)
    assert recent.key == "follow_up" and "nine days ago" in recent.why
    assert prep.detect_situation(None, now, upcoming_format="event").key == "event"


def test_suggestions_are_personal_and_say_why(journal, now) -> None:
    with journal.session() as s:
        p = person(
            s,
            "Priya Raman",
            now,
            role="Staff engineer",
            organisation="Northwind Labs",
            ford_occupation="Leads the data platform team",
        )
        meeting(
            s,
            p,
            now,
            days_ago=20,
            notes="She's training for a half marathon in April. Also hiring.",
            topics="half marathon, hiring",
        )
        add_commitment(s, p.id, Direction.I_OWE, "send the article on feedback", now=now)
        add_commitment(s, p.id, Direction.THEY_OWE, "introduce me to Sam", now=now)
        tips = prep.suggestions(s, p.id, now)
    by_text = {t.text: t for t in tips}
    # The note looks forward to April and it is March: nothing to ask "how it went" about yet.
    last = by_text["Last time: half marathon. It's still ahead for them: ask how it's coming along."]
    assert "24 Feb 2026" in last.why and last.target == "questions"
    assert not any("how it went" in t.text.lower() or "end up?" in t.text for t in tips)
    assert any("half marathon" in t.text for t in tips if t.target == "intro_script")
    promise = by_text["Bring or mention: send the article on feedback"]
    assert promise.target == "offers" and "You said you'd send the article on feedback" in promise.why
    theirs = next(t for t in tips if "introduce me to Sam" in t.text)
    assert "They said they'd" in theirs.why
    assert any("follow-up" in t.why for t in tips if t.target == "research_notes")
    role = next(t for t in tips if "a Staff engineer at Northwind Labs" in t.text)
    assert role.target == "questions" and "career-story" in role.why
    ford = [t for t in tips if "outside work" in t.why]
    assert ford and ford[0].key is not None
    assert all(t.why for t in tips)
    assert not any("work yet" in t.why for t in tips)  # their occupation is known: no gap there


def test_job_search_leans_to_advice_and_hidden_entries_are_never_suggested(journal, now) -> None:
    with journal.session() as s:
        p = person(s, "Amara Okafor", now)
        tips = prep.suggestions(s, p.id, now, job_search=True)
        advice = [t for t in tips if "advice, not a job" in t.why]
        assert len(advice) >= 1 and all(t.key for t in advice)
        assert any(t.target == "ask" for t in tips)
        assert any("first meeting" in t.why for t in tips)
        hidden_key = advice[0].key
        prompts.hide(s, hidden_key, now=now)
        assert hidden_key not in {t.key for t in prep.suggestions(s, p.id, now, job_search=True)}


def test_new_plan_from_person_has_three_questions_and_the_rest_filled(journal, now) -> None:
    with journal.session() as s:
        p = person(s, "Jonas Weber", now, organisation="Stadtwerke Köln")
        meeting(s, p, now, days_ago=400, notes="Moving to Hamburg")
        data = prep.new_plan(s, now, person_id=p.id)
        assert data.situation == "reconnecting"
        assert len(data.questions) == 3 and all(q["text"] for q in data.questions)
        assert data.follow_up_prompts and data.exit_line and data.intro_script
        assert data.if_then_goal.startswith("If ") and data.coping_hot_thought and data.coping_balanced_thought
        assert data.recovery_block_min == 60
        plan = prep.create_plan(s, data, now=now)
        assert prep.PlanData.from_plan(prep.get_plan(s, plan.id)).questions == data.questions
        rows = prep.list_plans(s)
        assert rows[0].person_name == "Jonas Weber" and not rows[0].debriefed


def test_blank_plan_and_validation(journal, now) -> None:
    with journal.session() as s:
        blank = prep.new_plan(s, now)
        assert blank.person_id is None and len(blank.questions) == 3
        plan = prep.create_plan(s, blank, now=now)
        blank.offers = ["a", "b", "c", "d"]
        with pytest.raises(ValidationError, match="one to three"):
            prep.update_plan(s, plan.id, blank, now=now)
        with pytest.raises(NotFoundError):
            prep.get_plan(s, 9999)
        with pytest.raises(ValidationError, match="linked to anyone"):
            prep.debrief(s, plan.id, how_it_went="ok", warmth=3, perceived_liking=4, follow_up_questions=2, now=now)


def test_debrief_turns_the_planned_meeting_into_one_done_interaction(journal, now) -> None:
    with journal.session() as s:
        p = person(s, "Lea Fischer", now)
        planned = meeting(s, p, now, days_ago=-2, state=InteractionState.PLANNED, title="Coffee with Lea")
        upcoming = prep.upcoming_meetings(s, now)
        assert [m.id for m in upcoming] == [planned.id] and upcoming[0].plan_id is None
        plan_id = prep.plan_for_next_meeting(s, now)
        assert plan_id is not None and prep.plan_for_next_meeting(s, now) == plan_id  # not a second plan
        plan = prep.get_plan(s, plan_id)
        assert plan.meeting_id == planned.id and plan.person_id == p.id and plan.title == "Coffee with Lea"
        later = now + timedelta(days=2, hours=1)
        done = prep.debrief(
            s,
            plan_id,
            how_it_went="Warm. She liked the idea.",
            warmth=4,
            perceived_liking=5,
            follow_up_questions=6,
            now=later,
            new_promises=[prep.NewPromise(Direction.I_OWE, "Send the slides", date(2026, 3, 20))],
        )
        assert done.id == planned.id and done.state is InteractionState.DONE
        assert done.notes == "Warm. She liked the idea." and done.follow_up_questions == 6
        assert prep.get_plan(s, plan_id).debrief_id == planned.id
        assert [c.text for c in open_commitments(s, p.id)] == ["Send the slides"]
        # Debriefing again edits the same interaction instead of adding another.
        prep.debrief(
            s, plan_id, how_it_went="Warm, and long.", warmth=5, perceived_liking=5, follow_up_questions=6, now=later
        )
        assert s.scalar(select(func.count()).select_from(Interaction)) == 1
        assert timeline(s, p.id)[0].warmth == 5
        assert prep.list_plans(s)[0].debriefed


def test_debrief_without_a_meeting_logs_one_interaction(journal, now) -> None:
    with journal.session() as s:
        p = person(s, "Mei Lin", now)
        data = prep.new_plan(s, now, person_id=p.id)
        data.format = "call"
        data.at = now - timedelta(hours=2)
        plan = prep.create_plan(s, data, now=now)
        it = prep.debrief(
            s,
            plan.id,
            how_it_went="Good call",
            warmth=3,
            perceived_liking=4,
            follow_up_questions=3,
            lesson="Slow down",
            now=now,
        )
        assert it.channel is Channel.CALL and it.at == now - timedelta(hours=2)
        assert "One lesson: Slow down" in it.notes
        with pytest.raises(ValidationError, match="Warmth"):
            prep.debrief(s, plan.id, how_it_went="x", warmth=9, perceived_liking=4, follow_up_questions=1, now=now)


def test_sheet_data_holds_the_person_history_and_promises(journal, now) -> None:
    with journal.session() as s:
        p = person(
            s,
            "Søren <b>Kierkegaard</b>",
            now,
            role="Philosopher",
            how_met="A walk in Copenhagen",
            met_on=date(2024, 5, 1),
        )
        for day in range(10):
            meeting(s, p, now, days_ago=day + 1, notes=f"Walk number {day}")
        add_commitment(s, p.id, Direction.THEY_OWE, "lend me Either/Or", now=now)
        sheet = prep.sheet_data(s, None, now, person_id=p.id)
    assert sheet.person_name == "Søren <b>Kierkegaard</b>"  # plain text; the renderer escapes it
    assert sheet.how_met == "A walk in Copenhagen (May 2024)"
    assert len(sheet.recent) == 6 and "Walk number 0" in sheet.recent[0]
    assert sheet.they_owe == ["They said they'd lend me Either/Or"] and len(sheet.questions) == 3
    huge = prep.SheetData(title="t", purpose="word " * 5000, recent=["x" * 3000] * 50)
    small = huge.clipped(4)
    assert len(small.purpose) <= 70 and small.purpose.endswith("…")
    assert len(small.recent) == 2 and small.recent[-1] == "… and 49 more"


def test_sheet_data_needs_a_plan_or_a_person(journal, now) -> None:
    with journal.session() as s:
        with pytest.raises(ValidationError):
            prep.sheet_data(s, None, now)
        with pytest.raises(NotFoundError):
            prep.sheet_data(s, 42, now)


def test_debrief_keeps_the_meetings_time_and_leaves_unset_ratings_unset(journal, now) -> None:
    with journal.session() as s:
        p = person(s, "Lea Fischer", now)
        # The calendar said tomorrow; the user moved the plan to this morning, when they really met.
        planned = meeting(s, p, now, days_ago=-1, state=InteractionState.PLANNED, title="Coffee with Lea")
        data = prep.new_plan(s, now, meeting_id=planned.id)
        data.at = now - timedelta(hours=3)
        plan = prep.create_plan(s, data, now=now)
        done = prep.debrief(
            s, plan.id, how_it_went="Nice", warmth=None, perceived_liking=None, follow_up_questions=None, now=now
        )
        assert done.at == now - timedelta(hours=3)
        assert (done.warmth, done.perceived_liking, done.follow_up_questions, done.energy_after) == (None,) * 4
        # A time the user gives wins; debriefing again keeps it rather than moving it to "now".
        given = now - timedelta(hours=4, minutes=30)
        assert (
            prep.debrief(
                s,
                plan.id,
                how_it_went="Nice",
                warmth=4,
                perceived_liking=None,
                follow_up_questions=None,
                now=now,
                at=given,
            ).at
            == given
        )
        assert (
            prep.debrief(
                s,
                plan.id,
                how_it_went="Nice",
                warmth=4,
                perceived_liking=None,
                follow_up_questions=None,
                now=now + timedelta(days=3),
            ).at
            == given
        )
        # A plan without a meeting, debriefed the next day, is logged at the plan's time, not at the debrief.
        other = prep.new_plan(s, now, person_id=p.id)
        other.at = now - timedelta(days=1, hours=2)
        plan2 = prep.create_plan(s, other, now=now)
        assert prep.debrief(
            s, plan2.id, how_it_went="", warmth=None, perceived_liking=None, follow_up_questions=None, now=now
        ).at == now - timedelta(days=1, hours=2)
