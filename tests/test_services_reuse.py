"""drafter.services.reuse: candidates from the index, exclusions, own work, boilerplate, the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.services.reuse import ReuseOptions, check_reuse, find_candidates
from drafter.store.models import DocumentKind

DATA = Path(__file__).parent / "data" / "reuse"
SOURCE = (DATA / "source_summary.txt").read_text(encoding="utf-8")
HOST = (DATA / "unrelated_notice.txt").read_text(encoding="utf-8")
SERVICE = "我们在江澜新区设立了查档服务点，群众在家门口就能办理婚姻、学籍等常用档案的查询，全年接待查档群众9300人次，办结率保持在百分之百。"

# A stock paragraph that many archive documents carry, and bodies that differ.
STOCK = "各单位要高度重视此项工作，主要负责同志要亲自过问，明确专人负责，认真抓好贯彻落实，确保各项任务按期完成。"
BODIES = ["城东片区老旧小区改造涉及住户八百余户，施工期间要做好围挡和临时通道设置。",
          "农村饮水安全巩固提升工程今年要完成十二处水源地保护范围划定。",
          "全市中小学课后服务覆盖面要进一步扩大，音乐美术课程由学校统筹安排。",
          "防汛物资仓库要在汛前完成盘点，冲锋舟和救生衣不足的立即补齐。",
          "政务服务大厅延时服务窗口周六上午照常开放，群众可通过热线预约。",
          "农产品质量安全抽检以蔬菜和水产品为重点，抽检结果按月公开。"]


def add(db, text, kind=DocumentKind.ARCHIVE, draft_id=None, author=None, title=None):
    with db.session() as session:
        document = build_document(text, DocumentMeta(author=author, title=title), None, kind=kind)
        document.draft_id = draft_id
        if kind is DocumentKind.DRAFT:
            document.dedupe_key = None
        return add_document(session, document).id


def draft_with(piece: str) -> str:
    return HOST + piece + "\n"


def test_identical_text_is_copied_from_its_archive_document(db):
    source_id = add(db, SOURCE, title="江澜市档案馆2023年工作总结")
    add(db, HOST)
    with db.session() as session:
        report = check_reuse(session, SOURCE)
    data = report.to_json()
    assert data["copy_ratio"] > 0.9
    assert data["largest_source_id"] == source_id
    assert data["sources"][0]["doc_id"] == source_id and data["sources"][0]["title"] == "江澜市档案馆2023年工作总结"
    for p in data["passages"]:
        assert set(p) >= {"start", "end", "doc_id", "source_start", "source_end", "similarity"}
        assert SOURCE[p["start"]:p["end"]] == SOURCE[p["source_start"]:p["source_end"]]
    assert data["copy_ratio_excluding_own"] is None


def test_draft_versions_of_the_same_draft_are_never_sources(db):
    first = add(db, draft_with(SERVICE), kind=DocumentKind.DRAFT, draft_id=4)
    second = add(db, draft_with(SERVICE) + "补充。", kind=DocumentKind.DRAFT, draft_id=4)
    text = draft_with(SERVICE) + "再补充。"
    with db.session() as session:
        assert check_reuse(session, text, draft_id=4).passages == []
        assert check_reuse(session, text, exclude_ids={first, second}).passages == []
        other = check_reuse(session, text, draft_id=5)
    # Of another draft's versions only the newest is compared.
    assert {p.doc_id for p in other.passages} == {second}


def test_excluded_ids_are_never_sources(db):
    source_id = add(db, SOURCE)
    with db.session() as session:
        assert check_reuse(session, draft_with(SERVICE)).passages
        assert check_reuse(session, draft_with(SERVICE), exclude_ids={source_id}).passages == []


def test_own_earlier_work_is_reported_separately(db):
    own = add(db, SOURCE, author="林晓")
    other_paragraph = "城东片区老旧小区改造涉及住户八百余户，施工期间要做好围挡和临时通道设置，夜间施工须提前三天公告。"
    other = add(db, "关于老旧小区改造的通知\n" + other_paragraph + "\n", author="王静")
    with db.session() as session:
        report = check_reuse(session, HOST + SERVICE + "\n" + other_paragraph + "\n", author="林晓")
    assert report.own_ids == {own}
    f = report.figures
    assert set(f.per_source) == {own, other}
    assert 0 < f.copy_ratio_excluding_own < f.copy_ratio
    assert f.copy_ratio_excluding_own == round(f.per_source[other] / f.counted_chars, 4)
    severities = {finding.data["doc_id"]: finding.severity.value for finding in report.findings()}
    assert severities == {own: "info", other: "warning"}
    assert "本人此前文稿" in next(x.message for x in report.findings() if x.data["doc_id"] == own)


def test_own_work_ratio_counts_only_other_authors(db):
    add(db, SOURCE, author="林晓")
    with db.session() as session:
        mine = check_reuse(session, draft_with(SERVICE), author="林晓")
        theirs = check_reuse(session, draft_with(SERVICE), author="王静")
    assert mine.figures.copy_ratio_excluding_own == 0.0
    assert theirs.figures.copy_ratio_excluding_own == theirs.figures.copy_ratio > 0
    assert [row["own"] for row in mine.source_rows()] == [True]


def test_text_also_in_another_authors_document_still_counts_without_own_work(db):
    add(db, SOURCE, author="林晓")
    add(db, "关于档案查询服务的情况说明\n" + SERVICE + "\n", author="王静")
    with db.session() as session:
        report = check_reuse(session, draft_with(SERVICE), author="林晓")
    assert report.figures.copy_ratio > 0
    assert report.figures.copy_ratio_excluding_own == report.figures.copy_ratio


def test_boilerplate_in_many_archive_documents_is_not_copying(db):
    for i, body in enumerate(BODIES):
        add(db, f"通知{i}\n{body}\n{STOCK}\n")
    with db.session() as session:
        found = find_candidates(session, draft_with(STOCK))
        report = check_reuse(session, draft_with(STOCK))
    assert found.common, "a paragraph in six archive documents is boilerplate"
    assert report.passages == []


def test_a_paragraph_in_few_documents_is_copying(db):
    for i, body in enumerate(BODIES[:2]):
        add(db, f"通知{i}\n{body}\n{STOCK}\n")
    with db.session() as session:
        report = check_reuse(session, draft_with(STOCK))
    assert len(report.passages) == 1


def test_quoted_passage_is_excluded_from_the_quotation_ratio(db):
    add(db, SOURCE)
    text = HOST + "总结中写道：“" + SERVICE + "”\n"
    with db.session() as session:
        report = check_reuse(session, text)
    assert report.figures.copy_ratio > 0.1
    assert report.figures.copy_ratio_excluding_quotes < 0.02
    assert all(report.is_quoted(p) for p in report.passages)
    assert report.to_json()["passages"][0]["quoted"] is True
    assert report.findings()[0].severity.value == "info"


def test_findings_name_the_source_and_keep_offsets(db):
    source_id = add(db, SOURCE, title="江澜市档案馆2023年工作总结")
    text = draft_with(SERVICE)
    with db.session() as session:
        findings = check_reuse(session, text).findings()
    assert len(findings) == 1
    f = findings[0]
    assert f.rule == "reuse.copied-passage" and f.severity.value == "warning"
    assert f"《江澜市档案馆2023年工作总结》（#{source_id}）" in f.message and "第7行" in f.message
    assert text[f.start:f.end] == SERVICE


def test_empty_archive_and_empty_text(db):
    with db.session() as session:
        assert check_reuse(session, SOURCE).to_json()["copy_ratio"] == 0.0
    add(db, SOURCE)
    with db.session() as session:
        assert check_reuse(session, "").passages == []


def test_options_from_settings():
    assert ReuseOptions.from_settings({"max_candidates": "5", "unknown": 1}).max_candidates == 5
    assert ReuseOptions().boilerplate_threshold(100) == 5
    assert ReuseOptions().boilerplate_threshold(100_000) == 1000


@pytest.mark.parametrize("n", [0, 3])
def test_missing_documents_are_reported(db, n):
    from drafter.store.reuse_tables import ReuseDocument

    for i in range(3):
        add(db, f"{SOURCE}\n第{i}份。")
    with db.session() as session:
        if n:
            session.execute(ReuseDocument.__table__.delete())
    with db.session() as session:
        assert check_reuse(session, SOURCE).to_json()["missing_from_index"] == n
