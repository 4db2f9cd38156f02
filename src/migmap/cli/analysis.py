"""Analysis commands: map, gaps, bias, network, geo, trends and report.

Each takes the filters of `migmap list`, so any slice of the map can be analysed.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from migmap.analysis.wording import dimension_label, label
from migmap.domain.countries import country_name
from migmap.domain.errors import MigmapError
from migmap.domain.filters import Filters
from migmap.framework import TAG_DIMENSIONS

from .app import _require_schema, app, open_db
from .options import DbOption, with_filters
from .output import check_format, console, print_json, print_table, progress_bar

DIMS = ", ".join(TAG_DIMENSIONS)
RowsOption = Annotated[str, typer.Option("--rows", help=f"Dimension of the rows: {DIMS}.")]
ColsOption = Annotated[str, typer.Option("--cols", help=f"Dimension of the columns: {DIMS}.")]
OutputOption = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of the terminal.")]


class OutputRequired(MigmapError):
    exit_code = 2


def _db(db: Optional[str]):
    database = open_db(db)
    _require_schema(database)
    return database


class _Services:
    """``migmap.services.analysis``, imported on first use so other commands start fast."""

    def __getattr__(self, name: str):
        from migmap.services import analysis

        return getattr(analysis, name)


svc = _Services()


def _write(text_or_bytes: str | bytes, output: Optional[Path]) -> None:
    if output is None:
        if isinstance(text_or_bytes, bytes):
            raise OutputRequired("binary output needs a file: add --output PATH")
        sys.stdout.write(text_or_bytes if text_or_bytes.endswith("\n") else text_or_bytes + "\n")
        return
    if not output.parent.exists():
        raise OutputRequired(f"cannot write {output}: the folder {output.parent} does not exist")
    if isinstance(text_or_bytes, bytes):
        output.write_bytes(text_or_bytes)
    else:
        output.write_text(text_or_bytes, encoding="utf-8")
    console.print(f"wrote {output}", markup=False)


def _chart_out(chart, fmt: str, output: Optional[Path]) -> None:
    from migmap import charts

    if fmt == "png":
        _write(charts.to_png(chart), output)
    elif fmt == "svg":
        _write(charts.to_svg(chart), output)
    elif fmt == "html":
        _write(charts.to_html(chart), output)
    else:  # vega-lite
        _write(json.dumps(charts.spec(chart), indent=2), output)


@app.command("map")
@with_filters
def map_(
    db: DbOption = None,
    rows: RowsOption = "stages",
    cols: ColsOption = "actor_type",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv, html, png, svg or vega-lite.")] = "table",
    output: OutputOption = None,
    no_ids: Annotated[bool, typer.Option("--no-ids", help="JSON/CSV without the initiative ids of each cell.")] = False,
    filters: Filters = Filters(),
) -> None:
    """The gap map: how many initiatives combine each pair of codes of two dimensions.

    An initiative tagged with two stages counts once in each. Cells carry their count,
    the ids and the share of the row.

    Example: `migmap map --rows stages --cols contributions --region africa --format png -o map.png`
    """
    check_format(fmt, ("table", "json", "csv", "html", "png", "svg", "vega-lite"))
    gm = svc.compute_gap_map(_db(db), rows, cols, filters, with_ids=not no_ids)
    if fmt == "json":
        _write(json.dumps(gm.to_dict(with_ids=not no_ids), ensure_ascii=False, indent=2), output)
    elif fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["row", "col", "count", "row_share"] + ([] if no_ids else ["ids"]))
        for c in gm.cells_in_scope:
            w.writerow([c.row, c.col, c.count, f"{c.row_share:.4f}"] + ([] if no_ids else [";".join(c.ids)]))
        _write(buf.getvalue(), output)
    elif fmt == "table":
        header = [dimension_label(gm.rows_dim)] + [label(gm.cols_dim, c) for c in gm.cols_in_scope] + ["Total"]
        body = [[label(gm.rows_dim, r)] + [gm.cell(r, c).count for c in gm.cols_in_scope] + [gm.row_totals[r]] for r in gm.rows_in_scope]
        print_table(header, body, title=f"{dimension_label(gm.rows_dim)} × {dimension_label(gm.cols_dim)}", caption=gm.message)
    else:
        from migmap.charts import heatmap

        _chart_out(heatmap(gm), fmt, output)


@app.command()
@with_filters
def gaps(
    db: DbOption = None,
    rows: RowsOption = "stages",
    cols: ColsOption = "actor_type",
    thin: Annotated[int, typer.Option("--thin", min=0, help="Cells with at most this many initiatives are thin.")] = 2,
    z: Annotated[float, typer.Option("--z", help="Residual at or below which a cell is 'far below expectation'.")] = -2.0,
    min_expected: Annotated[float, typer.Option("--min-expected", min=0, help="List empty/thin cells only where at least this many were expected.")] = 1.0,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many gaps.")] = 20,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    filters: Filters = Filters(),
) -> None:
    """Gaps: empty and thin cells, and cells far below what the margins predict, ranked.

    Each gap comes with a plain sentence; a note says how many records in the slice
    were verified, so 'nothing mapped' can be told from 'little curated'.

    Example: `migmap gaps --rows stages --cols business_roles --region africa`
    """
    check_format(fmt)
    report = svc.compute_gaps(_db(db), rows, cols, filters, thin=thin, z=z, limit=limit, min_expected=min_expected)
    if fmt == "json":
        print_json(report.to_dict())
        return
    console.print(report.message, markup=False)
    if report.gaps:
        searched = bool(report.searches)
        print_table(
            ["#", "kind", "count", "expected", "residual", "gap", *(["search record"] if searched else [])],
            [
                [i, g.kind, g.count, f"{g.expected:.1f}", f"{g.residual:.1f}", g.sentence, *([report.searches[(g.row, g.col)].sentence] if searched else [])]
                for i, g in enumerate(report.gaps, 1)
            ],
        )
    for note in report.notes:
        console.print(note, markup=False)


@app.command()
@with_filters
def bias(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, png or svg (png/svg: contribution mix per stage).")] = "table",
    output: OutputOption = None,
    filters: Filters = Filters(),
) -> None:
    """Funder bias: the share of initiatives where business only brings money.

    Overall and by stage, actor type, sector, public partner and start year, each with a
    95% bootstrap interval (fixed seed), and the mix of contributions per stage.

    Example: `migmap bias --region europe` or `migmap bias --format png -o mix.png`
    """
    check_format(fmt, ("table", "json", "png", "svg"))
    result = svc.compute_bias(_db(db), filters)
    if fmt == "json":
        _write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str), output)
        return
    if fmt in ("png", "svg"):
        from migmap.charts import contribution_mix

        _chart_out(contribution_mix(result), fmt, output)
        return
    console.print(result.finding, markup=False)
    for dim, groups in result.by.items():
        rows = [
            [
                label(dim, code) if dim != "start_year" else code,
                p.n,
                p.k,
                "–" if p.share is None else f"{p.share:.0%}",
                "–" if p.low is None else f"{p.low:.0%}–{p.high:.0%}",
            ]
            for code, p in groups.items()
        ]
        if rows:
            print_table([dim, "initiatives", "funding only", "share", "95% interval"], rows)
    mix = result.mix
    print_table(
        ["stage"] + [label("contributions", c) for c in mix.cols],
        [[label("stages", r)] + [f"{mix.cell(r, c).count} ({mix.cell(r, c).row_share:.0%})" for c in mix.cols] for r in mix.rows],
        title="Contributions per stage (share of the stage's initiatives)",
    )


@app.command()
@with_filters
def network(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, graphml, png or svg.")] = "table",
    output: OutputOption = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Actors to list in the table.")] = 15,
    filters: Filters = Filters(),
) -> None:
    """The network of actors and initiatives: degree, betweenness, bridging actors, communities.

    Example: `migmap network --format graphml -o actors.graphml` or `migmap network --stage return_reintegration`
    """
    check_format(fmt, ("table", "json", "graphml", "png", "svg"))
    net = svc.compute_network(_db(db), filters)
    if fmt == "json":
        _write(json.dumps(net.to_dict(), ensure_ascii=False, indent=2), output)
    elif fmt == "graphml":
        _write(net.to_graphml(), output)
    elif fmt in ("png", "svg"):
        from migmap.charts import network_picture

        _chart_out(network_picture(net), fmt, output)
    else:
        console.print(net.message, markup=False)
        print_table(
            ["actor", "kind", "initiatives", "partners", "stages", "betweenness", "community"],
            [[a.name, a.kind, a.initiatives, a.partners, len(a.stages), f"{a.betweenness:.3f}", a.community] for a in net.top("betweenness", top)],
            title="Most connecting actors",
        )
        bridges = net.bridging()
        if bridges:
            print_table(
                ["actor", "stages"], [[a.name, ", ".join(label("stages", s) for s in a.stages)] for a in bridges[:top]], title="Actors bridging several stages"
            )


@app.command()
@with_filters
def geo(
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, png or svg (png/svg: world map).")] = "table",
    output: OutputOption = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Countries and corridors to list.")] = 20,
    filters: Filters = Filters(),
) -> None:
    """Geography: initiatives per country and per origin→destination corridor, by stage.

    Example: `migmap geo --stage arrival` or `migmap geo --format png -o world.png`
    """
    check_format(fmt, ("table", "json", "png", "svg"))
    result = svc.compute_geography(_db(db), filters)
    if fmt == "json":
        _write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), output)
        return
    if fmt in ("png", "svg"):
        from migmap.charts import choropleth

        _chart_out(choropleth(result), fmt, output)
        return
    console.print(result.message, markup=False)
    from migmap.framework import load_framework

    stages = load_framework()["stages"].codes
    print_table(
        ["country", "code", "initiatives"] + [label("stages", s) for s in stages],
        [[name, code, n] + [result.country_stages.get((code, s), 0) for s in stages] for code, name, n in result.top_countries(top)],
        title="Initiatives per country (any role) and stage",
    )
    if result.corridors:
        print_table(
            ["origin", "destination", "initiatives"],
            [[country_name(o), country_name(d), n] for o, d, n in result.top_corridors(top)],
            title="Corridors",
        )


@app.command()
@with_filters
def trends(
    db: DbOption = None,
    by: Annotated[str, typer.Option("--by", help=f"Dimension to break years down by: {DIMS}.")] = "stages",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, png or svg.")] = "table",
    output: OutputOption = None,
    filters: Filters = Filters(),
) -> None:
    """Initiatives started per year, by stage (or another dimension).

    Example: `migmap trends --region africa` or `migmap trends --format png -o timeline.png`
    """
    check_format(fmt, ("table", "json", "png", "svg"))
    result = svc.compute_trends(_db(db), by, filters)
    if fmt == "json":
        _write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), output)
        return
    if fmt in ("png", "svg"):
        from migmap.charts import timeline

        _chart_out(timeline(result), fmt, output)
        return
    console.print(result.message, markup=False)
    print_table(
        ["year", "started"] + [label(by, c) for c in result.codes],
        [[y, result.per_year.get(y, 0)] + [result.count(y, c) for c in result.codes] for y in result.years],
    )


@app.command()
@with_filters
def report(
    db: DbOption = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The report file (its suffix gives the format unless --format is set).")] = Path(
        "migmap-report.html"
    ),
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="html, pdf or md.")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Title of the report.")] = None,
    filters: Filters = Filters(),
) -> None:
    """A report of the whole map or a slice: gap map, gaps, funder bias, geography, network, initiatives.

    HTML is self-contained (charts embedded); PDF goes through WeasyPrint; Markdown writes
    its charts to a `<name>_charts/` folder next to it.

    Example: `migmap report --stage arrival --format pdf --output arrival.pdf`
    """
    if fmt is not None:
        check_format(fmt, ("html", "pdf", "md"))
    database = _db(db)
    with progress_bar() as update:
        path = svc.write_report(database, output, fmt, filters, title, progress=update)
    console.print(f"wrote {path}", markup=False)
