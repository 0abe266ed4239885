"""Tests for drafter.analysis.office_metrics: medians, rates, calendar buckets, quarters, series."""

import datetime as dt

import pytest

from drafter.analysis.office_metrics import (
    MONTH,
    WEEK,
    Quarter,
    VersionFigures,
    bucket_label,
    bucket_range,
    change,
    count_series,
    durations,
    granularity_for,
    median,
    per_thousand,
    slope,
    version_series,
    weighted_mean,
)

D = dt.date


def test_median_rates_means_and_durations():
    assert median([]) is None and median([3]) == 3 and median([4, 1, 3]) == 3 and median([1, 2, 3, 10]) == 2.5
    assert per_thousand(3, 1500) == 2.0 and per_thousand(3, 0) is None
    assert weighted_mean([(0.1, 1000), (0.4, 3000), (None, 500)]) == pytest.approx(0.325)
    assert weighted_mean([(None, 10)]) is None
    d = durations([2.0, 0.5, 7.0])
    assert (d.count, d.median, d.slowest) == (3, 2.0, 7.0)
    assert durations([]).median is None
    assert change(12, 8) == 0.5 and change(3, 0) is None and change(None, 3) is None
    assert slope([(2021, 0.1), (2022, 0.2), (2023, 0.3)]) == pytest.approx(0.1)
    assert slope([(2021, 0.1), (2021, 0.5)]) is None


def test_quarters_parse_bound_and_step():
    q = Quarter.parse("2024q1")
    assert q == Quarter(2024, 1) == Quarter.of(D(2024, 3, 31))
    assert (q.start, q.end) == (D(2024, 1, 1), D(2024, 4, 1))
    assert q.previous() == Quarter(2023, 4) and Quarter(2023, 4).next() == q
    assert q.key == "2024Q1" and q.label == "2024年第一季度"
    assert q.contains(D(2024, 2, 29)) and not q.contains(D(2024, 4, 1))
    for bad in ("2024Q5", "2024", "Q3", "二〇二四Q1"):
        with pytest.raises(ValueError, match="季度格式不正确"):
            Quarter.parse(bad)


def test_buckets_are_weeks_for_short_histories_and_months_otherwise():
    assert granularity_for([D(2024, 1, 1), D(2024, 3, 1)]) == WEEK
    assert granularity_for([D(2024, 1, 1), D(2024, 6, 1)]) == MONTH
    assert bucket_range(D(2024, 11, 20), D(2025, 2, 3), MONTH) == [D(2024, 11, 1), D(2024, 12, 1), D(2025, 1, 1),
                                                                   D(2025, 2, 1)]
    assert bucket_range(D(2024, 3, 6), D(2024, 3, 12), WEEK) == [D(2024, 3, 4), D(2024, 3, 11)]
    assert bucket_label(D(2024, 3, 1), MONTH) == "2024年3月" and bucket_label(D(2024, 3, 4), WEEK) == "3月4日"


def test_version_series_adds_findings_per_thousand_characters_and_keeps_empty_months():
    versions = [
        VersionFigures(D(2024, 1, 5), 2000, {"structure": 2, "formulaic": 6}, 0.10, 0.4),
        VersionFigures(D(2024, 1, 20), 3000, {"formulaic": 4}, 0.05, 0.6),
        VersionFigures(D(2024, 4, 20), 1000, {"structure": 1}, None, 0.9),
    ]
    granularity, points = version_series(versions, ["structure", "formulaic", "norms"])
    assert granularity == MONTH
    assert [p.label for p in points] == ["2024年1月", "2024年2月", "2024年3月", "2024年4月"]
    january, february, _, april = points
    assert (january.versions, january.chars) == (2, 5000)
    assert january.rates == {"structure": 0.4, "formulaic": 2.0, "norms": 0.0}
    assert january.formulaic_density == pytest.approx(0.07)  # weighted by characters
    assert january.concreteness == pytest.approx(0.52)
    assert february.versions == 0 and february.formulaic_density is None
    assert april.rates["structure"] == 1.0 and april.formulaic_density is None


def test_count_series_counts_keys_per_bucket():
    events = [(D(2024, 5, 6), "data"), (D(2024, 5, 7), "data"), (D(2024, 5, 22), "typo")]
    granularity, rows = count_series(events, ["data", "typo"])
    assert granularity == WEEK
    assert [(label, counts) for _, label, counts in rows] == [
        ("5月6日", {"data": 2, "typo": 0}), ("5月13日", {"data": 0, "typo": 0}), ("5月20日", {"data": 0, "typo": 1})]
    assert count_series([], ["data"]) == (MONTH, [])
