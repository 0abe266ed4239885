"""Tests for drafter.services.demo_review: the demo office's review work."""

from sqlalchemy import select

from drafter.services.accounts import create_demo_accounts
from drafter.services.annotations import place_annotations
from drafter.services.demo_review import seed_review_demo
from drafter.services.review import queue_for
from drafter.store.models import User
from drafter.store.workflow import Draft, Pair, SignoffStep


def test_demo_shows_every_review_state(db):
    with db.session() as session:
        create_demo_accounts(session)
    assert seed_review_demo(db) is True
    assert seed_review_demo(db) is False  # only once
    with db.session() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        pairs = {(p.mentor.display_name, p.junior.display_name) for p in session.scalars(select(Pair))}
        assert pairs == {("李明华", "张晓宇"), ("李明华", "刘洋"), ("陈静", "赵婷")}
        default = [s.title for s in session.scalars(select(SignoffStep).where(SignoffStep.unit.is_(None))
                                                     .order_by(SignoffStep.position))]
        assert default == ["科长", "办公室主任"]
        drafts = {d.title: d for d in session.scalars(select(Draft))}
        assert sorted(d.state for d in drafts.values()) == [
            "approved", "drafting", "mentor_review", "returned", "signoff", "signoff"]
        summary = drafts["综合一科2024年上半年工作总结"]
        statuses = sorted(p.anchor.status for p in place_annotations(session, summary, summary.latest_version))
        assert statuses == ["anchored", "applied", "applied", "outdated", "outdated"]
        assert [i.draft.title for i in queue_for(session, users["limh"])] == ["综合一科2024年上半年工作总结"]
        waiting = queue_for(session, users["zhouwd"])
        assert [i.draft.title for i in waiting] == ["关于做好2024年防汛值班工作的通知"] and waiting[0].overdue
        assert [i.draft.title for i in queue_for(session, users["wangjg"])] == ["关于开展机关文稿质量提升年活动的实施方案"]


def test_demo_needs_the_demo_accounts(db):
    assert seed_review_demo(db) is False
    with db.session() as session:
        assert session.scalar(select(Draft.id)) is None
