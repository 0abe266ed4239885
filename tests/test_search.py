"""Tests for drafter.services.search: keyword-only results at once, fusion with semantic results, filters,
a draft's own versions never suggested, highlights and snippets."""

import pytest

from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.services.embeddings import embed_pending
from drafter.services.search import SearchEngine
from drafter.store.keyword_index import DocFilter
from drafter.store.models import DocumentKind

BOTH = "便民服务简报\n今年起，群众办事更方便了，窗口排队时间明显缩短。\n"
WORDS_ONLY = "办事大厅维修通知\n群众办事大厅的装修工程已于上周完工，下周一恢复对外办公。\n"
MEANING_ONLY = "审批制度改革情况\n推行一次办改革以来，企业和居民少跑腿，审批材料减少三成。\n"
UNRELATED = "安全生产检查通报\n各单位要开展隐患排查，坚决防范重大事故。\n"


def add(db, body, kind=DocumentKind.ARCHIVE, draft_id=None, **meta):
    with db.session() as session:
        document = build_document(body, DocumentMeta(**meta), kind=kind)
        document.draft_id = draft_id
        return add_document(session, document).id


@pytest.fixture
def archive(db):
    return {"both": add(db, BOTH, year=2024, unit="政务服务中心", doc_type="简报"),
            "words": add(db, WORDS_ONLY, year=2022, unit="机关事务局", doc_type="通知"),
            "meaning": add(db, MEANING_ONLY, year=2023, unit="政务服务中心", doc_type="报告", exemplar=True),
            "unrelated": add(db, UNRELATED, year=2024, unit="应急管理局", doc_type="通报")}


def engine(db, tmp_path):
    return SearchEngine(db, tmp_path / "instance")


def test_keyword_results_come_at_once_and_say_semantic_is_missing(db, tmp_path, archive):
    result = engine(db, tmp_path).search("群众办事")
    docs = [h.doc_id for h in result.hits]
    assert docs[:2] == [archive["words"], archive["both"]] or docs[:2] == [archive["both"], archive["words"]]
    assert archive["meaning"] not in docs
    assert result.semantic.state == "missing" and "尚未计算" in result.semantic.message
    assert all(h.matched_by == ("keyword",) for h in result.hits)


def test_fusion_puts_agreement_first_and_adds_meaning_only_matches(db, tmp_path, archive, concept_encoder):
    embed_pending(db, concept_encoder)
    result = engine(db, tmp_path).search("怎样让群众办事更方便", k=5)
    docs = [h.doc_id for h in result.hits]
    assert result.semantic.state == "complete"
    assert docs[0] == archive["both"] and result.hits[0].matched_by == ("keyword", "semantic")
    assert {archive["words"], archive["meaning"]} <= set(docs[:4])
    assert docs.index(archive["meaning"]) < docs.index(archive["unrelated"]) if archive["unrelated"] in docs else True
    assert 0 < result.hits[-1].score <= result.hits[0].score <= 1.0


def test_a_few_keywords_rank_by_the_words_and_sentences_by_meaning(db, tmp_path, archive, concept_encoder):
    """A search-box query of a few words keeps the keyword order (meaning only breaks ties); a sentence-like
    query keeps the full semantic weight."""
    embed_pending(db, concept_encoder)
    search = engine(db, tmp_path)
    hits = [(archive["words"], 1.0)]
    with db.session() as session:
        short = search._weights(session, "装修工程", hits, semantic_used=True)
        long = search._weights(session, "群众办事大厅的装修工程什么时候完工", hits, semantic_used=True)
    assert short["semantic"] < 0.1 * short["keyword"]
    assert long["semantic"] == 1.0
    assert search.search("装修工程", k=4).hits[0].doc_id == archive["words"]


def test_hits_carry_offsets_highlights_and_snippets(db, tmp_path, archive):
    hit = engine(db, tmp_path).search("排队", k=1).hits[0]
    assert hit.doc_id == archive["both"] and BOTH[hit.start:hit.end] == hit.paragraph and hit.paragraph_index == 1
    assert [hit.paragraph[s:e] for s, e in hit.highlights] == ["排队"]
    snippet = hit.snippet(8)
    assert ("排队", True) in snippet["runs"] and sum(len(t) for t, _ in snippet["runs"]) == 8
    assert snippet["cut_start"] and snippet["cut_end"]
    json = hit.to_json()
    assert {"doc_id", "title", "path", "paragraph", "start", "end", "score"} <= set(json)


def test_filters_apply_to_both_indexes(db, tmp_path, archive, concept_encoder):
    embed_pending(db, concept_encoder)
    search = engine(db, tmp_path)
    query = "怎样让群众办事更方便"
    assert {h.doc_id for h in search.search(query, where=DocFilter(year=2023)).hits} == {archive["meaning"]}
    assert {h.doc_id for h in search.search(query, where=DocFilter(unit="政务服务中心")).hits} == \
        {archive["both"], archive["meaning"]}
    assert {h.doc_id for h in search.search(query, where=DocFilter(exemplar_only=True)).hits} == {archive["meaning"]}
    assert {h.doc_id for h in search.search(query, where=DocFilter(doc_type="通知")).hits} == {archive["words"]}


def test_similar_never_suggests_the_draft_or_its_versions(db, tmp_path, archive, concept_encoder):
    draft_text = "关于优化服务的汇报\n下一步要让群众办事更方便，减少排队。\n"
    own_old = add(db, draft_text, kind=DocumentKind.DRAFT, draft_id=5)
    other_draft = add(db, draft_text + "补充。\n", kind=DocumentKind.DRAFT, draft_id=6)
    embed_pending(db, concept_encoder)
    search = engine(db, tmp_path)
    items, semantic = search.similar(draft_text, where=DocFilter(kinds=("archive", "draft"),
                                                                  exclude_draft_ids=frozenset({5})))
    docs = {i.hit.doc_id for i in items}
    assert own_old not in docs and other_draft in docs and semantic.state == "complete"
    archive_only, _ = search.similar(draft_text)
    assert {i.hit.doc_id for i in archive_only} <= set(archive.values())
    assert archive["both"] in {i.hit.doc_id for i in archive_only}
    first = archive_only[0]
    assert draft_text[first.for_start:first.for_end] == "下一步要让群众办事更方便，减少排队。"
    excluded, _ = search.similar(draft_text, where=DocFilter(exclude_ids=frozenset({archive["both"]})))
    assert archive["both"] not in {i.hit.doc_id for i in excluded}


def test_similar_finds_paragraphs_without_shared_words(db, tmp_path, archive, concept_encoder):
    embed_pending(db, concept_encoder)
    items, _ = engine(db, tmp_path).similar("下一步继续压缩审批环节，让办理更省时便利。", per_paragraph=3)
    assert archive["meaning"] in {i.hit.doc_id for i in items}


def test_short_paragraphs_and_empty_queries_give_nothing(db, tmp_path, archive):
    search = engine(db, tmp_path)
    assert search.similar("一、总体要求\n")[0] == []
    assert search.search("   ").hits == []
    assert search.search("").hits == []


def test_one_character_words_are_not_highlighted_beside_longer_ones(db, tmp_path, archive):
    hit = engine(db, tmp_path).search("审批 材料 少", k=1).hits[0]
    assert hit.doc_id == archive["meaning"] and "少跑腿" in hit.paragraph
    assert [hit.paragraph[s:e] for s, e in hit.highlights] == ["审批材料"]  # adjacent words merge; 少 not marked
