"""Charts as inline SVG, drawn on the server (no script, no library, readable in Chinese).

- :func:`trend_svg`: the writer's critique trend. x: meetings in date order; y: the corrected peer score
  (1–5) of the 最满意 and the 最不满意 draft of each meeting, with its 95 % interval as a vertical bar; the
  self-score as a hollow marker beside it.
- :func:`line_chart`, :func:`bar_chart` (stacked), :func:`heatmap`: the analytics pages' time series and
  year-by-item tables. Every point, bar segment and cell carries a ``<title>`` with its exact figure, so a
  reader can hover for the number; a missing value (no data in that month) is a gap, never a zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from drafter.services.critique_results import TrendPoint

WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 20, 44, 58
SERIES = {"best": ("最满意", "#a61b1b", ""), "worst": ("最不满意", "#1f5fa8", "6 4")}
FONT = 'font-family="Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"'


def _y(score: float) -> float:
    score = min(max(score, 1.0), 5.0)
    return TOP + (5.0 - score) / 4.0 * (HEIGHT - TOP - BOTTOM)


def trend_svg(points: Sequence[TrendPoint]) -> Markup:
    """The chart of ``points`` (oldest first)."""
    meetings: list[tuple] = []
    for p in points:
        key = (p.day, p.meeting)
        if key not in meetings:
            meetings.append(key)
    span = WIDTH - LEFT - RIGHT
    step = span / max(len(meetings), 1)
    x_of = {key: LEFT + step * (i + 0.5) for i, key in enumerate(meetings)}
    parts = [_open("trend-chart", WIDTH, HEIGHT, "历次交流会互评得分趋势")]
    for score in range(1, 6):
        y = _y(score)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e4e6ea"/>')
        parts.append(f'<text x="{LEFT - 10}" y="{y + 4:.1f}" font-size="12" fill="#6a737d" text-anchor="end">{score}</text>')
    parts.append(f'<text x="{LEFT - 36}" y="{TOP - 14}" font-size="12" fill="#6a737d">得分</text>')
    for key in meetings:
        x = x_of[key]
        day, title = key
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 20}" font-size="12" fill="#444" '
                     f'text-anchor="middle">{day:%Y-%m-%d}</text>')
        short = title if len(title) <= 12 else title[:11] + "…"
        parts.append(f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 38}" font-size="11" fill="#6a737d" '
                     f'text-anchor="middle">{escape(short)}</text>')
    legend_x = LEFT
    for index, (kind, (label, color, dash)) in enumerate(SERIES.items()):
        offset = -7 if kind == "best" else 7
        series = [p for p in points if p.kind == kind]
        coords = [(x_of[(p.day, p.meeting)] + offset, _y(p.peer)) for p in series]
        if len(coords) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"{dash_attr}/>')
        for p, (x, y) in zip(series, coords, strict=True):
            tip = (f"{p.meeting}（{p.day:%Y-%m-%d}）{label}：互评{p.peer:.2f}分（区间{p.low:.2f}—{p.high:.2f}），"
                   f"自评{p.self_score:.2f}分，第{p.rank}名/共{p.total}篇")
            parts.append(f'<g><title>{escape(tip)}</title>'
                         f'<line x1="{x:.1f}" y1="{_y(p.low):.1f}" x2="{x:.1f}" y2="{_y(p.high):.1f}" '
                         f'stroke="{color}" stroke-opacity=".45" stroke-width="3"/>'
                         f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{color}"/>'
                         f'<circle cx="{x + offset * 1.6:.1f}" cy="{_y(p.self_score):.1f}" r="4.5" fill="#fff" '
                         f'stroke="{color}" stroke-width="2"/></g>')
        lx = legend_x + index * 150
        parts.append(f'<line x1="{lx}" y1="16" x2="{lx + 22}" y2="16" stroke="{color}" stroke-width="2"'
                     + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        parts.append(f'<circle cx="{lx + 11}" cy="16" r="4" fill="{color}"/>')
        parts.append(f'<text x="{lx + 28}" y="20" font-size="12" fill="#333">{label}（互评）</text>')
    sx = legend_x + 300
    parts.append(f'<circle cx="{sx + 6}" cy="16" r="4.5" fill="#fff" stroke="#555" stroke-width="2"/>')
    parts.append(f'<text x="{sx + 16}" y="20" font-size="12" fill="#333">自评</text>')
    parts.append(f'<line x1="{sx + 62}" y1="9" x2="{sx + 62}" y2="23" stroke="#999" stroke-width="3"/>')
    parts.append(f'<text x="{sx + 70}" y="20" font-size="12" fill="#333">95%区间</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# ------------------------------------------------------------------------------------ analytics charts

#: Colours of successive series (the app's red, blue, green, gold, then quieter ones).
PALETTE = ("#a61b1b", "#1f5fa8", "#237a3b", "#b7791f", "#6f42c1", "#00838f", "#b35c00", "#5a6270",
           "#c2185b", "#7cb342")
CHART_WIDTH, CHART_HEIGHT = 760, 280
SMALL_WIDTH, SMALL_HEIGHT = 440, 220


@dataclass(frozen=True)
class Series:
    """One line (or one stacked bar part): a label, a value per x position (None: no data), a colour."""

    label: str
    values: Sequence[float | None]
    color: str = ""
    dash: str = ""


def colored(series: Sequence[Series]) -> list[Series]:
    """The series with the palette's colours where none was given."""
    return [s if s.color else Series(s.label, s.values, PALETTE[i % len(PALETTE)], s.dash)
            for i, s in enumerate(series)]


def _open(css: str, width: int, height: int, title: str) -> str:
    return (f'<svg class="{css}" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
            f'xmlns="http://www.w3.org/2000/svg" {FONT}>')


def nice_step(value: float, ticks: int = 4, integer: bool = False) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten; whole numbers for counts) so that ``ticks``
    steps reach ``value``."""
    if value <= 0 or not math.isfinite(value):
        return 1.0 if integer else 0.25
    raw = value / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= raw - 1e-12 and (not integer or step == int(step)):
            return max(step, 1.0) if integer else step
    return 10 * power


def _number(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.1f}%" if value < 0.1 else f"{value * 100:.0f}%"
    if value == int(value):
        return f"{int(value)}"
    return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"


class _Frame:
    """Axes of a chart: y from 0 to a round maximum with a grid line per round step, x positions for the labels."""

    def __init__(self, labels: Sequence[str], y_max: float, width: int, height: int, percent: bool,
                 legend_rows: int, centered: bool, integer: bool = False) -> None:
        self.labels, self.width, self.height, self.percent = list(labels), width, height, percent
        self.left, self.right = 52, 40
        self.top, self.bottom = 30 + 20 * legend_rows, 44
        self.tick = nice_step(y_max, integer=integer)
        self.ticks = max(1, math.ceil(y_max / self.tick - 1e-9)) if y_max > 0 else 4
        self.y_max = self.tick * self.ticks
        span = width - self.left - self.right
        count = max(len(self.labels), 1)
        self.step = span / count if centered else span / max(count - 1, 1)
        self.centered = centered

    def x(self, index: int) -> float:
        if self.centered or len(self.labels) == 1:
            offset = self.step * (index + 0.5) if self.centered else (self.width - self.left - self.right) / 2
            return self.left + offset
        return self.left + self.step * index

    def y(self, value: float) -> float:
        value = min(max(value, 0.0), self.y_max)
        return self.top + (1 - value / self.y_max) * (self.height - self.top - self.bottom)

    def axes(self, unit: str) -> list[str]:
        parts = []
        for i in range(self.ticks + 1):
            value = self.tick * i
            y = self.y(value)
            parts.append(f'<line x1="{self.left}" y1="{y:.1f}" x2="{self.width - self.right}" y2="{y:.1f}" '
                         f'stroke="{"#c9ced4" if i == 0 else "#e4e6ea"}"/>')
            parts.append(f'<text x="{self.left - 8}" y="{y + 4:.1f}" font-size="11" fill="#6a737d" '
                         f'text-anchor="end">{_number(value, self.percent)}</text>')
        if unit:
            parts.append(f'<text x="{self.left - 8}" y="{self.top - 12}" font-size="11" fill="#6a737d" '
                         f'text-anchor="end">{escape(unit)}</text>')
        every = max(1, math.ceil(len(self.labels) / max((self.width - self.left - self.right) // 64, 1)))
        for i, label in enumerate(self.labels):
            if i % every and i != len(self.labels) - 1:
                continue
            parts.append(f'<text x="{self.x(i):.1f}" y="{self.height - self.bottom + 18}" font-size="11" '
                         f'fill="#444" text-anchor="middle">{escape(label)}</text>')
        return parts


def _legend(series: Sequence[Series], width: int, marker: str) -> tuple[list[str], int]:
    """Legend entries in rows across the top; returns the parts and the number of rows."""
    parts: list[str] = []
    x, row = 52, 0
    for s in series:
        span = 34 + 13 * len(s.label)
        if x + span > width - 10 and x > 52:
            x, row = 52, row + 1
        y = 14 + 20 * row
        if marker == "line":
            dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
            parts.append(f'<line x1="{x}" y1="{y - 4}" x2="{x + 20}" y2="{y - 4}" stroke="{s.color}" '
                         f'stroke-width="2"{dash}/>')
        else:
            parts.append(f'<rect x="{x + 4}" y="{y - 10}" width="12" height="12" fill="{s.color}"/>')
        parts.append(f'<text x="{x + 25}" y="{y}" font-size="12" fill="#333">{escape(s.label)}</text>')
        x += span
    return parts, row + 1 if series else 0


def line_chart(labels: Sequence[str], series: Sequence[Series], title: str, unit: str = "",
               percent: bool = False, y_max: float | None = None, small: bool = False,
               describe: Callable[[Series, int, float], str] | None = None) -> Markup:
    """Lines over ``labels`` (months, weeks, years); a None value breaks the line. ``percent`` shows values
    0–1 as percentages; ``describe(series, index, value)`` writes each point's tooltip."""
    width, height = (SMALL_WIDTH, SMALL_HEIGHT) if small else (CHART_WIDTH, CHART_HEIGHT)
    series = colored(series)
    legend, rows = _legend(series, width, "line")
    values = [v for s in series for v in s.values if v is not None]
    frame = _Frame(labels, y_max if y_max is not None else max(values, default=0.0), width, height, percent,
                   rows, centered=False)
    parts = [_open("analytics-chart", width, height, title), *frame.axes(unit), *legend]
    for s in series:
        points = [(frame.x(i), frame.y(v)) for i, v in enumerate(s.values) if v is not None]
        runs: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(s.values):
            if value is None:
                runs.append([])
                continue
            runs[-1].append((frame.x(i), frame.y(value)))
        present = [i for i, v in enumerate(s.values) if v is not None]
        if len(present) > 1 and present[-1] - present[0] + 1 > len(present):
            # a month without data between two points: a faint dotted bridge, so the trend stays readable
            bridge = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{bridge}" fill="none" stroke="{s.color}" stroke-opacity=".45" '
                         f'stroke-width="1.5" stroke-dasharray="2 4"/>')
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{s.color}" stroke-width="2"{dash}/>')
        for i, value in enumerate(s.values):
            if value is None:
                continue
            tip = describe(s, i, value) if describe else f"{labels[i]} {s.label}：{_number(value, percent)}"
            parts.append(f'<circle cx="{frame.x(i):.1f}" cy="{frame.y(value):.1f}" r="3.5" fill="{s.color}">'
                         f'<title>{escape(tip)}</title></circle>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bar_chart(labels: Sequence[str], series: Sequence[Series], title: str, unit: str = "",
              small: bool = False) -> Markup:
    """Stacked bars, one per label; each part's tooltip gives its label and count, the top gives the total."""
    width, height = (SMALL_WIDTH, SMALL_HEIGHT) if small else (CHART_WIDTH, CHART_HEIGHT)
    series = colored(series)
    legend, rows = _legend(series, width, "box")
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    frame = _Frame(labels, max(totals, default=0.0), width, height, False, rows, centered=True, integer=True)
    parts = [_open("analytics-chart", width, height, title), *frame.axes(unit), *legend]
    bar = min(frame.step * 0.6, 36)
    for i, label in enumerate(labels):
        base = 0.0
        x = frame.x(i) - bar / 2
        for s in series:
            value = s.values[i] or 0
            if value <= 0:
                continue
            y0, y1 = frame.y(base), frame.y(base + value)
            parts.append(f'<rect x="{x:.1f}" y="{y1:.1f}" width="{bar:.1f}" height="{max(y0 - y1, 0.5):.1f}" '
                         f'fill="{s.color}"><title>{escape(f"{label} {s.label}：{_number(value, False)}")}</title></rect>')
            base += value
        if totals[i]:
            parts.append(f'<text x="{frame.x(i):.1f}" y="{frame.y(totals[i]) - 4:.1f}" font-size="11" fill="#444" '
                         f'text-anchor="middle">{_number(totals[i], False)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def heatmap(rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float | None]], title: str,
            percent: bool = True, notes: Sequence[Sequence[str]] | None = None) -> Markup:
    """A table of shaded cells (rows: topics or phrases; columns: years); darker is larger, relative to the
    largest value. ``notes[r][c]`` adds to a cell's tooltip (e.g. the document counts)."""
    label_width = min(max((len(r) for r in rows), default=4) * 13 + 16, 300)
    cell_w = max(min((CHART_WIDTH - label_width - 16) / max(len(columns), 1), 64), 30)
    cell_h = 24
    width = int(label_width + cell_w * len(columns) + 16)
    height = int(28 + cell_h * len(rows) + 8)
    top = max((v for row in values for v in row if v is not None), default=0.0) or 1.0
    parts = [_open("analytics-heatmap", width, height, title).replace("<svg ", f'<svg width="{width}" ', 1)]
    for c, column in enumerate(columns):
        parts.append(f'<text x="{label_width + cell_w * (c + 0.5):.1f}" y="18" font-size="11" fill="#444" '
                     f'text-anchor="middle">{escape(column)}</text>')
    for r, row in enumerate(rows):
        y = 28 + cell_h * r
        short = row if len(row) <= 22 else row[:21] + "…"
        parts.append(f'<text x="{label_width - 8}" y="{y + 16}" font-size="12" fill="#333" '
                     f'text-anchor="end">{escape(short)}</text>')
        for c, value in enumerate(values[r]):
            x = label_width + cell_w * c
            note = notes[r][c] if notes else ""
            if value is None:
                parts.append(f'<rect x="{x + 1:.1f}" y="{y + 1}" width="{cell_w - 2:.1f}" height="{cell_h - 2}" '
                             f'fill="#f4f5f7"><title>{escape(f"{row} · {columns[c]}：无数据")}</title></rect>')
                continue
            strength = value / top
            fill = f"rgba(166,27,27,{0.06 + 0.84 * strength:.3f})"
            text = "#fff" if strength > 0.55 else "#333"
            tip = f"{row} · {columns[c]}：{_number(value, percent)}" + (f"（{note}）" if note else "")
            parts.append(f'<g><title>{escape(tip)}</title><rect x="{x + 1:.1f}" y="{y + 1}" width="{cell_w - 2:.1f}" '
                         f'height="{cell_h - 2}" fill="{fill}"/><text x="{x + cell_w / 2:.1f}" y="{y + 16}" '
                         f'font-size="10" fill="{text}" text-anchor="middle">{_number(value, percent)}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
