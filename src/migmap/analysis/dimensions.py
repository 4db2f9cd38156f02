"""Which dimensions can be cross-tabulated, and a clear error for any other.

>>> check_dimension("stages", "rows")
'stages'
"""

from __future__ import annotations

from migmap.domain.errors import MigmapError
from migmap.framework import TAG_DIMENSIONS


class UnknownDimension(MigmapError):
    """A dimension name that is not one of the framework's ten tag dimensions."""

    exit_code = 2


def check_dimension(name: str, what: str = "dimension") -> str:
    """Return ``name`` if it is a tag dimension, else raise :class:`UnknownDimension` listing them.

    ``what`` names the option in the message (``rows``, ``cols``)."""
    if name not in TAG_DIMENSIONS:
        raise UnknownDimension(f"unknown {what} dimension {name!r}; choose one of: {', '.join(TAG_DIMENSIONS)}")
    return name
