"""Tests for drafter.services.embeddings: pending work, batches, re-runs, status."""

from sqlalchemy import func, select

from drafter.services import embeddings
from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.store.search_models import SearchSentence, SentenceVector

TEXT = "年度工作要点\n一、抓好安全生产。开展隐患排查。\n二、管好经费预算。\n"


def add(db, body=TEXT):
    with db.session() as session:
        return add_document(session, build_document(body, DocumentMeta())).id


def test_status_counts_and_describes(db):
    with db.session() as session:
        assert embeddings.status(session, "e5-small").describe() == "语义索引：档案中还没有句子"
    add(db)
    with db.session() as session:
        status = embeddings.status(session, "e5-small")
    assert (status.done, status.total, status.pending, status.complete) == (0, 4, 4, False)
    assert "尚未计算" in status.describe()


def test_embed_pending_is_resumable_and_reports_progress(db, concept_encoder):
    add(db)
    seen = []
    assert embeddings.embed_pending(db, concept_encoder, progress=seen.append, batch=2, limit=3) == 3
    assert [s.done for s in seen] == [2, 3]
    with db.session() as session:
        assert "3/4" in embeddings.status(session, "e5-small").describe()
    assert embeddings.embed_pending(db, concept_encoder, batch=2) == 1
    assert embeddings.embed_pending(db, concept_encoder) == 0  # nothing left: a re-run is a no-op
    with db.session() as session:
        assert embeddings.status(session, "e5-small").complete
        texts = dict(session.execute(select(SearchSentence.id, SearchSentence.start)).all())
        assert session.scalar(select(func.count()).select_from(SentenceVector)) == len(texts)


def test_pending_sentences_carry_their_text(db):
    add(db)
    with db.session() as session:
        rows = embeddings.pending_sentences(session, "e5-small", 10)
    assert [t for _, t in rows][:3] == ["年度工作要点", "一、抓好安全生产。", "开展隐患排查。"]


def test_vectors_of_another_model_are_replaced(db, concept_encoder):
    add(db)
    embeddings.embed_pending(db, concept_encoder)
    with db.session() as session:
        session.execute(SentenceVector.__table__.update().values(model="old-model"))
    assert embeddings.embed_pending(db, concept_encoder) == 4
    with db.session() as session:
        models = set(session.scalars(select(SentenceVector.model)))
    assert models == {"e5-small"}
