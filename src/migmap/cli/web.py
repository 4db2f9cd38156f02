"""Commands of the web application: ``serve`` and ``user`` (add, list, token, revoke-token, password)."""

from __future__ import annotations

import secrets
import sys
from typing import Annotated, Optional

import typer

from migmap.config import Settings

from .app import _require_schema, app, open_db
from .options import DbOption, FormatOption
from .output import check_format, console, err, print_json, print_table

user_app = typer.Typer(
    help="Accounts of the web app: `migmap user add ana --role editor`, then `migmap user token ana` for the API.",
    no_args_is_help=True,
)
app.add_typer(user_app, name="user")

DEFAULT_SECRET = Settings.model_fields["secret_key"].default


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option("--host", help="Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface).")] = None,
    port: Annotated[Optional[int], typer.Option("--port", min=1, max=65535, help="Port (default 8000).")] = None,
    db: DbOption = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes (needs MIGMAP_SECRET_KEY when more than 1).")] = 1,
    log_level: Annotated[str, typer.Option("--log-level", help="critical, error, warning, info or debug.")] = "info",
    log_format: Annotated[
        Optional[str],
        typer.Option("--log-format", help="text (default) or json: one JSON object per line, with request id, status, duration and user (MIGMAP_LOG_FORMAT)."),
    ] = None,
) -> None:
    """Serve the web application (pages, gap map, curation, and the JSON API under /api).

    Set `MIGMAP_SECRET_KEY` to keep sessions valid across restarts.

    Example: `migmap serve --host 127.0.0.1 --port 8000` then open http://127.0.0.1:8000

    Team example: `MIGMAP_SECRET_KEY=... migmap serve --db postgresql://migmap@db/migmap --workers 4 --log-format json`
    """
    import uvicorn

    from migmap.web import create_app
    from migmap.web.logs import log_config

    settings = Settings()
    if db:
        settings = settings.model_copy(update={"database_url": db})
    host = host or settings.host
    port = port or settings.port
    if settings.secret_key == DEFAULT_SECRET:
        if workers > 1:
            err.print("error: set MIGMAP_SECRET_KEY to serve with several workers (they must share it)", markup=False)
            raise typer.Exit(2)
        settings = settings.model_copy(update={"secret_key": secrets.token_urlsafe(32)})
        err.print("note: MIGMAP_SECRET_KEY is not set; sessions end when the server stops", markup=False)
    try:
        logs = log_config((log_format or settings.log_format).lower(), log_level)
    except ValueError as exc:
        err.print(f"error: {exc} (see --log-format and --log-level)", markup=False)
        raise typer.Exit(2) from None
    logging_options = {"log_config": logs, "log_level": log_level, "access_log": False}
    database = open_db(settings.database_url)
    _require_schema(database)
    database.upgrade()
    database.close()
    console.print(f"serving {database.url} on http://{host}:{port} (Ctrl+C to stop)", markup=False, highlight=False)
    if workers > 1:
        import os

        os.environ["MIGMAP_DATABASE_URL"] = settings.database_url
        os.environ["MIGMAP_SECRET_KEY"] = settings.secret_key
        uvicorn.run("migmap.web.app:create_app", factory=True, host=host, port=port, workers=workers, **logging_options)
    else:
        uvicorn.run(create_app(settings), host=host, port=port, **logging_options)


def _accounts(db: Optional[str]):
    from migmap.services.accounts import Accounts

    database = open_db(db)
    _require_schema(database)
    database.upgrade()  # accounts live in migration 0002
    return Accounts(database)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ -).")],
    role: Annotated[str, typer.Option("--role", help="viewer, editor or admin.")] = "viewer",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input (for scripts).")] = False,
    no_password: Annotated[bool, typer.Option("--no-password", help="No password: the user can only use API tokens.")] = False,
    db: DbOption = None,
) -> None:
    """Add a user of the web app. The password is hashed with argon2.

    Example: `migmap user add ana --role editor` (asks for the password) or
    `echo "$PASSWORD" | migmap user add ana --role editor --password-stdin`
    """
    accounts = _accounts(db)
    password: Optional[str] = None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif not no_password:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    user = accounts.add_user(name, role, password)
    console.print(f"added {user.role} {user.name}", markup=False, highlight=False)


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="User name.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input.")] = False,
    db: DbOption = None,
) -> None:
    """Set a user's password.

    Example: `migmap user password ana`
    """
    accounts = _accounts(db)
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else typer.prompt("password", hide_input=True, confirmation_prompt=True)
    accounts.set_password(name, password)
    console.print(f"password of {name} changed", markup=False, highlight=False)


@user_app.command("list")
def user_list(db: DbOption = None, fmt: FormatOption = "table") -> None:
    """List the users with their roles and API tokens.

    Example: `migmap user list --format json`
    """
    check_format(fmt)
    accounts = _accounts(db)
    users = accounts.users()
    rows = []
    for u in users:
        tokens = accounts.tokens(u.name)
        active = sum(1 for _, _, revoked in tokens if revoked is None)
        rows.append(
            {"name": u.name, "role": u.role, "active": u.active, "password": bool(u.password_hash), "tokens": active, "created_at": u.created_at.isoformat()}
        )
    if fmt == "json":
        print_json(rows)
        return
    print_table(
        ["name", "role", "password", "active tokens", "created"],
        [[r["name"], r["role"], "yes" if r["password"] else "no", r["tokens"], r["created_at"][:10]] for r in rows],
        caption=f"{len(rows)} user(s)",
    )


@user_app.command("token")
def user_token(name: Annotated[str, typer.Argument(help="User name.")], db: DbOption = None) -> None:
    """Create an API token for a user and print it (once: only its hash is kept).

    Use it as `Authorization: Bearer TOKEN`.

    Example: `migmap user token ana`
    """
    token = _accounts(db).create_token(name)
    sys.stdout.write(token + "\n")


@user_app.command("revoke-token")
def user_revoke_token(
    name: Annotated[str, typer.Argument(help="User name.")],
    prefix: Annotated[
        Optional[str], typer.Option("--prefix", help="Only the token starting with this (see `user list`); default: all of the user's tokens.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Revoke a user's API tokens (all, or one by its first characters).

    Example: `migmap user revoke-token ana`
    """
    n = _accounts(db).revoke_tokens(name, prefix)
    console.print(f"revoked {n} token(s) of {name}", markup=False, highlight=False)
