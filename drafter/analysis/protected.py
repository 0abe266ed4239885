"""Protected text (受保护的文字): what formulaic checks never flag and never count as stock phrasing.

Quotations “…”, titles 《…》, fixed names of policies and political formulas, congress and plenum names,
campaign names ending in 专项行动、攻坚战、战略 … and the required formulas of the genre
(现将有关事项通知如下 …), from ``data/formulaic/protected.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from drafter.analysis.lexicon import read_data
from drafter.analysis.matcher import Match, PhraseMatcher

_QUOTED = re.compile(r"“[^“”\n]{1,80}”|‘[^‘’\n]{1,40}’|「[^「」\n]{1,80}」|『[^『』\n]{1,80}』|《[^《》\n]{1,80}》"
                     r"|〈[^〈〉\n]{1,60}〉|\"[^\"\n]{1,80}\"")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@lru_cache(maxsize=1)
def _protected_data() -> tuple[PhraseMatcher, re.Pattern[str], re.Pattern[str], tuple[str, ...]]:
    data = read_data("protected.yaml")
    matcher = PhraseMatcher(phrases=[(term, "protected") for term in data["terms"]])
    suffixes = sorted(data["campaign_suffixes"], key=len, reverse=True)
    return (matcher, re.compile(data["meeting_pattern"]), re.compile("|".join(map(re.escape, suffixes))),
            tuple(data["boundary_words"]))


def protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans never flagged: quotations, titles, fixed policy terms and campaign names; merged, in order."""
    spans = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    matcher, meeting_re, suffix_re, boundaries = _protected_data()
    spans += [(m.start, m.end) for m in matcher.find(text)]
    spans += [(m.start(), m.end()) for m in meeting_re.finditer(text)]
    for m in suffix_re.finditer(text):
        start = _campaign_start(text, m.start(), boundaries)
        if start is not None:
            spans.append((start, m.end()))
    return _merge(spans)


def _campaign_start(text: str, suffix_at: int, boundaries: tuple[str, ...]) -> int | None:
    """Left edge of the campaign name that ends at ``suffix_at``, or None when there is no name."""
    left = suffix_at
    while left > 0 and suffix_at - left < 12 and _CJK.match(text[left - 1]):
        left -= 1
    window = text[left:suffix_at]
    cut = 0
    for word in boundaries:
        at = window.rfind(word)
        if at >= 0:
            cut = max(cut, at + len(word))
    name_start = left + cut
    return name_start if suffix_at - name_start >= 2 else None


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class Protection:
    """Fast "is this span protected?" over merged, sorted spans."""

    def __init__(self, spans: list[tuple[int, int]], length: int) -> None:
        self.spans = spans
        self.mask = bytearray(length + 1)
        for start, end in spans:
            self.mask[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return any(self.mask[start:end])


def is_protected(match: Match, protection: Protection) -> bool:
    """Whether a phrase touches protected text (for a frame, its own words: 开创“十五五”新局面 is flagged)."""
    return any(protection.overlaps(a, b) for a, b in match.anchors)
