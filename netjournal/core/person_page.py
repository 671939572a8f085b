"""One person's page as plain data: who they are, open promises both ways, the timeline's lines.

`person_page` reads it in one session; ui/person_page.py only lays it out (every piece of text a user
typed is shown there as plain text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from netjournal.core import phrasing
from netjournal.core.journal import (
    CHANNEL_LABELS,
    CIRCLE_LABELS,
    STATUS_LABELS,
    get_person,
    last_contacts,
    open_commitments,
    timeline,
    timeline_count,
)
from netjournal.core.models import ImportantDate, Interaction, InteractionState, PersonStatus
from netjournal.core.people_view import ago
from netjournal.core.phrasing import promise_sentence
from netjournal.core.reflections import KIND_LABELS, list_reflections

TIMELINE_LIMIT = 300
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class Promise:
    id: int
    text: str


@dataclass
class PageInfo:
    id: int
    name: str
    subtitle: str
    meta: str
    about: list[tuple[str, str]]  # (label, value) rows, only the filled-in ones
    promises: list[Promise]
    timeline: list[tuple[int, str]]  # (interaction id, text)
    more_timeline: bool = False  # there are older entries than those listed
    timeline_total: int = 0  # entries in all
    timeline_until: datetime | None = None  # listed from this moment back (went to a date), else the newest
    reflections: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    # Sync (core/sync/choices): (card link id, field, account, words, journal's value, server's value)
    sync_choices: list[tuple[int, str, str, str, str, str]] = field(default_factory=list)
    sync_unlinked: list[str] = field(default_factory=list)  # accounts whose card of them was deleted there


def day_text(at: datetime) -> str:
    local = at.astimezone()
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def when_text(at: datetime) -> str:
    return phrasing.when_text(at)


def interaction_text(it: Interaction) -> str:
    head = [CHANNEL_LABELS[it.channel], when_text(it.at)]
    if it.state is InteractionState.PLANNED:
        head.insert(0, "Coming up")
    elif it.state is InteractionState.CANCELLED:
        head.insert(0, "Cancelled")
    if it.warmth:
        head.append("warmth " + "●" * it.warmth + "○" * (5 - it.warmth))
    lines = [" · ".join(head)]
    if len(it.people) > 1:
        lines.append("With " + ", ".join(p.name for p in it.people))
    if it.title and it.title not in it.notes:
        lines.append(it.title)
    if it.notes:
        lines.append(it.notes)
    if it.i_gave:
        lines.append("You gave: " + it.i_gave)
    if it.they_gave:
        lines.append("They gave: " + it.they_gave)
    if it.energy_before is not None or it.energy_after is not None:
        before = "?" if it.energy_before is None else str(it.energy_before)
        after = "?" if it.energy_after is None else str(it.energy_after)
        lines.append(f"Energy {before} → {after} (of 10)")
    if it.awaiting_reply:
        lines.append("Waiting for their reply")
    return "\n".join(lines)


def _date_text(d: ImportantDate) -> str:
    month, day, year = d.month, d.day, d.year
    return f"{day} {MONTHS[month - 1]}" + (f" {year}" if year else "")


def person_page(s: Session, person_id: int, now: datetime, until: datetime | None = None) -> PageInfo:
    """The page; the timeline lists the newest TIMELINE_LIMIT entries, or those up to `until`."""
    p = get_person(s, person_id)
    last = last_contacts(s, [person_id]).get(person_id)
    subtitle = " · ".join(x for x in (p.role, p.organisation) if x and x.strip("—-"))
    meta = []
    meta.append(CIRCLE_LABELS.get(p.circle, "") if p.circle else "Not placed in a circle yet")
    if p.status is not PersonStatus.ACTIVE:
        meta.append(STATUS_LABELS[p.status])
    meta.append("last in touch " + ago(last, now) if last else "nothing logged yet")
    about: list[tuple[str, str]] = []

    def add(label: str, value: str | None) -> None:
        if value and value.strip():
            about.append((label, value.strip()))

    add("Nickname", p.nickname)
    add("How you met", p.how_met)
    if p.met_on:
        add("Met on", f"{p.met_on.day} {MONTHS[p.met_on.month - 1]} {p.met_on.year}")
    if p.cadence_days:
        add("Keep in touch", f"about every {p.cadence_days} days")
    for d in p.dates:
        add(d.label or d.kind.capitalize(), _date_text(d))
    add("Family", p.ford_family)
    add("Work", p.ford_occupation)
    add("Free time", p.ford_recreation)
    add("Dreams", p.ford_dreams)
    kinds = {"email": "Email", "phone": "Phone", "url": "Link", "im": "Messaging"}
    for kind, label in kinds.items():
        values = [c.value + (f" ({c.label})" if c.label else "") for c in p.contact_points if c.kind == kind]
        add(label + ("s" if len(values) > 1 and kind != "im" else ""), "\n".join(values))
    for a in p.addresses:
        lines = [a.street, " ".join(x for x in (a.postcode, a.locality) if x), a.region, a.country]
        add("Address" + (f" ({a.label})" if a.label else ""), "\n".join(x for x in lines if x))
    if p.tags:
        add("Tags", ", ".join(t.name for t in p.tags))
    if p.ended_badly:
        add("Note", "It ended on a sour note; netjournal won't suggest reconnecting.")
    add("Notes", p.notes)
    promises = []
    for c in open_commitments(s, person_id):
        due = f" (by {c.due_on.day} {MONTHS[c.due_on.month - 1]})" if c.due_on else ""
        promises.append(Promise(c.id, f"{promise_sentence(c.direction, c.text)}{due}"))
    reflections = []
    for r in list_reflections(s, person_id=person_id, limit=20):
        when = f"{r.occurred_at.astimezone().day} {MONTHS[r.occurred_at.astimezone().month - 1]}"
        when += f" {r.occurred_at.astimezone().year}"
        bits = [KIND_LABELS[r.kind], when, r.title] + (["draft"] if r.is_draft else [])
        reflections.append(" · ".join(b for b in bits if b))
    if reflections:
        about.append(("Reflections", "\n".join(reflections)))
    items = timeline(s, person_id, limit=TIMELINE_LIMIT + 1, until=until)
    entries = [(it.id, interaction_text(it)) for it in items[:TIMELINE_LIMIT]]
    total = timeline_count(s, person_id)
    from netjournal.core.sync.choices import person_sync, value_text

    synced = person_sync(s, person_id)
    choices = [
        (c.link_id, c.field, c.account, c.words, value_text(c.journal), value_text(c.server)) for c in synced.choices
    ]
    return PageInfo(
        id=p.id,
        name=p.name,
        subtitle=subtitle,
        meta=" · ".join(meta),
        about=about,
        promises=promises,
        timeline=entries,
        more_timeline=len(items) > TIMELINE_LIMIT,
        tags=[t.name for t in p.tags],
        reflections=reflections,
        timeline_total=total,
        timeline_until=until,
        sync_choices=choices,
        sync_unlinked=synced.unlinked_from,
    )
