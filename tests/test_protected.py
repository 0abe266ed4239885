"""Tests for drafter.analysis.protected: text that formulaic checks leave alone."""

import pytest

from drafter.analysis.protected import Protection, protected_spans


def covered(text):
    return [text[a:b] for a, b in protected_spans(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("提出“高度重视、狠抓落实”的要求。", ["“高度重视、狠抓落实”"]),
    ("学习《关于进一步加强文稿工作的意见》。", ["《关于进一步加强文稿工作的意见》"]),
    ("推动高质量发展。", ["高质量发展"]),
    ("深入开展扫黑除恶专项斗争。", ["扫黑除恶专项斗争"]),
    ("大力实施乡村振兴战略。", ["乡村振兴战略"]),
    ("学习贯彻党的二十大精神。", ["党的二十大精神"]),
    ("现将有关事项通知如下：", ["现将有关事项通知如下"]),
])
def test_protected_spans(text, expected):
    assert covered(text) == expected


def test_unclosed_quotation_protects_nothing():
    assert covered("他说：“要高度重视\n下一行。") == []


def test_overlapping_spans_are_merged_and_masked():
    text = "坚持“全面从严治党”。"
    spans = protected_spans(text)
    assert spans == [(2, 10)]
    protection = Protection(spans, len(text))
    assert protection.overlaps(0, 3) and not protection.overlaps(0, 2)
