"""Tests for drafter.docio: reading .txt/.docx/.md and writing GB/T 9704 .docx."""

import io
import zipfile

import docx
import pytest
from docx.shared import Mm, Pt

from drafter.docio import DocumentReadError, decode_text, read_bytes, read_path, write_docx

TEXT = "关于做好年度文稿工作的通知\n\n各处室：\n一、总体要求\n坚持问题导向。\n（一）明确分工。各处室负责起草。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_text_encodings_detected(write, encoding):
    path = write(f"a-{encoding}.txt", TEXT.replace("\n", "\r\n"), encoding=encoding)
    result = read_path(path)
    assert result.text == TEXT


def test_gbk_is_reported_as_gb18030():
    text, encoding = decode_text("江澜市委办公室".encode("gbk"))
    assert text == "江澜市委办公室" and encoding == "gb18030"


@pytest.mark.parametrize("data,message", [
    (b"\x00\x01\x02\x03" * 100, "二进制"),
    (bytes(range(128, 256)) * 40, "编码"),
    (b"PK\x03\x04 zip pretending to be text", "二进制"),
])
def test_binary_or_unknown_text_refused(data, message):
    with pytest.raises(DocumentReadError, match=message):
        read_bytes(data, "x.txt")


@pytest.mark.parametrize("data,name,message", [
    (b"", "empty.txt", "为空"),
    (b"   \n\n", "blank.txt", "为空"),
    ("\u3000\u3000\n".encode(), "blank2.txt", "没有正文"),
    (b"PK\x03\x04 not really a docx", "fake.docx", "损坏"),
    (b"plain words", "fake2.docx", "损坏"),
    (b"abc", "old.doc", ".doc"),
    (b"abc", "picture.png", "不支持"),
])
def test_bad_files_give_chinese_errors(data, name, message):
    with pytest.raises(DocumentReadError, match=message):
        read_bytes(data, name)


def test_zip_without_document_part_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(DocumentReadError, match="word/document.xml"):
        read_bytes(buffer.getvalue(), "a.docx")


def test_zip_bomb_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (60 * 1024 * 1024))
    with pytest.raises(DocumentReadError, match="压缩炸弹"):
        read_bytes(buffer.getvalue(), "bomb.docx")


def test_size_limit(write):
    path = write("big.txt", "字" * 2000)
    with pytest.raises(DocumentReadError, match="过大"):
        read_path(path, max_bytes=1000)


def test_missing_file():
    with pytest.raises(DocumentReadError, match="不存在"):
        read_path("/nonexistent/file.txt")


def _docx_bytes(build) -> bytes:
    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_tables_and_headings():
    def build(d):
        d.core_properties.title = "年度总结"
        d.core_properties.author = "李明华"
        d.add_paragraph("江澜市委办公室2023年工作总结", style="Title")
        d.add_paragraph("一、主要成效", style="Heading 1")
        d.add_paragraph("全年起草文稿120篇。")
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "项目", "数量"
        table.cell(1, 0).text, table.cell(1, 1).text = "信息", "45篇"
        d.add_paragraph("二、存在不足", style="Heading 1")
    result = read_bytes(_docx_bytes(build), "a.docx")
    assert result.text.split("\n") == ["江澜市委办公室2023年工作总结", "一、主要成效", "全年起草文稿120篇。",
                                       "项目", "数量", "信息", "45篇", "二、存在不足"]
    assert result.title == "年度总结" and result.author == "李明华"
    assert result.heading_levels == {0: 0, 1: 1, 7: 1}


def test_docx_merged_cells_read_once():
    def build(d):
        table = d.add_table(rows=1, cols=3)
        table.cell(0, 0).merge(table.cell(0, 1)).text = "合并单元格"
        table.cell(0, 2).text = "右"
    assert read_bytes(_docx_bytes(build), "a.docx").text == "合并单元格\n右"


def test_markdown_headings_and_emphasis():
    md = "# 年度总结\n\n## 一、主要成效\n全年完成**重点**任务。\n"
    result = read_bytes(md.encode(), "a.md")
    assert result.text == "年度总结\n\n一、主要成效\n全年完成重点任务。\n"
    assert result.title == "年度总结" and result.heading_levels == {0: 1, 2: 2}


ROUND_TRIP = ("关于做好年度文稿工作的通知\n\n各处室：\n一、总体要求。坚持问题导向，提升文稿质量。\n"
              "（一）明确责任分工\n1．各处室负责起草。\n（1）3月底前报送选题。\n\u3000\u3000已缩进的段落\t带制表符。\n"
              "\n江澜市委办公室\n2023年3月5日\n")


def test_docx_round_trip_keeps_text(tmp_path):
    target = tmp_path / "out.docx"
    write_docx(ROUND_TRIP, target, title="关于做好年度文稿工作的通知")
    assert read_path(target).text == ROUND_TRIP


def test_docx_layout_follows_gbt9704(tmp_path):
    target = tmp_path / "out.docx"
    write_docx(ROUND_TRIP, target)
    document = docx.Document(str(target))
    section = document.sections[0]
    measured = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                section.left_margin, section.right_margin)
    expected = (Mm(210), Mm(297), Mm(37), Mm(35), Mm(28), Mm(26))
    assert all(abs(a - b) < Mm(0.05) for a, b in zip(measured, expected, strict=True))  # stored in twips
    paragraphs = document.paragraphs
    title = paragraphs[0]
    assert title.alignment == 1 and title.runs[0].font.size == Pt(22)
    assert title.runs[0].font.name == "方正小标宋简体"
    fonts = {p.text[:4]: p.runs[0].font.name for p in paragraphs if p.runs}
    assert fonts["一、总体"] == "黑体" and fonts["（一）明"] == "楷体_GB2312" and fonts["1．各处"] == "仿宋_GB2312"
    run_in = next(p for p in paragraphs if p.text.startswith("一、"))
    assert [r.text for r in run_in.runs] == ["一、总体要求。", "坚持问题导向，提升文稿质量。"]
    assert run_in.runs[1].font.name == "仿宋_GB2312"
    bold3 = next(p for p in paragraphs if p.text.startswith("1．"))
    assert bold3.runs[0].bold is True
    body = next(p for p in paragraphs if p.text.startswith("各处室"))
    assert body.paragraph_format.line_spacing == Pt(28) and body.paragraph_format.first_line_indent == Pt(32)
    for paragraph in paragraphs:
        for run in paragraph.runs:
            fonts_el = run._r.rPr.rFonts
            assert fonts_el.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
    footer_xml = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer_xml and "— " in section.footer.paragraphs[0].text


def test_heading_level_uses_the_outline_markers():
    from drafter.docio import heading_level

    assert [heading_level(line) for line in ("一、总体要求", "\u3000\u3000（二）分工", "3．落实", "(4)细化")] == [1, 2, 3, 4]
    assert [heading_level(line) for line in ("三、四月份完成", "1.5万元", "第一条　目的", "正文")] == [None] * 4


# ---------------------------------------------------------------------------------------------- fuzzing
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from drafter.analysis.metadata import infer_date, infer_doc_type, infer_title  # noqa: E402

_FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(st.binary(max_size=2048), st.sampled_from(["a.txt", "a.md", "a.docx", "a.doc", "a"]))
def test_reading_arbitrary_bytes_only_raises_document_errors(data, name):
    try:
        result = read_bytes(data, name)
    except DocumentReadError as exc:
        assert str(exc)
    else:
        assert result.text.strip() and "\r" not in result.text


@_FUZZ
@given(st.text(alphabet=st.sampled_from(list("一二三四五六七八九十〇年月日（）()、。：；\n 　0123456789关于的通知讲话")),
               max_size=300))
def test_metadata_inference_never_crashes(text):
    guess = infer_title(text)
    if guess.span:
        assert 0 <= guess.span.start <= guess.span.end <= len(text)
    infer_doc_type(guess.title)
    infer_date(text)


def test_zip_with_unsupported_version_is_a_read_error():
    """Found by bench/fuzz_parsers.py: zipfile raised NotImplementedError on a damaged header."""
    data = bytearray(_docx_bytes(lambda d: d.add_paragraph("正文。")))
    central = data.rfind(b"PK\x01\x02")
    data[central + 6] = 0x54  # "version needed to extract" of the first central record: 8.4
    with pytest.raises(DocumentReadError, match="损坏"):
        read_bytes(bytes(data), "a.docx")
