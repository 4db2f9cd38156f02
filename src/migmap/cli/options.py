"""Shared command-line options: the database, output format and the filters of ``list``."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from migmap.domain.filters import Filters, InvalidFilters
from migmap.framework import load_framework


def _dimension_help(dim: Any) -> str:
    codes = dim.codes
    shown = ", ".join(codes) if len(codes) <= 4 else f"a code such as {codes[0]}"
    return f"{dim.label}: {shown}. Repeat the option, or separate codes with commas, for several."


#: CLI option name -> Filters field, with help text: one per dimension of the framework, then places and status.
FILTER_OPTIONS: dict[str, tuple[str, str]] = {
    **{dim.option: (dim.filter, _dimension_help(dim)) for dim in load_framework().dimensions},
    "country": ("countries", "Country: ISO 3166-1 alpha-3 code or name, e.g. DEU or Germany."),
    "region": ("regions", "Region: africa, americas, asia, europe, oceania, middle_east or a UN M49 sub-region (e.g. western_africa)."),
    "status": ("status", "Status: active, ended, unknown."),
}


def build_filters(values: dict[str, Any]) -> Filters:
    """Filters from the values of the filter options (option name -> list of values), through
    :meth:`Filters.from_pairs` like every other adapter; problems name the option (``--stage``)."""
    pairs = [(f"--{opt.replace('_', '-')}", v) for opt in FILTER_OPTIONS for v in values.get(opt) or []]
    pairs += [("--year", values.get("year")), ("--text", values.get("text"))]
    return Filters.from_pairs(pairs, include_proposed=bool(values.get("include_proposed")))


def with_filters(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the filter options of ``migmap list`` to a command; it receives ``filters: Filters``."""
    sig = inspect.signature(func)
    hints = typing.get_type_hints(func, include_extras=True)
    params = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in sig.parameters.values() if p.name != "filters"]
    extra = []
    for opt, (field_name, help_text) in FILTER_OPTIONS.items():
        # --stage and --stages alike: the option and the filter's name (as on the web) both work
        flags = dict.fromkeys(["--" + opt.replace("_", "-"), "--" + field_name.replace("_", "-")])
        extra.append(
            inspect.Parameter(
                opt,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[Optional[list[str]], typer.Option(*flags, help=help_text, rich_help_panel="Filters")],
            )
        )
    extra.append(
        inspect.Parameter(
            "year",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[Optional[int], typer.Option("--year", help="Active in this year.", rich_help_panel="Filters")],
        )
    )
    extra.append(
        inspect.Parameter(
            "text",
            inspect.Parameter.KEYWORD_ONLY,
            default=None,
            annotation=Annotated[Optional[str], typer.Option("--text", help="Words to find in name, description or actors.", rich_help_panel="Filters")],
        )
    )

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name, None) for name in [*FILTER_OPTIONS, "year", "text"]}
        try:
            filters = build_filters(values)
        except InvalidFilters as exc:
            first = exc.problems[0]
            raise typer.BadParameter("; ".join(p.message for p in exc.problems if p.field == first.field), param_hint=first.field)
        return func(*args, filters=filters, **kwargs)

    keyword_params = [p for p in params if p.kind == inspect.Parameter.KEYWORD_ONLY]
    positional = [p for p in params if p.kind != inspect.Parameter.KEYWORD_ONLY]
    new_params = [*positional, *keyword_params, *extra]
    wrapper.__signature__ = sig.replace(parameters=new_params, return_annotation=None)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in new_params}
    return wrapper


DbOption = Annotated[
    Optional[str],
    typer.Option(
        "--db",
        help="Database: a SQLite file path or URL, or postgresql://... (default: $MIGMAP_DATABASE_URL or ./migmap.db).",
        envvar="MIGMAP_DATABASE_URL",
        show_envvar=False,
    ),
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="Output: table or json.")]
