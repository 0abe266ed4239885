"""The search indexer: on every new document (import or saved draft version) its sentences go into the
keyword index at once, inside the document's transaction, and an embedding job is queued to run after
the commit. Registered with :mod:`drafter.services.indexing`.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from drafter.services import indexing, jobs
from drafter.store import keyword_index
from drafter.store.db import Database
from drafter.store.models import Document


def index(session: Session, document: Document) -> None:
    """Keyword-index ``document`` now; queue its embeddings for the background worker."""
    rows = keyword_index.index_document(session, document)
    if rows:
        jobs.request_after_commit(session, jobs.EMBED_TASK)


def remove(session: Session, document_id: int) -> None:
    """Drop the document's sentences, keyword entries and vectors."""
    keyword_index.remove_document(session, document_id)


def index_missing(db: Database, progress: Callable[[int, int], None] | None = None) -> int:
    """Keyword-index every document that has no sentences yet, one transaction each; returns how many."""
    with db.session() as session:
        missing = keyword_index.unindexed_document_ids(session)
    for done, doc_id in enumerate(missing, start=1):
        with db.session() as session:
            document = session.get(Document, doc_id)
            if document is not None:
                keyword_index.index_document(session, document)
        if progress:
            progress(done, len(missing))
    return len(missing)


indexing.register("search", index, remove)
