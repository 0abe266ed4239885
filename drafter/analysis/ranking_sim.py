"""Simulated critique meetings with a known truth, to validate :mod:`drafter.analysis.ranking`.

Every author nominates two drafts (最满意 / 最不满意) of known true quality; critics of known severity
(lenient or severe) score a random share of the drafts that are not their own on a 1–5 rubric, with noise
and rounding to whole points; judges compare random pairs of drafts that are not their own, the better
draft winning with the Bradley–Terry probability. Used by the tests and ``bench/ranking_bench.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from drafter.analysis.ranking import Judgement, Rating


@dataclass(frozen=True)
class SimulatedMeeting:
    """The truth and what the critics said."""

    #: True quality of each draft (on the score scale, 0 = an average draft).
    truth: dict[str, float]
    #: True severity of each critic (+ lenient, − severe).
    severity: dict[str, float]
    #: Author of each draft.
    authors: dict[str, str]
    #: One rating per critic and draft: the mean of the criterion scores.
    ratings: tuple[Rating, ...]
    #: The criterion scores behind them: (critic, draft, criterion index, whole points 1–5).
    criterion_scores: tuple[tuple[str, str, int, int], ...]
    judgements: tuple[Judgement, ...]


def simulate_meeting(n_authors: int = 6, n_raters: int = 8, coverage: float = 0.7, quality_sd: float = 0.8,
                     severity_sd: float = 0.6, noise_sd: float = 0.6, criteria: int = 4,
                     judgements_per_item: int = 0, pair_scale: float = 2.0, seed: int = 0) -> SimulatedMeeting:
    """A meeting of ``n_authors`` authors with two drafts each and ``n_raters`` critics.

    The first critics are the authors themselves (they never score their own drafts); critics beyond
    ``n_authors`` are colleagues without drafts. Each critic scores each draft they may score with
    probability ``coverage`` (at least one). Scores are ``3 + quality + severity + criterion detail + noise``
    rounded to whole points and clipped to 1–5. Each draft takes part in about ``judgements_per_item``
    pairwise comparisons, won by the better draft with probability ``1 / (1 + exp(−pair_scale · Δquality))``.
    """
    rng = np.random.default_rng(seed)
    authors = {f"d{a}-{kind}": f"a{a}" for a in range(n_authors) for kind in ("best", "worst")}
    items = list(authors)
    truth = {item: float(rng.normal(0, quality_sd)) for item in items}
    detail = {(item, k): float(rng.normal(0, 0.3)) for item in items for k in range(criteria)}
    raters = [f"a{r}" if r < n_authors else f"c{r}" for r in range(n_raters)]
    severity = {rater: float(rng.normal(0, severity_sd)) for rater in raters}
    ratings, scores = [], []
    for rater in raters:
        allowed = [item for item in items if authors[item] != rater]
        chosen = [item for item in allowed if rng.random() < coverage] or [allowed[int(rng.integers(len(allowed)))]]
        for item in chosen:
            points = []
            for k in range(criteria):
                raw = 3 + truth[item] + severity[rater] + detail[item, k] + rng.normal(0, noise_sd)
                points.append(int(min(max(round(raw), 1), 5)))
                scores.append((rater, item, k, points[-1]))
            ratings.append(Rating(rater, item, sum(points) / criteria))
    judgements = []
    total = n_authors * 2 * judgements_per_item // 2
    for _ in range(total):
        judge = raters[int(rng.integers(len(raters)))]
        allowed = [item for item in items if authors[item] != judge]
        a, b = rng.choice(len(allowed), size=2, replace=False)
        first, second = allowed[int(a)], allowed[int(b)]
        p = 1 / (1 + math.exp(-pair_scale * (truth[first] - truth[second])))
        judgements.append(Judgement(judge, first, second, 1.0 if rng.random() < p else 0.0))
    return SimulatedMeeting(truth, severity, authors, tuple(ratings), tuple(scores), tuple(judgements))
