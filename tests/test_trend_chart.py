"""The writer's trend chart: inline SVG with Chinese labels, every point with its interval and a tooltip."""

import datetime as dt
import xml.etree.ElementTree as ET

from drafter.services.critique_results import TrendPoint
from drafter.web.trend_chart import trend_svg

SVG = "{http://www.w3.org/2000/svg}"


def _point(day, kind, peer, title="3月交流会<测试>"):
    return TrendPoint(day, title, kind, peer, peer - 0.4, peer + 0.4, peer + 0.5, 2, 8)


def test_chart_draws_both_series_with_intervals_self_scores_and_escaped_labels():
    points = [_point(dt.date(2024, 3, 1), "best", 3.2), _point(dt.date(2024, 3, 1), "worst", 2.4),
              _point(dt.date(2024, 6, 1), "best", 4.1, "6月交流会"), _point(dt.date(2024, 6, 1), "worst", 2.9, "6月交流会")]
    svg = str(trend_svg(points))
    root = ET.fromstring(svg)  # well-formed XML: titles and labels are escaped
    assert root.tag == f"{SVG}svg" and "历次交流会互评得分趋势" in root.get("aria-label")
    assert len(root.findall(f"{SVG}polyline")) == 2
    groups = root.findall(f"{SVG}g")
    assert len(groups) == 4
    tips = [g.find(f"{SVG}title").text for g in groups]
    assert "3月交流会<测试>（2024-03-01）最满意：互评3.20分（区间2.80—3.60），自评3.70分，第2名/共8篇" in tips
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "2024-03-01" in texts and "最满意（互评）" in texts and "自评" in texts and "95%区间" in texts
    assert "&lt;测试&gt;" in svg


def test_one_meeting_draws_points_without_lines_and_clips_to_the_scale():
    svg = str(trend_svg([_point(dt.date(2024, 3, 1), "best", 5.6)]))
    root = ET.fromstring(svg)
    assert root.findall(f"{SVG}polyline") == []
    circle = root.find(f"{SVG}g").find(f"{SVG}circle")
    assert float(circle.get("cy")) >= 44  # at the top line, not above the chart


def test_nice_steps_are_round_and_whole_for_counts():
    from drafter.web.trend_chart import nice_step

    assert nice_step(0.22) == 0.1 and nice_step(55) == 20 and nice_step(100) == 25
    assert nice_step(5, integer=True) == 2 and nice_step(1, integer=True) == 1 and nice_step(0) == 0.25


def test_line_chart_breaks_at_missing_months_bridges_them_faintly_and_titles_every_point():
    from drafter.web.trend_chart import Series, line_chart

    svg = str(line_chart(["1月", "2月", "3月", "4月"], [Series("结构<层次>", [2.0, None, 1.0, 0.5]),
                                                      Series("套话", [None, None, None, 3.0])], "每千字问题数", "个/千字"))
    root = ET.fromstring(svg)
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2  # the solid 3月–4月 run and the faint bridge over 2月
    assert any(line.get("stroke-dasharray") == "2 4" for line in lines)
    tips = [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")]
    assert tips == ["1月 结构<层次>：2", "3月 结构<层次>：1", "4月 结构<层次>：0.50", "4月 套话：3"]
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "个/千字" in texts and "结构<层次>" in texts and "3" in texts and "4" not in texts  # top tick: the maximum, 3


def test_bar_chart_stacks_counts_and_heatmap_shades_cells():
    from drafter.web.trend_chart import Series, bar_chart, heatmap

    root = ET.fromstring(str(bar_chart(["5月", "6月"], [Series("数据", [2, 0]), Series("格式", [1, 3])], "批注")))
    tips = [r.find(f"{SVG}title").text for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert tips == ["5月 数据：2", "5月 格式：1", "6月 格式：3"]
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "middle"][-2:] == ["3", "3"]
    cells = ET.fromstring(str(heatmap(["防汛"], ["2021年", "2022年"], [[0.5, None]], "主题", notes=[["4 篇", "0 篇"]])))
    titles = [t.text for t in cells.iter(f"{SVG}title")]
    assert titles == ["防汛 · 2021年：50%（4 篇）", "防汛 · 2022年：无数据"]
    assert cells.get("width")  # drawn at its own size, not stretched
