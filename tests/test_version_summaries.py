"""Tests for drafter.services.version_summaries: the numbers kept per checked version, the job that checks the
versions nobody opened, and the queueing after a save."""

import datetime as dt

import pytest
from draft_support import V1, two_version_draft
from sqlalchemy import select

from drafter.config import Settings
from drafter.services import jobs
from drafter.services.draft_checks import checks_signature, version_report
from drafter.services.drafts import create_draft
from drafter.services.version_summaries import status, store_summary, summarise_pending
from drafter.store.analytics import VersionRuleCount, VersionSummary
from drafter.store.workflow import Draft


@pytest.fixture
def draft_id(db, office) -> int:
    return two_version_draft(db, office)


def rule_counts(session, version_id):
    return {r.rule: (r.family, r.count, r.example) for r in session.scalars(
        select(VersionRuleCount).where(VersionRuleCount.version_id == version_id))}


def test_store_summary_keeps_counts_metrics_and_an_example_per_rule(db, draft_id):
    report = {"chars": 2000, "metrics": {"formulaic_density": 0.12, "concreteness": "0.5"}, "findings": [
        {"rule": "formulaic.stock-phrase", "severity": "info", "message": "“高度重视”是套话"},
        {"rule": "formulaic.stock-phrase", "severity": "warning", "message": "“切实加强”是套话"},
        {"rule": "structure.numbering-gap", "severity": "error", "message": "“二、”之前缺少“一、”"}]}
    with db.session() as session:
        version = session.get(Draft, draft_id).versions[0]
        summary = store_summary(session, version, report, "sig")
        assert (summary.chars, summary.findings, summary.errors, summary.warnings, summary.infos) == (2000, 3, 1, 1, 1)
        assert (summary.formulaic_density, summary.concreteness, summary.signature) == (0.12, 0.5, "sig")
        assert rule_counts(session, version.id) == {
            "formulaic.stock-phrase": ("formulaic", 2, "“高度重视”是套话"),
            "structure.numbering-gap": ("structure", 1, "“二、”之前缺少“一、”")}
        store_summary(session, version, {"chars": 10, "metrics": {"formulaic_density": float("nan")}, "findings": []},
                      "sig2")
        again = session.get(VersionSummary, version.id)
        assert (again.findings, again.formulaic_density, again.signature) == (0, None, "sig2")
        assert rule_counts(session, version.id) == {}


def test_a_computed_report_leaves_its_summary(db, draft_id, fake_checker):
    settings = Settings(db_url=db.url)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        version_report(session, db, draft, draft.versions[0], settings)
        summary = session.get(VersionSummary, draft.versions[0].id)
        assert (summary.findings, summary.errors, summary.warnings, summary.chars) == (4, 2, 2, len(V1))
        assert summary.formulaic_density == 0.25 and summary.signature == checks_signature(settings)
        assert {r: c for r, (_, c, _) in rule_counts(session, draft.versions[0].id).items()} == {
            "structure.numbering-gap": 1, "wording.vague": 2, "norms.halfwidth-punct": 1}
        assert session.get(VersionSummary, draft.versions[1].id) is None
        assert (status(session).done, status(session).total) == (1, 2)


def test_the_job_checks_what_is_missing_reuses_cached_reports_and_is_safe_to_rerun(db, draft_id, fake_checker):
    settings = Settings(db_url=db.url)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        version_report(session, db, draft, draft.versions[0], settings)
        session.execute(VersionSummary.__table__.delete())  # a report cached before summaries existed
    calls = len(fake_checker.requests)
    seen = []
    assert summarise_pending(db, settings, progress=seen.append) == 2
    assert len(fake_checker.requests) == calls + 1  # version 1 came from its cached report
    assert seen[-1].done == seen[-1].total == 2 and seen[-1].describe() == "全部 2 个稿次都已检查"
    assert summarise_pending(db, settings) == 0 and len(fake_checker.requests) == calls + 1
    with db.session() as session:
        assert [s.findings for s in session.scalars(select(VersionSummary).order_by(VersionSummary.version_id))] == [4, 0]


def test_a_failing_check_is_skipped_and_left_for_the_next_run(db, draft_id, fake_checker, monkeypatch):
    def broken(request, report):
        if "大幅" in request.text:
            raise RuntimeError("check crashed")
    monkeypatch.setattr(fake_checker, "run", broken)
    assert summarise_pending(db, Settings(db_url=db.url)) == 1
    with db.session() as session:
        assert status(session).describe() == "已检查 1/2 个稿次，其余 1 个由后台任务补查"


def test_a_saved_version_schedules_the_summary_job_after_a_delay(tmp_path, monkeypatch, password_hash):
    from conftest import build_office

    from drafter.store.db import open_database

    monkeypatch.delenv("DRAFTER_JOBS", raising=False)
    db = open_database(f"sqlite:///{tmp_path / 'office.db'}")
    try:
        office = build_office(db, password_hash)
        with db.session() as session:
            create_draft(session, office.user(session, "junior"), "工作总结", text=V1)
        queue = jobs.queue_for(db.url)

        def summary_jobs():  # type: ignore[no-untyped-def]
            return [t for t in [*queue.pending(), *queue.scheduled()] if t.name == jobs.SUMMARY_TASK]

        assert len(summary_jobs()) == 1
        eta = summary_jobs()[0].eta  # not at once: the page checks a new version first
        assert eta is not None and (eta - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds() > 500
        with db.session() as session:  # a second save within the delay adds no second job
            create_draft(session, office.user(session, "junior"), "工作总结二", text=V1)
        assert len(summary_jobs()) == 1
    finally:
        db.dispose()
