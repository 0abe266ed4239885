"""Concreteness (具体程度) of a sentence: cues a reader could check.

Numbers, dates and deadlines, amounts and ratios, named places, responsible bodies and people, named
documents, explicit rules and countable actions, each found by the words and patterns of
``data/formulaic/concreteness.yaml``. A sentence's concreteness is ``1 - exp(-Σ weight / scale)`` over its
cues, each kind counted at most ``cap`` times: 0 for a sentence without any, near 1 for one with several.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from drafter.analysis.lexicon import read_data


@dataclass(frozen=True)
class Cue:
    """A piece of concrete content: ``kind`` (number, time, amount, place, owner …) at ``[start, end)``."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class _CueKind:
    kind: str
    label: str
    weight: float
    regex: re.Pattern[str] | None
    exclude: frozenset[str]


@lru_cache(maxsize=1)
def _concreteness_data() -> tuple[float, int, tuple[_CueKind, ...]]:
    data = read_data("concreteness.yaml")
    kinds = []
    for kind, spec in data["kinds"].items():
        parts = [re.escape(w) for w in sorted(spec.get("words", []), key=len, reverse=True)]
        parts += spec.get("patterns", [])
        regex = re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None
        kinds.append(_CueKind(kind, spec["label"], float(spec["weight"]), regex, frozenset(spec.get("exclude", []))))
    return float(data["scale"]), int(data["cap"]), tuple(kinds)


def cue_labels() -> dict[str, str]:
    """Chinese name of every kind of concrete cue."""
    return {k.kind: k.label for k in _concreteness_data()[2]}


def concreteness_cues(text: str, start: int = 0, end: int | None = None,
                      kinds: Iterable[str] | None = None) -> list[Cue]:
    """Concrete content found in ``text[start:end]``, by kind (all kinds, or only ``kinds``)."""
    end = len(text) if end is None else end
    wanted = set(kinds) if kinds is not None else None
    cues = []
    for kind in _concreteness_data()[2]:
        if kind.regex is None or (wanted is not None and kind.kind not in wanted):
            continue
        for m in kind.regex.finditer(text, start, end):
            if kind.exclude and any(m.group().endswith(x) for x in kind.exclude):
                continue
            cues.append(Cue(kind.kind, m.start(), m.end()))
    return cues


def concreteness(cues: Iterable[Cue]) -> float:
    """Concreteness 0 to 1 from cues: each kind counts at most ``cap`` times, weighted and saturated."""
    scale, cap, kinds = _concreteness_data()
    weights = {k.kind: k.weight for k in kinds}
    counts: dict[str, int] = {}
    for cue in cues:
        counts[cue.kind] = counts.get(cue.kind, 0) + 1
    total = sum(weights[k] * min(n, cap) for k, n in counts.items())
    return 1.0 - math.exp(-total / scale)
