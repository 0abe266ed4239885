"""How well the critique-meeting ranking recovers a known truth, and how honest its uncertainty is.

Simulated meetings (drafter.analysis.ranking_sim): 6 authors with two drafts each, critics of known severity
scoring a random share of the drafts that are not their own on a 1–5 rubric (4 criteria, whole points).
For each scenario, averaged over many seeds:

- Spearman correlation with the true quality: bias-corrected model, per-critic standardisation, plain mean;
- coverage of the 95 % rank intervals (share of drafts whose true rank lies inside);
- the reported reliability against the "true" one (squared correlation of estimate and truth);
- the same for Bradley–Terry over pairwise judgements;
- the time to rank a large meeting (40 drafts, 20 critics, 1000 bootstrap replicates), median of repeats.

Usage: python bench/ranking_bench.py [--seeds 40] [--repeats 7]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from drafter.analysis.ranking import rank_pairwise, rank_plain_mean, rank_ratings, rank_standardised, ranks_of, spearman
from drafter.analysis.ranking_sim import simulate_meeting

RUBRIC_SCENARIOS = [
    # (critics, coverage, severity sd, noise sd)
    (3, 0.7, 0.6, 0.6), (5, 0.7, 0.6, 0.6), (8, 0.7, 0.6, 0.6), (12, 0.7, 0.6, 0.6),
    (8, 1.0, 0.6, 0.6), (8, 0.5, 0.6, 0.6), (8, 0.5, 1.0, 0.6), (8, 0.7, 0.0, 0.6), (8, 0.7, 0.6, 1.2),
]
PAIR_SCENARIOS = [2, 5, 10, 20, 40]  # judgements per draft


def _corr(truth: dict, ranking) -> float:  # type: ignore[no-untyped-def]
    items = list(truth)
    return spearman([truth[i] for i in items],
                    [ranking.get(i).score if ranking.get(i) else -1e9 for i in items])


def _coverage_and_r2(truth: dict, ranking) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    items = [e.item for e in ranking.items]
    true_rank = dict(zip(truth, ranks_of(np.array(list(truth.values()))), strict=True))
    inside = np.mean([ranking.get(i).rank_low <= true_rank[i] <= ranking.get(i).rank_high for i in items])
    r = np.corrcoef([truth[i] for i in items], [ranking.get(i).score for i in items])[0, 1]
    return float(inside), float(r * r)


def rubric_table(seeds: int) -> None:
    print("| critics | coverage | severity sd | noise sd | Spearman corrected | standardised | plain mean "
          "| 95 % rank-interval coverage | reported reliability | true r² |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for critics, coverage, severity, noise in RUBRIC_SCENARIOS:
        rows = []
        for seed in range(seeds):
            m = simulate_meeting(n_raters=critics, coverage=coverage, severity_sd=severity, noise_sd=noise, seed=seed)
            ranked = rank_ratings(m.ratings, n_boot=500, seed=seed)
            cover, r2 = _coverage_and_r2(m.truth, ranked)
            rel = ranked.reliability if ranked.reliability is not None else float("nan")
            rows.append([_corr(m.truth, ranked), _corr(m.truth, rank_standardised(m.ratings)),
                         _corr(m.truth, rank_plain_mean(m.ratings)), cover, rel, r2])
        a = np.nanmean(np.array(rows), axis=0)
        print(f"| {critics} | {coverage:.0%} | {severity} | {noise} | {a[0]:.3f} | {a[1]:.3f} | {a[2]:.3f} "
              f"| {a[3]:.2f} | {a[4]:.2f} | {a[5]:.2f} |")


def pairwise_table(seeds: int) -> None:
    print("\n| judgements per draft | Spearman (Bradley–Terry) | 95 % rank-interval coverage | reported reliability "
          "| true r² |")
    print("|---|---|---|---|---|")
    for per_item in PAIR_SCENARIOS:
        rows = []
        for seed in range(seeds):
            m = simulate_meeting(judgements_per_item=per_item, seed=seed)
            ranked = rank_pairwise(list(m.truth), m.judgements, n_boot=500, seed=seed)
            cover, r2 = _coverage_and_r2(m.truth, ranked)
            rows.append([_corr(m.truth, ranked), cover, ranked.reliability, r2])
        a = np.mean(np.array(rows), axis=0)
        print(f"| {per_item} | {a[0]:.3f} | {a[1]:.2f} | {a[2]:.2f} | {a[3]:.2f} |")


def timing(repeats: int) -> None:
    big = simulate_meeting(n_authors=20, n_raters=20, coverage=0.8, judgements_per_item=20, seed=1)
    rubric, pairs = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        rank_ratings(big.ratings, n_boot=1000)
        rubric.append(time.perf_counter() - start)
        start = time.perf_counter()
        rank_pairwise(list(big.truth), big.judgements, n_boot=1000)
        pairs.append(time.perf_counter() - start)
    print(f"\nlarge meeting: {len(big.truth)} drafts, {len(big.ratings)} critiques, {len(big.judgements)} judgements; "
          f"median of {repeats}: rubric model + 1000 bootstrap replicates {statistics.median(rubric) * 1000:.0f} ms, "
          f"Bradley–Terry + 1000 posterior draws {statistics.median(pairs) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    rubric_table(args.seeds)
    pairwise_table(args.seeds)
    timing(args.repeats)


if __name__ == "__main__":
    main()
