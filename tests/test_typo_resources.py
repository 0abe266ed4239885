"""drafter.analysis.typo_resources: loaders on small files written here, and the missing-file messages."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from drafter.analysis.typo_resources import (
    TypoResourceMissing,
    WordSlots,
    fuzzy_readings,
    load_confusions,
    load_language_model,
    load_word_frequencies,
)


def test_missing_language_model_says_how_to_install_it(tmp_path: Path):
    with pytest.raises(TypoResourceMissing) as info:
        load_language_model(tmp_path / "zh_CN.lm")
    assert "libime-data-language-model" in str(info.value) and "lm_path" in str(info.value)


def test_unreadable_language_model_is_reported(tmp_path: Path):
    bad = tmp_path / "bad.lm"
    bad.write_bytes(b"not a language model")
    with pytest.raises(TypoResourceMissing, match="无法读取"):
        load_language_model(bad)


def test_word_frequencies_with_extra_words(tmp_path: Path):
    dictionary = tmp_path / "dict.txt"
    dictionary.write_text("发展 90 v\n改革 10 vn\n坏行\n", encoding="utf-8")
    words = load_word_frequencies(dictionary, extra_words=["提质增效", "发展"], extra_log10=-3.0)
    assert math.isclose(words["发展"], math.log10(0.9))
    assert math.isclose(words["改革"], math.log10(0.1))
    assert words["提质增效"] == -3.0
    with pytest.raises(TypoResourceMissing, match="词典"):
        load_word_frequencies(tmp_path / "none.txt")


def test_confusions_merge_tables_and_readings(tmp_path: Path):
    pinyin = tmp_path / "same_pinyin.txt"
    pinyin.write_text("#汉字\t同音同调\t同音异调\n据\t局\t聚\n", encoding="utf-8")
    stroke = tmp_path / "same_stroke.txt"
    stroke.write_text("己 已 巳\n", encoding="utf-8")
    mixed = tmp_path / "mixed.txt"
    mixed.write_text("登\t等澄\n", encoding="utf-8")
    confusions = load_confusions([pinyin], [stroke], [mixed], near_pinyin=False)
    assert confusions.get("据") == frozenset("局聚")
    assert confusions.get("已") == frozenset("己巳")
    assert confusions.get("登") == frozenset("等澄")
    assert confusions.get("甲") == frozenset()
    assert confusions.evidence("已", "己") == (1, False)
    with pytest.raises(TypoResourceMissing, match="混淆字表"):
        load_confusions([tmp_path / "none.txt"])


def test_near_pinyin_joins_fuzzy_readings(tmp_path: Path):
    readings = fuzzy_readings("是四市")
    assert set(readings["是"]) & set(readings["四"])  # shi ~ si
    table = tmp_path / "mixed.txt"
    table.write_text("是\t事\n四\t死\n", encoding="utf-8")
    confusions = load_confusions(mixed_tables=[table])
    assert "四" in confusions.get("是")
    assert confusions.evidence("是", "四") == (1, True)
    assert confusions.evidence("是", "事")[0] == 2


def test_word_slots():
    slots = WordSlots.build(["共和国", "数据", "大数据", "ab", "据点"])
    assert set(slots.fill["大数?"]) == {"据"}
    assert set(slots.fill["?点"]) == {"据"}
    assert slots.gap["共|国"] == "和"
    assert slots.followers("数") == frozenset("据")
    assert "a?" not in slots.fill
