"""Alembic environment: runs migrations on the engine handed over by :func:`drafter.store.db.alembic_config`."""

from alembic import context
from sqlalchemy import create_engine

from drafter.store.models import Base

config = context.config
target_metadata = Base.metadata

#: Engine-specific tables made by hand in migrations (FTS5 and its shadow tables, tsvector); autogenerate
#: must not propose dropping them.
UNMODELLED_PREFIXES = ("search_fts", "search_terms")


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Leave the hand-made index tables out of autogenerate comparisons."""
    return not (type_ == "table" and reflected and compare_to is None and name.startswith(UNMODELLED_PREFIXES))


def run_migrations() -> None:
    """Run migrations online (an engine is always available: ours or one from sqlalchemy.url)."""
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                          include_object=include_object)
        context.run_migrations()


run_migrations()
