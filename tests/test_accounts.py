"""Tests for drafter.services.accounts."""

import pytest

from drafter.services.accounts import AccountError, authenticate, create_demo_accounts, create_user, set_password
from drafter.store.models import Role, User


def test_create_and_authenticate(db):
    with db.session() as session:
        user = create_user(session, "zhangsan", "张三", "abc12345", [Role.WRITER], "综合一科")
        assert user.password_hash != "abc12345" and user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    with db.session() as session:
        assert authenticate(session, "ZhangSan", "abc12345").display_name == "张三"
        assert authenticate(session, "zhangsan", "wrong-pass1") is None
        assert authenticate(session, "nobody", "abc12345") is None
        session.query(User).one().active = False
    with db.session() as session:
        assert authenticate(session, "zhangsan", "abc12345") is None


@pytest.mark.parametrize("username,password,message", [
    ("张三", "abc12345", "用户名"), ("a b", "abc12345", "用户名"), ("ok", "short1", "至少"),
    ("ok", "12345678", "字母和数字"), ("ok", "abcdefgh", "字母和数字"),
])
def test_bad_accounts_refused(db, username, password, message):
    with db.session() as session, pytest.raises(AccountError, match=message):
        create_user(session, username, "x", password)


def test_duplicate_username_refused_case_insensitively(db):
    with db.session() as session:
        create_user(session, "limh", "李明华", "abc12345")
        with pytest.raises(AccountError, match="已被使用"):
            create_user(session, "LiMH", "李明华", "abc12345")


def test_set_password(db):
    with db.session() as session:
        user = create_user(session, "a1", "甲", "abc12345")
        set_password(user, "new-pass-1")
    with db.session() as session:
        assert authenticate(session, "a1", "new-pass-1")


def test_demo_accounts_created_once(db):
    with db.session() as session:
        accounts = create_demo_accounts(session)
    assert len(accounts) == 7
    roles = [set(a.roles) for a in accounts]
    assert sum(Role.ADMIN in r for r in roles) == 1 and sum(r == {Role.WRITER} for r in roles) == 3
    assert sum(Role.MENTOR in r for r in roles) == 4  # the office head and the section chief review too
    with db.session() as session:
        assert authenticate(session, accounts[0].username, accounts[0].password)
        assert create_demo_accounts(session) == []
