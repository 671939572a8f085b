"""What Prepare puts in front of the user reads as finished text: no "[X]" or "[my name]" left in it, exit
lines that match the meeting, "how it went" only about what has happened, promises in good grammar."""

from __future__ import annotations

import re
from dataclasses import fields
from datetime import date, timedelta

import pytest

from netjournal.core import prep, prompts, reconnect, settings
from netjournal.core.journal import add_commitment
from netjournal.core.models import Direction, InteractionState
from tests.factories import meeting, person

BLANK = re.compile(r"\[[^\]]*\]")


def _people(s, now) -> dict[str, int]:
    bare = person(s, "Sam", now)  # nothing known but a name
    full = person(
        s,
        "Priya Raman",
        now,
        nickname="Pri",
        organisation="Northwind Labs",
        role="Staff engineer",
        ford_recreation="climbing, and baking",
        ford_family="Two kids",
    )
    meeting(s, full, now, days_ago=12, topics="the platform migration", notes="Went well.")
    old = person(s, "Jonas Weber", now, organisation="Stadtwerke Köln")
    meeting(s, old, now, days_ago=400, notes="Moving to Hamburg next month")
    noted = person(s, "Mei Lin", now)
    meeting(s, noted, now, days_ago=5, notes="She is preparing a talk for May; also hiring.")
    return {"bare": bare.id, "full": full.id, "old": old.id, "noted": noted.id}


def _texts(obj: object) -> list[str]:
    out: list[str] = []
    for f in fields(obj):  # type: ignore[arg-type]
        value = getattr(obj, f.name)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            out += [str(v.get("text", "")) if isinstance(v, dict) else str(v) for v in value]
    return out


@pytest.mark.parametrize("profile", [False, True], ids=["no-profile", "with-profile"])
def test_no_blank_survives_anywhere_over_the_whole_bank_and_journals_with_missing_fields(journal, now, profile) -> None:
    bank = prompts.load_bank()
    with journal.session() as s:
        if profile:
            settings.put(s, "profile.name", "Alex Doe")
            settings.put(s, "profile.organisation", "Acme")
            settings.put(s, "profile.what_i_do", "data tooling")
        ids = _people(s, now)
        found: list[str] = []
        # Every entry on its own (so an entry is never hidden behind an earlier one), in each of its
        # situations, for each kind of person; with a meeting length and an event name, and without.
        for entry in bank:
            for situation in entry.situations:
                for pid, duration, event in (
                    (None, 0, ""),
                    (ids["bare"], 15, "PyCon Berlin"),
                    (ids["full"], 0, ""),
                    (ids["noted"], 30, ""),
                ):
                    if True:
                        for tip in prep.suggestions(
                            s, pid, now, situation=situation, bank=[entry], duration_min=duration, event=event
                        ):
                            found += [f"{entry.key}/{situation}: {tip.text}"] if BLANK.search(tip.text) else []
        # Whole plans and sheets, from each person and from a blank plan, for every situation and format.
        for pid in (None, *ids.values()):
            for job in (False, True):
                data = prep.new_plan(s, now, person_id=pid, job_search=job)
                for situation in prompts.SITUATIONS:
                    for fmt in ("call", "event"):
                        data.situation, data.format = situation, fmt
                        sheet = prep.sheet_data(s, data, now)
                        found += [f"sheet {pid}/{situation}/{fmt}: {t}" for t in _texts(sheet) if BLANK.search(t)]
                found += [f"plan {pid}: {t}" for t in _texts(data) if BLANK.search(t)]
    assert found == []


def test_a_saved_plan_with_old_blanks_prints_filled_or_another_entry(journal, now) -> None:
    with journal.session() as s:
        settings.put(s, "profile.name", "Alex")
        p = person(s, "Priya Raman", now, organisation="Northwind Labs")
        data = prep.PlanData(
            person_id=p.id,
            situation="first_meeting",
            duration_min=15,
            questions=[
                {"key": "opener.what_drew_you", "text": "What drew you to [organisation] in the first place?"},
                {"key": "opener.your_corner", "text": "What part of [field] do you spend most of your time on?"},
                {"key": None, "text": "Is it true [sic] that you started in sales?"},
            ],
            intro_script="Hi, I'm [my name]. I work on [what I do] at [organisation].",
            exit_line="I said [duration] and I want to keep to that. This was really helpful, thank you.",
            follow_up_prompts=["You mentioned [X]. Can you say more about that?"],
        )
        plan = prep.create_plan(s, data, now=now)
        sheet = prep.sheet_data(s, plan.id, now)
    assert sheet.questions[0] == "What drew you to Northwind Labs in the first place?"
    assert "[field]" not in " ".join(sheet.questions) and len(sheet.questions) == 3  # another question instead
    assert "Is it true [sic] that you started in sales?" in sheet.questions  # the user's own brackets stay
    assert sheet.intro_script.startswith("Hi, I'm Alex.") and "[" not in sheet.intro_script
    assert sheet.exit_line.startswith("I said fifteen minutes")
    assert sheet.follow_up_prompts and not any("[" in x for x in sheet.follow_up_prompts)


def test_whose_name_and_organisation_a_blank_means(journal, now) -> None:
    filler = prep.Filler(
        name="Priya",
        organisation="Northwind",
        my_name="Alex",
        my_organisation="Acme",
        what_i_do="data tooling",
        event="PyCon",
    )
    # In a greeting [name] is them; anywhere else it is someone else, so it is not filled with their name.
    assert filler.fill("Hi [name], thank you for your time today.", "message_template") == (
        "Hi Priya, thank you for your time today."
    )
    assert filler.fill("I promised myself I'd say hello to [name] before they leave.", "exit_line") is None
    assert filler.fill("Have you met [name]? Let me introduce you.", "exit_line") is None
    # In my intro, [organisation] is mine; in a question it is theirs.
    assert filler.fill("I'm [my name]; I work on [what I do] at [organisation].", "intro_script") == (
        "I'm Alex; I work on data tooling at Acme."
    )
    assert filler.fill("What drew you to [organisation] in the first place?") == (
        "What drew you to Northwind in the first place?"
    )


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (15, "fifteen minutes"),
        (30, "half an hour"),
        (60, "an hour"),
        (45, "forty-five minutes"),
        (90, "an hour and a half"),
    ],
)
def test_exit_lines_follow_the_meetings_length(journal, now, minutes, words) -> None:
    with journal.session() as s:
        p = person(s, "Lea Fischer", now)
        exits = [
            t.text
            for t in prep.suggestions(s, p.id, now, situation="first_meeting", duration_min=minutes)
            if t.target == "exit_line"
        ]
        planned = meeting(s, p, now, days_ago=-1, state=InteractionState.PLANNED, duration_min=minutes)
        plan = prep.new_plan(s, now, meeting_id=planned.id)
    assert exits == [f"I said {words} and I want to keep to that. This was really helpful, thank you."]
    assert words in plan.exit_line or "thirty" not in plan.exit_line
    for other in ("fifteen minutes", "half an hour", "an hour", "thirty minutes"):
        if other != words and other not in words:
            assert other not in plan.exit_line
    # A one-to-one never gets an event's exit ("keep you from everyone else").
    assert "everyone else" not in plan.exit_line


def test_a_meeting_of_unknown_length_gets_an_exit_line_that_names_none(journal, now) -> None:
    with journal.session() as s:
        p = person(s, "Lea Fischer", now)
        exits = [
            t.text
            for t in prep.suggestions(s, p.id, now, situation="first_meeting", duration_min=0)
            if t.target == "exit_line"
        ]
    assert exits and not any("minutes" in e or "hour" in e for e in exits)


def test_how_it_went_is_asked_only_about_what_has_happened(journal, now) -> None:
    with journal.session() as s:
        ahead = person(s, "Amara Okafor", now)
        meeting(s, ahead, now, days_ago=10, notes="Running the Berlin half marathon in April.")
        done = person(s, "Kwame Mensah", now)
        meeting(s, done, now, days_ago=10, notes="Ran the Berlin half marathon last weekend.")
        typed_ahead = person(s, "Noor Haddad", now)
        meeting(s, typed_ahead, now, days_ago=40, topics="her thesis")
        meeting(s, typed_ahead, now, days_ago=-3, topics="the job interview")  # dated in the future
        tips_ahead = [t.text for t in prep.suggestions(s, ahead.id, now) if t.target == "questions"]
        tips_later = [
            t.text for t in prep.suggestions(s, ahead.id, now + timedelta(days=60)) if t.target == "questions"
        ]
        tips_done = [t.text for t in prep.suggestions(s, done.id, now) if t.target == "questions"]
        tips_typed = [t.text for t in prep.suggestions(s, typed_ahead.id, now) if t.target == "questions"]
    assert not any("how it went" in t for t in tips_ahead)
    assert any("Running the Berlin half marathon in April" in t and "coming along" in t for t in tips_ahead)
    assert any("half marathon in April. Ask how it went." in t for t in tips_later)  # May: it has happened
    assert any("Ran the Berlin half marathon last weekend. Ask how it went." in t for t in tips_done)
    assert not any("job interview" in t for t in tips_typed)
    assert any("her thesis" in t for t in tips_typed)


SHAPES = [
    "send the article on feedback",
    "Send the slides.",
    "I'll send the slides",
    "will introduce me to Sam",
    "to share the deck",
    "the deck",
    "An intro to Sam",
    "feedback on my CV",
    "I'm going to email Ana",
    "  call   back  ",
    "DM the link",
    "Sketch a simple page for the reading circle",
]
BAD = re.compile(
    r"you'd (?:[A-Z][a-z]|I |will |to |the |an? |feedback)|they'd (?:[A-Z][a-z]|I |will |to |the |an? |feedback)|"
    r"\.\s*\(|\.\.|\s{2}|promised (?:send|share|call|email|sketch)"
)


@pytest.mark.parametrize("text", SHAPES)
def test_promise_sentences_stay_grammatical_whatever_their_shape(journal, now, text) -> None:
    from netjournal.ui.prep_sheet import build_html  # plain function; no Qt application needed

    with journal.session() as s:
        p = person(s, "Priya Raman", now)
        meeting(s, p, now, days_ago=40)
        add_commitment(s, p.id, Direction.I_OWE, text, now=now, due_on=date(2026, 3, 18))
        add_commitment(s, p.id, Direction.THEY_OWE, text, now=now)
        tips = prep.suggestions(s, p.id, now)
        sheet = prep.sheet_data(s, None, now, person_id=p.id)
        reasons = [c.reason for c in reconnect.candidates(s, now)]
    lines = [t.text for t in tips if t.target in ("offers", "follow_up_prompts")]
    lines += [t.why for t in tips if t.target in ("offers", "follow_up_prompts")]
    lines += sheet.i_owe + sheet.they_owe + [r for r in reasons if r]
    assert len(sheet.i_owe) == 1 and len(sheet.they_owe) == 1
    html = build_html(sheet)
    assert "said you'd:" not in html and "said they'd:" not in html
    for line in lines:
        assert not BAD.search(line), line
        assert "will " not in line.split("'d ", 1)[-1][:5], line
