"""Tests for drafter.analysis.near_duplicates: exact Jaccard on fingerprint sets, MinHash candidates, clusters."""

import numpy as np
import pytest

from drafter.analysis.near_duplicates import as_set, candidate_pairs, find_clusters, jaccard, signatures
from drafter.analysis.reuse import fingerprints

BASE = ("关于加强机关节约用电管理的通知\n各科室：\n为落实节约型机关建设要求，现就加强用电管理通知如下。"
        "一、下班前关闭电脑、打印机和空调电源，值班室除外。二、夏季空调温度不低于26摄氏度，冬季不高于20摄氏度。"
        "三、走廊和会议室照明做到人走灯灭，办公室每月检查一次落实情况。四、各科室确定一名节能监督员，"
        "每季度末报送用电情况，办公室汇总后在机关内通报。\n")


def test_jaccard_is_exact_on_sorted_sets():
    a, b = as_set(range(0, 100)), as_set(range(50, 150))
    assert jaccard(a, b) == pytest.approx(50 / 150)
    assert jaccard(as_set([]), as_set([])) == 0.0
    assert list(as_set([5, 3, 5, -2])) == [-2, 3, 5]


def test_signatures_agree_for_equal_sets_and_candidates_pair_them():
    sets = [as_set(range(300)), as_set(range(300)), as_set(range(5000, 5300))]
    sigs = signatures(sets)
    assert sigs.shape == (3, 48) and np.array_equal(sigs[0], sigs[1])
    assert candidate_pairs(sigs) == {(0, 1)}


def test_clusters_join_copies_verify_similarity_and_skip_short_texts():
    edited = BASE.replace("26摄氏度", "27摄氏度").replace("每月检查一次", "每两周检查一次")
    other = ("关于做好春节期间值班工作的通知\n各科室：\n春节期间实行领导带班和24小时值班制度，值班人员要保持通讯畅通，"
             "遇有突发事件第一时间报告带班领导，并按规定向市委总值班室报告。值班表请于1月20日前报办公室。\n")
    docs = [(11, fingerprints(BASE)), (12, fingerprints(edited)), (13, fingerprints(other)), (14, fingerprints("通知"))]
    clusters = find_clusters(docs)
    assert len(clusters) == 1
    cluster = clusters[0]
    assert cluster.members == (11, 12)
    exact = jaccard(as_set(fingerprints(BASE)), as_set(fingerprints(edited)))
    assert exact >= 0.7 and cluster.mean_similarity == pytest.approx(exact, abs=1e-4)
    assert cluster.pairs == ((11, 12, round(exact, 4)),)


def test_three_copies_form_one_cluster_and_distinct_texts_none():
    sets = [(i, range(i * 7, i * 7 + 400)) for i in range(3)]  # heavy overlap: one chain of copies
    clusters = find_clusters(sets + [(9, range(90000, 90400))])
    assert [c.members for c in clusters] == [(0, 1, 2)]
    assert clusters[0].min_similarity >= 0.7
    assert find_clusters([(1, range(0, 400)), (2, range(1000, 1400))]) == []
    assert find_clusters([(1, range(100))]) == []
