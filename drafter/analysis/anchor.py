"""Keeping a comment anchored on a quoted span when the text is revised.

A reviewer comments on ``text[start:end]`` of one version. On a later version the same words may have moved,
appear several times, have been replaced as the reviewer suggested, or be gone. :func:`locate` finds the
quote again using the words around it and where the span should be after the edits.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Status = Literal["anchored", "applied", "outdated"]

#: Characters of context kept on each side of a quote.
CONTEXT_CHARS = 24
#: Quotes shorter than this need matching context (or exactly the expected position) to be trusted.
_SHORT_QUOTE = 6
#: Quotes shorter than this need matching context or to lie near the expected position: the same phrase
#: elsewhere in the text, with other words around it, is another place, not the annotated one.
_DISTINCT_QUOTE = 20
_NEAR_CHARS = 80


@dataclass(frozen=True)
class Anchor:
    """Where an annotation sits in a text: ``anchored`` on its quote, ``applied`` on the suggested
    replacement (the writer took the suggestion), or ``outdated`` when the quoted words are gone."""

    status: Status
    start: int | None = None
    end: int | None = None

    @property
    def placed(self) -> bool:
        """Whether the annotation can be shown on the text."""
        return self.start is not None


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The context kept with a quote: up to :data:`CONTEXT_CHARS` characters before and after it."""
    return text[max(0, start - CONTEXT_CHARS):start], text[end:end + CONTEXT_CHARS]


class OffsetMap:
    """Maps offsets of ``old`` to where they most likely are in ``new``, following unchanged lines.

    Build it once per pair of versions; :meth:`map` is then cheap for every annotation.
    """

    def __init__(self, old: str, new: str) -> None:
        self.same = old == new
        self.new_length = len(new)
        self.old_lines, self.new_lines = old.split("\n"), new.split("\n")
        self.old_starts, self.new_starts = _line_starts(self.old_lines), _line_starts(self.new_lines)
        self.opcodes = ([] if self.same else
                        SequenceMatcher(None, self.old_lines, self.new_lines, autojunk=False).get_opcodes())

    def map(self, offset: int) -> int:
        """The offset in ``new`` for ``offset`` in ``old``."""
        if self.same:
            return offset
        line = bisect.bisect_right(self.old_starts, offset) - 1
        column = offset - self.old_starts[line]
        for tag, i1, i2, j1, j2 in self.opcodes:
            if i1 <= line < i2:
                if tag == "equal":
                    return self.new_starts[j1 + line - i1] + column
                if j2 > j1:  # edited: the same share of the way through the replacement block
                    share = (line - i1) / max(i2 - i1, 1)
                    target = min(j1 + int(share * (j2 - j1)), j2 - 1)
                    return min(self.new_starts[target] + column,
                               self.new_starts[target] + len(self.new_lines[target]))
                return self.new_starts[j1] if j1 < len(self.new_starts) else self.new_length
        return min(offset, self.new_length)


def map_offset(old: str, new: str, offset: int) -> int:
    """Where ``offset`` of ``old`` most likely is in ``new`` (one-off form of :class:`OffsetMap`)."""
    return OffsetMap(old, new).map(offset)


def locate(quote: str, prefix: str, suffix: str, text: str, near: int | None = None,
           replacement: str | None = None) -> Anchor:
    """Find ``quote`` (with ``prefix``/``suffix`` context) in ``text``; ``near`` is the expected offset."""
    best = _best_occurrence(quote, prefix, suffix, text, near)
    if best is not None:
        return Anchor("anchored", best, best + len(quote))
    if replacement:
        best = _best_occurrence(replacement, prefix, suffix, text, near, need_context=True)
        if best is not None:
            return Anchor("applied", best, best + len(replacement))
    return Anchor("outdated")


def _best_occurrence(needle: str, prefix: str, suffix: str, text: str, near: int | None,
                     need_context: bool = False) -> int | None:
    if not needle:
        return None
    best: tuple[float, int] | None = None
    position = text.find(needle)
    while position != -1:
        before = _common_suffix(prefix, text[max(0, position - len(prefix)):position])
        after = _common_prefix(suffix, text[position + len(needle):position + len(needle) + len(suffix)])
        ctx = before + after
        distance = abs(position - near) if near is not None else 0
        if need_context:
            trusted = ctx >= min(4, len(prefix) + len(suffix)) or (ctx >= 1 and distance <= 2)
        elif len(needle) < _SHORT_QUOTE:
            trusted = ctx >= 2 or distance <= 2
        elif len(needle) < _DISTINCT_QUOTE:
            trusted = ctx >= 2 or distance <= _NEAR_CHARS
        else:
            trusted = True
        if trusted:
            score = ctx * 1000 - distance
            if best is None or score > best[0]:
                best = (score, position)
        position = text.find(needle, position + 1)
    return best[1] if best else None


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def _line_starts(lines: list[str]) -> list[int]:
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    return starts
