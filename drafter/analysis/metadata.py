"""Inference of a document's title, 文种 (document type) and date of issue from its text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from drafter.analysis.text import BLANK, Span, paragraphs

#: 文种 recognised from the ending of a title, longest first so that 调研报告 wins over 报告.
DOC_TYPES: tuple[str, ...] = (
    "经验交流材料", "工作总结", "调研报告", "督查通报", "汇报材料", "讲话稿", "实施方案", "工作要点",
    "工作计划", "实施意见", "指导意见", "实施细则", "会议纪要", "信息专报",
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
    "议案", "函", "纪要", "条例", "规定", "办法", "细则", "方案", "计划", "要点", "规划", "纲要",
    "总结", "讲话", "致辞", "发言", "信息", "令",
)

#: How a matched title ending maps onto the type stored in the archive.
_TYPE_ALIASES = {
    "讲话": "讲话稿", "致辞": "讲话稿", "发言": "讲话稿", "总结": "工作总结", "实施方案": "方案",
    "工作要点": "要点", "工作计划": "计划", "实施意见": "意见", "指导意见": "意见", "实施细则": "细则",
    "会议纪要": "纪要", "信息专报": "信息", "命令": "令",
}

#: Every type a user can pick, in the order forms show them.
KNOWN_TYPES: tuple[str, ...] = (
    "工作总结", "经验交流材料", "调研报告", "讲话稿", "信息", "督查通报", "通知", "意见", "报告", "请示",
    "批复", "函", "通报", "决定", "方案", "计划", "要点", "纪要", "条例", "规定", "办法", "细则", "规划",
    "纲要", "公告", "通告", "决议", "公报", "议案", "令", "汇报材料", "其他",
)

_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]第?\d+号$")
_DATELINE = re.compile(r"(新华社|人民网|中新社|央视网)[\u4e00-\u9fff]{0,12}\d{1,2}月\d{1,2}日电")
_HEADING = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|第[一二三四五六七八九十百]+[章节条])")
_ENDS_SENTENCE = re.compile(r"[。；;：:，,！!？?]$")

_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DIGIT_CLASS = "〇○零ＯO一二三四五六七八九"
_DATE_ARABIC = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_CHINESE = re.compile(rf"([{_CN_DIGIT_CLASS}]{{4}})年([一二三四五六七八九十]{{1,3}})月([一二三四五六七八九十]{{1,3}})日")
_YEAR = re.compile(r"((?:19|20)\d{2})(?=\s*年|\s*[—\-－～至到]+\s*(?:19|20)\d{2})")


@dataclass(frozen=True)
class TitleGuess:
    """A title inferred from the leading lines, and the span of those lines in the text."""

    title: str
    span: Span | None


def infer_title(text: str, max_lines: int = 3, max_chars: int = 90) -> TitleGuess:
    """Guess the title from the first lines: short lines without sentence punctuation, joined.

    A news dateline ("新华社北京7月18日电") before the title is skipped; a 发文字号, a heading marker,
    an addressee line ending with "：" or a sentence ends the title.
    """
    parts: list[str] = []
    first = last = None
    for para in paragraphs(text)[: max_lines + 2]:
        line = para.of(text)
        dateline = _DATELINE.search(line)
        if dateline and dateline.start() == 0 and len(line) < 40:
            continue
        if dateline and parts and dateline.end() == len(line):
            line = line[: dateline.start()]
        if not parts and _looks_like_date_line(line):
            continue
        if (_DOC_NUMBER.match(line) or _HEADING.match(line) or _ENDS_SENTENCE.search(line)
                or len(line) > 50 or len(parts) >= max_lines
                or sum(map(len, parts)) + len(line) > max_chars):
            break
        if parts and (_looks_like_date_line(line) or infer_doc_type(_join_title(parts))):
            break  # a title that already ends with its 文种 is complete (a speaker's name may follow)
        parts.append(line.strip(BLANK))
        first = para.start if first is None else first
        last = para.end
    if not parts or first is None or last is None:
        return TitleGuess("", None)
    return TitleGuess(_join_title(parts), Span(first, last))


def _join_title(parts: list[str]) -> str:
    """Join title lines; a run of spaces inside a line (中共中央  国务院) becomes one space."""
    return "".join(re.sub(r"([ \u3000\u00a0])[ \u3000\u00a0]*", r"\1", p).strip(BLANK) for p in parts)


def infer_doc_type(title: str) -> str | None:
    """文种 from the ending of a title ("关于…的通知" -> 通知, "在…会议上的讲话" -> 讲话稿), else None."""
    cleaned = re.sub(r"[（(][^）)]*[)）]$", "", title.strip(BLANK + "　"))
    cleaned = re.sub(r"(（?[征送]求意见稿）?|（?草案）?|（?试行）?)$", "", cleaned)
    for kind in DOC_TYPES:
        if cleaned.endswith(kind):
            if kind == "信息" and len(cleaned) > 4 and not cleaned.endswith(("工作信息", "政务信息", "信息专报")):
                continue
            if kind == "通报" and ("督查" in cleaned or "督导" in cleaned):
                return "督查通报"
            return _TYPE_ALIASES.get(kind, kind)
    if "调研" in cleaned or cleaned.endswith(("调查", "的思考", "的调查与思考")):
        return "调研报告"
    return None


def _chinese_number(chars: str) -> int:
    if len(chars) == 1:
        return 10 if chars == "十" else _CN_DIGITS[chars]
    if chars.startswith("十"):
        return 10 + _CN_DIGITS[chars[1]]
    if chars.endswith("十"):
        return _CN_DIGITS[chars[0]] * 10
    if len(chars) == 3 and chars[1] == "十":
        return _CN_DIGITS[chars[0]] * 10 + _CN_DIGITS[chars[2]]
    raise ValueError(chars)


def parse_dates(text: str) -> list[tuple[Span, dt.date]]:
    """Every valid calendar date in ``text`` (2016年3月5日 and 二〇一六年三月五日), in order."""
    found: list[tuple[Span, dt.date]] = []
    for match in _DATE_ARABIC.finditer(text):
        _append_date(found, match, int(match[1]), int(match[2]), int(match[3]))
    for match in _DATE_CHINESE.finditer(text):
        try:
            year = int("".join(str(_CN_DIGITS[c]) for c in match[1]))
            _append_date(found, match, year, _chinese_number(match[2]), _chinese_number(match[3]))
        except (KeyError, ValueError):
            continue
    return sorted(found, key=lambda item: item[0].start)


def _append_date(found: list, match: re.Match, year: int, month: int, day: int) -> None:
    try:
        found.append((Span(match.start(), match.end()), dt.date(year, month, day)))
    except ValueError:
        pass


def _looks_like_date_line(line: str) -> bool:
    stripped = line.strip(BLANK + "（）()")
    return bool(_DATE_ARABIC.fullmatch(stripped) or _DATE_CHINESE.fullmatch(stripped))


def infer_date(text: str) -> dt.date | None:
    """The date of issue: a line that holds only a date (落款) near the end, else the last date in the
    closing lines, else a date line right under the title; None when the text gives none."""
    paras = paragraphs(text)
    for para in reversed(paras[-8:]):
        line = para.of(text)
        if _looks_like_date_line(line):
            dates = parse_dates(line)
            if dates:
                return dates[-1][1]
    for para in paras[:4]:
        line = para.of(text)
        if _looks_like_date_line(line):
            dates = parse_dates(line)
            if dates:  # a date-shaped line may hold an impossible date (2023年2月30日)
                return dates[-1][1]
    return None


def infer_year(text: str, title: str = "") -> int | None:
    """The year of the document: from its date of issue, else the first year named in its title."""
    date = infer_date(text)
    if date:
        return date.year
    match = _YEAR.search(title)
    return int(match[1]) if match else None
