"""Tests for drafter.analysis.retrieval: grouping, fusion, snippets."""

import pytest

from drafter.analysis.retrieval import (
    RankedItem,
    best_per_group,
    fuse,
    max_fused_score,
    normalised_score_fusion,
    reciprocal_rank_fusion,
    segments,
    snippet_window,
)


def test_best_per_group_keeps_best_sentence_per_paragraph():
    groups = {1: "A", 2: "A", 3: "B"}
    ranked = best_per_group([(1, 0.2), (2, 0.9), (3, 0.5), (4, 1.0)], groups)
    assert [(r.key, r.score, r.best) for r in ranked] == [("A", 0.9, 2), ("B", 0.5, 3)]


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion({"keyword": ["A", "B", "C"], "semantic": ["B", "C", "D"]})
    order = sorted(fused, key=lambda k: -fused[k])
    assert order[0] == "B" and set(order) == {"A", "B", "C", "D"}
    assert fused["A"] == pytest.approx(1 / 61)


def test_normalised_score_fusion_scales_each_method():
    fused = normalised_score_fusion({"keyword": {"A": 10.0, "B": 5.0}, "semantic": {"B": 0.9, "C": 0.8}})
    assert fused == {"A": 1.0, "B": 1.0, "C": 0.0}


def test_fuse_orders_best_first_and_breaks_ties_by_first_seen():
    ranked = {"keyword": [RankedItem("A", 3.0, 1), RankedItem("B", 2.0, 2)],
              "semantic": [RankedItem("B", 0.9, 3), RankedItem("A", 0.8, 4)]}
    assert [k for k, _ in fuse(ranked, "rrf")] == ["A", "B"]
    assert fuse(ranked, "rrf")[0][1] == pytest.approx(1 / 61 + 1 / 62)
    assert max_fused_score(2) == pytest.approx(2 / 61)
    ties = {"keyword": [RankedItem("A", 3.0, 1), RankedItem("B", 2.0, 2)],
            "semantic": [RankedItem("B", 0.9, 3), RankedItem("A", 0.8, 4)]}
    assert [k for k, _ in fuse(ties, "score")] == ["A", "B"]
    with pytest.raises(ValueError):
        fuse(ranked, "nope")


def test_segments_and_snippet_window():
    assert segments("abcdef", [(1, 3), (4, 5)]) == [("a", False), ("bc", True), ("d", False), ("e", True),
                                                    ("f", False)]
    assert snippet_window(100, (90, 95), width=20) == (80, 100)
    assert snippet_window(10, None, width=20) == (0, 10)
    assert snippet_window(100, None, width=20) == (0, 20)


def test_keyword_weight_gates_on_how_much_of_the_query_the_best_hit_holds():
    from drafter.analysis.retrieval import coverage, keyword_weight

    assert coverage(["点评", "评会"], ["召开", "点评", "评会"]) == 1.0
    assert coverage(["点评", "评会", "会议"], ["点评"]) == pytest.approx(1 / 3)
    assert coverage([], ["点评"]) == 0.0
    assert keyword_weight(0.9) == 1.0 and keyword_weight(0.1) == 0.0
    assert keyword_weight(0.45) == pytest.approx(0.5)
