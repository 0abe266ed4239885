"""Critique meeting operations: meetings, phase rules, nominations, critiques, notes, judgements, exemplars,
each with its Chinese refusal, and the audit log."""

import pytest
from critique_support import CRITIQUE, TEXT, critique, meeting, nominate, scores
from sqlalchemy import func, select

from drafter.services import critique as ops
from drafter.services.archive import DocumentMeta, add_document, build_document, list_documents
from drafter.services.drafts import DraftError, PermissionDenied, create_draft, version_documents
from drafter.store.critique import Critique, Nomination, NominationKind, Phase
from drafter.store.models import Document
from drafter.store.workflow import AuditEntry, Draft


def _draft(session, office, who, topic="值班"):
    return create_draft(session, office.user(session, who), f"关于{topic}的通知", "通知", text=TEXT.format(topic=topic))


def test_mentors_and_administrators_call_meetings_with_the_default_rubric(db, office):
    with db.session() as session:
        m = meeting(session, office)
        assert m.rubric == ["思想性", "启发性", "指导性", "可读性"]
        assert m.phase_enum is Phase.NOMINATION and m.chair_id == office.ids["mentor"]
        assert m.participant_ids == {office.ids[k] for k in ("junior", "sibling", "outsider")}
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "critique.create")).one()
        assert "三月文稿点评交流会" in entry.detail and "张晓宇" in entry.detail
        with pytest.raises(PermissionDenied, match="只有管理员或指导老师"):
            meeting(session, office, chair="junior")
        with pytest.raises(ops.CritiqueError, match="至少需要两名"):
            meeting(session, office, people=("junior",))
        with pytest.raises(ops.CritiqueError, match="会议名称"):
            meeting(session, office, title=" ")
        with pytest.raises(ops.CritiqueError, match="会议日期"):
            meeting(session, office, held_on=None)


@pytest.mark.parametrize("rubric,message", [
    ("思想性、思想性", "“思想性”重复了"), ("", "至少要有一项"), ("、".join(f"第{i}项" for i in range(9)), "最多 8 项"),
    ("这是一个非常非常长的评分项名称", "过长"),
])
def test_bad_rubrics_are_refused_in_plain_chinese(rubric, message):
    with pytest.raises(ops.CritiqueError, match=message):
        ops.clean_rubric(rubric)


def test_rubric_text_is_split_on_chinese_separators():
    assert ops.clean_rubric("思想性、启发性，可读性\n 指导性 ") == ["思想性", "启发性", "可读性", "指导性"]


@pytest.mark.parametrize("given,message", [
    ({"思想性": "", "可读性": 3}, "请为“思想性”打分"), ({"思想性": "4.5", "可读性": 3}, "应为1到5之间的整数"),
    ({"思想性": 7, "可读性": 3}, "应在1到5分之间，收到的是7分"), ({"思想性": 3}, "请为“可读性”打分"),
])
def test_scores_are_validated(given, message):
    with pytest.raises(ops.CritiqueError, match=message):
        ops.clean_scores(["思想性", "可读性"], given)
    assert ops.clean_scores(["思想性"], {"思想性": " 5 "}) == {"思想性": 5}


def test_phase_rules(db, office):
    with db.session() as session:
        m = meeting(session, office)
        chair = office.user(session, "mentor")
        with pytest.raises(PermissionDenied):
            ops.set_phase(session, office.user(session, "junior"), m, Phase.CRITIQUE)
        with pytest.raises(ops.CritiqueError, match="直接进入"):
            ops.set_phase(session, chair, m, Phase.CLOSED)
        nominate(session, office, m, "junior")
        with pytest.raises(ops.CritiqueError, match="至少要有两名参会人员提名"):
            ops.set_phase(session, chair, m, Phase.CRITIQUE)
        n = nominate(session, office, m, "sibling")
        ops.set_phase(session, chair, m, Phase.CRITIQUE)
        ops.set_phase(session, chair, m, Phase.NOMINATION)  # nobody critiqued yet: allowed
        ops.set_phase(session, chair, m, Phase.CRITIQUE)
        critique(session, office, n, "junior")
        with pytest.raises(ops.CritiqueError, match="不能退回提名阶段"):
            ops.set_phase(session, chair, m, Phase.NOMINATION)
        ops.set_phase(session, chair, m, Phase.CLOSED)
        assert m.closed_at is not None
        with pytest.raises(ops.CritiqueError, match="已处于"):
            ops.set_phase(session, chair, m, Phase.CLOSED)
        ops.set_phase(session, chair, m, Phase.CRITIQUE)  # reopened
        assert m.closed_at is None
        details = [e.detail for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "critique.phase"))]
        assert details[-1].endswith("已结束 → 互评")


def test_nominations(db, office):
    with db.session() as session:
        m = meeting(session, office)
        junior = office.user(session, "junior")
        own = _draft(session, office, "junior")
        theirs = _draft(session, office, "sibling")
        with pytest.raises(ops.CritiqueError, match="只能提名自己撰写的文稿"):
            ops.nominate(session, junior, m, NominationKind.BEST, theirs.latest_version, "自评", scores(m.rubric))
        with pytest.raises(PermissionDenied, match="只有参会人员"):
            ops.nominate(session, office.user(session, "chief"), m, NominationKind.BEST,
                         _draft(session, office, "chief").latest_version, "自评", scores(m.rubric))
        with pytest.raises(ops.CritiqueError, match="请填写自评意见"):
            ops.nominate(session, junior, m, NominationKind.BEST, own.latest_version, "  ", scores(m.rubric))
        with pytest.raises(ops.CritiqueError, match="请为“启发性”“指导性”“可读性”打分"):
            ops.nominate(session, junior, m, NominationKind.BEST, own.latest_version, "自评", {"思想性": 4})
        best = ops.nominate(session, junior, m, NominationKind.BEST, own.latest_version, "自评一", scores(m.rubric, 5))
        with pytest.raises(ops.CritiqueError, match="最满意和最不满意应是两篇不同的文稿"):
            ops.nominate(session, junior, m, NominationKind.WORST, own.latest_version, "自评", scores(m.rubric))
        other = _draft(session, office, "junior", "节能")
        again = ops.nominate(session, junior, m, NominationKind.BEST, other.latest_version, "自评二", scores(m.rubric, 3))
        assert again.id == best.id and again.draft_id == other.id and again.self_scores["思想性"] == 3
        assert len(m.nominations) == 1
        with pytest.raises(PermissionDenied):
            ops.withdraw_nomination(session, office.user(session, "sibling"), again)
        ops.withdraw_nomination(session, junior, again)
        assert m.nominations == []


def test_an_upload_becomes_a_draft_only_when_everything_is_valid(db, office):
    from drafter.store.critique import Meeting

    with db.session() as session:
        meeting_id = meeting(session, office).id
    with db.session() as session:
        m, junior = session.get(Meeting, meeting_id), office.user(session, "junior")
        with pytest.raises(DraftError, match="上传失败"):
            ops.nominate_upload(session, junior, m, NominationKind.WORST, b"PK\x03\x04broken", "a.docx", "", None,
                                "自评", scores(m.rubric), 1024 * 1024)
        session.rollback()
        with pytest.raises(ops.CritiqueError, match="请为"):
            ops.nominate_upload(session, junior, m, NominationKind.WORST, TEXT.format(topic="安全").encode(), "b.txt",
                                "", None, "自评", {}, 1024 * 1024)
        session.rollback()
        assert session.scalar(select(func.count(Draft.id))) == 0
        n = ops.nominate_upload(session, junior, m, NominationKind.WORST, TEXT.format(topic="安全").encode(),
                                "安全生产通知.txt", "", "通知", "自评", scores(m.rubric), 1024 * 1024)
        assert n.title == "安全生产通知" and n.version.source == "upload" and n.draft.owner_id == office.ids["junior"]


def test_critiques_only_of_others_only_in_the_critique_phase_and_editable_until_it_ends(db, office):
    with db.session() as session:
        m = meeting(session, office)
        n = nominate(session, office, m, "junior")
        nominate(session, office, m, "sibling")
        sibling = office.user(session, "sibling")
        with pytest.raises(ops.CritiqueError, match="互评尚未开始"):
            critique(session, office, n, "sibling")
        ops.set_phase(session, office.user(session, "mentor"), m, Phase.CRITIQUE)
        with pytest.raises(PermissionDenied, match="不能点评自己"):
            critique(session, office, n, "junior")
        with pytest.raises(PermissionDenied, match="只有参会人员"):
            critique(session, office, n, "mentor")
        for field, label in (("strengths", "主要优点"), ("problems", "存在问题"), ("suggestion", "一条具体修改建议")):
            with pytest.raises(ops.CritiqueError, match=f"请填写{label}"):
                ops.save_critique(session, sibling, n, scores(m.rubric), **{**CRITIQUE, field: " "})
        with pytest.raises(ops.CritiqueError, match="过长"):
            ops.save_critique(session, sibling, n, scores(m.rubric), **{**CRITIQUE, "problems": "长" * 3001})
        first = critique(session, office, n, "sibling", 2)
        second = critique(session, office, n, "sibling", 5)
        assert first.id == second.id and second.scores["可读性"] == 5
        assert session.scalar(select(func.count(Critique.id))) == 1
        ops.set_phase(session, office.user(session, "mentor"), m, Phase.CLOSED)
        with pytest.raises(ops.CritiqueError, match="不能提交或修改"):
            critique(session, office, n, "sibling", 3)


def test_notes_on_the_nominated_text(db, office):
    with db.session() as session:
        m = meeting(session, office)
        n = nominate(session, office, m, "junior", topic="值班")
        nominate(session, office, m, "sibling")
        ops.set_phase(session, office.user(session, "mentor"), m, Phase.CRITIQUE)
        sibling = office.user(session, "sibling")
        note = ops.add_note(session, sibling, n, None, None, "wording", "“每周调度”由谁来做？", quote="每周调度一次")
        assert n.text[note.start:note.end] == "每周调度一次"
        by_offsets = ops.add_note(session, sibling, n, note.start, note.end, "data", "", replacement="每周一调度一次")
        assert by_offsets.comment == "建议改为“每周一调度一次”"
        with pytest.raises(DraftError, match="找不到"):
            ops.add_note(session, sibling, n, None, None, "wording", "意见", quote="不存在的话")
        with pytest.raises(ops.CritiqueError, match="批注类别"):
            ops.add_note(session, sibling, n, None, None, "bogus", "意见", quote="每周调度一次")
        with pytest.raises(DraftError, match="位置无效"):
            ops.add_note(session, sibling, n, 5, 2, "wording", "意见")
        with pytest.raises(PermissionDenied):
            ops.add_note(session, office.user(session, "junior"), n, None, None, "wording", "意见", quote="每周调度一次")
        with pytest.raises(PermissionDenied):
            ops.delete_note(session, office.user(session, "outsider"), note, m)
        ops.delete_note(session, sibling, note, m)
        assert [x.id for x in ops.notes_for(session, n)] == [by_offsets.id]
        ops.set_phase(session, office.user(session, "mentor"), m, Phase.CLOSED)
        with pytest.raises(ops.CritiqueError, match="不能再删除"):
            ops.delete_note(session, sibling, by_offsets, m)


def test_pairwise_judgements(db, office):
    with db.session() as session:
        m = meeting(session, office, comparative=True)
        a = nominate(session, office, m, "junior")
        b = nominate(session, office, m, "sibling")
        c = nominate(session, office, m, "sibling", "worst")
        d = nominate(session, office, m, "outsider")
        outsider = office.user(session, "outsider")
        with pytest.raises(ops.CritiqueError, match="不是互评阶段"):
            ops.record_judgement(session, outsider, m, a, b, "left")
        ops.set_phase(session, office.user(session, "mentor"), m, Phase.CRITIQUE)
        with pytest.raises(PermissionDenied, match="自己文稿"):
            ops.record_judgement(session, outsider, m, a, d, "left")
        with pytest.raises(ops.CritiqueError, match="请选择"):
            ops.record_judgement(session, outsider, m, a, b, "maybe")
        first = ops.record_judgement(session, outsider, m, b, a, "left")
        again = ops.record_judgement(session, outsider, m, a, b, "tie")
        assert first.id == again.id and again.winner_id is None and (again.low_id, again.high_id) == (a.id, b.id)
        state = ops.pair_state(session, outsider, m)
        assert state.mine == 1 and state.pair is not None
        assert d.id not in {n.id for n in state.pair} and {n.id for n in state.pair} != {a.id, b.id}
        assert state.counts[a.id] == 1 and state.short == 4
        assert ops.judgement_progress(session, m).total == 1
        m.comparative = False
        with pytest.raises(ops.CritiqueError, match="没有开启两两比较"):
            ops.record_judgement(session, outsider, m, a, c, "left")


def test_settings_lock_as_the_meeting_moves_on(db, office):
    with db.session() as session:
        m = meeting(session, office)
        chair = office.user(session, "mentor")
        people = [office.ids[k] for k in ("junior", "sibling", "outsider")]

        def update(**changes):
            values = dict(title=m.title, held_on=m.held_on, participant_ids=people, rubric=m.rubric, note=None,
                          anonymous=m.anonymous, comparative=m.comparative, pairing=m.pairing,
                          target_judgements=m.target_judgements)
            values.update(changes)
            ops.update_meeting(session, chair, m, **values)

        update(rubric="思想性、可读性", anonymous=True, participant_ids=people + [office.ids["chief"]])
        assert m.rubric == ["思想性", "可读性"] and office.ids["chief"] in m.participant_ids
        with pytest.raises(PermissionDenied):
            ops.update_meeting(session, office.user(session, "junior"), m, m.title, m.held_on, None, m.rubric, None,
                               False, False, "adaptive", 10)
        nominate(session, office, m, "junior")
        nominate(session, office, m, "sibling")
        with pytest.raises(ops.CritiqueError, match="评分标准不能再修改"):
            update(rubric="思想性")
        with pytest.raises(ops.CritiqueError, match="请其先撤回提名"):
            update(participant_ids=[office.ids["sibling"], office.ids["outsider"]])
        ops.set_phase(session, chair, m, Phase.CRITIQUE)
        with pytest.raises(ops.CritiqueError, match="不能再调整参会人员"):
            update(participant_ids=people)
        with pytest.raises(ops.CritiqueError, match="匿名"):
            update(participant_ids=None, anonymous=False)
        update(participant_ids=None, comparative=True, anonymous=True)
        assert m.comparative
        ops.set_phase(session, chair, m, Phase.CLOSED)
        with pytest.raises(ops.CritiqueError, match="已结束"):
            update(participant_ids=None)


def _closed(session, office):
    m = meeting(session, office)
    n = nominate(session, office, m, "junior", topic="档案")
    other = nominate(session, office, m, "sibling")
    ops.set_phase(session, office.user(session, "mentor"), m, Phase.CRITIQUE)
    critique(session, office, n, "sibling", 5)
    critique(session, office, other, "junior", 3)
    return m, n


def test_an_exemplar_is_published_to_the_archive_and_taken_back(db, office):
    with db.session() as session:
        m, n = _closed(session, office)
        chair = office.user(session, "mentor")
        with pytest.raises(PermissionDenied, match="会议结束后"):
            ops.set_exemplar(session, chair, n, True)
        ops.set_phase(session, chair, m, Phase.CLOSED)
        with pytest.raises(PermissionDenied):
            ops.set_exemplar(session, office.user(session, "junior"), n, True)
        doc = ops.set_exemplar(session, chair, n, True)
        assert doc.kind == "archive" and doc.is_exemplar and doc.text == n.text and doc.author == "张晓宇"
        assert doc.tag_names == ["精品佳作"] and doc.draft_id == n.draft_id and n.exemplar_action == "created"
        assert [d.id for d in list_documents(session, exemplar=True)[0]] == [doc.id]
        assert doc.id in version_documents(n.draft)  # the draft's own checks never report it as copied
        doc_id = doc.id
        assert ops.set_exemplar(session, chair, n, False) is None
        assert session.get(Document, doc_id) is None and not n.exemplar
        assert list_documents(session, exemplar=True)[1] == 0
        actions = [e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.draft_id == n.draft_id))]
        assert "critique.exemplar" in actions and "critique.unexemplar" in actions


def test_an_exemplar_already_in_the_archive_is_flagged_not_copied(db, office):
    with db.session() as session:
        m, n = _closed(session, office)
        chair = office.user(session, "mentor")
        existing = add_document(session, build_document(n.text, DocumentMeta(title="档案里的同一篇")))
        ops.set_phase(session, chair, m, Phase.CLOSED)
        doc = ops.set_exemplar(session, chair, n, True)
        assert doc.id == existing.id and existing.is_exemplar and n.exemplar_action == "flagged"
        assert session.scalar(select(func.count(Document.id)).where(Document.kind == "archive")) == 1
        ops.set_exemplar(session, chair, n, False)
        assert session.get(Document, existing.id) is not None and not existing.is_exemplar
        existing.is_exemplar = True  # already an exemplar in the archive: unmarking leaves it one
        ops.set_exemplar(session, chair, n, True)
        assert n.exemplar_action == "linked"
        ops.set_exemplar(session, chair, n, False)
        assert existing.is_exemplar


def test_audit_log_names_every_step(db, office):
    with db.session() as session:
        m, n = _closed(session, office)
        ops.save_summary(session, office.user(session, "mentor"), m, "总结：大家进步明显。")
        actions = {e.action for e in session.scalars(select(AuditEntry))}
        assert {"critique.create", "critique.nominate", "critique.phase", "critique.review", "critique.summary"} <= actions
        review_entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "critique.review")).first()
        assert review_entry.draft_id is None  # a critique never shows on the author's draft timeline
        with pytest.raises(ops.CritiqueError, match="过长"):
            ops.save_summary(session, office.user(session, "mentor"), m, "长" * 5001)


def test_my_meetings_and_eligible_people(db, office):
    with db.session() as session:
        m = meeting(session, office)
        assert [x.id for x in ops.meetings_for(session, office.user(session, "junior"))] == [m.id]
        assert [x.id for x in ops.meetings_for(session, office.user(session, "mentor"))] == [m.id]
        assert ops.meetings_for(session, office.user(session, "director")) == []
        names = {u.display_name for u in ops.eligible_people(session)}
        assert {"张晓宇", "李老师", "王主任"} <= names
        assert ops.own_versions(session, office.user(session, "junior")) == []
        nominate(session, office, m, "junior")
        assert len(ops.own_versions(session, office.user(session, "junior"))) == 1
        assert session.scalar(select(func.count(Nomination.id))) == 1
