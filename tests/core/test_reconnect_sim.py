"""A year of clock time: 300 people, a user who logs some suggestions, ignores some and snoozes some.

The engine is driven the way the app drives it (ask what to surface at every hourly tick, deliver and
record it) and the rules a user would notice are checked: the weekly budget is never exceeded,
nothing arrives in quiet hours or at weekends, people who become due are suggested within about two
weeks, and a month with the app closed ends in one digest, not a burst.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from netjournal.core import reconnect as rc
from netjournal.core.journal import InteractionData, add_commitment, log_interaction, set_commitment_status
from netjournal.core.models import Channel, CommitmentStatus, Direction, ImportantDate, Person

START = datetime(2026, 1, 5, 0, 0, tzinfo=UTC)  # a Monday
DAYS = 364
AWAY = (START + timedelta(days=200), START + timedelta(days=233))  # the laptop stays closed for a month
CIRCLES = [15] * 6 + [50] * 25 + [150] * 70 + [500] * 120 + [None] * 79


def _populate(s, rnd: random.Random) -> dict[int, int]:
    cadence = {15: 30, 50: 180, 150: 365}
    people = [
        {
            "name": f"Person {i}",
            "sort_name": f"person {i}",
            "circle": c,
            "created_at": START - timedelta(days=900),
            "updated_at": START,
        }
        for i, c in enumerate(CIRCLES)
    ]
    s.execute(insert(Person), people)
    ids = {i + 1: c for i, c in enumerate(CIRCLES)}
    for pid, circle in ids.items():
        if circle in cadence or (circle is None and pid % 2):
            t = cadence.get(circle or 150, 365)
            at = START - timedelta(days=rnd.uniform(0, t), hours=rnd.uniform(0, 23))
            log_interaction(
                s, [pid], InteractionData(at=at, channel=Channel.COFFEE, warmth=rnd.choice([3, 4, 5])), now=START
            )
        if rnd.random() < 0.3:
            s.add(ImportantDate(person_id=pid, kind="birthday", month=rnd.randint(1, 12), day=rnd.randint(1, 28)))
    return {pid: cadence.get(c or 0, 0) for pid, c in ids.items()}


def test_a_year_of_suggestions(journal) -> None:  # noqa: C901  (a simulated year with every check inline)
    rnd = random.Random(20260105)
    with journal.session() as s:
        cadences = _populate(s, rnd)
    deliveries: list[tuple[datetime, str, int]] = []
    pending: dict[datetime, list[tuple[str, int]]] = defaultdict(list)  # what the user does, and when
    first_eligible: dict[int, datetime] = {}
    waits: list[float] = []
    after_away: list[str] = []

    t = START
    end = START + timedelta(days=DAYS)
    while t < end:
        away = AWAY[0] <= t < AWAY[1]
        with journal.session() as s:
            for action, pid in pending.pop(t, []):
                if action == "log":
                    data = InteractionData(
                        at=t, channel=rnd.choice([Channel.COFFEE, Channel.MESSAGE]), warmth=rnd.choice([3, 4, 5])
                    )
                    log_interaction(s, [pid], data, now=t)
                    rc.acted(s, pid, t, "logged")
                    if rnd.random() < 0.15:
                        c = add_commitment(
                            s,
                            pid,
                            Direction.I_OWE,
                            "Send the link we talked about",
                            now=t,
                            due_on=(t + timedelta(days=rnd.randint(3, 10))).date(),
                        )
                        if rnd.random() < 0.6:
                            pending[t + timedelta(days=rnd.randint(1, 5))].append(("keep", c.id))
                elif action == "keep":
                    set_commitment_status(s, pid, CommitmentStatus.DONE, now=t)
                elif action == "snooze":
                    rc.snooze(s, pid, t, rc.snooze_until(rnd.choice(["week", "month"]), t))
                elif action == "not_now":
                    rc.not_now(s, pid, t)
            if t.hour == 12 and not away:
                # The user also keeps in touch on their own now and then.
                for pid, cadence in cadences.items():
                    if cadence and rnd.random() < 1 / cadence:
                        log_interaction(s, [pid], InteractionData(at=t, channel=Channel.CALL), now=t)
                # Who is due right now (above the threshold, past every filter)?
                eligible = {c.person_id for c in rc.candidates(s, t, tz=UTC) if c.score >= rc.THRESHOLD}
                for pid in list(first_eligible):
                    if pid not in eligible:
                        del first_eligible[pid]  # contacted, snoozed or set aside meanwhile
                for pid in eligible:
                    first_eligible.setdefault(pid, t)
            if not away:
                out = rc.what_to_surface(s, t, tz=UTC)
                if out:
                    rc.record_delivery(s, out, t)
                    if AWAY[1] <= t < AWAY[1] + timedelta(days=1):
                        after_away.append(out.kind)
                    for sug in out.suggestions:
                        deliveries.append((t, out.kind, sug.person_id))
                        if sug.person_id in first_eligible:
                            since = first_eligible.pop(sug.person_id)
                            waits.append((since, (t - since).total_seconds() / 86400))
                        roll = rnd.random()
                        later = t + timedelta(hours=rnd.randint(1, 72))
                        if roll < 0.55:
                            pending[later].append(("log", sug.person_id))
                        elif roll < 0.70:
                            pending[later].append(("snooze", sug.person_id))
                        elif roll < 0.80:
                            pending[later].append(("not_now", sug.person_id))
                        # else: ignored
        t += timedelta(hours=1)

    assert len(deliveries) > 100  # a year of gentle suggestions, not silence
    per_week = Counter((at - START).days // 7 for at, _, _ in deliveries)
    assert max(per_week.values()) <= 3
    for at, _, _ in deliveries:
        assert at.weekday() < 5 and 9 <= at.hour < 20, at
    per_day_nudges = Counter(at.date() for at, kind, _ in deliveries if kind == "nudge")
    assert max(per_day_nudges.values(), default=0) <= 1
    # Due people are suggested within about two weeks. The month away is set aside: nobody is suggested
    # while the app is closed, and the few weekly slots then work through the backlog over some weeks.
    usual = sorted(w for since, w in waits if not AWAY[0] - timedelta(days=14) <= since < AWAY[1] + timedelta(days=42))
    assert len(usual) > 40
    assert usual[int(len(usual) * 0.9)] <= 14, usual
    assert usual[-1] <= 21, usual
    # Back after a month away: one digest, not a burst.
    assert after_away == ["digest"]
    assert not [d for d in deliveries if AWAY[0] <= d[0] < AWAY[1]]
