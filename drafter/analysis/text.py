"""Text normalisation and the paragraph/sentence spans every check shares.

All spans are ``[start, end)`` character offsets into the normalised text (DESIGN.md, "Text and offsets").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters treated as blank at the edges of a paragraph (ASCII and full-width spaces, tabs, NBSP).
BLANK = " \t\u3000\u00a0\ufeff"

#: Sentence-ending punctuation in Chinese official text (semicolons end a clause that reads as a sentence).
_SENTENCE_END = re.compile(r"[。！？!?；;]+[”’」』）)]*|……[”’」』]*")


def normalise(text: str) -> str:
    """Return ``text`` with a leading BOM removed and ``\\r\\n`` / ``\\r`` turned into ``\\n``."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


@dataclass(frozen=True)
class Span:
    """A ``[start, end)`` slice of a text."""

    start: int
    end: int

    def of(self, text: str) -> str:
        """The characters this span covers in ``text``."""
        return text[self.start:self.end]

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Paragraph(Span):
    """A non-blank line of the text, with its edges' blanks trimmed; ``index`` counts paragraphs from 0."""

    index: int = 0
    line: int = 0


def paragraphs(text: str) -> list[Paragraph]:
    """The non-blank lines of ``text`` as spans without leading/trailing blanks.

    ``line`` is the 1-based line number, for messages such as "第12行".
    """
    result: list[Paragraph] = []
    pos = 0
    for line_no, line in enumerate(text.split("\n"), start=1):
        stripped_left = len(line) - len(line.lstrip(BLANK))
        stripped_right = len(line.rstrip(BLANK))
        if stripped_right > stripped_left:
            result.append(Paragraph(pos + stripped_left, pos + stripped_right, len(result), line_no))
        pos += len(line) + 1
    return result


def sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentence spans inside ``text[start:end]`` (split at 。！？； and ……, closing quotes kept).

    Line breaks also end a sentence. Blank edges are trimmed; empty pieces are dropped.
    """
    end = len(text) if end is None else end
    spans: list[Span] = []
    for para_start, para_end in _line_spans(text, start, end):
        cursor = para_start
        for match in _SENTENCE_END.finditer(text, para_start, para_end):
            _append_trimmed(spans, text, cursor, match.end())
            cursor = match.end()
        _append_trimmed(spans, text, cursor, para_end)
    return spans


def line_number(text: str, offset: int) -> int:
    """1-based line number of ``offset`` in ``text``."""
    return text.count("\n", 0, offset) + 1


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    cursor = start
    while cursor < end:
        nl = text.find("\n", cursor, end)
        stop = end if nl == -1 else nl
        spans.append((cursor, stop))
        cursor = stop + 1
    return spans


def _append_trimmed(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start] in BLANK:
        start += 1
    while end > start and text[end - 1] in BLANK:
        end -= 1
    if end > start:
        spans.append(Span(start, end))


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def cjk_count(text: str) -> int:
    """Number of CJK ideographs in ``text``."""
    return len(_CJK.findall(text))
