"""One Jinja set-up for every output people read: web pages, reports and advisor briefs.

The filters speak the framework the same way everywhere, dimension first::

    >>> env = environment()
    >>> env.from_string("{{ 'stages'|label('long_term') }} · {{ 'sector'|dim_label }} · {{ 'DEU'|country }} · {{ 0.25|pct }}").render()
    'Long-term options · Sector of lead private actor · Germany · 25%'
"""

from __future__ import annotations

from typing import Any

from jinja2 import BaseLoader, Environment, StrictUndefined, Undefined

from migmap.domain.countries import country_name
from migmap.framework import load_framework

__all__ = ["environment", "install", "label", "dim_label", "safe_country", "pct"]


def label(dimension: str, code: str | None) -> str:
    """The framework label of a code; an unknown code is shown as it is, nothing as nothing."""
    if code is None:
        return ""
    try:
        return load_framework().label(dimension, code)
    except (KeyError, ValueError):
        return str(code)


def dim_label(dimension: str) -> str:
    try:
        return load_framework()[dimension].label
    except KeyError:
        return dimension.replace("_", " ")


def safe_country(code: str | None) -> str:
    if not code:
        return ""
    try:
        return country_name(code)
    except Exception:  # an unknown code is shown as is
        return code


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def install(env: Environment) -> Environment:
    """Register the shared filters and globals on ``env`` (also an environment made by Starlette)."""
    env.filters.update(label=label, dim_label=dim_label, country=safe_country, pct=pct)
    env.globals["framework"] = load_framework
    return env


def environment(loader: BaseLoader | None = None, strict: bool = False, **options: Any) -> Environment:
    """An autoescaping environment with the shared filters (``strict``: undefined names are errors)."""
    env = Environment(loader=loader, autoescape=True, undefined=StrictUndefined if strict else Undefined, **options)
    return install(env)
