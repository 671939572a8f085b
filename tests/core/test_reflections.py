"""Reflections: drafts keep every word, final saves explain what is missing, links survive the trash."""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta

import pytest

from netjournal.core import reflections as rf
from netjournal.core.errors import ValidationError
from netjournal.core.journal import restore, trash
from netjournal.core.models import Reflection, ReflectionKind
from netjournal.core.reflections.forms import _to_json
from tests import factories


def _rejection(**kw) -> rf.RejectionForm:
    base = dict(
        ask="20 minutes of advice on climate-tech roles",
        to_whom="Kwame",
        response="no_reply",
        first_interpretation="He thinks I'm not worth his time.",
        distortions=["mind_reading", "personalisation"],
        alternatives=["He's travelling", "It got buried", "He wants to answer properly"],
        self_talk="You asked clearly and kindly.",
        next_attempt="One friendly follow-up after ten days.",
    )
    base.update(kw)
    return rf.RejectionForm(**base)


def test_rejection_with_two_alternatives_is_kept_as_a_draft_and_asks_gently_for_a_third(journal, now) -> None:
    form = _rejection(alternatives=["They're busy", "  It got buried  ", ""])
    with journal.session() as s:
        with pytest.raises(ValidationError) as err:
            rf.save_reflection(s, form, now=now)
        assert "1 more explanation" in err.value.message and "2 of 3" in err.value.message
        assert s.query(Reflection).count() == 0  # a failed final save writes nothing
        row = rf.save_reflection(s, form, now=now, draft=True)
        rid = row.id
    with journal.read() as s:
        back = rf.load_form(s, rid)
        assert isinstance(back, rf.RejectionForm)
        assert back.alternatives == ["They're busy", "It got buried"]
        assert back.self_talk == "You asked clearly and kindly."
        assert rf.list_reflections(s)[0].is_draft
    form = back
    form.alternatives.append("They're on leave")
    with journal.session() as s:
        row = rf.save_reflection(s, form, now=now, reflection_id=rid)
        assert not row.is_draft and row.counts_as_attempt and row.response == "no_reply"
        assert row.title.startswith("Asked: 20 minutes")


def test_out_of_range_ratings_are_named_and_a_draft_keeps_the_number_and_the_text(journal, now) -> None:
    form = rf.DiscomfortForm(
        situation="Design meetup alone", prediction="I'll stand by the wall", predicted_suds=140, predicted_liking=9
    )
    with journal.session() as s:
        with pytest.raises(ValidationError) as err:
            rf.save_reflection(s, form, now=now)
        assert "Expected discomfort is a number from 0 to 100 (it is 140 now)" in err.value.message
        assert "from 1 to 7" in err.value.message
        rid = rf.save_reflection(s, form, now=now, draft=True).id
    with journal.read() as s:
        row = s.get(Reflection, rid)
        assert row.predicted_suds is None  # charts never see an impossible number
        back = rf.load_form(s, rid)
        assert back.predicted_suds == 140 and back.situation == "Design meetup alone"


def test_empty_required_fields_are_named(journal, now) -> None:
    with journal.session() as s, pytest.raises(ValidationError) as err:
        rf.save_reflection(s, rf.ThoughtRecordForm(), now=now)
    msg = err.value.message
    assert "situation" in msg and "balanced thought" in msg and "mood" in msg


def test_thought_record_round_trip_with_seven_columns(journal, now) -> None:
    form = rf.ThoughtRecordForm(
        situation="Team lunch, nobody asked me anything",
        emotions=[rf.Emotion("anxious", 80, 40), rf.Emotion("embarrassed", 60, 20)],
        thoughts=[rf.AutomaticThought("They find me boring", 85, True)],
        distortions=["mind_reading"],
        evidence_for="Quiet for ten minutes",
        evidence_against="Sam asked about my trip afterwards",
        balanced_thought="People were tired; one quiet lunch says little",
        belief_after=60,
    )
    with journal.session() as s:
        row = rf.save_reflection(s, form, now=now)
        assert row.belief_before == 85 and row.actual_suds == 80 and row.belief_after == 60
        assert not row.counts_as_attempt
        rid = row.id
    with journal.read() as s:
        back = rf.load_form(s, rid)
        assert back.emotions[1] == rf.Emotion("embarrassed", 60, 20)
        assert back.thoughts[0].hot
        # every word is a plain string somewhere in the row (for search and the JSON export)
        texts = str(s.get(Reflection, rid).data)
        assert "Sam asked about my trip" in texts and "anxious" in texts


def test_reflection_stays_when_its_person_is_deleted_and_is_linked_again_on_restore(journal, now) -> None:
    with journal.session() as s:
        kwame = factories.person(s, "Kwame Mensah", now)
        rid = rf.save_reflection(s, _rejection(person_id=kwame.id), now=now).id
        batch = trash(s, "person", kwame.id, now=now)
    with journal.read() as s:
        item = rf.list_reflections(s)[0]
        assert item.id == rid and item.person_id is None and item.person_name is None
        form = rf.load_form(s, rid)
        assert form.person_id == kwame.id and rf.linked_person(s, kwame.id) == ("Kwame Mensah", True)
    with journal.session() as s:  # editing it while they are in the trash keeps the link (by id)
        form.title = "Edited while Kwame was in the trash"
        rf.save_reflection(s, form, now=now, reflection_id=rid)
    with journal.session() as s:
        restore(s, batch)
    with journal.read() as s:
        item = rf.list_reflections(s)[0]
        assert item.person_name == "Kwame Mensah"


def test_deleted_reflection_goes_to_the_trash_and_comes_back(journal, now) -> None:
    with journal.session() as s:
        rid = rf.save_reflection(s, _rejection(), now=now).id
        batch = rf.delete_reflection(s, rid, now=now)
        assert rf.list_reflections(s) == []
        restore(s, batch)
        assert [r.id for r in rf.list_reflections(s)] == [rid]


def test_professional_help_hint_after_very_high_distress_several_times(journal, now) -> None:
    with journal.session() as s:
        for days, suds in ((1, 90), (4, 88), (30, 95)):
            rf.save_reflection(
                s,
                rf.DiscomfortForm(
                    situation="x", prediction="y", predicted_suds=suds, occurred_at=now - timedelta(days=days)
                ),
                now=now,
            )
        assert rf.professional_help_hint(s, now) is None  # twice in two weeks: no hint
        rf.save_reflection(s, _rejection(actual_suds=92, occurred_at=now - timedelta(days=2)), now=now)
        hint = rf.professional_help_hint(s, now)
    assert hint is not None and "not therapy" in hint and "counsellor" in hint
    assert "score" not in hint.lower() and "diagnos" not in hint.lower()


def test_distortions_each_have_a_plain_explanation() -> None:
    ds = rf.load_distortions()
    assert len(ds) >= 10
    assert all(d.name and d.explanation.endswith(".") and len(d.explanation) < 120 for d in ds)
    assert {"mind_reading", "fortune_telling", "catastrophising", "personalisation"} <= rf.distortion_keys()


def test_each_form_says_how_long_it_takes() -> None:
    for kind in ReflectionKind:
        assert rf.duration_text(kind).startswith("About ") and "minutes" in rf.duration_text(kind)


def _strings(value) -> list[str]:
    """Every string inside a JSON value (what search's json_tree 'text' rows and the export see)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    return []


def test_every_typed_word_is_a_plain_string_in_the_row_for_search_and_export(journal, now) -> None:
    forms = [
        rf.DiscomfortForm(
            situation="s-sit",
            target_belief="s-belief",
            prediction="s-pred",
            safety_behaviour="s-safe",
            outcome="s-out",
            signals="s-sig",
            learning="s-learn",
            result="partly",
        ),
        _rejection(
            ask="r-ask",
            to_whom="r-who",
            first_interpretation="r-first",
            alternatives=["r-a1", "r-a2", "r-a3"],
            self_talk="r-talk",
            self_compassion_mindfulness="r-m",
            self_compassion_common_humanity="r-c",
            self_compassion_kindness="r-k",
            learning="r-learn",
            next_attempt="r-next",
        ),
        rf.ThoughtRecordForm(
            situation="t-sit",
            emotions=[rf.Emotion("t-mood", 50, 20)],
            thoughts=[rf.AutomaticThought("t-thought", 60, True)],
            evidence_for="t-for",
            evidence_against="t-against",
            balanced_thought="t-bal",
            next_step="t-next",
        ),
    ]
    with journal.session() as s:
        for form in forms:
            typed = [v for f in fields(form) for v in _strings(_to_json(getattr(form, f.name)))]
            typed = [t for t in typed if "-" in t]  # the texts above (not keys like "no_reply")
            row = rf.save_reflection(s, form, now=now)
            stored = [row.title, row.situation, *_strings(row.data)]
            missing = [t for t in typed if t not in stored]
            assert not missing, (form.KIND, missing)
