"""The ranking maths on simulated critics with a known truth: accuracy, bias correction, honest uncertainty."""

import math

import numpy as np
import pytest

from drafter.analysis.ranking import (
    Judgement,
    Rating,
    fit_additive,
    fit_bradley_terry,
    quality_map,
    rank_pairwise,
    rank_plain_mean,
    rank_ratings,
    rank_standardised,
    ranks_of,
    reliability_of,
    spearman,
)
from drafter.analysis.ranking_sim import simulate_meeting

SEEDS = range(12)


def _truth_correlation(meeting, ranking) -> float:
    items = list(meeting.truth)
    scores = [ranking.get(i).score if ranking.get(i) else float("-inf") for i in items]
    return spearman([meeting.truth[i] for i in items], scores)


@pytest.mark.parametrize("n_raters", [8, 12])
def test_corrected_ranking_follows_the_truth_with_eight_or_more_critics(n_raters):
    values = [_truth_correlation(m, rank_ratings(m.ratings, n_boot=0))
              for m in (simulate_meeting(n_raters=n_raters, seed=s) for s in SEEDS)]
    assert np.mean(values) >= 0.9
    assert np.median(values) >= 0.9


def test_bias_correction_beats_the_plain_mean_when_critics_are_biased():
    corrected, plain, standardised = [], [], []
    for seed in SEEDS:
        m = simulate_meeting(n_raters=8, coverage=0.5, severity_sd=1.0, seed=seed)
        corrected.append(_truth_correlation(m, rank_ratings(m.ratings, n_boot=0)))
        plain.append(_truth_correlation(m, rank_plain_mean(m.ratings)))
        standardised.append(_truth_correlation(m, rank_standardised(m.ratings)))
    assert np.mean(corrected) > np.mean(plain) + 0.03
    assert np.mean(standardised) > np.mean(plain)
    assert sum(c >= p for c, p in zip(corrected, plain, strict=True)) >= len(corrected) * 0.75


def test_a_lenient_critic_no_longer_lifts_the_drafts_they_scored():
    # Two equal drafts; the lenient critic scores only A, the severe one only B, a fair one both.
    ratings = [Rating("lenient", "A", 4.8), Rating("lenient", "C", 4.0), Rating("severe", "B", 2.8),
               Rating("severe", "C", 2.0), Rating("fair", "A", 3.6), Rating("fair", "B", 3.6), Rating("fair", "C", 3.0)]
    plain = rank_plain_mean(ratings)
    corrected = rank_ratings(ratings, n_boot=0)
    assert plain.get("A").score - plain.get("B").score > 0.9
    assert abs(corrected.get("A").score - corrected.get("B").score) < 0.3
    assert corrected.rater_effects["lenient"] > 0.4 > -0.4 > corrected.rater_effects["severe"]


def test_without_bias_the_correction_costs_nothing():
    values = [(_truth_correlation(m, rank_ratings(m.ratings, n_boot=0)), _truth_correlation(m, rank_plain_mean(m.ratings)))
              for m in (simulate_meeting(n_raters=8, severity_sd=0.0, seed=s) for s in SEEDS)]
    corrected, plain = zip(*values, strict=True)
    assert np.mean(corrected) >= np.mean(plain) - 0.02


def test_alternating_means_agree_with_the_penalised_least_squares_solution():
    m = simulate_meeting(n_raters=9, coverage=0.6, seed=3)
    items, raters = sorted({r.item for r in m.ratings}), sorted({r.rater for r in m.ratings})
    i = np.array([items.index(r.item) for r in m.ratings])
    j = np.array([raters.index(r.rater) for r in m.ratings])
    y = np.array([r.score for r in m.ratings])
    fit = fit_additive(i, j, y, len(items), len(raters), shrinkage=1.5)
    direct = quality_map(i, j, len(items), len(raters), 1.5) @ y
    assert np.allclose(fit.quality, direct, atol=1e-6)
    assert abs(fit.severity.mean()) < 1e-9


def test_reliability_falls_when_judgements_are_few():
    many = [rank_ratings(simulate_meeting(n_raters=10, coverage=0.9, noise_sd=1.0, seed=s).ratings, n_boot=300,
                         seed=s).reliability for s in range(6)]
    few = [rank_ratings(simulate_meeting(n_raters=3, coverage=0.5, noise_sd=1.0, seed=s).ratings, n_boot=300,
                        seed=s).reliability for s in range(6)]
    few = [r if r is not None else 0.0 for r in few]
    assert np.mean(few) < np.mean(many) - 0.1
    pair_many = [rank_pairwise(list(m.truth), m.judgements, n_boot=300).reliability
                 for m in (simulate_meeting(judgements_per_item=30, seed=s) for s in range(6))]
    pair_few = [rank_pairwise(list(m.truth), m.judgements, n_boot=300).reliability
                for m in (simulate_meeting(judgements_per_item=3, seed=s) for s in range(6))]
    assert np.mean(pair_few) < np.mean(pair_many) - 0.2


def test_few_judgements_bring_a_plain_warning():
    m = simulate_meeting(n_raters=3, coverage=0.4, noise_sd=1.2, seed=1)
    ranking = rank_ratings(m.ratings, n_boot=200)
    text = "".join(ranking.warnings)
    assert "不足3份" in text
    assert ranking.reliability is None or ranking.reliability < 0.7 or "名次很不稳定" in text
    pairs = rank_pairwise(list(m.truth), simulate_meeting(judgements_per_item=2, seed=1).judgements, n_boot=200)
    assert any("不足10次" in w for w in pairs.warnings)
    assert any("可靠性" in w for w in pairs.warnings)


def test_rank_intervals_cover_the_true_rank_most_of_the_time():
    inside = total = 0
    for seed in range(10):
        m = simulate_meeting(n_raters=8, seed=seed)
        ranking = rank_ratings(m.ratings, n_boot=400, seed=seed)
        true_rank = dict(zip(m.truth, ranks_of(np.array(list(m.truth.values()))), strict=True))
        for e in ranking.items:
            inside += e.rank_low <= true_rank[e.item] <= e.rank_high
            total += 1
            assert e.rank_low <= e.rank <= e.rank_high
    assert inside / total >= 0.85


def test_bradley_terry_recovers_the_order_and_stays_finite_for_a_draft_that_always_won():
    m = simulate_meeting(judgements_per_item=40, seed=5)
    ranking = rank_pairwise(list(m.truth), m.judgements, n_boot=0)
    assert _truth_correlation(m, ranking) >= 0.85
    judgements = [Judgement("j", "A", "B", 1.0), Judgement("j", "A", "C", 1.0), Judgement("k", "B", "C", 0.5)]
    theta, covariance = fit_bradley_terry(3, np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([1.0, 1.0, 0.5]))
    assert np.all(np.isfinite(theta)) and theta[0] > theta[1] == pytest.approx(theta[2])
    assert np.all(np.diag(covariance) > 0)
    ranked = rank_pairwise(["A", "B", "C"], judgements, n_boot=200)
    assert ranked.items[0].item == "A" and ranked.items[0].raw == 1.0


def test_bradley_terry_gradient_is_zero_at_the_optimum():
    first, second = np.array([0, 1, 2, 0, 3]), np.array([1, 2, 3, 2, 0])
    outcome = np.array([1.0, 0.0, 1.0, 0.5, 1.0])
    theta, _ = fit_bradley_terry(4, first, second, outcome, prior=1.0)
    p = 1 / (1 + np.exp(-(theta[first] - theta[second])))
    grad = np.bincount(first, outcome - p, minlength=4) - np.bincount(second, outcome - p, minlength=4)
    grad += 1.0 * (1 - 2 / (1 + np.exp(-theta)))
    assert np.allclose(grad, 0, atol=1e-8)


def test_probability_that_one_draft_beats_another():
    ratings = [Rating(r, "good", 4.5 + 0.1 * k) for k, r in enumerate("abcdef")]
    ratings += [Rating(r, "poor", 2.0 + 0.1 * k) for k, r in enumerate("abcdef")]
    ratings += [Rating(r, "mid", 3.2 - 0.1 * k) for k, r in enumerate("abcdef")]
    ranking = rank_ratings(ratings, n_boot=300)
    assert ranking.prob_better("good", "poor") > 0.99
    assert ranking.prob_better("poor", "good") < 0.01
    assert ranking.prob_better("good", "missing") is None
    assert rank_plain_mean(ratings).prob_better("good", "poor") is None


def test_without_any_error_estimate_every_rank_is_possible():
    ranking = rank_ratings([Rating("a", "X", 4), Rating("b", "Y", 2)], n_boot=200)
    assert ranking.reliability is None
    assert all((e.rank_low, e.rank_high) == (1, 2) for e in ranking.items)
    assert any("无法估计" in w for w in ranking.warnings)


def test_edge_cases():
    assert rank_ratings([]).items == () and rank_ratings([]).warnings
    single = rank_ratings([Rating("a", "X", 3.0), Rating("b", "X", 4.0)])
    assert single.items[0].rank == 1 and single.reliability is None
    assert reliability_of(np.array([1.0]), np.array([0.1])) is None
    assert reliability_of(np.array([1.0, 1.0]), np.array([0.1, 0.1])) == 0.0
    assert reliability_of(np.array([0.0, 2.0]), np.array([0.0, 0.0])) == 1.0
    assert math.isnan(spearman([1, 1, 1], [1, 2, 3]))
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert spearman([1, 2, 2, 3], [3, 2, 2, 1]) == pytest.approx(-1.0)
    assert list(ranks_of(np.array([0.2, 0.9, 0.5]))) == [3, 1, 2]
