"""The question bank: the shipped file is sound, and the user's changes survive a new bank."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netjournal.core import prompts
from netjournal.core.errors import NotFoundError, ValidationError


def test_shipped_bank_is_valid_large_and_covers_every_situation() -> None:
    raw = json.loads(prompts.bank_path().read_text(encoding="utf-8"))["entries"]
    entries = prompts.load_bank()
    assert len(entries) == len(raw) >= 150
    assert len({e.key for e in entries}) == len(entries)
    for situation in prompts.SITUATIONS:
        questions = [e for e in entries if situation in e.situations and e.kind in ("question", "follow_up")]
        assert len(questions) >= 10, situation
    kinds = {e.kind for e in entries}
    assert kinds == set(prompts.KINDS)
    for purpose in ("opener", "follow_up", "career_story", "priorities", "reciprocity", "deeper", "close_next_step"):
        assert sum(purpose in e.purposes for e in entries) >= 5, purpose
    messages = {p for e in entries if e.kind == "message_template" for p in e.purposes}
    assert {"check_in", "thank_you", "reconnect", "nudge", "advice_ask"} <= messages
    assert sum(e.kind == "exit_line" for e in entries) >= 2
    # The evidence base's seed questions are there word for word.
    texts = {e.text for e in entries}
    assert "What's been keeping you busy lately, at work or otherwise?" in texts
    assert "Is there anyone else you think I should talk to about this?" in texts


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"kind": "question", "purposes": ["opener"], "situations": ["event"], "depth": 1, "text": "Hi?"}, "key"),
        (
            {"key": "a", "kind": "poem", "purposes": ["opener"], "situations": ["event"], "depth": 1, "text": "x"},
            "kind",
        ),
        (
            {"key": "a", "kind": "question", "purposes": ["opener"], "situations": ["moon"], "depth": 1, "text": "x"},
            "moon",
        ),
        (
            {"key": "a", "kind": "question", "purposes": ["opener"], "situations": ["event"], "depth": 7, "text": "x"},
            "depth",
        ),
        (
            {"key": "a", "kind": "question", "purposes": ["opener"], "situations": ["event"], "depth": 1, "text": " "},
            "text",
        ),
    ],
)
def test_a_malformed_bank_names_the_entry_and_the_field(entry: dict, message: str) -> None:
    with pytest.raises(prompts.BankError) as err:
        prompts.parse_bank({"entries": [entry]}, "bank.json")
    assert "entry 1" in str(err.value) and message in str(err.value)


def test_duplicate_keys_are_refused() -> None:
    e = {"key": "a", "kind": "question", "purposes": ["opener"], "situations": ["event"], "depth": 1, "text": "x"}
    with pytest.raises(prompts.BankError, match="used twice"):
        prompts.parse_bank({"entries": [e, e]})


def test_missing_or_broken_bank_file_gives_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(prompts.BankError, match="missing"):
        prompts.load_bank(tmp_path / "nope.json")
    bad = tmp_path / "bank.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(prompts.BankError, match="cannot be read"):
        prompts.load_bank(bad)


def _write_bank(path: Path, entries: list[tuple[str, str]]) -> None:
    doc = {
        "entries": [
            {
                "key": k,
                "kind": "question",
                "purposes": ["opener"],
                "situations": ["first_meeting"],
                "depth": 1,
                "text": t,
            }
            for k, t in entries
        ]
    }
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_user_changes_survive_a_new_shipped_bank(journal, now, tmp_path: Path) -> None:
    bank_file = tmp_path / "bank.json"
    _write_bank(bank_file, [("a", "Shipped A?"), ("b", "Shipped B?"), ("c", "Shipped C?"), ("d", "Shipped D?")])
    with journal.session() as s:
        bank = prompts.load_bank(bank_file)
        prompts.hide(s, "a", now=now, bank=bank)
        prompts.set_favourite(s, "b", True, now=now, bank=bank)
        prompts.edit_entry(s, "c", text="My own wording of C?", now=now, bank=bank)
        prompts.edit_entry(s, "d", text="My wording of D?", now=now, bank=bank)
        own = prompts.add_entry(s, "What's your favourite café here?", now=now, situations=["event"])

    # The upgrade: A and B get new wording, C is unchanged, D is gone and E is new.
    _write_bank(bank_file, [("a", "New A?"), ("b", "New B?"), ("c", "Shipped C?"), ("e", "New E?")])
    with journal.read() as s:
        bank = prompts.load_bank(bank_file)
        everything = {e.key: e for e in prompts.all_entries(s, bank=bank)}
        visible = [e.key for e in prompts.list_entries(s, bank=bank)]
    assert everything["a"].hidden and "a" not in visible
    assert everything["b"].favourite and everything["b"].text == "New B?" and visible[0] == "b"
    assert everything["c"].text == "My own wording of C?" and everything["c"].edited
    assert everything["d"].text == "My wording of D?" and not everything["d"].shipped
    assert everything["e"].text == "New E?"
    assert everything[own.key].text == "What's your favourite café here?" and own.key in visible


def test_filters_unhide_and_reset(journal, now) -> None:
    with journal.session() as s:
        first = prompts.list_entries(s, situation="job_search", purpose="advice_ask")
        assert first and all("job_search" in e.situations and "advice_ask" in e.purposes for e in first)
        key = first[0].key
        prompts.hide(s, key, now=now)
        assert key not in [e.key for e in prompts.list_entries(s, situation="job_search")]
        assert key in [e.key for e in prompts.list_entries(s, situation="job_search", include_hidden=True)]
        prompts.unhide(s, key, now=now)
        prompts.edit_entry(s, key, text="Changed?", now=now)
        assert prompts.get_entry(s, key).text == "Changed?"
        assert prompts.reset_entry(s, key, now=now).text == first[0].text
        assert prompts.list_entries(s, text="KEEPING YOU BUSY")[0].key == "opener.busy_lately"
        exits = prompts.list_entries(s, kinds=["exit_line"])
        assert exits and all(e.kind == "exit_line" for e in exits)


def test_bad_edits_are_refused_plainly(journal, now) -> None:
    with journal.session() as s:
        with pytest.raises(ValidationError, match="some words"):
            prompts.add_entry(s, "   ", now=now)
        with pytest.raises(ValidationError, match="situation"):
            prompts.add_entry(s, "Hello?", situations=["mars"], now=now)
        with pytest.raises(NotFoundError):
            prompts.hide(s, "no.such.key", now=now)
        with pytest.raises(NotFoundError):
            prompts.set_favourite(s, "user.999", True, now=now)


def test_fill_replaces_only_known_placeholders() -> None:
    text = "How do you know [host or organiser], [name]?"
    assert prompts.fill(text, {"name": "Søren", "organisation": ""}) == "How do you know [host or organiser], Søren?"
