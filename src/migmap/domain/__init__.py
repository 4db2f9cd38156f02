"""Domain models and errors of migmap (Pydantic 2)."""

from .errors import Conflict, InvalidRecords, MigmapError, NotFound, Problem, StoreUnavailable
from .filters import Filters
from .models import (
    Actor,
    CountryRole,
    FieldChange,
    Initiative,
    InitiativeActor,
    InitiativeCreate,
    InitiativeUpdate,
    Revision,
    Source,
)

__all__ = [
    "Actor",
    "Conflict",
    "CountryRole",
    "FieldChange",
    "Filters",
    "Initiative",
    "InitiativeActor",
    "InitiativeCreate",
    "InitiativeUpdate",
    "InvalidRecords",
    "MigmapError",
    "NotFound",
    "Problem",
    "Revision",
    "Source",
    "StoreUnavailable",
]
