"""Reflections: discomfort reflections (behavioural experiments), rejection reflections, thought records.

Fields follow the structured forms of cognitive-behavioural self-help. Values that insights chart
are real columns of `Reflection` (predicted/actual SUDS, liking, belief before/after, response); the
rest of each form is kept in the `data` JSON as plain strings and lists of strings (and, for a thought
record, small dicts of strings and numbers), so full-text search and the JSON export see every word the user typed.

Saving never loses text: a draft (`draft=True`) stores whatever was typed, even with a required field
empty or a rating out of range (the out-of-range number is kept aside in `data` and given back when the
draft is opened again); a final save checks everything and raises `ValidationError` with every problem
named, leaving the stored row untouched.

netjournal is a self-help journal, not therapy. When someone records very high distress several times
in a short while, `professional_help_hint` returns a gentle note that talking to a professional can
help. Nothing here scores or diagnoses the person.

The rooms: `forms` (the three forms, their checks and words) and `storage` (saving, reading, the list,
the distress hint). Callers use this package's names.
"""

from __future__ import annotations

from netjournal.core.reflections.forms import (
    ALTERNATIVE_EXAMPLES,
    FORMS,
    HIGH_DISTRESS_DAYS,
    HIGH_DISTRESS_SUDS,
    HIGH_DISTRESS_TIMES,
    KIND_LABELS,
    MIN_ALTERNATIVES,
    MINUTES,
    PROFESSIONAL_HELP_HINT,
    RESPONSES,
    RESULTS,
    SELF_COMPASSION_PROMPTS,
    SELF_HELP_NOTE,
    TYPED_COLUMNS,
    AutomaticThought,
    DiscomfortForm,
    Distortion,
    Emotion,
    Problem,
    ReflectionForm,
    RejectionForm,
    ThoughtRecordForm,
    distortion_keys,
    load_distortions,
)
from netjournal.core.reflections.storage import (
    ReflectionSummary,
    ReflectPage,
    delete_reflection,
    duration_text,
    get_reflection,
    linked_person,
    list_reflections,
    load_form,
    professional_help_hint,
    reflect_page,
    save_reflection,
    summary,
)

__all__ = [
    "ALTERNATIVE_EXAMPLES",
    "FORMS",
    "HIGH_DISTRESS_DAYS",
    "HIGH_DISTRESS_SUDS",
    "HIGH_DISTRESS_TIMES",
    "KIND_LABELS",
    "MINUTES",
    "MIN_ALTERNATIVES",
    "PROFESSIONAL_HELP_HINT",
    "RESPONSES",
    "RESULTS",
    "SELF_COMPASSION_PROMPTS",
    "SELF_HELP_NOTE",
    "TYPED_COLUMNS",
    "AutomaticThought",
    "DiscomfortForm",
    "Distortion",
    "Emotion",
    "Problem",
    "ReflectPage",
    "ReflectionForm",
    "ReflectionSummary",
    "RejectionForm",
    "ThoughtRecordForm",
    "delete_reflection",
    "distortion_keys",
    "duration_text",
    "get_reflection",
    "linked_person",
    "list_reflections",
    "load_distortions",
    "load_form",
    "professional_help_hint",
    "reflect_page",
    "save_reflection",
    "summary",
]
