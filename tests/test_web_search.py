"""Tests for drafter.web.search: the search page and the similar-material API."""

import pytest

from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.services.embeddings import embed_pending
from drafter.store.models import DocumentKind

MEETING = "关于召开文稿点评会的通知\n各处室：\n定于每月第一周周五下午召开<b>点评会</b>。\n"
PLAN = "便民服务改革情况\n推行一次办改革以来，企业和居民少跑腿。\n"


@pytest.fixture
def docs(db):
    ids = {}
    with db.session() as session:
        ids["meeting"] = add_document(session, build_document(MEETING, DocumentMeta(year=2023, unit="办公室"))).id
        ids["plan"] = add_document(session, build_document(PLAN, DocumentMeta(year=2024, exemplar=True))).id
        draft = build_document(PLAN + "草稿。\n", DocumentMeta(), kind=DocumentKind.DRAFT)
        draft.draft_id = 3
        ids["draft"] = add_document(session, draft).id
    return ids


def test_search_page_highlights_and_links_to_the_paragraph(client, docs):
    page = client.get("/search?q=点评").get_data(as_text=True)
    assert f'/documents/{docs["meeting"]}#p2' in page
    assert "<mark>点评</mark>" in page and "&lt;b&gt;" in page and "<b>点评会</b>" not in page  # escaped
    assert "尚未计算" in page  # semantic part missing is said
    assert "档案检索" in client.get("/search").get_data(as_text=True)


def test_search_page_filters(client, docs):
    assert "便民服务改革情况" in client.get("/search?q=改革&exemplar=1").get_data(as_text=True)
    assert "没有找到相关段落" in client.get("/search?q=改革&year=2023").get_data(as_text=True)
    assert "关于召开文稿点评会的通知" in client.get("/search?q=点评&unit=办公室").get_data(as_text=True)


def test_similar_api_returns_prior_paragraphs_but_not_the_draft(client, db, docs, concept_encoder):
    embed_pending(db, concept_encoder)
    response = client.post("/api/similar", json={"text": "继续推行一次办改革，让居民少跑腿。", "draft_id": 3})
    assert response.status_code == 200
    data = response.get_json()
    assert data["semantic"]["state"] == "complete"
    first = data["items"][0]
    assert first["doc_id"] == docs["plan"] and first["url"] == f"/documents/{docs['plan']}#p1"
    assert first["for_start"] == 0 and PLAN[first["start"]:first["end"]] == first["paragraph"]
    assert docs["draft"] not in {i["doc_id"] for i in data["items"]}


@pytest.mark.parametrize("payload, status", [
    ({"text": 5}, 400), ({"text": "x", "draft_id": "a"}, 400), ({"text": "x", "k": 99}, 400),
    ({"text": "字" * 6000}, 413)])
def test_similar_api_rejects_bad_requests_in_chinese(client, payload, status):
    response = client.post("/api/similar", json=payload)
    assert response.status_code == status and "error" in response.get_json()


def test_similar_api_needs_json(client):
    assert client.post("/api/similar", data="text").status_code == 400
