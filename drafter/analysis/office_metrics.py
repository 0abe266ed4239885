"""Arithmetic of the office analytics: medians, rates per 1,000 characters, calendar buckets and quarters.

Pure: numbers and dates in, numbers and dataclasses out. The services gather the stored records (version
summaries, review tasks, annotations) and the pages draw what this module computes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: Granularities of a time series: calendar months, or weeks (starting on Monday) for short histories.
MONTH, WEEK = "month", "week"
#: Histories shorter than this many days are shown by week, longer ones by month.
WEEKLY_UP_TO_DAYS = 92


def median(values: Iterable[float]) -> float | None:
    """The median, None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2.0


def per_thousand(count: float, chars: float) -> float | None:
    """``count`` per 1,000 characters; None when there are no characters."""
    return None if chars <= 0 else 1000.0 * count / chars


def weighted_mean(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """Mean of the values weighted by their weights (pairs with a None value are left out)."""
    total = weight = 0.0
    for value, w in pairs:
        if value is None or w <= 0 or (isinstance(value, float) and math.isnan(value)):
            continue
        total += value * w
        weight += w
    return total / weight if weight else None


def days_between(start: dt.datetime, end: dt.datetime) -> float:
    """Elapsed days (fractional) from ``start`` to ``end``."""
    return (end - start).total_seconds() / 86400.0


# ---------------------------------------------------------------------------------------------- calendar

def granularity_for(days: Sequence[dt.date]) -> str:
    """Weeks for a history of up to :data:`WEEKLY_UP_TO_DAYS` days, else months."""
    if not days:
        return MONTH
    return WEEK if (max(days) - min(days)).days <= WEEKLY_UP_TO_DAYS else MONTH


def bucket_start(day: dt.date, granularity: str) -> dt.date:
    """First day of the month or week (Monday) ``day`` falls in."""
    if granularity == WEEK:
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def next_bucket(start: dt.date, granularity: str) -> dt.date:
    """First day of the following month or week."""
    if granularity == WEEK:
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def bucket_label(start: dt.date, granularity: str) -> str:
    """Chinese label of a bucket: ``2024年3月`` or ``3月4日起`` (a week)."""
    if granularity == WEEK:
        return f"{start.month}月{start.day}日"
    return f"{start.year}年{start.month}月"


def bucket_range(first: dt.date, last: dt.date, granularity: str) -> list[dt.date]:
    """Every bucket from the one of ``first`` to the one of ``last`` (empty buckets included)."""
    start, end = bucket_start(first, granularity), bucket_start(last, granularity)
    buckets = []
    while start <= end:
        buckets.append(start)
        start = next_bucket(start, granularity)
    return buckets


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter (1–4) of a year."""

    year: int
    number: int

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        """The quarter ``day`` falls in."""
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """``2024Q3`` (or ``2024-Q3``, ``2024q3``); ValueError with a Chinese message when malformed."""
        cleaned = text.strip().upper().replace("-", "")
        try:
            year, number = cleaned.split("Q")
            quarter = cls(int(year), int(number))
        except ValueError as exc:
            raise ValueError(f"季度格式不正确：“{text}”，应为 2024Q3 这样的写法") from exc
        if not 1 <= quarter.number <= 4 or not 1900 <= quarter.year <= 2999:
            raise ValueError(f"季度格式不正确：“{text}”，应为 2024Q3 这样的写法")
        return quarter

    @property
    def start(self) -> dt.date:
        """First day of the quarter."""
        return dt.date(self.year, 3 * (self.number - 1) + 1, 1)

    @property
    def end(self) -> dt.date:
        """First day after the quarter."""
        return self.next().start

    def previous(self) -> Quarter:
        """The quarter before."""
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> Quarter:
        """The quarter after."""
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls in the quarter."""
        return self.start <= day < self.end

    @property
    def key(self) -> str:
        """``2024Q3``."""
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        """``2024年第三季度``."""
        return f"{self.year}年第{'一二三四'[self.number - 1]}季度"


# ---------------------------------------------------------------------------------------------- series

@dataclass(frozen=True)
class VersionFigures:
    """What one checked version contributes to a writer's series: when it was saved, its size, its findings."""

    day: dt.date
    chars: int
    by_family: dict[str, int]
    formulaic_density: float | None
    concreteness: float | None


@dataclass(frozen=True)
class SeriesPoint:
    """One bucket of a writer's series."""

    start: dt.date
    label: str
    versions: int
    chars: int
    #: Findings per 1,000 characters by family (families with no finding in the bucket are 0).
    rates: dict[str, float]
    formulaic_density: float | None
    concreteness: float | None


def version_series(versions: Sequence[VersionFigures], families: Sequence[str],
                   granularity: str | None = None) -> tuple[str, list[SeriesPoint]]:
    """Bucket versions by the month (or week) they were saved: findings per 1,000 characters of each family,
    and the character-weighted mean formulaic density and concreteness. Empty buckets between the first and
    the last version are kept (with no versions), so a gap in the writer's work shows as a gap."""
    if not versions:
        return granularity or MONTH, []
    granularity = granularity or granularity_for([v.day for v in versions])
    grouped: dict[dt.date, list[VersionFigures]] = {}
    for v in versions:
        grouped.setdefault(bucket_start(v.day, granularity), []).append(v)
    points = []
    for start in bucket_range(min(grouped), max(grouped), granularity):
        members = grouped.get(start, [])
        chars = sum(v.chars for v in members)
        rates = {f: per_thousand(sum(v.by_family.get(f, 0) for v in members), chars) or 0.0 for f in families}
        points.append(SeriesPoint(start, bucket_label(start, granularity), len(members), chars, rates,
                                  weighted_mean((v.formulaic_density, v.chars) for v in members),
                                  weighted_mean((v.concreteness, v.chars) for v in members)))
    return granularity, points


def count_series(events: Sequence[tuple[dt.date, str]], keys: Sequence[str],
                 granularity: str | None = None) -> tuple[str, list[tuple[dt.date, str, dict[str, int]]]]:
    """Count ``(day, key)`` events per bucket and key: ``[(start, label, {key: count})]``, gaps kept."""
    if not events:
        return granularity or MONTH, []
    granularity = granularity or granularity_for([day for day, _ in events])
    grouped: dict[dt.date, dict[str, int]] = {}
    for day, key in events:
        counts = grouped.setdefault(bucket_start(day, granularity), dict.fromkeys(keys, 0))
        counts[key] = counts.get(key, 0) + 1
    return granularity, [(start, bucket_label(start, granularity), grouped.get(start, dict.fromkeys(keys, 0)))
                         for start in bucket_range(min(grouped), max(grouped), granularity)]


@dataclass(frozen=True)
class Durations:
    """Summary of elapsed times in days: how many, median, slowest."""

    count: int
    median: float | None
    slowest: float | None


def durations(days: Iterable[float]) -> Durations:
    """Count, median and maximum of durations (days)."""
    values = list(days)
    return Durations(len(values), median(values), max(values) if values else None)


def change(now: float | None, before: float | None) -> float | None:
    """Relative change from ``before`` to ``now`` (0.25 = +25 %); None when there is nothing to compare."""
    if now is None or before is None or before == 0:
        return None
    return (now - before) / before


def slope(points: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of ``(x, y)`` points (change of y per unit of x); None for fewer than two x values."""
    if len({x for x, _ in points}) < 2:
        return None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / sxx
