"""Search terms of Chinese text: jieba words, character bigrams, traditional -> simplified characters.

The keyword index stores two fields per sentence: ``words`` (jieba ``cut_for_search`` tokens, which adds the
short words inside long ones: 研究部署 -> 研究, 部署, 研究部署) and ``grams`` (character bigrams of every run of
Chinese characters, plus Latin words and numbers). A query word is looked up as the phrase of its bigrams
in ``grams``, so a 2-character word is found inside any longer word (点评 inside 点评会) whatever jieba
made of the document. Both fields are computed on the simplified-character form of the text.

Pure: text in, strings out. The segmenter and OpenCC load their dictionaries on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from drafter.analysis.segment import cut_for_search

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[A-Za-z]+|[0-9]+(?:\.[0-9]+)?")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_TOKEN_OK = re.compile(rf"[{_CJK}A-Za-z0-9]")

#: Words too common in official writing to help a keyword search on their own.
STOP_WORDS = frozenset(
    "的 了 和 与 及 或 等 在 对 为 是 将 把 被 由 从 向 以 于 之 其 并 也 都 而 就 要 个 中 上 下 "
    "一 一是 二是 三是 各 本 该 有关 进一步 加强 做好 工作".split())

@lru_cache(maxsize=1)
def _opencc():  # type: ignore[no-untyped-def]
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """``text`` with traditional characters converted to simplified (OpenCC t2s)."""
    if not text or text.isascii():
        return text
    return _opencc().convert(text)


def words(text: str) -> list[str]:
    """Search-mode words of ``text`` (simplified first), lower-cased, punctuation and blanks dropped."""
    tokens = cut_for_search(simplified(text))
    return [t.lower() for t in tokens if _TOKEN_OK.search(t) and not t.isspace()]


def grams(text: str) -> list[str]:
    """Character bigrams of each run of Chinese characters (a lone character stands for itself), then
    Latin words and numbers lower-cased, in text order."""
    out: list[str] = []
    for match in _RUN.finditer(simplified(text)):
        run = match.group()
        if _CJK_RUN.fullmatch(run):
            if len(run) == 1:
                out.append(run)
            else:
                out.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            out.append(run.lower())
    return out


def index_fields(text: str) -> tuple[str, str]:
    """The ``words`` and ``grams`` fields of the keyword index for one sentence (space-separated)."""
    return " ".join(words(text)), " ".join(grams(text))


@dataclass(frozen=True)
class QueryTerm:
    """One word of a query: its text (simplified, lower-case) and the bigram phrase that finds it."""

    text: str
    grams: tuple[str, ...]

    @property
    def is_single_char(self) -> bool:
        """A one-character word (found by prefix on bigrams)."""
        return len(self.grams) == 1 and len(self.grams[0]) == 1


def query_terms(query: str, drop_stop_words: bool = True) -> list[QueryTerm]:
    """The distinct words of a query, longest first within jieba's order, each with its bigram phrase.

    A word that only repeats part of a longer query word (研究 inside 研究部署) is kept: BM25 then rewards
    texts that hold the whole word and still finds texts that hold only the part.
    """
    seen: set[str] = set()
    terms: list[QueryTerm] = []
    for word in words(query):
        if word in seen or (drop_stop_words and word in STOP_WORDS):
            continue
        seen.add(word)
        phrase = tuple(grams(word))
        if phrase:
            terms.append(QueryTerm(word, phrase))
    if not terms and drop_stop_words:
        return query_terms(query, drop_stop_words=False)
    return terms


def highlight_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Merged ``[start, end)`` spans of every occurrence of the terms in ``text``.

    Matching runs on the simplified form; when conversion changed the length the original text is
    searched directly, so offsets always index ``text``.
    """
    haystack = simplified(text)
    if len(haystack) != len(text):
        haystack = text
    haystack = haystack.lower()
    spans: list[tuple[int, int]] = []
    for term in {t.lower() for t in terms if t}:
        start = haystack.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = haystack.find(term, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
