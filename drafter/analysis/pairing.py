"""Choosing the next pair of drafts for comparative judgement (两两比较). Pure: keys in, a pair out.

A judge never sees a draft of their own and never the same pair twice. Two schedules:

- ``round_robin``: every pair of drafts in the order of a round-robin tournament (circle method), the pairs
  judged least often overall first, so the whole design fills evenly.
- ``adaptive``: drafts still short of the target number of judgements first, then the pair with the fewest
  judgements between them, then the two drafts closest in current strength (the most informative
  comparison for Bradley–Terry), ties broken by a seeded random order.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence


def round_robin_schedule(n: int) -> list[tuple[int, int]]:
    """Every pair of ``0..n-1`` once, in rounds where each index plays at most once (circle method)."""
    players: list[int | None] = list(range(n)) + ([None] if n % 2 else [])
    size = len(players)
    pairs: list[tuple[int, int]] = []
    for _ in range(size - 1):
        for i in range(size // 2):
            a, b = players[i], players[size - 1 - i]
            if a is not None and b is not None:
                pairs.append((min(a, b), max(a, b)))
        players = [players[0], players[-1], *players[1:-1]]
    return pairs


def next_pair(items: Sequence[Hashable], owners: Mapping[Hashable, Hashable], judge: Hashable,
              judged_by_judge: set[frozenset[Hashable]], pair_counts: Mapping[frozenset[Hashable], int],
              item_counts: Mapping[Hashable, int], target: int, mode: str = "adaptive",
              strengths: Mapping[Hashable, float] | None = None, seed: int = 0) -> tuple[Hashable, Hashable] | None:
    """The next pair for ``judge`` as (left, right), or None when they have judged every pair open to them.

    ``owners`` maps each draft to its author; ``judged_by_judge`` holds the pairs this judge has done;
    ``pair_counts`` and ``item_counts`` count all judges' judgements so far. The left/right order is random
    (seeded), so position does not favour either draft.
    """
    rng = random.Random(f"{seed}:{judge}:{len(judged_by_judge)}")
    allowed = [i for i, item in enumerate(items) if owners.get(item) != judge]
    best: tuple | None = None
    best_pair: tuple[Hashable, Hashable] | None = None
    schedule = round_robin_schedule(len(items))
    for position, (a, b) in enumerate(schedule):
        if a not in allowed or b not in allowed:
            continue
        pair = frozenset((items[a], items[b]))
        if pair in judged_by_judge:
            continue
        if mode == "round_robin":
            key: tuple = (pair_counts.get(pair, 0), position)
        else:
            short = (item_counts.get(items[a], 0) >= target) + (item_counts.get(items[b], 0) >= target)
            gap = abs((strengths or {}).get(items[a], 0.0) - (strengths or {}).get(items[b], 0.0))
            key = (short, pair_counts.get(pair, 0), item_counts.get(items[a], 0) + item_counts.get(items[b], 0),
                   round(gap, 2), rng.random())
        if best is None or key < best:
            best, best_pair = key, (items[a], items[b])
    if best_pair is None:
        return None
    return best_pair if rng.random() < 0.5 else (best_pair[1], best_pair[0])
