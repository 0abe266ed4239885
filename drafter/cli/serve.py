"""``drafter serve`` and database maintenance."""

from __future__ import annotations

import click

from drafter.cli.common import db_option, open_db


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--demo/--no-demo", default=False, help="空数据库时载入演示档案并创建演示账号")
@click.option("--worker/--no-worker", "worker", default=None,
              help="同时启动后台任务进程（计算语义向量）；--demo 时默认启动")
def serve_command(db_url: str | None, host: str, port: int, demo: bool, worker: bool | None) -> None:
    """启动网页服务（开发/演示用）。生产部署见 README。"""
    from drafter.config import ensure_secret_key
    from drafter.services.demo import archive_is_empty, seed_demo
    from drafter.web import create_app

    settings, db = open_db(db_url)
    if demo:
        ensure_secret_key(settings)
        if archive_is_empty(db):
            click.echo("数据库为空，正在载入演示档案……")
            summary, accounts = seed_demo(db)
            click.echo(f"演示档案：导入 {summary.count('imported')} 篇，失败 {summary.count('failed')} 篇。")
            if accounts:
                click.echo("演示账号（密码只显示这一次，请妥善保存）：")
                for account in accounts:
                    roles = "、".join(r.label for r in account.roles)
                    click.echo(f"  {account.display_name:<4} 用户名 {account.username:<8} 密码 {account.password}  （{roles}）")
    elif not settings.secret_key:
        raise click.ClickException("未设置密钥：请设置环境变量 DRAFTER_SECRET_KEY，或使用 --demo 启动演示")
    app = create_app({"SETTINGS": settings, "DATABASE": db})
    process = _start_worker(db.url) if (demo if worker is None else worker) else None
    click.echo(f"文稿助手已启动：http://{host}:{port}/")
    try:
        app.run(host=host, port=port, threaded=True, use_reloader=False)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=10)


def _start_worker(url: str):  # type: ignore[no-untyped-def]
    """``drafter worker`` as a separate process (never a thread of the web server), on the same database."""
    import os
    import signal
    import subprocess
    import sys

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so that the worker is stopped with the server
    env = dict(os.environ, DRAFTER_DB=url)  # the URL travels in the environment, not on the command line
    code = "from drafter.cli import main; main(['worker'])"
    click.echo("后台任务进程已启动（计算语义向量）。")
    return subprocess.Popen([sys.executable, "-c", code], env=env)


@click.group("db")
def db_group() -> None:
    """数据库维护。"""


@db_group.command("upgrade")
@db_option
def db_upgrade(db_url: str | None) -> None:
    """把数据库结构升级到最新版本。"""
    _, db = open_db(db_url)
    click.echo(f"数据库已是最新结构：{db.safe_url}")




def register(group: click.Group) -> None:
    """Add ``serve`` and ``db`` to ``group``."""
    group.add_command(serve_command)
    group.add_command(db_group)
