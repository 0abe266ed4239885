"""Tests for drafter.store.keyword_index: sentences, 2-character words inside longer words, filters, removal."""

import pytest
from sqlalchemy import func, inspect, select, text

from drafter.analysis.terms import query_terms
from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.store import keyword_index
from drafter.store.keyword_index import DocFilter, postgres_tsquery, sqlite_match
from drafter.store.models import DocumentKind
from drafter.store.search_models import SearchSentence

MEETING = "关于召开文稿点评会的通知\n各处室：\n定于每月第一周周五下午召开点评会。请各处室推荐一篇近期文稿。\n"
FARM = "乡村振兴工作要点\n一、稳定粮食生产\n全年粮食播种面积稳定在三百万亩以上。\n"


def add(db, body, **meta):
    kind = meta.pop("kind", DocumentKind.ARCHIVE)
    draft_id = meta.pop("draft_id", None)
    with db.session() as session:
        document = build_document(body, DocumentMeta(**meta), kind=kind)
        document.draft_id = draft_id
        return add_document(session, document).id


def find(db, query, where=None):
    with db.session() as session:
        hits = keyword_index.search(session, query_terms(query), 20, where)
        rows = session.execute(select(SearchSentence.id, SearchSentence.document_id)).all()
    owner = dict(rows)
    return [owner[sid] for sid, _ in hits]


def test_migration_creates_the_engine_specific_index(db):
    tables = set(inspect(db.engine).get_table_names())
    assert {"search_sentences", "search_vectors"} <= tables
    assert "search_fts" in tables or "search_terms" in tables


def test_sentences_are_offsets_into_the_document(db):
    doc = add(db, MEETING)
    with db.session() as session:
        rows = session.scalars(select(SearchSentence).where(SearchSentence.document_id == doc)
                               .order_by(SearchSentence.id)).all()
        texts = [MEETING[r.start:r.end] for r in rows]
    assert texts == ["关于召开文稿点评会的通知", "各处室：", "定于每月第一周周五下午召开点评会。", "请各处室推荐一篇近期文稿。"]
    assert [r.paragraph_index for r in rows] == [0, 1, 2, 2]


def test_two_character_word_is_found_inside_longer_words(db):
    meeting, farm = add(db, MEETING), add(db, FARM)
    assert find(db, "点评")[0] == meeting      # 点评 inside 点评会
    assert meeting in find(db, "评会")           # a bigram jieba never makes a word of
    assert find(db, "粮食")[0] == farm
    assert find(db, "播种面积") == [farm]
    assert find(db, "不存在的词语组合") == []


def test_traditional_characters_in_the_query_find_simplified_text(db):
    meeting = add(db, MEETING)
    assert find(db, "點評會") == [meeting, meeting]


def test_filters_narrow_by_metadata_and_exclude_drafts_by_default(db):
    old = add(db, MEETING, year=2022, doc_type="通知", unit="办公室")
    new = add(db, MEETING + "补充：请按时参加。\n", year=2024, doc_type="通知", unit="综合科", exemplar=True)
    draft = add(db, MEETING + "草稿。\n", kind=DocumentKind.DRAFT, draft_id=7)
    assert set(find(db, "点评会")) == {old, new}
    assert set(find(db, "点评会", DocFilter(year=2024))) == {new}
    assert set(find(db, "点评会", DocFilter(unit="办公室"))) == {old}
    assert set(find(db, "点评会", DocFilter(exemplar_only=True))) == {new}
    assert set(find(db, "点评会", DocFilter(exclude_ids=frozenset({old})))) == {new}
    drafts = DocFilter(kinds=("archive", "draft"))
    assert draft in find(db, "点评会", drafts)
    assert draft not in find(db, "点评会", DocFilter(kinds=("archive", "draft"), exclude_draft_ids=frozenset({7})))


def test_remove_document_drops_sentences_and_entries(db):
    doc = add(db, MEETING)
    with db.session() as session:
        keyword_index.remove_document(session, doc)
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SearchSentence)) == 0
        if db.engine.dialect.name == "sqlite":
            assert session.scalar(text("SELECT count(*) FROM search_fts")) == 0
    assert find(db, "点评") == []


def test_unindexed_documents_are_listed_for_backfill(db):
    doc = add(db, MEETING)
    with db.session() as session:
        keyword_index.remove_document(session, doc)
        assert keyword_index.unindexed_document_ids(session) == [doc]


def test_words_no_sentence_holds_are_dropped_and_common_ones_only_when_rare_ones_exist(db, monkeypatch):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("document frequencies come from FTS5's vocabulary")
    monkeypatch.setattr(keyword_index, "COMMON_LIMIT", 3)
    for n in range(5):
        add(db, f"第{n}号通知\n各处室要做好文稿报送。\n")
    farm = add(db, FARM)
    with db.session() as session:
        kept = [t.text for t in keyword_index._select_terms(session, query_terms("文稿 粮食 飞船"))]
        short = [t.text for t in keyword_index._select_terms(session, query_terms("文稿 报送"))]
        long_query = query_terms("文稿 报送 各处室 粮食 播种")
        kept_long = [t.text for t in keyword_index._select_terms(session, long_query)]
    assert kept == ["粮食", "文稿"] and set(short) == {"文稿", "报送"}  # 飞船: in no sentence
    assert "粮食" in kept_long and "文稿" not in kept_long
    assert find(db, "文稿 粮食")[0] == farm


def test_long_queries_keep_the_rarest_words(db, monkeypatch):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("rarity comes from FTS5's vocabulary; PostgreSQL keeps the longest words")
    monkeypatch.setattr(keyword_index, "MAX_TERMS", 8)
    for n in range(4):
        add(db, f"第{n}号通知\n各处室要做好文稿报送和文稿审核。\n")
    farm = add(db, FARM)
    long_query = "文稿 报送 审核 处室 全年 粮食 播种 面积 稳定 三百万 以上 生产 要点 工作"
    terms = query_terms(long_query)
    assert len(terms) > keyword_index.MAX_TERMS
    with db.session() as session:
        kept = [t.text for t in keyword_index._select_terms(session, terms)]
    assert len(kept) == 8 and not {"文稿", "报送", "审核", "处室"} & set(kept) and "播种" in kept
    assert find(db, long_query)[0] == farm


def test_match_expressions_quote_terms():
    terms = query_terms("点评会 会 研究部署")
    match = sqlite_match([t for t in terms if t.text in ("点评", "会", "研究部署")])
    assert match == '({words grams} : "点评") OR (grams : "会"*) OR (words : "研究部署") OR (grams : "研究 究部 部署")'
    assert postgres_tsquery(terms[:2]) == "点评:A | (点评) | 会:*"
