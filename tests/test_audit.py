"""Tests for drafter.services.audit."""

import datetime as dt

from drafter.services.audit import ACTION_LABELS, as_utc, draft_timeline, recent_entries, record
from drafter.services.drafts import create_draft
from drafter.services.review import submit
from drafter.store.workflow import ReviewState


def test_as_utc_handles_naive_and_aware_times():
    naive = dt.datetime(2024, 5, 1, 8, 0)
    assert as_utc(naive) == dt.datetime(2024, 5, 1, 8, 0, tzinfo=dt.UTC)
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert as_utc(dt.datetime(2024, 5, 1, 16, 0, tzinfo=shanghai)) == as_utc(naive)
    assert as_utc(None) is None


def test_timeline_of_a_draft_in_order_with_labels(db, office):
    with db.session() as session:
        draft = create_draft(session, office.user(session, "junior"), "标题", text="正文一段。\n")
        submit(session, draft, office.user(session, "junior"))
        record(session, None, "custom.thing", draft, detail="系统操作")
        items = draft_timeline(session, draft)
        assert [i.action for i in items] == ["create", "save", "submit", "custom.thing"]
        assert items[2].from_label == ReviewState.DRAFTING.label and items[2].to_label == "待指导老师审阅"
        assert items[0].actor == "张晓宇" and items[3].actor == "系统" and items[3].label == "custom.thing"
        assert items[0].at.tzinfo is not None
        newest = recent_entries(session, limit=2)
        assert [item.action for _, item in newest] == ["custom.thing", "submit"]


def test_every_logged_action_has_a_chinese_label():
    assert all(label and not label.isascii() for label in ACTION_LABELS.values())
