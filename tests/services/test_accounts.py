"""Accounts: users and roles, argon2 passwords, API tokens and login rate limiting (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher

from migmap.domain.errors import NotFound
from migmap.services.accounts import Accounts, InvalidAccount, LoginRefused, TooManyAttempts, role_at_least

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PW = "a long enough password"


@pytest.fixture
def accounts(db):
    return Accounts(db, max_failures=3, hasher=FAST)


def test_roles_are_ordered():
    assert role_at_least("admin", "editor") and role_at_least("editor", "editor") and role_at_least("viewer", "viewer")
    assert not role_at_least("viewer", "editor") and not role_at_least(None, "viewer") and not role_at_least("root", "viewer")


def test_add_user_hashes_the_password(accounts):
    user = accounts.add_user("ana", "editor", password=PW)
    assert user.role == "editor" and user.password_hash.startswith("$argon2id$")
    assert PW not in user.password_hash and PW not in repr(user)
    assert accounts.authenticate("ana", PW).name == "ana"
    assert [u.name for u in accounts.users()] == ["ana"]


@pytest.mark.parametrize(
    "name, role, password, message",
    [
        ("", "editor", PW, "user name"),
        ("bad name!", "editor", PW, "user name"),
        ("ana", "superuser", PW, "unknown role"),
        ("ana", "editor", "short", "at least 10"),
    ],
)
def test_bad_accounts_are_refused_with_a_reason(accounts, name, role, password, message):
    with pytest.raises(InvalidAccount, match=message):
        accounts.add_user(name, role, password=password)


def test_duplicate_user(accounts):
    accounts.add_user("ana", "viewer", password=PW)
    with pytest.raises(InvalidAccount, match="already exists"):
        accounts.add_user("ana", "editor", password=PW)


def test_wrong_password_and_unknown_user_say_the_same(accounts):
    accounts.add_user("ana", "viewer", password=PW)
    with pytest.raises(LoginRefused) as a:
        accounts.authenticate("ana", "wrong password")
    with pytest.raises(LoginRefused) as b:
        accounts.authenticate("nobody", "wrong password", client="10.0.0.2")
    assert str(a.value) == str(b.value)


def test_too_many_failures_block_the_name_and_the_client(accounts):
    accounts.add_user("ana", "viewer", password=PW)
    for _ in range(3):
        with pytest.raises(LoginRefused):
            accounts.authenticate("ana", "wrong password", client="10.0.0.1")
    with pytest.raises(TooManyAttempts):
        accounts.authenticate("ana", PW, client="10.0.0.9")  # blocked by name, from anywhere
    accounts.add_user("bob", "viewer", password=PW)
    with pytest.raises(TooManyAttempts):
        accounts.authenticate("bob", PW, client="10.0.0.1")  # and the client is blocked for any name
    assert accounts.authenticate("bob", PW, client="10.0.0.2").name == "bob"


def test_the_block_ends_after_the_window(db):
    accounts = Accounts(db, max_failures=1, window=dt.timedelta(seconds=0), hasher=FAST)
    accounts.add_user("ana", "viewer", password=PW)
    with pytest.raises(LoginRefused):
        accounts.authenticate("ana", "wrong password")
    assert accounts.authenticate("ana", PW).name == "ana"


def test_tokens_create_verify_revoke(accounts):
    accounts.add_user("ana", "editor")  # token-only user
    with pytest.raises(LoginRefused):
        accounts.authenticate("ana", "")
    t1, t2 = accounts.create_token("ana"), accounts.create_token("ana")
    assert t1.startswith("mm_") and t1 != t2
    assert accounts.user_for_token(t1).name == "ana"
    assert accounts.user_for_token("mm_not-a-token") is None and accounts.user_for_token("") is None
    assert accounts.revoke_tokens("ana", prefix=t1[:11]) == 1
    assert accounts.user_for_token(t1) is None and accounts.user_for_token(t2).name == "ana"
    assert accounts.revoke_tokens("ana") == 1
    assert accounts.user_for_token(t2) is None
    assert [revoked is not None for _, _, revoked in accounts.tokens("ana")] == [True, True]


def test_unknown_user_operations(accounts):
    with pytest.raises(NotFound, match="migmap user add"):
        accounts.create_token("ghost")
    with pytest.raises(NotFound):
        accounts.set_role("ghost", "admin")


def test_change_role_and_password(accounts):
    accounts.add_user("ana", "viewer", password=PW)
    accounts.set_role("ana", "admin")
    accounts.set_password("ana", "another long password")
    assert accounts.authenticate("ana", "another long password").role == "admin"
