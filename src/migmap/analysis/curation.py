"""How well curated a slice is: how many records were verified, and when.

An empty cell can mean "nothing happens" or "nobody has looked yet"; this note tells
the two apart as far as the data allows.

    >>> import datetime as dt
    >>> note = Verification(total=10, verified=4, oldest=dt.date(2024, 3, 1), newest=dt.date(2026, 5, 20)).note
    >>> note.startswith('4 of 10 records in this slice (40%) were verified by a curator, between 2024-03-01 and 2026-05-20;')
    True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from migmap.domain.models import Initiative


@dataclass
class Verification:
    total: int
    verified: int
    oldest: dt.date | None = None
    newest: dt.date | None = None

    @classmethod
    def from_items(cls, items: Iterable[Initiative]) -> Verification:
        dates = []
        total = 0
        for item in items:
            total += 1
            if item.last_verified:
                dates.append(item.last_verified)
        return cls(total, len(dates), min(dates) if dates else None, max(dates) if dates else None)

    @property
    def share(self) -> float:
        return self.verified / self.total if self.total else 0.0

    @property
    def note(self) -> str:
        if not self.total:
            return "The slice holds no records, so nothing can be said about curation."
        if not self.verified:
            return (
                f"None of the {self.total} records in this slice has been verified by a curator; "
                "treat empty or thin cells as 'little curated', not as 'nothing happens'."
            )
        return (
            f"{self.verified} of {self.total} records in this slice ({self.share:.0%}) were verified by a curator, "
            f"between {self.oldest} and {self.newest}; empty or thin cells may reflect little curation "
            "rather than no activity."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "verified": self.verified,
            "share": self.share,
            "oldest": self.oldest.isoformat() if self.oldest else None,
            "newest": self.newest.isoformat() if self.newest else None,
            "note": self.note,
        }
