"""The web app's commands: `migmap user ...` and `migmap serve` (serving is exercised end to end by
tests/web/test_browser.py, which starts `migmap serve` in a subprocess)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from migmap.cli import app
from migmap.services import Database
from migmap.services.accounts import Accounts

runner = CliRunner()


def _init(url: str) -> None:
    Database(url).init(bundled=False)


def test_user_add_list_token_revoke(sqlite_url):
    _init(sqlite_url)
    r = runner.invoke(app, ["user", "add", "ana", "--role", "editor", "--password-stdin", "--db", sqlite_url], input="a long enough password\n")
    assert r.exit_code == 0, r.output
    assert "added editor ana" in r.output
    r = runner.invoke(app, ["user", "token", "ana", "--db", sqlite_url])
    token = r.output.strip()
    assert r.exit_code == 0 and token.startswith("mm_")
    accounts = Accounts(Database(sqlite_url))
    assert accounts.user_for_token(token).name == "ana"
    assert accounts.authenticate("ana", "a long enough password").role == "editor"
    r = runner.invoke(app, ["user", "list", "--format", "json", "--db", sqlite_url])
    rows = json.loads(r.output)
    assert rows[0]["name"] == "ana" and rows[0]["tokens"] == 1 and rows[0]["password"] is True
    r = runner.invoke(app, ["user", "revoke-token", "ana", "--db", sqlite_url])
    assert "revoked 1 token(s) of ana" in r.output
    assert accounts.user_for_token(token) is None


def test_user_add_errors_are_one_clear_line(sqlite_url, capsys):
    from migmap.cli import main

    _init(sqlite_url)
    import pytest

    with pytest.raises(SystemExit) as exc:
        main(["user", "add", "ana", "--role", "boss", "--no-password", "--db", sqlite_url])
    assert exc.value.code == 2
    assert "unknown role 'boss'; allowed: viewer, editor, admin" in capsys.readouterr().err


def test_every_web_command_has_help_with_an_example():
    for args in (["serve"], ["user", "add"], ["user", "list"], ["user", "token"], ["user", "revoke-token"], ["user", "password"]):
        r = runner.invoke(app, [*args, "--help"])
        assert r.exit_code == 0 and "Example" in r.output, args


def test_serve_refuses_a_database_without_schema(tmp_path):
    r = runner.invoke(app, ["serve", "--db", str(tmp_path / "empty.db"), "--port", "1"])
    assert r.exit_code != 0
    assert "migmap init" in str(r.exception) or "migmap init" in r.output


def test_serve_refuses_an_unknown_log_format_or_level(sqlite_url):
    _init(sqlite_url)
    for option, value in (("--log-format", "xml"), ("--log-level", "loud")):
        r = runner.invoke(app, ["serve", option, value, "--db", sqlite_url])
        assert r.exit_code == 2, r.output
        assert repr(value) in r.output and "Traceback" not in r.output, r.output
