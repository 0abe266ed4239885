"""Choosing pairs for comparative judgement: never one's own draft, never a pair twice, even coverage."""

from itertools import combinations

import pytest

from drafter.analysis.pairing import next_pair, round_robin_schedule

ITEMS = ["a1", "a2", "b1", "b2", "c1", "c2"]
OWNERS = {"a1": "A", "a2": "A", "b1": "B", "b2": "B", "c1": "C", "c2": "C"}


@pytest.mark.parametrize("n", [2, 3, 6, 7])
def test_round_robin_schedule_has_every_pair_once(n):
    pairs = round_robin_schedule(n)
    assert sorted(pairs) == sorted(combinations(range(n), 2))


def _run(mode: str, judges: list[str], rounds: int) -> tuple[dict, dict]:
    counts = dict.fromkeys(ITEMS, 0)
    pair_counts: dict = {}
    done = {j: set() for j in judges}
    for _ in range(rounds):
        for judge in judges:
            pair = next_pair(ITEMS, OWNERS, judge, done[judge], pair_counts, counts, target=4, mode=mode)
            if pair is None:
                continue
            assert OWNERS[pair[0]] != judge and OWNERS[pair[1]] != judge
            key = frozenset(pair)
            assert key not in done[judge]
            done[judge].add(key)
            pair_counts[key] = pair_counts.get(key, 0) + 1
            for item in pair:
                counts[item] += 1
    return counts, done


@pytest.mark.parametrize("mode", ["adaptive", "round_robin"])
def test_pairs_spread_evenly_and_run_out_when_everything_is_judged(mode):
    counts, done = _run(mode, ["A", "B", "C"], rounds=3)
    assert max(counts.values()) - min(counts.values()) <= 2
    counts, done = _run(mode, ["A", "B", "C"], rounds=20)
    for judge, pairs in done.items():  # each judge saw every pair of the other four drafts: C(4, 2) = 6
        assert len(pairs) == 6
        assert next_pair(ITEMS, OWNERS, judge, pairs, {}, counts, target=4, mode=mode) is None


def test_adaptive_prefers_close_drafts_among_equally_judged_pairs():
    strengths = {"a1": 0.0, "a2": 0.05, "b1": 3.0, "b2": -3.0, "c1": 1.5, "c2": -1.5}
    pair = next_pair(ITEMS, OWNERS, "B", set(), {}, dict.fromkeys(ITEMS, 0), target=4, strengths=strengths)
    assert set(pair) == {"a1", "a2"}
    # drafts still short of the target come first
    counts = {"a1": 9, "a2": 9, "b1": 0, "b2": 0, "c1": 1, "c2": 9}
    pair = next_pair(ITEMS, OWNERS, "A", set(), {}, counts, target=4, strengths=strengths)
    assert set(pair) == {"b1", "b2"}
