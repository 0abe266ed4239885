"""drafter.analysis.typo_packed: packed bucket maps expand lazily and merge extra entries."""

from __future__ import annotations

from drafter.analysis.typo_packed import PackedMap, bucket_of, pack


def test_buckets_skip_wildcards():
    assert bucket_of("共?国") == "共" and bucket_of("?国") == "国" and bucket_of("共|国") == "共"


def test_packed_map_reads_back_what_was_packed():
    words = {"发展": -3.5, "发展改革": -5.25, "改革": -4.0}
    packed = pack(words)
    assert set(packed) == {"发", "改"}
    mapping = PackedMap(packed, float)
    assert mapping["发展改革"] == -5.25 and mapping.get("改革") == -4.0
    assert "发展" in mapping and "发" not in mapping and "" not in mapping and 3 not in mapping
    assert mapping.get("没有", -20.0) == -20.0
    assert dict(mapping.items()) == words and len(mapping) == 3


def test_only_used_buckets_are_expanded():
    mapping = PackedMap(pack({"发展": 1, "改革": 2}), int)
    assert mapping.get("发展") == 1
    assert set(mapping._expanded) == {"发"}


def test_extra_entries_are_merged():
    fill = PackedMap(pack({"?国": "中"}), str, extra={"?国": "和", "?省": "本"}, merge=lambda a, b: a + b)
    assert fill.get("?国") == "中和" and fill.get("?省") == "本"
    words = PackedMap(pack({"提质": -6.0}), float, extra={"提质": -5.0, "网信办": -5.0}, merge=max)
    assert words["提质"] == -5.0 and "网信办" in words


def test_keys_with_tabs_are_not_packed():
    assert pack({"a\tb": 1, "": 2, "好": 3}) == {"好": "好\t3"}
