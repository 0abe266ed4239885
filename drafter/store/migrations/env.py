"""Alembic environment: runs migrations on the engine handed over by :func:`drafter.store.db.alembic_config`."""

from alembic import context
from sqlalchemy import create_engine

from drafter.store.dialect import include_object
from drafter.store.models import Base

config = context.config
target_metadata = Base.metadata

def run_migrations() -> None:
    """Run migrations online (an engine is always available: ours or one from sqlalchemy.url)."""
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                          include_object=include_object)
        context.run_migrations()


run_migrations()
