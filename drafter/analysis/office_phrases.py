"""The office's own stock phrases, learned from its archive by document frequency.

Each archive text is cut into clauses (any character that is not a Chinese ideograph ends a clause),
quotations, titles and policy or campaign names are masked first, and each clause is segmented with
jieba. Word n-grams of 2 to 4 words (4 to 12 characters) are candidates when they

* neither start nor end with a function word (的、和、在、要 …) or a one-character word,
* contain an all-purpose word of official writing (加强、推进、工作、机制 … from ``style.yaml``) and a
  verb, adverb, adjective or idiom (by jieba's dictionary tags), and
* contain no proper name, numeral or time word (by the same tags); names of bodies and places are masked,

so names of bodies, address lines and subject terms do not qualify, clichés such as 结合实际、依法依规、
各地区各部门要 do. A phrase's score is its **document frequency**: in how many texts it occurs at least once
(raw counts would let one long text dominate). Counting uses lossy counting (Manku & Motwani), so memory
stays bounded on a large archive while every phrase above the share threshold is still found.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from drafter.analysis.concreteness import concreteness_cues
from drafter.analysis.formulaic import all_purpose_words, specific_terms
from drafter.analysis.protected import protected_spans

#: Words a stock phrase never starts or ends with.
FUNCTION_WORDS = frozenset(
    "的 了 着 过 和 与 及 或 等 在 对 为 把 将 以 是 中 上 下 后 前 之 其 并 也 都 又 及其 以及 等等 应 可 由 从 向 "
    "于 被 让 使 这 那 该 本 我 我们 你 你们 他 她 它 其中 之一 有 无 不 没有 就 才 而 而且 并且 但 但是 如 如果 "
    "因 因此 所以 即 即可 则 已 已经 还 还要 同时 通过 按照 根据 关于 对于 作为 进行 予以 给予 加以 一 个 要 各 "
    "党 国家 地方 省 市 县".split())
#: jieba tags of words that make a candidate a name or a figure rather than a stock phrase.
EXCLUDED_TAGS = ("ns", "nr", "nt", "nz", "m", "t", "eng", "x")
#: jieba tags of verbs, adverbs, adjectives and idioms: a stock phrase says (or pretends to say) what to do.
PREDICATE_TAGS = frozenset({"v", "vd", "vi", "d", "ad", "a", "l", "i"})
#: Share of a candidate's characters that must be all-purpose words.
MIN_STOCK_SHARE = 0.6
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|第[一二三四五六七八九十百]+[章节条])")
_CLAUSE = re.compile(r"[\u4e00-\u9fff]+")
MIN_WORDS, MAX_WORDS = 2, 4
MIN_CHARS, MAX_CHARS = 4, 12


@dataclass(frozen=True)
class MinedPhrase:
    """A phrase found in ``doc_count`` of the archive's texts (``share`` of them)."""

    phrase: str
    words: tuple[str, ...]
    doc_count: int
    share: float


def masked(text: str) -> str:
    """``text`` with quotations, titles, policy or campaign names, bodies and places blanked out."""
    chars = list(text)
    spans = protected_spans(text) + [(c.start, c.end) for c in concreteness_cues(text, kinds=("owner", "place"))]
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


@lru_cache(maxsize=1)
def _word_classes() -> tuple[frozenset[str], frozenset[str]]:
    """Dictionary words that exclude a candidate (names, figures) and words that are predicates."""
    from drafter.analysis.segment import word_tags

    excluded, predicates = set(), set()
    for word, tag in word_tags().items():
        if tag.startswith(EXCLUDED_TAGS):
            excluded.add(word)
        elif tag in PREDICATE_TAGS:
            predicates.add(word)
    return frozenset(excluded), frozenset(predicates)


def candidates(text: str) -> set[tuple[str, ...]]:
    """The distinct candidate n-grams (as word tuples) of one text."""
    from drafter.analysis.segment import cut

    excluded, predicates = _word_classes()
    stock = all_purpose_words()
    specific = specific_terms()
    found: set[tuple[str, ...]] = set()
    for clause in _clauses(masked(text)):
        if len(clause) < MIN_CHARS:
            continue
        words = cut(clause)
        for i in range(len(words)):
            first = words[i]
            if len(first) < 2 or first in FUNCTION_WORDS or first in excluded:
                continue
            length = len(first)
            for j in range(i + 1, min(i + MAX_WORDS, len(words))):
                word = words[j]
                if word in excluded:
                    break
                length += len(word)
                if length > MAX_CHARS:
                    break
                if length < MIN_CHARS or len(word) < 2 or word in FUNCTION_WORDS:
                    continue  # a one-character last word is mostly a cut-off fragment (持续提升办)
                gram = tuple(words[i:j + 1])
                if (sum(len(w) for w in gram if w in stock) >= MIN_STOCK_SHARE * length
                        and any(w in predicates for w in gram) and "".join(gram) not in specific):
                    found.add(gram)
    return found


def _clauses(text: str) -> Iterator[str]:
    """Runs of Chinese ideographs, headings (一、总体要求) left out: section titles are not clichés."""
    for line in text.split("\n"):
        line = line.strip()
        sentence = re.search(r"[。；！？]", line)
        if not sentence and (_HEADING.match(line) and len(line) <= 30 or len(line) <= 20):
            continue
        yield from _CLAUSE.findall(line)


def mine_phrases(texts: Iterable[str], min_share: float = 0.05, min_docs: int = 3, top: int = 300,
                 epsilon: float | None = None) -> list[MinedPhrase]:
    """Phrases found in at least ``min_docs`` texts and ``min_share`` of them, most frequent first.

    Phrases contained in a longer phrase of nearly the same document frequency (≥ 90 %) are dropped, so
    the list holds 认真贯彻落实 rather than also 贯彻落实 when the two always occur together.
    """
    counts = _lossy_document_counts((candidates(t) for t in texts), epsilon or min_share / 10)
    total = counts.documents
    if total == 0:
        return []
    threshold = max(min_docs, math.ceil(min_share * total))
    kept = {gram: n for gram, n in counts.items() if n >= threshold}
    by_text: dict[str, tuple[tuple[str, ...], int]] = {}
    for gram, n in kept.items():
        phrase = "".join(gram)
        if phrase not in by_text or by_text[phrase][1] < n:
            by_text[phrase] = (gram, n)
    ordered = sorted(by_text.items(), key=lambda item: (-item[1][1], -len(item[0]), item[0]))
    result: list[MinedPhrase] = []
    for phrase, (gram, n) in ordered:
        if any(phrase in longer and longer != phrase and m >= 0.9 * n for longer, (_, m) in by_text.items()):
            continue
        result.append(MinedPhrase(phrase, gram, n, round(n / total, 4)))
        if len(result) >= top:
            break
    return result


class _DocumentCounts(dict):
    documents: int = 0


def _lossy_document_counts(documents: Iterator[set[tuple[str, ...]]], epsilon: float) -> _DocumentCounts:
    """Approximate document frequencies: exact below ``1/epsilon`` texts, undercounting by at most
    ``epsilon * texts`` beyond, with memory bounded by ``O(1/epsilon · log(epsilon · texts))`` entries."""
    width = max(1, math.ceil(1 / epsilon))
    counts: dict[tuple[str, ...], list[int]] = {}
    seen = 0
    for grams in documents:
        seen += 1
        bucket = math.ceil(seen / width)
        for gram in grams:
            entry = counts.get(gram)
            if entry is None:
                counts[gram] = [1, bucket - 1]
            else:
                entry[0] += 1
        if seen % width == 0:
            counts = {g: e for g, e in counts.items() if e[0] + e[1] > bucket}
    result = _DocumentCounts({g: e[0] for g, e in counts.items()})
    result.documents = seen
    return result
