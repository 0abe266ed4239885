"""Ranking arithmetic of hybrid search, pure: sentence hits to paragraph rankings, fusion of the keyword and
embedding rankings, and the highlighted snippet of a hit.

Fusion works on ranks (reciprocal rank fusion) or on min-max normalised scores; both avoid comparing a raw
BM25 score or a raw cosine with a threshold (e5 cosines are bunched between 0.75 and 0.97).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

#: The constant of reciprocal rank fusion (Cormack et al. use 60).
RRF_K = 60
#: Keyword evidence gate: below this share of the query's bigrams in the best keyword sentence the keyword
#: ranking gets no say; above the upper bound it counts fully (measured in docs/benchmarks.md).
GATE_LOW, GATE_HIGH = 0.3, 0.6


@dataclass(frozen=True)
class RankedItem:
    """A paragraph (or any key) with its best score in one method and the sentence that gave it."""

    key: Hashable
    score: float
    best: Hashable


def best_per_group(hits: Iterable[tuple[Hashable, float]], group_of: Mapping[Hashable, Hashable]) -> list[RankedItem]:
    """Group sentence hits ``(sentence, score)`` by ``group_of[sentence]`` (a paragraph), keep each group's
    best score, best first. Hits without a group are dropped."""
    best: dict[Hashable, RankedItem] = {}
    for sentence, score in hits:
        key = group_of.get(sentence)
        if key is None:
            continue
        if key not in best or score > best[key].score:
            best[key] = RankedItem(key, score, sentence)
    return sorted(best.values(), key=lambda item: -item.score)


def reciprocal_rank_fusion(rankings: Mapping[str, Sequence[Hashable]], weights: Mapping[str, float] | None = None,
                           k: int = RRF_K) -> dict[Hashable, float]:
    """Sum over methods of ``weight / (k + rank)`` (rank from 1)."""
    fused: dict[Hashable, float] = {}
    for method, keys in rankings.items():
        weight = (weights or {}).get(method, 1.0)
        for rank, key in enumerate(keys, start=1):
            fused[key] = fused.get(key, 0.0) + weight / (k + rank)
    return fused


def normalised_score_fusion(scores: Mapping[str, Mapping[Hashable, float]],
                            weights: Mapping[str, float] | None = None) -> dict[Hashable, float]:
    """Sum over methods of ``weight * (score - min) / (max - min)`` over that method's candidates."""
    fused: dict[Hashable, float] = {}
    for method, by_key in scores.items():
        if not by_key:
            continue
        weight = (weights or {}).get(method, 1.0)
        low, high = min(by_key.values()), max(by_key.values())
        span = high - low
        for key, score in by_key.items():
            norm = (score - low) / span if span > 0 else 1.0
            fused[key] = fused.get(key, 0.0) + weight * norm
    return fused


def fuse(ranked: Mapping[str, Sequence[RankedItem]], method: str = "rrf",
         weights: Mapping[str, float] | None = None) -> list[tuple[Hashable, float]]:
    """Fused ``(key, score)`` list, best first, from per-method rankings (``rrf`` or ``score``)."""
    if method == "rrf":
        fused = reciprocal_rank_fusion({m: [i.key for i in items] for m, items in ranked.items()}, weights)
    elif method == "score":
        fused = normalised_score_fusion({m: {i.key: i.score for i in items} for m, items in ranked.items()}, weights)
    else:
        raise ValueError(f"unknown fusion method {method!r}")
    order: dict[Hashable, int] = {}
    for items in ranked.values():
        for item in items:
            order.setdefault(item.key, len(order))
    return sorted(fused.items(), key=lambda kv: (-kv[1], order.get(kv[0], 0)))


def max_fused_score(methods: int, weights: Mapping[str, float] | None = None, method: str = "rrf") -> float:
    """The best possible fused score of one item (first in every method), to scale scores into 0..1."""
    total = sum((weights or {}).values()) if weights else float(methods)
    return total / (RRF_K + 1) if method == "rrf" else total


def segments(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, bool]]:
    """``text`` cut into ``(piece, highlighted)`` runs by sorted, non-overlapping ``spans``."""
    out: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in spans:
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        if start > cursor:
            out.append((text[cursor:start], False))
        out.append((text[start:end], True))
        cursor = end
    if cursor < len(text):
        out.append((text[cursor:], False))
    return out


def snippet_window(length: int, focus: tuple[int, int] | None, width: int = 160) -> tuple[int, int]:
    """A ``[start, end)`` window of at most ``width`` characters around ``focus`` (a span), or the start."""
    if length <= width:
        return 0, length
    if focus is None:
        return 0, width
    centre = (focus[0] + focus[1]) // 2
    start = max(0, min(centre - width // 2, length - width))
    return start, start + width


def coverage(query_grams: Iterable[str], text_grams: Iterable[str]) -> float:
    """Share of the query's distinct bigrams that occur in a text."""
    wanted = set(query_grams)
    return len(wanted & set(text_grams)) / len(wanted) if wanted else 0.0


def keyword_weight(best_coverage: float, low: float = GATE_LOW, high: float = GATE_HIGH) -> float:
    """Weight of the keyword ranking in the fusion, from how much of the query its best hit holds.

    A reworded query whose words the archive does not share still finds sentences with one or two common
    words; ranking by them only pushes the meaning-based results down. So the keyword ranking counts fully
    when its best sentence holds most of the query (``>= high``), not at all when it holds little (``<= low``).
    """
    if high <= low:
        return 1.0 if best_coverage >= high else 0.0
    return min(max((best_coverage - low) / (high - low), 0.0), 1.0)
