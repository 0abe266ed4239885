"""Production serving: the web app under gunicorn, several worker processes with a few threads each.

``drafter serve --production`` calls :func:`serve`. Every worker builds its own app (and its own database
engine) after the fork. The checks do not run in the worker's threads: each worker hands them to its own
helper process at a lower priority (:mod:`drafter.services.check_runner`), which warms up on a short
built-in text at start, so a long check never holds up the pages the same worker serves and the first
writer who opens a draft does not wait for the dictionary and the language model to load. The master
process migrates the database once before any worker starts. Configuration comes from the environment
(``DRAFTER_DB``, ``DRAFTER_SECRET_KEY``, ``DRAFTER_UPLOAD_LIMIT_MB``, ``DRAFTER_WORKERS``,
``DRAFTER_THREADS`` …) and the instance's ``drafter.toml``; gunicorn is imported only here, inside functions.

Other WSGI servers can load :mod:`drafter.wsgi` (``drafter.wsgi:application``) instead.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drafter.config import Settings

#: gunicorn's logger (configured in its workers; a plain logger under other servers).
log = logging.getLogger("gunicorn.error")

#: A short text of our own that touches every check's resources (dictionary, lexicons, language model).
WARM_UP_TEXT = """关于做好文稿质量提升工作的通知

各科室：
一、明确工作要求
各科室要高度重视文稿起草工作，每月报送一次文稿清单。
（一）落实责任分工。由综合一科负责汇总，3月底前完成。
"""


class ProductionError(Exception):
    """The production server cannot start; the message is Chinese and says what to fix."""


@dataclass(frozen=True)
class ServerOptions:
    """How the production server runs."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 3
    threads: int = 4
    timeout: int = 120
    access_log: str | None = None
    warm_up: bool = True

    def __post_init__(self) -> None:
        if self.workers < 1 or self.threads < 1:
            raise ProductionError("工作进程数和线程数都必须至少为 1")
        if self.timeout < 10:
            raise ProductionError("请求超时时间不能少于 10 秒")


def default_workers() -> int:
    """Worker processes by default: one per processor plus one (the checks are CPU work, not I/O)."""
    return (os.cpu_count() or 1) + 1


def gunicorn_settings(options: ServerOptions) -> dict[str, Any]:
    """gunicorn's settings for ``options``."""
    return {
        "bind": f"{options.host}:{options.port}",
        "workers": options.workers,
        "worker_class": "gthread",
        "threads": options.threads,
        "timeout": options.timeout,
        "graceful_timeout": 30,
        "keepalive": 5,
        "accesslog": options.access_log,
        "errorlog": "-",
        "loglevel": "info",
        "proc_name": "drafter",
        # No control socket under $HOME: several instances (and the tests) run side by side.
        "control_socket_disable": True,
    }


def build_worker_app(settings: Settings, warm_up: bool = True):  # type: ignore[no-untyped-def]
    """The app of one worker process: its own database engine, and a helper process for the checks (started
    and warmed up at once when asked, so the first writer who opens a draft does not wait for it)."""
    from drafter.services.check_runner import CheckRunner, RunnerOptions
    from drafter.store.db import open_database
    from drafter.web import create_app

    database = open_database(settings.db_url, upgrade=False)
    app = create_app({"SETTINGS": settings, "DATABASE": database})
    runner = CheckRunner(settings.db_url, RunnerOptions.from_settings(settings.extra.get("checks")))
    app.extensions["drafter_check_runner"] = runner
    if warm_up:
        runner.start(WARM_UP_TEXT, settings.extra)
    log.info("工作进程已就绪（pid %d，检查进程 %d 个）", os.getpid(), runner.options.processes)
    return app


def check_settings(settings: Settings) -> None:
    """Refuse to start without a secret key (the sessions and CSRF tokens depend on it)."""
    if not settings.secret_key:
        raise ProductionError("未设置密钥：生产模式必须通过环境变量 DRAFTER_SECRET_KEY（或 drafter.toml 的 secret_key）"
                              "提供一个足够长的随机字符串，例如 python3 -c 'import secrets; print(secrets.token_hex(32))'")
    if len(settings.secret_key) < 16:
        raise ProductionError("密钥过短：DRAFTER_SECRET_KEY 至少需要 16 个字符，建议使用 64 位随机十六进制字符串")


def serve(settings: Settings, options: ServerOptions, before_start: Callable[[], object] | None = None) -> None:
    """Migrate the database, call ``before_start`` (the background job worker starts there, on the migrated
    database), then run gunicorn until it is stopped (SIGTERM / Ctrl-C)."""
    from gunicorn.app.base import BaseApplication

    from drafter.store.db import open_database

    check_settings(settings)
    database = open_database(settings.db_url)  # migrate once, in the master, before any worker starts
    database.dispose()
    if before_start is not None:
        before_start()

    class DrafterServer(BaseApplication):  # type: ignore[misc]
        """gunicorn with its settings from :func:`gunicorn_settings` and the app built in each worker."""

        def load_config(self) -> None:
            for key, value in gunicorn_settings(options).items():
                self.cfg.set(key, value)

        def load(self):  # type: ignore[no-untyped-def]
            return build_worker_app(settings, options.warm_up)

    DrafterServer().run()
