"""Backup and restore: a consistent logical snapshot of the map, portable between SQLite and PostgreSQL.

A backup is a gzip-compressed JSON-lines file. The first line describes it; every other
line is one initiative (with its version, curation state, timestamps and tag origins)
or one revision. It is read in a single repeatable-read transaction, so it is a
consistent snapshot even while the web app keeps writing.

    >>> from migmap import Database
    >>> from migmap.services.backup import backup, restore
    >>> src = Database("sqlite:///:memory:"); _ = src.init(bundled=False)
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from migmap.domain.errors import MigmapError
from migmap.domain.models import Initiative, Revision

from .database import Database, ProgressFn, _no_progress

FORMAT = "migmap-backup"
FORMAT_VERSION = 1


class BackupError(MigmapError):
    exit_code = 2


def backup(db: Database, path: str | Path, progress: ProgressFn = _no_progress) -> dict[str, int]:
    """Write a snapshot of every initiative (all curation states) and every revision to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    counts = {"initiatives": 0, "revisions": 0}
    try:
        with db.snapshot() as repo, gzip.open(tmp, "wt", encoding="utf-8") as fh:
            header = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "schema": db.schema_revision(),
                "created": dt.datetime.now(dt.UTC).isoformat(),
            }
            fh.write(json.dumps(header) + "\n")
            ids = repo.query_ids(_all_states(), order="id")
            for start in range(0, len(ids), 1000):
                for item in repo.get_many(ids[start : start + 1000]):
                    fh.write(json.dumps({"type": "initiative", **item.model_dump(mode="json")}, ensure_ascii=False) + "\n")
                    counts["initiatives"] += 1
                progress("backing up", counts["initiatives"], len(ids))
            for rev in repo.all_revisions():
                fh.write(json.dumps({"type": "revision", **rev.model_dump(mode="json")}, ensure_ascii=False) + "\n")
                counts["revisions"] += 1
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return counts


def _all_states():
    from migmap.domain.filters import Filters

    return Filters(curation_state=["published", "proposed", "rejected"])


def read_backup(path: str | Path) -> tuple[dict[str, Any], list[Initiative], list[Revision]]:
    path = Path(path)
    if not path.exists():
        raise BackupError(f"{path}: file not found")
    items: list[Initiative] = []
    revisions: list[Revision] = []
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            first = fh.readline()
            try:
                header = json.loads(first)
            except json.JSONDecodeError:
                raise BackupError(f"{path}:1: not a migmap backup (the first line is not a backup header)") from None
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise BackupError(f"{path}:1: not a migmap backup")
            if header.get("format_version", 0) > FORMAT_VERSION:
                raise BackupError(f"{path}: made by a newer migmap (format {header['format_version']}); upgrade migmap to restore it")
            for lineno, line in enumerate(fh, start=2):
                try:
                    row = json.loads(line)
                    kind = row.pop("type")
                    if kind == "initiative":
                        items.append(Initiative.model_validate(row))
                    elif kind == "revision":
                        revisions.append(Revision.model_validate(row))
                    else:
                        raise ValueError(f"unknown line type {kind!r}")
                except (ValueError, KeyError, TypeError) as exc:
                    msg = str(exc).splitlines()[0]
                    raise BackupError(f"{path}:{lineno}: damaged backup line ({msg}); nothing was restored") from None
    except (OSError, EOFError) as exc:
        raise BackupError(f"{path}: not a readable gzip backup ({exc}); nothing was restored") from None
    return header, items, revisions


def restore(db: Database, path: str | Path, progress: ProgressFn = _no_progress) -> dict[str, int]:
    """Restore a backup into an empty database, keeping ids, versions, states, timestamps and history."""
    _, items, revisions = read_backup(path)
    db.upgrade()
    present = db.count(curation_state=["published", "proposed", "rejected"])
    if present:
        raise BackupError(f"the database already holds {present} initiatives: restore only into an empty database (nothing was changed)")
    with db.transaction() as repo:
        for start in range(0, len(items), 2000):
            repo.restore_many(items[start : start + 2000])
            progress("restoring", min(start + 2000, len(items)), len(items))
        repo.restore_revisions(revisions)
    return {"initiatives": len(items), "revisions": len(revisions)}
