"""The three reflection forms (discomfort, rejection, thought record): their fields, how each is checked,
the words they offer (responses, results, examples, prompts) and how they are kept as JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import lru_cache
from typing import Any, ClassVar

from netjournal.core.errors import ValidationError
from netjournal.core.models import Reflection, ReflectionKind
from netjournal.core.paths import resources_dir

# Roughly how long each form takes; the forms say so, and stop there (post-event rumination keeps
# social anxiety going, so reflections are short and structured: domain.md §2, Clark & Wells 1995).
MINUTES: dict[ReflectionKind, int] = {
    ReflectionKind.DISCOMFORT: 5,
    ReflectionKind.REJECTION: 5,
    ReflectionKind.THOUGHT_RECORD: 10,
}

KIND_LABELS: dict[ReflectionKind, str] = {
    ReflectionKind.DISCOMFORT: "Discomfort reflection",
    ReflectionKind.REJECTION: "Rejection reflection",
    ReflectionKind.THOUGHT_RECORD: "Thought record",
}

SELF_HELP_NOTE = (
    "netjournal is a self-help journal, not therapy. If things feel too heavy, talking to someone you trust "
    "or to a professional can help."
)

RESPONSES: dict[str, str] = {
    "no_reply": "No reply yet",
    "yes": "Yes",
    "maybe": "Maybe, or later",
    "no": "No",
}

RESULTS: dict[str, str] = {
    "disconfirmed": "It went better than I predicted",
    "partly": "Partly as I predicted",
    "confirmed": "It went as I predicted",
}

# Prompts for "other explanations that are not about me" (silence from busy people is usually not rejection).
ALTERNATIVE_EXAMPLES: tuple[str, ...] = (
    "They're busy this week",
    "It got buried under other messages",
    "They're travelling, ill or on leave",
    "They want to give a proper answer and haven't had time",
    "They said no to the request, not to me",
    "They have a lot going on that I can't see",
)

SELF_COMPASSION_PROMPTS: dict[str, str] = {
    "self_compassion_mindfulness": "This is a moment of difficulty. What am I feeling, in a few words?",
    "self_compassion_common_humanity": "Others feel this too. Who else has felt like this?",
    "self_compassion_kindness": "What kind words would help right now?",
}

MIN_ALTERNATIVES = 3

# "Very high distress several times": at least HIGH_DISTRESS_TIMES records at or above HIGH_DISTRESS_SUDS
# within HIGH_DISTRESS_DAYS. A design default; the hint is a suggestion, never a judgement.
HIGH_DISTRESS_SUDS = 85
HIGH_DISTRESS_TIMES = 3
HIGH_DISTRESS_DAYS = 14
PROFESSIONAL_HELP_HINT = (
    "You've written down some really hard moments lately. That takes courage. "
    "netjournal is a self-help journal, not therapy, and talking with a counsellor, therapist or doctor "
    "can help a lot when things feel this heavy. If you ever feel unsafe, please contact local emergency "
    "services or a crisis line."
)


@dataclass(frozen=True)
class Distortion:
    key: str
    name: str
    explanation: str


@lru_cache(maxsize=1)
def load_distortions() -> tuple[Distortion, ...]:
    """The thinking traps to pick from, each with a plain one-line explanation (resources/reflect)."""
    path = resources_dir() / "reflect" / "distortions.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return tuple(Distortion(d["key"], d["name"], d["explanation"]) for d in raw["distortions"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValidationError(f"The list of thinking traps in {path} could not be read ({exc}).") from exc


def distortion_keys() -> set[str]:
    return {d.key for d in load_distortions()}


@dataclass(frozen=True)
class Problem:
    """One thing to fix before a final save, named by the form field it belongs to."""

    field: str
    message: str


# --------------------------------------------------------------------------------------------- forms


@dataclass
class ReflectionForm:
    """Fields every reflection has. Subclasses add their own; see `COLUMNS` and `RANGES`."""

    KIND: ClassVar[ReflectionKind]
    # Form fields stored in same-named Reflection columns (the rest go into `data`).
    COLUMNS: ClassVar[tuple[str, ...]] = ()
    # field -> (plain label, low, high)
    RANGES: ClassVar[dict[str, tuple[str, int, int]]] = {}
    # field -> message shown when it is empty on a final save
    REQUIRED: ClassVar[dict[str, str]] = {}

    title: str = ""
    situation: str = ""
    occurred_at: datetime | None = None
    person_id: int | None = None
    interaction_id: int | None = None
    plan_id: int | None = None

    BASE: ClassVar[tuple[str, ...]] = ("title", "situation", "occurred_at", "person_id", "interaction_id", "plan_id")

    def problems(self, *, final: bool = True) -> list[Problem]:
        """What would stop a final save (ranges are also reported for drafts, as warnings)."""
        found: list[Problem] = []
        for name, (label, low, high) in self.RANGES.items():
            value = getattr(self, name)
            if value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                found.append(Problem(name, f"{label} is a number from {low} to {high} (it is {value!r} now)."))
        if final:
            for name, message in self.REQUIRED.items():
                if _is_empty(getattr(self, name)):
                    found.append(Problem(name, message))
            found.extend(self._extra_problems())
        return found

    def _extra_problems(self) -> list[Problem]:
        return []

    def columns(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.COLUMNS}

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in self.BASE or f.name in self.COLUMNS:
                continue
            out[f.name] = _to_json(getattr(self, f.name))
        return out

    @classmethod
    def from_row(cls, row: Reflection) -> ReflectionForm:
        form_cls = FORMS[row.kind]
        data = dict(row.data or {})
        kwargs: dict[str, Any] = {name: getattr(row, name) for name in form_cls.BASE}
        for name in form_cls.COLUMNS:
            kwargs[name] = getattr(row, name)
        for name, value in (data.get("unchecked_ratings") or {}).items():
            if name in form_cls.RANGES:
                kwargs[name] = value  # a number that was out of range when the draft was saved
        known = {f.name: f for f in fields(form_cls)}
        for name, value in data.items():
            if name in known and name not in kwargs:
                kwargs[name] = _from_json(form_cls, name, value)
        return form_cls(**kwargs)

    def clean_text(self) -> None:
        """Trim whitespace at the ends of text; drop empty list entries."""
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                setattr(self, f.name, value.strip())
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                setattr(self, f.name, [v.strip() for v in value if v.strip()])


@dataclass
class DiscomfortForm(ReflectionForm):
    """A discomfort reflection / behavioural experiment: predict, try it, compare."""

    KIND: ClassVar[ReflectionKind] = ReflectionKind.DISCOMFORT
    COLUMNS: ClassVar[tuple[str, ...]] = (
        "predicted_suds",
        "actual_suds",
        "predicted_liking",
        "actual_liking",
        "belief_before",
        "belief_after",
    )
    RANGES: ClassVar[dict[str, tuple[str, int, int]]] = {
        "predicted_suds": ("Expected discomfort", 0, 100),
        "actual_suds": ("Actual discomfort", 0, 100),
        "predicted_liking": ("How much you expected them to like talking with you", 1, 7),
        "actual_liking": ("How much they seemed to like talking with you", 1, 7),
        "belief_before": ("How strongly you believed it before", 0, 100),
        "belief_after": ("How strongly you believe it now", 0, 100),
    }
    REQUIRED: ClassVar[dict[str, str]] = {
        "situation": "Write a few words about the situation (who, where, when).",
        "prediction": "Write down what you predicted would happen, so you can compare.",
    }

    target_belief: str = ""  # the fear being tested, e.g. "People find me boring"
    belief_before: int | None = None
    prediction: str = ""  # what would go wrong
    predicted_suds: int | None = None
    predicted_liking: int | None = None
    safety_behaviour: str = ""  # the one I'll drop
    outcome: str = ""  # what happened
    actual_suds: int | None = None
    signals: str = ""  # signals I noticed from them
    actual_liking: int | None = None
    result: str = ""  # disconfirmed | partly | confirmed | ""
    learning: str = ""
    belief_after: int | None = None

    def _extra_problems(self) -> list[Problem]:
        if self.result and self.result not in RESULTS:
            return [Problem("result", f"{self.result!r} is not one of the outcomes to choose from.")]
        return []


@dataclass
class RejectionForm(ReflectionForm):
    """After an ask: the story I told myself, other explanations, kind words, the next attempt."""

    KIND: ClassVar[ReflectionKind] = ReflectionKind.REJECTION
    COLUMNS: ClassVar[tuple[str, ...]] = ("response", "actual_suds")
    RANGES: ClassVar[dict[str, tuple[str, int, int]]] = {
        "actual_suds": ("How much it stings", 0, 100),
        "predicted_yes_pct": ("How likely you thought a yes was", 0, 100),
    }
    REQUIRED: ClassVar[dict[str, str]] = {
        "ask": "Write what you asked, in a few words.",
        "first_interpretation": "Write the first story you told yourself about it.",
    }

    ask: str = ""
    to_whom: str = ""
    response: str | None = None  # yes | no | maybe | no_reply
    predicted_yes_pct: int | None = None
    actual_suds: int | None = None  # how much it stings, 0-100
    first_interpretation: str = ""
    distortions: list[str] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)
    self_talk: str = ""  # distanced: "What would you tell a friend?" / in the third person
    self_compassion_mindfulness: str = ""
    self_compassion_common_humanity: str = ""
    self_compassion_kindness: str = ""
    learning: str = ""
    next_attempt: str = ""

    def _extra_problems(self) -> list[Problem]:
        found: list[Problem] = []
        if self.response is not None and self.response not in RESPONSES:
            found.append(Problem("response", f"{self.response!r} is not one of the answers to choose from."))
        unknown = [d for d in self.distortions if d not in distortion_keys()]
        if unknown:
            found.append(Problem("distortions", f"Unknown thinking trap(s): {', '.join(unknown)}."))
        have = len([a for a in self.alternatives if a.strip()])
        if have < MIN_ALTERNATIVES:
            more = MIN_ALTERNATIVES - have
            found.append(
                Problem(
                    "alternatives",
                    f"Add {more} more explanation{'s' if more > 1 else ''} that {'are' if more > 1 else 'is'} "
                    f"not about you (you have {have} of {MIN_ALTERNATIVES}). "
                    f"For example: “{ALTERNATIVE_EXAMPLES[0]}” or “{ALTERNATIVE_EXAMPLES[1]}”.",
                )
            )
        return found


@dataclass
class Emotion:
    name: str = ""
    before: int | None = None  # 0-100
    after: int | None = None  # 0-100, re-rated at the end


@dataclass
class AutomaticThought:
    text: str = ""
    belief: int | None = None  # 0-100
    hot: bool = False


@dataclass
class ThoughtRecordForm(ReflectionForm):
    """The seven columns: situation, moods, automatic thoughts, evidence for, evidence against,
    balanced thought, moods re-rated (Greenberger & Padesky)."""

    KIND: ClassVar[ReflectionKind] = ReflectionKind.THOUGHT_RECORD
    # belief_before: belief in the hot thought; belief_after: belief in the balanced thought;
    # actual_suds: the strongest mood at the start (how much distress was felt), for the gentle hint.
    COLUMNS: ClassVar[tuple[str, ...]] = ("belief_before", "belief_after", "actual_suds")
    RANGES: ClassVar[dict[str, tuple[str, int, int]]] = {
        "belief_before": ("How much you believed the hot thought", 0, 100),
        "belief_after": ("How much you believe the balanced thought", 0, 100),
        "actual_suds": ("The strongest mood", 0, 100),
    }
    REQUIRED: ClassVar[dict[str, str]] = {
        "situation": "Write the situation: who, what, when, where (facts only).",
        "balanced_thought": "Write a balanced thought, even a short one.",
    }

    emotions: list[Emotion] = field(default_factory=list)
    thoughts: list[AutomaticThought] = field(default_factory=list)
    distortions: list[str] = field(default_factory=list)
    evidence_for: str = ""
    evidence_against: str = ""
    balanced_thought: str = ""
    belief_before: int | None = None
    belief_after: int | None = None
    actual_suds: int | None = None
    next_step: str = ""

    def sync_columns(self) -> None:
        """Derive the charted columns from the lists (hot thought belief, strongest first mood)."""
        hot = next((t for t in self.thoughts if t.hot and t.belief is not None), None)
        if hot is None:
            hot = next((t for t in self.thoughts if t.belief is not None), None)
        if hot is not None:
            self.belief_before = hot.belief
        before = [e.before for e in self.emotions if isinstance(e.before, int)]
        self.actual_suds = max(before) if before else None

    def problems(self, *, final: bool = True) -> list[Problem]:
        found = super().problems(final=final)
        for i, e in enumerate(self.emotions, 1):
            for attr, when in (("before", "at the start"), ("after", "at the end")):
                v = getattr(e, attr)
                if v is not None and (not isinstance(v, int) or not 0 <= v <= 100):
                    found.append(
                        Problem(
                            "emotions",
                            f"Mood {i} ({e.name or 'unnamed'}) {when} is a number from 0 to 100 (it is {v!r} now).",
                        )
                    )
        for i, t in enumerate(self.thoughts, 1):
            if t.belief is not None and (not isinstance(t.belief, int) or not 0 <= t.belief <= 100):
                found.append(
                    Problem("thoughts", f"Belief in thought {i} is a number from 0 to 100 (it is {t.belief!r} now).")
                )
        if final:
            if not any(e.name.strip() for e in self.emotions):
                found.append(Problem("emotions", "Name at least one mood in a word (e.g. anxious, embarrassed)."))
            if not any(t.text.strip() for t in self.thoughts):
                found.append(Problem("thoughts", "Write at least one thought that went through your mind."))
            unknown = [d for d in self.distortions if d not in distortion_keys()]
            if unknown:
                found.append(Problem("distortions", f"Unknown thinking trap(s): {', '.join(unknown)}."))
        return found

    def clean_text(self) -> None:
        super().clean_text()
        self.emotions = [
            Emotion(e.name.strip(), e.before, e.after) for e in self.emotions if e.name.strip() or e.before is not None
        ]
        self.thoughts = [AutomaticThought(t.text.strip(), t.belief, t.hot) for t in self.thoughts if t.text.strip()]


FORMS: dict[ReflectionKind, type[ReflectionForm]] = {
    ReflectionKind.DISCOMFORT: DiscomfortForm,
    ReflectionKind.REJECTION: RejectionForm,
    ReflectionKind.THOUGHT_RECORD: ThoughtRecordForm,
}
# Every typed column of a reflection row that some form fills; a form leaves the others empty.
TYPED_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(c for form in FORMS.values() for c in form.COLUMNS))


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value
    return False


def _to_json(value: Any) -> Any:
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, Emotion | AutomaticThought):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    return value


def _from_json(form_cls: type[ReflectionForm], name: str, value: Any) -> Any:
    if form_cls is ThoughtRecordForm and name == "emotions" and isinstance(value, list):
        return [Emotion(str(v.get("name", "")), v.get("before"), v.get("after")) for v in value if isinstance(v, dict)]
    if form_cls is ThoughtRecordForm and name == "thoughts" and isinstance(value, list):
        return [
            AutomaticThought(str(v.get("text", "")), v.get("belief"), bool(v.get("hot")))
            for v in value
            if isinstance(v, dict)
        ]
    return value
