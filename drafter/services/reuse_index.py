"""The reuse index: keeps fingerprints of every document (archive texts and draft versions) in the store.

Registered with :mod:`drafter.services.indexing`, so an import or a saved draft version adds its
fingerprints in the same transaction. :func:`rebuild` fills the index for documents stored before it
existed (``drafter reuse --reindex``).

Portable SQL; the bulk inserts go straight to the driver (:func:`_executemany`), whose parameter marker
is the only engine-specific part.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from drafter.analysis.reuse import KGRAM, SAMPLE, fingerprints
from drafter.services import indexing
from drafter.store.db import Database
from drafter.store.models import Document, DocumentKind
from drafter.store.reuse_tables import ReuseDocument, ReuseFingerprint, ReuseFrequency

#: Version of the fingerprint scheme; bump when the skeleton rules, k or the sampling change.
SCHEME = 1
#: Parameters of the scheme.
K, P = KGRAM, SAMPLE
#: Largest number of bound parameters in one IN list.
CHUNK = 900


def chunks(values: Sequence[int], size: int = CHUNK) -> Iterable[Sequence[int]]:
    """``values`` in slices of at most ``size``."""
    for i in range(0, len(values), size):
        yield values[i:i + size]


def document_fingerprints(text: str) -> list[int]:
    """Sorted distinct fingerprints of a document's text under the current scheme."""
    return sorted(fingerprints(text, K, P))


def index_document(session: Session, document: Document) -> None:
    """Add ``document``'s fingerprints; archive documents also count in the frequencies."""
    index_texts(session, [(document.id, document.kind, document.text)])


def index_texts(session: Session, rows: Sequence[tuple[int, str, str]]) -> None:
    """Add the fingerprints of several documents, given as (id, kind, text), in one pass.

    Rows go in sorted by fingerprint and each fingerprint's frequency is raised once per batch, so large
    batches (a re-index, a bulk import) touch each index page once rather than once per document.
    """
    postings: list[tuple[int, int]] = []
    counts: Counter[int] = Counter()
    entries = []
    for doc_id, kind, text in rows:
        hashes = document_fingerprints(text)
        counted = kind == DocumentKind.ARCHIVE.value
        postings += [(h, doc_id) for h in hashes]
        if counted:
            counts.update(hashes)
        entries.append({"document_id": doc_id, "scheme": SCHEME, "fingerprints": len(hashes), "counted": counted})
    if postings:
        postings.sort()
        _executemany(session, "INSERT INTO reuse_fingerprints (hash, document_id) VALUES ({p}, {p})", postings)
    if counts:
        # The same upsert syntax on SQLite (>= 3.24) and PostgreSQL. Sorted, so concurrent writers lock rows
        # in one order.
        _executemany(session, "INSERT INTO reuse_frequencies (hash, documents) VALUES ({p}, {p}) "
                              "ON CONFLICT (hash) DO UPDATE SET documents = reuse_frequencies.documents "
                              "+ excluded.documents", sorted(counts.items()))
    if entries:
        session.connection().execute(insert(ReuseDocument.__table__), entries)


def _executemany(session: Session, sql: str, rows: list[tuple]) -> None:
    """Run ``sql`` once per row through the driver (thousands of rows per document: no per-row ORM work).

    Engine-specific only in the parameter marker: ``?`` for SQLite, ``%s`` for psycopg (PostgreSQL).
    """
    connection = session.connection()
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(sql.format(p=marker), rows)


def remove_document(session: Session, document_id: int) -> None:
    """Drop a document's fingerprints (call while its row still exists, so they can be recomputed)."""
    entry = session.get(ReuseDocument, document_id)
    if entry is None:
        return
    text = session.scalar(select(Document.text).where(Document.id == document_id))
    if text is not None and entry.scheme == SCHEME:
        hashes = document_fingerprints(text)
        for part in chunks(hashes):
            session.execute(delete(ReuseFingerprint).where(ReuseFingerprint.hash.in_(part),
                                                           ReuseFingerprint.document_id == document_id))
        if entry.counted:
            _subtract_frequencies(session, hashes)
    else:
        # Text gone or made with another scheme: the rows cannot be recomputed, so scan for them.
        session.execute(delete(ReuseFingerprint).where(ReuseFingerprint.document_id == document_id))
    session.execute(delete(ReuseDocument).where(ReuseDocument.document_id == document_id))


def _subtract_frequencies(session: Session, hashes: Sequence[int]) -> None:
    for part in chunks(hashes):
        session.execute(update(ReuseFrequency).where(ReuseFrequency.hash.in_(part))
                        .values(documents=ReuseFrequency.documents - 1))
        session.execute(delete(ReuseFrequency).where(ReuseFrequency.hash.in_(part), ReuseFrequency.documents <= 0))


@dataclass(frozen=True)
class IndexStatus:
    """How complete the reuse index is."""

    documents: int
    indexed: int
    archive_documents: int

    @property
    def missing(self) -> int:
        """Documents without (current) index entries."""
        return self.documents - self.indexed


def status(session: Session) -> IndexStatus:
    """Counts of stored, indexed and frequency-counted documents."""
    documents = session.scalar(select(func.count()).select_from(Document)) or 0
    indexed = session.scalar(select(func.count()).select_from(ReuseDocument)
                             .where(ReuseDocument.scheme == SCHEME)) or 0
    counted = session.scalar(select(func.count()).select_from(ReuseDocument)
                             .where(ReuseDocument.counted.is_(True))) or 0
    return IndexStatus(documents, indexed, counted)


def rebuild(db: Database, progress: Callable[[int, int], None] | None = None, batch: int = 500) -> int:
    """Index every document that is missing from the index or was indexed with an older scheme.

    Safe to re-run after a crash (each batch is one transaction); ``progress(done, total)`` is called after
    each batch. Returns the number of documents indexed.
    """
    with db.session() as session:
        current = select(ReuseDocument.document_id).where(ReuseDocument.scheme == SCHEME)
        todo = list(session.scalars(select(Document.id).where(Document.id.not_in(current)).order_by(Document.id)))
    done = 0
    for part in chunks(todo, batch):
        with db.session() as session:
            stale = session.scalars(select(ReuseDocument.document_id).where(ReuseDocument.document_id.in_(part)))
            for doc_id in list(stale):
                remove_document(session, doc_id)
            rows = session.execute(select(Document.id, Document.kind, Document.text)
                                   .where(Document.id.in_(part)).order_by(Document.id)).all()
            index_texts(session, [tuple(row) for row in rows])
        done += len(part)
        if progress:
            progress(done, len(todo))
    return done


indexing.register("reuse", index_document, remove_document)
