"""Tests for drafter.analysis.office_phrases: mining the office's stock phrases by document frequency.

The small archive in tests/data/office_archive (written for these tests): “主动靠前服务” occurs unquoted in
six of eight texts (five times in b01); “持续提升服务质效” occurs only inside quotation marks and
《统筹抓好落实工作方案》 only as a title.
"""

from pathlib import Path

import pytest

from drafter.analysis.office_phrases import _lossy_document_counts, candidates, masked, mine_phrases

ARCHIVE = Path(__file__).parent / "data" / "office_archive"


@pytest.fixture(scope="module")
def texts():
    return [p.read_text(encoding="utf-8") for p in sorted(ARCHIVE.glob("*.txt"))]


def test_phrase_found_by_document_frequency(texts):
    mined = {m.phrase: m for m in mine_phrases(texts, min_docs=3)}
    assert "主动靠前服务" in mined
    phrase = mined["主动靠前服务"]
    assert phrase.doc_count == 6  # b01 uses it five times and still counts once
    assert phrase.share == pytest.approx(6 / 8)
    assert "".join(phrase.words) == phrase.phrase


def test_quoted_titled_and_rare_phrases_are_not_found(texts):
    mined = " ".join(m.phrase for m in mine_phrases(texts, min_docs=3))
    for part in ("持续提升", "服务质效", "统筹抓好", "抓好落实"):
        assert part not in mined
    assert mine_phrases(texts, min_docs=7) == []
    assert mine_phrases([]) == []


def test_candidates_skip_names_numbers_and_function_words():
    grams = {"".join(g) for g in candidates("江澜市财政局要切实做好2024年预算编制工作的。")}
    assert not any("江澜" in g or "财政局" in g or "2024" in g for g in grams)
    assert not any(g.startswith(("的", "要")) or g.endswith(("的", "要")) for g in grams)


def test_masked_keeps_length():
    text = "按照“持续提升服务质效”的要求，推动高质量发展。"
    out = masked(text)
    assert len(out) == len(text) and "持续提升" not in out and "高质量发展" not in out


def test_lossy_counting_is_exact_for_small_archives_and_keeps_frequent_phrases():
    docs = [{("a",), ("b",)} if i % 2 else {("a",), (f"rare{i}",)} for i in range(1000)]
    exact = _lossy_document_counts(iter(docs[:50]), epsilon=0.01)
    assert exact[("a",)] == 50 and exact[("b",)] == 25 and exact.documents == 50
    pruned = _lossy_document_counts(iter(docs), epsilon=0.01)
    assert pruned[("a",)] == 1000 and pruned[("b",)] >= 500 - 10
    assert len(pruned) < 200  # the one-off phrases were pruned


def test_longer_phrase_absorbs_its_part():
    texts = ["各科室要认真抓好督办落实，按时报送。"] * 4 + ["各科室要认真抓好督办落实，按时报送。督办落实到人。"]
    phrases = [m.phrase for m in mine_phrases(texts, min_docs=3)]
    assert any("督办落实" in p for p in phrases)
    assert len(phrases) == len(set(phrases))
