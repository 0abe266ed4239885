"""Tests for drafter.services.writer_analytics on the history of analytics_support (known answers)."""

import datetime as dt

import pytest
from analytics_support import DAY, build_history
from critique_support import critique, meeting, nominate

from drafter.services import critique as ops
from drafter.services.writer_analytics import mentor_report, writer_json, writer_report
from drafter.store.critique import Phase

UTC = dt.UTC


@pytest.fixture
def history(db, office):
    return build_history(db, office)


def test_writer_figures_drafts_versions_and_days_to_approval(db, office, history):
    with db.session() as session:
        junior = office.user(session, "junior")
        report = writer_report(session, junior, junior, DAY, UTC)
    d = report.drafts
    assert d.drafts == 3 and d.by_state == {"approved": 1, "returned": 1, "drafting": 1}
    assert d.versions == 4 and d.versions_per_draft == pytest.approx(4 / 3) and d.median_versions == 1
    assert (d.approval.count, d.approval.median) == (1, 6.5)
    assert [(a.draft_id, a.days) for a in d.approvals] == [(history["A"], 6.5)]


def test_findings_per_thousand_characters_by_family_and_month(db, office, history):
    with db.session() as session:
        junior = office.user(session, "junior")
        report = writer_report(session, junior, junior, DAY, UTC)
    assert report.granularity == "month"
    assert (report.coverage.checked, report.coverage.unchecked) == (3, 1)  # draft C was never checked
    assert report.families == ["structure", "norms", "formulaic", "reuse", "typo"]
    months = {p.label: p for p in report.series}
    assert list(months) == ["2024年1月", "2024年2月", "2024年3月", "2024年4月", "2024年5月"]
    january, may = months["2024年1月"], months["2024年5月"]
    assert (january.versions, january.chars) == (2, 2000)
    assert january.rates == {"structure": 1.0, "norms": 0.0, "formulaic": 2.5, "reuse": 0.0, "typo": 0.0}
    assert january.formulaic_density == pytest.approx(0.15) and january.concreteness == pytest.approx(0.4)
    assert may.rates["norms"] == 1.0 and may.formulaic_density == pytest.approx(0.05)
    assert months["2024年3月"].versions == 0
    assert report.family_totals["formulaic"] == pytest.approx(1000 * 5 / 4000)


def test_annotations_received_by_category_and_month(db, office, history):
    with db.session() as session:
        junior = office.user(session, "junior")
        report = writer_report(session, junior, junior, DAY, UTC)
    assert report.annotation_totals == {"data": 2, "wording": 1, "format": 1}
    assert report.open_annotations == 3  # the 数据 note on draft A was resolved
    rows = {label: counts for _, label, counts in report.annotation_series}
    assert rows["2024年1月"]["data"] == 1 and rows["2024年1月"]["wording"] == 1
    assert rows["2024年5月"] == {"viewpoint": 0, "structure": 0, "wording": 0, "typo": 0, "format": 1, "data": 1}
    data = writer_json(report)
    assert data["drafts"] == 3 and data["annotations"]["open"] == 3 and data["series"][1]["findings_per_thousand"] is None


def test_mentor_page_juniors_side_by_side_open_reviews_and_open_annotations(db, office, history):
    with db.session() as session:
        report = mentor_report(session, office.user(session, "mentor"), DAY, UTC)
        assert [j.junior.display_name for j in report.juniors] == ["刘洋", "张晓宇"]
        by_name = {j.junior.display_name: j for j in report.juniors}
        assert by_name["张晓宇"].findings_per_thousand == pytest.approx(1000 * 9 / 4000)
        assert by_name["刘洋"].findings_per_thousand == pytest.approx(6.0)
        assert report.granularity == "month" and report.buckets[0][1] == "2024年1月"
        sibling_rates = report.rates[history["SIBLING"]]
        assert sibling_rates[-1] == pytest.approx(6.0) and sibling_rates[0] is None
        assert [(r.draft.id, r.task.title, r.waiting_days, r.mine) for r in report.reviews] == [
            (history["D"], "指导老师", 2, True)]
        assert [(a.annotation.id, a.age_days) for a in report.annotations] == [(history["NOTE"], 1)]
        # a mentor without juniors gets an empty page, not an error
        empty = mentor_report(session, office.user(session, "other_mentor"), DAY, UTC)
        assert empty.juniors == [] and empty.reviews == [] and empty.buckets == []


def test_critique_ranks_and_self_peer_gap_follow_the_meeting_rules(db, office):
    with db.session() as session:
        m = meeting(session, office, chair="other_mentor", people=("junior", "sibling"))
        mine = nominate(session, office, m, "junior", value=4)
        theirs = nominate(session, office, m, "sibling", value=3)
        ops.set_phase(session, office.user(session, "other_mentor"), m, Phase.CRITIQUE)
        critique(session, office, mine, "sibling", 5)
        critique(session, office, theirs, "junior", 2)
        ops.set_phase(session, office.user(session, "other_mentor"), m, Phase.CLOSED)
    with db.session() as session:
        junior = office.user(session, "junior")
        own = writer_report(session, junior, junior, DAY, UTC)
        [row] = own.critiques
        assert (row.rank, row.total, row.kind, row.self_score) == (1, 2, "best", 4.0)
        assert row.gap == pytest.approx(4.0 - row.peer) and own.hidden_meetings == 0
        mentor_view = writer_report(session, office.user(session, "mentor"), junior, dt.date.today(), UTC)
        assert len(mentor_view.critiques) == 1  # the current mentor sees the feedback
        director_view = writer_report(session, office.user(session, "director"), junior, DAY, UTC)
        assert director_view.critiques == [] and director_view.hidden_meetings == 1  # not a member
