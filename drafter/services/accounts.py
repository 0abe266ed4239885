"""User accounts: creation with hashed passwords, password checks, the demo accounts."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from drafter.store.models import Role, User


class AccountError(Exception):
    """An account could not be created or changed; the message is Chinese."""


MIN_PASSWORD_LENGTH = 8


def create_user(session: Session, username: str, display_name: str, password: str,
                roles: Iterable[Role | str] = (Role.WRITER,), unit: str | None = None) -> User:
    """Create an active user with a hashed password."""
    username = username.strip()
    if not username or not username.isascii() or not username.replace("_", "").replace(".", "").isalnum():
        raise AccountError("用户名只能由英文字母、数字、点和下划线组成")
    if session.scalar(select(User).where(func.lower(User.username) == username.lower())):
        raise AccountError(f"用户名“{username}”已被使用")
    check_password_strength(password)
    user = User(username=username, display_name=display_name.strip() or username,
                password_hash=generate_password_hash(password), unit=unit, active=True)
    user.roles = {Role(r) for r in roles}
    if not user.roles:
        raise AccountError("至少要选择一个角色")
    session.add(user)
    session.flush()
    return user


def check_password_strength(password: str) -> None:
    """Refuse passwords that are too short or all one kind of character."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"密码至少需要 {MIN_PASSWORD_LENGTH} 位")
    if password.isdigit() or password.isalpha():
        raise AccountError("密码需同时包含字母和数字")


def set_password(user: User, password: str) -> None:
    """Replace a user's password (hashed)."""
    check_password_strength(password)
    user.password_hash = generate_password_hash(password)


def verify_password(user: User, password: str) -> bool:
    """Whether ``password`` is the user's password."""
    return check_password_hash(user.password_hash, password)


@functools.cache
def _dummy_hash() -> str:
    """A hash to check unknown user names against, so they take as long as wrong passwords."""
    return generate_password_hash(secrets.token_hex(8))


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, else None (same answer for unknown user and bad password)."""
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None or not user.active:
        check_password_hash(_dummy_hash(), password)  # same work either way
        return None
    return user if verify_password(user, password) else None


@dataclass(frozen=True)
class DemoAccount:
    """A demo account and its one-time password."""

    username: str
    display_name: str
    roles: tuple[Role, ...]
    unit: str
    password: str


#: The demo office: one admin (office head), two mentors, a section chief (科长) who signs off, three writers.
DEMO_PEOPLE: tuple[tuple[str, str, tuple[Role, ...], str], ...] = (
    ("wangjg", "王建国", (Role.ADMIN, Role.MENTOR), "江澜市委办公室"),
    ("limh", "李明华", (Role.MENTOR, Role.WRITER), "江澜市委办公室综合一科"),
    ("chenj", "陈静", (Role.MENTOR, Role.WRITER), "江澜市委办公室信息科"),
    ("zhouwd", "周卫东", (Role.MENTOR, Role.WRITER), "江澜市委办公室综合一科"),
    ("zhangxy", "张晓宇", (Role.WRITER,), "江澜市委办公室综合一科"),
    ("liuy", "刘洋", (Role.WRITER,), "江澜市委办公室综合二科"),
    ("zhaot", "赵婷", (Role.WRITER,), "江澜市委办公室信息科"),
)


def create_demo_accounts(session: Session) -> list[DemoAccount]:
    """Create the demo accounts with random passwords (returned once; only hashes are stored)."""
    created = []
    for username, name, roles, unit in DEMO_PEOPLE:
        if session.scalar(select(User).where(User.username == username)):
            continue
        password = "Demo-" + secrets.token_urlsafe(6)
        create_user(session, username, name, password, roles, unit)
        created.append(DemoAccount(username, name, roles, unit, password))
    return created
