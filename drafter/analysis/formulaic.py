"""Formulaic phrasing (套话、空话): stock phrases, empty sentences, four-character stacks, adverb stacks.

Pure: text (and the office's own stock phrases, passed in by the caller) in, findings and scores out.

Per sentence three measures are computed, each 0 to 1, over its Chinese characters outside protected text
(quotations, titles, policy and campaign names: :mod:`drafter.analysis.protected`):

* **formulaic density** — the share inside stock phrases: the lexicon (:mod:`drafter.analysis.lexicon`),
  the office's own phrases learned from its archive, and stacked rhetorical 四字格 (the gap of a frame such
  as 加大…力度 is not counted);
* **vagueness** — the share, outside those, in all-purpose words (加强、机制、工作 … from ``style.yaml``);
* **concreteness** — from cues a reader could check (:mod:`drafter.analysis.concreteness`).

Their weighted mean (``score_weights`` in ``style.yaml``, lack of concreteness counting as 1 - concreteness)
is the sentence's **score**; a sentence scoring high whose concreteness is low is an empty sentence
(``formulaic.empty-sentence``). Thresholds and weights were tuned on the dev split of the benchmark
labels (``bench/formulaic_bench.py``), never on the test split.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from drafter.analysis.concreteness import Cue, concreteness, concreteness_cues, cue_labels
from drafter.analysis.findings import Finding, Severity, sort_findings
from drafter.analysis.lexicon import Entry, Lexicon, builtin_lexicon, read_data
from drafter.analysis.matcher import Match, PhraseMatcher, select_maximal, select_non_overlapping
from drafter.analysis.protected import Protection, is_protected, protected_spans
from drafter.analysis.text import Span, paragraphs, sentences

#: Rule id of every lexicon match; the entry's own id (``formulaic.stock-phrase.gaodu-zhongshi``) is in
#: ``data["entry"]`` so settings can switch single entries off while the rule id stays as DESIGN.md names it.
RULE_STOCK = "formulaic.stock-phrase"
RULE_EMPTY = "formulaic.empty-sentence"
RULE_FOUR_CHAR = "formulaic.four-char-stack"
RULE_ADVERB = "formulaic.adverb-stack"
RULE_OFFICE = "formulaic.office-phrase"
OFFICE_KEY = RULE_OFFICE

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HEADING = re.compile(r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|第[一二三四五六七八九十百]+[章节条部分])")
_ITEM_SPLIT = re.compile(r"[、，,]")


@dataclass(frozen=True)
class Thresholds:
    """Limits of the sentence and paragraph rules (``data/formulaic/style.yaml``)."""

    empty_min_chars: int = 10
    empty_score: float = 0.30
    empty_density: float = 0.0
    empty_concreteness: float = 0.35
    four_char_run: int = 4
    adverb_repeat: int = 3


@dataclass(frozen=True)
class OfficePhrase:
    """A stock phrase of the office, learned from its archive: used in ``doc_count`` documents (``share``)."""

    phrase: str
    doc_count: int
    share: float


@dataclass(frozen=True)
class ScoreWeights:
    """Weights of the sentence score (``data/formulaic/style.yaml``)."""

    density: float = 1.5
    vagueness: float = 1.5
    inconcreteness: float = 0.5

    def combine(self, density: float, vagueness: float, concreteness: float) -> float:
        """Weighted mean of density, vagueness and lack of concreteness: 0 (concrete) to 1 (empty)."""
        total = self.density + self.vagueness + self.inconcreteness
        return (self.density * density + self.vagueness * vagueness
                + self.inconcreteness * (1.0 - concreteness)) / total


@dataclass(frozen=True)
class SentenceScore:
    """Scores of one sentence ``text[start:end]``.

    ``density`` is the share of its counted characters inside stock phrases, ``vagueness`` the share in
    all-purpose words outside them, ``concreteness`` 0 to 1 from concrete cues, ``score`` their weighted
    combination (0 concrete, 1 empty).
    """

    start: int
    end: int
    chars: int
    stock_chars: int
    density: float
    vagueness: float
    concreteness: float
    score: float
    empty: bool
    heading: bool
    cues: tuple[Cue, ...] = ()
    matches: tuple[Match, ...] = ()
    vague_words: tuple[str, ...] = ()


@dataclass
class FormulaicResult:
    """Findings, per-sentence scores and the metrics of one text."""

    findings: list[Finding] = field(default_factory=list)
    sentences: list[SentenceScore] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class _Style:
    thresholds: Thresholds
    weights: ScoreWeights
    adverbs: tuple[str, ...]
    four_char: frozenset[str]
    generic_words: PhraseMatcher


@lru_cache(maxsize=1)
def _style() -> _Style:
    data = read_data("style.yaml")
    words = dict(data["generic_words"])
    blockers = set(words.pop("not_generic", []))
    generic = {w for group in words.values() for w in group} | set(data["degree_adverbs"])
    matcher = PhraseMatcher(phrases=[(w, "generic") for w in generic] + [(w, "") for w in blockers])
    return _Style(Thresholds(**data.get("thresholds", {})), ScoreWeights(**data.get("score_weights", {})),
                  tuple(data["degree_adverbs"]), frozenset(data["four_char"]), matcher)


@lru_cache(maxsize=1)
def all_purpose_words() -> frozenset[str]:
    """The all-purpose words (万能词) and degree adverbs of ``style.yaml``."""
    data = read_data("style.yaml")
    words = {w for key, group in data["generic_words"].items() if key != "not_generic" for w in group}
    return frozenset(words | set(data["degree_adverbs"]))


@lru_cache(maxsize=1)
def specific_terms() -> frozenset[str]:
    """Words that contain all-purpose words but name something specific (工作日, 社会组织 …)."""
    return frozenset(read_data("style.yaml")["generic_words"].get("not_generic", []))


class FormulaicAnalyzer:
    """Reusable analyser: builds its matchers once for a lexicon and a set of office phrases."""

    def __init__(self, lexicon: Lexicon | None = None, office_phrases: Sequence[OfficePhrase] = (),
                 thresholds: Thresholds | None = None, weights: ScoreWeights | None = None) -> None:
        self.lexicon = lexicon or builtin_lexicon()
        self.entries: dict[str, Entry] = {e.id: e for e in self.lexicon.enabled}
        # Entries switched off in a lexicon file (level: off) are not stock phrases for this office at all;
        # rules switched off with --disable only hide findings and still count towards density.
        self.matcher = PhraseMatcher(self.entries.values())
        self.office = {p.phrase: p for p in office_phrases}
        self.office_matcher = PhraseMatcher(phrases=[(p.phrase, OFFICE_KEY) for p in office_phrases])
        style = _style()
        self.thresholds = thresholds or style.thresholds
        self.weights = weights or style.weights
        self.adverbs = style.adverbs
        self.four_char = style.four_char
        self.generic_words = style.generic_words
        self._adverb_re = re.compile("|".join(map(re.escape, sorted(self.adverbs, key=len, reverse=True))))

    # -- stock phrases -------------------------------------------------------------------------------
    def stock_matches(self, text: str, protection: Protection) -> list[Match]:
        """Lexicon and office-phrase matches outside protected text; the lexicon wins where both match."""
        lexicon = [m for m in self.matcher.find_all(text) if not is_protected(m, protection)]
        office = [m for m in self.office_matcher.find_all(text) if not is_protected(m, protection)]
        taken = bytearray(len(text) + 1)
        for m in lexicon:
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
        office = [m for m in select_non_overlapping(office) if not any(taken[m.start:m.end])]
        return sorted(lexicon + office, key=lambda m: (m.start, -m.end))

    # -- the whole analysis --------------------------------------------------------------------------
    def analyse(self, text: str) -> FormulaicResult:
        """Findings, sentence scores and metrics of ``text``."""
        protection = Protection(protected_spans(text), len(text))
        matches = self.stock_matches(text, protection)
        counted = bytearray(len(text) + 1)  # 1 for a CJK character outside protected text
        for m in _CJK.finditer(text):
            counted[m.start()] = 1 - protection.mask[m.start()]
        covered = bytearray(len(text) + 1)  # 1 for a counted character inside a stock phrase
        for m in matches:
            for a, b in m.anchors:
                covered[a:b] = counted[a:b]
        result = FormulaicResult()
        result.findings += self._phrase_findings(text, select_maximal(matches))
        para_stats = []
        for para in paragraphs(text):
            heading = bool(_HEADING.match(text, para.start)) and len(para) <= 60
            para_sentences = []
            for span in sentences(text, para.start, para.end):
                stacks = self._four_char_findings(text, span, protection)
                for finding in stacks:  # a stack of rhetorical four-character items is stock phrasing too
                    for a, b in finding.data["items"]:
                        covered[a:b] = counted[a:b]
                score = self._score_sentence(text, span, counted, covered, matches, heading)
                para_sentences.append(score)
                if score.empty:
                    result.findings.append(self._empty_finding(text, score))
                result.findings += stacks
            result.findings += self._adverb_findings(text, para, protection)
            result.sentences += para_sentences
            para_stats.append(_aggregate(para_sentences) | {"index": para.index, "start": para.start,
                                                             "end": para.end})
        result.metrics = _aggregate(result.sentences)
        result.metrics["stock_phrases"] = sum(1 for f in result.findings
                                              if f.rule in (RULE_STOCK, RULE_OFFICE))
        result.metrics["formulaic_paragraphs"] = para_stats
        result.findings = sort_findings(result.findings)
        return result

    def _score_sentence(self, text: str, span: Span, counted: bytearray, covered: bytearray,
                        matches: list[Match], heading: bool) -> SentenceScore:
        chars = sum(counted[span.start:span.end])
        stock = sum(covered[span.start:span.end])
        density = stock / chars if chars else 0.0
        vague, vague_words = self._vague_chars(text, span, counted, covered)
        vagueness = vague / chars if chars else 0.0
        cues = tuple(concreteness_cues(text, span.start, span.end))
        concrete = concreteness(cues)
        score = self.weights.combine(density, vagueness, concrete) if chars else 0.0
        t = self.thresholds
        empty = (not heading and chars >= t.empty_min_chars and score >= t.empty_score
                 and density >= t.empty_density and concrete <= t.empty_concreteness)
        first = bisect.bisect_left(matches, span.start, key=lambda m: m.start)
        inside = []
        for m in matches[first:]:
            if m.start >= span.end:
                break
            if m.end <= span.end:
                inside.append(m)
        return SentenceScore(span.start, span.end, chars, stock, density, vagueness, concrete, score, empty,
                             heading, cues, tuple(inside), vague_words)

    def _vague_chars(self, text: str, span: Span, counted: bytearray,
                     covered: bytearray) -> tuple[int, tuple[str, ...]]:
        """Counted characters in all-purpose words outside stock phrases, and those words."""
        total = 0
        words = []
        for m in self.generic_words.find(text, span.start, span.end):
            if m.key:
                n = sum(counted[m.start:m.end]) - sum(covered[m.start:m.end])
                if n > 0:
                    total += n
                    words.append(text[m.start:m.end])
        return total, tuple(words)

    # -- findings ------------------------------------------------------------------------------------
    def _phrase_findings(self, text: str, matches: list[Match]) -> list[Finding]:
        findings = []
        for m in matches:
            excerpt = text[m.start:m.end]
            if m.key == OFFICE_KEY:
                phrase = self.office[excerpt]
                findings.append(Finding(
                    RULE_OFFICE, Severity.INFO, m.start, m.end,
                    f"“{excerpt}”是本单位文稿的高频套语：档案中 {phrase.doc_count} 篇（{phrase.share:.0%}）用过",
                    f"这句话放进哪篇文稿都成立。把“{excerpt}”换成本文特有的内容：具体措施、数量、责任单位或完成时限",
                    {"doc_count": phrase.doc_count, "share": phrase.share}))
                continue
            entry = self.entries[m.key]
            findings.append(Finding(RULE_STOCK, entry.severity, m.start, m.end, entry.render_message(excerpt),
                                    entry.hint, {"category": entry.category, "entry": m.key}))
        return findings

    def _empty_finding(self, text: str, score: SentenceScore) -> Finding:
        phrases: list[str] = []
        for m in select_non_overlapping(score.matches):
            phrase = text[m.start:m.end]
            if phrase not in phrases:
                phrases.append(phrase)
        words = list(dict.fromkeys(score.vague_words))
        quoted = "".join(f"“{p}”" for p in (phrases or words)[:4]) + ("等" if len(phrases or words) > 4 else "")
        what = f"套话（{quoted}）" if phrases else f"万能词（{quoted}）"
        if phrases and words:
            what += f"和万能词（{'、'.join(words[:3])}{'等' if len(words) > 3 else ''}）"
        present = {c.kind for c in score.cues}
        labels = cue_labels()
        missing = "、".join(labels[k] for k in ("number", "time", "owner") if k not in present)
        message = (f"空话句：本句主要由{what}构成，没有{missing or '足够的具体内容'}，"
                   f"读者无从检查要做什么、做到什么程度")
        first = next((self.entries[m.key] for m in score.matches if m.key in self.entries), None)
        hint = first.hint if first else f"把“{(phrases or words or ['这句话'])[0]}”换成本文特有的做法、数量或时限。"
        suggestion = f"改写成可检查的句子：由谁（责任单位）、在什么时间前、做什么、做到什么程度。{hint}"
        return Finding(RULE_EMPTY, Severity.WARNING, score.start, score.end, message, suggestion,
                       {"score": round(score.score, 3), "density": round(score.density, 3),
                        "vagueness": round(score.vagueness, 3), "concreteness": round(score.concreteness, 3)})

    def _four_char_findings(self, text: str, span: Span, protection: Protection) -> list[Finding]:
        runs = _four_char_runs(text, span, protection, self.thresholds.four_char_run)
        findings = []
        for run in runs:
            if len(run) < self.thresholds.four_char_run:
                continue
            if sum(1 for a, b in run if self._rhetorical(text[a:b])) < max(3, (len(run) + 1) // 2 + 1):
                continue
            after = text[run[-1][1]:run[-1][1] + 1]
            if after == "等":
                continue
            start, end = run[0][0], run[-1][1]
            items = "、".join(text[a:b] for a, b in run[:4]) + ("…" if len(run) > 4 else "")
            findings.append(Finding(
                RULE_FOUR_CHAR, Severity.INFO, start, end,
                f"连用 {len(run)} 个四字格（{items}），读来整齐却空泛，看不出具体做什么",
                "保留最能说明问题的一个，其余改成具体做法；或拆成几句，每句写清一项措施及其责任单位、时限",
                {"count": len(run), "items": run}))
        return findings

    def _rhetorical(self, item: str) -> bool:
        if item in self.four_char:
            return True
        if any(m.start == 0 for m in self.matcher.find_all(item)):
            return True
        from drafter.analysis.segment import word_tags

        return word_tags().get(item) == "i"

    def _adverb_findings(self, text: str, para: Span, protection: Protection) -> list[Finding]:
        positions: dict[str, list[tuple[int, int]]] = {}
        previous_start = previous_end = -10
        findings = []
        for m in self._adverb_re.finditer(text, para.start, para.end):
            if protection.overlaps(m.start(), m.end()):
                continue
            positions.setdefault(m.group(), []).append((m.start(), m.end()))
            if m.start() == previous_end:
                first = text[previous_start:previous_end]
                findings.append(Finding(
                    RULE_ADVERB, Severity.INFO, previous_start, m.end(),
                    f"“{first}”“{m.group()}”两个程度副词叠用，语气加重而意思不增",
                    f"只留一个，或都删去，改写出“{m.group()}”之后要做的具体事项和标准",
                    {"adverbs": [first, m.group()]}))
            previous_start, previous_end = m.start(), m.end()
        for adverb, spans in positions.items():
            if len(spans) >= self.thresholds.adverb_repeat:
                findings.append(Finding(
                    RULE_ADVERB, Severity.INFO, spans[0][0], spans[-1][1],
                    f"本段“{adverb}”用了 {len(spans)} 次，程度副词堆砌，反而显得空",
                    f"保留一处“{adverb}”，其余删去；要表达力度，就写出数量、标准或时限",
                    {"adverb": adverb, "count": len(spans), "positions": [s for s, _ in spans]}))
        return findings


def _four_char_runs(text: str, span: Span, protection: Protection, minimum: int) -> list[list[tuple[int, int]]]:
    """Runs of consecutive four-character items separated by 、 or ， inside ``span``.

    The first item may carry a lead-in of up to three characters (要坚持解放思想 → 解放思想) and the last an
    attributive tail (求真务实的作风 → 求真务实), provided the four characters are whole words.
    """
    pieces: list[tuple[int, int]] = []
    cursor = span.start
    for m in _ITEM_SPLIT.finditer(text, span.start, span.end):
        pieces.append((cursor, m.start()))
        cursor = m.end()
    pieces.append((cursor, span.end))
    pieces = [_trim(text, a, b) for a, b in pieces]
    full = [b - a == 4 and _all_cjk(text[a:b]) and not protection.overlaps(a, b) for a, b in pieces]
    runs: list[list[tuple[int, int]]] = []
    i = 0
    while i < len(pieces):
        if not full[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(pieces) and full[j + 1]:
            j += 1
        if j - i + 1 >= minimum - 2:  # only then can a lead-in and a tail make it long enough
            run = pieces[i:j + 1]
            if i > 0:
                a, b = pieces[i - 1]
                if 4 < b - a <= 7 and _clean_four(text, b - 4, b, a, b, protection):
                    run.insert(0, (b - 4, b))  # 要坚持解放思想
            if j + 1 < len(pieces):
                a, b = pieces[j + 1]
                if 4 < b - a <= 8 and text[a + 4] in "的地之" and _clean_four(text, a, a + 4, a, b, protection):
                    run.append((a, a + 4))  # 求真务实的作风
            runs.append(run)
        i = j + 1
    return runs


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while b > a and not _CJK.match(text[b - 1]):
        b -= 1  # a closing 。 or ；
    while a < b and not _CJK.match(text[a]):
        a += 1
    return a, b


def _clean_four(text: str, start: int, end: int, a: int, b: int, protection: Protection) -> bool:
    """Whether ``text[start:end]`` is four CJK characters, unprotected, cut at word boundaries of ``text[a:b]``."""
    if not _all_cjk(text[start:end]) or protection.overlaps(start, end):
        return False
    from drafter.analysis.segment import word_spans

    edges = {s for s, _ in word_spans(text[a:b], a)} | {b}
    return start in edges and end in edges


def _all_cjk(piece: str) -> bool:
    return all(_CJK.match(ch) for ch in piece)


def _aggregate(scores: Sequence[SentenceScore]) -> dict[str, Any]:
    chars = sum(s.chars for s in scores)
    stock = sum(s.stock_chars for s in scores)

    def mean(values: Iterable[float]) -> float:
        return round(sum(values) / chars, 4) if chars else 0.0

    return {
        "formulaic_density": round(stock / chars, 4) if chars else 0.0,
        "concreteness": mean(s.concreteness * s.chars for s in scores),
        "formulaic_score": mean(s.score * s.chars for s in scores),
        "empty_sentences": sum(1 for s in scores if s.empty),
        "sentences": len(scores),
    }


def analyse(text: str, lexicon: Lexicon | None = None, office_phrases: Sequence[OfficePhrase] = ()) -> FormulaicResult:
    """Formulaic findings, sentence scores and metrics of ``text`` (see :class:`FormulaicAnalyzer`)."""
    return FormulaicAnalyzer(lexicon, office_phrases).analyse(text)


__all__ = ["FormulaicAnalyzer", "FormulaicResult", "OfficePhrase", "ScoreWeights", "SentenceScore", "Thresholds",
           "all_purpose_words", "analyse", "specific_terms"]
