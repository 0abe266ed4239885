"""Shared fixtures: a migrated temporary database, the Flask app and clients, a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

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
