"""Prepare: upcoming meetings and plans, the plan editor with personal suggestions, the question bank,
the PDF prep sheet (save or print) and the ten-minute debrief.

All database work goes through app.ops; the PDF is rendered on the GUI thread (tens of milliseconds).

Rooms: `loading` (what is read from the journal), `editor` (the plan's fields and suggestions), `bank`
(the question bank), `debrief` (the debrief dialog), `section` (the section view and install()).
"""

from netjournal.ui.prepare.section import install

__all__ = ["install"]
