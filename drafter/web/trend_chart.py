"""The writer's trend chart as inline SVG, drawn on the server (no script, no library, readable in Chinese).

x: meetings in date order; y: the corrected peer score (1–5) of the 最满意 and the 最不满意 draft of each
meeting, with its 95 % interval as a vertical bar; the self-score as a hollow marker beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    parts = [f'<svg class="trend-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="历次交流会互评得分趋势" xmlns="http://www.w3.org/2000/svg" {FONT}>']
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
