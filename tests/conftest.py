"""Shared fixtures: a migrated temporary database, the Flask app and (logged-in) clients, a CLI runner."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from drafter.store.db import Database, open_database

SAMPLE = """关于做好年度文稿工作的通知

各处室：
一、总体要求
坚持问题导向，提升文稿质量。
二、工作安排
（一）明确责任分工。各处室负责本条线文稿起草，3月底前报送选题。
（二）加强审核把关。实行初审、复审两级审核。

江澜市委办公室
2023年3月5日
"""


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A database URL: DRAFTER_TEST_DB (e.g. PostgreSQL) if set, else a fresh SQLite file."""
    return os.environ.get("DRAFTER_TEST_DB") or f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def db(db_url: str) -> Database:
    """A database migrated to the newest schema."""
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def runner() -> CliRunner:
    """Click's runner for the ``drafter`` command."""
    return CliRunner()


@pytest.fixture
def sample_text() -> str:
    """A short, well-formed 通知."""
    return SAMPLE


@pytest.fixture
def write(tmp_path: Path):
    """Write a file under tmp_path: ``write("a.txt", "text")`` or bytes; returns its path."""
    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_bytes(content.encode(encoding))
        else:
            path.write_bytes(content)
        return path
    return _write


class CsrfClient(FlaskClient):
    """A test client whose POSTs carry a valid CSRF token (header ``X-CSRFToken``), as the app's pages send.

    Tests of the CSRF protection itself use a plain ``FlaskClient``.
    """

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        method = str(kwargs.get("method", "GET")).upper()
        if method not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token())
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        """A token valid for this client's session (Flask-WTF's own scheme)."""
        with self.session_transaction() as flask_session:
            raw = flask_session.setdefault("csrf_token", secrets.token_hex(20))
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)


@pytest.fixture
def app(db: Database):
    """The web app on the test database (its test clients send CSRF tokens)."""
    from drafter.config import Settings
    from drafter.web import create_app

    settings = Settings(db_url=db.url, secret_key="test-secret")
    app = create_app({"SETTINGS": settings, "DATABASE": db, "TESTING": True})
    app.test_client_class = CsrfClient
    return app


@pytest.fixture
def login(app, db: Database):
    """``login(username, roles=("writer",), unit=None)``: a test client logged in as that user (created if new)."""
    from sqlalchemy import select

    from drafter.services.accounts import create_user
    from drafter.store.models import User
    from drafter.web.auth import log_in

    def _login(username: str, roles=("writer",), unit: str | None = None) -> CsrfClient:
        with db.session() as session:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                user = create_user(session, username, username, "test-pass-1", roles, unit)
        client = app.test_client()
        with client.session_transaction() as flask_session:
            log_in(flask_session, user)
        return client
    return _login


@pytest.fixture
def client(login):
    """A test client logged in as an administrator (every page but the login page needs a login)."""
    return login("admin_test", ("admin",))


@pytest.fixture
def anon_client(app):
    """A test client nobody is logged in on."""
    return app.test_client()
