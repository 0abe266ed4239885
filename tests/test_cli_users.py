"""Tests for drafter.cli.users (``drafter user``)."""

from drafter.cli import main
from drafter.services.accounts import authenticate


def test_first_administrator_from_the_command_line(runner, db):
    result = runner.invoke(main, ["user", "add", "wangjg", "--name", "王建国", "--role", "admin", "--role", "mentor",
                                  "--unit", "办公室", "--db", db.url], input="admin-pass-1\nadmin-pass-1\n")
    assert result.exit_code == 0, result.output
    assert "已创建账号 wangjg" in result.output and "管理员" in result.output
    with db.session() as session:
        assert authenticate(session, "wangjg", "admin-pass-1") is not None
    listed = runner.invoke(main, ["user", "list", "--db", db.url])
    assert "wangjg" in listed.output and "王建国" in listed.output
    changed = runner.invoke(main, ["user", "passwd", "wangjg", "--db", db.url], input="new-pass-22\nnew-pass-22\n")
    assert changed.exit_code == 0 and "已重置" in changed.output
    with db.session() as session:
        assert authenticate(session, "wangjg", "new-pass-22") is not None


def test_user_errors_are_chinese(runner, db):
    weak = runner.invoke(main, ["user", "add", "liuy", "--name", "刘洋", "--password", "short", "--db", db.url])
    assert weak.exit_code == 1 and "密码至少需要" in weak.output
    missing = runner.invoke(main, ["user", "passwd", "nobody", "--password", "abc12345x", "--db", db.url])
    assert missing.exit_code == 1 and "账号不存在" in missing.output
