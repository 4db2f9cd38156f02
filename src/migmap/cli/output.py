"""Printing: rich tables for people, JSON for programs, progress bars for long work."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

console = Console(soft_wrap=False)
err = Console(stderr=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def print_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], title: str | None = None, caption: str | None = None) -> None:
    table = Table(title=title, caption=caption, show_lines=False, header_style="bold")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*["" if v is None else str(v) for v in r])
    console.print(table)


def check_format(fmt: str, allowed: Sequence[str] = ("table", "json")) -> str:
    if fmt not in allowed:
        import typer

        raise typer.BadParameter(f"{fmt!r}; allowed: {', '.join(allowed)}", param_hint="--format")
    return fmt


@contextlib.contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Any]:
    """Yields ``update(phase, done, total)``; draws a bar on a terminal once the work is large."""
    if not enabled or not err.is_terminal:
        yield lambda phase, done, total: None
        return
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()]
    with Progress(*columns, console=err, transient=True) as bar:
        tasks: dict[str, Any] = {}

        def update(phase: str, done: int, total: int) -> None:
            if total < 200:
                return
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase.capitalize(), total=total)
            bar.update(tasks[phase], completed=done, total=total)

        yield update
