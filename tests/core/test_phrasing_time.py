"""One wording of "how long ago" and one date format, used by every screen."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from netjournal.core import phrasing, prep
from netjournal.core.reconnect import elapsed_words


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (1, "a day"),
        (9, "nine days"),
        (12, "twelve days"),
        (13, "two weeks"),
        (20, "three weeks"),
        (59, "eight weeks"),
        (60, "two months"),
        (170, "six months"),  # People said "5 months", Prepare "6 months", Today "six months"
        (183, "six months"),
        (340, "eleven months"),
        (365, "about a year"),
        (900, "about two years"),
    ],
)
def test_elapsed_rounds_to_the_nearest_unit(days: int, words: str) -> None:
    assert phrasing.elapsed(days) == words


def test_ago_names_today_yesterday_and_the_future_gently() -> None:
    assert phrasing.ago(0) == "today"
    assert phrasing.ago(1) == "yesterday"
    assert phrasing.ago(-3) == "coming up"
    assert phrasing.ago(170) == "six months ago"


def test_today_and_prepare_say_the_same_for_170_days() -> None:
    now = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
    then = now - timedelta(days=170)
    assert elapsed_words(170) == "six months"  # Today's reasons
    assert "six months ago" in prep.detect_situation(then, now).why
    assert "six months ago" in prep.detect_situation(now - timedelta(days=190), now).why


def test_one_date_format() -> None:
    assert phrasing.date_text(date(2026, 4, 3)) == "3 Apr 2026"
    assert phrasing.date_text(date(2026, 4, 3), year=False) == "3 Apr"
    at = datetime(2026, 4, 6, 14, 5)  # naive: shown as it is
    assert phrasing.when_text(at) == "Mon 6 Apr 2026, 14:05"
    assert phrasing.when_text(at, year=False) == "Mon 6 Apr, 14:05"
