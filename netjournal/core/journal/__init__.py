"""People, interactions, promises and the trash: the journal's everyday operations.

Every function takes the session it works in (the caller owns the transaction, see `Journal.session`)
and, where time matters, `now`: core code never reads the clock itself.

The rooms: `people` (a person's data, creating, updating, finding), `lookup` (who a typed reference
means), `interactions` (what happened, timelines, last contacts), `promises` and `trashing` (the trash
and its undo). Callers use this package's names.
"""

from __future__ import annotations

from netjournal.core.journal.interactions import (
    InteractionData,
    MeetingRow,
    get_interaction,
    last_contacts,
    log_interaction,
    meeting_fields,
    timeline,
    timeline_count,
    update_interaction,
)
from netjournal.core.journal.lookup import (
    RESOLVE_LIMIT,
    AmbiguousPerson,
    Candidate,
    Resolution,
    resolve,
    resolve_person,
)
from netjournal.core.journal.people import (
    ADDRESS_KEYS,
    CIRCLE_LABELS,
    FILLABLE,
    STATUS_LABELS,
    PersonData,
    create_person,
    fill_empty,
    find_people,
    get_person,
    live_people,
    people_names,
    sort_key,
    update_person,
)
from netjournal.core.journal.promises import (
    add_commitment,
    open_commitments,
    set_commitment_status,
)
from netjournal.core.journal.trashing import (
    TRASHABLE,
    TrashItem,
    live,
    restore,
    trash,
    trash_items,
)
from netjournal.core.kinds import CHANNEL_LABELS

__all__ = [
    "ADDRESS_KEYS",
    "CHANNEL_LABELS",
    "CIRCLE_LABELS",
    "FILLABLE",
    "RESOLVE_LIMIT",
    "STATUS_LABELS",
    "TRASHABLE",
    "AmbiguousPerson",
    "Candidate",
    "InteractionData",
    "MeetingRow",
    "PersonData",
    "Resolution",
    "TrashItem",
    "add_commitment",
    "create_person",
    "fill_empty",
    "find_people",
    "get_interaction",
    "get_person",
    "last_contacts",
    "live",
    "live_people",
    "log_interaction",
    "meeting_fields",
    "open_commitments",
    "people_names",
    "resolve",
    "resolve_person",
    "restore",
    "set_commitment_status",
    "sort_key",
    "timeline",
    "timeline_count",
    "trash",
    "trash_items",
    "update_interaction",
    "update_person",
]
