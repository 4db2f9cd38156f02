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


def _block_of(lead_norm: str) -> str:
    words = lead_norm.split()
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
    # block (first word of the lead) -> distinct normalised leads, and per lead the records kept
    # (labels, normalised names). A record is compared with the leads of its block first, then
    # only with the names under the leads that match: linear in practice, where comparing every
    # name of a large block was quadratic.
    blocks: dict[str, tuple[list[str], dict[str, tuple[list[str], list[str]]]]] = defaultdict(lambda: ([], {}))

    def keep(lead_norm: str, label: str, name_norm: str) -> None:
        leads, groups = blocks[_block_of(lead_norm)]
        group = groups.get(lead_norm)
        if group is None:
            group = groups[lead_norm] = ([], [])
            leads.append(lead_norm)
        group[0].append(label)
        group[1].append(name_norm)

    for iid, name, lead in existing:
        keep(_norm(lead), f"database id {iid!r}", _norm(name))
    found: list[Duplicate] = []
    for file, row, name, lead in new:
        n_name, n_lead = _norm(name), _norm(lead)
        leads, groups = blocks[_block_of(n_lead)]
        best: tuple[str, float] | None = None
        for other_lead, _, _ in process.extract(n_lead, leads, scorer=fuzz.token_sort_ratio, score_cutoff=lead_cutoff, limit=None):
            labels, names = groups[other_lead]
            match = process.extractOne(n_name, names, scorer=fuzz.token_sort_ratio, score_cutoff=name_cutoff)
            if match and (best is None or match[1] > best[1]):
                best = (labels[match[2]], match[1])
        if best:
            found.append(Duplicate(file, row, name, best[0], best[1]))
        else:
            keep(n_lead, f"{file}:{row}", n_name)
    return found
