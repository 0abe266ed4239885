"""Tests for drafter.services.phrases: computing, storing, staleness and reading office phrases."""

from pathlib import Path

import pytest

from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.services.phrases import (
    MiningOptions,
    list_phrases,
    phrases_for_check,
    rebuild,
    refresh_if_stale,
    status,
)
from drafter.store.models import DocumentKind

ARCHIVE = Path(__file__).parent / "data" / "office_archive"


def add(db, text, kind=DocumentKind.ARCHIVE):
    with db.session() as session:
        add_document(session, build_document(text, DocumentMeta(), kind=kind))


@pytest.fixture
def archive_db(db):
    for path in sorted(ARCHIVE.glob("*.txt")):
        add(db, path.read_text(encoding="utf-8"))
    return db


def test_status_of_an_empty_archive(db):
    with db.session() as session:
        current = status(session)
    assert current.documents == 0 and not current.stale and current.computed_at is None
    assert refresh_if_stale(db) is None


def test_rebuild_stores_phrases_with_document_counts(archive_db):
    with archive_db.session() as session:
        assert status(session).stale  # never computed
    result = rebuild(archive_db)
    assert result.computed_documents == 8 and result.phrases >= 1 and not result.stale
    with archive_db.session() as session:
        rows = list_phrases(session)
        assert rows[0].phrase == "主动靠前服务" and rows[0].doc_count == 6 and rows[0].rank == 1
        assert rows[0].words.split() == ["主动", "靠", "前", "服务"]
        assert list_phrases(session, top=1) == rows[:1]


def test_stale_after_enough_new_documents_and_refresh(archive_db):
    rebuild(archive_db)
    assert refresh_if_stale(archive_db) is None  # fresh
    add(archive_db, "草稿：各科室要主动靠前服务。", kind=DocumentKind.DRAFT)  # drafts do not count
    with archive_db.session() as session:
        assert status(session).changed == 0
    add(archive_db, "新增一篇：信访科要主动靠前服务，群众来信当日登记。")
    with archive_db.session() as session:
        current = status(session)
    assert current.changed == 1 and current.stale  # a small archive is stale after any change
    refreshed = refresh_if_stale(archive_db)
    assert refreshed is not None and refreshed.computed_documents == 9
    with archive_db.session() as session:
        assert list_phrases(session)[0].doc_count == 7


def test_phrases_for_check_are_cached_until_the_next_computation(archive_db):
    assert phrases_for_check(archive_db) == ()
    rebuild(archive_db)
    first = phrases_for_check(archive_db)
    assert first[0].phrase == "主动靠前服务" and first[0].doc_count == 6
    assert phrases_for_check(archive_db) is first
    rebuild(archive_db)
    assert phrases_for_check(archive_db) is not first


def test_mining_options_from_settings():
    assert MiningOptions.from_settings(None) == MiningOptions()
    options = MiningOptions.from_settings({"office_min_share": "0.1", "office_min_docs": 5, "office_top": 20})
    assert (options.min_share, options.min_docs, options.top) == (0.1, 5, 20)
    for bad in ({"office_min_share": "很多"}, {"office_min_share": 2}, {"office_top": 0}):
        with pytest.raises(ValueError, match="formulaic"):
            MiningOptions.from_settings(bad)
