"""Tests for drafter.analysis.concreteness: cues of concrete content and the concreteness score."""

from drafter.analysis.concreteness import concreteness, concreteness_cues, cue_labels


def test_concreteness_cues():
    text = "由市财政局牵头，2024年6月底前在江澜市新建学校3所，投入资金1200万元，增长15%。"
    kinds = {c.kind for c in concreteness_cues(text)}
    assert {"number", "time", "amount", "place", "owner"} <= kinds
    assert concreteness(concreteness_cues(text)) > 0.9
    assert "place" not in {c.kind for c in concreteness_cues("规范市场秩序，发展城市经济。")}
    assert concreteness([]) == 0.0


def test_cue_kinds_have_chinese_labels():
    labels = cue_labels()
    assert labels["number"] == "数字" and set(labels) >= {"time", "owner", "place", "amount"}


def test_responsibility_assigned_counts_as_owner():
    kinds = {c.kind for c in concreteness_cues("具体办法由县民政局制定。")}
    assert "owner" in kinds
