"""Known errors: each carries a message a person can act on. Anything else is a bug."""

from __future__ import annotations

from pathlib import Path


class NetjournalError(Exception):
    """An expected problem with a plain-language message for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseProblem(NetjournalError):
    """The journal database cannot be used as it is. The file is never modified."""

    def __init__(self, message: str, path: Path, latest_backup: Path | None = None) -> None:
        if latest_backup is not None:
            message += f"\nThe latest automatic backup is {latest_backup}."
        super().__init__(message)
        self.path = path
        self.latest_backup = latest_backup


class CorruptDatabaseError(DatabaseProblem):
    pass


class NewerSchemaError(DatabaseProblem):
    pass


class UnreadableDatabaseError(DatabaseProblem):
    pass


class DatabaseBusyError(NetjournalError):
    """Another netjournal process holds the write lock longer than we were willing to wait."""


class NotFoundError(NetjournalError):
    pass


class ValidationError(NetjournalError):
    pass


class ReadOnlyDatabaseError(DatabaseProblem):
    """The journal (or its folder) cannot be written by this user; nothing is changed."""


class DiskFullError(NetjournalError):
    """A write did not fit on the disk; the transaction was rolled back."""


class DataDirError(NetjournalError):
    """The journal's folder cannot be created or used."""
