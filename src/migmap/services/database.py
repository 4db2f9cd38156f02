"""The Python API: open a map database, query, curate, import and export.

    >>> from migmap import Database
    >>> db = Database("sqlite:///:memory:")          # or a file path, or postgresql://...
    >>> db.init(bundled=False).created_schema
    True
    >>> db.count()
    0

Every public method owns its transaction: it either completes or changes nothing.
The CLI and the web app are thin layers over this class.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from migmap.config import Settings
from migmap.domain.errors import Conflict, InvalidRecords, Problem
from migmap.domain.filters import Filters
from migmap.domain.models import Initiative, InitiativeCreate, InitiativeUpdate, Revision
from migmap.io import readers, writers
from migmap.query.index import TagIndex
from migmap.store import InitiativeRepository, db_errors, describe_url, index_source, make_engine, normalise_url
from migmap.store import schema as store_schema

from .validation import Duplicate, find_duplicates, validate_one

#: ``progress(phase, done, total)`` – called during long work.
ProgressFn = Callable[[str, int, int], None]


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


@dataclass
class ImportReport:
    """What an import found and did."""

    files: list[str]
    read: int = 0
    valid: int = 0
    imported: int = 0
    ids: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "read": self.read,
            "valid": self.valid,
            "imported": self.imported,
            "dry_run": self.dry_run,
            "duplicates_skipped": [str(d) for d in self.duplicates],
            "problems": [p.to_dict() for p in self.problems],
            "warnings": self.warnings,
            "ids": self.ids,
        }


@dataclass
class InitResult:
    created_schema: bool
    loaded: int
    message: str


def _filters(filters: Filters | dict | None, kwargs: dict[str, Any]) -> Filters:
    if isinstance(filters, Filters):
        if kwargs:
            return filters.model_copy(update=Filters.model_validate(kwargs).model_dump(exclude_unset=True))
        return filters
    return Filters.model_validate({**(filters or {}), **kwargs})


class Database:
    """A migmap database (SQLite file by default, PostgreSQL for teams)."""

    def __init__(self, url: str | None = None, settings: Settings | None = None, user: str | None = None):
        self.settings = settings or Settings()
        self.url = normalise_url(url or self.settings.database_url)
        self.user = user or self.settings.user
        with db_errors(self.url):
            self.engine = make_engine(self.url)
        self._index: TagIndex | None = None
        self._index_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"Database({describe_url(self.url)!r})"

    def close(self) -> None:
        self.engine.dispose()
        self._index = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # ----------------------------------------------------------- transactions
    @contextlib.contextmanager
    def transaction(self) -> Iterator[InitiativeRepository]:
        """A repository in one transaction: committed at the end, rolled back on any error."""
        with db_errors(self.url), Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield InitiativeRepository(session)

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[InitiativeRepository]:
        """A read-only repository on one consistent snapshot (repeatable read), for backups."""
        with db_errors(self.url), self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                if conn.dialect.name == "sqlite":
                    conn.exec_driver_sql("BEGIN")  # pysqlite opens no transaction for reads by itself
                with Session(bind=conn) as session:
                    yield InitiativeRepository(session)

    @contextlib.contextmanager
    def reading(self) -> Iterator[InitiativeRepository]:
        with db_errors(self.url), Session(self.engine) as session:
            yield InitiativeRepository(session)

    # ------------------------------------------------------------------ index
    def index(self) -> TagIndex:
        """The in-memory tag index of this database, up to date with every write of any process.

        Built on first use; afterwards each call compares the data stamp (the newest revision)
        with the one the index was built at and re-reads only the initiatives written since."""
        with self._index_lock, db_errors(self.url):
            if self._index is None:
                self._index = self._load_kept_index() or self._build_index()
            else:
                self._refresh(self._index)
            return self._index

    def _build_index(self) -> TagIndex:
        newest, parts = index_source.read_all(self.engine, self.url)
        index = TagIndex.build(parts, newest)
        kept = self._kept_index()
        if kept and len(index) >= index_source.PARALLEL_FROM:
            kept.parent.mkdir(parents=True, exist_ok=True)
            index.save(kept, self.url)
        return index

    def _load_kept_index(self) -> TagIndex | None:
        """The index kept by an earlier run, brought up to date; None when there is none that fits."""
        kept = self._kept_index()
        index = TagIndex.load(kept, self.url) if kept and kept.exists() else None
        if index is None:
            return None
        self._refresh(index)
        with self.engine.connect() as conn:
            if index_source.count(conn) != len(index):  # written by something that leaves no revision
                return None
        return index

    def _refresh(self, index: TagIndex) -> None:
        """Apply to ``index`` the writes made since its stamp, by this process or any other."""
        with self.engine.connect() as conn:
            newest, ids = index_source.changed_since(conn, index.stamp)
            if newest != index.stamp:
                changed = index_source.read_some(conn, ids)
                index.apply(changed, set(ids) - set(changed.ids), newest)

    def _kept_index(self) -> Path | None:
        """Where this map's index is kept between runs (None: not kept, e.g. in-memory databases)."""
        folder = self.settings.index_dir.strip()
        if not folder or ":memory:" in self.url:
            return None
        name = hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:20]
        return Path(folder).expanduser() / f"{name}.npz"

    def text_ids(self, query: str) -> list[str]:
        """Ids of the initiatives matching a full-text query (the index's text filter)."""
        with self.reading() as repo:
            return repo.text_ids(query)

    # ----------------------------------------------------------------- schema
    def schema_revision(self) -> str | None:
        with db_errors(self.url):
            return store_schema.current_revision(self.engine)

    def upgrade(self) -> tuple[str | None, str]:
        """Apply pending migrations (``migmap db upgrade``)."""
        with db_errors(self.url):
            return store_schema.upgrade(self.engine)

    def is_initialised(self) -> bool:
        with db_errors(self.url):
            return inspect(self.engine).has_table("initiatives")

    def init(self, bundled: bool = True, progress: ProgressFn = _no_progress) -> InitResult:
        """Create the schema and load the bundled map. A database that holds data is left unchanged."""
        before = self.schema_revision()
        self.upgrade()
        created = before is None
        n = self.count(curation_state=["published", "proposed", "rejected"])
        if n:
            return InitResult(created, 0, f"the database already holds {n} initiatives; nothing was changed")
        if not bundled:
            return InitResult(created, 0, "created an empty database")
        from migmap.data import bundled_files

        report = self.import_files(bundled_files(), user="migmap init", origin="import", progress=progress)
        if not report.ok:  # the bundled data is tested, so this means a damaged installation
            raise InvalidRecords(report.problems)
        return InitResult(created, report.imported, f"loaded {report.imported} initiatives from the bundled map")

    # ---------------------------------------------------------------- reading
    def list(
        self,
        filters: Filters | dict | None = None,
        order: str = "name",
        limit: int | None = None,
        offset: int = 0,
        share: float | None = None,
        **kwargs: Any,
    ) -> list[Initiative]:
        """Initiatives matching the filters, e.g. ``db.list(stages=["arrival"], countries=["DEU"])``.

        ``share``, the part of all initiatives that match, lets a page of a common filter be read
        in index order (see :meth:`InitiativeRepository.query_ids`); the result is the same."""
        f = _filters(filters, kwargs)
        with self.reading() as repo:
            return repo.list(f, order, limit, offset, share)

    def iterate(self, filters: Filters | dict | None = None, **kwargs: Any) -> Iterator[Initiative]:
        """Stream matching initiatives in batches."""
        f = _filters(filters, kwargs)
        with self.reading() as repo:
            yield from repo.iterate(f)

    def count(self, filters: Filters | dict | None = None, **kwargs: Any) -> int:
        f = _filters(filters, kwargs)
        with self.reading() as repo:
            return repo.count(f)

    def ids(self, filters: Filters | dict | None = None, **kwargs: Any) -> list[str]:
        f = _filters(filters, kwargs)
        with self.reading() as repo:
            return repo.query_ids(f, order="id")

    def get(self, initiative_id: str) -> Initiative | None:
        with self.reading() as repo:
            return repo.get(initiative_id)

    def require(self, initiative_id: str) -> Initiative:
        with self.reading() as repo:
            return repo.require(initiative_id)

    def search(self, query: str, limit: int = 20, filters: Filters | dict | None = None, **kwargs: Any) -> list[tuple[Initiative, float]]:
        """Full-text search (name, description, actors), best match first, with a relevance score."""
        f = _filters(filters, kwargs)
        with self.reading() as repo:
            return repo.search(query, limit, f)

    def revisions(self, initiative_id: str) -> list[Revision]:
        with self.reading() as repo:
            return repo.revisions(initiative_id)

    def tag_counts(self, dimension: str, filters: Filters | dict | None = None, **kwargs: Any) -> dict[str, int]:
        """Initiatives per code of one dimension within the filters (from the index)."""
        return self.index().tag_counts(dimension, _filters(filters, kwargs), self.text_ids)

    def data_stamp(self) -> int | None:
        """A value that changes whenever the data changes, whichever process wrote (the newest revision id)."""
        with self.reading() as repo:
            return repo.last_revision_id()

    def stats(self) -> dict[str, Any]:
        with self.reading() as repo:
            out = repo.stats()
        out["database"] = describe_url(self.url)
        return out

    def dataframe(self, filters: Filters | dict | None = None, **kwargs: Any):
        """The matching initiatives as a pandas DataFrame, one row per initiative (list columns for tags)."""
        import pandas as pd

        rows = [item.record() for item in self.iterate(filters, **kwargs)]
        columns = ["id", *(c for c in InitiativeCreate.model_fields if c != "id"), "version", "curation_state", "created_at", "updated_at"]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.set_index("id", drop=False) if len(frame) else frame

    # ---------------------------------------------------------------- writing
    def add(
        self,
        record: InitiativeCreate | dict[str, Any],
        user: str | None = None,
        origin: str = "human",
        curation_state: str = "published",
    ) -> Initiative:
        """Validate and add one initiative (a revision records who added it)."""
        if not isinstance(record, InitiativeCreate):
            from pydantic import ValidationError

            from .validation import problems_from

            try:
                record = InitiativeCreate.model_validate(record)
            except ValidationError as exc:
                raise InvalidRecords(problems_from(exc)) from None
        with self.transaction() as repo:
            if record.id and repo.get(record.id) is not None:
                raise InvalidRecords([Problem("id", f"{record.id!r} already exists")])
            (iid,) = repo.add_many([record], user or self.user, origin, curation_state)
            return repo.require(iid)

    def update(
        self,
        initiative_id: str,
        change: InitiativeUpdate | dict[str, Any],
        user: str | None = None,
        origin: str = "human",
    ) -> Initiative:
        """Apply a partial change; ``change["version"]`` must be the version it was based on.

        A stale version raises :class:`~migmap.domain.errors.Conflict` (and the refused attempt
        is recorded in the history); an invalid value raises ``InvalidRecords``.
        """
        from pydantic import ValidationError

        from .validation import problems_from

        try:
            upd = change if isinstance(change, InitiativeUpdate) else InitiativeUpdate.model_validate(change)
        except ValidationError as exc:
            raise InvalidRecords(problems_from(exc)) from None
        try:
            with self.transaction() as repo:
                return repo.update(initiative_id, upd, user or self.user, origin)
        except Conflict as conflict:
            with self.transaction() as repo:
                repo.record_conflict(initiative_id, conflict.based_on, conflict.current, user or self.user, sorted(upd.changes()))
            raise
        except ValidationError as exc:
            raise InvalidRecords(problems_from(exc)) from None

    def delete(self, initiative_id: str, version: int, user: str | None = None) -> None:
        with self.transaction() as repo:
            repo.delete(initiative_id, version, user or self.user)

    # ------------------------------------------------------- import / export
    def import_files(
        self,
        paths: Sequence[str | Path],
        fmt: str | None = None,
        dry_run: bool = False,
        allow_duplicates: bool = False,
        user: str | None = None,
        origin: str = "import",
        curation_state: str = "published",
        progress: ProgressFn = _no_progress,
    ) -> ImportReport:
        """Validate every record of every file first; import all of them in one transaction, or none.

        Returns a report; when it lists problems nothing was written. Possible duplicates
        (similar name and lead actor, in the files or in the database) are skipped and
        reported unless ``allow_duplicates``.
        """
        report = ImportReport(files=[str(p) for p in paths], dry_run=dry_run)
        raw: list[readers.RawRecord] = []
        for p in paths:
            result = readers.read_path(p, fmt)
            raw.extend(result.records)
            report.problems.extend(result.problems)
            report.warnings.extend(result.warnings)
        report.read = len(raw)
        valid: list[tuple[readers.RawRecord, InitiativeCreate]] = []
        for i, r in enumerate(raw, start=1):
            rec, problems = validate_one(r)
            if rec is not None:
                valid.append((r, rec))
            report.problems.extend(problems)
            if i % 500 == 0 or i == len(raw):
                progress("validating", i, len(raw))
        seen_ids: dict[str, str] = {}
        for r, rec in valid:
            if rec.id:
                if rec.id in seen_ids:
                    report.problems.append(Problem("id", f"{rec.id!r} is used twice (first at {seen_ids[rec.id]})", file=r.file, row=r.row))
                else:
                    seen_ids[rec.id] = f"{r.file}:{r.row}"
        report.valid = len(valid)
        with self.transaction() as repo:
            existing_ids = repo.existing_ids()
            for r, rec in valid:
                if rec.id and rec.id in existing_ids:
                    report.problems.append(
                        Problem("id", f"{rec.id!r} already exists in the database (remove the id to add it as a new initiative)", file=r.file, row=r.row)
                    )
            if report.problems:
                report.problems.sort(key=lambda p: (p.file or "", p.row or 0))
                return report
            to_import = valid
            if not allow_duplicates:
                dups = find_duplicates([(r.file, r.row, rec.name, rec.lead_actor) for r, rec in valid], repo.name_index())
                skip = {(d.file, d.row) for d in dups}
                report.duplicates = dups
                to_import = [(r, rec) for r, rec in valid if (r.file, r.row) not in skip]
            if dry_run:
                report.imported = 0
                return report
            batch = 2000
            records = [rec for _, rec in to_import]
            for start in range(0, len(records), batch):
                report.ids.extend(repo.add_many(records[start : start + batch], user or self.user, origin, curation_state, taken=existing_ids))
                progress("importing", min(start + batch, len(records)), len(records))
            report.imported = len(report.ids)
        return report

    def export(
        self,
        path: str | Path,
        fmt: str | None = None,
        filters: Filters | dict | None = None,
        progress: ProgressFn = _no_progress,
        **kwargs: Any,
    ) -> int:
        """Write the matching initiatives to a file (or a data package folder). Returns the count."""
        f = _filters(filters, kwargs)
        total = self.count(f)
        done = 0

        def tick() -> None:
            nonlocal done
            done += 1
            if done % 500 == 0 or done == total:
                progress("exporting", done, total)

        return writers.write(self.iterate(f), path, fmt, tick)


def today() -> dt.date:
    return dt.date.today()
