"""The SQL behind full-text search (SQLite FTS5): the index table, its triggers and a full rebuild.

Kept apart from `search.py` so the migration that creates the index and `rebuild_index` share one
definition. Every searchable row of the journal has one row in `search_index`, whose rowid encodes
both the kind and the id: ``rowid = id * 8 + KIND_CODE[kind]``. Rows in the trash have no index row.
"""

from __future__ import annotations

KIND_CODE: dict[str, int] = {"person": 1, "interaction": 2, "commitment": 3, "reflection": 4, "plan": 5}
CODE_KIND: dict[int, str] = {v: k for k, v in KIND_CODE.items()}

CREATE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
    "name, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)


def _person_select(id_expr: str) -> str:
    """A SELECT giving (rowid, name, body) for the live person whose id is `id_expr`."""
    return f"""
        SELECT p.id * 8 + 1, p.name,
               p.nickname || ' ' || p.organisation || ' ' || p.role || ' ' || p.how_met || ' ' ||
               p.ford_family || ' ' || p.ford_occupation || ' ' || p.ford_recreation || ' ' ||
               p.ford_dreams || ' ' || p.notes || ' ' ||
               coalesce((SELECT group_concat(cp.value, ' ') FROM contact_points cp
                         WHERE cp.person_id = p.id AND cp.kind IN ('email', 'url')), '') || ' ' ||
               coalesce((SELECT group_concat(t.name, ' ') FROM person_tags pt JOIN tags t ON t.id = pt.tag_id
                         WHERE pt.person_id = p.id), '')
        FROM people p WHERE p.id = {id_expr} AND p.deleted_at IS NULL"""


def _interaction_select(where: str) -> str:
    return f"""
        SELECT i.id * 8 + 2, i.title,
               i.location || ' ' || i.notes || ' ' || i.topics || ' ' || i.i_gave || ' ' || i.they_gave
        FROM interactions i WHERE {where} AND i.deleted_at IS NULL"""


def _commitment_select(where: str) -> str:
    return f"SELECT c.id * 8 + 3, '', c.text FROM commitments c WHERE {where} AND c.deleted_at IS NULL"


def _reflection_select(where: str) -> str:
    return f"""
        SELECT r.id * 8 + 4, r.title,
               r.situation || ' ' ||
               coalesce((SELECT group_concat(j.value, ' ') FROM json_tree(
                   CASE WHEN json_valid(r.data) THEN r.data ELSE '{{}}' END) j WHERE j.type = 'text'), '')
        FROM reflections r WHERE {where} AND r.deleted_at IS NULL"""


def _plan_select(where: str) -> str:
    return f"""
        SELECT pl.id * 8 + 5, pl.title,
               pl.purpose || ' ' || pl.research_notes || ' ' || pl.intro_script || ' ' || pl.ask || ' ' ||
               pl.exit_line || ' ' || pl.if_then_goal
        FROM plans pl WHERE {where} AND pl.deleted_at IS NULL"""


def _reindex_person(id_expr: str) -> str:
    return (
        f"DELETE FROM search_index WHERE rowid = ({id_expr}) * 8 + 1; "
        f"INSERT INTO search_index(rowid, name, body) {_person_select(id_expr)};"
    )


def _simple_triggers(table: str, code: int, select_fn: object, alias: str) -> list[str]:
    assert callable(select_fn)
    ins = select_fn(f"{alias}.id = new.id")
    return [
        f"CREATE TRIGGER IF NOT EXISTS search_{table}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO search_index(rowid, name, body) {ins}; END",
        f"CREATE TRIGGER IF NOT EXISTS search_{table}_au AFTER UPDATE ON {table} BEGIN "
        f"DELETE FROM search_index WHERE rowid = old.id * 8 + {code}; "
        f"INSERT INTO search_index(rowid, name, body) {ins}; END",
        f"CREATE TRIGGER IF NOT EXISTS search_{table}_ad AFTER DELETE ON {table} BEGIN "
        f"DELETE FROM search_index WHERE rowid = old.id * 8 + {code}; END",
    ]


TRIGGERS: list[str] = [
    f"CREATE TRIGGER IF NOT EXISTS search_people_ai AFTER INSERT ON people BEGIN {_reindex_person('new.id')} END",
    f"CREATE TRIGGER IF NOT EXISTS search_people_au AFTER UPDATE ON people BEGIN "
    f"DELETE FROM search_index WHERE rowid = old.id * 8 + 1; {_reindex_person('new.id')} END",
    "CREATE TRIGGER IF NOT EXISTS search_people_ad AFTER DELETE ON people BEGIN "
    "DELETE FROM search_index WHERE rowid = old.id * 8 + 1; END",
    # Emails, links and tags are part of a person's entry.
    f"CREATE TRIGGER IF NOT EXISTS search_cp_ai AFTER INSERT ON contact_points "
    f"WHEN new.kind IN ('email', 'url') BEGIN {_reindex_person('new.person_id')} END",
    f"CREATE TRIGGER IF NOT EXISTS search_cp_au AFTER UPDATE ON contact_points BEGIN "
    f"{_reindex_person('old.person_id')} {_reindex_person('new.person_id')} END",
    f"CREATE TRIGGER IF NOT EXISTS search_cp_ad AFTER DELETE ON contact_points "
    f"WHEN old.kind IN ('email', 'url') BEGIN {_reindex_person('old.person_id')} END",
    f"CREATE TRIGGER IF NOT EXISTS search_pt_ai AFTER INSERT ON person_tags BEGIN "
    f"{_reindex_person('new.person_id')} END",
    f"CREATE TRIGGER IF NOT EXISTS search_pt_ad AFTER DELETE ON person_tags BEGIN "
    f"{_reindex_person('old.person_id')} END",
    *_simple_triggers("interactions", 2, _interaction_select, "i"),
    *_simple_triggers("commitments", 3, _commitment_select, "c"),
    *_simple_triggers("reflections", 4, _reflection_select, "r"),
    *_simple_triggers("plans", 5, _plan_select, "pl"),
]

TRIGGER_NAMES: list[str] = [t.split("EXISTS ", 1)[1].split(" ", 1)[0] for t in TRIGGERS]

# Names weigh more than notes when ranking (bm25 column weights: name, body).
CONFIGURE_RANK = "INSERT INTO search_index(search_index, rank) VALUES ('rank', 'bm25(8.0, 1.0)')"

REBUILD: list[str] = [
    "DELETE FROM search_index",
    f"INSERT INTO search_index(rowid, name, body) {_person_select('p.id')}".replace("WHERE p.id = p.id AND", "WHERE"),
    f"INSERT INTO search_index(rowid, name, body) {_interaction_select('1 = 1')}",
    f"INSERT INTO search_index(rowid, name, body) {_commitment_select('1 = 1')}",
    f"INSERT INTO search_index(rowid, name, body) {_reflection_select('1 = 1')}",
    f"INSERT INTO search_index(rowid, name, body) {_plan_select('1 = 1')}",
    "INSERT INTO search_index(search_index) VALUES ('optimize')",
]

DROP: list[str] = [*(f"DROP TRIGGER IF EXISTS {n}" for n in TRIGGER_NAMES), "DROP TABLE IF EXISTS search_index"]
