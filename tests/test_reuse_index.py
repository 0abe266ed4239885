"""drafter.services.reuse_index: fingerprints kept in step with documents; frequencies count archive texts only."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from drafter.services import indexing
from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.services.reuse_index import SCHEME, document_fingerprints, rebuild, remove_document, status
from drafter.store.models import Document, DocumentKind
from drafter.store.reuse_tables import ReuseDocument, ReuseFingerprint, ReuseFrequency

DATA = Path(__file__).parent / "data" / "reuse"
SOURCE = (DATA / "source_summary.txt").read_text(encoding="utf-8")
HOST = (DATA / "unrelated_notice.txt").read_text(encoding="utf-8")


def add(db, text, kind=DocumentKind.ARCHIVE, draft_id=None, author=None):
    with db.session() as session:
        document = build_document(text, DocumentMeta(author=author), None, kind=kind)
        document.draft_id = draft_id
        if kind is DocumentKind.DRAFT:
            document.dedupe_key = None
        return add_document(session, document).id


def frequencies(session, hashes):
    rows = session.execute(select(ReuseFrequency.hash, ReuseFrequency.documents)
                           .where(ReuseFrequency.hash.in_(hashes))).all()
    return dict(rows)


def test_reuse_index_is_registered():
    assert "reuse" in indexing.registered()


def test_adding_a_document_stores_its_fingerprints(db):
    doc_id = add(db, SOURCE)
    hashes = document_fingerprints(SOURCE)
    assert hashes
    with db.session() as session:
        stored = sorted(session.scalars(select(ReuseFingerprint.hash).where(ReuseFingerprint.document_id == doc_id)))
        assert stored == hashes
        entry = session.get(ReuseDocument, doc_id)
        assert (entry.scheme, entry.fingerprints, entry.counted) == (SCHEME, len(hashes), True)
        assert set(frequencies(session, hashes).values()) == {1}


def test_frequencies_count_archive_documents_not_draft_versions(db):
    add(db, SOURCE)
    add(db, SOURCE + "\n补充一句。")
    add(db, SOURCE + "\n草稿第一版。", kind=DocumentKind.DRAFT, draft_id=9)
    add(db, SOURCE + "\n草稿第二版。", kind=DocumentKind.DRAFT, draft_id=9)
    hashes = document_fingerprints(SOURCE)
    with db.session() as session:
        assert set(frequencies(session, hashes).values()) == {2}
        drafts = session.scalar(select(func.count()).select_from(ReuseDocument).where(ReuseDocument.counted.is_(False)))
        assert drafts == 2
        state = status(session)
        assert (state.documents, state.indexed, state.archive_documents, state.missing) == (4, 4, 2, 0)


def test_remove_document_drops_rows_and_frequencies(db):
    keep = add(db, SOURCE)
    gone = add(db, SOURCE + "\n另一篇。")
    with db.session() as session:
        remove_document(session, gone)
    hashes = document_fingerprints(SOURCE)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ReuseFingerprint)
                              .where(ReuseFingerprint.document_id == gone)) == 0
        assert session.get(ReuseDocument, gone) is None
        assert set(frequencies(session, hashes).values()) == {1}
        remove_document(session, keep)
    with db.session() as session:
        assert frequencies(session, hashes) == {}
        remove_document(session, keep)  # a second removal is harmless


def test_rebuild_indexes_documents_stored_before_the_index(db):
    add(db, SOURCE)
    add(db, HOST)
    with db.session() as session:
        session.execute(ReuseFingerprint.__table__.delete())
        session.execute(ReuseFrequency.__table__.delete())
        session.execute(ReuseDocument.__table__.delete())
    with db.session() as session:
        assert status(session).missing == 2
    seen = []
    assert rebuild(db, progress=lambda done, total: seen.append((done, total)), batch=1) == 2
    assert seen == [(1, 2), (2, 2)]
    with db.session() as session:
        assert status(session).missing == 0
        assert set(frequencies(session, document_fingerprints(SOURCE)).values()) == {1}
        assert session.scalar(select(func.count()).select_from(Document)) == 2
    assert rebuild(db) == 0
