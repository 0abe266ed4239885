"""Differences between two versions of a text, paragraph by paragraph, then word by word inside paragraphs.

Chinese has no spaces, so a "word" here is one CJK character, one run of Latin letters or digits, or one
punctuation mark; small unchanged islands between two changes are folded into the change so the result reads
as whole phrases ("加强" → "切实加强") rather than as scattered single characters.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "insert", "delete"]
RowKind = Literal["equal", "changed", "added", "removed"]

_TOKEN = re.compile(r"[A-Za-z]+|[0-9]+(?:[.,][0-9]+)*|\s+|.", re.S)
#: Replace blocks larger than this (old × new paragraphs) are paired in order instead of by best match.
_MAX_PAIRING_CELLS = 400
#: Two paragraphs below this similarity are shown as one removed and one added rather than as an edit.
_MIN_PAIR_RATIO = 0.35
#: Paragraphs shorter than this are compared with difflib (bigram counts say little about a few characters).
_SHORT_LINE = 40
#: Unchanged islands of at most this many characters between two changes are folded into the change.
_FOLD_CHARS = 1


@dataclass(frozen=True)
class Segment:
    """A run of text that is the same in both versions, only in the new one, or only in the old one."""

    op: Op
    text: str


@dataclass(frozen=True)
class Row:
    """One paragraph of the comparison: ``old``/``new`` are the paragraph texts (None where absent)."""

    kind: RowKind
    old: str | None
    new: str | None
    segments: tuple[Segment, ...]

    def side(self, which: Literal["old", "new"]) -> list[Segment]:
        """The segments one side shows: the old side leaves out insertions, the new side deletions."""
        hidden = "insert" if which == "old" else "delete"
        return [s for s in self.segments if s.op != hidden]


@dataclass
class TextDiff:
    """The comparison of two texts with summary figures."""

    rows: list[Row] = field(default_factory=list)

    @property
    def inserted_chars(self) -> int:
        """Characters only in the new text."""
        return sum(len(s.text) for r in self.rows for s in r.segments if s.op == "insert")

    @property
    def deleted_chars(self) -> int:
        """Characters only in the old text."""
        return sum(len(s.text) for r in self.rows for s in r.segments if s.op == "delete")

    @property
    def changed_paragraphs(self) -> int:
        """Paragraphs edited, added or removed."""
        return sum(1 for r in self.rows if r.kind != "equal")

    @property
    def identical(self) -> bool:
        """Whether the texts have the same paragraphs."""
        return self.changed_paragraphs == 0


def tokens(text: str) -> list[str]:
    """Comparison units: single CJK characters and punctuation, Latin words, numbers, runs of blanks."""
    return _TOKEN.findall(text)


def diff_texts(old: str, new: str) -> TextDiff:
    """Compare two texts: paragraphs (lines) are aligned first, edited paragraphs are compared word by word."""
    old_lines, new_lines = _lines(old), _lines(new)
    result = TextDiff()
    matcher = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.rows.extend(Row("equal", line, line, (Segment("equal", line),)) for line in old_lines[i1:i2])
        elif tag == "delete":
            result.rows.extend(_removed(line) for line in old_lines[i1:i2])
        elif tag == "insert":
            result.rows.extend(_added(line) for line in new_lines[j1:j2])
        else:
            result.rows.extend(_pair_block(old_lines[i1:i2], new_lines[j1:j2]))
    return result


def diff_words(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level segments turning ``old`` into ``new`` (one paragraph each, typically)."""
    a, b = tokens(old), tokens(new)
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            raw.append(Segment("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                raw.append(Segment("delete", "".join(a[i1:i2])))
            if j2 > j1:
                raw.append(Segment("insert", "".join(b[j1:j2])))
    return tuple(_coalesce(_fold_islands(raw)))


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def _removed(line: str) -> Row:
    return Row("removed", line, None, (Segment("delete", line),))


def _added(line: str) -> Row:
    return Row("added", None, line, (Segment("insert", line),))


def _bigrams(text: str) -> Counter[str]:
    return Counter(text[i:i + 2] for i in range(len(text) - 1)) if len(text) > 1 else Counter(text)


def _ratio(a: str, b: str, a_grams: Counter[str] | None = None, b_grams: Counter[str] | None = None) -> float:
    """Similarity of two paragraphs. Short ones: difflib's ratio. Long ones: the Dice coefficient of their
    character bigrams, in linear time (an edit inside a paragraph keeps it high; two different paragraphs on
    the same subject stay low)."""
    if len(a) < _SHORT_LINE or len(b) < _SHORT_LINE:
        return SequenceMatcher(None, a, b, autojunk=False).ratio()
    a_grams = a_grams if a_grams is not None else _bigrams(a)
    b_grams = b_grams if b_grams is not None else _bigrams(b)
    total = sum(a_grams.values()) + sum(b_grams.values())
    return 2 * sum((a_grams & b_grams).values()) / total if total else 1.0


def _pair_block(old: list[str], new: list[str]) -> list[Row]:
    """Rows for a block of old paragraphs replaced by new ones: similar paragraphs are shown as edits."""
    if len(old) * len(new) > _MAX_PAIRING_CELLS:
        pairs = [(i, i) for i in range(min(len(old), len(new))) if _ratio(old[i], new[i]) >= _MIN_PAIR_RATIO]
    else:
        pairs = _best_pairs(old, new)
    rows: list[Row] = []
    i = j = 0
    for pi, pj in pairs + [(len(old), len(new))]:
        rows.extend(_removed(line) for line in old[i:pi])
        rows.extend(_added(line) for line in new[j:pj])
        if pi < len(old) and pj < len(new):
            rows.append(Row("changed", old[pi], new[pj], diff_words(old[pi], new[pj])))
        i, j = pi + 1, pj + 1
    return rows


def _best_pairs(old: list[str], new: list[str]) -> list[tuple[int, int]]:
    """Order-preserving pairing of paragraphs maximising total similarity (a small alignment DP)."""
    n, m = len(old), len(new)
    old_grams, new_grams = [_bigrams(line) for line in old], [_bigrams(line) for line in new]
    ratio = [[_ratio(old[i], new[j], old_grams[i], new_grams[j]) for j in range(m)] for i in range(n)]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = ratio[i][j] + score[i + 1][j + 1] if ratio[i][j] >= _MIN_PAIR_RATIO else -1.0
            score[i][j] = max(take, score[i + 1][j], score[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if ratio[i][j] >= _MIN_PAIR_RATIO and score[i][j] == ratio[i][j] + score[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif score[i][j] == score[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def _fold_islands(segments: list[Segment]) -> list[Segment]:
    """Turn a tiny unchanged island between two changes into part of the change (delete + insert)."""
    result: list[Segment] = []
    for index, seg in enumerate(segments):
        between_changes = (0 < index < len(segments) - 1 and segments[index - 1].op != "equal"
                           and segments[index + 1].op != "equal")
        if seg.op == "equal" and between_changes and len(seg.text) <= _FOLD_CHARS and seg.text.strip():
            result.extend((Segment("delete", seg.text), Segment("insert", seg.text)))
        else:
            result.append(seg)
    return result


def _coalesce(segments: list[Segment]) -> list[Segment]:
    """Merge each run of changes into one deletion followed by one insertion; merge equal neighbours."""
    result: list[Segment] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            result.append(Segment("delete", "".join(deleted)))
        if inserted:
            result.append(Segment("insert", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for seg in segments:
        if seg.op == "delete":
            deleted.append(seg.text)
        elif seg.op == "insert":
            inserted.append(seg.text)
        else:
            flush()
            if result and result[-1].op == "equal":
                result[-1] = Segment("equal", result[-1].text + seg.text)
            elif seg.text:
                result.append(seg)
    flush()
    return result
