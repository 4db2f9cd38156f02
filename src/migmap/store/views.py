"""A view for other tools: one row per initiative, its tags, countries and actors as JSON arrays.

``initiatives_with_tags`` lets Datasette facet the map (``?_facet_array=stages``), and
DuckDB, pandas or a spreadsheet read it without knowing the join tables. It is made from
``framework.yaml`` (one column per dimension) and recreated at every schema upgrade, so a
framework with another dimension gets its column too.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from migmap.framework import load_framework

VIEW = "initiatives_with_tags"

_COLUMNS = "id name description lead_actor actor_type sector start_year end_year status return_type last_verified curation_state version"
_SCALARS = ", ".join(f"i.{c}" for c in _COLUMNS.split())


def _array(dialect: str, column: str, source: str) -> str:
    if dialect == "sqlite":
        return f"(SELECT json_group_array({column}) FROM (SELECT {column} FROM {source} ORDER BY position))"
    return f"(SELECT COALESCE(json_agg({column} ORDER BY position), '[]'::json) FROM {source})"


def view_sql(dialect: str) -> str:
    """The ``CREATE VIEW`` statement for this framework and database."""
    fw = load_framework()
    multi = [d.code for d in fw.dimensions if d.multi]
    columns = [_SCALARS]
    for dim in multi:
        columns.append(f"{_array(dialect, 'code', f'initiative_tags t WHERE t.initiative_id = i.id AND t.dimension = {chr(39)}{dim}{chr(39)}')} AS {dim}")
    columns.append(f"{_array(dialect, 'code', 'initiative_countries c WHERE c.initiative_id = i.id')} AS countries")
    actors = "(SELECT a.name, ia.position FROM initiative_actors ia JOIN actors a ON a.id = ia.actor_id WHERE ia.initiative_id = i.id) x"
    columns.append(f"{_array(dialect, 'name', actors)} AS actors")
    return f"CREATE VIEW {VIEW} AS SELECT {', '.join(columns)} FROM initiatives i"


def drop_view(conn: Connection) -> None:
    """Drop the view (before migrations, which may rebuild the tables it reads)."""
    conn.execute(text(f"DROP VIEW IF EXISTS {VIEW}"))


def create_view(conn: Connection) -> None:
    """(Re)create the view for the current framework."""
    drop_view(conn)
    conn.execute(text(view_sql(conn.dialect.name)))
