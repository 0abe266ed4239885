"""Persistence: SQLAlchemy 2.x models, the one module that owns connections, and Alembic migrations."""
