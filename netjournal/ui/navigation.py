"""How one section asks another for something: open a person, add one, import contacts, prepare a meeting,
reflect, log an interaction.

The app owns one `Navigation` (app.nav). A section offers what it can do when it is installed
(`offer_*`); the others ask through the typed methods below instead of looking each other up on the
app. During the staged start-up the sections are built one by one: until the one that can do
something is there, asking for it does nothing and says so (False, or None for quick log).
"""

from __future__ import annotations

from collections.abc import Callable

from netjournal.core.models import ReflectionKind

# What a section hands over; whatever it returns (the page, the editor it opened) is not passed on.
OpenPerson = Callable[[int], object]
Prepare = Callable[[int | None, int | None], object]  # (person id, meeting id)
Reflect = Callable[[ReflectionKind, int | None, int | None], object]  # (kind, person id, interaction id)
QuickLog = Callable[[int | None], int | None]  # person id -> the interaction saved, or None
Start = Callable[[], object]  # opens a form or dialog (add a person, import contacts)


class Navigation:
    def __init__(
        self, show_section: Callable[[str], object], section_in_front: Callable[[], str | None] = lambda: None
    ) -> None:
        self._show_section = show_section
        self._section_in_front = section_in_front  # the key of the section on screen; None if the window is hidden
        self._open_person: OpenPerson | None = None
        self._person_in_view: Callable[[], int | None] = lambda: None
        self._add_person: Start | None = None
        self._import: Start | None = None
        self._prepare: Prepare | None = None
        self._reflect: Reflect | None = None
        self._log: QuickLog | None = None

    # -- offered by the section that can do it (in its install)
    def offer_people(self, open_person: OpenPerson, person_in_view: Callable[[], int | None]) -> None:
        self._open_person, self._person_in_view = open_person, person_in_view

    def offer_add_person(self, add: Start) -> None:
        self._add_person = add

    def offer_import(self, start: Start) -> None:
        self._import = start

    def offer_prepare(self, prepare: Prepare) -> None:
        self._prepare = prepare

    def offer_reflect(self, reflect: Reflect) -> None:
        self._reflect = reflect

    def offer_quick_log(self, log: QuickLog) -> None:
        self._log = log

    # -- asked by the others
    def open_person(self, person_id: int) -> bool:
        """Show People with this person's page; False while People is not built yet."""
        if self._open_person is None:
            return False
        self._show_section("people")
        self._open_person(person_id)
        return True

    def person_in_view(self, *, on_screen: bool = False) -> int | None:
        """The person whose page People shows, if any. With `on_screen`, only while that page is in front
        in a visible window (quick log starts with them)."""
        if on_screen and self._section_in_front() != "people":
            return None
        return self._person_in_view()

    def add_person(self) -> bool:
        """Show People with the form for a new person."""
        if self._add_person is None:
            return False
        self._show_section("people")
        self._add_person()
        return True

    def import_contacts(self) -> bool:
        """Open the import dialog (contacts or a calendar file)."""
        if self._import is None:
            return False
        self._import()
        return True

    @property
    def can_prepare(self) -> bool:
        return self._prepare is not None

    def prepare_meeting(self, person_id: int | None = None, meeting_id: int | None = None) -> bool:
        """Show Prepare with a new plan (for this person or meeting, when given)."""
        if self._prepare is None:
            return False
        self._show_section("prepare")
        self._prepare(person_id, meeting_id)
        return True

    @property
    def can_reflect(self) -> bool:
        return self._reflect is not None

    def reflect_on(
        self, kind: ReflectionKind, *, person_id: int | None = None, interaction_id: int | None = None
    ) -> bool:
        """Show Reflect with a new reflection of this kind, about a person or a conversation when given."""
        if self._reflect is None:
            return False
        self._show_section("reflect")
        self._reflect(kind, person_id, interaction_id)
        return True

    def log_interaction(self, person_id: int | None = None) -> int | None:
        """The quick log (modal); the id of the interaction it saved, or None."""
        return self._log(person_id) if self._log is not None else None
