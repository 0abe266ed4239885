"""The web app: ``create_app(config)`` builds a Flask app; nothing is created at import time."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, render_template

from drafter.config import Settings, load_settings
from drafter.store.db import Database, open_database

#: Blueprints by area; each module defines ``bp``.
BLUEPRINTS = ("drafter.web.archive", "drafter.web.search", "drafter.web.auth", "drafter.web.drafts",
              "drafter.web.review", "drafter.web.admin", "drafter.web.critique", "drafter.web.errors",
              "drafter.web.analytics")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` may hold ``SETTINGS`` (a :class:`Settings`), ``DATABASE`` (an open
    :class:`Database`), ``DRAFTER_DB`` (a URL) and any Flask setting (``TESTING``, ``SECRET_KEY`` …)."""
    import importlib

    config = dict(config or {})
    app = Flask(__name__)
    settings: Settings = config.pop("SETTINGS", None) or load_settings(db_url=config.pop("DRAFTER_DB", None))
    database: Database = config.pop("DATABASE", None) or open_database(settings.db_url)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        MAX_CONTENT_LENGTH=settings.upload_limit_bytes + 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_AS_ASCII=False,
    )
    app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("未设置密钥（DRAFTER_SECRET_KEY），网页服务拒绝启动")
    app.extensions["drafter_settings"] = settings
    app.extensions["drafter_db"] = database

    for module in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(module).bp)

    @app.errorhandler(404)
    def not_found(_error: Exception) -> tuple[str, int]:
        return render_template("error.html", code=404, message="页面不存在，或您无权查看。"), 404

    @app.errorhandler(413)
    def too_large(_error: Exception) -> tuple[str, int]:
        limit = settings.upload_limit_mb
        return render_template("error.html", code=413, message=f"上传的文件过大，单个文件不能超过 {limit} MB。"), 413

    @app.teardown_appcontext
    def close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    return app


def db_session():  # type: ignore[no-untyped-def]
    """The request's SQLAlchemy session (closed at the end of the request)."""
    from flask import current_app

    if "db_session" not in g:
        g.db_session = current_app.extensions["drafter_db"].sessionmaker()
    return g.db_session
