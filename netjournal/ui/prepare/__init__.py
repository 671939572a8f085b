"""Prepare: upcoming meetings and plans, the plan editor with personal suggestions, the question bank,
the PDF prep sheet (save or print) and the ten-minute debrief.

All database work goes through app.ops; the PDF is rendered on the GUI thread (tens of milliseconds).

Rooms: `editor` (the plan's fields and suggestions), `bank` (the question bank), `debrief` (the debrief
dialog), `section` (the section view and install()). What is read from the journal is in core
(`netjournal.core.prep`: plan_lists, open_plan, fresh_plan).
"""

from netjournal.ui.prepare.section import PrepareView, install

__all__ = ["PrepareView", "install"]
