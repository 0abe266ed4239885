"""Tests for drafter.services.checks.similar: the ``similar`` section of ``drafter check --db``."""

from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.services.checks import CheckRequest, run_checks
from drafter.services.embeddings import embed_pending
from drafter.store.models import DocumentKind

PRIOR = "2023年便民服务总结\n一年来，我们推行一次办改革，企业和居民少跑腿，审批材料减少三成。\n"
DRAFT = "2024年便民服务计划\n一、主要目标\n继续推行一次办改革，让企业和居民少跑腿。\n"


def add(db, body, kind=DocumentKind.ARCHIVE, draft_id=None):
    with db.session() as session:
        document = build_document(body, DocumentMeta(), kind=kind)
        document.draft_id = draft_id
        return add_document(session, document).id


def test_similar_items_point_into_both_texts(db):
    prior = add(db, PRIOR)
    report = run_checks(CheckRequest(text=DRAFT, name="draft.txt", archive=db))
    assert report.metrics["similar_semantic"] == "missing"
    item = report.to_json()["similar"][0]
    assert item["doc_id"] == prior
    assert DRAFT[item["for_start"]:item["for_end"]] == "继续推行一次办改革，让企业和居民少跑腿。"
    assert PRIOR[item["start"]:item["end"]] == item["paragraph"]
    assert set(item) == {"for_start", "for_end", "doc_id", "title", "path", "paragraph", "start", "end", "score"}
    assert all(DRAFT[i["for_start"]:i["for_end"]] != "一、主要目标" for i in report.similar)  # headings skipped


def test_the_draft_and_its_versions_are_excluded(db, concept_encoder):
    prior = add(db, PRIOR)
    version = add(db, DRAFT, kind=DocumentKind.DRAFT, draft_id=9)
    embed_pending(db, concept_encoder)
    report = run_checks(CheckRequest(text=DRAFT, archive=db, draft_id=9, exclude_document_ids={prior}))
    assert report.similar == [] and report.metrics["similar_semantic"] == "complete"
    report = run_checks(CheckRequest(text=DRAFT, archive=db, draft_id=9))
    assert {i["doc_id"] for i in report.similar} == {prior} and version not in {i["doc_id"] for i in report.similar}


def test_without_archive_the_check_does_not_run():
    report = run_checks(CheckRequest(text=DRAFT))
    assert report.similar == [] and "similar_semantic" not in report.metrics


def test_semantic_can_be_switched_off(db, concept_encoder):
    add(db, PRIOR)
    embed_pending(db, concept_encoder)
    calls = concept_encoder.calls
    report = run_checks(CheckRequest(text=DRAFT, archive=db, options={"similar": {"semantic": False}}))
    assert report.metrics["similar_semantic"] == "off" and report.similar
    assert concept_encoder.calls == calls
