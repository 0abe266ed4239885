"""Tests for drafter.analysis.diff."""

import pytest

from drafter.analysis.diff import Segment, diff_texts, diff_words, tokens


def _join(segments, *ops):
    return "".join(s.text for s in segments if s.op in ops)


def test_tokens_split_chinese_by_character_and_keep_latin_words_and_numbers():
    assert tokens("增长18.6%，GDP总量") == ["增", "长", "18.6", "%", "，", "GDP", "总", "量"]


@pytest.mark.parametrize("old,new", [
    ("坚持问题导向，提升文稿质量。", "坚持目标导向和问题导向，切实提升文稿质量。"),
    ("办文数量大幅增长。", "办文数量同比增长18.6%。"),
    ("一、总体要求", "一、总体思路"),
    ("", "新增的一段话。"),
    ("删掉的一段话。", ""),
])
def test_word_diff_rebuilds_both_sides(old, new):
    segments = diff_words(old, new)
    assert _join(segments, "equal", "delete") == old
    assert _join(segments, "equal", "insert") == new


def test_word_diff_reads_as_phrases_not_scattered_characters():
    segments = diff_words("加强文稿审核把关", "切实加强文稿审核")
    assert Segment("insert", "切实") in segments
    assert Segment("delete", "把关") in segments
    # a single unchanged character between two changes is folded into one change
    folded = diff_words("甲乙丙", "丁乙戊")
    assert [s.op for s in folded] == ["delete", "insert"]
    assert folded == (Segment("delete", "甲乙丙"), Segment("insert", "丁乙戊"))


def test_paragraphs_are_aligned_before_words():
    old = "标题\n第一段不变。\n第二段要改动一下。\n第三段会被删除。\n"
    new = "标题\n第一段不变。\n新插入的一段。\n第二段要稍微改动一下。\n"
    result = diff_texts(old, new)
    kinds = [(r.kind, r.old, r.new) for r in result.rows]
    assert kinds[0] == ("equal", "标题", "标题")
    assert ("added", None, "新插入的一段。") in kinds
    assert ("changed", "第二段要改动一下。", "第二段要稍微改动一下。") in kinds
    assert ("removed", "第三段会被删除。", None) in kinds
    assert result.changed_paragraphs == 3
    assert result.inserted_chars == len("新插入的一段。") + len("稍微")
    assert result.deleted_chars == len("第三段会被删除。")


def test_side_by_side_shows_each_version_on_its_side():
    row = diff_texts("甲乙丙丁", "甲乙戊丁").rows[0]
    assert _join(row.side("old"), "equal", "delete") == "甲乙丙丁"
    assert _join(row.side("new"), "equal", "insert") == "甲乙戊丁"


def test_identical_texts_and_blank_lines():
    assert diff_texts("一\n\n二\n", "一\n二").identical


def test_large_replacement_blocks_are_paired_in_order():
    old = "\n".join(f"第{i}段原来的内容，说明情况。" for i in range(30))
    new = "\n".join(f"第{i}段修改后的内容，说明情况。" for i in range(30))
    result = diff_texts(old, new)
    assert [r.kind for r in result.rows] == ["changed"] * 30
