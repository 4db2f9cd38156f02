"""The ``migmap tag`` commands: tag texts, files and JSONL batches; train and evaluate the tagger.

``migmap tag ...`` without a subcommand name means ``migmap tag run ...``, so both
``migmap tag --input IN.jsonl --output OUT.jsonl`` and ``migmap tag report.pdf`` work.
A file literally called ``train``, ``evaluate`` or ``run`` is written ``./train``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import click
import typer
from typer.core import TyperGroup

from .app import _require_schema, app, open_db
from .options import DbOption
from .output import check_format, console, err, print_json, print_table


class _DefaultRunGroup(TyperGroup):
    """Dispatch ``migmap tag ARGS`` to ``run`` unless ARGS start with a subcommand name."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in ("--help", "-h") and len(args) == 1:
            return super().parse_args(ctx, args)
        if not args or args[0] not in self.commands:
            args = ["run", *args]
        return super().parse_args(ctx, args)


tag_app = typer.Typer(
    cls=_DefaultRunGroup,
    help=(
        "The auto-tagger: read texts, propose tagged initiatives.\n\n"
        "`migmap tag FILES...` (.txt, .html, .pdf or folders) prints a table; add `--propose` to put the "
        "drafts in the review queue. `migmap tag --input IN.jsonl --output OUT.jsonl` tags a JSONL batch "
        "(add `--workers 2` or `--scheduler tcp://host:8786` for Dask). `migmap tag train` retrains from the "
        "database; `migmap tag evaluate` prints scores against the keyword baseline.\n\n"
        "Example: `migmap tag report.pdf --propose --source-url https://example.org/report.pdf`"
    ),
    no_args_is_help=False,
    rich_markup_mode="markdown",
)
app.add_typer(tag_app, name="tag")

ModelOption = Annotated[Optional[Path], typer.Option("--model", help="A model file from `migmap tag train --output` (default: the shipped model).")]


def _model(path: Optional[Path]) -> Any:
    from migmap.tagging.model_io import load_model

    return load_model(path)


@tag_app.command("run")
def run(
    files: Annotated[Optional[list[Path]], typer.Argument(help="Text, HTML or PDF files, or folders of them.", show_default=False)] = None,
    input: Annotated[Optional[Path], typer.Option("--input", "-i", help='JSONL file of {"id", "title", "text"} lines.')] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="JSONL output (with --input); one line per input line, same order.")] = None,
    model: ModelOption = None,
    workers: Annotated[Optional[int], typer.Option("--workers", help="Run on a local Dask cluster with this many worker processes.")] = None,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Run on the Dask scheduler at this address, e.g. tcp://10.0.0.5:8786.")] = None,
    chunk_size: Annotated[int, typer.Option("--chunk-size", min=1, help="Lines tagged together (memory grows with it, not with the file).")] = 500,
    propose: Annotated[bool, typer.Option("--propose", help="Put each draft into the review queue (curation state 'proposed').")] = False,
    source_url: Annotated[Optional[str], typer.Option("--source-url", help="Web address of the document(s), recorded as the source of proposals.")] = None,
    db: DbOption = None,
    fmt: Annotated[str, typer.Option("--format", help="table or json (for files).")] = "table",
) -> None:
    """Tag files or a JSONL batch (the default command of `migmap tag`).

    Files: each short document is one draft; a long one is split into passages and one draft
    is made per initiative found, with its pages. Problems (unreadable PDF, empty or
    non-English text) name the file; the rest goes on and the skipped count is printed.

    JSONL: `{"id", "title", "text"}` per line in, the tag contract per line out (a line that
    cannot be tagged gets `{"id", "line", "error"}`); streamed in chunks.

    Examples: `migmap tag --input in.jsonl --output out.jsonl --workers 2` ·
    `migmap tag reports/ --format json` · `migmap tag brief.html --propose`
    """
    if input is not None:
        if files:
            raise typer.BadParameter("give either --input (JSONL) or files, not both", param_hint="FILES")
        if output is None:
            raise typer.BadParameter("--output is required with --input", param_hint="--output")
        if propose:
            raise typer.BadParameter("--propose works with files, not with --input", param_hint="--propose")
        _run_batch(input, output, model, workers, scheduler, chunk_size)
        return
    if not files:
        raise typer.BadParameter("give files or folders to tag, or --input IN.jsonl --output OUT.jsonl", param_hint="FILES")
    if workers is not None or scheduler is not None:
        raise typer.BadParameter("--workers and --scheduler apply to --input batches", param_hint="--workers")
    _run_files(files, model, propose, source_url, db, check_format(fmt))


def _run_batch(input: Path, output: Path, model: Optional[Path], workers: Optional[int], scheduler: Optional[str], chunk_size: int) -> None:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from migmap.tagging.batch import tag_file

    tagger = _model(model)
    shown = 0

    def on_problem(msg: str) -> None:
        nonlocal shown
        shown += 1
        if shown <= 20:
            err.print(f"skipped: {msg}", markup=False, highlight=False)
        elif shown == 21:
            err.print("skipped: ... (more problems not shown; see the error lines in the output)", markup=False)

    if err.is_terminal:
        columns = [TextColumn("Tagging"), BarColumn(), TextColumn("{task.completed} lines"), TimeElapsedColumn()]
        with Progress(*columns, console=err, transient=True) as bar:
            task = bar.add_task("tag", total=None)
            report = tag_file(
                input,
                output,
                tagger,
                chunk_size=chunk_size,
                workers=workers,
                scheduler=scheduler,
                on_problem=on_problem,
                progress=lambda lines: bar.update(task, completed=lines),
            )
    else:
        report = tag_file(input, output, tagger, chunk_size=chunk_size, workers=workers, scheduler=scheduler, on_problem=on_problem)
    console.print(f"tagged {report.tagged} of {report.read} line(s) into {output}; skipped {report.skipped}", markup=False, highlight=False)


def _run_files(files: list[Path], model: Optional[Path], propose: bool, source_url: Optional[str], db: Optional[str], fmt: str) -> None:
    from migmap.services.tagging import draft_record, tag_documents
    from migmap.services.tagging import propose as propose_drafts

    from .output import progress_bar

    tagger = _model(model)
    with progress_bar() as update:
        report = tag_documents(files, tagger, on_problem=lambda m: err.print(f"skipped: {m}", markup=False, highlight=False), progress=update)
    if propose and report.results:
        for r in report.results:  # fail before writing anything when a source is missing
            draft_record(r, source_url)
        database = open_db(db)
        _require_schema(database)
        added = propose_drafts(database, report.results, source_url)
    else:
        added = []
    if fmt == "json":
        print_json(
            {
                "results": [
                    {"file": str(r.path), "pages": r.pages, "title": r.title, "organisation": r.organisation, "relevance": r.relevance, **r.tags}
                    for r in report.results
                ],
                "proposed": [a.id for a in added],
                "skipped": report.skipped,
            }
        )
    else:
        rows = []
        for r in report.results:
            t = r.tags
            rows.append(
                [
                    r.where,
                    _short(r.title, 40),
                    r.organisation or "",
                    ", ".join(t["stages"]),
                    ", ".join(t["migrant_groups"]),
                    ", ".join(t["contributions"]),
                    ", ".join(t["business_roles"]),
                    f"{t['actor_type']} / {t['sector']}",
                    ", ".join(t["modalities"]),
                    ", ".join(t["countries"][:5]),
                ]
            )
        if rows:
            print_table(["source", "draft", "lead actor?", "stages", "groups", "contributions", "roles", "actor / sector", "modalities", "countries"], rows)
        console.print(f"{len(report.results)} draft(s) from {report.documents} document(s); skipped {len(report.skipped)}", markup=False, highlight=False)
        if added:
            console.print(f"proposed {len(added)} record(s) for review: {', '.join(a.id for a in added)}", markup=False, highlight=False)
    if not report.results and report.skipped:
        raise typer.Exit(1)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


@tag_app.command("train")
def train(
    db: DbOption = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Where to save the model (default: replace the shipped model).")] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Train on the bundled dataset instead of the database.")] = False,
    all_records: Annotated[bool, typer.Option("--all", help="Also learn from the held-out tenth (then it no longer measures anything).")] = False,
) -> None:
    """Retrain the tagger from the published records of the database.

    The held-out tenth (a stable hash of each id) is left out unless --all is given.

    Example: `migmap tag train --output team-model.joblib` then `migmap tag --model team-model.joblib ...`
    """
    from migmap.services.tagging import train as run_train

    database = None
    if not bundled:
        database = open_db(db)
        _require_schema(database)
    with err.status("training the tagger ..."):
        report = run_train(database, output=output, hold_out=not all_records)
    console.print(
        f"trained on {report.trained_on} record(s) from {report.source} (held out {report.held_out}); saved {report.path}", markup=False, highlight=False
    )


@tag_app.command("evaluate")
def evaluate(
    folds: Annotated[int, typer.Option("--folds", min=2, max=20, help="Cross-validation folds.")] = 5,
    db: DbOption = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Evaluate on the bundled dataset instead of the database.")] = False,
    labels: Annotated[bool, typer.Option("--labels/--no-labels", help="Also print precision and recall per label.")] = True,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Score the tagger against the keyword baseline: K-fold CV and the held-out tenth.

    Prints micro and macro F1 per dimension, and precision and recall per label.

    Example: `migmap tag evaluate --folds 5 --bundled`
    """
    from migmap.services.tagging import evaluate as run_eval
    from migmap.tagging.evaluation import AIMS

    fmt = check_format(fmt)
    database = None
    if not bundled:
        database = open_db(db)
        _require_schema(database)
    with err.status("cross-validating ..."):
        ev = run_eval(database, folds=folds)
    if fmt == "json":
        print_json(ev.to_dict())
        return
    settings = list(ev.scores)
    cols = ["dimension"]
    for s in settings:
        for m in ev.scores[s]:
            cols += [f"{s} {m} micro", f"{s} {m} macro"]
    cols.append("aim (macro)")
    rows = []
    for dim in ev.scores["cv"]["model"]:
        row: list[Any] = [dim]
        for s in settings:
            for m in ev.scores[s]:
                sc = ev.scores[s][m][dim]
                row += [f"{sc.micro_f1:.3f}", f"{sc.macro_f1:.3f}"]
        row.append(AIMS.get(dim, ""))
        rows.append(row)
    print_table(cols, rows, title=f"F1 on {ev.n_records} records: {folds}-fold CV on {ev.n_records - ev.n_held_out}, held-out tenth {ev.n_held_out}")
    if labels:
        rows = []
        for dim, sc in ev.scores["cv"]["model"].items():
            base = ev.scores["cv"]["baseline"][dim].per_label
            for code, (p, r, n) in sc.per_label.items():
                bp, br, _ = base.get(code, (0.0, 0.0, n))
                rows.append([dim, code, n, f"{p:.2f}", f"{r:.2f}", f"{bp:.2f}", f"{br:.2f}"])
        print_table(["dimension", "code", "support", "precision", "recall", "baseline P", "baseline R"], rows, title="Per label (cross-validation)")
    c = ev.countries
    console.print("countries (gazetteer vs recorded countries): " + "; ".join(f"{k} precision {p:.2f} recall {r:.2f}" for k, (p, r) in c.items()), markup=False)
