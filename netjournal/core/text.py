"""Showing user text (names, notes, file names) where it must not act: terminals, spreadsheets, Markdown.

- `shown` escapes control characters for a terminal: an ESC in a name prints as the four characters
  `\\x1b`, never as the start of an escape sequence that recolours, retitles or clears the terminal.
- `csv_cell` / `csv_uncell` neutralise spreadsheet formulas (OWASP "CSV injection") and undo that on
  re-import of our own export.
- `md_text` escapes Markdown and HTML markup so a name stays text in a heading or a list.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import TextIO

# Unicode's directional overrides and isolates reorder what a terminal shows ("Trojan Source").
_BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    # C0 as \x1b; DEL, C1 and bidi controls as \u009b: the same spelling JSON uses, so JSON printed
    # through TerminalText stays valid JSON that decodes to the original text.
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


def _needs_escape(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" or ch in _BIDI


def shown(text: object, *, keep: str = "") -> str:
    """`text` safe to print on a terminal: control characters (except those in `keep`) escaped."""
    s = str(text)
    if not any(_needs_escape(ch) for ch in s):
        return s
    return "".join(_escape(ch) if _needs_escape(ch) and ch not in keep else ch for ch in s)


class TerminalText(io.TextIOBase):
    """A text stream that passes everything through `shown` (keeping newlines and tabs): the command
    line prints every message, name and file name through it."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(shown(text, keep="\n\t"))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def fileno(self) -> int:
        return self.stream.fileno()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.stream.encoding


# ------------------------------------------------------------------------------------------------ CSV

# A cell starting with one of these is run as a formula by Excel, LibreOffice or Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_GUARD = "'"


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading formula character gets a `'` before it."""
    s = "" if value is None else str(value)
    return CSV_GUARD + s if s.startswith(_FORMULA_START) else s


def csv_uncell(value: str) -> str:
    """Undo `csv_cell` (for reading back a file netjournal exported)."""
    if value.startswith(CSV_GUARD) and value[1:2] and value[1:].startswith(_FORMULA_START):
        return value[1:]
    return value


# ------------------------------------------------------------------------------------------- Markdown

# Any ASCII punctuation may be backslash-escaped in CommonMark. These start or end inline markup
# (emphasis, code, links and images, raw HTML and entities, tables, strikethrough, closing #s of a
# heading) anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>!|~&#])")
# Readers with autolinks (GitHub's, Qt's) turn a bare address into a link: "http\://", "www\." and
# "a\@b" stay text.
_MD_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<![\w.])(www)(\.)|(?<=\w)(@)(?=\w)")
# These only mean something at the start of a line (headings, lists, quotes, rules, setext underlines).
_MD_LINE_START = re.compile(r"^(\s*\d*)([>+=.)-])")


def _unlink(m: re.Match[str]) -> str:
    if m.group(1):
        return "\\:"
    if m.group(2):
        return m.group(2) + "\\."
    return "\\@"


def md_text(text: str, *, one_line: bool = True) -> str:
    """User text for a Markdown file: markup escaped; with `one_line`, line breaks become spaces."""
    lines = [" ".join(str(text).split())] if one_line else str(text).splitlines()
    out = []
    for line in lines:
        line = _MD_INLINE.sub(r"\\\1", shown(line, keep="\t"))
        line = _MD_AUTOLINK.sub(_unlink, line)
        out.append(_MD_LINE_START.sub(r"\1\\\2", line))
    return "\n".join(out)
