"""``drafter serve`` and database maintenance."""

from __future__ import annotations

import click

from drafter.cli.common import db_option, open_db, settings_for


@click.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, envvar="DRAFTER_HOST",
              help="监听地址（环境变量 DRAFTER_HOST）；只在本机访问时保持 127.0.0.1")
@click.option("--port", default=5000, show_default=True, type=int, envvar="DRAFTER_PORT",
              help="端口（环境变量 DRAFTER_PORT）")
@click.option("--demo/--no-demo", default=False, help="空数据库时载入演示档案并创建演示账号")
@click.option("--production", is_flag=True, default=False,
              help="生产模式：gunicorn 多进程多线程服务，必须设置 DRAFTER_SECRET_KEY")
@click.option("--workers", type=int, default=None, envvar="DRAFTER_WORKERS", show_envvar=True,
              help="生产模式的工作进程数，默认为处理器核数加 1")
@click.option("--threads", type=int, default=4, show_default=True, envvar="DRAFTER_THREADS", show_envvar=True,
              help="生产模式每个工作进程的线程数")
@click.option("--timeout", type=int, default=120, show_default=True, envvar="DRAFTER_TIMEOUT", show_envvar=True,
              help="生产模式单个请求的最长处理时间（秒），超时的工作进程会被重启")
@click.option("--access-log", metavar="FILE", default=None, envvar="DRAFTER_ACCESS_LOG", show_envvar=True,
              help="生产模式的访问日志文件（- 为标准输出）；默认不记录")
@click.option("--no-warm-up", "warm_up", flag_value=False, default=True,
              help="生产模式：工作进程启动时不预先载入词典和语言模型")
@click.option("--worker/--no-worker", "worker", default=None,
              help="同时启动后台任务进程（计算语义向量）；--demo 和 --production 时默认启动")
def serve_command(db_url: str | None, host: str, port: int, demo: bool, production: bool, workers: int | None,
                  threads: int, timeout: int, access_log: str | None, warm_up: bool, worker: bool | None) -> None:
    """启动网页服务。默认为开发/演示用的单进程服务；--production 为生产部署（见 README“生产部署”）。"""
    if production:
        _serve_production(db_url, host, port, demo, workers, threads, timeout, access_log, warm_up,
                          worker is not False)
        return
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
    click.echo(f"文稿助手已启动（开发模式，单进程）：http://{host}:{port}/  生产部署请用 drafter serve --production")
    try:
        app.run(host=host, port=port, threaded=True, use_reloader=False)
    finally:
        _stop_worker(process)


#: Scheduling niceness of the job worker started beside the web server.
WORKER_NICENESS = 10


def _start_worker(url: str):  # type: ignore[no-untyped-def]
    """``drafter worker`` as a separate process (never a thread of the web server), on the same database."""
    import os
    import signal
    import subprocess
    import sys

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so that the worker is stopped with the server
    env = dict(os.environ, DRAFTER_DB=url)  # the URL travels in the environment, not on the command line
    # Background work (vectors, summaries, archive analytics) at a lower priority than the pages and saves.
    code = f"import os; os.nice({WORKER_NICENESS}); from drafter.cli import main; main(['worker'])"
    click.echo("后台任务进程已启动（计算语义向量）。")
    return subprocess.Popen([sys.executable, "-c", code], env=env)


def _stop_worker(process) -> None:  # type: ignore[no-untyped-def]
    if process is not None:
        process.terminate()
        process.wait(timeout=10)


def _serve_production(db_url: str | None, host: str, port: int, demo: bool, workers: int | None, threads: int,
                      timeout: int, access_log: str | None, warm_up: bool, worker: bool) -> None:
    from drafter.store.db import DatabaseError
    from drafter.web.production import ProductionError, ServerOptions, check_settings, default_workers, serve

    if demo:
        raise click.ClickException("--demo 只用于演示，不能与 --production 同时使用")
    settings = settings_for(db_url)
    try:
        check_settings(settings)
        options = ServerOptions(host=host, port=port, workers=default_workers() if workers is None else workers,
                                threads=threads, timeout=timeout, access_log=access_log, warm_up=warm_up)
    except ProductionError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"文稿助手（生产模式）：http://{host}:{port}/  {options.workers} 个工作进程 × {options.threads} 个线程，"
               f"数据库 {_safe(settings.db_url)}，上传上限 {settings.upload_limit_mb} MB")
    processes = []  # the background job worker, started once the database is migrated
    try:
        serve(settings, options,
              before_start=(lambda: processes.append(_start_worker(settings.db_url))) if worker else None)
    except (ProductionError, DatabaseError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        for process in processes:
            _stop_worker(process)


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


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
