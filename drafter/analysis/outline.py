"""The outline of an official document, parsed from plain text with spans.

What is recognised:

* the title line(s) at the top (:func:`drafter.analysis.metadata.infer_title`);
* heading markers at the start of a paragraph: the GB/T 9704 levels ``一、`` / ``（一）`` / ``1.`` (also
  ``1．``) / ``（1）``, in their correct and common wrong forms (``一.``, ``1、``, ``（一）、``, ``(1)``), and the
  structure of regulations ``第一编`` / ``第一部分`` / ``第一章`` / ``第一节`` / ``第一条``. A heading may stand
  alone or run in with the body ("一、围绕中心抓落实。近年来，……"); both are parsed the same way;
* attachments (a standalone ``附件1`` line starts a new scope with its own numbering);
* closing parts: the attachment list (``附件：1. …``), the 落款 (issuer lines before the date), the date,
  notes such as ``（此件公开发布）`` and ``抄送：`` lines;
* in-paragraph sequences: ``一是 / 二是``, ``一要 / 二要``, ``第一，/ 第二，``, ``首先 / 其次 / 再次 / 最后``.

The tree is built by marker kind: a marker of a kind already open becomes a sibling of that node; a marker
of a new kind becomes a child of the nearest open node of a higher rank. Ranks run 编/部分 > 章 > 节 > 条 >
一、 > （一） > 1. > （1）, so the items （一）（二） of an article sit under the article, and a document
that starts at （一） (common in 意见) simply has （一） nodes at the top.

In the JSON outline (DESIGN.md) ``level`` is the depth of a node in this tree (1 = top, capped at 4), so a
consumer can indent by it; ``kind`` tells which marker family it is (``cn`` 一、, ``paren-cn`` （一）,
``arabic`` 1., ``paren-arabic`` （1）, ``part``, ``chapter``, ``section``, ``article``, ``attachment``) and
``rank`` its GB/T 9704 level (1-4) for the four standard families, 0 for the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from drafter.analysis.metadata import infer_title
from drafter.analysis.numerals import CN_NUMERAL_CHARS, arabic_to_int, cn_to_int, has_fullwidth_digit, int_to_cn
from drafter.analysis.text import BLANK, Paragraph, Span, paragraphs

#: Order of marker kinds from the highest level down; a lower rank number is a higher level.
KIND_RANK: dict[str, int] = {"attachment": -1, "part": 0, "chapter": 1, "section": 2, "article": 3, "cn": 4,
                             "paren-cn": 5, "arabic": 6, "paren-arabic": 7}
#: The four heading levels of GB/T 9704 and their level numbers.
GB_LEVEL: dict[str, int] = {"cn": 1, "paren-cn": 2, "arabic": 3, "paren-arabic": 4}
REGULATION_KINDS = ("part", "chapter", "section", "article")
#: How a kind is named in messages.
KIND_NAMES: dict[str, str] = {"cn": "一级标题", "paren-cn": "二级标题", "arabic": "三级标题",
                              "paren-arabic": "四级标题", "part": "编（部分）", "chapter": "章", "section": "节",
                              "article": "条", "attachment": "附件"}

_NUM = f"[{CN_NUMERAL_CHARS}]"
_CN = re.compile(rf"({_NUM}{{1,4}})([、.．，,])")
#: "三、四月份" / "一、二类" / "一、二、三产业" / "一、二季度" are numbers in a list, not the heading 一、.
_NOT_CN_HEADING = re.compile(r"[一二三四五六七八九十]{1,2}(?:[月级类等批期次号季线]|个月|年级|、)")
#: "五.一劳动节" / "一二.九运动": a date written with a dot, not a heading "五." followed by text.
_DOTTED_DATE = re.compile(r"[一二三四五六七八九十]{1,2}(?:节|劳动|国庆|黄金周|假期|期间|前后|运动|青年|小长假)")
_PAREN_CN = re.compile(rf"([（(])({_NUM}{{1,4}})([）)])([、.．，,]?)")
_ARABIC = re.compile(r"([0-9０-９]{1,3})([.．、])")
_PAREN_ARABIC = re.compile(r"([（(])([0-9０-９]{1,3})([）)])([、.．，,]?)")
_REGULATION = re.compile(rf"第({_NUM}{{1,7}})(条|章|节|编|部分)(?=[ \u3000\t\u00a0]|$)")
_REG_KIND = {"条": "article", "章": "chapter", "节": "section", "编": "part", "部分": "part"}
#: "1.2016年" / "2.2017—2018年" are markers followed by a year, not decimals.
_YEAR_AFTER_DOT = re.compile(r"(?:19|20)\d\d(?:年|\s*[—\-－～至到]+\s*(?:19|20)?\d\d)")

_ATTACHMENT_START = re.compile(r"附\s*件\s*([0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})?")
_ATTACHMENT_LIST = re.compile(r"附\s*件\s*[：:]")
_DATE_LINE = re.compile(r"[（(]?\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
                        r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)\s*[）)]?")
#: The title of a regulation: a short line without punctuation ending in 条例, 办法, 规定 …
_REGULATION_TITLE = re.compile(r"[^。，；：！？]{2,38}(?:条例|办法|规定|细则|章程|规则|准则|规程|守则)(?:[（(](?:试行|草案|暂行)[）)])?")
_COPY_LINE = re.compile(r"(?:抄送|印发|分送|抄报)[：:]")
_NOTE_LINE = re.compile(r"[（(][^（()）]{1,40}[）)]")
_SENTENCE_PUNCT = re.compile(r"[。，；：！？,;:!?]")
_HEADING_END = re.compile(r"[。！？；：;:!?]")
#: An enumeration that starts inside a paragraph ("注：1.……" / "包括：（1）……"); a following paragraph that
#: carries on its numbering is an item of that list, not a heading.
_INLINE_ITEM = re.compile(rf"[：:；;。]\s*(?:([0-9０-９]{{1,2}})[.．](?![0-9０-９])|[（(]([0-9０-９]{{1,2}})[）)]"
                          rf"|[（(]({_NUM}{{1,3}})[）)])")

_BOUNDARY = r"(?<![^\s，。；：！？、“”‘’（）()—…,;:])"
_SEQUENCE = re.compile(
    rf"{_BOUNDARY}(?:(?P<num>[一二三四五六七八九十]{{1,3}})(?P<word>是|要)"
    rf"|第(?P<ord>[一二三四五六七八九十]{{1,3}})(?=[，：,:])"
    rf"|(?P<adverb>首先|其次|再次|最后)(?=[，：,:是要]))")
_ADVERB_ORDER = {"首先": 1, "其次": 2, "再次": 3, "最后": 99}


@dataclass(frozen=True)
class Marker:
    """A heading marker at the start of a paragraph, e.g. ``（一）`` or ``第十二条``."""

    kind: str
    number: int
    start: int
    end: int
    #: The marker as written.
    text: str
    #: Opening bracket as written ("（", "(" or "").
    opener: str = ""
    #: Closing bracket as written.
    closer: str = ""
    #: Punctuation written after the numeral or bracket ("、", ".", "．", "，" or ""); for a regulation
    #: marker the word after the numeral ("条", "章", "编", "部分").
    punct: str = ""
    #: Whether the numeral is written with full-width digits (１２).
    fullwidth_digits: bool = False

    @property
    def rank(self) -> int:
        """Position of the kind in :data:`KIND_RANK` (lower is higher)."""
        return KIND_RANK[self.kind]

    @property
    def correct_form(self) -> str:
        """This marker written as GB/T 9704 and GB/T 15834 want it."""
        return render_marker(self.kind, self.number, self.punct)

    @property
    def wrong_punctuation(self) -> bool:
        """Whether the punctuation after the numeral is wrong for the level (一. 1、 （一）、)."""
        if self.kind == "cn":
            return self.punct != "、"
        if self.kind == "arabic":
            return self.punct not in (".", "．")
        if self.kind in ("paren-cn", "paren-arabic"):
            return self.punct != ""
        return False

    @property
    def halfwidth_brackets(self) -> bool:
        """Whether a bracketed marker uses a half-width bracket, e.g. ``(1)``."""
        return "(" in self.opener or ")" in self.closer

    def like(self, number: int) -> str:
        """The marker with another number, in this marker's own (correct) style, for messages."""
        return render_marker(self.kind, number, self.punct)


def render_marker(kind: str, number: int, style: str = "") -> str:
    """The correct written form of marker ``number`` of ``kind``: 二、 （二） 2. （2） 第二条 …

    ``style`` is the dot of an Arabic marker ("." or "．") or the word of a regulation marker ("编", "部分").
    """
    if kind == "cn":
        return f"{int_to_cn(number)}、"
    if kind == "paren-cn":
        return f"（{int_to_cn(number)}）"
    if kind == "arabic":
        return f"{number}{style if style in ('.', '．') else '.'}"
    if kind == "paren-arabic":
        return f"（{number}）"
    if kind == "attachment":
        return f"附件{number}"
    word = {"chapter": "章", "section": "节", "article": "条"}.get(kind) or style or "部分"
    return f"第{int_to_cn(number)}{word}"


def match_marker(text: str, start: int, end: int) -> Marker | None:
    """The heading marker at ``text[start:]`` (a paragraph start), if any, not looking past ``end``."""
    first = text[start] if start < end else ""
    if first in "（(":
        for kind, pattern in (("paren-cn", _PAREN_CN), ("paren-arabic", _PAREN_ARABIC)):
            m = pattern.match(text, start, end)
            if m:
                number = cn_to_int_or_none(m[2]) if kind == "paren-cn" else arabic_to_int(m[2])
                if number:
                    return Marker(kind, number, start, m.end(), m[0], m[1], m[3], m[4],
                                  has_fullwidth_digit(m[2]))
        return None
    if first == "第":
        m = _REGULATION.match(text, start, end)
        if m:
            number = cn_to_int_or_none(m[1])
            if number:
                return Marker(_REG_KIND[m[2]], number, start, m.end(), m[0], punct=m[2])
        return None
    if first.isdigit():
        m = _ARABIC.match(text, start, end)
        if not m:
            return None
        following = text[m.end():end]
        if following[:1].isdigit() and not _YEAR_AFTER_DOT.match(following):
            return None  # a decimal (2.5万) or a list of numbers (1、2月)
        return Marker("arabic", arabic_to_int(m[1]), start, m.end(), m[0], punct=m[2],
                      fullwidth_digits=has_fullwidth_digit(m[1]))
    if first in CN_NUMERAL_CHARS:
        m = _CN.match(text, start, end)
        if not m or _NOT_CN_HEADING.match(text, m.end(), end):
            return None
        if m[2] in ".．" and _DOTTED_DATE.match(text, m.end(), end):
            return None  # 五.一劳动节 (a date), not the heading 五.
        if m[2] in "，," and not 0 < end - m.end() <= 40:
            return None  # "一，" is a marker only on a short, heading-like line
        number = cn_to_int_or_none(m[1])
        if number:
            return Marker("cn", number, start, m.end(), m[0], punct=m[2])
    return None


def cn_to_int_or_none(chars: str) -> int | None:
    """:func:`cn_to_int`, or None for a malformed numeral."""
    try:
        return cn_to_int(chars)
    except ValueError:
        return None


@dataclass(eq=False)
class Heading:
    """A node of the outline: a marker, the heading text after it and the section it opens."""

    marker: Marker
    paragraph: Paragraph
    #: Text of the heading after the marker, up to (not including) the punctuation that ends it.
    title: str
    #: End offset of the heading text (exclusive); ``text[marker.start:title_end]`` is marker + title.
    title_end: int
    #: Punctuation that ends the heading sentence ("。", "；", "：" …) or "" when the paragraph just stops.
    ending: str
    #: Whether body text follows in the same paragraph ("一、抓落实。近年来……").
    run_in: bool
    scope: int = 0
    parent: Heading | None = field(default=None, repr=False)
    children: list[Heading] = field(default_factory=list, repr=False)
    #: End of the section this heading opens (start of the next heading of the same or a higher level).
    section_end: int = 0
    depth: int = 1

    @property
    def kind(self) -> str:
        """The marker family."""
        return self.marker.kind

    @property
    def number(self) -> int:
        """The number the marker carries."""
        return self.marker.number

    @property
    def start(self) -> int:
        """Start of the marker."""
        return self.marker.start

    @property
    def line(self) -> int:
        """1-based line number of the heading."""
        return self.paragraph.line

    def to_dict(self) -> dict[str, Any]:
        """The outline node of the ``drafter check`` JSON contract (plus ``kind``, ``rank``, ``section_end``)."""
        return {
            "level": min(self.depth, 4),
            "marker": self.marker.text,
            "title": self.title,
            "start": self.start,
            "end": self.title_end,
            "kind": self.kind,
            "rank": GB_LEVEL.get(self.kind, 0),
            "section_end": self.section_end,
            "children": [child.to_dict() for child in self.children],
        }

    def walk(self) -> Iterator[Heading]:
        """This node and all nodes below it, in reading order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class SequenceItem:
    """One item of an in-paragraph sequence: ``二是``, ``第三``, ``其次`` …"""

    family: str  # "是", "要", "第", "首先"
    number: int
    start: int
    end: int
    word: str
    paragraph: int


@dataclass(frozen=True)
class ClosingPart:
    """A part of the closing: attachment list, 落款 (signature), date, note or distribution line."""

    kind: str  # "attachments" | "signature" | "date" | "note" | "copy"
    start: int
    end: int


@dataclass(frozen=True)
class Scope:
    """The main text or one attachment: numbering starts afresh in each."""

    index: int
    start: int
    end: int
    #: The standalone "附件1" line that opens an attachment (None for the main text).
    label: Span | None = None


@dataclass
class Outline:
    """Everything :func:`parse_outline` finds in a text."""

    text: str
    title: Span | None
    paragraphs: list[Paragraph]
    scopes: list[Scope]
    #: Top-level headings of every scope, in reading order.
    roots: list[Heading]
    sequences: list[SequenceItem]
    closing: list[ClosingPart]
    #: Paragraph index -> heading that starts it.
    by_paragraph: dict[int, Heading] = field(default_factory=dict)

    def headings(self) -> Iterator[Heading]:
        """Every heading in reading order."""
        for root in self.roots:
            yield from root.walk()

    def to_json(self) -> list[dict[str, Any]]:
        """The ``outline`` list of the ``drafter check`` JSON (attachments as ``kind: attachment`` nodes)."""
        nodes: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        for scope in self.scopes:
            roots = [root for root in self.roots if root.scope == scope.index]
            if scope.label is None:
                nodes.extend(_shift(root.to_dict(), 0) for root in roots)
                current = None
                continue
            label = self.text[scope.label.start:scope.label.end]
            title = _attachment_title(self, scope)
            current = {"level": 1, "marker": label, "title": title, "start": scope.label.start,
                       "end": scope.label.end, "kind": "attachment", "rank": 0, "section_end": scope.end,
                       "children": [_shift(root.to_dict(), 1) for root in roots]}
            nodes.append(current)
        return nodes

    def heading_levels(self) -> dict[int, int]:
        """Paragraph index -> outline level (depth, 1-4) of every paragraph that starts with a heading."""
        levels = {index: min(heading.depth, 4) for index, heading in self.by_paragraph.items()}
        for scope in self.scopes:
            if scope.label is not None:
                for index, heading in self.by_paragraph.items():
                    if heading.scope == scope.index:
                        levels[index] = min(heading.depth + 1, 4)
        return levels


def _shift(node: dict[str, Any], by: int) -> dict[str, Any]:
    node["level"] = min(node["level"] + by, 4)
    node["children"] = [_shift(child, by) for child in node["children"]] if by else node["children"]
    return node


def _attachment_title(outline: Outline, scope: Scope) -> str:
    """The short lines under an attachment label, joined (its title)."""
    parts = []
    for para in outline.paragraphs:
        if para.start <= (scope.label.end if scope.label else scope.start):
            continue
        if para.start >= scope.end or len(parts) >= 3:
            break
        line = para.of(outline.text)
        if len(line) > 40 or _SENTENCE_PUNCT.search(line) or para.index in outline.by_paragraph:
            break
        parts.append(line)
    return "".join(parts)


def parse_outline(text: str) -> Outline:
    """Parse the outline of ``text`` (see the module docstring for what is recognised)."""
    paras = paragraphs(text)
    title = _title_span(text, paras)
    closing, closing_paras = _closing_parts(text, paras)
    scopes = _scopes(text, paras, closing_paras)
    roots: list[Heading] = []
    by_paragraph: dict[int, Heading] = {}
    scope_of = _scope_index(paras, scopes)
    stack: list[Heading] = []
    current_scope = -1
    inline: tuple[int, str, int] | None = None  # (paragraph index, kind, number) of the last inline item
    for para in paras:
        if title and title.start <= para.start < title.end or para.index in closing_paras:
            continue
        if scope_of[para.index] != current_scope:
            current_scope, stack = scope_of[para.index], []
        if scopes[current_scope].label and para.start < scopes[current_scope].label.end:
            continue
        marker = match_marker(text, para.start, para.end)
        continues = (marker is not None and inline is not None and inline[0] == para.index - 1
                     and (inline[1], inline[2] + 1) == (marker.kind, marker.number))
        inline = _last_inline_item(text, para, marker) or ((para.index, marker.kind, marker.number)
                                                            if continues and marker else None)
        if marker is None or continues:
            continue
        heading = _heading(text, para, marker, current_scope)
        _attach(heading, stack, roots)
        by_paragraph[para.index] = heading
    _set_section_ends(roots, scopes, text)
    sequences = _sequences(text, paras, by_paragraph)
    return Outline(text, title, paras, scopes, roots, sequences, closing, by_paragraph)


def _last_inline_item(text: str, para: Paragraph, marker: Marker | None) -> tuple[int, str, int] | None:
    """The last enumeration item that starts inside ``para`` (after "：", "；" or "。"), if any."""
    last = None
    for m in _INLINE_ITEM.finditer(text, marker.end if marker else para.start, para.end):
        last = m
    if last is None:
        return None
    if last[1]:
        return para.index, "arabic", arabic_to_int(last[1])
    if last[2]:
        return para.index, "paren-arabic", arabic_to_int(last[2])
    number = cn_to_int_or_none(last[3])
    return (para.index, "paren-cn", number) if number else None


def _title_span(text: str, paras: list[Paragraph]) -> Span | None:
    """The title lines at the top, cut before the first line that starts with a heading marker."""
    span = infer_title(text).span
    if span is None:
        return None
    for para in paras:
        if para.start >= span.end:
            break
        if para.start >= span.start and match_marker(text, para.start, para.end):
            return Span(span.start, _previous_end(paras, para.index)) if para.start > span.start else None
    return span


def _previous_end(paras: list[Paragraph], index: int) -> int:
    return paras[index - 1].end if index else 0


def _heading(text: str, para: Paragraph, marker: Marker, scope: int) -> Heading:
    body_start = marker.end
    while body_start < para.end and text[body_start] in BLANK:
        body_start += 1
    stop = _HEADING_END.search(text, body_start, para.end)
    if stop is None:
        title_end, ending, run_in = para.end, "", False
    else:
        title_end, ending = stop.start(), stop[0]
        rest = text[stop.end():para.end].strip(BLANK + "”’）)")
        run_in = bool(rest)
    return Heading(marker, para, text[body_start:title_end].strip(BLANK), max(title_end, marker.end), ending,
                   run_in, scope)


def _attach(heading: Heading, stack: list[Heading], roots: list[Heading]) -> None:
    """Place ``heading`` in the tree: sibling of an open node of its kind, else child of a higher one."""
    same = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].kind == heading.kind), None)
    if same is not None:
        del stack[same:]
    else:
        while stack and stack[-1].marker.rank > heading.marker.rank:
            stack.pop()
    if stack:
        heading.parent = stack[-1]
        heading.depth = stack[-1].depth + 1
        stack[-1].children.append(heading)
    else:
        roots.append(heading)
    stack.append(heading)


def _set_section_ends(roots: list[Heading], scopes: list[Scope], text: str) -> None:
    def close(nodes: list[Heading], end: int) -> None:
        for i, node in enumerate(nodes):
            node.section_end = nodes[i + 1].start if i + 1 < len(nodes) else end
            close(node.children, node.section_end)

    for scope in scopes:
        close([root for root in roots if root.scope == scope.index], scope.end)


def _closing_parts(text: str, paras: list[Paragraph]) -> tuple[list[ClosingPart], set[int]]:
    """Attachment lists, dates, 落款, notes and distribution lines; the paragraph indexes they occupy."""
    parts: list[ClosingPart] = []
    taken: set[int] = set()
    in_list = False
    for para in paras:
        line = para.of(text)
        if _ATTACHMENT_LIST.match(line):
            parts.append(ClosingPart("attachments", para.start, para.end))
            taken.add(para.index)
            in_list = True
            continue
        if in_list and _ARABIC.match(line) and len(line) <= 80 and not line.endswith(("。", "；")):
            parts.append(ClosingPart("attachments", para.start, para.end))
            taken.add(para.index)
            continue
        in_list = False
        if _DATE_LINE.fullmatch(line):
            parts.append(ClosingPart("date", para.start, para.end))
            taken.add(para.index)
            _signature_before(text, paras, para.index, parts, taken)
        elif _COPY_LINE.match(line):
            parts.append(ClosingPart("copy", para.start, para.end))
            taken.add(para.index)
        elif _NOTE_LINE.fullmatch(line) and not _PAREN_CN.match(line) and not _PAREN_ARABIC.match(line):
            parts.append(ClosingPart("note", para.start, para.end))
            taken.add(para.index)
    parts.sort(key=lambda part: part.start)
    return parts, taken


def _signature_before(text: str, paras: list[Paragraph], index: int, parts: list[ClosingPart],
                      taken: set[int]) -> None:
    """Mark up to three short lines without punctuation right above a date line as the 落款."""
    for back in range(index - 1, max(index - 4, -1), -1):
        para = paras[back]
        line = para.of(text)
        if back in taken or len(line) > 30 or _SENTENCE_PUNCT.search(line) or match_marker(text, para.start,
                                                                                         para.end):
            return
        if paras[back + 1].line - para.line > 2:
            return
        parts.append(ClosingPart("signature", para.start, para.end))
        taken.add(back)


def _scopes(text: str, paras: list[Paragraph], closing: set[int]) -> list[Scope]:
    """The main text, then one scope per standalone "附件N" line and per embedded regulation.

    An embedded regulation is a title line such as "机关公文管理办法" followed, after at most a note in
    brackets, by its 第一章 or 第一条: a notice that issues two regulations carries two article sequences.
    """
    scopes = [Scope(0, 0, len(text))]
    for para in paras:
        if para.index in closing:
            continue
        m = _ATTACHMENT_START.fullmatch(text, para.start, para.end)
        label = Span(para.start, para.end) if m else None
        if m is None and not (para.start > scopes[-1].start and _starts_regulation(text, paras, para.index)):
            continue
        previous = scopes[-1]
        scopes[-1] = Scope(previous.index, previous.start, para.start, previous.label)
        scopes.append(Scope(len(scopes), para.start, len(text), label))
    return scopes


def _starts_regulation(text: str, paras: list[Paragraph], index: int) -> bool:
    """Whether paragraph ``index`` is the title of a regulation whose first chapter or article follows."""
    if not _REGULATION_TITLE.fullmatch(text, paras[index].start, paras[index].end):
        return False
    for para in paras[index + 1:index + 4]:
        marker = match_marker(text, para.start, para.end)
        if marker is not None:
            return marker.kind in REGULATION_KINDS and marker.number == 1
        if not _NOTE_LINE.fullmatch(text, para.start, para.end) and para.end - para.start > 40:
            return False
    return False


def _scope_index(paras: list[Paragraph], scopes: list[Scope]) -> list[int]:
    result = []
    current = 0
    for para in paras:
        while current + 1 < len(scopes) and para.start >= scopes[current + 1].start:
            current += 1
        result.append(current)
    return result


def _sequences(text: str, paras: list[Paragraph], headings: dict[int, Heading]) -> list[SequenceItem]:
    items: list[SequenceItem] = []
    for para in paras:
        start = para.start
        heading = headings.get(para.index)
        if heading is not None:
            start = heading.marker.end
        for m in _SEQUENCE.finditer(text, start, para.end):
            if m["num"]:
                number = cn_to_int_or_none(m["num"])
                family = m["word"]
            elif m["ord"]:
                number = cn_to_int_or_none(m["ord"])
                family = "第"
            else:
                number = _ADVERB_ORDER[m["adverb"]]
                family = "首先"
            if number:
                items.append(SequenceItem(family, number, m.start(), m.end(), m[0], para.index))
    return items
