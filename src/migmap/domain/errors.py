"""Domain errors: what can go wrong, said so that a person knows what to do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class MigmapError(Exception):
    """Base class of every error migmap raises on purpose (shown without a traceback)."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One validation problem with its location: ``FILE:ROW: field: message``."""

    field: str
    message: str
    file: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = f"{self.file}:{self.row}: " if self.row is not None else f"{self.file}: "
        elif self.row is not None:
            where = f"row {self.row}: "
        return f"{where}{self.field}: {self.message}" if self.field else f"{where}{self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "row": self.row, "field": self.field, "message": self.message}


class InvalidRecords(MigmapError):
    """One or more records failed validation; nothing was written."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = len(self.problems)
        self.summary = f"{n} problem{'s' if n != 1 else ''} found; nothing was changed"
        shown = "; ".join(str(p) for p in self.problems[:3]) + ("; ..." if n > 3 else "")
        super().__init__(f"{self.summary}: {shown}" if shown else self.summary)


class NotFound(MigmapError):
    """A record that does not exist was asked for."""

    exit_code = 3


class Conflict(MigmapError):
    """An update was based on a version that is no longer the current one."""

    exit_code = 4

    def __init__(self, initiative_id: str, based_on: int, current: int, current_record: Any = None):
        self.initiative_id = initiative_id
        self.based_on = based_on
        self.current = current
        self.current_record = current_record
        super().__init__(
            f"initiative {initiative_id!r} was changed by someone else: your edit is based on "
            f"version {based_on}, the current version is {current}. Reload it, reapply your change and save again."
        )


class StoreUnavailable(MigmapError):
    """The database cannot be reached, is locked or is read-only."""

    exit_code = 5


class InvalidValue(MigmapError):
    """The database refused a value it cannot hold (a NUL character, a number out of range): bad input, not an outage."""

    exit_code = 2


class UnknownFormat(MigmapError):
    exit_code = 2
