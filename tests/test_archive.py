"""Tests for drafter.services.archive: import, idempotency, atomicity, inference, export."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from drafter.docio import read_bytes
from drafter.services import indexing
from drafter.services.archive import (
    DocumentMeta,
    NotFound,
    content_hash,
    export_document,
    facet_values,
    get_document,
    import_paths,
    list_documents,
)
from drafter.store.models import Document, Paragraph, Tag


def _count(db, model):
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_import_infers_title_type_date_and_paragraphs(db, write, sample_text):
    path = write("notice.txt", sample_text)
    summary = import_paths(db, [path])
    assert summary.count("imported") == 1
    with db.session() as session:
        doc = session.scalars(select(Document)).one()
        assert doc.title == "关于做好年度文稿工作的通知"
        assert doc.doc_type == "通知"
        assert doc.date == dt.date(2023, 3, 5) and doc.year == 2023
        assert doc.origin_path == str(path) and doc.chars == len(sample_text)
        assert doc.content_hash == content_hash(sample_text)
        texts = [p.text for p in doc.paragraphs]
        assert texts[0] == "关于做好年度文稿工作的通知" and texts[-1] == "2023年3月5日"
        levels = {p.text[:4]: p.heading_level for p in doc.paragraphs}
        assert levels["一、总体"] == 1 and levels["（一）明"] == 2 and levels["坚持问题"] is None


def test_options_override_inference_and_tags(db, write, sample_text):
    path = write("a.txt", sample_text)
    meta = DocumentMeta(doc_type="方案", unit="综合一科", author="李明华", year=2020, tags=["文稿", "年度"],
                        exemplar=True)
    import_paths(db, [path], meta)
    with db.session() as session:
        doc = session.scalars(select(Document)).one()
        assert (doc.doc_type, doc.unit, doc.author, doc.year, doc.is_exemplar) == ("方案", "综合一科", "李明华", 2020, True)
        assert doc.tag_names == ["年度", "文稿"]


def test_import_is_idempotent_by_content(db, write, sample_text):
    write("dir/a.txt", sample_text)
    write("dir/sub/b.txt", sample_text.replace("\n", "\r\n") + "\n\n")  # same text, other bytes
    write("dir/gbk.txt", sample_text.replace("年度", "季度"), encoding="gbk")
    first = import_paths(db, [write("dir/c.md", "# 标题\n\n正文内容。\n").parent])
    assert (first.count("imported"), first.count("duplicate")) == (3, 1)
    second = import_paths(db, [first.outcomes[0].path])
    assert second.count("duplicate") == 1
    assert _count(db, Document) == 3


def test_folder_import_skips_hidden_and_lock_files(db, write, sample_text):
    write("d/.hidden.txt", sample_text)
    write("d/~$lock.docx", b"junk")
    write("d/image.png", b"\x89PNG")
    write("d/ok.txt", sample_text)
    summary = import_paths(db, [write("d/x.txt", "另一篇文稿的正文。").parent])
    assert sorted(o.path.rsplit("/", 1)[-1] for o in summary.outcomes) == ["ok.txt", "x.txt"]


def test_bad_files_fail_alone_with_reasons(db, write, sample_text, tmp_path):
    paths = [write("good.txt", sample_text), write("empty.txt", b""), write("bin.txt", b"\x00\x01" * 50),
             write("fake.docx", b"PK\x03\x04 corrupt"), write("big.txt", "字" * 5000), tmp_path / "nope.txt"]
    summary = import_paths(db, paths, max_bytes=10_000)
    statuses = {o.path.rsplit("/", 1)[-1]: (o.status, o.reason) for o in summary.outcomes}
    assert statuses["good.txt"][0] == "imported"
    for name, word in [("empty.txt", "为空"), ("bin.txt", "二进制"), ("fake.docx", "损坏"), ("big.txt", "过大"),
                       ("nope.txt", "不存在")]:
        assert statuses[name][0] == "failed" and word in statuses[name][1], name
    assert _count(db, Document) == 1


def test_a_failure_while_saving_leaves_no_rows(db, write, sample_text, monkeypatch):
    def exploding_index(session, document):
        if "爆炸" in document.text:
            raise RuntimeError("index failed")

    monkeypatch.setitem(indexing._indexers, "test-exploder", exploding_index)
    summary = import_paths(db, [write("ok.txt", sample_text), write("boom.txt", "这篇会爆炸。\n第二段。")])
    assert [o.status for o in summary.outcomes] == ["imported", "failed"]
    assert "index failed" in summary.outcomes[1].reason
    assert _count(db, Document) == 1
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Paragraph).join(Document)
                              .where(Document.text.contains("爆炸"))) == 0
        assert session.scalar(select(func.count()).select_from(Paragraph)) == len(
            session.scalars(select(Document)).one().paragraphs)


def test_list_filters_and_facets(db, write, sample_text):
    import_paths(db, [write("a.txt", sample_text)], DocumentMeta(unit="综合一科"))
    import_paths(db, [write("b.txt", "2021年工作总结\n\n全年完成任务。\n")])
    with db.session() as session:
        docs, total = list_documents(session, query="文稿")
        assert total == 1 and docs[0].title.endswith("通知")
        assert list_documents(session, doc_type="工作总结")[1] == 1
        assert list_documents(session, year=2021)[1] == 1
        assert list_documents(session, query="100%_")[1] == 0  # LIKE wildcards escaped
        facets = facet_values(session)
        assert set(facets["doc_types"]) == {"通知", "工作总结"} and facets["years"] == [2023, 2021]


def test_get_missing_document(db):
    with db.session() as session, pytest.raises(NotFound, match="不存在"):
        get_document(session, 999)


def test_export_round_trip(db, write, sample_text):
    import_paths(db, [write("a.txt", sample_text)])
    with db.session() as session:
        doc = session.scalars(select(Document)).one()
        assert export_document(doc, "txt").decode() == sample_text
        again = read_bytes(export_document(doc, "docx"), "x.docx")
        assert again.text == doc.text
        with pytest.raises(ValueError):
            export_document(doc, "pdf")


def test_tags_shared_between_documents(db, write, sample_text):
    import_paths(db, [write("a.txt", sample_text)], DocumentMeta(tags=["文稿"]))
    import_paths(db, [write("b.txt", "另一篇。")], DocumentMeta(tags=["文稿"]))
    assert _count(db, Tag) == 1
