"""Fast matching of many literal phrases and head…tail frames in Chinese text.

Plain substrings, not regular-expression word boundaries (``\\b`` means nothing in Chinese). Candidates are
indexed by their first two characters, so one pass over the text costs one dictionary look-up per
position whatever the number of phrases.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from drafter.analysis.lexicon import FRAME_GAP, Entry

#: Characters after which a ``clause_end`` phrase stands at the end of its clause.
CLAUSE_END = frozenset("，。；：！？、,;:!?\n…—）)”’」』》")
#: Characters the gap of a frame never spans (a quoted name inside the gap is fine: 开创“十五五”新局面).
FRAME_STOP = frozenset("，。；：！？,;:!?\n")


@dataclass(frozen=True)
class Match:
    """A phrase found at ``[start, end)``; ``anchors`` are the spans of its own words (a frame's gap excluded)."""

    start: int
    end: int
    key: str
    anchors: tuple[tuple[int, int], ...]

    @property
    def anchor_chars(self) -> int:
        """Characters that belong to the phrase itself."""
        return sum(b - a for a, b in self.anchors)


@dataclass(frozen=True)
class _Pattern:
    key: str
    head: str
    tail: str | None = None
    clause_end: bool = False


class PhraseMatcher:
    """Finds the phrases and frames of lexicon entries, plus any extra ``(phrase, key)`` pairs."""

    def __init__(self, entries: Iterable[Entry] = (), phrases: Iterable[tuple[str, str]] = ()) -> None:
        self._index: dict[str, list[_Pattern]] = {}
        for entry in entries:
            for phrase in entry.phrases:
                self._add(_Pattern(entry.id, phrase, None, entry.clause_end))
            for frame in entry.frames:
                self._add(_Pattern(entry.id, frame.head, frame.tail))
        for phrase, key in phrases:
            if len(phrase) >= 2:
                self._add(_Pattern(key, phrase))
        for patterns in self._index.values():
            patterns.sort(key=lambda p: -len(p.head))

    def _add(self, pattern: _Pattern) -> None:
        self._index.setdefault(pattern.head[:2], []).append(pattern)

    def __bool__(self) -> bool:
        return bool(self._index)

    def find_all(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Every match inside ``text[start:end]``, overlapping ones included, in order of start."""
        end = len(text) if end is None else end
        index = self._index
        found: list[Match] = []
        for i in range(start, end - 1):
            patterns = index.get(text[i:i + 2])
            if not patterns:
                continue
            for pattern in patterns:
                head_end = i + len(pattern.head)
                if head_end > end or not text.startswith(pattern.head, i):
                    continue
                if pattern.tail is None:
                    if pattern.clause_end and head_end < end and text[head_end] not in CLAUSE_END:
                        continue
                    found.append(Match(i, head_end, pattern.key, ((i, head_end),)))
                    continue
                tail_at = self._find_tail(text, head_end, end, pattern.tail)
                if tail_at is not None:
                    stop = tail_at + len(pattern.tail)
                    found.append(Match(i, stop, pattern.key, ((i, head_end), (tail_at, stop))))
        return found

    @staticmethod
    def _find_tail(text: str, pos: int, end: int, tail: str) -> int | None:
        limit = min(end, pos + FRAME_GAP + len(tail))
        stop = pos
        while stop < limit and text[stop] not in FRAME_STOP:
            stop += 1
        at = text.find(tail, pos, stop)
        return None if at < 0 else at

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Match]:
        """Non-overlapping matches, leftmost first and longest at each start."""
        return select_non_overlapping(self.find_all(text, start, end))


def select_non_overlapping(matches: Iterable[Match]) -> list[Match]:
    """Keep the leftmost, then longest, match of every overlapping group."""
    chosen: list[Match] = []
    last_end = -1
    for match in sorted(matches, key=lambda m: (m.start, -(m.end - m.start))):
        if match.start >= last_end:
            chosen.append(match)
            last_end = match.end
    return chosen


def select_maximal(matches: Iterable[Match]) -> list[Match]:
    """Drop every match that lies inside a longer one; partly overlapping matches are all kept."""
    kept: list[Match] = []
    for match in sorted(matches, key=lambda m: (-(m.end - m.start), m.start)):
        if not any(k.start <= match.start and match.end <= k.end for k in kept):
            kept.append(match)
    return sorted(kept, key=lambda m: (m.start, m.end))
