"""Tests for drafter.analysis.text."""

import pytest

from drafter.analysis.text import cjk_count, line_number, normalise, paragraphs, sentences


def test_normalise_newlines_and_bom():
    assert normalise("\ufeff甲\r\n乙\r丙\n") == "甲\n乙\n丙\n"


def test_paragraphs_trim_blank_edges_and_keep_offsets():
    text = "标题\n\n\u3000\u3000第一段。\n  第二段  \n"
    paras = paragraphs(text)
    assert [p.of(text) for p in paras] == ["标题", "第一段。", "第二段"]
    assert [p.line for p in paras] == [1, 3, 4]
    assert [p.index for p in paras] == [0, 1, 2]


@pytest.mark.parametrize("text,expected", [
    ("一是抓落实。二是强监督！三是严考核？", ["一是抓落实。", "二是强监督！", "三是严考核？"]),
    ("他说：“要抓落实。”随后散会。", ["他说：“要抓落实。”", "随后散会。"]),
    ("第一句；第二句", ["第一句；", "第二句"]),
    ("未完……接着\n新行", ["未完……", "接着", "新行"]),
])
def test_sentences(text, expected):
    assert [s.of(text) for s in sentences(text)] == expected


def test_sentences_inside_a_range():
    text = "甲。乙。丙。"
    assert [s.of(text) for s in sentences(text, 2, 6)] == ["乙。", "丙。"]


def test_line_number_and_cjk_count():
    assert line_number("a\nb\nc", 4) == 3
    assert cjk_count("抓好2023年工作") == 5
