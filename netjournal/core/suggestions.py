"""One reconnection suggestion as plain data (core/reconnect/ makes them; Today shows them).

No ORM here: Today reads this week's suggestions on the thin read path at start-up.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Suggestion:
    person_id: int
    name: str
    kind: str  # loop | date | waiting | dormant | due
    reason: str
    score: float
    time_sensitive: bool
    template: str
    last_contact: datetime | None = None
    dormant: bool = False
    loop: float = 0.0  # 1: a promise due (or a follow-up), 0.5: due within two weeks
    warmth: int | None = None  # of the last interaction
    offer_cadence_change: bool = False
    parts: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["last_contact"] = self.last_contact.isoformat() if self.last_contact else None
        d["score"] = round(self.score, 3)
        d["parts"] = {k: round(v, 3) for k, v in self.parts.items()}
        return d

    @classmethod
    def from_event(cls, person_id: int, name: str, reason: str, data: Any) -> Suggestion:
        """From a delivered suggestion event (its `data` as stored: JSON text read raw, or a dict)."""
        if isinstance(data, str | bytes):
            data = json.loads(data)
        data = data if isinstance(data, dict) else {}
        return cls(
            person_id=person_id,
            name=name,
            kind=str(data.get("kind", "due")),
            reason=reason,
            score=float(data.get("score", 0.0)),
            time_sensitive=bool(data.get("time_sensitive", False)),
            template=str(data.get("template", "")),
            dormant=bool(data.get("dormant", False)),
            offer_cadence_change=bool(data.get("offer_cadence_change", False)),
        )
