"""``drafter user``: accounts from the command line — above all the first administrator of a new instance."""

from __future__ import annotations

import click

from drafter.cli.common import db_option, open_db

ROLE_NAMES = ("writer", "mentor", "admin")


@click.group("user")
def user_group() -> None:
    """账号管理（首次部署时用它创建第一个管理员）。"""


@user_group.command("add")
@click.argument("username")
@click.option("--name", "display_name", required=True, help="姓名")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLE_NAMES), default=("writer",), show_default=True,
              help="角色，可重复：writer 撰稿人、mentor 指导老师、admin 管理员")
@click.option("--unit", default=None, help="处室")
@click.password_option("--password", prompt="密码", confirmation_prompt="再次输入密码", help="不填则交互输入")
@db_option
def add_user(username: str, display_name: str, roles: tuple[str, ...], unit: str | None, password: str,
             db_url: str | None) -> None:
    """创建账号。"""
    from drafter.services.accounts import AccountError, create_user

    _, db = open_db(db_url)
    try:
        with db.session() as session:
            user = create_user(session, username, display_name, password, roles, unit)
            click.echo(f"已创建账号 {user.username}（{user.display_name}，{'、'.join(r.label for r in user.roles)}）")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        db.dispose()


@user_group.command("passwd")
@click.argument("username")
@click.password_option("--password", prompt="新密码", confirmation_prompt="再次输入新密码", help="不填则交互输入")
@db_option
def set_user_password(username: str, password: str, db_url: str | None) -> None:
    """重置账号密码（该账号在其他设备上的登录随之失效）。"""
    from sqlalchemy import func, select

    from drafter.services.accounts import AccountError, set_password
    from drafter.store.models import User

    _, db = open_db(db_url)
    try:
        with db.session() as session:
            user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
            if user is None:
                raise click.ClickException(f"账号不存在：{username}")
            set_password(user, password)
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        db.dispose()
    click.echo(f"已重置 {username} 的密码")


@user_group.command("list")
@db_option
def list_users(db_url: str | None) -> None:
    """列出所有账号。"""
    from drafter.services.office import list_users as all_users

    _, db = open_db(db_url)
    try:
        with db.session() as session:
            for user in all_users(session):
                roles = "、".join(r.label for r in sorted(user.roles))
                state = "" if user.active else "（已停用）"
                click.echo(f"{user.username:<12} {user.display_name:<6} {user.unit or '—':<16} {roles}{state}")
    finally:
        db.dispose()


def register(group: click.Group) -> None:
    """Add ``user`` to ``group``."""
    group.add_command(user_group)
