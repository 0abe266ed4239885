"""Tests for drafter.analysis.anchor."""

import pytest

from drafter.analysis.anchor import Anchor, context, locate, map_offset

V1 = "综合一科上半年工作总结\n今年以来，高度重视、精心组织，较好完成了任务。\n办文数量大幅增长。\n以经推动解决问题31个。\n"


def _locate(old: str, quote: str, new: str, replacement: str | None = None, nth: int = 0) -> Anchor:
    start = -1
    for _ in range(nth + 1):
        start = old.index(quote, start + 1)
    prefix, suffix = context(old, start, start + len(quote))
    return locate(quote, prefix, suffix, new, map_offset(old, new, start), replacement)


def test_unchanged_quote_moves_with_inserted_text():
    new = "综合一科上半年工作总结\n新增的开头一段。\n" + V1.split("\n", 1)[1]
    anchor = _locate(V1, "大幅增长", new)
    assert anchor.status == "anchored" and new[anchor.start:anchor.end] == "大幅增长"


def test_replaced_quote_is_applied_when_the_suggestion_was_taken():
    new = V1.replace("大幅增长", "同比增长18.6%")
    anchor = _locate(V1, "大幅增长", new, replacement="同比增长18.6%")
    assert anchor.status == "applied" and new[anchor.start:anchor.end] == "同比增长18.6%"


def test_quote_gone_is_outdated():
    new = V1.replace("高度重视、精心组织，", "")
    assert _locate(V1, "高度重视、精心组织", new) == Anchor("outdated")


def test_replacement_elsewhere_in_the_text_does_not_count_as_applied():
    new = V1.replace("以经", "").replace("较好完成", "已经较好完成")
    assert _locate(V1, "以经", new, replacement="已经").status == "outdated"


def test_repeated_quote_picks_the_occurrence_with_the_same_context():
    old = "一是加强学习。二是加强学习，提高本领。三是加强学习。\n"
    new = "开头。一是加强学习。二是加强学习，提高本领。三是加强学习。\n"
    anchor = _locate(old, "加强学习", new, nth=1)
    assert anchor.status == "anchored"
    assert new[anchor.start - 2:anchor.end + 1] == "二是加强学习，"


@pytest.mark.parametrize("quote", ["的", "要"])
def test_short_quote_without_matching_context_is_not_guessed(quote):
    old = "我们要认真做好的工作。\n"
    new = "完全不同的另一段话，要求不变。\n"
    assert _locate(old, quote, new).status == "outdated"


def test_map_offset_follows_unchanged_lines():
    old = "甲\n乙乙乙\n丙\n"
    new = "新\n甲\n乙乙乙\n丙\n"
    assert map_offset(old, new, old.index("乙")) == new.index("乙")
    assert map_offset(old, old, 3) == 3
