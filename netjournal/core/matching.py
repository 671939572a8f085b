"""Who is who, part 2: the one matching rule that decides whether a contact read from somewhere (a file
today, a sync server next) is someone already in the journal, someone else in the same batch, or a new
person. Importers call `match_cards`; nothing else decides identity.

The rule, in order:

1. **Same UID** (our `uid`, or the `source_uid` another app gave the card): the same person, whatever
   the names say (people get renamed).
2. **Same e-mail or phone, and compatible names** (`identity.names_compatible`: same up to case,
   accents, order and initials, or one side has no name): the same person. A shared identifier with
   names that do not fit (colleagues on one office number, a couple's home phone, a team mailbox) links
   no one; nor does a shared phone between cards whose e-mails or organisations differ (namesakes at
   one office). An e-mail or phone held under more than `SHARED_LINE` different names is a shared
   line: it links no one and is not named as a possible duplicate.
3. **Exactly the same name, and nothing conflicts** (no differing e-mail, phone or organisation on both
   sides): the same person.
4. Otherwise a new person; what it shares with others is reported as "possible duplicate of … (same
   phone)", so the user can merge by hand.

Never merged by the rule: two people already in the journal (the user keeps them apart), and records
whose links would join people that cannot be one (a card that fits two different people is ambiguous:
it becomes a person of its own and is reported as a possible duplicate of both).

The result depends only on the set of records, never on their order: links are found between every
pair first, then groups are settled as a whole (`_settle`), and a group's fields are filled in a fixed
order (`canonical_order`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core.identity import (
    clean_uid,
    loose_name_key,
    name_key,
    name_tokens,
    names_compatible,
    normalize_email,
    normalize_phone,
    phone_identifies,
)
from netjournal.core.journal import PersonData
from netjournal.core.models import ContactPoint, Person

# How a link was found, strongest first (a record's reason is its strongest link).
_STRENGTH = {"same UID": 0, "same e-mail": 1, "same phone": 2, "same name": 3, "similar name": 4}
MAX_POSSIBLE = 3  # possible duplicates named per record
# An e-mail or phone held under more different names than this is a shared line (a switchboard, a
# team mailbox): it tells no one apart, so it links no one and is no hint. It also keeps a file of
# thousands of cards on one address linear, where comparing every pair of names took minutes.
SHARED_LINE = 12


@dataclass(frozen=True)
class Card:
    """What the rule looks at in a person or a record: names, identifiers and organisation."""

    name: str  # "" when the person has no name of their own (only an e-mail or phone shown as one)
    emails: frozenset[str] = frozenset()
    phones: frozenset[str] = frozenset()
    organisation: str = ""
    uids: frozenset[str] = frozenset()

    @classmethod
    def build(
        cls, name: str, emails: Iterable[str], phones: Iterable[str], organisation: str, uids: Iterable[str | None]
    ) -> Card:
        es = frozenset(e for e in (normalize_email(v) for v in emails) if e)
        ps = frozenset(p for p in (normalize_phone(v) for v in phones) if phone_identifies(p))
        own = name.strip()
        # An importer names a card without a name by its e-mail or phone: that is no name.
        if normalize_email(own) in es or (phone_identifies(normalize_phone(own)) and normalize_phone(own) in ps):
            own = ""
        if own and not name_tokens(own):
            own = ""
        us = frozenset(u for u in (clean_uid(v) for v in uids) if u)
        return cls(own, es, ps, name_key(organisation), us)

    @classmethod
    def of(cls, data: PersonData, uid: str | None = None) -> Card:
        return cls.build(
            data.name,
            (v for _, v in data.emails),
            (v for _, v in data.phones),
            data.organisation,
            (uid, data.source_uid),
        )


@dataclass(frozen=True)
class Possible:
    """Someone a new person might be the same as: an existing person or another record's new person."""

    why: str  # "same phone", "same e-mail", "same name", "similar name", "same UID"
    person_id: int | None = None  # an existing person
    record: int | None = None  # or the (representative) record of a new person in this batch


@dataclass
class Decision:
    """Where one record goes."""

    person_id: int | None  # an existing person, or None: a new person
    group: int  # records with the same group (and no person_id) are one new person; its representative
    why: str  # the strongest link that put it there ("" for a record that starts a new person)
    detail: str = ""  # the shared value of that link (an address, a number)
    possible: list[Possible] = field(default_factory=list)


def load_known(session: Session) -> dict[int, Card]:
    """Everyone in the journal (not in the trash) as the rule sees them: three narrow queries."""
    emails: dict[int, list[str]] = defaultdict(list)
    phones: dict[int, list[str]] = defaultdict(list)
    rows = session.execute(
        select(ContactPoint.person_id, ContactPoint.kind, ContactPoint.value)
        .join(Person, Person.id == ContactPoint.person_id)
        .where(Person.deleted_at.is_(None), ContactPoint.kind.in_(("email", "phone")))
    )
    for pid, kind, value in rows:
        (emails if kind == "email" else phones)[pid].append(value)
    out = {}
    for pid, name, org, uid, source_uid in session.execute(
        select(Person.id, Person.name, Person.organisation, Person.uid, Person.source_uid).where(
            Person.deleted_at.is_(None)
        )
    ):
        out[pid] = Card.build(name, emails.get(pid, ()), phones.get(pid, ()), org, (uid, source_uid))
    return out


def canonical_order(datas: Sequence[PersonData]) -> list[int]:
    """Indexes of a group's records in a fixed order (the fullest name first, then by content)."""

    def key(i: int) -> tuple[int, int, str]:
        d = datas[i]
        whole = sum(1 for t in name_tokens(d.name) if len(t) > 1)
        return (-whole, -len(d.name), repr(d))

    return [0] if len(datas) == 1 else sorted(range(len(datas)), key=key)


# ------------------------------------------------------------------------------------------ the rule

Node = tuple[str, int]  # ("p", person id) or ("r", record index)
N = TypeVar("N", bound=Hashable)


def _facts_differ(a: Card, b: Card) -> bool:
    """Both cards have e-mails and share none, or both name an organisation and not the same."""
    return bool(a.emails and b.emails and not a.emails & b.emails) or bool(
        a.organisation and b.organisation and a.organisation != b.organisation
    )


def _conflict(a: _Group, b: _Group) -> bool:
    """Do two groups hold facts that say they are different people?"""
    return any(x and y and not x & y for x, y in ((a.emails, b.emails), (a.phones, b.phones), (a.orgs, b.orgs)))


@dataclass
class _Group:
    nodes: list[Node]
    names: set[str]
    emails: set[str]
    phones: set[str]
    orgs: set[str]
    existing: int

    @classmethod
    def of(cls, nodes: list[Node], cards: dict[Node, Card]) -> _Group:
        g = cls(list(nodes), set(), set(), set(), set(), 0)
        for n in nodes:
            c = cards[n]
            if c.name:
                g.names.add(name_key(c.name))
            g.emails |= c.emails
            g.phones |= c.phones
            if c.organisation:
                g.orgs.add(c.organisation)
            g.existing += n[0] == "p"
        return g

    def has_records(self) -> bool:
        return any(n[0] == "r" for n in self.nodes)


def match_cards(
    known: dict[int, Card], incoming: Sequence[Card], tie_key: Callable[[int], str] | None = None
) -> list[Decision]:
    """Decide, for each incoming card, which existing person or new person it is (see the module doc).

    `tie_key(i)` (a string for card i, e.g. the record's full content) chooses a new person's
    representative among cards the rule sees as equal, so the choice never depends on the order.
    """
    key_of = tie_key if tie_key is not None else (lambda i: "")
    # Cards the rule cannot tell apart are one person: decide once per distinct card (a file with
    # thousands of copies of one card stays linear), then give each record its card's decision.
    uniq: dict[Card, list[int]] = defaultdict(list)
    for i, c in enumerate(incoming):
        uniq[c].append(i)
    firsts = [recs[0] if len(recs) == 1 else min(recs, key=lambda i: (key_of(i), i)) for recs in uniq.values()]
    decided = _match_distinct(known, list(uniq), lambda u: key_of(firsts[u]))
    out: list[Decision] = [decided[0]] * len(incoming) if decided else []
    for u, recs in enumerate(uniq.values()):
        d = decided[u]
        d = Decision(
            d.person_id,
            firsts[d.group] if d.group >= 0 else -1,
            d.why,
            d.detail,
            [Possible(p.why, p.person_id, firsts[p.record] if p.record is not None else None) for p in d.possible],
        )
        for i in recs:
            out[i] = d
    return out


Links = dict[Node, dict[Node, tuple[str, str]]]


def _note(table: Links, a: Node, b: Node, why: str, value: str) -> None:
    """Record a link both ways, keeping the strongest one between a pair."""
    for x, y in ((a, b), (b, a)):
        old = table[x].get(y)
        if old is None or _STRENGTH[why] < _STRENGTH[old[0]]:
            table[x][y] = (why, value)


def _index(cards: dict[Node, Card]) -> dict[str, dict[str, list[Node]]]:
    """Who has each UID, e-mail, phone, name and loose name."""
    by: dict[str, dict[str, list[Node]]] = {k: defaultdict(list) for k in ("uid", "email", "phone", "name", "loose")}
    for node, c in cards.items():
        for u in c.uids:
            by["uid"][u].append(node)
        for e in c.emails:
            by["email"][e].append(node)
        for p in c.phones:
            by["phone"][p].append(node)
        if c.name:
            by["name"][name_key(c.name)].append(node)
            by["loose"][loose_name_key(c.name)].append(node)
    return by


def _identifies(kind: str, a: Card, b: Card) -> bool:
    """Rules 1 and 2: does a shared identifier of this kind make two cards one person?"""
    if kind == "uid":
        return True
    # A phone is shared more often than an address (an office, a home): it links compatible
    # names only when their e-mails and organisations do not differ.
    return names_compatible(a.name, b.name) and not (kind == "phone" and _facts_differ(a, b))


class _Batch:
    """One run of the rule: the cards, who has what, and the links found between them."""

    def __init__(self, known: dict[int, Card], incoming: Sequence[Card], ties: Callable[[int], str]) -> None:
        self.incoming = incoming
        self.ties = ties
        self.cards: dict[Node, Card] = {("p", pid): c for pid, c in known.items()}
        self.cards.update({("r", i): c for i, c in enumerate(incoming)})
        self.by = _index(self.cards)
        self.strong: Links = defaultdict(dict)  # links of rules 1 and 2
        self.shared: Links = defaultdict(dict)  # every shared identifier

    def link_identifiers(self) -> None:
        """Rules 1 and 2: links by UID, and by e-mail or phone between compatible names."""
        checked: dict[tuple[Node, Node, str], bool] = {}
        for kind, why in (("uid", "same UID"), ("email", "same e-mail"), ("phone", "same phone")):
            for value in sorted(self.by[kind]):  # sorted: a pair's detail never depends on hashing
                holders = self.by[kind][value]
                if len(holders) < 2 or (kind != "uid" and self._shared_line(holders)):
                    continue
                for me in holders:
                    if me[0] != "r":
                        continue
                    for other in holders:
                        # Each pair once: a record with a person, or two records in one order.
                        if other == me or (other[0] == "r" and other[1] < me[1]):
                            continue
                        _note(self.shared, me, other, why, value)
                        key = (me, other, kind)
                        ok = checked.get(key)
                        if ok is None:
                            ok = _identifies(kind, self.cards[me], self.cards[other]) or (
                                other[0] == "r" and _identifies(kind, self.cards[other], self.cards[me])
                            )
                            checked[key] = ok
                        if ok:
                            _note(self.strong, me, other, why, value)

    def _shared_line(self, holders: list[Node]) -> bool:
        """Is an e-mail or phone held under more different names than one person goes by?"""
        names: set[str] = set()
        for h in holders:
            name = self.cards[h].name
            if name:
                names.add(name_key(name))
                if len(names) > SHARED_LINE:
                    return True
        return False

    def settle_identified(self) -> tuple[list[list[Node]], set[Node]]:
        """The groups the links of rules 1 and 2 make, and the ambiguous records taken out of them."""
        n = len(self.incoming)
        nodes = [("r", i) for i in range(n)] + sorted(
            {o for i in range(n) for o in self.strong[("r", i)] if o[0] == "p"}
        )
        return _settle(nodes, {x: set(self.strong[x]) for x in nodes}, self._distinct)

    def _distinct(self, a: Node, b: Node) -> bool:
        if a[0] == "p" and b[0] == "p":
            return True
        if self.cards[a].uids & self.cards[b].uids:
            return False  # one card under another name: people get renamed
        return not names_compatible(self.cards[a].name, self.cards[b].name)

    def groups(self, comps: list[list[Node]], ambiguous: set[Node]) -> list[_Group]:
        """The groups as wholes, plus the people in the journal who share a name with one of them."""
        groups = [_Group.of(comp, self.cards) for comp in comps]
        group_of = {n: gi for gi, g in enumerate(groups) for n in g.nodes}
        for n in ambiguous:
            group_of[n] = -1  # settled as a person of its own; takes no further links
        for g in list(groups):
            if not g.has_records():
                continue
            for key in g.names:
                for other in self.by["name"][key]:
                    if other[0] == "p" and other not in group_of:
                        group_of[other] = len(groups)
                        groups.append(_Group.of([other], self.cards))
        return groups

    def name_links(self, r: int) -> dict[Node, tuple[str, str]]:
        """What record r shares with others: identifiers, and (looked up only now) names."""
        me: Node = ("r", r)
        out = dict(self.shared[me])
        c = self.incoming[r]
        if c.name:
            for kind, why, key in (
                ("name", "same name", name_key(c.name)),
                ("loose", "similar name", loose_name_key(c.name)),
            ):
                for other in self.by[kind][key]:
                    if other != me and other not in out:
                        out[other] = (why, "")
        return out

    def decide(self, final: list[list[Node]]) -> list[Decision]:
        """Rule 4 and the report: where each record goes, why, and who it might also be."""
        person_of: dict[Node, int] = {n: k for k, members in enumerate(final) for n in members}
        decisions: list[Decision | None] = [None] * len(self.incoming)
        for k, members in enumerate(final):
            records = sorted(n[1] for n in members if n[0] == "r")
            if not records:
                continue
            existing = next((n[1] for n in members if n[0] == "p"), None)
            head = records[canonical_rank(self.incoming, self.ties, records)] if existing is None else -1
            for r in records:
                around = self.name_links(r)
                why, val = self._reason(r, k, around, person_of)
                possible = self._possible(k, around, final, person_of)
                decisions[r] = Decision(existing, head, why, val, possible)
        return [d for d in decisions if d is not None]

    def _reason(
        self, r: int, k: int, around: dict[Node, tuple[str, str]], person_of: dict[Node, int]
    ) -> tuple[str, str]:
        """The strongest link that put record r into final person k ("" when it starts one)."""
        links = [(why, val) for other, (why, val) in self.strong[("r", r)].items() if person_of.get(other) == k]
        links += [
            (why, val) for other, (why, val) in around.items() if person_of.get(other) == k and why == "same name"
        ]
        return min(links, key=lambda wv: _STRENGTH[wv[0]]) if links else ("", "")

    def _possible(
        self, k: int, around: dict[Node, tuple[str, str]], final: list[list[Node]], person_of: dict[Node, int]
    ) -> list[Possible]:
        """The other people (at most MAX_POSSIBLE, strongest first) a record of person k shares something with."""
        possible: dict[int, Possible] = {}
        for other, (why, _) in sorted(around.items(), key=lambda kv: (_STRENGTH[kv[1][0]], kv[0])):
            ok = person_of.get(other)
            if len(possible) >= MAX_POSSIBLE:
                break
            if ok == k:
                continue
            if ok is None:  # someone in the journal the batch does not touch otherwise
                possible.setdefault(-other[1] - 1, Possible(why, person_id=other[1]))
                continue
            target = next((n[1] for n in final[ok] if n[0] == "p"), None)
            if target is not None:
                possible.setdefault(-target - 1, Possible(why, person_id=target))
            else:
                recs = sorted(n[1] for n in final[ok] if n[0] == "r")
                possible.setdefault(ok, Possible(why, record=recs[canonical_rank(self.incoming, self.ties, recs)]))
        return list(possible.values())


def _settle_names(groups: list[_Group]) -> list[list[int]]:
    """Rule 3: groups with the same name and nothing that conflicts are one person (never two existing)."""
    by_group_name: dict[str, list[int]] = defaultdict(list)
    for gi, g in enumerate(groups):
        for key in g.names:
            by_group_name[key].append(gi)
    links: dict[int, set[int]] = defaultdict(set)
    for gi, g in enumerate(groups):
        if not g.has_records():
            continue
        for key in g.names:
            for gj in by_group_name[key]:
                if gj != gi and not _distinct_groups(g, groups[gj]):
                    links[gi].add(gj)
                    links[gj].add(gi)

    def distinct(a: int, b: int) -> bool:
        return _distinct_groups(groups[a], groups[b])

    gnodes = list(range(len(groups)))
    comps, ambiguous = _settle(gnodes, {gi: links[gi] for gi in gnodes}, distinct)
    return comps + [[gi] for gi in sorted(ambiguous)]


def _distinct_groups(a: _Group, b: _Group) -> bool:
    return bool(a.existing and b.existing) or _conflict(a, b)


def _match_distinct(known: dict[int, Card], incoming: Sequence[Card], ties: Callable[[int], str]) -> list[Decision]:
    batch = _Batch(known, incoming, ties)
    batch.link_identifiers()
    comps, ambiguous = batch.settle_identified()
    groups = batch.groups(comps, ambiguous)
    # Final people: each is a set of nodes; at most one of them is someone in the journal.
    final = [[n for gi in comp for n in groups[gi].nodes] for comp in _settle_names(groups)]
    final += [[n] for n in sorted(ambiguous)]
    return batch.decide(final)


def canonical_rank(incoming: Sequence[Card], ties: Callable[[int], str], records: list[int]) -> int:
    """The position in `records` of the group's representative (the fullest name, then by content)."""

    def key(j: int) -> tuple[int, int, str, str]:
        c = incoming[records[j]]
        whole = sum(1 for t in name_tokens(c.name) if len(t) > 1)
        content = repr((c.name, sorted(c.emails), sorted(c.phones), c.organisation, sorted(c.uids)))
        return (-whole, -len(c.name), content, ties(records[j]))

    return 0 if len(records) == 1 else min(range(len(records)), key=key)


def _settle(nodes: list[N], links: dict[N, set[N]], distinct: Callable[[N, N], bool]) -> tuple[list[list[N]], set[N]]:
    """Groups of linked nodes in which no two are `distinct` (order-independent).

    While a group would hold two nodes that cannot be one person, the nodes whose own links reach
    such a pair (the ambiguous ones) are taken out as groups of their own and the rest regrouped.
    Returns (groups, the nodes taken out).
    """
    removed: set[N] = set()
    while True:
        alive = [n for n in nodes if n not in removed]
        comps = _components(alive, links, removed)
        out: set[N] = set()
        for comp in comps:
            if len(comp) < 2 or not _has_distinct(comp, distinct):
                continue
            members: set[N] = set(comp)
            found: set[N] = set()
            for n in comp:
                if _has_distinct([n, *(links[n] & members)], distinct):
                    found.add(n)
            # No single node is to blame (a long chain): keep only what is certain, apart.
            out |= found or {n for n in comp if not (isinstance(n, tuple) and n[0] == "p")} or set(comp)
        if not out:
            return comps, removed
        removed |= out


def _components(alive: list[N], links: dict[N, set[N]], removed: set[N]) -> list[list[N]]:
    seen: set[N] = set()
    comps = []
    for start in alive:
        if start in seen:
            continue
        seen.add(start)
        stack, comp = [start], []
        while stack:
            n = stack.pop()
            comp.append(n)
            for m in links.get(n, ()):
                if m not in seen and m not in removed:
                    seen.add(m)
                    stack.append(m)
        comps.append(sorted(comp, key=repr))
    return comps


def _has_distinct(nodes: Sequence[N], distinct: Callable[[N, N], bool]) -> bool:
    return any(distinct(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1 :])
