"""Full-text search over the whole journal: people, interactions, promises, reflections and plans.

On SQLite the `search_index` FTS5 table (created by migration journal_core_1, kept in sync by
triggers, see `search_sql.py`) answers queries ranked by bm25, names weighing more than notes.
Any text a person types is turned into a safe query: words are quoted, operators lose their
meaning, and the last word matches as a prefix so results appear while typing. Other databases get
a simple LIKE search over names and notes.

Snippets come back as plain text plus the character ranges of the matching words, so a view can
highlight them without ever treating the user's text as markup. `SearchHit.marked` gives the
snippet with «» around the matches, for terminals and JSON.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from netjournal.core.reader import Rows, Source, id_list, is_dbapi, rows_of
from netjournal.core.search_sql import CODE_KIND, CONFIGURE_RANK, CREATE_TABLE, REBUILD, TRIGGERS

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

KINDS = ("person", "interaction", "commitment", "reflection", "plan")
KIND_LABELS = {
    "person": "Person",
    "interaction": "Meeting",
    "commitment": "Promise",
    "reflection": "Reflection",
    "plan": "Plan",
}

# Private-use characters mark the matches inside FTS5 snippets; they never survive into a SearchHit.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MAX_WORDS = 12
_MAX_WORD_LEN = 64
_SNIPPET_TOKENS = 14
# Above this many matches, results are not ranked by bm25 (too slow for very common words).
RANK_CAP = 3000


@dataclass(frozen=True)
class SearchHit:
    kind: str  # person | interaction | commitment | reflection | plan
    id: int
    person_id: int | None
    name: str  # the person's name (or names), else the item's title
    snippet: str  # plain text
    highlights: tuple[tuple[int, int], ...] = field(default=())  # (start, end) offsets into snippet
    rank: float = 0.0  # lower is better (bm25)
    title: str = ""
    at: datetime | None = None  # when it happened (a meeting, a reflection, a plan) or was promised

    @property
    def marked(self) -> str:
        """The snippet with «» around each matching word (plain text, safe anywhere)."""
        out, pos = [], 0
        for start, end in self.highlights:
            out.append(self.snippet[pos:start])
            out.append("«" + self.snippet[start:end] + "»")
            pos = end
        out.append(self.snippet[pos:])
        return "".join(out)

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "person_id": self.person_id,
            "name": self.name,
            "title": self.title,
            "snippet": self.marked,
            "rank": self.rank,
        }


def query_words(query: str) -> list[str]:
    """The words of a typed query (letters and digits only, at most a dozen)."""
    norm = unicodedata.normalize("NFKC", query)
    words = [w for w in re.findall(r"\w+", norm) if w.strip("_")]
    return [w[:_MAX_WORD_LEN] for w in words[:_MAX_WORDS]]


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression for any typed text: each word quoted, the last one a prefix.

    Returns "" when there is nothing to search for.
    """
    words = query_words(query)
    if not words:
        return ""
    parts = [f'"{w}"' for w in words]
    if query == query.rstrip():
        parts[-1] += "*"  # still typing the last word
    return " ".join(parts)


def split_marks(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Turn a snippet with private-use markers into plain text plus highlight ranges."""
    out: list[str] = []
    ranges: list[tuple[int, int]] = []
    length = 0
    start: int | None = None
    for piece in re.split(f"([{_OPEN}{_CLOSE}])", marked):
        if piece == _OPEN:
            start = length
        elif piece == _CLOSE:
            if start is not None and length > start:
                ranges.append((start, length))
            start = None
        elif piece:
            piece = re.sub(r"\s+", " ", piece)
            out.append(piece)
            length += len(piece)
    plain = "".join(out)
    lead = len(plain) - len(plain.lstrip())
    plain = plain.strip()
    return plain, tuple((max(0, a - lead), min(len(plain), b - lead)) for a, b in ranges if b - lead > 0)


def _on_sqlite(source: Source) -> bool:
    return is_dbapi(source) or source.get_bind().dialect.name == "sqlite"


def has_index(source: Source) -> bool:
    if not _on_sqlite(source):
        return False
    found = rows_of(source)("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_index'", {})
    return bool(found)


def count_matches(source: Source, query: str, *, cap: int = 1_000_000) -> int:
    """How many live items match `query` (at most `cap`): for "first 100 of N"."""
    if not has_index(source):
        return len(_like_search(source, query, limit=cap))
    match = fts_query(query)
    if not match:
        return 0
    sql = "SELECT count(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH :q LIMIT :cap)"
    return int(rows_of(source)(sql, {"q": match, "cap": cap})[0][0])


def search(source: Source, query: str, *, limit: int = 50) -> list[SearchHit]:
    """The best matches for `query`, best first. Never raises for odd input; gives [] instead.

    `source` is an ORM session or a sqlite3 connection (the thin read path): the same SQL runs on both.
    """
    if limit <= 0:
        return []
    if not has_index(source):
        return _like_search(source, query, limit=limit)
    match = fts_query(query)
    if not match:
        return []
    run = rows_of(source)
    params = {"q": match, "o": _OPEN, "c": _CLOSE, "n": _SNIPPET_TOKENS, "limit": limit}
    columns = "SELECT rowid, rank, snippet(search_index, -1, :o, :c, '…', :n) FROM search_index"
    many = run(
        "SELECT count(*) FROM (SELECT 1 FROM search_index WHERE search_index MATCH :q LIMIT :cap)",
        {"q": match, "cap": RANK_CAP + 1},
    )[0][0]
    if many <= RANK_CAP:
        rows = run(f"{columns} WHERE search_index MATCH :q ORDER BY rank LIMIT :limit", params)
    else:
        # Very common words: ranking every match would take hundreds of milliseconds. Names that match
        # come first (ranked; there are few), then the newest entries (rowid order needs no ranking).
        by_name = run(
            f"{columns} WHERE search_index MATCH :nq ORDER BY rank LIMIT :limit", {**params, "nq": f"name : ({match})"}
        )
        newest = run(f"{columns} WHERE search_index MATCH :q ORDER BY rowid DESC LIMIT :limit", params)
        seen = {r[0] for r in by_name}
        rows = [*by_name, *(r for r in newest if r[0] not in seen)][:limit]
    found = [(CODE_KIND.get(rowid & 7), rowid >> 3, float(rank), snip) for rowid, rank, snip in rows]
    by_kind: dict[str, list[int]] = defaultdict(list)
    for kind, item_id, _rank, _snip in found:
        if kind is not None:
            by_kind[kind].append(item_id)
    details = _details(run, by_kind)
    hits: list[SearchHit] = []
    for kind, item_id, rank, snip in found:
        if kind is None or (kind, item_id) not in details:
            continue
        person_id, name, title, at = details[(kind, item_id)]
        plain, ranges = split_marks(snip or "")
        hits.append(SearchHit(kind, item_id, person_id, name, plain, ranges, rank, title, at))
    return hits


def _people_names(run: Rows, interaction_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not interaction_ids:
        return out
    links = run(
        "SELECT interaction_id, person_id FROM interaction_people "
        "WHERE interaction_id IN (SELECT value FROM json_each(:ids))",
        {"ids": id_list(interaction_ids)},
    )
    names = _person_names(run, {pid for _, pid in links})
    for iid, pid in links:
        if pid in names:
            out[iid].append((pid, names[pid]))
    for people in out.values():
        people.sort(key=lambda p: p[1].casefold())
    return out


def _person_names(run: Rows, ids: set[int]) -> dict[int, str]:
    # Filter the trash in Python: on "deleted_at IS NULL" SQLite would pick that index and scan.
    if not ids:
        return {}
    rows = run(
        "SELECT id, name, deleted_at FROM people WHERE id IN (SELECT value FROM json_each(:ids))", {"ids": id_list(ids)}
    )
    return {pid: name for pid, name, deleted in rows if deleted is None}


# kind -> (table, the column shown as its title); each has id, person_id and deleted_at.
_LINKED = {
    "commitment": ("commitments", "text", "created_at"),
    "reflection": ("reflections", "title", "occurred_at"),
    "plan": ("plans", "title", "at"),
}
Details = tuple[int | None, str, str, datetime | None]


def _when(value: object) -> datetime | None:
    """A stored timestamp as an aware UTC datetime (raw SQL gives the text SQLite keeps)."""
    if value is None:
        return None
    try:
        at = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _details(run: Rows, by_kind: dict[str, list[int]]) -> dict[tuple[str, int], Details]:
    """(person_id, display name, title, when) for each hit that is still live."""
    out: dict[tuple[str, int], Details] = {}
    if by_kind.get("person"):
        for pid, name in _person_names(run, set(by_kind["person"])).items():
            out[("person", pid)] = (pid, name, "", None)
    if by_kind.get("interaction"):
        iids = by_kind["interaction"]
        participants = _people_names(run, iids)
        for iid, title, deleted, at in run(
            "SELECT id, title, deleted_at, at FROM interactions WHERE id IN (SELECT value FROM json_each(:ids))",
            {"ids": id_list(iids)},
        ):
            if deleted is not None:
                continue
            people = participants.get(iid, [])
            label = ", ".join(n for _, n in people[:3]) + (" and others" if len(people) > 3 else "")
            first: int | None = people[0][0] if people else None
            out[("interaction", iid)] = (first, label or title or "Meeting", title, _when(at))
    for kind, (table, title_col, at_col) in _LINKED.items():
        ids = by_kind.get(kind)
        if not ids:
            continue
        rows = [
            (item_id, pid, title, _when(at))
            for item_id, pid, title, deleted, at in run(
                f"SELECT id, person_id, {title_col}, deleted_at, {at_col} FROM {table} "
                "WHERE id IN (SELECT value FROM json_each(:ids))",
                {"ids": id_list(ids)},
            )
            if deleted is None
        ]
        names = _person_names(run, {pid for _, pid, _, _ in rows if pid is not None})
        for item_id, pid, title, at in rows:
            pname = names.get(pid) if pid is not None else None
            title = "" if kind == "commitment" else title
            out[(kind, item_id)] = (pid if pname else None, pname or title or KIND_LABELS[kind], title, at)
    return out


def _like_search(source: Source, query: str, *, limit: int) -> list[SearchHit]:
    """A plain fallback for databases without FTS5: every word must appear in the name or notes."""
    words = query_words(query)
    if not words or is_dbapi(source):
        return []  # the thin read path only opens SQLite journals, which have the index
    from sqlalchemy import or_, select

    from netjournal.core.models import Person

    session = source

    def esc(w: str) -> str:
        return "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"

    hits: list[SearchHit] = []
    people = session.scalars(
        select(Person)
        .where(
            Person.deleted_at.is_(None),
            *[or_(Person.name.ilike(esc(w), escape="\\"), Person.notes.ilike(esc(w), escape="\\")) for w in words],
        )
        .order_by(Person.sort_name)
        .limit(limit)
    )
    for p in people:
        hits.append(SearchHit("person", p.id, p.id, p.name, p.organisation or p.notes[:120]))
    return hits


def rebuild_index(session: Session) -> None:
    """Recreate the search index from the tables (after a bulk import or a restore)."""
    if session.get_bind().dialect.name != "sqlite":
        return
    from sqlalchemy import text

    session.flush()
    if not has_index(session):
        session.execute(text(CREATE_TABLE))
        session.execute(text(CONFIGURE_RANK))
        for stmt in TRIGGERS:
            session.execute(text(stmt))
    for stmt in REBUILD:
        session.execute(text(stmt))
