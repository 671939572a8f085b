"""Reflect: short, structured reflections (discomfort, rejection, thought record) and exposure ladders.

Forms say roughly how long they take and stop there (long open-ended reflection feeds rumination).
What is typed is autosaved (DraftKeeper) and can be kept as a draft to finish later; a save that is
missing something keeps everything as a draft and says gently what would complete it.

Rooms: `fields` (what each form asks), `editor` (one form), `reflections` (the list beside the form),
`ladders` (exposure ladders), `section` (the tabs and install()). Ratings and labels shared with
Prepare live in `netjournal/ui/form_parts.py`.
"""

from netjournal.ui.reflect.section import ReflectView, install

__all__ = ["ReflectView", "install"]
