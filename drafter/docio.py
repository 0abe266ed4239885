"""Reading office files (.txt, .docx, .md) into normalised text, and writing .docx in GB/T 9704 layout.

Every reading error is a :class:`DocumentReadError` whose message is Chinese and names the problem, so the
importer, the CLI and the web upload can show it as it is.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from drafter.analysis.text import BLANK, normalise

#: Largest file accepted, in bytes, unless a caller passes another limit.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: A .docx whose parts unpack to more than this is refused (zip bomb guard).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: ... or whose parts compress better than this ratio.
MAX_COMPRESSION_RATIO = 150

SUPPORTED_SUFFIXES = (".txt", ".docx", ".md")


class DocumentReadError(Exception):
    """A file could not be read as a document; ``str(error)`` is a Chinese message for users."""


@dataclass
class ReadResult:
    """Text read from a file with what the file itself says about it."""

    text: str
    title: str | None = None
    author: str | None = None
    created: str | None = None
    #: Paragraph indexes that carried a Word heading style, with the style's level (1-9).
    heading_levels: dict[int, int] = field(default_factory=dict)
    encoding: str = "utf-8"


def read_path(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read a .txt/.docx/.md file from disk."""
    path = Path(path)
    if not path.exists():
        raise DocumentReadError(f"文件不存在：{path}")
    if not path.is_file():
        raise DocumentReadError(f"不是文件：{path}")
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentReadError(_too_large(size, max_bytes))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentReadError(f"无法读取文件：{exc.strerror or exc}") from exc
    return read_bytes(data, path.name, max_bytes)


def read_bytes(data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read an uploaded or loaded file's bytes; the suffix of ``filename`` picks the format."""
    suffix = Path(filename).suffix.lower()
    if len(data) > max_bytes:
        raise DocumentReadError(_too_large(len(data), max_bytes))
    if suffix == ".doc":
        raise DocumentReadError("不支持旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再导入")
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentReadError(f"不支持的文件类型“{suffix or '无扩展名'}”，请使用 .txt、.docx 或 .md 文件")
    if not data.strip():
        raise DocumentReadError("文件为空，没有可导入的文字")
    if suffix == ".docx":
        result = _read_docx(data)
    else:
        text, encoding = decode_text(data)
        result = ReadResult(text=text, encoding=encoding)
        if suffix == ".md":
            result = _from_markdown(result.text)
    if not result.text.strip(BLANK + "\n"):
        raise DocumentReadError("文件中没有正文文字")
    return result


def _too_large(size: int, limit: int) -> str:
    return f"文件过大（{size / 1024 / 1024:.1f} MB），超过 {limit / 1024 / 1024:.0f} MB 的上限"


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode plain-text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030/GBK.

    Binary data and text in no supported encoding raise :class:`DocumentReadError`.
    Returns the normalised text and the encoding used.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return normalise(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as exc:
            raise DocumentReadError("文件声明为 UTF-16 编码，但内容无法解码") from exc
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0") or data.startswith(b"%PDF"):
        raise DocumentReadError("这是二进制文件（Word、压缩包或 PDF），不是纯文本文件，请检查文件扩展名")
    if b"\x00" in data[:65536]:
        raise DocumentReadError("文件含有二进制数据，不是文本文件")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and not _plausible_chinese(text):
            break
        if _control_share(text) > 0.01:
            raise DocumentReadError("文件含有大量控制字符，不是文本文件")
        return normalise(text), "utf-8" if encoding == "utf-8-sig" else "gb18030"
    raise DocumentReadError("无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030，请另存为 UTF-8 后重试")


def _plausible_chinese(text: str) -> bool:
    """GB18030 decodes almost any bytes; real GBK text is mostly common ideographs, ASCII and punctuation."""
    if not text:
        return True
    common = sum(1 for ch in text if ch.isascii() or "\u4e00" <= ch <= "\u9fa5" or "\u3000" <= ch <= "\u303f"
                 or "\uff00" <= ch <= "\uffef" or ch in "“”‘’…—·")
    return common / len(text) > 0.95


def _control_share(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return bad / len(sample)


# ---------------------------------------------------------------------------------------------- .docx in

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if "word/document.xml" not in {info.filename for info in infos}:
                raise DocumentReadError("不是有效的 Word 文档（.docx）：缺少正文部分 word/document.xml")
            unpacked = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError, OSError, RuntimeError) as exc:
        # zipfile raises NotImplementedError for unknown versions/compression of a damaged archive
        raise DocumentReadError("无法打开 .docx 文件：文件已损坏，或不是真正的 Word 文档") from exc
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_COMPRESSION_RATIO and unpacked > 10 * 1024 * 1024:
        raise DocumentReadError("拒绝读取：.docx 解压后体积异常（疑似压缩炸弹）")


def _read_docx(data: bytes) -> ReadResult:
    _check_zip(data)
    try:
        import docx  # python-docx

        document = docx.Document(io.BytesIO(data))
        lines, headings = _docx_lines(document)
        props = document.core_properties
        title, author = (props.title or None), (props.author or None)
        created = props.created.date().isoformat() if props.created else None
    except DocumentReadError:
        raise
    except Exception as exc:  # python-docx raises many kinds (KeyError, lxml errors, ValueError ...)
        raise DocumentReadError(f"无法读取 .docx 文件：文件已损坏或格式不正确（{type(exc).__name__}）") from exc
    return ReadResult(text=normalise("\n".join(lines)), title=title, author=author, created=created,
                      heading_levels=headings, encoding="docx")


def _docx_lines(document: Any) -> tuple[list[str], dict[int, int]]:
    """Body paragraphs in order, the text of tables cell by cell, heading-styled paragraphs noted."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    headings: dict[int, int] = {}
    for block in document.element.body.iterchildren():
        if block.tag == _W + "p":
            paragraph = Paragraph(block, document)
            level = _heading_level(paragraph)
            if level is not None:
                headings[len(lines)] = level
            lines.extend(paragraph.text.split("\n"))
        elif block.tag == _W + "tbl":
            lines.extend(_table_lines(Table(block, document)))
    return lines, headings


def _table_lines(table: Any) -> list[str]:
    lines: list[str] = []
    seen: set[Any] = set()  # holds the elements themselves, so their identities stay unique
    for row in table.rows:
        for cell in row.cells:
            if cell._tc in seen:  # merged cells repeat the same element
                continue
            seen.add(cell._tc)
            for paragraph in cell.paragraphs:
                if paragraph.text.strip():
                    lines.extend(paragraph.text.split("\n"))
            for inner in cell.tables:
                lines.extend(_table_lines(inner))
    return lines


def _heading_level(paragraph: Any) -> int | None:
    try:
        name = (paragraph.style.name or "") if paragraph.style is not None else ""
    except (KeyError, ValueError):
        return None
    match = re.match(r"(?:Heading|标题)\s*(\d)", name)
    if match:
        return int(match[1])
    return 0 if name in ("Title", "标题") else None


# ---------------------------------------------------------------------------------------------- .md in

_MD_HEADING = re.compile(r"^(#{1,6})\s+")
_MD_INLINE = re.compile(r"(\*\*|__|`)")


def _from_markdown(text: str) -> ReadResult:
    """Markdown to plain text: heading hashes, emphasis markers and code ticks removed; lines kept."""
    lines, title, headings = [], None, {}
    for index, line in enumerate(text.split("\n")):
        match = _MD_HEADING.match(line)
        if match:
            line = line[match.end():]
            headings[index] = len(match[1])
            if title is None and len(match[1]) == 1:
                title = _MD_INLINE.sub("", line).strip()
        lines.append(_MD_INLINE.sub("", line))
    return ReadResult(text="\n".join(lines), title=title, heading_levels=headings, encoding="utf-8")


# ---------------------------------------------------------------------------------------------- .docx out

#: Font of each heading level (GB/T 9704): name, bold.
_LEVEL_FONTS = {1: ("黑体", False), 2: ("楷体_GB2312", False), 3: ("仿宋_GB2312", True), 4: ("仿宋_GB2312", False)}
_BODY_FONT = "仿宋_GB2312"
_TITLE_FONT = "方正小标宋简体"


def heading_level(line: str) -> int | None:
    """The GB/T 9704 heading level (1-4) of the marker a line starts with (一、 （一） 1. （1）), if any."""
    from drafter.analysis.outline import GB_LEVEL, match_marker

    start = len(line) - len(line.lstrip(BLANK))
    marker = match_marker(line, start, len(line))
    return GB_LEVEL.get(marker.kind) if marker else None


def write_docx(text: str, target: str | Path | IO[bytes], title_lines: int | None = None,
               title: str | None = None, author: str | None = None) -> None:
    """Write ``text`` as a .docx in GB/T 9704 layout, one Word paragraph per line of ``text``.

    The first ``title_lines`` lines (inferred when None) are set as the title: 二号 方正小标宋简体, centred.
    Reading the file back with :func:`read_path` gives ``text`` unchanged.
    """
    import docx
    from docx.enum.section import WD_SECTION_START  # noqa: F401  (import checks python-docx is complete)
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Mm, Pt

    from drafter.analysis.metadata import infer_title

    if title_lines is None:
        guess = infer_title(text)
        title_lines = text.count("\n", 0, guess.span.end) + 1 if guess.span else 0
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _set_style_font(document.styles["Normal"], _BODY_FONT, Pt(16))
    _add_page_number(section)
    props = document.core_properties
    props.title = title or ""
    props.author = author or ""

    for index, line in enumerate(text.split("\n")):
        paragraph = document.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28)
        fmt.space_before = fmt.space_after = Pt(0)
        if index < title_lines:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_run(paragraph, line, _TITLE_FONT, Pt(22))
            continue
        level = heading_level(line)
        if line.strip(BLANK) and not line.startswith(BLANK):
            fmt.first_line_indent = Pt(32)
        if level is None:
            _add_run(paragraph, line, _BODY_FONT, Pt(16))
            continue
        font, bold = _LEVEL_FONTS[level]
        head, rest = _split_run_in(line)
        _add_run(paragraph, head, font, Pt(16), bold=bold)
        if rest:
            _add_run(paragraph, rest, _BODY_FONT, Pt(16))
    document.save(target)


def _split_run_in(line: str) -> tuple[str, str]:
    """Split a run-in heading ("一、抓落实。近年来……") into the heading sentence and the body."""
    end = line.find("。")
    if 0 <= end < len(line) - 1:
        return line[: end + 1], line[end + 1:]
    return line, ""


def _east_asian(element: Any, font: str) -> None:
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _set_style_font(style: Any, font: str, size: Any) -> None:
    style.font.name = font
    style.font.size = size
    _east_asian(style.element, font)


def _add_run(paragraph: Any, text: str, font: str, size: Any, bold: bool = False) -> None:
    if not text:
        return
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = size
    run.bold = bold or None
    _east_asian(run._r, font)


def _add_page_number(section: Any) -> None:
    """Footer "— PAGE —", centred, 四号 宋体 (GB/T 9704 7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_run(paragraph, "— ", "宋体", Pt(14))
    run = paragraph.add_run()
    run.font.size = Pt(14)
    _east_asian(run._r, "宋体")
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    _add_run(paragraph, " —", "宋体", Pt(14))
