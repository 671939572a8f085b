"""Exposure ladders: the starter ladder, attempts, and the gentle nudge up when a step got easier."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from netjournal.core import ladder as ld
from netjournal.core.errors import ValidationError


def test_starter_ladder_is_concrete_and_evenly_spaced() -> None:
    data = ld.starter_ladder()
    assert 10 <= len(data.steps) <= 12
    suds = [s.suds_expected for s in data.steps]
    assert suds == sorted(suds)
    assert all(5 <= b - a <= 10 for a, b in itertools.pairwise(suds))
    assert sum(1 for v in suds if 20 <= v <= 40) >= 3  # early wins
    assert any("three years" in s.text for s in data.steps)
    assert ld.ladder_advice(data.steps) == []


def test_next_step_is_suggested_when_the_peak_dropped_well_below_expected(journal, now) -> None:
    with journal.session() as s:
        ladder = ld.create_starter_ladder(s, now=now)
        first, second = ladder.steps[0], ladder.steps[1]
        ld.add_attempt(s, first.id, at=now - timedelta(days=2), suds_before=30, suds_peak=25, suds_after=10)
        assert ld.suggest_next_step(ladder) is None  # 25 vs expected 20: not easier yet
        ld.add_attempt(s, first.id, at=now, suds_before=15, suds_peak=8, suds_after=5)
        s.refresh(ladder)
        hint = ld.suggest_next_step(ladder)
        assert hint is not None and hint.step_id == second.id
        assert "getting easier" in hint.message and second.text in hint.message
        assert "fail" not in hint.message.lower()


def test_two_falling_peaks_also_count_as_easier(journal, now) -> None:
    with journal.session() as s:
        ladder = ld.create_starter_ladder(s, now=now)
        step = ladder.steps[5]  # expected 50
        ld.add_attempt(s, step.id, at=now - timedelta(days=3), suds_peak=55)
        ld.add_attempt(s, step.id, at=now - timedelta(days=1), suds_peak=48)
        s.refresh(ladder)
        assert ld.suggest_next_step(ladder).step_id == ladder.steps[6].id


def test_a_harder_try_gets_no_push(journal, now) -> None:
    with journal.session() as s:
        ladder = ld.create_starter_ladder(s, now=now)
        step = ladder.steps[3]
        ld.add_attempt(s, step.id, at=now - timedelta(days=3), suds_peak=45)
        ld.add_attempt(s, step.id, at=now, suds_peak=60)
        s.refresh(ladder)
        assert ld.suggest_next_step(ladder) is None


def test_bad_input_is_named(journal, now) -> None:
    with journal.session() as s:
        with pytest.raises(ValidationError, match="needs a goal"):
            ld.create_ladder(s, ld.LadderData("  ", [ld.StepData("x", 20)]), now=now)
        with pytest.raises(ValidationError, match="at most 15"):
            ld.create_ladder(s, ld.LadderData("g", [ld.StepData(f"s{i}", i) for i in range(16)]), now=now)
        with pytest.raises(ValidationError, match="Step 1: expected discomfort"):
            ld.create_ladder(s, ld.LadderData("g", [ld.StepData("x", 130)]), now=now)
        ladder = ld.create_ladder(s, ld.LadderData("g", [ld.StepData("talk", 30)]), now=now)
        with pytest.raises(ValidationError, match="peak is a number from 0 to 100"):
            ld.add_attempt(s, ladder.steps[0].id, at=now, suds_peak=101)


def test_advice_points_out_big_jumps_and_short_ladders() -> None:
    notes = ld.ladder_advice([ld.StepData("say hi", 20), ld.StepData("give a talk", 80)])
    assert any("8–15" in n for n in notes)
    assert any("jump from 20 to 80" in n for n in notes)


def test_editing_a_ladder_keeps_attempts_of_kept_steps(journal, now) -> None:
    with journal.session() as s:
        ladder = ld.create_ladder(s, ld.LadderData("g", [ld.StepData("a", 20), ld.StepData("b", 30)]), now=now)
        a = ladder.steps[0]
        ld.add_attempt(s, a.id, at=now, suds_peak=15)
        data = ld.LadderData("g2", [ld.StepData("a, reworded", 20, id=a.id), ld.StepData("c", 25)])
        ld.update_ladder(s, ladder.id, data, now=now)
        again = ld.get_ladder(s, ladder.id)
        assert [st.text for st in again.steps] == ["a, reworded", "c"]
        assert len(again.steps[0].attempts) == 1


def test_a_deleted_ladder_can_be_restored_from_the_trash_with_its_tries(journal, now) -> None:
    from netjournal.core.journal import restore, trash_items

    with journal.session() as s:
        ladder = ld.create_starter_ladder(s, now=now)
        ld.add_attempt(s, ladder.steps[0].id, at=now, suds_before=30, suds_peak=25, suds_after=10)
        ladder_id, goal = ladder.id, ladder.goal
        batch = ld.delete_ladder(s, ladder_id, now=now)
    with journal.read() as s:
        assert all(lad.id != ladder_id for lad in ld.list_ladders(s))
        assert [(t.kind, t.label) for t in trash_items(s)] == [("ladder", goal)]
    with journal.session() as s:
        restore(s, batch)
    with journal.read() as s:
        back = ld.get_ladder(s, ladder_id)
        assert len(back.steps[0].attempts) == 1


def test_a_step_removed_while_editing_goes_to_the_trash_with_its_tries(journal, now) -> None:
    from sqlalchemy import func, select

    from netjournal.core.journal import restore, trash_items
    from netjournal.core.models import LadderAttempt

    with journal.session() as s:
        ladder = ld.create_ladder(
            s,
            ld.LadderData("Talk at meetups", [ld.StepData("a", 20), ld.StepData("b", 40), ld.StepData("c", 60)]),
            now=now,
        )
        b = ladder.steps[1]
        ld.add_attempt(s, b.id, at=now, suds_before=50, suds_peak=45, suds_after=20, note="Went fine")
        keep = [ld.StepData(st.text, st.suds_expected, id=st.id) for st in ladder.steps if st.text != "b"]
        _lad, batch = ld.update_ladder_steps(s, ladder.id, ld.LadderData("Talk at meetups", keep), now=now)
        ladder_id = ladder.id
    assert batch is not None
    with journal.read() as s:
        assert [st.text for st in ld.get_ladder(s, ladder_id).steps] == ["a", "c"]
        assert s.scalar(select(func.count()).select_from(LadderAttempt)) == 1  # the try is kept, not deleted
        assert [(t.kind, t.label) for t in trash_items(s)] == [("ladder", "Steps removed from “Talk at meetups”")]
        assert [lad.id for lad in ld.list_ladders(s)] == [ladder_id]
    with journal.session() as s:
        restore(s, batch)
    with journal.read() as s:
        back = next(lad for lad in ld.list_ladders(s) if lad.id != ladder_id)
        assert [st.text for st in back.steps] == ["b"] and back.steps[0].attempts[0].note == "Went fine"
