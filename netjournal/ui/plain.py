"""Showing user text where Qt would guess "rich text" on its own (tooltips, for one).

QToolTip (and any label left on Qt.AutoText) renders a string as HTML when it merely looks like HTML,
so a person called "<img src=x>" would show a broken picture. `plain_tooltip` makes the text rich on
purpose, with every character escaped, so it is always shown exactly as typed.
"""

from __future__ import annotations

import html


def plain_tooltip(text: str) -> str:
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def menu_text(text: str) -> str:
    """User text for a menu entry, button or tab: a lone `&` would otherwise underline the next letter."""
    return text.replace("&", "&&")
