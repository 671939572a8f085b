"""Everyone in the journal as plain rows (what `netjournal people` prints), on either path.

One query text for the ORM session and the thin read path (core/reader.py); `tests/core/
test_read_path.py` checks it gives what the models give (`journal.live_people()` and its relations).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from netjournal.core.reader import Source, rows_of

PEOPLE = (
    "SELECT id, name, organisation, role, circle, status FROM people WHERE deleted_at IS NULL ORDER BY sort_name, id"
)
# In the order the models keep them: contact points by position, tags by name.
CONTACTS = (
    "SELECT person_id, kind, value FROM contact_points WHERE kind IN ('email', 'phone') "
    "ORDER BY person_id, position, id"
)
TAGS = "SELECT pt.person_id, t.name FROM person_tags pt JOIN tags t ON t.id = pt.tag_id ORDER BY t.name, t.id"


def people_rows(source: Source) -> list[dict[str, Any]]:
    """Everyone not in the trash, by name: id, name, emails, phones, organisation, role, circle, status, tags."""
    run = rows_of(source)
    contacts: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"email": [], "phone": []})
    for pid, kind, value in run(CONTACTS, {}):
        contacts[pid][kind].append(value)
    tags: dict[int, list[str]] = defaultdict(list)
    for pid, name in run(TAGS, {}):
        tags[pid].append(name)
    out = []
    for pid, name, organisation, role, circle, status in run(PEOPLE, {}):
        points = contacts.get(pid, {"email": [], "phone": []})
        out.append(
            {
                "id": pid,
                "name": name,
                "emails": points["email"],
                "phones": points["phone"],
                "organisation": organisation,
                "role": role,
                "circle": circle,
                "status": str(status),
                "tags": tags.get(pid, []),
            }
        )
    return out
