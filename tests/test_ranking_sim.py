"""The simulated meetings behave as documented: nobody scores their own drafts, scores are whole points 1–5,
severities show in the scores, judgements favour the better draft."""

import numpy as np

from drafter.analysis.ranking_sim import simulate_meeting


def test_simulated_critics_never_score_their_own_drafts_and_use_whole_points():
    m = simulate_meeting(n_authors=5, n_raters=7, seed=2)
    assert len(m.truth) == 10
    assert all(m.authors[r.item] != r.rater for r in m.ratings)
    assert {p for *_, p in m.criterion_scores} <= {1, 2, 3, 4, 5}
    assert {r.rater for r in m.ratings} == set(m.severity)


def test_severity_shows_in_the_scores():
    m = simulate_meeting(n_raters=10, coverage=1.0, severity_sd=1.0, seed=4)
    lenient = max(m.severity, key=m.severity.get)
    severe = min(m.severity, key=m.severity.get)
    mean = {r: np.mean([x.score for x in m.ratings if x.rater == r]) for r in (lenient, severe)}
    assert mean[lenient] > mean[severe]


def test_judgements_favour_the_better_draft_and_avoid_the_judges_own():
    m = simulate_meeting(judgements_per_item=40, seed=1)
    assert len(m.judgements) == 12 * 40 // 2
    assert all(m.authors[j.first] != j.judge and m.authors[j.second] != j.judge for j in m.judgements)
    better_won = [(m.truth[j.first] > m.truth[j.second]) == (j.outcome == 1.0) for j in m.judgements]
    assert np.mean(better_won) > 0.65
