"""The one module that owns database connections: engine, sessions, migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from drafter.store import dialect

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseError(Exception):
    """The database cannot be used; the message is Chinese and says why."""


class Database:
    """An engine with its session factory. Create one per process (or per app) and share it."""

    def __init__(self, url: str) -> None:
        try:
            make_url(url)
        except ArgumentError as exc:
            raise DatabaseError(f"数据库地址格式不正确：{url}") from exc
        self.url = url
        if dialect.is_sqlite(url):
            dialect.prepare_sqlite_file(url)
        try:
            self.engine = create_engine(url, **dialect.engine_options(url))
        except (NoSuchModuleError, ImportError) as exc:
            raise DatabaseError(f"不支持的数据库类型或缺少驱动：{self.safe_url}（{exc}）") from exc
        dialect.configure_engine(self.engine)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        session = self.sessionmaker()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (safe to call on every start)."""
        from alembic import command

        try:
            command.upgrade(alembic_config(self), "head")
        except OperationalError as exc:
            raise DatabaseError(f"无法连接或升级数据库（{self.safe_url}）：{exc.orig}") from exc

    def is_initialised(self) -> bool:
        """Whether the schema exists (the archive tables are there)."""
        try:
            return inspect(self.engine).has_table("documents")
        except OperationalError:
            return False

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()


def alembic_config(db: Database):  # type: ignore[no-untyped-def]
    """An Alembic config pointing at the packaged migrations and reusing ``db``'s engine."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = db.engine
    return config


def open_database(url: str, upgrade: bool = True) -> Database:
    """Open the database at ``url`` and, unless told not to, migrate it to the newest schema."""
    db = Database(url)
    if upgrade:
        db.upgrade()
    return db
