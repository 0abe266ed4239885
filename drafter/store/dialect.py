"""THE database adapter: every piece of SQL or set-up that differs between SQLite and PostgreSQL lives here.

Everything else in the project speaks portable SQLAlchemy. Index modules that need engine-specific features
(SQLite FTS5, PostgreSQL full-text search) ask :func:`is_sqlite` / :func:`is_postgresql` and keep both
branches side by side.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL, make_url


def is_sqlite(url_or_engine: str | URL | Engine) -> bool:
    """Whether the URL or engine points at SQLite."""
    return _backend(url_or_engine) == "sqlite"


def is_postgresql(url_or_engine: str | URL | Engine) -> bool:
    """Whether the URL or engine points at PostgreSQL."""
    return _backend(url_or_engine) == "postgresql"


def _backend(url_or_engine: str | URL | Engine) -> str:
    if isinstance(url_or_engine, Engine):
        return url_or_engine.dialect.name
    return make_url(url_or_engine).get_backend_name()


#: How long a statement waits for another transaction's lock before giving up (SQLite "database is locked",
#: PostgreSQL lock_timeout), so a request never hangs on a stuck lock.
LOCK_TIMEOUT_MS = 15000
#: SQLite's extended result code SQLITE_BUSY_SNAPSHOT: a read snapshot older than a concurrent commit.
_SQLITE_BUSY_SNAPSHOT = 517


def engine_options(url: str) -> dict:
    """Keyword arguments for ``create_engine`` suited to the backend."""
    if is_sqlite(url):
        # A SQLite connection is a file handle: let every request thread of a busy worker hold one (a
        # request waiting for its draft's checks keeps its connection; 5 + 10 ran out under the load test).
        options: dict = {"connect_args": {"timeout": LOCK_TIMEOUT_MS / 1000, "check_same_thread": False}}
        if sqlite_file(url):  # an in-memory database has a one-connection pool
            options |= {"pool_size": 32, "max_overflow": 32}
        return options
    options = {"pool_pre_ping": True, "pool_size": 5, "max_overflow": 10}
    if is_postgresql(url):
        options["connect_args"] = {"options": f"-c lock_timeout={int(LOCK_TIMEOUT_MS)}"}
    return options


def sqlite_file(url: str) -> str | None:
    """The file of a SQLite URL (``sqlite:///instance/drafter.db``); None for an in-memory database or a
    ``file:`` URI."""
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        return database
    return None


def prepare_sqlite_file(url: str) -> None:
    """Create the folder of a SQLite database file (``sqlite:///instance/drafter.db``)."""
    database = sqlite_file(url)
    if database:
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def configure_engine(engine: Engine) -> None:
    """Per-connection settings: on SQLite WAL journal, foreign keys, a busy timeout."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(LOCK_TIMEOUT_MS)}")
        # 64 MiB page cache (default 2 MiB): index tables far larger than the cache take random inserts.
        cursor.execute("PRAGMA cache_size=-65536")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def is_snapshot_conflict(error: Exception) -> bool:
    """Whether a failed write only lost a race to a concurrent commit (SQLite SQLITE_BUSY_SNAPSHOT), as
    opposed to a locked, unreachable or broken database."""
    original = getattr(error, "orig", error)
    return getattr(original, "sqlite_errorcode", None) == _SQLITE_BUSY_SNAPSHOT


#: Engine-specific tables made by hand in migrations (FTS5 and its shadow tables, tsvector); autogenerate
#: and schema comparisons must not propose dropping them.
UNMODELLED_PREFIXES = ("search_fts", "search_terms")


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Alembic filter: leave the hand-made index tables out of autogenerate comparisons."""
    return not (type_ == "table" and reflected and compare_to is None and name.startswith(UNMODELLED_PREFIXES))
