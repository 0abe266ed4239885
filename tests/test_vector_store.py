"""Tests for drafter.store.vector_store: quantisation, exact and binary search, the file cache."""

import numpy as np
import pytest
from sqlalchemy import delete

from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.store.models import DocumentKind
from drafter.store.search_models import SearchSentence, SentenceVector
from drafter.store.vector_store import (
    BinaryRescoreIndex,
    ExactIndex,
    VectorStore,
    cache_folder,
    dequantise,
    quantise,
    sign_bits,
)


def unit_vectors(n, seed=0, dim=384):
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, dim)) + 0.5  # a shared component, like e5's bunched vectors
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def test_int8_quantisation_keeps_cosines():
    v = unit_vectors(50)
    codes, scales = quantise(v)
    back = dequantise(codes, scales)
    assert codes.dtype == np.int8 and np.abs(codes).max() == 127
    assert np.min(np.sum(back * v, axis=1) / np.linalg.norm(back, axis=1)) > 0.9995


def test_exact_index_finds_the_best_rows_and_respects_the_mask():
    v = unit_vectors(1000)
    index = ExactIndex(*quantise(v))
    rows, scores = index.search(v[17], 5)
    assert rows[0] == 17 and scores[0] == pytest.approx(1.0, abs=1e-3) and list(scores) == sorted(scores, reverse=True)
    mask = np.ones(1000, bool)
    mask[17] = False
    assert 17 not in index.search(v[17], 5, mask)[0]
    assert len(index.search(v[0], 5, np.zeros(1000, bool))[0]) == 0


@pytest.mark.parametrize("binary", [False, True])
def test_many_queries_at_once_give_what_each_query_gives_alone(monkeypatch, binary):
    import drafter.store.vector_store as vs

    monkeypatch.setattr(vs, "_CHUNK", 700)  # several chunks and query blocks
    monkeypatch.setattr(vs, "_QUERY_BLOCK", 3)
    v = unit_vectors(2000, seed=4)
    codes, scales = quantise(v)
    centre = v.mean(axis=0)
    index = BinaryRescoreIndex(sign_bits(v, centre), scales, centre, lambda rows: codes[rows], candidates=300) \
        if binary else ExactIndex(codes, scales)
    mask = np.ones(2000, bool)
    mask[[5, 900, 1500]] = False
    queries = v[[5, 10, 900, 1500, 1999, 42, 7]]
    together = index.search_many(queries, 6, mask)
    assert len(together) == len(queries)
    for query, (rows, scores) in zip(queries, together, strict=True):
        alone_rows, alone_scores = index.search(query, 6, mask)
        assert list(rows) == list(alone_rows) and np.allclose(scores, alone_scores, atol=1e-5)
        assert not set(rows) & {5, 900, 1500}
    assert all(len(r) == 0 for r, _ in ExactIndex(codes[:0], scales[:0]).search_many(queries, 6))


def test_binary_index_agrees_with_exact_search():
    v = unit_vectors(20_000, seed=1)
    codes, scales = quantise(v)
    centre = v.mean(axis=0)
    binary = BinaryRescoreIndex(sign_bits(v, centre), scales, centre, lambda rows: codes[rows], candidates=1000)
    exact = ExactIndex(codes, scales)
    rng = np.random.default_rng(2)
    targets = rng.choice(len(v), 40, replace=False)
    queries = v[targets] + rng.normal(scale=0.04, size=(40, 384))  # a reworded sentence lands near its source
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    agree = [binary.search(q, 1)[0][0] == exact.search(q, 1)[0][0] for q in queries]
    assert np.mean(agree) >= 0.95
    rows, _ = binary.search(v[123], 3)
    assert rows[0] == 123


def add_doc(db, body, kind=DocumentKind.ARCHIVE):
    with db.session() as session:
        return add_document(session, build_document(body, DocumentMeta(), kind=kind)).id


def store_vectors(db, vectors_by_sentence):
    with db.session() as session:
        for sid, vector in vectors_by_sentence.items():
            codes, scales = quantise(vector[None, :])
            session.add(SentenceVector(sentence_id=sid, model="m", scale=float(scales[0]), codes=codes[0].tobytes()))


def sentence_ids(db):
    with db.session() as session:
        return list(session.scalars(SearchSentence.__table__.select().with_only_columns(SearchSentence.id)
                                    .order_by(SearchSentence.id)))


def test_store_mirrors_the_table_incrementally_and_rebuilds_after_deletes(db, tmp_path):
    archive = add_doc(db, "第一句。第二句。\n第三句。\n")
    draft = add_doc(db, "草稿一句。\n", kind=DocumentKind.DRAFT)
    ids = sentence_ids(db)
    vectors = unit_vectors(len(ids), seed=3)
    store_vectors(db, dict(zip(ids[:2], vectors[:2], strict=True)))
    folder = tmp_path / "cache"
    store = VectorStore(folder, "m")
    with db.session() as session:
        assert store.refresh(session) == 2
        store_vectors(db, dict(zip(ids[2:], vectors[2:], strict=True)))
        assert store.refresh(session) == 2 and len(store) == 4
    assert store.search(vectors[0], 1)[0][0] == ids[0]
    # archive rows only by default; drafts when asked
    draft_sentence = ids[-1]
    assert draft_sentence not in [s for s, _ in store.search(vectors[-1], 4, store.mask())]
    assert store.search(vectors[-1], 1, store.mask(include_drafts=True))[0][0] == draft_sentence
    assert archive not in set(store.arrays["doc_ids"][store.mask(exclude_docs={archive})].tolist())
    # a second process sees the same cache without reading the table again
    other = VectorStore(folder, "m")
    with db.session() as session:
        assert other.refresh(session) == 0 and len(other) == 4
        # deleting vectors makes the next refresh rebuild from the table
        session.execute(delete(SentenceVector).where(SentenceVector.sentence_id == ids[0]))
    with db.session() as session:
        store.refresh(session, full_check=True)
    assert len(store) == 3 and ids[0] not in store.arrays["sentence_ids"]
    assert draft in store.arrays["doc_ids"]


def test_store_switches_to_binary_candidates_past_the_exact_limit(db, tmp_path):
    add_doc(db, "".join(f"第{n}句。" for n in range(60)) + "\n")
    ids = sentence_ids(db)
    vectors = unit_vectors(len(ids), seed=4)
    store_vectors(db, dict(zip(ids, vectors, strict=True)))
    store = VectorStore(tmp_path / "cache", "m", exact_limit=20)
    store.batch = 7  # the switch happens in the middle of a refresh
    with db.session() as session:
        store.refresh(session)
    assert len(store) == len(ids) == len(store.bits) and store._meta()["count"] == len(ids)
    assert list(store.arrays["sentence_ids"]) == ids
    assert store.bits is not None and len(store.codes) == 0  # codes stay on disk
    assert store.search(vectors[42], 1)[0][0] == ids[42]
    reopened = VectorStore(tmp_path / "cache", "m", exact_limit=20)
    with db.session() as session:
        reopened.refresh(session)
    assert reopened.search(vectors[7], 1)[0][0] == ids[7]
    assert reopened.memory_bytes() < len(ids) * 384


def test_cache_folder_sits_beside_sqlite_files(tmp_path):
    assert cache_folder(f"sqlite:///{tmp_path}/a.db", tmp_path) == tmp_path / "a.db.vectors"
    assert cache_folder("sqlite://", tmp_path) is None
    pg = cache_folder("postgresql+psycopg://u:secret@host/db", tmp_path)
    assert pg.parent == tmp_path / "vectors" and "secret" not in str(pg)


def test_a_recreated_table_is_mirrored_again(db, tmp_path):
    add_doc(db, "第一句。第二句。\n")
    ids = sentence_ids(db)
    vectors = unit_vectors(2, seed=5)
    store_vectors(db, {ids[0]: vectors[0]})
    store = VectorStore(tmp_path / "cache", "m")
    with db.session() as session:
        store.refresh(session)
        session.execute(delete(SentenceVector))
    store_vectors(db, {ids[1]: vectors[1]})  # same count, but another row
    with db.session() as session:
        store.refresh(session, full_check=True)
    assert list(store.arrays["sentence_ids"]) == [ids[1]]


def test_damaged_cache_files_are_rebuilt_from_the_table(db, tmp_path):
    add_doc(db, "第一句。第二句。\n")
    ids = sentence_ids(db)
    store_vectors(db, dict(zip(ids, unit_vectors(2, seed=6), strict=True)))
    with db.session() as session:
        VectorStore(tmp_path / "cache", "m").refresh(session)
    (tmp_path / "cache" / "sentence_ids.bin").unlink()
    fresh = VectorStore(tmp_path / "cache", "m")
    with db.session() as session:
        fresh.refresh(session)
    assert sorted(fresh.arrays["sentence_ids"]) == ids
