"""Tests for drafter.analysis.topics: subject words, TF-IDF + NMF topics named by their terms, year shares.

The small archive below was written for this test: three subjects (flood control, grain farming, archive
work), six short texts each, with the everyday words of official writing mixed into all of them."""

import pytest

from drafter.analysis.topics import default_topics, fit_topics, subject_words, topic_tokens, year_shares

SUBJECTS = {
    "flood": ["防汛", "水库", "堤防", "汛期", "巡查", "降雨", "抢险", "水位"],
    "grain": ["粮食", "种粮", "耕地", "农户", "小麦", "播种", "农机", "补贴"],
    "files": ["档案", "归档", "案卷", "查阅", "数字化", "保管", "借阅", "目录"],
}
OFFICE = "各单位要高度重视，切实加强组织领导，进一步推进工作落实，确保取得实效。"


def text(subject: str, n: int) -> str:
    words = SUBJECTS[subject]
    picks = [words[(n + k) % len(words)] for k in range(5)]
    return (f"关于做好{picks[0]}工作的通知\n{OFFICE}\n今年{picks[1]}和{picks[2]}任务较重，"
            f"请各乡镇抓好{picks[3]}，落实{picks[4]}措施，{picks[0]}情况每周报送一次。\n")


CORPUS = [(subject, text(subject, n)) for subject in SUBJECTS for n in range(6)]


def test_subject_words_drop_stock_phrases_all_purpose_words_numbers_and_single_characters():
    words = topic_tokens("各单位要高度重视防汛工作，2024年汛期水库水位偏高，进一步加强巡查。")
    assert "防汛" in words and "水库" in words and "水位" in words
    for dropped in ("高度重视", "工作", "进一步", "加强", "2024", "年", "要", "各单位"):
        assert dropped not in words
    assert subject_words(["Ａ级", "乡村振兴", "的", "123"]) == ["乡村振兴"]


def test_three_subjects_give_three_topics_named_by_their_own_words():
    model = fit_topics([topic_tokens(t) for _, t in CORPUS], n_topics=3)
    assert len(model.topics) == 3 and model.converged
    named = {}
    for topic in model.topics:
        owners = {s for s, words in SUBJECTS.items() if set(topic.terms[:3]) <= set(words)}
        assert len(owners) == 1, topic.terms
        named[topic.index] = owners.pop()
        assert topic.label == "、".join(topic.terms[:3])
    assert sorted(named.values()) == sorted(SUBJECTS)
    for row, (subject, _) in enumerate(CORPUS):
        assert named[model.dominant(row)] == subject
        assert sum(model.doc_topics[row]) == pytest.approx(1.0, abs=1e-3)
    assert sum(t.documents for t in model.topics) == len(CORPUS)
    assert sum(t.share for t in model.topics) == pytest.approx(1.0, abs=1e-3)


def test_same_archive_same_topics():
    tokens = [topic_tokens(t) for _, t in CORPUS]
    first, second = fit_topics(tokens, n_topics=3), fit_topics(iter(tokens), n_topics=3)
    assert [t.terms for t in first.topics] == [t.terms for t in second.topics]


def test_year_shares_follow_a_topic_rising():
    years = [2021 if s == "flood" else 2022 if s == "grain" else None for s, _ in CORPUS]
    model = fit_topics([topic_tokens(t) for _, t in CORPUS], n_topics=3)
    shares = year_shares(model, years)
    assert list(shares) == [2021, 2022]  # documents without a year are left out
    flood = next(t.index for t in model.topics if t.terms[0] in SUBJECTS["flood"])
    assert shares[2021][flood] > 0.9 and shares[2022][flood] < 0.1


def test_too_small_or_wordless_archives_say_why():
    assert fit_topics([["防汛"]]).notes == ["档案文档不足 2 篇，无法归纳主题"]
    empty = fit_topics([[], []])
    assert empty.topics == [] and len(empty.doc_topics) == 2 and "没有" in empty.notes[0]
    assert default_topics(0) == 0 and default_topics(10) == 3 and default_topics(10000) == 15
