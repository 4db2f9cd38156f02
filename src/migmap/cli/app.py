"""The Typer application and the database commands: init, import, export, list, show, search, stats."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from migmap.config import Settings
from migmap.domain.filters import Filters
from migmap.domain.models import Initiative
from migmap.framework import MULTI_DIMENSIONS, TAG_DIMENSIONS, load_framework
from migmap.services import Database

from .options import DbOption, FormatOption, with_filters
from .output import check_format, console, err, print_json, print_table, progress_bar

app = typer.Typer(
    name="migmap",
    help=(
        "Map how the private sector engages with migrants along the migration cycle.\n\n"
        "Start with `migmap init`, then `migmap list --stage arrival` or `migmap search remittances`."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    add_completion=False,
)
db_app = typer.Typer(help="Database schema: `migmap db upgrade` applies pending migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


def open_db(db: Optional[str]) -> Database:
    settings = Settings()
    return Database(db or settings.database_url, settings=settings)


def _require_schema(database: Database) -> None:
    if not database.is_initialised():
        from migmap.domain.errors import StoreUnavailable

        raise StoreUnavailable(f"{database.url} has no migmap tables yet: run `migmap init` first (or pass --db)")


@app.command()
def init(
    db: DbOption = None,
    empty: Annotated[bool, typer.Option("--empty", help="Create the schema only, without the bundled map.")] = False,
) -> None:
    """Create the database and load the bundled map of initiatives.

    A database that already holds initiatives is left unchanged.

    Example: `migmap init` or `migmap init --db team.db --empty`
    """
    database = open_db(db)
    with progress_bar() as update:
        result = database.init(bundled=not empty, progress=update)
    console.print(f"{database.url}: {result.message}")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Apply pending schema migrations (safe to run at every deployment).

    Example: `migmap db upgrade --db postgresql://migmap@localhost/migmap`
    """
    database = open_db(db)
    before, after = database.upgrade()
    if before == after:
        console.print(f"schema is up to date (revision {after})")
    else:
        console.print(f"schema upgraded from {before or 'empty'} to {after}")


@db_app.command("current")
def db_current(db: DbOption = None) -> None:
    """Print the schema revision of the database.

    Example: `migmap db current`
    """
    console.print(open_db(db).schema_revision() or "no schema (run `migmap init`)")


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Files to import (CSV, XLSX, JSON, JSONL, YAML, or a data package).")],
    db: DbOption = None,
    fmt: Annotated[
        Optional[str], typer.Option("--format", help="Input format when the file name does not tell: csv, xlsx, json, jsonl, yaml, datapackage.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")] = False,
    allow_duplicates: Annotated[bool, typer.Option("--allow-duplicates", help="Import records that look like existing ones.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import initiatives. Everything is validated first: if anything is wrong, nothing is imported.

    Problems are printed as `FILE:ROW: field: message` and the exit status is 2.

    Example: `migmap import new.csv --dry-run` then `migmap import new.csv`
    """
    database = open_db(db)
    _require_schema(database)
    with progress_bar() as update:
        report = database.import_files(paths, fmt=fmt, dry_run=dry_run, allow_duplicates=allow_duplicates, progress=update)
    if as_json:
        print_json(report.to_dict())
    for w in report.warnings:
        err.print(f"warning: {w}", markup=False, highlight=False)
    if report.problems:
        for p in report.problems:
            err.print(str(p), markup=False, highlight=False)
        err.print(f"{len(report.problems)} problem(s) in {report.read} record(s); nothing was imported.", markup=False)
        raise typer.Exit(2)
    for d in report.duplicates:
        err.print(f"skipped: {d}", markup=False, highlight=False)
    if as_json:
        return
    verb = "would import" if dry_run else "imported"
    skipped = f", skipped {len(report.duplicates)} possible duplicate(s) (use --allow-duplicates to import them)" if report.duplicates else ""
    n = report.valid - len(report.duplicates) if dry_run else report.imported
    console.print(f"{verb} {n} of {report.read} record(s){skipped}.", markup=False)


@app.command()
@with_filters
def export(
    path: Annotated[Path, typer.Argument(help="Output file, or a folder for a data package.")],
    db: DbOption = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="csv, xlsx, json, jsonl, yaml or datapackage (default: from the file name).")] = None,
    filters: Filters = Filters(),
) -> None:
    """Export initiatives (all, or those matching the filters) to a file.

    Example: `migmap export arrival.xlsx --stage arrival` or `migmap export out/ --format datapackage`
    """
    database = open_db(db)
    _require_schema(database)
    with progress_bar() as update:
        n = database.export(path, fmt, filters, progress=update)
    console.print(f"wrote {n} initiative(s) to {path}", markup=False)


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _list_rows(items: list[Initiative]) -> list[list[str]]:
    return [
        [
            i.id,
            _short(i.name, 50),
            _short(i.lead_actor, 30),
            ", ".join(i.stages),
            i.actor_type,
            ", ".join(c.code for c in i.countries[:4]),
            str(i.start_year or ""),
        ]
        for i in items
    ]


@app.command("list")
@with_filters
def list_(
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many rows.")] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows first.")] = 0,
    order: Annotated[str, typer.Option("--order", help="name, id, updated, start_year or verified.")] = "name",
    include_proposed: Annotated[bool, typer.Option("--include-proposed", help="Also list records waiting for review.")] = False,
    fmt: FormatOption = "table",
    filters: Filters = Filters(),
) -> None:
    """List initiatives, filtered by any dimension of the framework.

    Within one filter the codes are alternatives; different filters all apply.

    Example: `migmap list --stage arrival --actor-type sme --country DEU`
    """
    check_format(fmt)
    database = open_db(db)
    _require_schema(database)
    if include_proposed:
        filters = filters.model_copy(update={"curation_state": ["published", "proposed"]})
    total = database.count(filters)
    items = database.list(filters, order=order, limit=limit, offset=offset)
    if fmt == "json":
        print_json({"total": total, "offset": offset, "limit": limit, "filters": filters.model_dump(), "initiatives": [i.record() for i in items]})
        return
    print_table(
        ["id", "name", "lead actor", "stages", "actor type", "countries", "start"],
        _list_rows(items),
        caption=f"{len(items)} of {total} initiative(s) · {filters.describe()}",
    )


@app.command()
def show(
    initiative_id: Annotated[str, typer.Argument(metavar="ID", help="The initiative's id.")],
    db: DbOption = None,
    history: Annotated[bool, typer.Option("--history", help="Also print the revision history.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Show one initiative with all its tags, actors, countries and sources.

    Example: `migmap show tent-partnership-for-refugees --history`
    """
    check_format(fmt)
    database = open_db(db)
    _require_schema(database)
    item = database.require(initiative_id)
    revs = database.revisions(initiative_id) if history or fmt == "json" else []
    if fmt == "json":
        print_json({**item.record(), "revisions": [r.model_dump(mode="json") for r in revs]})
        return
    fw = load_framework()
    console.print(f"[bold]{item.name}[/bold]  ({item.id}, version {item.version}, {item.curation_state})")
    console.print(item.description, markup=False)
    rows = []
    for dim in TAG_DIMENSIONS:
        codes = item.tags(dim)
        rows.append([fw[dim].label, ", ".join(f"{fw.label(dim, c)} ({c})" for c in codes) or "—", item.tag_origins.get(dim, "")])
    rows.append(["Countries", ", ".join(str(c) for c in item.countries) or "—", ""])
    rows.append(["Years", f"{item.start_year or '?'}–{item.end_year or ''}", ""])
    rows.append(["Status", item.status + (f", return {item.return_type}" if item.return_type else ""), ""])
    rows.append(["Last verified", str(item.last_verified or "never"), ""])
    print_table(["field", "value", "set by"], rows)
    print_table(
        ["actor", "role", "kind", "type", "sector", "country"],
        [[a.name, a.role, a.kind, a.actor_type or a.public_type or "", a.sector or "", a.country or ""] for a in item.actors],
    )
    print_table(["source", "title", "accessed"], [[s.url, s.title or "", str(s.accessed or "")] for s in item.sources])
    if history:
        print_table(
            ["version", "action", "who", "origin", "when", "fields"],
            [[r.version, r.action, r.user, r.origin, r.at.strftime("%Y-%m-%d %H:%M"), ", ".join(c.field for c in r.changes)] for r in revs],
        )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to look for in names, descriptions and actor names.")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option("--limit", min=1)] = 20,
    fmt: FormatOption = "table",
) -> None:
    """Full-text search, best match first.

    Example: `migmap search "mobile money refugees"`
    """
    check_format(fmt)
    database = open_db(db)
    _require_schema(database)
    hits = database.search(query, limit=limit)
    if fmt == "json":
        print_json({"query": query, "results": [{"score": round(score, 4), **item.record()} for item, score in hits]})
        return
    if not hits:
        console.print(f"no initiative matches {query!r}", markup=False)
        return
    print_table(
        ["score", "id", "name", "lead actor", "stages"],
        [[f"{s:.2f}", i.id, _short(i.name, 50), _short(i.lead_actor, 30), ", ".join(i.stages)] for i, s in hits],
    )


@app.command()
@with_filters
def stats(db: DbOption = None, fmt: FormatOption = "table", filters: Filters = Filters()) -> None:
    """Counts per code of every dimension (for the whole map or a filtered slice).

    Example: `migmap stats --region africa`
    """
    check_format(fmt)
    database = open_db(db)
    _require_schema(database)
    fw = load_framework()
    overview = database.stats()
    total = database.count(filters)
    counts = {dim: database.tag_counts(dim, filters) for dim in TAG_DIMENSIONS}
    if fmt == "json":
        print_json({"overview": overview, "filters": filters.model_dump(), "total": total, "counts": counts})
        return
    console.print(
        f"{overview['database']}: {overview['initiatives']} initiatives "
        f"({', '.join(f'{v} {k}' for k, v in overview['by_curation_state'].items())}), "
        f"{overview['actors']} actors, {overview['sources']} sources, {overview['revisions']} revisions; "
        f"slice: {total} ({filters.describe()})",
        markup=False,
    )
    for dim in TAG_DIMENSIONS:
        rows = [[fw.label(dim, c), c, counts[dim].get(c, 0)] for c in fw.codes(dim)]
        note = "an initiative can carry several codes" if dim in MULTI_DIMENSIONS else ""
        print_table([fw[dim].label, "code", "initiatives"], rows, caption=note or None)


@app.command()
def framework(
    dimension: Annotated[Optional[str], typer.Argument(help="One dimension, e.g. stages (default: all).")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Print the framework: dimensions, codes, labels, definitions and keywords.

    Example: `migmap framework modalities` or `migmap framework --format json`
    """
    check_format(fmt)
    fw = load_framework()
    if dimension is not None and dimension not in fw:
        raise typer.BadParameter(f"unknown dimension {dimension!r}; allowed: {', '.join(fw.names)}", param_hint="DIMENSION")
    dims = [fw[dimension]] if dimension else list(fw.dimensions)
    if fmt == "json":
        print_json(
            {
                "version": fw.version,
                "source": fw.source,
                "dimensions": [
                    {
                        "code": d.code,
                        "label": d.label,
                        "cardinality": d.cardinality,
                        "required": d.required,
                        "description": d.description,
                        "codes": [{"code": c.code, "label": c.label, "definition": c.definition, "keywords": list(c.keywords)} for c in d],
                    }
                    for d in dims
                ],
            }
        )
        return
    for d in dims:
        print_table(
            ["code", "label", "definition"],
            [[c.code, c.label, c.definition] for c in d],
            title=f"{d.label} ({d.code}, {'one' if not d.multi else 'one or more' if d.required else 'zero or more'})",
        )


@app.command()
def backup(
    path: Annotated[Path, typer.Argument(help="Backup file to write (gzip JSON lines), e.g. migmap-2026-11-28.jsonl.gz.")],
    db: DbOption = None,
) -> None:
    """Write a consistent snapshot of the whole map (every record, state and revision).

    Safe while the web app runs. Restore it with `migmap restore`.

    Example: `migmap backup backups/migmap.jsonl.gz`
    """
    from migmap.services.backup import backup as do_backup

    database = open_db(db)
    _require_schema(database)
    with progress_bar() as update:
        counts = do_backup(database, path, progress=update)
    console.print(f"wrote {counts['initiatives']} initiative(s) and {counts['revisions']} revision(s) to {path}", markup=False)


@app.command()
def restore(
    path: Annotated[Path, typer.Argument(help="A backup written by `migmap backup`.")],
    db: DbOption = None,
) -> None:
    """Restore a backup into an empty database (ids, versions, states and history are kept).

    Example: `migmap restore backups/migmap.jsonl.gz --db restored.db`
    """
    from migmap.services.backup import restore as do_restore

    database = open_db(db)
    with progress_bar() as update:
        counts = do_restore(database, path, progress=update)
    console.print(f"restored {counts['initiatives']} initiative(s) and {counts['revisions']} revision(s)", markup=False)
