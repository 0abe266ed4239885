"""Tests for drafter.analysis.numerals."""

import pytest

from drafter.analysis.numerals import arabic_to_int, cn_to_int, has_fullwidth_digit, int_to_cn


@pytest.mark.parametrize("chars,value", [
    ("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23), ("九十九", 99),
    ("一百", 100), ("一百零五", 105), ("一百一十", 110), ("一百二十三", 123), ("两", 2),
])
def test_cn_to_int(chars, value):
    assert cn_to_int(chars) == value


@pytest.mark.parametrize("chars", ["", "二二", "十百", "甲", "零"])
def test_cn_to_int_rejects_malformed(chars):
    with pytest.raises(ValueError):
        cn_to_int(chars)


@pytest.mark.parametrize("value", [1, 9, 10, 11, 20, 21, 99, 100, 105, 110, 123, 1001])
def test_int_to_cn_round_trips(value):
    assert cn_to_int(int_to_cn(value)) == value


def test_int_to_cn_forms_and_range():
    assert (int_to_cn(10), int_to_cn(12), int_to_cn(105)) == ("十", "十二", "一百零五")
    with pytest.raises(ValueError):
        int_to_cn(0)


def test_arabic_digits():
    assert arabic_to_int("１２") == 12 and arabic_to_int("7") == 7
    assert has_fullwidth_digit("１2") and not has_fullwidth_digit("12")
