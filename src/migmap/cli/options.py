"""Shared command-line options: the database, output format and the filters of ``list``."""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from migmap.domain.filters import Filters

#: CLI option name -> Filters field, with help text.
FILTER_OPTIONS: dict[str, tuple[str, str]] = {
    "stage": ("stages", "Stage code, e.g. arrival (repeat or comma-separate for several)."),
    "contribution": ("contributions", "Contribution code: funding, expertise, access, advocacy."),
    "business_role": ("business_roles", "Business role code, e.g. employer."),
    "actor_type": ("actor_types", "Lead actor type code, e.g. sme."),
    "sector": ("sectors", "Lead actor sector code, e.g. finance_remittances."),
    "migrant_group": ("migrant_groups", "Migrant group code, e.g. refugees_asylum."),
    "modality": ("modalities", "Modality code, e.g. blended_finance."),
    "public_partner": ("public_partners", "Public partner code, e.g. donor_agency."),
    "theme": ("themes", "Theme code, e.g. employment."),
    "goal": ("goals", "Goal code: safer_migration, migrant_rights, service_quality."),
    "country": ("countries", "ISO 3166-1 alpha-3 country code, e.g. DEU."),
    "region": ("regions", "Region: africa, americas, asia, europe, oceania, middle_east or a UN M49 sub-region."),
    "status": ("status", "Status: active, ended, unknown."),
}


def build_filters(values: dict[str, Any]) -> Filters:
    data: dict[str, Any] = {}
    for opt, (field, _) in FILTER_OPTIONS.items():
        v = values.get(opt)
        if v:
            data[field] = [x for item in v for x in str(item).split(",") if x.strip()]
    if values.get("year"):
        data["year"] = values["year"]
    if values.get("text"):
        data["text"] = values["text"]
    if values.get("include_proposed"):
        data["curation_state"] = ["published", "proposed"]
    return Filters.model_validate(data)


def with_filters(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add the filter options of ``migmap list`` to a command; it receives ``filters: Filters``."""
    sig = inspect.signature(func)
    hints = typing.get_type_hints(func, include_extras=True)
    params = [p.replace(annotation=hints.get(p.name, p.annotation)) for p in sig.parameters.values() if p.name != "filters"]
    extra = []
    for opt, (_, help_text) in FILTER_OPTIONS.items():
        flag = "--" + opt.replace("_", "-")
        extra.append(
            inspect.Parameter(
                opt,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[Optional[list[str]], typer.Option(flag, help=help_text, rich_help_panel="Filters")],
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
        from pydantic import ValidationError

        try:
            filters = build_filters(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first.get("loc", ("",))[0])
            option = next((o for o, (f, _) in FILTER_OPTIONS.items() if f == field), field)
            raise typer.BadParameter(str(first.get("msg", "")).removeprefix("Value error, "), param_hint="--" + option.replace("_", "-"))
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
