"""`migmap actors`: one actor per organisation (likely duplicates, merging two, one actor's names and offices)."""

from __future__ import annotations

from typing import Annotated

import typer

from migmap.domain.actors import SIMILARITY_CUTOFF
from migmap.domain.errors import NotFound
from migmap.services import actors as actor_service

from .app import _require_schema, app, open_db
from .options import DbOption, FormatOption
from .output import check_format, console, print_json, print_table

actors_app = typer.Typer(
    help="Actors: `migmap actors duplicates` lists likely duplicates, `migmap actors merge A B` merges B into A.",
    no_args_is_help=True,
)
app.add_typer(actors_app, name="actors")


@actors_app.command("duplicates")
def duplicates(
    db: DbOption = None,
    cutoff: Annotated[
        float, typer.Option("--cutoff", min=50, max=100, help="Similarity (0-100) above which names starting with the same word are listed.")
    ] = SIMILARITY_CUTOFF,
    fmt: FormatOption = "table",
) -> None:
    """List pairs of actors that are likely one organisation: the same name apart from case,
    accents, "The", legal forms or an acronym in parentheses; an acronym and its full name;
    or very similar names. Country offices of an actor are not listed.

    Example: `migmap actors duplicates`, then `migmap actors merge "International Rescue Committee (IRC)" "International Rescue Committee"`
    """
    check_format(fmt)
    database = open_db(db)
    _require_schema(database)
    found = actor_service.duplicates(database, cutoff=cutoff)
    if fmt == "json":
        print_json({"total": len(found), "duplicates": [d.to_dict() for d in found]})
        return
    print_table(
        ["actor", "initiatives", "likely the same as", "initiatives", "why"],
        [
            [d.pair.a, d.a_initiatives, d.pair.b, d.b_initiatives, d.pair.reason + (f" ({d.pair.score:.0f})" if d.pair.reason == "similar" else "")]
            for d in found
        ],
        caption=f"{len(found)} likely duplicate pair(s)",
    )


@actors_app.command("merge")
def merge(
    keep: Annotated[str, typer.Argument(metavar="A", help="The actor to keep (its name stays).")],
    other: Annotated[str, typer.Argument(metavar="B", help="The actor merged into A (its name becomes an alias of A).")],
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Merge actor B into actor A in one transaction: B's initiatives name A instead (each gets
    a new version and a revision), B's name and aliases become aliases of A, B's offices
    become A's. Nothing changes when either name is unknown.

    Example: `migmap actors merge "International Organization for Migration (IOM)" "IOM"`
    """
    check_format(fmt)
    database = open_db(db)
    _require_schema(database)
    result = actor_service.merge(database, keep, other)
    if fmt == "json":
        print_json(result.to_dict())
        return
    n = len(result.initiatives)
    console.print(f"merged {result.merged!r} into {result.kept!r}: {n} initiative{'s' if n != 1 else ''} re-pointed", markup=False)
    if result.aliases:
        console.print(f"aliases of {result.kept!r}: {'; '.join(result.aliases)}", markup=False)


@actors_app.command("show")
def show(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The actor's name or one of its aliases.")],
    db: DbOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Show one actor: its attributes, other names, the organisation it is an office of and its offices.

    Example: `migmap actors show IOM`
    """
    check_format(fmt)
    database = open_db(db)
    _require_schema(database)
    found = actor_service.actor(database, name)
    if found is None:
        raise NotFound(f"no actor named {name!r}")
    if fmt == "json":
        print_json(found)
        return
    rows = [[k, "; ".join(v) if isinstance(v, list) else ("" if v is None else v)] for k, v in found.items()]
    print_table(["field", "value"], rows)
