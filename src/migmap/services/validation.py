"""Validate raw records and find likely duplicates, reporting every problem with its location."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError
from rapidfuzz import fuzz, process

from migmap.domain.errors import Problem
from migmap.domain.models import InitiativeCreate
from migmap.io.readers import RawRecord

#: Names at least this similar (0-100, token-sort ratio) with similar lead actors are possible duplicates.
NAME_CUTOFF = 90.0
LEAD_CUTOFF = 85.0
_STOP = {"the", "a", "an", "of", "for", "and", "de", "la", "le", "el"}


def problems_from(exc: ValidationError, file: str | None = None, row: int | None = None) -> list[Problem]:
    """Pydantic errors as problems whose field names the place in the record (``actors.1.sector``)."""
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        msg = str(err.get("msg", "invalid value"))
        msg = msg.removeprefix("Value error, ")
        field = ".".join(loc)
        if not field and re.match(r"^[a-z_]+: ", msg):
            field, msg = msg.split(": ", 1)
        if err.get("type") == "missing":
            msg = "required, but missing or empty"
        elif err.get("type") == "extra_forbidden":
            msg = "unknown field"
        out.append(Problem(field, msg, file=file, row=row))
    return out


def validate_one(raw: RawRecord) -> tuple[InitiativeCreate | None, list[Problem]]:
    try:
        return InitiativeCreate.model_validate(raw.data), []
    except ValidationError as exc:
        return None, problems_from(exc, raw.file, raw.row)
    except (TypeError, ValueError) as exc:  # malformed nested values that slip past pydantic
        return None, [Problem("", str(exc), file=raw.file, row=raw.row)]


@dataclass(frozen=True)
class Duplicate:
    file: str
    row: int
    name: str
    other: str  # "database id X" or "FILE:ROW"
    score: float

    def __str__(self) -> str:
        return f"{self.file}:{self.row}: possible duplicate of {self.other} ({self.name!r}, similarity {self.score:.0f})"


def _norm(text: str) -> str:
    return " ".join(w for w in re.findall(r"\w+", text.casefold()) if w not in _STOP)


def _block(lead: str) -> str:
    words = _norm(lead).split()
    return words[0][:6] if words else ""


def find_duplicates(
    new: Sequence[tuple[str, int, str, str]],
    existing: Iterable[tuple[str, str, str]] = (),
    name_cutoff: float = NAME_CUTOFF,
    lead_cutoff: float = LEAD_CUTOFF,
) -> list[Duplicate]:
    """Possible duplicates among ``new`` (file, row, name, lead) and against ``existing`` (id, name, lead).

    Records are compared within blocks that share the first word of the lead actor, then by
    token-sort similarity of the names and of the lead actors. The first of two similar new
    records is kept; the later one is reported.
    """
    blocks: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # block -> (label, name_norm, lead_norm)
    for iid, name, lead in existing:
        blocks[_block(lead)].append((f"database id {iid!r}", _norm(name), _norm(lead)))
    found: list[Duplicate] = []
    for file, row, name, lead in new:
        key = _block(lead)
        candidates = blocks[key]
        n_name, n_lead = _norm(name), _norm(lead)
        hit = None
        if candidates:
            matches = process.extract(n_name, [c[1] for c in candidates], scorer=fuzz.token_sort_ratio, score_cutoff=name_cutoff, limit=5)
            for _, score, idx in matches:
                if fuzz.token_sort_ratio(n_lead, candidates[idx][2]) >= lead_cutoff:
                    hit = (candidates[idx][0], score)
                    break
        if hit:
            found.append(Duplicate(file, row, name, hit[0], hit[1]))
        else:
            candidates.append((f"{file}:{row}", n_name, n_lead))
    return found
