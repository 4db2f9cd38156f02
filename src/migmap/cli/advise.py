"""`migmap advise`: where and how a public actor should engage business, with evidence."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from migmap.advice.render import FORMATS, TABLE_COLUMNS, render, table_rows
from migmap.domain.errors import MigmapError
from migmap.services.advice import advise as advise_service

from .app import _require_schema, app, open_db
from .options import DbOption
from .output import check_format, console, err, print_table

Codes = Optional[list[str]]


class OutputNeeded(MigmapError):
    exit_code = 2


@app.command("advise")
def advise(
    asker: Annotated[
        Optional[str],
        typer.Option(
            "--as",
            help="Who asks (public partner code): donor_agency, origin_government, transit_government, destination_government, "
            "local_government, international_organisation, ngo_civil_society.",
        ),
    ] = None,
    stage: Annotated[Codes, typer.Option("--stage", help="Stage code(s), e.g. arrival (repeat or comma-separate).")] = None,
    goal: Annotated[Codes, typer.Option("--goal", help="Goal code(s): safer_migration, migrant_rights, service_quality.")] = None,
    country: Annotated[Codes, typer.Option("--country", help="ISO 3166-1 alpha-3 country code(s), e.g. DEU.")] = None,
    region: Annotated[Codes, typer.Option("--region", help="Region: africa, americas, asia, europe, oceania, middle_east or a UN M49 sub-region.")] = None,
    migrant_group: Annotated[Codes, typer.Option("--migrant-group", help="Migrant group code(s), e.g. refugees_asylum.")] = None,
    theme: Annotated[Codes, typer.Option("--theme", help="Theme code(s), e.g. employment.")] = None,
    offer: Annotated[
        Codes, typer.Option("--offer", help="What you can offer: funding, guarantees, regulation, procurement, convening, expertise, trade.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=3, max=20, help="Number of options (at least 3).")] = 5,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Output: table, json, md, html or pdf.")] = "table",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the brief to this file (required for pdf).")] = None,
    link: Annotated[
        Optional[str],
        typer.Option("--link", help="Link examples to this URL pattern instead of their sources, e.g. 'https://map.example.org/initiatives/{id}'."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Advise a public actor where and how to engage the private sector, with evidence from the map.

    Options are ranked by fit with the question, the size of the gap in the map
    (under-served cells rank higher) and the models that exist to copy. Control
    contractors and informal actors are never proposed; they are listed as risks to watch.

    Example: `migmap advise --as donor_agency --stage arrival --goal migrant_rights --country DEU`

    Example: `migmap advise --as origin_government --stage pre_departure --goal safer_migration --offer regulation,funding --format pdf -o brief.pdf`
    """
    check_format(fmt, FORMATS)
    if fmt == "pdf" and output is None:
        raise OutputNeeded("a PDF brief needs a file: add --output brief.pdf")
    database = open_db(db)
    _require_schema(database)
    rec = advise_service(
        database,
        asker=asker,
        stages=stage,
        goals=goal,
        countries=country,
        regions=region,
        migrant_groups=migrant_group,
        themes=theme,
        offers=offer,
        limit=limit,
    )
    link_fn = (lambda x: link.replace("{id}", x.id)) if link else None
    if fmt == "table":
        if output is not None:
            raise OutputNeeded("--output needs --format json, md, html or pdf")
        console.print(f"[bold]{rec.question.describe()}[/bold]", highlight=False)
        print_table(TABLE_COLUMNS, table_rows(rec), caption=None)
        if rec.risks_to_watch:
            names = ", ".join(f"{w.name} ({w.id})" for w in rec.risks_to_watch[:8])
            more = f" and {len(rec.risks_to_watch) - 8} more" if len(rec.risks_to_watch) > 8 else ""
            console.print(f"Risks to watch (never partners): {names}{more}", highlight=False, markup=False)
        console.print(rec.evidence_note, highlight=False, markup=False)
        console.print("Full brief: add --format md, html or pdf --output FILE.", style="dim")
        return
    out = render(rec, fmt, link_fn)
    if output is not None:
        if isinstance(out, bytes):
            output.write_bytes(out)
        else:
            output.write_text(out, encoding="utf-8")
        err.print(f"wrote {output} ({len(rec.options)} options)", markup=False, highlight=False)
        return
    assert isinstance(out, str)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
