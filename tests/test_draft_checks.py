"""Tests for drafter.services.draft_checks: the analysis panel's reports, cache, grouping and progress."""

import pytest
from draft_support import V1, two_version_draft

from drafter.config import Settings
from drafter.services.archive import DocumentMeta, import_paths
from drafter.services.draft_checks import (
    checks_signature,
    counts,
    family_label,
    group_findings,
    progress,
    version_report,
)
from drafter.services.drafts import create_draft
from drafter.store.workflow import Draft


@pytest.fixture
def draft_id(db, office) -> int:
    return two_version_draft(db, office)


def test_report_is_the_check_json_with_the_draft_context(db, office, draft_id, fake_checker):
    settings = Settings(db_url=db.url)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        report = version_report(session, db, draft, draft.versions[0], settings)
        request = fake_checker.requests[-1]
        assert request.draft_id == draft.id and request.author == "张晓宇" and request.archive is db
        assert request.exclude_document_ids == {v.document_id for v in draft.versions}
        assert [f["rule"] for f in report["findings"]] == [
            "structure.numbering-gap", "wording.vague", "norms.halfwidth-punct", "wording.vague"]
        assert all(f["excerpt"] == V1[f["start"]:f["end"]] for f in report["findings"])
        assert counts(report) == ({"error": 2, "warning": 2, "info": 0},
                                  {"structure": 1, "wording": 2, "norms": 1})


def test_reports_are_cached_until_the_archive_or_the_checks_change(db, office, draft_id, fake_checker, write):
    settings = Settings(db_url=db.url)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        version_report(session, db, draft, draft.versions[1], settings)
        version_report(session, db, draft, draft.versions[1], settings)
        assert len(fake_checker.requests) == 1
    import_paths(db, [write("new.txt", "新入库的档案文稿\n正文。\n")], DocumentMeta())
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        version_report(session, db, draft, draft.versions[1], settings, fresh=False)
        assert len(fake_checker.requests) == 1  # progress counts reuse the cached report
        report = version_report(session, db, draft, draft.versions[1], settings)
        assert len(fake_checker.requests) == 2  # the shown version is re-checked against the new archive
        assert report["reuse"]["sources"][0]["title"] == "新入库的档案文稿"
        strict = Settings(db_url=db.url, rules={"wording": "off"})
        assert checks_signature(strict) != checks_signature(settings)
        report = version_report(session, db, draft, draft.versions[0], strict)
        assert "wording.vague" not in {f["rule"] for f in report["findings"]}


def test_progress_counts_every_version(db, office, draft_id, fake_checker):
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        rows = progress(session, db, draft, Settings(db_url=db.url))
        assert [r.version.number for r in rows] == [1, 2]
        assert [r.total for r in rows] == [4, 0]
        assert rows[0].by_family == {"structure": 1, "wording": 2, "norms": 1}


def test_findings_grouped_by_family_then_rule():
    report = {"findings": [
        {"rule": "norms.halfwidth-punct", "severity": "error"}, {"rule": "structure.level-skip", "severity": "error"},
        {"rule": "norms.halfwidth-punct", "severity": "error"}, {"rule": "zzz.custom", "severity": "info"},
        {"rule": "norms.unbalanced-quote", "severity": "warning"}]}
    groups = group_findings(report)
    assert [g.family for g in groups] == ["structure", "norms", "zzz"]
    assert [g.label for g in groups] == ["结构层次", "标点与数字规范", "zzz"]
    assert [(r.rule, [i for i, _ in r.findings]) for r in groups[1].rules] == [
        ("norms.halfwidth-punct", [0, 2]), ("norms.unbalanced-quote", [4])]
    assert groups[1].count == 3 and family_label("typo") == "错别字"


def test_no_checks_registered_gives_an_empty_report(db, office, draft_id, monkeypatch):
    from drafter.services import checks

    monkeypatch.setattr(checks, "_checkers", [])
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        report = version_report(session, db, draft, draft.versions[0], Settings(db_url=db.url))
        assert report["findings"] == [] and report["reuse"]["passages"] == []


def test_other_writers_saves_recheck_only_after_a_while(db, office, draft_id, fake_checker):
    import datetime as dt

    from drafter.services.draft_checks import current_report
    from drafter.store.models import utcnow

    settings = Settings(db_url=db.url)
    start = utcnow()
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        assert current_report(session, draft, draft.versions[1], settings) is None  # never checked
        version_report(session, db, draft, draft.versions[1], settings, now=start)
    with db.session() as session:  # another writer saves a draft: its text counts for duplication
        create_draft(session, office.user(session, "outsider"), "信息科的稿子", text="另一篇文稿\n正文。\n")
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        soon, later = start + dt.timedelta(minutes=9), start + dt.timedelta(minutes=11)
        assert current_report(session, draft, draft.versions[1], settings, now=soon) is not None
        version_report(session, db, draft, draft.versions[1], settings, now=soon)
        assert len(fake_checker.requests) == 1  # a busy office does not re-check every page view
        assert current_report(session, draft, draft.versions[1], settings, now=later) is None
        version_report(session, db, draft, draft.versions[1], settings, now=later)
        assert len(fake_checker.requests) == 2
        eager = Settings(db_url=db.url, extra={"checks": {"recheck_minutes": 0}})
        create_draft(session, office.user(session, "outsider"), "又一篇", text="又一篇文稿\n正文。\n")
        session.flush()
        assert current_report(session, draft, draft.versions[1], eager, now=later) is None


def test_progress_from_the_cache_only_leaves_out_unchecked_versions(db, office, draft_id, fake_checker):
    settings = Settings(db_url=db.url)
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        assert progress(session, db, draft, settings, cached_only=True) == []
        version_report(session, db, draft, draft.versions[1], settings)
        rows = progress(session, db, draft, settings, cached_only=True)
        assert [r.version.number for r in rows] == [2] and len(fake_checker.requests) == 1


def test_recheck_setting():
    import datetime as dt

    from drafter.services.draft_checks import recheck_after

    assert recheck_after(Settings()) == dt.timedelta(minutes=10)
    assert recheck_after(Settings(extra={"checks": {"recheck_minutes": 2.5}})) == dt.timedelta(minutes=2.5)
    assert recheck_after(Settings(extra={"checks": {"recheck_minutes": "x"}})) == dt.timedelta(minutes=10)
