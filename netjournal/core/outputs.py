"""Every file netjournal writes for the user (exports, prep sheets, chart pictures, backups) goes
through `write_output`, which is the one guard around the journal's own files.

The rules:

- Nothing is ever written onto the journal: its database and side files (-wal, -shm, -journal), the
  backups and logs folders and anything in them, whatever name reaches them (a symlink, a hard link,
  `/dev/fd/N`): files are compared by device and inode, not by name.
- A regular file is written whole or not at all: a temporary file beside it, then a rename. A symlink
  is followed: the file it points to is replaced that way, and the link itself stays a link.
- Anything else (`-` for standard output, `/dev/stdout`, `/dev/fd/N`, a named pipe, a terminal,
  `/dev/null`) is written to as a stream and never replaced or renamed.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from netjournal.core.errors import NetjournalError
from netjournal.core.paths import DataDir
from netjournal.core.text import shown

# Names that mean an already open file descriptor of this process (written to, never reopened).
_FD_NAMES = re.compile(r"^(?:/dev/fd/|/proc/self/fd/)(\d+)$")
_STD_NAMES = {"-": 1, "/dev/stdout": 1, "/dev/stderr": 2}
DB_SIDE_SUFFIXES = ("-wal", "-shm", "-journal", ".restoring")


class OutputProblem(NetjournalError):
    """An output the user chose cannot be written (nothing was written there)."""


@dataclass(frozen=True)
class Output:
    """Where an output goes: `fd` for an open descriptor, else `path` and whether it is a regular file."""

    shown: str
    path: Path | None = None
    fd: int | None = None
    regular: bool = True

    @property
    def is_stdout(self) -> bool:
        return self.fd == 1


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


@dataclass(frozen=True)
class _Journal:
    files: frozenset[tuple[int, int]]
    folders: frozenset[tuple[int, int]]
    root: tuple[int, int] | None
    db_name: str


def _journal(data_dir: DataDir) -> _Journal:
    files: set[tuple[int, int]] = set()
    folders: set[tuple[int, int]] = set()
    db = data_dir.database
    for p in (db, *(db.with_name(db.name + s) for s in DB_SIDE_SUFFIXES)):
        if (ident := _identity(p)) is not None:
            files.add(ident)
    for folder in (data_dir.backups, data_dir.logs):
        if (ident := _identity(folder)) is not None:
            folders.add(ident)
        with contextlib.suppress(OSError):
            for child in folder.iterdir():  # a hard link to a backup or a log elsewhere is still that file
                if (ident := _identity(child)) is not None:
                    files.add(ident)
    return _Journal(frozenset(files), frozenset(folders), _identity(data_dir.root), db.name)


def _refuse(what: str, name: str) -> OutputProblem:
    return OutputProblem(
        f"{shown(name)} is one of the journal's own files (its database, backups or logs), which netjournal "
        f"never saves over. Choose another place for the {what}. Nothing was written."
    )


def named_fd(name: str) -> int | None:
    """The descriptor a name means (`-`, /dev/stdout, /dev/fd/N), or None for a path."""
    fd = _STD_NAMES.get(name)
    if fd is None and (m := _FD_NAMES.match(name)):
        fd = int(m.group(1))
    return fd


def check_output(target: str | os.PathLike[str], data_dir: DataDir | None, *, what: str = "file") -> Output:  # noqa: C901  (one refusal per kind of unsafe target, in the order they are checked)
    """Where `target` leads, or an OutputProblem saying plainly why it cannot be written."""
    name = os.fspath(target)
    if not name:
        raise OutputProblem(f"Give a file name to save the {what} to.")
    journal = _journal(data_dir) if data_dir is not None else None
    fd = named_fd(name)
    if fd is not None:
        try:
            fd_st = os.fstat(fd)
        except OSError as exc:
            raise OutputProblem(f"Cannot write the {what} to {name}: it is not open ({exc.strerror}).") from exc
        if journal is not None and (fd_st.st_dev, fd_st.st_ino) in journal.files:
            raise _refuse(what, name)
        return Output(shown="standard output" if fd == 1 else name, fd=fd, regular=False)

    path = Path(name).expanduser()
    real = path.resolve()  # follows symlinks, so a link to the journal is the journal
    chain = [real, *real.parents]
    if journal is not None:
        if any(_identity(p) in journal.folders for p in chain):
            raise _refuse(what, name)
        if (ident := _identity(real)) is not None and ident in journal.files:
            raise _refuse(what, name)
        # A new file named like the journal's side files would be taken for its write-ahead log.
        if _identity(real.parent) == journal.root and real.name.startswith(journal.db_name):
            raise _refuse(what, name)
    st: os.stat_result | None
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputProblem(f"Cannot write the {what} to {shown(name)}: {exc.strerror or exc}.") from exc
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputProblem(f"{shown(name)} is a folder; give a file name to save the {what} to.")
    if st is not None and not stat.S_ISREG(st.st_mode):
        if not os.access(real, os.W_OK):
            raise OutputProblem(f"Cannot write the {what} to {shown(name)}: you don't have permission to write it.")
        return Output(shown=name, path=real, regular=False)
    parent = real.parent
    if not parent.is_dir():
        raise OutputProblem(f"Cannot save the {what}: the folder {shown(str(path.parent))} does not exist.")
    if sys.platform != "win32" and not os.access(parent, os.W_OK | os.X_OK):
        raise OutputProblem(
            f"Cannot save the {what} in {shown(str(parent))}: you don't have permission to write in that folder."
        )
    if st is not None and not os.access(real, os.W_OK):
        raise OutputProblem(f"Cannot save the {what}: {shown(name)} exists and cannot be overwritten.")
    return Output(shown=str(path if path.is_absolute() else path.absolute()), path=real)


@contextlib.contextmanager
def _stream(out: Output) -> Iterator[BinaryIO]:
    if out.fd is not None:
        if out.fd in (1, 2):
            (sys.stdout if out.fd == 1 else sys.stderr).flush()
        fh = os.fdopen(os.dup(out.fd), "wb")
    else:
        assert out.path is not None
        fh = open(out.path, "wb")  # noqa: SIM115 - a pipe or device: opened for writing, never renamed
    try:
        yield fh
        fh.flush()
    finally:
        with contextlib.suppress(OSError):  # a reader that went away (| head) is not a failure here
            fh.close()


def _replace(out: Output, write: Callable[[BinaryIO], object]) -> None:
    assert out.path is not None
    target = out.path
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        if sys.platform != "win32":
            os.fchmod(fd, 0o600)  # an export holds private notes
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_output(
    target: str | os.PathLike[str] | Output,
    write: Callable[[BinaryIO], object],
    data_dir: DataDir | None,
    *,
    what: str = "file",
) -> Output:
    """Check `target` (see check_output), then write it with `write(binary stream)`."""
    out = target if isinstance(target, Output) else check_output(target, data_dir, what=what)
    try:
        if out.regular:
            _replace(out, write)
        else:
            with _stream(out) as fh:
                write(fh)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputProblem(f"Could not write the {what} to {shown(out.shown)}: {exc.strerror or exc}.") from exc
    return out


def write_text_output(
    target: str | os.PathLike[str] | Output,
    write: Callable[[TextIO], None],
    data_dir: DataDir | None,
    *,
    what: str = "file",
) -> Output:
    """Like write_output, for a writer of UTF-8 text (newlines are written as given)."""

    def binary(fh: BinaryIO) -> None:
        text = io.TextIOWrapper(fh, encoding="utf-8", newline="", write_through=False)
        try:
            write(text)
            text.flush()
        finally:
            text.detach()

    return write_output(target, binary, data_dir, what=what)
