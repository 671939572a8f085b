"""Reflections in the journal: saving a form (a draft keeps whatever was typed), reading one back, the
list and its summaries, and the gentle hint after repeated high distress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from netjournal.core import phrasing
from netjournal.core.errors import NotFoundError, ValidationError
from netjournal.core.journal import live, trash
from netjournal.core.models import Interaction, Person, Plan, Reflection, ReflectionKind
from netjournal.core.people_view import PickRow, pick_rows
from netjournal.core.reflections.forms import (
    HIGH_DISTRESS_DAYS,
    HIGH_DISTRESS_SUDS,
    HIGH_DISTRESS_TIMES,
    KIND_LABELS,
    MINUTES,
    PROFESSIONAL_HELP_HINT,
    TYPED_COLUMNS,
    ReflectionForm,
    RejectionForm,
    ThoughtRecordForm,
)


def _check_links(session: Session, form: ReflectionForm, kept_person: int | None = None) -> None:
    if form.person_id is not None:
        p = session.get(Person, form.person_id)
        # A link the reflection already has stays, even while that person is in the trash.
        if p is None or (p.deleted_at is not None and p.id != kept_person):
            raise NotFoundError(f"There is no person with id {form.person_id} to link this reflection to.")
    if form.interaction_id is not None:
        live(
            session,
            Interaction,
            form.interaction_id,
            f"There is no meeting with id {form.interaction_id} to link this reflection to.",
        )
    if form.plan_id is not None:
        live(session, Plan, form.plan_id, f"There is no plan with id {form.plan_id} to link this reflection to.")


def _default_title(form: ReflectionForm) -> str:
    if isinstance(form, RejectionForm) and form.ask:
        who = f" ({form.to_whom})" if form.to_whom else ""
        return _shorten(f"Asked: {form.ask}{who}")
    first_line = form.situation.strip().splitlines()[0] if form.situation.strip() else ""
    return _shorten(first_line) if first_line else KIND_LABELS[form.KIND]


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def save_reflection(
    session: Session,
    form: ReflectionForm,
    *,
    now: datetime,
    reflection_id: int | None = None,
    draft: bool = False,
) -> Reflection:
    """Create (reflection_id None) or update a reflection.

    draft=True keeps whatever was typed (marked as a draft, shown as "to finish later"); a number out of
    range is kept aside and offered back. draft=False checks the form and raises ValidationError naming
    every problem; nothing is written then.
    """
    form.clean_text()
    if isinstance(form, ThoughtRecordForm):
        form.sync_columns()
    problems = form.problems(final=not draft)
    if problems and not draft:
        raise ValidationError("\n".join(p.message for p in problems))
    kept = None
    if reflection_id is not None:
        kept = session.scalar(select(Reflection.person_id).where(Reflection.id == reflection_id))
    _check_links(session, form, kept)
    if form.occurred_at is not None and form.occurred_at.tzinfo is None:
        raise ValidationError("The date of a reflection must include its time zone.")

    columns = form.columns()
    data = form.data()
    unchecked = {p.field: getattr(form, p.field) for p in problems if p.field in form.RANGES}
    for name in unchecked:
        columns[name] = None  # the typed column only holds valid numbers
    if unchecked:
        data["unchecked_ratings"] = unchecked

    if reflection_id is None:
        row = Reflection(kind=form.KIND, created_at=now)
        session.add(row)
    else:
        row = get_reflection(session, reflection_id)
        if row.kind is not form.KIND:
            raise ValidationError(
                f"Reflection {reflection_id} is a {KIND_LABELS[row.kind].lower()}, not a "
                f"{KIND_LABELS[form.KIND].lower()}."
            )
    row.occurred_at = form.occurred_at or row.occurred_at or now
    row.title = _shorten(form.title, 500) if form.title else _default_title(form)
    row.situation = form.situation
    row.person_id, row.interaction_id, row.plan_id = form.person_id, form.interaction_id, form.plan_id
    for name in TYPED_COLUMNS:
        setattr(row, name, columns.get(name))
    # Attempts are counted, not outcomes: every rejection reflection is an attempt, whatever the answer.
    row.counts_as_attempt = form.KIND is ReflectionKind.REJECTION
    row.data = data
    row.is_draft = draft
    row.updated_at = now
    session.flush()
    return row


def get_reflection(session: Session, reflection_id: int) -> Reflection:
    return live(
        session, Reflection, reflection_id, f"There is no reflection with id {reflection_id} (it may be in the trash)."
    )


def load_form(session: Session, reflection_id: int) -> ReflectionForm:
    """The form to edit a stored reflection, with its links by id (also to a person in the trash, so
    saving it again keeps the link; `linked_person` says who it is and whether they are in the trash)."""
    row = get_reflection(session, reflection_id)
    return ReflectionForm.from_row(row)


def linked_person(session: Session, person_id: int | None) -> tuple[str, bool] | None:
    """(name, in the trash) of the person a reflection is linked to, or None."""
    if person_id is None:
        return None
    p = session.get(Person, person_id)
    return (p.name, p.deleted_at is not None) if p is not None else None


def delete_reflection(session: Session, reflection_id: int, *, now: datetime) -> str:
    """Move a reflection to the trash; returns the batch id `journal.restore` takes."""
    get_reflection(session, reflection_id)
    return trash(session, "reflection", reflection_id, now=now)


@dataclass(frozen=True)
class ReflectionSummary:
    id: int
    kind: ReflectionKind
    occurred_at: datetime
    title: str
    person_id: int | None  # None when unlinked, or linked to someone now in the trash
    person_name: str | None
    is_draft: bool
    predicted_suds: int | None
    actual_suds: int | None
    response: str | None


def _summary_query() -> Any:  # a Select of the summary columns
    live_person = Person.deleted_at.is_(None)
    return (
        select(
            Reflection.id,
            Reflection.kind,
            Reflection.occurred_at,
            Reflection.title,
            Person.id,
            Person.name,
            Reflection.is_draft,
            Reflection.predicted_suds,
            Reflection.actual_suds,
            Reflection.response,
        )
        .outerjoin(Person, (Person.id == Reflection.person_id) & live_person)
        .where(Reflection.deleted_at.is_(None))
    )


def list_reflections(
    session: Session,
    *,
    kind: ReflectionKind | None = None,
    person_id: int | None = None,
    drafts_only: bool = False,
    limit: int = 500,
    offset: int = 0,
) -> list[ReflectionSummary]:
    """Reflections, newest first; drafts are included (marked) unless only drafts are asked for."""
    stmt = _summary_query()
    if kind is not None:
        stmt = stmt.where(Reflection.kind == kind)
    if person_id is not None:
        stmt = stmt.where(Reflection.person_id == person_id)
    if drafts_only:
        stmt = stmt.where(Reflection.is_draft.is_(True))
    stmt = stmt.order_by(Reflection.occurred_at.desc(), Reflection.id.desc()).limit(limit).offset(offset)
    return [ReflectionSummary(*row) for row in session.execute(stmt)]


def summary(session: Session, reflection_id: int) -> ReflectionSummary:
    row = session.execute(_summary_query().where(Reflection.id == reflection_id)).one_or_none()
    if row is None:
        raise NotFoundError(f"There is no reflection with id {reflection_id} (it may be in the trash).")
    return ReflectionSummary(*row)


def professional_help_hint(session: Session, now: datetime) -> str | None:
    """A gentle note when very high distress was recorded several times recently; otherwise None."""
    since = now - timedelta(days=HIGH_DISTRESS_DAYS)
    high = or_(Reflection.actual_suds >= HIGH_DISTRESS_SUDS, Reflection.predicted_suds >= HIGH_DISTRESS_SUDS)
    count = session.scalar(
        select(func.count())
        .select_from(Reflection)
        .where(
            Reflection.deleted_at.is_(None),
            Reflection.occurred_at >= since,
            Reflection.occurred_at <= now + timedelta(days=1),
            high,
        )
    )
    return PROFESSIONAL_HELP_HINT if (count or 0) >= HIGH_DISTRESS_TIMES else None


def duration_text(kind: ReflectionKind) -> str:
    return f"About {MINUTES[kind]} minutes"


# ------------------------------------------------------------------------------------------ the list


@dataclass
class ReflectPage:
    """What the Reflect section lists, read in one go."""

    items: list[ReflectionSummary]
    texts: list[str]  # the list's lines, built off the GUI thread
    hint: str | None
    people: list[PickRow]


def reflect_page(session: Session, now: datetime) -> ReflectPage:
    items = list_reflections(session, limit=5000)
    hint = professional_help_hint(session, now)
    return ReflectPage(items, [_item_text(r) for r in items], hint, pick_rows(session))


def _item_text(r: ReflectionSummary) -> str:
    # The person before the kind: in a narrow list the end of the line is what gets elided.
    bits = [phrasing.date_text(r.occurred_at)]
    if r.person_name:
        bits.append(r.person_name)
    bits.append(KIND_LABELS[r.kind])
    if r.is_draft:
        bits.append("draft, to finish")
    return f"{r.title}\n{' · '.join(bits)}"
