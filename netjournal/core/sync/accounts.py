"""Accounts: `netjournal account add/list/remove`, and where each password is kept.

The password goes to the system keyring when one exists (entry "account:<journal folder>:<name>"),
else into the journal database (`sync_accounts.password`), which is encrypted when the journal is.
It is never written to a file of ours and never logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from netjournal.core import keystore
from netjournal.core.errors import NotFoundError, ValidationError
from netjournal.core.models import SyncAccount, SyncCollection
from netjournal.core.paths import DataDir
from netjournal.core.sync.dav import Connection, Found, check_url

log = logging.getLogger(__name__)


def _keyring_entry(data_dir: DataDir, name: str) -> str:
    return f"account:{data_dir.root}:{name}"


def store_password(data_dir: DataDir, account: SyncAccount, password: str) -> None:
    if keystore.available():
        try:
            import keyring

            keyring.set_password(keystore.SERVICE, _keyring_entry(data_dir, account.name), password)
            account.password, account.in_keyring = None, True
            return
        except Exception as exc:  # a locked keyring: keep it in the journal instead
            log.info("keyring could not store the account password: %s", type(exc).__name__)
    account.password, account.in_keyring = password, False


def password_of(data_dir: DataDir, account: SyncAccount) -> str:
    if not account.in_keyring:
        return account.password or ""
    try:
        import keyring

        value = keyring.get_password(keystore.SERVICE, _keyring_entry(data_dir, account.name))
    except Exception as exc:
        log.info("keyring not readable: %s", type(exc).__name__)
        value = None
    if value is None:
        raise ValidationError(
            f"{account.name}: the password is not in the system keyring any more (is it locked?). Add the account "
            "again with `netjournal account add` to store it."
        )
    return str(value)


def forget_password(data_dir: DataDir, account: SyncAccount) -> None:
    if account.in_keyring:
        try:
            import keyring

            keyring.delete_password(keystore.SERVICE, _keyring_entry(data_dir, account.name))
        except Exception as exc:  # nothing stored, or no keyring
            log.debug("no account password forgotten: %s", type(exc).__name__)


def connect(data_dir: DataDir, account: SyncAccount, *, timeout: int | None = None) -> Connection:
    check_url(account.url, account.allow_http)
    kw = {"timeout": timeout} if timeout else {}
    return Connection(account.name, account.url, account.username, password_of(data_dir, account), **kw)


@dataclass(frozen=True)
class AccountInfo:
    name: str
    url: str
    username: str
    addressbooks: list[tuple[str, bool]]  # (name, chosen)
    calendars: list[tuple[str, bool]]
    last_sync_at: datetime | None
    last_ok_at: datetime | None
    last_problem: str
    password_in: str  # "the system keyring" | "the journal"
    collections: list[tuple[str, str, str, bool]]  # (url, name, kind, chosen)


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 100 or any(ord(ch) < 32 or 0xD800 <= ord(ch) <= 0xDFFF for ch in name):
        raise ValidationError('An account needs a short name on one line (up to 100 characters), like "home".')
    return name


def probe(name: str, url: str, username: str, password: str, allow_http: bool) -> tuple[str, list[Found]]:
    """Connect and discover (the "test connection" of the Settings dialog too): (principal, collections)."""
    url = check_url(url, allow_http)
    with Connection(name, url, username, password) as conn:
        return conn.discover()


def save_account(
    session: Session,
    data_dir: DataDir,
    *,
    name: str,
    url: str,
    username: str,
    password: str,
    allow_http: bool,
    principal: str,
    found: list[Found],
    now: datetime,
    chosen: set[str] | None = None,
    circles: list[int] | None = None,
) -> SyncAccount:
    """Add (or replace, keeping what it knew) an account after a successful probe."""
    name = check_name(name)
    url = check_url(url, allow_http)
    account = session.scalar(select(SyncAccount).where(SyncAccount.name == name))
    if account is None:
        account = SyncAccount(name=name, url=url, username=username, created_at=now, principal_url="", last_problem="")
        session.add(account)
    account.url, account.username, account.allow_http, account.principal_url = url, username, allow_http, principal
    account.circles = circles
    store_password(data_dir, account, password)
    have = {c.url: c for c in account.collections}
    for f in found:
        col = have.get(f.url)
        if col is None:
            col = SyncCollection(kind=f.kind, url=f.url, name=f.name, sync_token="")
            account.collections.append(col)
        col.name = f.name
        col.chosen = chosen is None or f.name in chosen or f.url in chosen
    session.flush()
    return account


def get_account(session: Session, name: str) -> SyncAccount:
    account = session.scalar(select(SyncAccount).where(SyncAccount.name == name))
    if account is None:
        names = ", ".join(session.scalars(select(SyncAccount.name).order_by(SyncAccount.name))) or "none yet"
        raise NotFoundError(f"There is no account named {name!r} (accounts: {names}).")
    return account


def all_accounts(session: Session) -> list[SyncAccount]:
    return list(session.scalars(select(SyncAccount).order_by(SyncAccount.name)))


def has_accounts(session: Session) -> bool:
    return session.scalar(select(SyncAccount.id).limit(1)) is not None


def info(account: SyncAccount) -> AccountInfo:
    return AccountInfo(
        account.name,
        account.url,
        account.username,
        [(c.name, c.chosen) for c in account.collections if c.kind == "addressbook"],
        [(c.name, c.chosen) for c in account.collections if c.kind == "calendar"],
        account.last_sync_at,
        account.last_ok_at,
        account.last_problem,
        "the system keyring" if account.in_keyring else "the journal",
        [(c.url, c.name, c.kind, c.chosen) for c in account.collections],
    )


def remove_account(session: Session, data_dir: DataDir, name: str) -> None:
    """Forget an account and its links; the people it brought stay in the journal."""
    account = get_account(session, name)
    forget_password(data_dir, account)
    session.delete(account)
    session.flush()


def choose(session: Session, name: str, chosen: dict[str, bool]) -> None:
    """Set which collections (by URL) of an account are synced."""
    account = get_account(session, name)
    for col in account.collections:
        if col.url in chosen:
            col.chosen = chosen[col.url]
    session.flush()
