"""Tests for drafter.services.annotations: adding, threads, resolving, re-anchoring on later versions."""

import pytest

from drafter.services.annotations import add_annotation, find_quote, place_annotations, reply, set_resolved
from drafter.services.drafts import DraftError, PermissionDenied, create_draft, save_version
from drafter.services.review import decide, submit
from drafter.store.workflow import Draft, Verdict

V1 = ("综合一科上半年工作总结\n今年以来，高度重视、精心组织，较好完成了任务。\n"
      "（一）办文数量大幅增长。\n（二）以经推动解决问题31个。\n（三）不足是调研不够深入。\n")


@pytest.fixture
def draft_id(db, office) -> int:
    with db.session() as session:
        draft = create_draft(session, office.user(session, "junior"), "工作总结", "工作总结", text=V1)
        submit(session, draft, office.user(session, "junior"))
        return draft.id


def _add(db, office, draft_id, quote, who="mentor", category="wording", comment="意见", replacement=None):
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        version = draft.latest_version
        start = version.text.index(quote)
        return add_annotation(session, draft, version, office.user(session, who), start, start + len(quote),
                              category, comment, replacement).id


def test_annotation_keeps_quote_and_context(db, office, draft_id):
    note_id = _add(db, office, draft_id, "大幅增长", category="data", replacement="同比增长18.6%")
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        [placed] = place_annotations(session, draft, draft.latest_version)
        note = placed.annotation
        assert note.id == note_id and note.quote == "大幅增长" and V1[note.start:note.end] == "大幅增长"
        assert note.prefix.endswith("办文数量") and note.suffix.startswith("。")
        assert placed.native and placed.anchor.status == "anchored"


def test_annotations_follow_the_text_to_later_versions(db, office, draft_id):
    moved = _add(db, office, draft_id, "调研不够深入", category="viewpoint")
    applied = _add(db, office, draft_id, "大幅增长", category="data", replacement="同比增长18.6%")
    typo = _add(db, office, draft_id, "以经", category="typo", replacement="已经")
    gone = _add(db, office, draft_id, "高度重视、精心组织，", category="wording")
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        decide(session, draft, office.user(session, "mentor"), Verdict.RETURN, "请修改")
        v2 = ("综合一科上半年工作总结\n新增一段引言。\n今年以来，较好完成了任务。\n"
              "（一）办文数量同比增长18.6%。\n（二）已经推动解决问题31个。\n（三）不足是调研不够深入。\n")
        version = save_version(session, draft, office.user(session, "junior"), v2, 1)
        placed = {p.annotation.id: p for p in place_annotations(session, draft, version)}
        assert placed[moved].anchor.status == "anchored"
        assert v2[placed[moved].anchor.start:placed[moved].anchor.end] == "调研不够深入"
        assert placed[applied].anchor.status == "applied" and placed[applied].status_label == "已按建议修改"
        assert v2[placed[applied].anchor.start:placed[applied].anchor.end] == "同比增长18.6%"
        assert placed[typo].anchor.status == "applied"
        assert placed[gone].anchor.status == "outdated" and not placed[gone].anchor.placed
        assert placed[gone].status_label == "原文已改动" and not placed[gone].native
        # on the first version every annotation is where it was made
        first = place_annotations(session, draft, draft.versions[0])
        assert all(p.anchor.status == "anchored" and p.native for p in first)


def test_annotation_made_on_a_later_version_is_not_shown_on_earlier_ones(db, office, draft_id):
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        decide(session, draft, office.user(session, "mentor"), Verdict.RETURN, "请修改")
        save_version(session, draft, office.user(session, "junior"), V1 + "补充一句。\n", 1)
    _add(db, office, draft_id, "补充一句")
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        assert place_annotations(session, draft, draft.versions[0]) == []
        assert len(place_annotations(session, draft, draft.versions[1])) == 1


def test_quote_without_offsets_must_be_unique(db, office, draft_id):
    assert find_quote(V1, "调研不够") == (V1.index("调研不够"), V1.index("调研不够") + 4)
    with pytest.raises(DraftError, match="不止一次"):
        find_quote(V1, "（")
    with pytest.raises(DraftError, match="找不到"):
        find_quote(V1, "不存在的文字")
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        note = add_annotation(session, draft, draft.latest_version, office.user(session, "mentor"), None, None,
                              "typo", "错别字", "已经", quote="以经")
        assert V1[note.start:note.end] == "以经"


@pytest.mark.parametrize("start,end,category,comment,quote,message", [
    (5, 3, "typo", "x", None, "位置无效"),
    (0, 10_000, "typo", "x", None, "位置无效"),
    (0, 4, "nonsense", "x", None, "类别"),
    (0, 4, "typo", "  ", None, "意见"),
    (0, 4, "typo", "x", "别的字", "不一致"),
])
def test_bad_annotations_are_refused(db, office, draft_id, start, end, category, comment, quote, message):
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        with pytest.raises(DraftError, match=message):
            add_annotation(session, draft, draft.latest_version, office.user(session, "mentor"), start, end,
                           category, comment, quote=quote)


def test_who_may_annotate(db, office, draft_id):
    for who in ("junior", "chief", "director", "outsider"):
        with pytest.raises(PermissionDenied):
            _add(db, office, draft_id, "调研", who=who)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        decide(session, draft, office.user(session, "mentor"), Verdict.PASS, "")
    assert _add(db, office, draft_id, "调研", who="chief")  # the draft has reached the 科长


def test_replies_and_resolving(db, office, draft_id):
    note_id = _add(db, office, draft_id, "调研不够深入")
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        [placed] = place_annotations(session, draft, draft.latest_version)
        note = placed.annotation
        reply(session, draft, note, office.user(session, "junior"), "已补充两次调研的情况。")
        reply(session, draft, note, office.user(session, "mentor"), "可以。")
        with pytest.raises(DraftError):
            reply(session, draft, note, office.user(session, "junior"), "  ")
        with pytest.raises(PermissionDenied):
            reply(session, draft, note, office.user(session, "outsider"), "路过")
        with pytest.raises(PermissionDenied):
            set_resolved(session, draft, note, office.user(session, "director"), True)
        set_resolved(session, draft, note, office.user(session, "junior"), True)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        [placed] = place_annotations(session, draft, draft.latest_version)
        assert placed.annotation.id == note_id and placed.annotation.resolved
        assert placed.annotation.resolved_by_id == office.ids["junior"]
        assert [r.text for r in placed.annotation.replies] == ["已补充两次调研的情况。", "可以。"]
        set_resolved(session, draft, placed.annotation, office.user(session, "mentor"), False)
        assert not placed.annotation.resolved and placed.annotation.resolved_at is None
