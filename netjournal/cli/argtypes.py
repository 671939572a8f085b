"""Argument types for the subcommands (kept free of heavy imports: the window's start reads this too)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def shown(text: str) -> str:
    """An argument as it can be printed in a message (bytes that were not UTF-8 shown as \\xNN)."""
    return repr(text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"))


# Argument types. argparse's `int` accepts any Unicode digits ("١٢" is 12) and any size; these accept
# ASCII digits only, within a range, and text that was valid UTF-8 on the command line.
def number(low: int, high: int) -> Callable[[str], int]:
    def convert(text: str) -> int:
        t = text.strip()
        digits = t[1:] if t[:1] in "+-" else t
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 19 or not low <= int(t) <= high:
            raise argparse.ArgumentTypeError(f"{shown(text)} is not a whole number from {low} to {high}")
        return int(t)

    convert.__name__ = "number"
    return convert


MAX_ID = 2**63 - 1  # the largest id SQLite stores


def text(value: str) -> str:
    """Free text (a name, a note, search words): it must have been valid UTF-8 and hold no NUL."""
    if any("\udc80" <= ch <= "\udcff" for ch in value):
        raise argparse.ArgumentTypeError(f"{shown(value)} is not valid UTF-8 text (check the terminal's encoding)")
    if "\x00" in value:
        raise argparse.ArgumentTypeError("the text holds a NUL character")
    return value


def path(value: str) -> Path:
    """A file name: any bytes the system allows (non-UTF-8 names work), but never a NUL or nothing."""
    if "\x00" in value:
        raise argparse.ArgumentTypeError(f"{shown(value)} is not a file name (it holds a NUL character)")
    if not value.strip():
        raise argparse.ArgumentTypeError("the file name is empty")
    return Path(value)


def output(value: str) -> str:
    """Where to write: a file name as for `path`, or - (standard output). Kept as text: core/outputs.py
    tells the standard streams and descriptors (/dev/stdout, /dev/fd/N) by their names."""
    return str(path(value)) if value != "-" else value
