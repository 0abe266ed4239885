"""Shared fixtures: a migrated temporary database, the Flask app and clients, a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

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


#: Admin URL of a PostgreSQL server to run the whole suite against (scripts/postgres prints one);
#: unset means SQLite files.
PG_ADMIN_URL = os.environ.get("DRAFTER_TEST_DB", "")


class _PostgresDatabases:
    """Per-test PostgreSQL databases cloned from a template migrated once per session (fast and isolated)."""

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy import create_engine

        self.admin_url = make_url(admin_url)
        self.engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.template = f"drafter_tmpl_{os.getpid()}"
        self.count = 0
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.template}"')
        template_db = open_database(self.url(self.template))
        template_db.dispose()

    def _execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            conn.execute(text(sql))

    def url(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def create(self) -> str:
        self.count += 1
        name = f"drafter_t_{os.getpid()}_{self.count}"
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name

    def drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self.drop(self.template)
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres_databases():
    """The PostgreSQL database factory when DRAFTER_TEST_DB is set, else None."""
    if not PG_ADMIN_URL.startswith("postgresql"):
        yield None
        return
    factory = _PostgresDatabases(PG_ADMIN_URL)
    yield factory
    factory.close()


@pytest.fixture
def db_url(tmp_path: Path, postgres_databases) -> str:
    """A fresh, empty database URL: a PostgreSQL database when DRAFTER_TEST_DB is set, else a SQLite file."""
    if postgres_databases is None:
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    name = postgres_databases.create()
    yield postgres_databases.url(name)
    postgres_databases.drop(name)


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


@pytest.fixture
def app(db: Database):
    """The web app on the test database."""
    from drafter.config import Settings
    from drafter.web import create_app

    settings = Settings(db_url=db.url, secret_key="test-secret")
    return create_app({"SETTINGS": settings, "DATABASE": db, "TESTING": True})


@pytest.fixture
def client(app):
    """A Flask test client."""
    return app.test_client()
