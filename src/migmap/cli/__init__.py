"""The command line: a thin layer over :class:`migmap.Database` and the analysis library."""

from __future__ import annotations

import sys

from migmap.domain.errors import InvalidRecords, MigmapError

from . import (
    actors,  # noqa: F401  (registers `actors duplicates`, `actors merge`, `actors show`)
    advise,  # noqa: F401  (registers the advise command on app)
    analysis,  # noqa: F401  (registers the analysis commands on app)
    dataset,  # noqa: F401  (registers `data check`)
    tag,  # noqa: F401  (registers the tag commands on app)
    web,  # noqa: F401  (registers serve and user commands)
)
from .app import app
from .output import err


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `migmap` command: errors become one clear line and an exit status."""
    try:
        app(args=argv, prog_name="migmap")
    except InvalidRecords as exc:
        for p in exc.problems:
            err.print(str(p), markup=False, highlight=False)
        err.print(f"error: {exc.summary}", markup=False, highlight=False)
        sys.exit(exc.exit_code)
    except MigmapError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted; nothing more was written", markup=False)
        sys.exit(130)


__all__ = ["app", "main"]
