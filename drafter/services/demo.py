"""The demo archive in ``corpora/demo`` (written by this project) and the demo office's accounts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from drafter.services.accounts import DemoAccount, create_demo_accounts
from drafter.services.archive import DocumentMeta, ImportOutcome, ImportSummary, import_file
from drafter.store.db import Database
from drafter.store.models import Document

#: ``corpora/demo`` beside the package (source checkout) — the demo ships with the project, not the wheel.
DEMO_DIR = Path(__file__).resolve().parents[2] / "corpora" / "demo"


def load_manifest(folder: Path = DEMO_DIR) -> list[dict]:
    """Entries of every ``manifest*.json`` in the folder, in file order."""
    entries: list[dict] = []
    for manifest in sorted(folder.glob("manifest*.json")):
        entries.extend(json.loads(manifest.read_text(encoding="utf-8")))
    return entries


def meta_from_entry(entry: dict) -> DocumentMeta:
    """Import metadata from a manifest entry."""
    date = dt.date.fromisoformat(entry["date"]) if entry.get("date") else None
    return DocumentMeta(title=entry.get("title"), doc_type=entry.get("doc_type"), unit=entry.get("unit"),
                        author=entry.get("author"), date=date, year=entry.get("year"),
                        tags=list(entry.get("tags", [])), exemplar=bool(entry.get("exemplar")))


def load_demo_archive(db: Database, folder: Path = DEMO_DIR,
                      progress: Callable[[ImportOutcome], None] | None = None) -> ImportSummary:
    """Import the demo documents with their manifest metadata (idempotent)."""
    summary = ImportSummary()
    for entry in load_manifest(folder):
        outcome = import_file(db, folder / entry["file"], meta_from_entry(entry))
        summary.outcomes.append(outcome)
        if progress:
            progress(outcome)
    return summary


def archive_is_empty(db: Database) -> bool:
    """Whether the database holds no document yet."""
    with db.session() as session:
        return session.query(Document.id).first() is None


def seed_demo(db: Database, folder: Path = DEMO_DIR) -> tuple[ImportSummary, list[DemoAccount]]:
    """On an empty database: load the demo archive, create the demo accounts, their review work and their
    critique meetings."""
    from drafter.services.demo_critique import seed_critique_demo
    from drafter.services.demo_review import seed_review_demo

    summary = load_demo_archive(db, folder)
    with db.session() as session:
        accounts = create_demo_accounts(session)
    seed_review_demo(db)
    seed_critique_demo(db)
    return summary, accounts
