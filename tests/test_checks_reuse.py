"""drafter.services.checks.reuse: the duplication check inside ``drafter check``."""

from __future__ import annotations

from pathlib import Path

from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.services.checks import CHECK_MODULES, CheckRequest, RuleSettings, run_checks
from drafter.services.checks.reuse import CHECKER

DATA = Path(__file__).parent / "data" / "reuse"
SOURCE = (DATA / "source_summary.txt").read_text(encoding="utf-8")
HOST = (DATA / "unrelated_notice.txt").read_text(encoding="utf-8")


def test_checker_is_registered_and_needs_the_archive():
    assert "drafter.services.checks.reuse" in CHECK_MODULES
    assert CHECKER.name == "reuse" and CHECKER.needs_archive is True


def test_check_fills_reuse_and_findings(db):
    with db.session() as session:
        source_id = add_document(session, build_document(SOURCE, DocumentMeta(), "a.txt")).id
    text = HOST + SOURCE.split("\n", 2)[2]
    report = run_checks(CheckRequest(text=text, name="draft.txt", archive=db))
    data = report.to_json()
    assert data["reuse"]["copy_ratio"] > 0.5
    assert data["reuse"]["sources"][0]["path"] == "a.txt"
    assert {p["doc_id"] for p in data["reuse"]["passages"]} == {source_id}
    reuse_findings = [f for f in data["findings"] if f["rule"] == "reuse.copied-passage"]
    assert reuse_findings and all(text[f["start"]:f["end"]] == f["excerpt"] for f in reuse_findings)
    assert data["metrics"]["copy_ratio"] == data["reuse"]["copy_ratio"]


def test_check_excludes_the_drafts_own_versions(db):
    with db.session() as session:
        document = build_document(SOURCE, DocumentMeta(), None)
        document.kind, document.draft_id, document.dedupe_key = "draft", 3, None
        version = add_document(session, document).id
    assert run_checks(CheckRequest(text=SOURCE, archive=db, draft_id=3)).reuse["passages"] == []
    assert run_checks(CheckRequest(text=SOURCE, archive=db, exclude_document_ids={version})).reuse["passages"] == []
    assert run_checks(CheckRequest(text=SOURCE, archive=db)).reuse["passages"]


def test_rule_can_be_switched_off_and_without_archive_nothing_runs(db):
    with db.session() as session:
        add_document(session, build_document(SOURCE, DocumentMeta(), None))
    rules = RuleSettings.build(disabled=["reuse.copied-passage"])
    report = run_checks(CheckRequest(text=SOURCE, archive=db), rules)
    assert not [f for f in report.findings if f.rule.startswith("reuse.")]
    assert report.reuse["passages"]
    assert run_checks(CheckRequest(text=SOURCE)).reuse == {"copy_ratio": 0.0, "sources": [], "passages": []}
