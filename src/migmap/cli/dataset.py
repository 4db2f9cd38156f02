"""`migmap data check`: quality and coverage of the bundled map (or of any record files)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from migmap.framework import TAG_DIMENSIONS, load_framework
from migmap.services.datacheck import CODE_MINIMA, REGION_MINIMUM, REGIONS, check_files

from .app import app
from .options import FormatOption
from .output import check_format, console, print_json, print_table

data_app = typer.Typer(help="The bundled dataset: `migmap data check` reports coverage and quality.", no_args_is_help=True)
app.add_typer(data_app, name="data")


@data_app.command("check")
def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Record files to check (default: the bundled map).")] = None,
    no_minima: Annotated[bool, typer.Option("--no-minima", help="Do not require the bundled map's coverage minima.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Coverage per dimension and code, and records to fix: invalid codes, no source,
    near-duplicates, descriptions outside 60-200 words or repeating a source's wording.

    Exits with status 1 when anything needs fixing.

    Example: `migmap data check` or `migmap data check my-batch.yaml --no-minima`
    """
    check_format(fmt)
    report = check_files(paths or [], minima=not no_minima)
    if fmt == "json":
        print_json(report.to_dict())
        raise typer.Exit(0 if report.ok else 1)
    fw = load_framework()
    console.print(f"{report.total} records checked", markup=False)
    for dim in TAG_DIMENSIONS:
        least = CODE_MINIMA.get(dim)
        rows = [
            [fw.label(dim, code), code, n, ("below minimum " + str(least)) if least and n < least and not no_minima else ""]
            for code, n in report.coverage[dim].items()
        ]
        print_table([fw[dim].label, "code", "initiatives", "note"], rows)
    print_table(
        ["region", "initiatives", "note"],
        [[r, n, "" if no_minima or r not in REGIONS or n >= REGION_MINIMUM else f"below minimum {REGION_MINIMUM}"] for r, n in report.regions.items()],
        caption="Asia excludes the Middle East; an initiative counts in every region it touches",
    )
    lv = report.last_verified
    console.print(f"last verified: oldest {lv['oldest']}, newest {lv['newest']}, missing {lv['missing']}", markup=False)
    print_table(
        ["fact", "records", "value", "target", "met"],
        [[k.replace("_", " "), f["records"], f["value"], f["target"], "yes" if f["met"] else "no"] for k, f in report.facts.items()],
        caption="completeness of the facts (targets of the second edition; those met are enforced: two sources, non-English source, started 2022 or later)",
    )
    if report.searches:
        sr = report.searches
        console.print(
            f"search record: {sr['searches']} searches logged, {sr['screened']} candidates screened, {sr['included']} records included; "
            f"{sr['cells_never_searched']} of {sr['cells']} stage x sector cells never searched",
            markup=False,
        )
    sections = [
        ("search record", report.search_problems),
        ("invalid records", [str(p) for p in report.problems]),
        ("below the coverage minima", report.below_minimum),
        ("without sources", report.without_sources),
        ("possible duplicates", [str(d) for d in report.duplicates]),
        ("description length", report.length_outliers),
        ("wording repeated from a source", report.copied_wording),
        ("actors described differently in different records", report.actor_conflicts),
        ("actors that are likely the same organisation", report.actor_duplicates),
    ]
    for title, items in sections:
        if items:
            console.print(f"\n[bold]{title}[/bold] ({len(items)})")
            for item in items:
                console.print(f"  {item}", markup=False, highlight=False)
    if report.not_fingerprinted:
        console.print(f"{report.not_fingerprinted} record(s) have no source fingerprint, so their wording was not compared", markup=False)
    console.print("all checks passed" if report.ok else "some checks failed", markup=False)
    raise typer.Exit(0 if report.ok else 1)


@data_app.command("audit")
def audit(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write a checklist of a new sample here (YAML).")] = None,
    size: Annotated[int, typer.Option("--size", help="How many records to draw.")] = 50,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed and map give the same sample.")] = 1,
    summary: Annotated[Optional[Path], typer.Option("--summary", help="Summarise a checklist that a checker has filled in.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Draw a seeded random sample of the bundled map and write a checklist for an
    independent check (each main fact, its sources, an empty verdict), or summarise a
    filled checklist (share of records right on all main facts, the errors found).

    Example: `migmap data audit --seed 7 --size 50 -o audit.yaml`, then, once checked,
    `migmap data audit --summary audit.yaml`
    """
    import yaml

    from migmap.data import bundled_files
    from migmap.services.audit import checklist, draw_sample, summarise

    check_format(fmt)
    if summary is not None:
        result = summarise(yaml.safe_load(summary.read_text(encoding="utf-8")) or [])
        if fmt == "json":
            print_json(result)
            return
        console.print(
            f"{result['checked']} of {result['records']} records checked; {result['right_on_all_main_facts']} right on all main facts"
            f" ({result['right_share']})",
            markup=False,
        )
        print_table(["record", "fact", "note"], [[e["id"], e["fact"], e["note"]] for e in result["errors"]])
        return
    if output is None:
        raise typer.BadParameter("give --output FILE for a new sample, or --summary FILE for a filled checklist", param_hint="--output")
    records = [r for p in bundled_files() for r in yaml.safe_load(p.read_text(encoding="utf-8"))]
    items = [checklist(r) for r in draw_sample(records, size, seed)]
    output.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    console.print(f"{len(items)} records drawn with seed {seed} into {output}", markup=False)
