"""Tests for drafter.services.demo_critique (and its texts): two closed meetings and one open one that show
the feature at work."""

import pytest
from sqlalchemy import select

from drafter.services.accounts import create_demo_accounts
from drafter.services.critique_results import meeting_results, writer_feedback
from drafter.services.demo_critique import seed_critique_demo
from drafter.services.demo_critique_texts import Q1_CRITIQUES, Q1_DRAFTS, Q2_CRITIQUES, Q2_DRAFTS, Q2_NOTES
from drafter.services.demo_review import seed_review_demo
from drafter.store.critique import Meeting
from drafter.store.models import Document, User
from drafter.store.workflow import Draft


@pytest.fixture
def demo(db):
    with db.session() as session:
        create_demo_accounts(session)
    seed_review_demo(db)
    assert seed_critique_demo(db) is True
    assert seed_critique_demo(db) is False  # only once
    return db


def test_demo_meetings_show_every_phase_with_real_results_and_a_trend_for_every_writer(demo):
    with demo.session() as session:
        meetings = session.scalars(select(Meeting).order_by(Meeting.held_on)).all()
        assert [m.phase for m in meetings] == ["closed", "closed", "critique"]
        assert [m.anonymous for m in meetings] == [False, True, False]
        assert [m.chair.username for m in meetings] == ["wangjg", "wangjg", "limh"]
        assert all(m.title.endswith("月文稿点评交流会") for m in meetings)
        second = meeting_results(session, meetings[1], n_boot=200)
        assert second.critiques == len(Q2_CRITIQUES) and second.judgements >= 8 * 10 // 2
        assert second.rubric.reliability > 0.7
        effects = {e.user.username: e.effect for e in second.raters}
        assert effects["zhangxy"] > 0 > effects["liuy"]  # the lenient and the severe critic are found
        assert min(e.n for e in second.pairwise.items) >= 10
        disagreeing = [w for w in second.writers if w.probability is not None and w.probability < 0.5]
        assert [w.author.username for w in disagreeing] == ["zhaot"]
        exemplars = session.scalars(select(Document).where(Document.is_exemplar.is_(True),
                                                           Document.draft_id.is_not(None))).all()
        assert sorted(d.author for d in exemplars) == ["张晓宇", "陈静"]
        assert all(d.kind == "archive" and d.tag_names == ["精品佳作"] for d in exemplars)
        assert meetings[1].summary and meetings[0].summary
        current = meeting_results(session, meetings[2], n_boot=100)
        assert len(meetings[2].nominations) == 6 and 0 < current.critiques < 12
        assert current.warnings
        for username in ("zhangxy", "liuy", "zhaot"):
            writer = session.scalars(select(User).where(User.username == username)).one()
            items, points = writer_feedback(session, writer, writer)
            assert len(items) == 4 and len({p.day for p in points}) == 2
        old = session.scalars(select(Draft).where(Draft.title == Q1_DRAFTS[0][2])).one()
        assert old.state == "approved"  # nominated drafts went through review like real work


def test_demo_texts_are_consistent():
    keys = {d[0] for d in Q1_DRAFTS + Q2_DRAFTS}
    assert len(keys) == len(Q1_DRAFTS) + len(Q2_DRAFTS)
    assert {c[0] for c in Q1_CRITIQUES} <= keys and {c[0] for c in Q2_CRITIQUES} <= keys
    texts = {d[0]: d[5] for d in Q2_DRAFTS}
    for key, quote, *_ in Q2_NOTES:
        assert texts[key].count(quote) == 1, quote
    for draft in Q1_DRAFTS + Q2_DRAFTS:
        assert draft[5].startswith(draft[2].split("——")[0]), draft[0]


def test_demo_needs_the_demo_accounts(db):
    assert seed_critique_demo(db) is False
