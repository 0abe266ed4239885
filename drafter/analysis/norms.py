"""Punctuation and number norms (``norms.*``) after GB/T 15834-2011 and GB/T 15835-2011.

* ``norms.halfwidth-punct``: half-width , ; : ? ! ( ) . written next to Chinese characters;
* ``norms.ascii-quote``: straight quotes " ' in Chinese text instead of “” ‘’;
* ``norms.unbalanced-quote``: a “ or ‘ without its partner (a quotation running over several paragraphs,
  each opening with “ and only the last closing, is the correct form and is not flagged);
* ``norms.unbalanced-bracket``: 《》 （） 〈〉 【】 〔〕 without their partner;
* ``norms.doubled-punct``: two marks in a row such as “，，” “。。” “，。”;
* ``norms.cjk-space``: a stray space between two Chinese characters inside a sentence;
* ``norms.mixed-digits``: full-width digits (２０１６) in a text that otherwise uses 2016.

Places where half-width marks are right are left alone: web addresses, times and ratios (10:30, 1:1000),
Latin text, and the padding of names and joint issuers (“人力资源社会保障部 财政部”).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from drafter.analysis.findings import Finding, Severity, sort_findings
from drafter.analysis.text import Paragraph, paragraphs

RULES: dict[str, tuple[Severity, str, str]] = {
    "norms.halfwidth-punct": (Severity.ERROR, "半角标点", "中文文字中使用了半角标点 , ; : ? ! ( ) ."),
    "norms.ascii-quote": (Severity.ERROR, "直引号", "中文文字中使用了直引号 \" '，应使用“”‘’"),
    "norms.unbalanced-quote": (Severity.ERROR, "引号不成对", "“”或‘’缺少对应的另一半"),
    "norms.unbalanced-bracket": (Severity.ERROR, "括号不成对", "《》（）〈〉【】〔〕缺少对应的另一半"),
    "norms.doubled-punct": (Severity.ERROR, "标点重复", "两个点号连用，如“，，”“。。”“，。”"),
    "norms.cjk-space": (Severity.WARNING, "多余空格", "句子中两个汉字之间有多余的空格"),
    "norms.mixed-digits": (Severity.WARNING, "全半角数字混用", "同一文稿中全角数字与半角数字混用"),
}

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_IS_CJK = re.compile(f"[{_CJK}]")
_FULLWIDTH_OF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}
_PUNCT_NAMES = {",": "逗号", ";": "分号", ":": "冒号", "?": "问号", "!": "叹号", "(": "括号", ")": "括号",
                ".": "句点"}
#: Half-width marks next to a Chinese character (on either side); "." only between two of them.
_HALFWIDTH = re.compile(rf"(?<=[{_CJK}“”‘’《》（）])[,;:?!()]|[,;:?!()](?=[{_CJK}“”‘’《》（）])"
                        rf"|(?<=[{_CJK}])\.(?=[{_CJK}])")
_URL = re.compile(r"(?:https?://|ftp://|www\.)[\w\-./?=&%#:~+@!,;]+|[\w.\-]+@[\w\-]+\.[\w.\-]+", re.ASCII)
_ASCII_QUOTE = re.compile(rf"[\"'](?=[{_CJK}])|(?<=[{_CJK}])[\"']")
_DOUBLED = re.compile(r"[，。、；：,;:]{2,}")
_STRAIGHT_QUOTE = re.compile("[\"']")
_SENTENCE_MARK = re.compile("[，。；]")
_SPACE = re.compile(rf"(?<=[{_CJK}])[ \u3000\u00a0]+(?=[{_CJK}])")
_FULLWIDTH_DIGITS = re.compile(r"[０-９]+(?:[．.][０-９]+)?")
#: At most this many ``norms.mixed-digits`` findings per text; the last one says how many more there are.
MAX_DIGIT_FINDINGS = 20
_HALFWIDTH_DIGIT = re.compile(r"[0-9]")
#: A list marker at the start of a paragraph that has only a closing bracket: "1）" "a)" "①".
_CLOSE_ONLY_MARKER = re.compile(r"[0-9０-９a-zA-Z一二三四五六七八九十]{1,3}[)）]")
#: Characters that end the name of a body; a space after one separates joint issuers or names.
_ORG_END = set("部委院厅局办会府署室行社党央队所站处科团联司组")
#: The text before such a space that marks it as layout, not a slip: 第一条　/ 新华社北京…电　/ 令第1号公布　.
_LAYOUT_BEFORE = re.compile(r"(?:第[一二三四五六七八九十百零〇]+[条章节编款项]|部分|电|公布|修订|通过|附件|附表|记者|通讯员)$")
_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "(": ")", "〈": "〉", "【": "】", "〔": "〕"}
#: Closing mark -> opening marks it closes; a half-width bracket closing a full-width one (or the reverse)
#: is reported once, by ``norms.halfwidth-punct``, not a second time as unpaired.
_CLOSERS = {"”": "“", "’": "‘", "》": "《", "）": "（(", ")": "（(", "〉": "〈", "】": "【", "〕": "〔"}
_QUOTES = {"“", "”", "‘", "’"}
#: A paragraph this short (a bare "二、", a page number) does not interrupt a quotation over paragraphs.
_TRIVIAL_PARAGRAPH = 5


def check_norms(text: str) -> list[Finding]:
    """Every ``norms.*`` finding in ``text``."""
    paras = paragraphs(text)
    protected = [(m.start(), m.end()) for m in _URL.finditer(text)]
    findings: list[Finding] = []
    findings.extend(_halfwidth(text, protected))
    findings.extend(_ascii_quotes(text, protected))
    findings.extend(_doubled(text))
    findings.extend(_spaces(text, paras))
    findings.extend(_unbalanced(text, paras))
    findings.extend(_mixed_digits(text))
    return sort_findings(findings)


def _finding(rule: str, start: int, end: int, message: str, suggestion: str | None) -> Finding:
    return Finding(rule, RULES[rule][0], start, end, message, suggestion)


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    """Whether ``offset`` lies in one of ``spans`` (web and mail addresses, where half-width marks belong)."""
    return any(start <= offset < end for start, end in spans)


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def _halfwidth(text: str, protected: list[tuple[int, int]]) -> Iterator[Finding]:
    skip_until = 0
    for m in _HALFWIDTH.finditer(text):
        pos = m.start()
        if pos < skip_until or _inside(pos, protected):
            continue
        mark = m[0]
        if mark == ":" and _digit_at(text, pos - 1) and _digit_at(text, pos + 1):
            continue  # 10:30, 1:1000
        if mark == "(":
            close = text.find(")", pos + 1, min(_line_end(text, pos), pos + 40))
            if close != -1 and "(" not in text[pos + 1:close]:
                inner = text[pos + 1:close]
                skip_until = close + 1
                yield _finding("norms.halfwidth-punct", pos, close + 1,
                               f"中文文字中使用了半角括号“({inner})”", f"改为全角括号“（{inner}）”")
                continue
        name = _PUNCT_NAMES[mark]
        yield _finding("norms.halfwidth-punct", pos, pos + 1,
                       f"中文文字中使用了半角{name}“{mark}”（GB/T 15834）", f"改为全角“{_FULLWIDTH_OF[mark]}”")


def _digit_at(text: str, pos: int) -> bool:
    return 0 <= pos < len(text) and text[pos].isdigit()


def _ascii_quotes(text: str, protected: list[tuple[int, int]]) -> Iterator[Finding]:
    """Straight quotes next to Chinese characters; the n-th one of a paragraph opens when n is odd."""
    seen: dict[str, int] = {'"': 0, "'": 0}
    line_end = -1
    for m in _STRAIGHT_QUOTE.finditer(text):
        pos = m.start()
        mark = m[0]
        if pos > line_end:
            seen = {'"': 0, "'": 0}
            line_end = _line_end(text, pos)
        if _inside(pos, protected):
            continue
        seen[mark] += 1
        if not _ASCII_QUOTE.match(text, pos) and not (pos and _IS_CJK.match(text[pos - 1])):
            continue
        opening = seen[mark] % 2 == 1
        right = ("“" if opening else "”") if mark == '"' else ("‘" if opening else "’")
        yield _finding("norms.ascii-quote", pos, pos + 1, f"中文文字中使用了直引号“{mark}”",
                       f"改为弯引号“{right}”")


def _doubled(text: str) -> Iterator[Finding]:
    for m in _DOUBLED.finditer(text):
        yield _finding("norms.doubled-punct", m.start(), m.end(), f"标点“{m[0]}”连用",
                       f"只保留一个，如“{_keep(m[0])}”")


def _keep(run: str) -> str:
    for mark in "。；：，、":
        if mark in run:
            return mark
    return _FULLWIDTH_OF.get(run[-1], run[-1])


def _spaces(text: str, paras: list[Paragraph]) -> Iterator[Finding]:
    """A space between two Chinese characters inside a sentence of a running paragraph."""
    candidates = [m for m in _SPACE.finditer(text)]
    if not candidates:
        return
    starts = [para.start for para in paras]
    by_paragraph: dict[int, list[re.Match[str]]] = {}
    for m in candidates:
        by_paragraph.setdefault(bisect_right(starts, m.start()) - 1, []).append(m)
    for index, matches in by_paragraph.items():
        para = paras[index]
        line = text[para.start:para.end]
        if len(line) < 40 or not _SENTENCE_MARK.search(line) or len(matches) > 2:
            continue  # titles, name lists, tables, signature lines, padded lines: spaces there are layout
        for m in matches:
            before = text[max(para.start, m.start() - 12):m.start()]
            if text[m.start() - 1] in _ORG_END or _LAYOUT_BEFORE.search(before):
                continue
            if text.rfind("《", para.start, m.start()) > text.rfind("》", para.start, m.start()):
                continue  # inside a title, where a space separates two clauses (…科学防控 有序做好…)
            if m.start() - para.start <= 12:
                continue  # after a short lead-in such as a heading marker or a dateline
            yield _finding("norms.cjk-space", m.start(), m.end(), "两个汉字之间有多余的空格", "删除空格")


_BRACKET_CHARS = re.compile("[" + re.escape("".join(_PAIRS) + "".join(_CLOSERS)) + "]")
#: A bracket may close this many paragraphs after it opened (a note broken over lines).
_BRACKET_PARAGRAPHS = 2
#: A quotation may close this many paragraphs later: quoted clauses of an amending decision run over
#: several paragraphs, often without the “ that should open each of them.
_QUOTE_PARAGRAPHS = 10


def _unbalanced(text: str, paras: list[Paragraph]) -> Iterator[Finding]:
    """Unpaired quotation marks and brackets.

    A quotation over several paragraphs, where each paragraph opens with “ and only the last one closes,
    is the GB/T 15834 form; a quotation may also close up to ten paragraphs later (published texts often
    leave out the repeated “), a bracket up to two paragraphs later.
    """
    pending: list[tuple[str, int, int]] = []  # (mark, offset, paragraph index) still open
    index = -1
    for para in paras:
        if para.end - para.start <= _TRIVIAL_PARAGRAPH and not _BRACKET_CHARS.search(text, para.start, para.end):
            continue
        index += 1
        continues_quote = False
        kept = []
        for mark, pos, last in pending:
            if mark == "“" and last == index - 1 and text[para.start] == "“":
                kept.append((mark, pos, index))
                continues_quote = True
            elif index - last <= (_QUOTE_PARAGRAPHS if mark in _QUOTES else _BRACKET_PARAGRAPHS):
                kept.append((mark, pos, last))
            else:
                yield _unpaired(mark, pos, closing=False)
        pending = kept
        start = para.start + 1 if continues_quote else para.start
        close_only = _CLOSE_ONLY_MARKER.match(text, start, para.end)
        if close_only:
            start = close_only.end()
        stack: list[tuple[str, int]] = []
        for m in _BRACKET_CHARS.finditer(text, start, para.end):
            ch, pos = m[0], m.start()
            if ch in _PAIRS:
                stack.append((ch, pos))
                continue
            if ch == "’" and (_latin(text, pos - 1) and _latin(text, pos + 1) or text[pos + 1:pos + 3].isdigit()):
                continue  # an apostrophe: O’Brien, ’99
            openers = _CLOSERS[ch]
            here = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] in openers), None)
            if here is not None:
                del stack[here]
                continue
            before = next((i for i in range(len(pending) - 1, -1, -1) if pending[i][0] in openers), None)
            if before is not None:
                del pending[before]
                continue
            yield _unpaired(ch, pos, closing=True)
        pending.extend((mark, pos, index) for mark, pos in stack)
    for mark, pos, _ in pending:
        yield _unpaired(mark, pos, closing=False)


def _unpaired(mark: str, pos: int, closing: bool) -> Finding:
    rule = "norms.unbalanced-quote" if mark in _QUOTES else "norms.unbalanced-bracket"
    if closing:
        partner = _CLOSERS[mark][0]
        message = f"“{mark}”前面缺少对应的“{partner}”"
        suggestion = f"补上“{partner}”，或删去多余的“{mark}”"
    else:
        partner = _PAIRS[mark]
        message = f"“{mark}”缺少对应的“{partner}”"
        suggestion = f"在适当位置补上“{partner}”"
    return _finding(rule, pos, pos + 1, message, suggestion)


def _latin(text: str, pos: int) -> bool:
    return 0 <= pos < len(text) and text[pos].isascii() and text[pos].isalpha()


def _mixed_digits(text: str) -> Iterator[Finding]:
    """Full-width digit runs, when the text also writes numbers with ordinary digits."""
    if not _HALFWIDTH_DIGIT.search(text):
        return
    runs = list(_FULLWIDTH_DIGITS.finditer(text))
    for number, m in enumerate(runs[:MAX_DIGIT_FINDINGS], start=1):
        normal = m[0].translate(_TO_HALFWIDTH)
        more = ""
        if number == MAX_DIGIT_FINDINGS and len(runs) > MAX_DIGIT_FINDINGS:
            more = f"；全文另有{len(runs) - MAX_DIGIT_FINDINGS}处全角数字，不再逐一列出"
        yield _finding("norms.mixed-digits", m.start(), m.end(),
                       f"全角数字“{m[0]}”与本文其他地方的半角数字混用（GB/T 15835）{more}", f"改为半角数字“{normal}”")


_TO_HALFWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
