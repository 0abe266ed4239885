"""Tests for drafter.store: migrations, SQLite settings, models."""

from sqlalchemy import inspect, text

from drafter.store import dialect
from drafter.store.db import Database, open_database
from drafter.store.models import Role, User


def test_migrations_create_schema_and_are_repeatable(db_url):
    db = open_database(db_url)
    assert db.is_initialised()
    tables = set(inspect(db.engine).get_table_names())
    assert {"documents", "paragraphs", "tags", "document_tags", "users", "alembic_version"} <= tables
    db.upgrade()  # second run is a no-op
    db.dispose()


def test_sqlite_uses_wal_and_foreign_keys(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()


def test_backend_detection():
    assert dialect.is_sqlite("sqlite:///x.db")
    assert dialect.is_postgresql("postgresql+psycopg://u:p@localhost/db")
    assert not dialect.is_sqlite("postgresql+psycopg://u:p@localhost/db")


def test_safe_url_hides_password():
    assert "secret" not in Database("postgresql+psycopg://u:secret@localhost/db").safe_url


def test_user_roles_round_trip(db):
    with db.session() as session:
        user = User(username="a", display_name="甲", password_hash="x")
        user.roles = {Role.MENTOR, Role.WRITER}
        session.add(user)
    with db.session() as session:
        stored = session.query(User).one()
        assert stored.roles == {Role.MENTOR, Role.WRITER} and stored.has_role(Role.MENTOR)
        assert stored.roles_csv == "mentor,writer"
