"""Helpers every ``drafter`` sub-command shares: the ``--db`` option, settings, opening the database."""

from __future__ import annotations

import json
from typing import Any

import click

from drafter.config import ConfigError, Settings, load_settings
from drafter.store.db import Database, DatabaseError, open_database

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def db_option(func: Any) -> Any:
    """The ``--db URL`` option every archive command takes."""
    return click.option("--db", "db_url", metavar="URL", default=None,
                        help="数据库地址，默认取环境变量 DRAFTER_DB，否则 sqlite:///instance/drafter.db")(func)


def settings_for(db_url: str | None) -> Settings:
    """Resolved settings; a broken config file becomes a clean error."""
    try:
        return load_settings(db_url=db_url)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


def open_db(db_url: str | None) -> tuple[Settings, Database]:
    """Settings and the migrated database they point at."""
    settings = settings_for(db_url)
    try:
        db = open_database(settings.db_url)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc
    close_with_command(db)
    return settings, db


def close_with_command(db: Database) -> None:
    """Dispose of the database's connections when the running command ends."""
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(db.dispose)


def dump_json(data: Any) -> None:
    """Print ``data`` as indented JSON with Chinese kept readable."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
