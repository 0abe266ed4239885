"""Tests for drafter.services.office_analytics on the history of analytics_support (known answers)."""

import csv
import datetime as dt
import io

import pytest
from analytics_support import DAY, build_history

from drafter.analysis.office_metrics import Quarter
from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.services.office_analytics import (
    REGISTER_COLUMNS,
    annotation_problems,
    cycle_times,
    dashboard,
    dashboard_json,
    error_register,
    exemplars,
    period_totals,
    queue_loads,
    register_csv,
    register_xlsx,
    rule_problems,
)

UTC = dt.UTC
Q1, Q2 = Quarter(2024, 1), Quarter(2024, 2)


@pytest.fixture
def history(db, office):
    return build_history(db, office)


def test_period_totals_count_actions_and_checked_text(db, history):
    with db.session() as session:
        q2 = period_totals(session, Q2.start, Q2.end, UTC)
        q1 = period_totals(session, Q1.start, Q1.end, UTC)
    assert (q2.created, q2.submissions, q2.returns, q2.approvals) == (3, 2, 1, 0)
    assert (q2.versions_checked, q2.chars_checked, q2.findings_per_thousand) == (2, 2500, 2.0)
    assert (q1.created, q1.submissions, q1.returns, q1.approvals) == (1, 2, 1, 1)
    assert q1.findings_per_thousand == 3.5


def test_cycle_times_per_layer_and_to_approval(db, history):
    with db.session() as session:
        q1 = cycle_times(session, Q1.start, Q1.end, UTC)
        q2 = cycle_times(session, Q2.start, Q2.end, UTC)
    assert [(layer.title, layer.times.count, layer.times.median, layer.times.slowest, layer.returns)
            for layer in q1.layers] == [("指导老师", 2, 1.0, 1.0, 1), ("办公室主任", 1, 2.0, 2.0, 0), ("科长", 1, 1.0, 1.0, 0)]
    assert (q1.overall.count, q1.overall.median) == (4, 1.0)
    assert (q1.approval.count, q1.approval.median, q1.slowest_approval.id) == (1, 6.5, history["A"])
    assert [(layer.title, layer.times.median, layer.returns) for layer in q2.layers] == [("指导老师", 1.0, 0),
                                                                                         ("科长", 2.0, 1)]
    assert q2.layers[1].slowest_draft.id == history["B"] and q2.layers[1].slowest_reviewer.display_name == "周科长"
    assert (q2.overall.median, q2.overall.slowest, q2.approval.count) == (1.5, 2.0, 0)


def test_queues_problems_and_error_register(db, history):
    with db.session() as session:
        assert [(q.reviewer.display_name, q.waiting, q.oldest_days, q.overdue) for q in queue_loads(session, DAY, UTC)] \
            == [("李老师", 1, 2, 0)]
        rules = rule_problems(session, Q2, UTC)
        assert [(r.key, r.label, r.now, r.before, r.now_occurrences, r.example) for r in rules] == [
            ("formulaic.stock", "套话空话", 1, 1, 3, "formulaic_stock问题"), ("norms.punct", "标点与数字规范", 1, 0, 2, "norms_punct问题")]
        categories = {p.key: (p.now, p.before) for p in annotation_problems(session, Q2, UTC)}
        assert categories == {"format": (1, 0), "data": (1, 1), "structure": (1, 0), "wording": (0, 1),
                              "viewpoint": (0, 0), "typo": (0, 0)}
        [entry] = error_register(session, 2024, UTC)
        assert (entry.draft_id, entry.writer, entry.unit, entry.mentor, entry.level, entry.reviewer) == (
            history["B"], "张晓宇", "综合一科", "李老师", "科长", "周科长")
        assert (entry.round, entry.version, entry.categories, entry.category_text) == (
            1, 1, {"format": 1, "data": 1}, "格式1、数据1")
        assert entry.comment == "格式和数据问题较多，请修改后再报"
        assert error_register(session, 2023, UTC) == []


def test_error_register_exports_to_csv_and_xlsx(db, history):
    from openpyxl import load_workbook

    with db.session() as session:
        entries = error_register(session, 2024, UTC)
    data = register_csv(entries, UTC)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == REGISTER_COLUMNS
    assert rows[1] == ["2024-05-09", "关于节约用电的通知", "通知", "张晓宇", "综合一科", "李老师", "科长", "周科长", "1",
                       "1", "格式1、数据1", "格式和数据问题较多，请修改后再报"]
    sheet = load_workbook(io.BytesIO(register_xlsx(entries, 2024, UTC))).active
    assert sheet.title == "2024年错误文稿登记" and sheet["A1"].value.startswith("2024年错误文稿登记")
    assert tuple(c.value for c in sheet[2]) == REGISTER_COLUMNS
    assert [c.value for c in sheet[3]][:4] == ["2024-05-09", "关于节约用电的通知", "通知", "张晓宇"]
    assert sheet.freeze_panes == "A3" and sheet.max_row == 3
    empty = load_workbook(io.BytesIO(register_xlsx([], 2023, UTC))).active
    assert empty.max_row == 2  # title and headers: an empty register is still a valid file


def test_exemplars_and_the_dashboard_as_json(db, history):
    with db.session() as session:
        meta = DocumentMeta(title="关于优化营商环境的调研报告", author="王主任", year=2024, exemplar=True)
        add_document(session, build_document("关于优化营商环境的调研报告\n调研了三十家企业。\n", meta))
    with db.session() as session:
        assert [(e.title, e.writer, e.source) for e in exemplars(session, 2024)] == [
            ("关于优化营商环境的调研报告", "王主任", "档案库")]
        assert exemplars(session, 2023) == []
        data = dashboard_json(dashboard(session, Q2, DAY, UTC), UTC)
    assert data["quarter"] == "2024Q2" and data["previous_quarter"] == "2024Q1"
    assert data["totals"]["submissions"] == 2 and data["previous_cycle_times"]["submission_to_approval"]["median_days"] == 6.5
    assert data["error_register"]["entries"][0]["categories"] == {"格式": 1, "数据": 1}
    assert data["queues"] == [{"reviewer": "李老师", "waiting": 1, "oldest_days": 2, "overdue": 0}]
