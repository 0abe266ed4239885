"""Tests for drafter.web.review: the review loop through the pages."""

import datetime as dt
import re

import pytest

from drafter.services.drafts import create_draft
from drafter.store.workflow import Annotation, Draft

TEXT = "关于做好值班工作的通知\n各科室：\n一、严格执行值班制度，以经明确责任。\n二、及时报送信息。\n"


@pytest.fixture
def draft_id(db, office) -> int:
    with db.session() as session:
        return create_draft(session, office.user(session, "junior"), "关于做好值班工作的通知", "通知",
                            due_date=dt.date.today() - dt.timedelta(days=2), text=TEXT).id


def _body(response) -> str:
    return response.get_data(as_text=True)


def _follow(client, response) -> str:
    assert response.status_code == 302, _body(response)[:300]
    return _body(client.get(response.headers["Location"]))


def test_review_loop_through_the_pages(db, office, login, draft_id):
    junior, mentor = login("zhangxy"), login("lils")
    page = _body(junior.get(f"/drafts/{draft_id}"))
    assert "提交审阅" in page and "撰写中" in page and "已逾期" in page
    assert "已提交审阅" in _follow(junior, junior.post(f"/drafts/{draft_id}/submit"))

    queue = _body(mentor.get("/review/"))
    assert "关于做好值班工作的通知" in queue and "已逾期" in queue and "指导老师" in queue
    assert 'class="nav-count">1<' in queue

    page = _body(mentor.get(f"/drafts/{draft_id}"))
    assert "审阅决定" in page and "通过，送科长签批" in page and 'data-annotatable="1"' in page
    start = TEXT.index("以经")
    page = _follow(mentor, mentor.post(f"/drafts/{draft_id}/versions/1/annotations", data={
        "start": str(start), "end": str(start + 2), "category": "typo", "comment": "错别字", "replacement": "已经"}))
    assert "批注已添加" in page and 'id="a-' in page and "建议改为：<ins>已经</ins>" in page
    page = _follow(mentor, mentor.post(f"/drafts/{draft_id}/versions/1/annotations", data={
        "quote": "及时报送信息", "category": "viewpoint", "comment": "报送时限要写明"}))
    assert "报送时限要写明" in page

    refused = mentor.post(f"/drafts/{draft_id}/decide", data={"verdict": "return", "comment": ""})
    assert "总体意见" in _follow(mentor, refused)
    page = _follow(mentor, mentor.post(f"/drafts/{draft_id}/decide",
                                       data={"verdict": "return", "comment": "请按批注修改。"}))
    assert "已退回撰稿人修改" in page and "退回修改" in page

    page = _body(junior.get(f"/drafts/{draft_id}"))
    assert "请按批注修改。" in page and "未解决批注 2 条" in page and "审阅决定" not in page
    with db.session() as session:
        note = session.query(Annotation).filter_by(category="typo").one()
    _follow(junior, junior.post(f"/drafts/{draft_id}/annotations/{note.id}/replies", data={"text": "已改正。"}))
    page = _follow(junior, junior.post(f"/drafts/{draft_id}/annotations/{note.id}/resolve", data={"resolved": "1"}))
    assert "已改正。" in page and "未解决批注 1 条" in page

    v2 = TEXT.replace("以经", "已经").replace("及时报送信息。", "在30分钟内报送信息。")
    _follow(junior, junior.post(f"/drafts/{draft_id}/edit", data={"text": v2, "base": "1"}))
    page = _body(junior.get(f"/drafts/{draft_id}/versions/2"))
    assert "已按建议修改" in page and "原文已改动" in page
    assert len(re.findall(r'class="hl (?:hd )?hl-annotation', page)) == 1  # only the applied one still has a place

    _follow(junior, junior.post(f"/drafts/{draft_id}/submit"))
    _follow(mentor, mentor.post(f"/drafts/{draft_id}/decide", data={"verdict": "pass", "comment": "可以了"}))
    chief = login("zhoukz")
    assert "关于做好值班工作的通知" in _body(chief.get("/review/"))
    assert "通过，送办公室主任签批" in _body(chief.get(f"/drafts/{draft_id}"))
    _follow(chief, chief.post(f"/drafts/{draft_id}/decide", data={"verdict": "pass"}))
    director = login("wangzr")
    assert "通过（定稿）" in _body(director.get(f"/drafts/{draft_id}"))
    page = _follow(director, director.post(f"/drafts/{draft_id}/decide", data={"verdict": "pass"}))
    assert "已通过" in page and "全部签批通过" in page and "review.submit" not in page and "/submit\"" not in page
    with db.session() as session:
        assert session.get(Draft, draft_id).state == "approved"


def test_withdraw_through_the_page(db, office, login, draft_id):
    junior = login("zhangxy")
    junior.post(f"/drafts/{draft_id}/submit")
    page = _body(junior.get(f"/drafts/{draft_id}"))
    assert "撤回提交" in page and "编辑 / 上传新稿" not in page
    assert "已撤回提交" in _follow(junior, junior.post(f"/drafts/{draft_id}/withdraw"))
    assert _body(login("lils").get("/review/")).count("关于做好值班工作的通知") == 0


def test_bad_annotation_is_explained(db, office, login, draft_id):
    login("zhangxy").post(f"/drafts/{draft_id}/submit")
    mentor = login("lils")
    page = _follow(mentor, mentor.post(f"/drafts/{draft_id}/versions/1/annotations", data={
        "quote": "、", "category": "typo", "comment": "x"}))
    assert "不止一次" in page
    with db.session() as session:
        assert session.query(Annotation).count() == 0


def test_decide_with_unknown_verdict_is_a_bad_request(db, office, login, draft_id):
    login("zhangxy").post(f"/drafts/{draft_id}/submit")
    assert login("lils").post(f"/drafts/{draft_id}/decide", data={"verdict": "maybe"}).status_code == 400


def test_empty_queue(login, office):
    page = _body(login("chenj").get("/review/"))
    assert "暂无待审阅的文稿" in page
