"""Tests for drafter.services.review: the whole review loop at the service level."""

import datetime as dt

import pytest
from sqlalchemy import select

from drafter.services import office as setup
from drafter.services.drafts import PermissionDenied, create_draft, save_version
from drafter.services.review import (
    TRANSITIONS,
    ReviewError,
    decide,
    decided_by,
    queue_for,
    status_steps,
    submit,
    withdraw,
)
from drafter.store.models import utcnow
from drafter.store.workflow import AuditEntry, Draft, ReviewState, Verdict

TEXT = "关于加强值班工作的通知\n各科室：\n一、严格值班。\n"


def _new(db, office, owner="junior", due=None) -> int:
    with db.session() as session:
        return create_draft(session, office.user(session, owner), "关于加强值班工作的通知", "通知", due,
                            text=TEXT).id


def _act(db, office, draft_id, fn, who, *args, **kwargs):
    with db.session() as session:
        return fn(session, session.get(Draft, draft_id), office.user(session, who), *args, **kwargs)


def _state(db, draft_id) -> ReviewState:
    with db.session() as session:
        return session.get(Draft, draft_id).review_state


def test_full_loop_mentor_then_chain_with_audit_of_every_transition(db, office):
    draft_id = _new(db, office)
    _act(db, office, draft_id, submit, "junior")
    assert _state(db, draft_id) is ReviewState.MENTOR_REVIEW
    _act(db, office, draft_id, decide, "mentor", Verdict.RETURN, "开头要开门见山。")
    assert _state(db, draft_id) is ReviewState.RETURNED
    _act(db, office, draft_id, save_version, "junior", TEXT + "二、及时报告。\n", 1)
    _act(db, office, draft_id, submit, "junior")
    _act(db, office, draft_id, decide, "mentor", Verdict.PASS, "")
    assert _state(db, draft_id) is ReviewState.SIGNOFF
    _act(db, office, draft_id, decide, "chief", Verdict.PASS, "同意。")
    assert _state(db, draft_id) is ReviewState.SIGNOFF
    _act(db, office, draft_id, decide, "director", Verdict.PASS, "")
    assert _state(db, draft_id) is ReviewState.APPROVED
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        entries = session.scalars(select(AuditEntry).where(AuditEntry.draft_id == draft_id)
                                  .order_by(AuditEntry.id)).all()
        path = [(e.from_state, e.to_state, e.actor.username) for e in entries
                if e.action in ("submit", "withdraw", "pass", "return", "approve")]
        assert path == [
            ("drafting", "mentor_review", "zhangxy"), ("mentor_review", "returned", "lils"),
            ("returned", "mentor_review", "zhangxy"), ("mentor_review", "signoff", "lils"),
            ("signoff", "signoff", "zhoukz"), ("signoff", "approved", "wangzr"),
        ]
        assert all(e.at is not None for e in entries)
        assert draft.round == 2 and [t.title for t in draft.tasks if t.round == 2] == ["指导老师", "科长", "办公室主任"]
        assert all(t.version.number == 2 for t in draft.tasks if t.round == 2)
        assert draft.tasks[0].comment == "开头要开门见山。" and draft.tasks[0].verdict == "return"


def test_signoff_to_signoff_is_logged_too(db, office):
    draft_id = _new(db, office)
    _act(db, office, draft_id, submit, "junior")
    _act(db, office, draft_id, decide, "mentor", Verdict.PASS, "")
    _act(db, office, draft_id, decide, "chief", Verdict.PASS, "")
    with db.session() as session:
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert (last.action, last.from_state, last.to_state) == ("pass", "signoff", "signoff")
        assert "办公室主任" in last.detail and last.actor_id == office.ids["chief"]


def test_a_signoff_level_can_return_and_the_next_round_starts_with_the_mentor(db, office):
    draft_id = _new(db, office)
    _act(db, office, draft_id, submit, "junior")
    _act(db, office, draft_id, decide, "mentor", Verdict.PASS, "")
    _act(db, office, draft_id, decide, "chief", Verdict.RETURN, "数据要核实。")
    assert _state(db, draft_id) is ReviewState.RETURNED
    _act(db, office, draft_id, submit, "junior")
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        assert draft.current_task.title == "指导老师" and draft.current_task.reviewer_id == office.ids["mentor"]


def test_only_the_current_reviewer_decides(db, office):
    draft_id = _new(db, office)
    _act(db, office, draft_id, submit, "junior")
    for who in ("junior", "chief", "director", "sibling"):
        with pytest.raises(PermissionDenied):
            _act(db, office, draft_id, decide, who, Verdict.PASS, "")
    with pytest.raises(ReviewError, match="总体意见"):
        _act(db, office, draft_id, decide, "mentor", Verdict.RETURN, "  ")
    with pytest.raises(ReviewError):
        _act(db, office, draft_id, decide, "mentor", Verdict.WITHDRAWN, "")


def test_submit_rules(db, office):
    draft_id = _new(db, office)
    with pytest.raises(PermissionDenied):
        _act(db, office, draft_id, submit, "mentor")
    _act(db, office, draft_id, submit, "junior")
    with pytest.raises(ReviewError, match="已在审阅中"):
        _act(db, office, draft_id, submit, "junior")
    with db.session() as session:
        empty = create_draft(session, office.user(session, "junior"), "空稿").id
    with pytest.raises(ReviewError, match="先保存"):
        _act(db, office, empty, submit, "junior")


def test_unpaired_writer_goes_straight_to_the_chain_and_without_chain_cannot_submit(db, office):
    draft_id = _new(db, office, owner="outsider")
    task = _act(db, office, draft_id, submit, "outsider")
    assert task.title == "科长" and _state(db, draft_id) is ReviewState.SIGNOFF
    with db.session() as session:
        director = office.user(session, "director")
        for step in setup.chain_for(session, None):
            setup.remove_step(session, director, step)
        lonely = create_draft(session, office.user(session, "other_mentor"), "无人审阅", text=TEXT).id
    with pytest.raises(ReviewError, match="签批流程"):
        _act(db, office, lonely, submit, "other_mentor")


def test_unit_chain_overrides_the_default(db, office):
    with db.session() as session:
        director = office.user(session, "director")
        setup.add_step(session, director, "分管副主任", office.user(session, "other_mentor"), unit="信息科")
    draft_id = _new(db, office, owner="outsider")
    task = _act(db, office, draft_id, submit, "outsider")
    assert task.title == "分管副主任" and task.reviewer_id == office.ids["other_mentor"]


def test_withdraw_only_before_any_decision(db, office):
    draft_id = _new(db, office)
    _act(db, office, draft_id, submit, "junior")
    with pytest.raises(PermissionDenied):
        _act(db, office, draft_id, withdraw, "mentor")
    _act(db, office, draft_id, withdraw, "junior")
    assert _state(db, draft_id) is ReviewState.DRAFTING
    _act(db, office, draft_id, submit, "junior")
    _act(db, office, draft_id, decide, "mentor", Verdict.PASS, "")
    with pytest.raises(ReviewError, match="不能撤回"):
        _act(db, office, draft_id, withdraw, "junior")


def test_queue_oldest_first_with_overdue_marked(db, office):
    now = utcnow()
    late = _new(db, office, due=dt.date.today() - dt.timedelta(days=3))
    fresh = _new(db, office, owner="sibling", due=dt.date.today() + dt.timedelta(days=3))
    _act(db, office, fresh, submit, "sibling", now=now - dt.timedelta(days=1))
    _act(db, office, late, submit, "junior", now=now - dt.timedelta(days=4))
    with db.session() as session:
        items = queue_for(session, office.user(session, "mentor"), now=now)
        assert [i.draft.id for i in items] == [late, fresh]
        assert [i.overdue for i in items] == [True, False]
        assert items[0].waiting_days in (3, 4, 5)
        assert queue_for(session, office.user(session, "chief"), now=now) == []
    _act(db, office, late, decide, "mentor", Verdict.PASS, "")
    with db.session() as session:
        assert [i.draft.id for i in queue_for(session, office.user(session, "chief"))] == [late]
        assert [i.draft.id for i in queue_for(session, office.user(session, "mentor"))] == [fresh]
        assert [t.draft_id for t in decided_by(session, office.user(session, "mentor"))] == [late]


def test_status_steps_show_where_the_draft_is(db, office):
    draft_id = _new(db, office)
    with db.session() as session:
        steps = status_steps(session, session.get(Draft, draft_id))
        assert [(s.title, s.status) for s in steps] == [
            ("撰写", "current"), ("指导老师", "pending"), ("科长", "pending"), ("办公室主任", "pending"),
            ("定稿", "pending")]
    _act(db, office, draft_id, submit, "junior")
    _act(db, office, draft_id, decide, "mentor", Verdict.PASS, "")
    _act(db, office, draft_id, decide, "chief", Verdict.RETURN, "再改改")
    with db.session() as session:
        steps = status_steps(session, session.get(Draft, draft_id))
        assert [s.status for s in steps] == ["current", "done", "returned", "pending", "pending"]


def test_transition_table_covers_every_state():
    states = {s for pair in TRANSITIONS for s in pair}
    assert states == set(ReviewState)
    assert (ReviewState.APPROVED, ReviewState.DRAFTING) not in TRANSITIONS
