"""Fair ranking of drafts from peer critique (文稿点评交流会), with honest uncertainty.

Two kinds of evidence, two models:

- **Rubric scores** (each critic gives each draft 1–5 on every criterion). Critics differ in severity: a
  lenient colleague gives everything a 4, a severe one a 2. When critics score different subsets of the
  drafts (nobody scores their own, not everyone finishes), the plain mean rewards drafts that happened to
  meet lenient critics. :func:`rank_ratings` fits the additive rater-severity model
  ``score = quality(draft) + severity(critic) + noise`` by least squares (alternating means, with an
  empirical-Bayes shrinkage of the severities of critics who scored few drafts), so a draft's corrected
  score is what an average critic would have given it. :func:`rank_standardised` (per-critic z-scores) and
  :func:`rank_plain_mean` are there for comparison.
- **Pairwise judgements** ("which of these two is better"): :func:`rank_pairwise` fits the Bradley–Terry
  model ``P(a beats b) = s_a / (s_a + s_b)`` (maximum a posteriori, Newton's method) with a weak prior (one
  virtual win and one virtual loss against an average draft), which keeps the strengths finite when a draft
  won every time.

Uncertainty is reported, not hidden: every ranking carries bootstrap standard errors, 95 % rank intervals
("第2–5名"), the probability that one draft beats another, and the scale-separation reliability
``R = (observed variance − error variance) / observed variance`` (the share of the spread between drafts
that is not noise; Rasch tradition), with plain Chinese warnings when there are too few judgements to
separate the drafts.

Pure: numbers in, dataclasses out (numpy only). Item and rater keys are any hashable values.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Bootstrap replicates for intervals and reliability.
DEFAULT_BOOT = 1000
#: Fewer ratings than this for a draft (rubric) trigger a warning.
MIN_RATINGS = 3
#: Fewer judgements than this for a draft (pairwise) trigger a warning (the issue's "at least 10").
MIN_JUDGEMENTS = 10
#: Reliability below which the ranking is called rough, and below which drafts cannot be told apart.
RELIABILITY_ROUGH = 0.7
RELIABILITY_NONE = 0.5


@dataclass(frozen=True)
class Rating:
    """One critic's score for one draft (the mean over the rubric's criteria, or one criterion)."""

    rater: Hashable
    item: Hashable
    score: float


@dataclass(frozen=True)
class Judgement:
    """One comparison: ``outcome`` is 1 when ``first`` was judged better, 0 when ``second`` was, 0.5 a tie."""

    judge: Hashable
    first: Hashable
    second: Hashable
    outcome: float


@dataclass(frozen=True)
class ItemEstimate:
    """A draft's place in a ranking."""

    item: Hashable
    #: Corrected score on the rating scale (rubric), or log-strength (pairwise; 0 = an average draft).
    score: float
    #: Bootstrap standard error of ``score``.
    se: float
    rank: int
    #: 95 % bootstrap interval of the rank (1 = best).
    rank_low: int
    rank_high: int
    #: Ratings (rubric) or judgements (pairwise) behind the estimate.
    n: int
    #: The plain mean of its ratings (rubric), or its share of wins (pairwise).
    raw: float


@dataclass(frozen=True)
class Ranking:
    """Drafts best first, with how far the ranking can be trusted."""

    method: str
    items: tuple[ItemEstimate, ...]
    #: Scale-separation reliability (0–1); None with fewer than two drafts or no replicates.
    reliability: float | None
    #: Rater effects: positive = lenient (scores above the average critic), negative = severe.
    rater_effects: dict[Hashable, float]
    #: Residual standard deviation of one rating (rubric models).
    noise: float | None
    warnings: tuple[str, ...]
    #: Bootstrap replicates of the scores, one row per replicate, columns in the order of ``order``.
    draws: Any = field(default=None, repr=False, compare=False)
    order: tuple[Hashable, ...] = field(default=(), repr=False, compare=False)

    def get(self, item: Hashable) -> ItemEstimate | None:
        """The estimate of ``item`` (None when it has no data)."""
        return next((e for e in self.items if e.item == item), None)

    @property
    def separation(self) -> float | None:
        """Separation index G = sqrt(R / (1 − R)): spread between drafts in units of measurement error."""
        if self.reliability is None:
            return None
        r = min(self.reliability, 0.999)
        return math.sqrt(r / (1 - r))

    @property
    def strata(self) -> float | None:
        """How many statistically distinct levels of quality the data can tell apart: (4G + 1) / 3."""
        g = self.separation
        return None if g is None else (4 * g + 1) / 3

    def prob_better(self, a: Hashable, b: Hashable) -> float | None:
        """Share of bootstrap replicates in which ``a`` scores above ``b`` (ties count half)."""
        if self.draws is None or a not in self.order or b not in self.order:
            return None
        ia, ib = self.order.index(a), self.order.index(b)
        diff = self.draws[:, ia] - self.draws[:, ib]
        return float(np.mean(diff > 0) + 0.5 * np.mean(diff == 0))


# ------------------------------------------------------------------------------------------- rubric scores

@dataclass(frozen=True)
class AdditiveFit:
    """Least-squares fit of ``score = quality[item] + severity[rater] + noise`` (severities average 0)."""

    quality: np.ndarray
    severity: np.ndarray
    fitted: np.ndarray
    residuals: np.ndarray
    noise: float
    shrinkage: float


def _index(values: Iterable[Hashable]) -> tuple[list[Hashable], dict[Hashable, int]]:
    order: list[Hashable] = []
    seen: dict[Hashable, int] = {}
    for value in values:
        if value not in seen:
            seen[value] = len(order)
            order.append(value)
    return order, seen


def fit_additive(items: np.ndarray, raters: np.ndarray, y: np.ndarray, n_items: int, n_raters: int,
                 shrinkage: float | None = None, iterations: int = 500, tol: float = 1e-10) -> AdditiveFit:
    """Fit the additive rater-severity model by alternating means.

    ``items`` and ``raters`` are integer codes of each rating, ``y`` the scores. A rater's severity is the
    mean of their residuals shrunk towards 0 by ``shrinkage`` pseudo-ratings (``n_r / (n_r + shrinkage)``):
    a critic who scored two drafts says little about their own severity. With ``shrinkage=None`` it is
    estimated from the data (empirical Bayes: the noise variance over the variance of true severities).
    """
    if shrinkage is None:
        first = fit_additive(items, raters, y, n_items, n_raters, shrinkage=0.0, iterations=iterations, tol=tol)
        shrinkage = _empirical_shrinkage(first, raters, n_raters)
    n_item = np.bincount(items, minlength=n_items).astype(float)
    n_rater = np.bincount(raters, minlength=n_raters).astype(float)
    severity = np.zeros(n_raters)
    quality = np.zeros(n_items)
    for _ in range(iterations):
        quality = np.bincount(items, y - severity[raters], minlength=n_items) / np.maximum(n_item, 1)
        resid = np.bincount(raters, y - quality[items], minlength=n_raters)
        new = resid / np.maximum(n_rater + shrinkage, 1e-12)
        rated = n_rater > 0
        if rated.any():  # severities average 0 over the critics, so quality is an average critic's score
            new[rated] -= new[rated].mean()
        change = float(np.max(np.abs(new - severity))) if n_raters else 0.0
        severity = new
        if change < tol:
            break
    quality = np.bincount(items, y - severity[raters], minlength=n_items) / np.maximum(n_item, 1)
    fitted = quality[items] + severity[raters]
    residuals = y - fitted
    dof = len(y) - np.count_nonzero(n_item) - max(np.count_nonzero(n_rater) - 1, 0)
    noise = float(math.sqrt(np.sum(residuals ** 2) / dof)) if dof > 0 else float("nan")
    return AdditiveFit(quality, severity, fitted, residuals, noise, float(shrinkage))


def _empirical_shrinkage(fit: AdditiveFit, raters: np.ndarray, n_raters: int) -> float:
    """Noise variance / variance of true severities, from an unshrunk fit (bounded to [0.5, 20])."""
    n_rater = np.bincount(raters, minlength=n_raters).astype(float)
    rated = n_rater > 0
    if rated.sum() < 3 or not np.isfinite(fit.noise) or fit.noise <= 0:
        return 2.0
    sigma2 = fit.noise ** 2
    tau2 = float(np.var(fit.severity[rated], ddof=1) - np.mean(sigma2 / n_rater[rated]))
    if tau2 <= 1e-6:
        return 20.0
    return float(min(max(sigma2 / tau2, 0.5), 20.0))


def quality_map(items: np.ndarray, raters: np.ndarray, n_items: int, n_raters: int,
                shrinkage: float) -> np.ndarray:
    """The matrix (drafts × ratings) that turns scores into corrected qualities, for a fixed ``shrinkage`` > 0.

    It is the penalised least-squares solution ``(XᵀX + λ·P)⁻¹ Xᵀ`` of the same model :func:`fit_additive`
    solves by alternating means (P penalises the severities only; at the optimum they sum to 0).
    """
    x = np.zeros((len(items), n_items + n_raters))
    x[np.arange(len(items)), items] = 1.0
    x[np.arange(len(items)), n_items + raters] = 1.0
    penalty = np.zeros(n_items + n_raters)
    penalty[n_items:] = max(shrinkage, 1e-9)
    normal = x.T @ x + np.diag(penalty)
    normal[np.arange(n_items), np.arange(n_items)] += 1e-12  # a draft with no rating stays solvable
    return np.linalg.solve(normal, x.T)[:n_items]


def rank_ratings(ratings: Sequence[Rating], n_boot: int = DEFAULT_BOOT, seed: int = 0,
                 min_ratings: int = MIN_RATINGS) -> Ranking:
    """Rank drafts by rubric scores corrected for lenient and severe critics (additive severity model).

    Uncertainty: a residual bootstrap that keeps who-scored-what fixed, resamples the model's residuals
    (inflated for the degrees of freedom used) and re-fits, so the error of the severities is included.
    """
    order, item_ix = _index(r.item for r in ratings)
    raters, rater_ix = _index(r.rater for r in ratings)
    if not order:
        return Ranking("rater-adjusted", (), None, {}, None, (_FEW_DRAFTS,))
    items = np.array([item_ix[r.item] for r in ratings])
    rater_codes = np.array([rater_ix[r.rater] for r in ratings])
    y = np.array([float(r.score) for r in ratings])
    fit = fit_additive(items, rater_codes, y, len(order), len(raters))
    draws = None
    if n_boot > 0 and len(order) > 1 and np.isfinite(fit.noise) and fit.noise > 0:
        rng = np.random.default_rng(seed)
        dof = len(y) - len(order) - max(len(raters) - 1, 0)
        inflate = math.sqrt(len(y) / dof) if dof > 0 else 1.0
        centred = (fit.residuals - fit.residuals.mean()) * inflate
        y_star = fit.fitted + rng.choice(centred, size=(n_boot, len(y)), replace=True)
        # With the shrinkage fixed the fit is linear in the scores: one matrix maps every replicate at once.
        draws = y_star @ quality_map(items, rater_codes, len(order), len(raters), fit.shrinkage).T
    counts = np.bincount(items, minlength=len(order))
    raw = np.bincount(items, y, minlength=len(order)) / np.maximum(counts, 1)
    ranking = _assemble("rater-adjusted", order, fit.quality, draws, counts, raw,
                        {raters[i]: float(fit.severity[i]) for i in range(len(raters))}, fit.noise)
    extra = _count_warnings(counts, min_ratings, "互评评分", "份")
    if draws is None and n_boot > 0 and len(order) > 1:
        extra.append("评分太少，还无法估计评分误差：名次区间暂按全部名次计，排名仅供参考。")
    return _with_warnings(ranking, extra)


def rank_plain_mean(ratings: Sequence[Rating]) -> Ranking:
    """Drafts by the plain mean of their scores (no correction), for comparison."""
    order, item_ix = _index(r.item for r in ratings)
    items = np.array([item_ix[r.item] for r in ratings], dtype=int)
    y = np.array([float(r.score) for r in ratings])
    counts = np.bincount(items, minlength=len(order))
    means = np.bincount(items, y, minlength=len(order)) / np.maximum(counts, 1)
    return _assemble("plain-mean", order, means, None, counts, means, {}, None)


def rank_standardised(ratings: Sequence[Rating]) -> Ranking:
    """Drafts by the mean of per-critic z-scores (each critic's scores centred and scaled), for comparison.

    A critic with one rating, or who gave every draft the same score, is scaled by the pooled spread.
    """
    order, item_ix = _index(r.item for r in ratings)
    raters, rater_ix = _index(r.rater for r in ratings)
    items = np.array([item_ix[r.item] for r in ratings], dtype=int)
    codes = np.array([rater_ix[r.rater] for r in ratings], dtype=int)
    y = np.array([float(r.score) for r in ratings])
    pooled = float(np.std(y)) or 1.0
    z = np.empty_like(y)
    effects = {}
    for i, rater in enumerate(raters):
        mask = codes == i
        mean = float(y[mask].mean())
        sd = float(y[mask].std()) if mask.sum() > 1 else 0.0
        z[mask] = (y[mask] - mean) / (sd if sd > 1e-9 else pooled)
        effects[rater] = mean - float(y.mean())
    counts = np.bincount(items, minlength=len(order))
    scores = float(y.mean()) + pooled * np.bincount(items, z, minlength=len(order)) / np.maximum(counts, 1)
    raw = np.bincount(items, y, minlength=len(order)) / np.maximum(counts, 1)
    return _assemble("standardised", order, scores, None, counts, raw, effects, None)


# ---------------------------------------------------------------------------------------- pairwise judgements

def fit_bradley_terry(n_items: int, first: np.ndarray, second: np.ndarray, outcome: np.ndarray,
                      prior: float = 1.0, iterations: int = 100, tol: float = 1e-10) -> tuple[np.ndarray, np.ndarray]:
    """Log-strengths of the Bradley–Terry model (maximum a posteriori, Newton's method) and their covariance.

    ``P(first beats second) = 1 / (1 + exp(θ_second − θ_first))``. Every draft also plays ``prior`` virtual
    games won and as many lost against an average draft (θ = 0): this keeps every strength finite (a draft
    that won all its comparisons) and pulls drafts with few judgements towards the middle. The log-posterior
    is strictly concave, so Newton converges in a few steps; the covariance is the inverse of its negative
    Hessian at the optimum (Laplace approximation of the posterior).
    """
    incidence = np.zeros((len(first), n_items))
    incidence[np.arange(len(first)), first] += 1.0
    incidence[np.arange(len(first)), second] -= 1.0
    theta = np.zeros(n_items)
    for _ in range(iterations):
        grad, hess = _bt_derivatives(theta, incidence, outcome, prior)
        step = np.linalg.solve(hess, grad)
        theta = theta + step
        if float(np.max(np.abs(step), initial=0.0)) < tol:
            break
    _, hess = _bt_derivatives(theta, incidence, outcome, prior)
    return theta, np.linalg.inv(hess)


def _bt_derivatives(theta: np.ndarray, incidence: np.ndarray, outcome: np.ndarray,
                    prior: float) -> tuple[np.ndarray, np.ndarray]:
    """Gradient of the log-posterior and its negative Hessian."""
    p = 1.0 / (1.0 + np.exp(-(incidence @ theta)))
    grad = incidence.T @ (outcome - p)
    hess = incidence.T @ (incidence * (p * (1 - p))[:, None])
    q = 1.0 / (1.0 + np.exp(-theta))  # the virtual games against θ = 0: one won, one lost (times prior)
    grad = grad + prior * (1 - 2 * q)
    hess = hess + np.diag(2 * prior * q * (1 - q))
    return grad, hess


def rank_pairwise(items: Sequence[Hashable], judgements: Sequence[Judgement], n_boot: int = DEFAULT_BOOT,
                  seed: int = 0, min_judgements: int = MIN_JUDGEMENTS, prior: float = 1.0) -> Ranking:
    """Rank drafts by Bradley–Terry strengths from pairwise judgements (ties count half a win each).

    ``items`` lists every draft that could be compared (a draft nobody compared yet stays in the middle,
    flagged by the warning). Uncertainty: draws from the (Laplace) posterior of the strengths give the
    rank intervals; the reliability is the empirical reliability of posterior estimates,
    ``var(θ̂) / (var(θ̂) + mean posterior variance)``. Both are on the cautious side with few judgements
    (a resampling bootstrap is overconfident there; see docs/benchmarks.md).
    """
    order, item_ix = _index(list(items) + [j.first for j in judgements] + [j.second for j in judgements])
    if not order:
        return Ranking("bradley-terry", (), None, {}, None, (_FEW_DRAFTS,))
    first = np.array([item_ix[j.first] for j in judgements], dtype=int)
    second = np.array([item_ix[j.second] for j in judgements], dtype=int)
    outcome = np.array([float(j.outcome) for j in judgements])
    theta, covariance = fit_bradley_terry(len(order), first, second, outcome, prior)
    draws = None
    if n_boot > 0 and len(order) > 1:
        rng = np.random.default_rng(seed)
        draws = rng.multivariate_normal(theta, covariance, size=n_boot, method="cholesky")
    counts = np.bincount(first, minlength=len(order)) + np.bincount(second, minlength=len(order))
    won = np.bincount(first, outcome, minlength=len(order)) + np.bincount(second, 1 - outcome, minlength=len(order))
    share = won / np.maximum(counts, 1)
    judges = {j.judge for j in judgements}
    ranking = _assemble("bradley-terry", order, theta, draws, counts, share, dict.fromkeys(judges, 0.0), None,
                        posterior=True)
    return _with_warnings(ranking, _count_warnings(counts, min_judgements, "两两比较", "次"))


# ---------------------------------------------------------------------------------------------- shared parts

_FEW_DRAFTS = "少于两篇文稿，无法排名。"


def ranks_of(scores: np.ndarray) -> np.ndarray:
    """Ranks (1 = highest score) along the last axis; ties get the better rank of the tied group's order."""
    order = np.argsort(-scores, axis=-1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, scores.shape[-1] + 1) * np.ones_like(order), axis=-1)
    return ranks


def reliability_of(scores: np.ndarray, se: np.ndarray, posterior: bool = False) -> float | None:
    """Scale-separation reliability: (observed variance − mean error variance) / observed variance, ≥ 0.

    For posterior (shrunken) estimates the observed variance already lacks the error, and the empirical
    reliability is ``observed / (observed + mean error variance)``.
    """
    if len(scores) < 2:
        return None
    observed = float(np.var(scores, ddof=1))
    error = float(np.mean(se ** 2))
    if posterior:
        return observed / (observed + error) if observed + error > 1e-12 else 0.0
    if observed <= 1e-12:
        return 0.0
    return max(0.0, (observed - error) / observed)


def _assemble(method: str, order: list[Hashable], scores: np.ndarray, draws: np.ndarray | None,
              counts: np.ndarray, raw: np.ndarray, effects: dict[Hashable, float], noise: float | None,
              posterior: bool = False) -> Ranking:
    rank = ranks_of(scores)
    if draws is not None:
        se = draws.std(axis=0, ddof=1)
        boot_ranks = ranks_of(draws)
        low = np.percentile(boot_ranks, 2.5, axis=0, method="lower").astype(int)
        high = np.percentile(boot_ranks, 97.5, axis=0, method="higher").astype(int)
        low, high = np.minimum(low, rank), np.maximum(high, rank)
        reliability = reliability_of(scores, se, posterior)
    else:  # no uncertainty could be estimated: every rank is possible
        se = np.full(len(order), float("nan"))
        low, high = np.ones_like(rank), np.full_like(rank, len(order))
        reliability = None
    estimates = [ItemEstimate(order[i], float(scores[i]), float(se[i]), int(rank[i]), int(low[i]), int(high[i]),
                              int(counts[i]), float(raw[i])) for i in range(len(order))]
    estimates.sort(key=lambda e: e.rank)
    warnings = [] if len(order) > 1 else [_FEW_DRAFTS]
    return Ranking(method, tuple(estimates), reliability, effects, noise, tuple(warnings), draws, tuple(order))


def _count_warnings(counts: np.ndarray, minimum: int, what: str, measure: str) -> list[str]:
    short = int(np.sum(counts < minimum))
    if short == 0:
        return []
    return [f"有{short}篇文稿收到的{what}不足{minimum}{measure}（最少的只有{int(counts.min())}{measure}），"
            "这些文稿的名次很不稳定。"]


def _with_warnings(ranking: Ranking, extra: list[str]) -> Ranking:
    warnings = list(ranking.warnings) + extra
    r = ranking.reliability
    if r is not None and len(ranking.items) > 1:
        if r < RELIABILITY_NONE:
            warnings.append(f"评价还太少，不足以区分各篇文稿的高下（可靠性 {r:.2f}，低于 {RELIABILITY_NONE}）："
                            "排名主要反映偶然因素，请不要据此评定优劣，可增加互评或两两比较后再看。")
        elif r < RELIABILITY_ROUGH:
            warnings.append(f"排名的可靠性一般（{r:.2f}）：相邻名次的差别多在误差之内，只宜粗分档次，"
                            "请结合名次区间解读。")
    return Ranking(ranking.method, ranking.items, ranking.reliability, ranking.rater_effects, ranking.noise,
                   tuple(warnings), ranking.draws, ranking.order)


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman rank correlation of two equally long sequences (average ranks for ties)."""
    x, y = _average_ranks(np.asarray(a, float)), _average_ranks(np.asarray(b, float))
    if len(x) < 2 or np.std(x) == 0 or np.std(y) == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def _average_ranks(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    ranks = np.empty(len(values))
    ranks[order] = np.arange(1, len(values) + 1)
    for value in np.unique(values):
        tied = values == value
        if tied.sum() > 1:
            ranks[tied] = ranks[tied].mean()
    return ranks
