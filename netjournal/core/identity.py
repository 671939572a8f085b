"""Who is who, part 1: the one place that turns names, e-mail addresses, phone numbers and UIDs into
comparable values. Everything that stores, matches or looks up a person goes through these.

- Text is stored in Unicode NFC: "José" typed on a Mac (decomposed, NFD) and "José" from a Windows CSV
  (composed) are the same name and the same search.
- `name_key`: a name for exact comparison and sorting (NFC, case-folded, spaces collapsed).
- `loose_name_key`: a name without accents, case, punctuation or word order ("García, José" equals
  "jose garcia"); used to say "maybe the same person", never to merge on its own.
- `names_compatible`: the names two records give could be one person's (same up to case, accents,
  order and initials, or one side has no name). A shared e-mail or phone only links compatible names.
- `normalize_email`: NFC, trimmed, without "mailto:", case-folded (in practice no provider treats the
  local part case-sensitively).
- `normalize_phone`: a comparable digits form: any script's digits as ASCII, the extension dropped, and
  the last 9 digits kept so "+44 7700 900123" and "07700 900123" compare equal.
- UIDs: every person has our own `uid` (`new_uid`). UIDs from other apps are kept as they are, except
  the row-number UIDs older netjournal exports wrote (`netjournal-person-12`), which identify no one.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import uuid

# Digits in a phone number compared; enough to tell numbers apart, few enough to ignore a country or
# trunk prefix ("+44 7700 900123" == "07700 900123").
PHONE_DIGITS = 9
# A phone number shorter than this (an extension, a short code) identifies no one.
MIN_PHONE_DIGITS = 6

_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(r"(?i)(;ext=|\bext\.?|\bx\b|x(?=\s*\d+\s*$)|#|,|;).*$")
_NOT_ASCII_DIGIT = re.compile(r"[^0-9]+")
_LEGACY_UID = re.compile(r"netjournal-person-[0-9]+", re.ASCII)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_text(text: str) -> str:
    """User text as stored: NFC and trimmed."""
    return nfc(text).strip()


@functools.lru_cache(maxsize=65536)  # an import asks for each incoming name's key several times
def name_key(name: str) -> str:
    """A name for exact (case-insensitive) comparison and sorting."""
    return _SPACES.sub(" ", nfc(name).casefold()).strip()


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=65536)  # imports compare the same names many times
def name_tokens(name: str) -> tuple[str, ...]:
    """The words of a name, without accents, case or punctuation ("Lee, Sam J." -> lee, sam, j)."""
    plain = _strip_accents(nfc(name)).casefold()
    return tuple(t for t in re.split(r"[^\w]+|_", plain) if t)


def loose_name_key(name: str) -> str:
    """A name without accents, case, punctuation or word order."""
    return " ".join(sorted(name_tokens(name)))


def names_compatible(a: str, b: str) -> bool:
    """Could these two names be one person's? Empty names are compatible with anything.

    Same up to case, accents and order, and initials: "S. Lee" fits "Sam Lee", "Sam J Lee" fits
    "Lee, Sam"; "Sam Lee" does not fit "Sue Lee" or "Sam Leeds". At least one whole word must agree,
    so "S L" does not fit everyone with those initials.
    """
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return True
    if sorted(ta) == sorted(tb) or "".join(ta) == "".join(tb):  # also "山田太郎" / "山田 太郎"
        return True
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    rest = list(long_)
    whole = 0
    # Whole words first, so an initial cannot take the word a whole word needed.
    pending = []
    for t in short:
        if t in rest:
            rest.remove(t)
            whole += int(len(t) > 1)
        else:
            pending.append(t)
    for t in pending:
        fit = next((r for r in rest if (len(t) == 1 and r.startswith(t)) or (len(r) == 1 and t.startswith(r))), None)
        if fit is None:
            return False
        rest.remove(fit)
    # What the longer name has beyond the shorter may only be initials (a middle initial).
    return whole > 0 and all(len(r) == 1 for r in rest)


def normalize_email(value: str) -> str:
    text = nfc(value).strip()
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text.strip().casefold()


def phone_digits(value: str) -> str:
    """All digits of a phone number (any script's digits as ASCII), without its extension."""
    text = _EXTENSION.sub("", nfc(value).strip().removeprefix("tel:"))
    if text.isascii():  # nearly every number: no other script's digits to look up one by one
        return _NOT_ASCII_DIGIT.sub("", text)
    out = []
    for ch in text:
        if ch.isdigit():
            d = unicodedata.digit(ch, None)
            if d is not None:
                out.append(str(d))
    return "".join(out)


def normalize_phone(value: str) -> str:
    digits = phone_digits(value)
    return digits[-PHONE_DIGITS:] if len(digits) >= PHONE_DIGITS else digits


def phone_identifies(normalized: str) -> bool:
    return len(normalized) >= MIN_PHONE_DIGITS


def normalize_point(kind: str, value: str) -> str:
    if kind == "email":
        return normalize_email(value)
    if kind == "phone":
        return normalize_phone(value)
    return nfc(value).strip().casefold()


def new_uid() -> str:
    """A new person's UID: globally unique, never reused, never changed."""
    return f"urn:uuid:{uuid.uuid4()}"


def clean_uid(value: str | None) -> str | None:
    """A UID read from a file, or None when it identifies no one (empty, or an old row-number UID)."""
    if value is None:
        return None
    text = nfc(value).strip()[:500]
    if not text or _LEGACY_UID.fullmatch(text):
        return None
    if text[:9].lower() == "urn:uuid:":
        text = "urn:uuid:" + text[9:].lower()  # UUIDs compare case-insensitively (RFC 9562)
    return text
