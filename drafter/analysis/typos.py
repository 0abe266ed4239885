"""Typo check (错别字): wrong, extra and missing characters found with a word n-gram language model.

For each Chinese character the detector tries characters of the same or a near reading and of a similar
shape (:class:`~drafter.analysis.typo_resources.TypoResources`); a candidate is kept only when it forms
a dictionary word with its neighbours, and it is reported when the language-model score of the best
segmentation of a small window around it beats the original by a margin (two tiers: ``error`` above
``error_margin``, ``info`` "possible error" above ``info_margin``). Deleting a character (``typo.extra``)
or inserting one (``typo.missing``) is tried where it forms a word of three or more characters.

Text inside 《》, official jargon of the allowlist, names at titles (张晓明同志, 县长郑明远) and alone in
name lists, place names (青禾县委, 石岭村), issuer codes of document numbers, runs of province abbreviations,
and terms the caller protects are never "corrected"; nor is a spelling that recurs in the same text or that
the caller reports as established (recurring in the archive).

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
#: Joining and function characters whose deletion is a matter of style (教书与育人 / 教书育人).
_FUNCTION_CHARS = frozenset("与和及并而且或的之地得了着过在于对把被将为以等其")
#: Spans inside 《》 (titles of documents, laws, works): never corrected.
_TITLE = re.compile(r"《[^《》\n]{1,80}》")


@dataclass(frozen=True)
class TypoSettings:
    """Thresholds of the detector (log10 language-model gains), tuned on the ECSpell training set."""

    #: Gain of a substituted character needed for an ``error`` finding.
    error_margin: float = 4.0
    #: Gain needed for an ``info`` ("possible error") finding; None switches the tier off.
    info_margin: float | None = 3.0
    #: Gain needed for a deleted character (``typo.extra``) to be an error, and to be reported at all.
    #: Deletions are rare in practice and the commonest false alarm (教书与育人), hence the high bar.
    extra_error_margin: float = 9.0
    extra_info_margin: float | None = 7.5
    #: The same for an inserted character (``typo.missing``).
    missing_error_margin: float = 6.0
    missing_info_margin: float | None = 5.0
    #: Characters of context on each side of the character in the scored window.
    window: int = 4
    #: log10 penalty added to the dictionary probability of a word the language model lacks.
    oov_penalty: float = -1.0
    #: Gain subtracted from a candidate that only one confusion source proposes (two sources: half of it).
    single_source_cost: float = 1.0
    #: Gain subtracted from a candidate proposed only because its reading is near (zh/z, n/l …).
    fuzzy_only_cost: float = 2.0
    #: Extra gain a two-character replacement (both characters wrong) must reach.
    pair_cost: float = 1.5
    #: Highest prior cost of either character of a two-character replacement (0: both well attested).
    pair_max_char_cost: float = 0.0
    #: Two-character replacements scored per pair of characters (the likeliest by frequency and cost).
    pair_candidates: int = 8
    #: Gain added to deleting a doubled character (进一步步): the commonest extra character.
    doubled_bonus: float = 3.0
    #: Gain added to the margins inside a run of at most four Chinese characters (list items, names):
    #: too little context for the language model.
    short_run_cost: float = 2.0
    #: Further passes over a run after applying its confident substitutions.
    rounds: int = 1
    #: Segmentation hypotheses kept per position.
    beam: int = 2
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
    #: The original characters that the proposed word replaces (the wrong character and its word-mates).
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
            bucket = words.bucket(chars[pos])
            for length in range(1, min(MAX_WORD, n - pos) + 1):
                word = chars[pos:pos + length]
                if length > 1 and word not in bucket:
                    continue
                in_lm = self._in_lm.get(word)
                if in_lm is None:
                    in_lm = self._in_lm[word] = word in lm
                target = lattice[pos + length]
                for state, (score, tokens) in hyps:
                    out = self._state()
                    if in_lm or word not in bucket:
                        gain = lm.BaseScore(state, word, out)
                    else:
                        gain = bucket[word] + penalty
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
        self._costs: dict[str, float] = {}

    # -- public -----------------------------------------------------------------------------------------

    def check(self, text: str, protect: Iterable[str] = (),
              is_established: Callable[[str], bool] | None = None) -> list[Finding]:
        """Typo findings for ``text``.

        ``protect`` are terms never corrected wherever they occur (user allowlist, frequent archive terms);
        ``is_established(snippet)`` may veto a correction whose original characters (the characters the
        proposed word replaces) are established usage, for example because they recur in the archive.
        A correction is also dropped when its original characters recur in the text itself.
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
                if self._consistent(text, correction, is_established):
                    continue
                finding = self._finding(text, correction)
                if finding is not None:
                    findings.append(finding)
        return findings

    @staticmethod
    def _consistent(text: str, correction: Correction,
                    is_established: Callable[[str], bool] | None) -> bool:
        """Whether the original characters are intended: written the same way elsewhere in the text
        (a term such as 师德 repeated; a typo rarely is), or established in the archive."""
        original = correction.context
        if len(original) < 2:
            return False
        if text.count(original) >= 2:
            return True
        return bool(is_established and is_established(original))

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
        """Proposals for one run; confident substitutions are applied and the run is checked again, since
        a wrong character next to another spoils the context both are judged in."""
        original = text[run_start:run_end]
        run = original
        locked = [guarded[run_start + i] for i in range(len(run))]
        kept: list[Correction] = []
        for _ in range(1 + self.settings.rounds):
            found = self._proposals(run, original, run_start, locked)
            if not found:
                break
            kept += found
            confident = [c for c in found if c.kind == "char" and c.gain >= self.settings.error_margin]
            if not confident:
                break
            chars = list(run)
            for c in found:
                for k in range(max(0, c.start - run_start - 1), min(len(run), c.end - run_start + 1)):
                    locked[k] = True
            for c in confident:
                chars[c.start - run_start:c.end - run_start] = c.replacement
            run = "".join(chars)
        return kept

    def _proposals(self, run: str, original: str, run_start: int, locked: list[bool]) -> list[Correction]:
        s = self.settings
        floor = {"char": s.info_margin if s.info_margin is not None else s.error_margin,
                 "extra": s.extra_info_margin if s.extra_info_margin is not None else s.extra_error_margin,
                 "missing": s.missing_info_margin if s.missing_info_margin is not None else s.missing_error_margin}
        short = s.short_run_cost if len(run) <= 4 else 0.0
        suspicious = self.suspicious(run)
        open_ = [suspicious[i] and not locked[i] for i in range(len(run))]
        proposals: list[Correction] = []

        def propose(kind: str, start: int, end: int, replacement: str, gain: float, orig: tuple[int, int],
                    word: str) -> None:
            gain -= short
            if gain < floor[kind]:
                return
            proposals.append(Correction(kind, run_start + start, run_start + end, replacement, gain,
                                        original[orig[0]:orig[1]], {"word": word}))

        for i in range(len(run)):
            if not open_[i]:
                continue
            best = self._best_substitution(run, i)
            if best is not None and best[1] >= floor["char"]:
                char, gain, (a, b) = best
                propose("char", i, i + 1, char, gain, (a, b), run[a:i] + char + run[i + 1:b])
            deletion = self._deletion_gain(run, i)
            if deletion is not None and deletion[0] >= floor["extra"]:
                gain, word = deletion
                propose("extra", i, i + 1, "", gain, (max(0, i - 1), min(len(run), i + 2)), word)
            if i > 0 and open_[i - 1]:
                pair = self._best_pair(run, i - 1)
                if pair is not None and pair[1] >= floor["char"]:
                    propose("char", i - 1, i + 1, pair[0], pair[1], (i - 1, i + 1), pair[0])
                insertion = self._best_insertion(run, i)
                if insertion is not None and insertion[1] >= floor["missing"]:
                    char, gain, word = insertion
                    propose("missing", i, i, char, gain, (i - 1, i + 1), word)
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

    def _best_substitution(self, run: str, i: int) -> tuple[str, float, tuple[int, int]] | None:
        """The confusable character at ``run[i]`` with the largest gain, with the span of the word it forms."""
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
        for char, span in candidates.items():
            gain = self._window_score(run, a, b, run[a:i] + char + run[i + 1:b]) - original
            gain -= self._candidate_cost(run[i], char)
            if best is None or gain > best[1]:
                best = (char, gain, span)
        return best

    def _best_pair(self, run: str, i: int) -> tuple[str, float] | None:
        """Both characters of ``run[i:i+2]`` replaced by a confusable two-character word (支招 -> 执照).

        Only the few likeliest words (dictionary frequency less the confusion costs) are scored.
        """
        assert self.resources is not None
        confusions, words = self.resources.confusions, self.resources.words
        if run[i] == run[i + 1]:
            return None  # 伙伙 in 团团伙伙: reduplication is deliberate
        first, second = confusions.get(run[i]), confusions.get(run[i + 1])
        if not first or not second:
            return None
        followers = self.resources.slots.followers
        costs = {}
        for c1 in first:
            for c2 in followers(c1) & second:
                cost1, cost2 = self._candidate_cost(run[i], c1), self._candidate_cost(run[i + 1], c2)
                if max(cost1, cost2) <= self.settings.pair_max_char_cost:
                    costs[c1 + c2] = cost1 + cost2
        if not costs:
            return None
        likely = sorted(costs, key=lambda w: costs[w] - words.get(w, -20.0))[:self.settings.pair_candidates]
        a, b = self._window(run, i, i + 2)
        original = self._window_score(run, a, b, run[a:b])
        best = None
        for word in likely:
            gain = self._window_score(run, a, b, run[a:i] + word + run[i + 2:b]) - original
            gain -= costs[word] + self.settings.pair_cost
            if best is None or gain > best[1]:
                best = (word, gain)
        return best

    def _candidate_cost(self, char: str, candidate: str) -> float:
        """Prior cost of a candidate: the fewer confusion sources agree on it, the more it must gain."""
        assert self.resources is not None
        key = char + candidate
        cost = self._costs.get(key)
        if cost is None:
            sources, fuzzy_only = self.resources.confusions.evidence(char, candidate)
            if fuzzy_only:
                cost = self.settings.fuzzy_only_cost
            elif sources <= 1:
                cost = self.settings.single_source_cost
            elif sources == 2:
                cost = self.settings.single_source_cost / 2
            else:
                cost = 0.0
            self._costs[key] = cost
        return cost

    def _word_forming(self, run: str, i: int, confusions: frozenset[str]) -> dict[str, tuple[int, int]]:
        """Candidates that make a word of 2-4 characters with the neighbours of ``run[i]``, with the span of
        that word in ``run`` (the longest kept)."""
        assert self.resources is not None
        fill = self.resources.slots.fill
        found: dict[str, tuple[int, int]] = {}
        n = len(run)
        for a in range(max(0, i - 3), i + 1):
            left = run[a:i]
            for b in range(max(i + 1, a + 2), min(n, a + 4) + 1):
                right = run[i + 1:b]
                for char in fill.get(left + "?" + right, ""):
                    if char in confusions and (char not in found or b - a > found[char][1] - found[char][0]):
                        found[char] = (a, b)
        return found

    def _deletion_gain(self, run: str, i: int) -> tuple[float, str] | None:
        """Gain of deleting ``run[i]`` when that joins its neighbours into a word of 3+ characters."""
        assert self.resources is not None
        is_word = self.resources.is_word
        doubled = i > 0 and run[i] == run[i - 1]
        if doubled and ((i >= 3 and run[i - 3] == run[i - 2]) or (i + 2 < len(run) and run[i + 1] == run[i + 2])):
            return None  # 团团伙伙, 干干净净: deliberate reduplication
        if not doubled and run[i] in _FUNCTION_CHARS:
            return None  # 教书与育人, 依法和依规: a joining word is style, not a typo
        if not doubled and any(is_word(run[a:a + n]) for n in (2, 3) for a in range(max(0, i - n + 1), i + 1)
                               if a + n <= len(run)):
            return None  # the character belongs to a word with a neighbour: not an extra one
        word = None
        for a in range(max(0, i - 3), i):
            for b in range(i + 2, min(len(run), i + 4) + 1):
                joined = run[a:i] + run[i + 1:b]
                if len(joined) >= self.settings.edit_min_word and is_word(joined):
                    if word is None or len(joined) > len(word):
                        word = joined
        if word is None and not doubled:
            return None
        a, b = self._window(run, i, i + 1)
        original = self._window_score(run, a, b, run[a:b])
        edited = self._window_score(run, a, b, run[a:i] + run[i + 1:b])
        bonus = self.settings.doubled_bonus if doubled else 0.0
        return edited - original + bonus, word or run[i - 1]

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
        margin = {"char": s.error_margin, "extra": s.extra_error_margin, "missing": s.missing_error_margin}[c.kind]
        error = c.gain >= margin
        severity = Severity.ERROR if error else Severity.INFO
        tier = "" if error else "疑似"
        word = str(c.data.get("word", ""))
        data = {"gain": round(c.gain, 2), "word": word, "replacement": c.replacement}
        if c.kind == "char":
            wrong = text[c.start:c.end]
            where = f"（“{word}”）" if word != c.replacement else ""
            return Finding("typo.char", severity, c.start, c.end,
                           f"{tier}错别字：“{wrong}”应为“{c.replacement}”{where}", c.replacement, data)
        if c.kind == "extra":
            wrong = text[c.start]
            before, after = text[max(0, c.start - 2):c.start], text[c.end:c.end + 2]
            if word == wrong:  # a doubled character
                message = f"{tier}多字：“{before}{wrong}{after}”中“{wrong}”重复，似应删去一个"
            else:
                message = f"{tier}多字：“{before}{wrong}{after}”中的“{wrong}”似应删去（“{word}”）"
            return Finding("typo.extra", severity, c.start, c.end, message, f"删去“{wrong}”", data)
        # missing: the span covers the two characters the insertion goes between
        start, end = c.start - 1, c.start + 1
        left, right = text[start], text[c.start]
        return Finding("typo.missing", severity, start, end,
                       f"{tier}漏字：“{left}”与“{right}”之间似缺“{c.replacement}”（“{word}”）",
                       f"{left}{c.replacement}{right}", data)
