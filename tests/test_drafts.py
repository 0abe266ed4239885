"""Tests for drafter.services.drafts."""

import io

import pytest
from sqlalchemy import func, select

from drafter.docio import write_docx
from drafter.services.drafts import (
    DraftError,
    PermissionDenied,
    StaleVersion,
    create_draft,
    list_drafts,
    save_version,
    today_local,
    upload_version,
)
from drafter.store.models import Document, DocumentKind
from drafter.store.workflow import AuditEntry, Draft, DraftVersion

TEXT = "关于做好年度总结的通知\n各科室：\n一、总体要求\n请于12月底前报送。\n"
LIMIT = 20 * 1024 * 1024


def _draft(db, office, owner="junior", text=TEXT, actor=None) -> int:
    with db.session() as session:
        draft = create_draft(session, office.user(session, actor or owner), "关于做好年度总结的通知", "通知",
                             owner=office.user(session, owner), text=text)
        return draft.id


def test_create_draft_joins_the_pair_and_saves_the_first_version(db, office):
    draft_id = _draft(db, office)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        assert draft.pair is not None and draft.mentor.id == office.ids["mentor"]
        assert draft.version_count == 1 and draft.latest_version.number == 1
        doc = draft.latest_version.document
        assert doc.kind == DocumentKind.DRAFT.value and doc.draft_id == draft.id and doc.dedupe_key is None
        assert doc.text == TEXT and len(doc.paragraphs) == 4 and doc.title == draft.title
        assert draft.latest_version.author_id == office.ids["junior"]
        assert [e.action for e in session.scalars(select(AuditEntry))][-2:] == ["create", "save"]


def test_mentor_creates_a_draft_for_a_junior_but_not_for_others(db, office):
    draft_id = _draft(db, office, owner="junior", actor="mentor", text=None)
    with db.session() as session:
        assert session.get(Draft, draft_id).owner_id == office.ids["junior"]
        with pytest.raises(PermissionDenied, match="学员"):
            create_draft(session, office.user(session, "mentor"), "标题", owner=office.user(session, "outsider"))
        with pytest.raises(DraftError, match="标题"):
            create_draft(session, office.user(session, "junior"), "   ")


def test_every_save_is_a_version_with_author_and_time(db, office):
    draft_id = _draft(db, office)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        version = save_version(session, draft, office.user(session, "mentor"), TEXT + "二、具体安排\n", 1,
                               note="老师帮改")
        assert version.number == 2 and version.author_id == office.ids["mentor"] and version.note == "老师帮改"
        assert version.created_at is not None
        assert draft.version_count == 2


def test_same_text_makes_no_new_version(db, office):
    draft_id = _draft(db, office)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        assert save_version(session, draft, office.user(session, "junior"), TEXT + "\n\n", 1) is None
        assert draft.version_count == 1


def test_stale_save_is_refused_and_changes_nothing(db, office):
    draft_id = _draft(db, office)
    with db.session() as session:  # tab A saves on top of version 1
        draft = session.get(Draft, draft_id)
        save_version(session, draft, office.user(session, "junior"), TEXT + "A标签页的修改。\n", 1)
    with db.session() as session:  # tab B still believes version 1 is the newest
        draft = session.get(Draft, draft_id)
        with pytest.raises(StaleVersion) as caught:
            save_version(session, draft, office.user(session, "junior"), TEXT + "B标签页的修改。\n", 1)
        message = str(caught.value)
        assert "第2稿" in message and "没有保存" in message and "编辑框" in message
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(DraftVersion)) == 2
        assert session.get(Draft, draft_id).latest_version.text.endswith("A标签页的修改。\n")


def test_concurrent_save_loses_the_race_cleanly(db, office):
    """Two sessions that both passed the version check: the conditional update lets only one through."""
    draft_id = _draft(db, office)
    first, second = db.sessionmaker(), db.sessionmaker()
    try:
        draft_a, draft_b = first.get(Draft, draft_id), second.get(Draft, draft_id)
        _ = draft_a.versions, draft_b.versions
        save_version(first, draft_a, office.user(first, "junior"), TEXT + "甲\n", 1)
        first.commit()
        with pytest.raises(StaleVersion):
            save_version(second, draft_b, office.user(second, "junior"), TEXT + "乙\n", 1)
    finally:
        first.close()
        second.close()
    with db.session() as session:
        assert session.get(Draft, draft_id).version_count == 2


@pytest.mark.parametrize("text", ["", "   \n\u3000\n"])
def test_empty_text_is_refused(db, office, text):
    draft_id = _draft(db, office)
    with db.session() as session, pytest.raises(DraftError, match="正文为空"):
        save_version(session, session.get(Draft, draft_id), office.user(session, "junior"), text, 1)


def test_only_writer_and_pair_mentor_may_save_and_not_during_review(db, office):
    from drafter.services.review import submit

    draft_id = _draft(db, office)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        for key in ("director", "sibling", "chief"):
            with pytest.raises(PermissionDenied):
                save_version(session, draft, office.user(session, key), TEXT + "改\n", 1)
        submit(session, draft, office.user(session, "junior"))
        with pytest.raises(PermissionDenied, match="审阅中"):
            save_version(session, draft, office.user(session, "junior"), TEXT + "改\n", 1)


def test_upload_docx_and_txt_as_new_versions(db, office):
    draft_id = _draft(db, office)
    buffer = io.BytesIO()
    write_docx(TEXT + "（一）上传的新内容。\n", buffer)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        junior = office.user(session, "junior")
        version = upload_version(session, draft, junior, buffer.getvalue(), "总结.docx", 1, LIMIT)
        assert version.number == 2 and version.source == "upload" and version.filename == "总结.docx"
        assert "上传的新内容" in version.text
        gbk = (TEXT + "GBK编码的文字。\n").encode("gb18030")
        assert "GBK编码的文字" in upload_version(session, draft, junior, gbk, "a.txt", 2, LIMIT).text


@pytest.mark.parametrize("data,name,message", [
    (b"PK\x03\x04 not really a zip", "fake.docx", "不是真正的 Word"),
    (b"", "empty.txt", "为空"),
    (b"\xe4\xb8\x80" * 100, "big.txt", "过大"),
    (b"abc", "old.doc", ".doc"),
    (b"abc", "", "选择"),
])
def test_bad_uploads_get_a_clear_message_and_change_nothing(db, office, data, name, message):
    draft_id = _draft(db, office)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        with pytest.raises(DraftError, match=message) as caught:
            upload_version(session, draft, office.user(session, "junior"), data, name, 1, max_bytes=200)
        assert "没有任何改动" in str(caught.value) or not name
    with db.session() as session:
        assert session.get(Draft, draft_id).version_count == 1
        assert session.scalar(select(func.count()).select_from(Document)) == 1


def test_lists_by_scope(db, office):
    mine = _draft(db, office, owner="junior")
    other = _draft(db, office, owner="outsider")
    with db.session() as session:
        day = today_local()
        ids = lambda user, scope: [r.draft.id for r in list_drafts(session, office.user(session, user), scope, day)]  # noqa: E731
        assert ids("junior", "mine") == [mine]
        assert ids("mentor", "juniors") == [mine] and ids("mentor", "mine") == []
        assert sorted(ids("director", "all")) == sorted([mine, other])
        assert ids("outsider", "all") == [other]


def test_office_zone_falls_back_to_china_standard_time():
    import datetime as dt

    from drafter.services.drafts import office_zone

    assert office_zone("No/Such_Zone").utcoffset(None) == dt.timedelta(hours=8)
    moment = dt.datetime(2024, 5, 1, 17, 30, tzinfo=dt.UTC)  # 01:30 the next day in Beijing
    assert today_local(moment) == dt.date(2024, 5, 2)
