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
