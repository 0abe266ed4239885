"""Typo check (错别字): wrong, extra and missing characters found with a word n-gram language model.

For each Chinese character the detector tries characters of the same or a near reading and of a similar
shape (:class:`~drafter.analysis.typo_resources.TypoResources`); a candidate is kept only when it forms
a dictionary word with its neighbours, and it is reported when the language-model score of the best
segmentation of a small window around it beats the original by a margin (two tiers: ``error`` above
``error_margin``, ``info`` "possible error" above ``info_margin``). Deleting a character (``typo.extra``)
or inserting one (``typo.missing``) is tried where it forms a word of three or more characters.

Text inside 《》, official jargon of the allowlist, names before titles (张晓明同志), place names before
省/市/县, and terms the caller protects (the archive's established terms) are never "corrected".

This module is pure: the caller passes the loaded resources and the protected terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from drafter.analysis.findings import Finding, Severity
from drafter.analysis.typo_lexicon import TypoLexicon
from drafter.analysis.typo_resources import MAX_WORD, TypoResources

#: A run of Chinese characters: windows and segmentations never cross punctuation, digits or Latin.
_RUN = re.compile(r"[\u4e00-\u9fff]+")
#: Spans inside 《》 (titles of documents, laws, works): never corrected.
_TITLE = re.compile(r"《[^《》\n]{1,80}》")


@dataclass(frozen=True)
class TypoSettings:
    """Thresholds of the detector (log10 language-model gains), tuned on the ECSpell training set."""

    #: Gain of a substituted character needed for an ``error`` finding.
    error_margin: float = 4.0
    #: Gain needed for an ``info`` ("possible error") finding; None switches the tier off.
    info_margin: float | None = 2.5
    #: Gain needed for a deleted or inserted character (``typo.extra`` / ``typo.missing``) to be an error.
    edit_error_margin: float = 6.0
    edit_info_margin: float | None = 4.5
    #: Characters of context on each side of the character in the scored window.
    window: int = 3
    #: log10 penalty added to the dictionary probability of a word the language model lacks.
    oov_penalty: float = -1.5
    #: Segmentation hypotheses kept per position.
    beam: int = 4
    #: Shortest word a deletion or insertion must form.
    edit_min_word: int = 3

    @classmethod
    def from_options(cls, options: dict[str, object]) -> TypoSettings:
        """Settings from a ``[typos]`` table; unknown keys are ignored, values must be numbers."""
        values = {}
        for name in cls.__dataclass_fields__:
            if name in options:
                value = options[name]
                if value is not None and not isinstance(value, (int, float)):
                    raise ValueError(f"[typos] 中的 {name} 必须是数字，当前为“{value}”")
                values[name] = value
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Correction:
    """A proposed edit at ``start`` (``end`` exclusive) of the text, with its language-model gain."""

    kind: str  # "char" | "extra" | "missing"
    start: int
    end: int
    replacement: str
    gain: float
    context: str = ""
    data: dict[str, object] = field(default_factory=dict, compare=False)


class Segmenter:
    """Best word segmentation of a short string under the language model (Viterbi with a small beam)."""

    def __init__(self, resources: TypoResources, settings: TypoSettings) -> None:
        import kenlm

        self._state = kenlm.State
        self.lm = resources.lm
        self.words = resources.words
        self.settings = settings
        self._cache: dict[tuple[str, bool, bool], float] = {}
        self._in_lm: dict[str, bool] = {}

    def score(self, chars: str, bos: bool, eos: bool) -> float:
        """log10 probability of the best segmentation of ``chars`` (cached)."""
        key = (chars, bos, eos)
        cached = self._cache.get(key)
        if cached is None:
            cached = self.segment(chars, bos, eos)[0]
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[key] = cached
        return cached

    def segment(self, chars: str, bos: bool, eos: bool) -> tuple[float, list[str]]:
        """The best segmentation of ``chars`` and its log10 probability."""
        lm, words, beam, penalty = self.lm, self.words, self.settings.beam, self.settings.oov_penalty
        n = len(chars)
        start = self._state()
        if bos:
            lm.BeginSentenceWrite(start)
        else:
            lm.NullContextWrite(start)
        lattice: list[dict[object, tuple[float, tuple[str, ...]]]] = [{} for _ in range(n + 1)]
        lattice[0][start] = (0.0, ())
        for pos in range(n):
            if not lattice[pos]:
                continue
            hyps = sorted(lattice[pos].items(), key=lambda item: -item[1][0])[:beam]
            for length in range(1, min(MAX_WORD, n - pos) + 1):
                word = chars[pos:pos + length]
                if length > 1 and word not in words:
                    continue
                in_lm = self._in_lm.get(word)
                if in_lm is None:
                    in_lm = self._in_lm[word] = word in lm
                target = lattice[pos + length]
                for state, (score, tokens) in hyps:
                    out = self._state()
                    if in_lm or word not in words:
                        gain = lm.BaseScore(state, word, out)
                    else:
                        gain = words[word] + penalty
                        lm.NullContextWrite(out)
                    total = score + gain
                    best = target.get(out)
                    if best is None or total > best[0]:
                        target[out] = (total, (*tokens, word))
        finals = lattice[n]
        if eos:
            closed = []
            for state, (score, tokens) in finals.items():
                closed.append((score + lm.BaseScore(state, "</s>", self._state()), list(tokens)))
            return max(closed, key=lambda item: item[0])
        score, tokens = max(finals.values(), key=lambda item: item[0])
        return score, list(tokens)


class TypoDetector:
    """Finds typos in a text with loaded resources and a lexicon; create once, call :meth:`check` often."""

    def __init__(self, resources: TypoResources | None, lexicon: TypoLexicon,
                 settings: TypoSettings | None = None) -> None:
        self.resources = resources
        self.lexicon = lexicon
        self.settings = settings or TypoSettings()
        self.segmenter = Segmenter(resources, self.settings) if resources is not None else None

    # -- public -----------------------------------------------------------------------------------------

    def check(self, text: str, protect: Iterable[str] = (),
              is_established: Callable[[str], bool] | None = None) -> list[Finding]:
        """Typo findings for ``text``.

        ``protect`` are terms never corrected wherever they occur (user allowlist, frequent archive terms);
        ``is_established(snippet)`` may veto a correction whose original characters (the character with its
        neighbours) are established usage, for example because they recur in the archive.
        """
        guarded = self.protected_mask(text, protect)
        findings = self.lexicon.confusable_findings(text, guarded)
        taken = [False] * len(text)
        for finding in findings:
            for k in range(finding.start, finding.end):
                taken[k] = True
        if self.segmenter is not None:
            for correction in self.corrections(text, guarded):
                span = range(correction.start, max(correction.end, correction.start + 1))
                if any(taken[k] for k in span if k < len(text)):
                    continue
                if is_established and correction.context and is_established(correction.context):
                    continue
                finding = self._finding(text, correction)
                if finding is not None:
                    findings.append(finding)
        return findings

    def corrections(self, text: str, guarded: list[bool] | None = None) -> list[Correction]:
        """Proposed edits above the ``info`` tier (or the ``error`` tier when info is off), best first."""
        if self.segmenter is None:
            return []
        guarded = guarded if guarded is not None else [False] * len(text)
        result: list[Correction] = []
        for match in _RUN.finditer(text):
            result += self._run_corrections(text, match.start(), match.end(), guarded)
        return result

    def protected_mask(self, text: str, protect: Iterable[str] = ()) -> list[bool]:
        """True for each character never to be corrected (titles, allowlisted terms, names, places)."""
        mask = [False] * len(text)

        def cover(start: int, end: int) -> None:
            for k in range(start, end):
                mask[k] = True

        for match in _TITLE.finditer(text):
            cover(match.start(), match.end())
        is_word = self.resources.is_word if self.resources is not None else None
        for start, end in self.lexicon.protected_spans(text, protect, is_word):
            cover(start, end)
        return mask

    # -- detection --------------------------------------------------------------------------------------

    def _run_corrections(self, text: str, run_start: int, run_end: int, guarded: list[bool]) -> list[Correction]:
        s = self.settings
        floor_char = s.info_margin if s.info_margin is not None else s.error_margin
        floor_edit = s.edit_info_margin if s.edit_info_margin is not None else s.edit_error_margin
        run = text[run_start:run_end]
        suspicious = self.suspicious(run)
        proposals: list[Correction] = []
        for i in range(len(run)):
            if guarded[run_start + i] or not suspicious[i]:
                continue
            best = self._best_substitution(run, i)
            if best is not None and best[1] >= floor_char:
                char, gain, word = best
                proposals.append(Correction("char", run_start + i, run_start + i + 1, char, gain,
                                            self._context(run, i, i + 1), {"word": word}))
            deletion = self._deletion_gain(run, i)
            if deletion is not None and deletion[0] >= floor_edit:
                proposals.append(Correction("extra", run_start + i, run_start + i + 1, "", deletion[0],
                                            self._context(run, i, i + 1), {"word": deletion[1]}))
            if i > 0 and not guarded[run_start + i - 1] and suspicious[i - 1]:
                insertion = self._best_insertion(run, i)
                if insertion is not None and insertion[1] >= floor_edit:
                    char, gain, word = insertion
                    proposals.append(Correction("missing", run_start + i, run_start + i, char, gain,
                                                self._context(run, i - 1, i + 1), {"word": word}))
        return self._non_overlapping(proposals)

    def suspicious(self, run: str) -> list[bool]:
        """Which characters of a run may be wrong: those the best segmentation leaves alone.

        A character is suspicious when it stands as a one-character word, or in a two-character word that
        has no n-gram with either neighbour (or that the language model lacks); characters of longer
        words are taken as right (a typo rarely makes another long word). On the ECSpell training set
        this keeps about 96% of the wrong characters and a third of all characters.
        """
        assert self.segmenter is not None
        tokens = self.segmenter.segment(run, True, True)[1]
        lm = self.segmenter.lm
        scores = list(lm.full_scores(" ".join(tokens), bos=True, eos=True))
        flags: list[bool] = []
        for j, token in enumerate(tokens):
            if len(token) == 1:
                flag = True
            elif len(token) == 2:
                own, following = scores[j], scores[j + 1]
                flag = own[2] or (own[1] == 1 and following[1] == 1)
            else:
                flag = False
            flags += [bool(flag)] * len(token)
        return flags

    def _window(self, run: str, start: int, end: int) -> tuple[int, int]:
        w = self.settings.window
        return max(0, start - w), min(len(run), end + w)

    def _window_score(self, run: str, a: int, b: int, replaced: str) -> float:
        assert self.segmenter is not None
        return self.segmenter.score(replaced, a == 0, b == len(run))

    def _best_substitution(self, run: str, i: int) -> tuple[str, float, str] | None:
        """The confusable character at ``run[i]`` with the largest gain, with the word it forms."""
        assert self.resources is not None
        confusions = self.resources.confusions.get(run[i])
        if not confusions:
            return None
        candidates = self._word_forming(run, i, confusions)
        if not candidates:
            return None
        a, b = self._window(run, i, i + 1)
        original = self._window_score(run, a, b, run[a:b])
        best = None
        for char, word in candidates.items():
            gain = self._window_score(run, a, b, run[a:i] + char + run[i + 1:b]) - original
            if best is None or gain > best[1]:
                best = (char, gain, word)
        return best

    def _word_forming(self, run: str, i: int, confusions: frozenset[str]) -> dict[str, str]:
        """Candidates that make a word of 2-4 characters with the neighbours of ``run[i]`` (the longest kept)."""
        assert self.resources is not None
        fill = self.resources.slots.fill
        found: dict[str, str] = {}
        n = len(run)
        for a in range(max(0, i - 3), i + 1):
            left = run[a:i]
            for b in range(max(i + 1, a + 2), min(n, a + 4) + 1):
                right = run[i + 1:b]
                for char in fill.get(left + "?" + right, ""):
                    if char in confusions and b - a > len(found.get(char, "")):
                        found[char] = left + char + right
        return found

    def _deletion_gain(self, run: str, i: int) -> tuple[float, str] | None:
        """Gain of deleting ``run[i]`` when that joins its neighbours into a word of 3+ characters."""
        assert self.resources is not None
        is_word = self.resources.is_word
        word = None
        for a in range(max(0, i - 3), i):
            for b in range(i + 2, min(len(run), i + 4) + 1):
                joined = run[a:i] + run[i + 1:b]
                if len(joined) >= self.settings.edit_min_word and is_word(joined):
                    if word is None or len(joined) > len(word):
                        word = joined
        doubled = i > 0 and run[i] == run[i - 1] and not is_word(run[i - 1:i + 1])
        if word is None and not doubled:
            return None
        a, b = self._window(run, i, i + 1)
        original = self._window_score(run, a, b, run[a:b])
        edited = self._window_score(run, a, b, run[a:i] + run[i + 1:b])
        return edited - original, word or run[i - 1]

    def _best_insertion(self, run: str, i: int) -> tuple[str, float, str] | None:
        """The character whose insertion before ``run[i]`` makes a word of 3+ characters, with its gain."""
        assert self.resources is not None
        index = self.resources.slots.gap
        candidates: dict[str, str] = {}
        for a in range(max(0, i - 2), i):
            for b in range(i + 1, min(len(run), i + 2) + 1):
                for char in index.get(run[a:i] + "|" + run[i:b], ()):
                    word = run[a:i] + char + run[i:b]
                    if len(word) > len(candidates.get(char, "")):
                        candidates[char] = word
        if not candidates:
            return None
        a, b = self._window(run, i, i)
        original = self._window_score(run, a, b, run[a:b])
        best = None
        for char, word in candidates.items():
            gain = self._window_score(run, a, b, run[a:i] + char + run[i:b]) - original
            if best is None or gain > best[1]:
                best = (char, gain, word)
        return best

    @staticmethod
    def _context(run: str, start: int, end: int) -> str:
        """The characters around an edit that an archive must contain for the original to be established."""
        a, b = max(0, start - 1), min(len(run), end + 1)
        return run[a:b] if b - a >= 3 else ""

    @staticmethod
    def _non_overlapping(proposals: list[Correction]) -> list[Correction]:
        """Keep the best proposal among those within one character of each other."""
        kept: list[Correction] = []
        for proposal in sorted(proposals, key=lambda p: -p.gain):
            if all(proposal.start > k.end or k.start > proposal.end for k in kept):
                kept.append(proposal)
        return sorted(kept, key=lambda p: p.start)

    # -- findings ---------------------------------------------------------------------------------------

    def _finding(self, text: str, c: Correction) -> Finding | None:
        s = self.settings
        if c.kind == "char":
            error = c.gain >= s.error_margin
        else:
            error = c.gain >= s.edit_error_margin
        severity = Severity.ERROR if error else Severity.INFO
        tier = "" if error else "疑似"
        word = str(c.data.get("word", ""))
        data = {"gain": round(c.gain, 2), "word": word, "replacement": c.replacement}
        if c.kind == "char":
            wrong = text[c.start]
            return Finding("typo.char", severity, c.start, c.end,
                           f"{tier}错别字：“{wrong}”应为“{c.replacement}”（“{word}”）",
                           c.replacement, data)
        if c.kind == "extra":
            wrong = text[c.start]
            before, after = text[max(0, c.start - 2):c.start], text[c.end:c.end + 2]
            return Finding("typo.extra", severity, c.start, c.end,
                           f"{tier}多字：“{before}{wrong}{after}”中的“{wrong}”似应删去（“{word}”）",
                           f"删去“{wrong}”", data)
        # missing: the span covers the two characters the insertion goes between
        start, end = c.start - 1, c.start + 1
        left, right = text[start], text[c.start]
        return Finding("typo.missing", severity, start, end,
                       f"{tier}漏字：“{left}”与“{right}”之间似缺“{c.replacement}”（“{word}”）",
                       f"{left}{c.replacement}{right}", data)
