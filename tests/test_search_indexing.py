"""Tests for drafter.services.search_indexing: registered with the indexer registry, backfill."""

from sqlalchemy import func, select

from drafter.services import indexing
from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.services.search_indexing import index_missing
from drafter.store import keyword_index
from drafter.store.search_models import SearchSentence


def test_search_index_is_registered_and_runs_on_add(db):
    assert "search" in indexing.registered()
    with db.session() as session:
        add_document(session, build_document("标题\n第一句。第二句。\n", DocumentMeta()))
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SearchSentence)) == 3


def test_index_missing_reports_progress(db):
    with db.session() as session:
        ids = [add_document(session, build_document(f"文稿{n}\n正文。\n", DocumentMeta())).id for n in range(3)]
    with db.session() as session:
        for doc in ids[:2]:
            indexing.remove_document(session, doc)
    seen = []
    assert index_missing(db, lambda done, total: seen.append((done, total))) == 2
    assert seen == [(1, 2), (2, 2)]
    with db.session() as session:
        assert keyword_index.unindexed_document_ids(session) == []
