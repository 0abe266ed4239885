"""Analytics pages: a writer's progress, a mentor's juniors side by side, the office dashboard with the error
register (错误文稿登记, .xlsx/.csv) and what the archive says (topics, trends by year, near duplicates).

Thin: who may see what is in :mod:`drafter.services.analytics_permissions`, the figures come from
:mod:`drafter.services.writer_analytics`, :mod:`drafter.services.office_analytics` and
:mod:`drafter.services.archive_analytics`; the charts are server-side SVG (:mod:`drafter.web.trend_chart`).
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from drafter.analysis.office_metrics import Quarter
from drafter.services import analytics_permissions as can
from drafter.services import archive_analytics, jobs
from drafter.services import office_analytics as office
from drafter.services import writer_analytics as writers
from drafter.services.critique_permissions import can_view_feedback
from drafter.services.draft_checks import family_label
from drafter.services.version_summaries import status as summary_status
from drafter.store.models import Role, User
from drafter.store.workflow import AnnotationCategory
from drafter.web import db_session
from drafter.web.common import current_user, database, forbid, office_tz, today, user
from drafter.web.trend_chart import Series, bar_chart, heatmap, line_chart

bp = Blueprint("analytics", __name__, url_prefix="/analytics")

#: Colours of the annotation categories (the same in every chart).
CATEGORY_COLORS = {"viewpoint": "#9c4dcc", "structure": "#3f6fc4", "wording": "#c48f00", "typo": "#d32f2f",
                   "format": "#1f8a7f", "data": "#e0643a"}
#: Topics and phrases drawn in the year charts.
TREND_TOPICS = 6
HEATMAP_ROWS = 15
#: Error-register lines shown on the dashboard (newest first); the export has them all.
REGISTER_ROWS = 30


@bp.app_context_processor
def analytics_nav() -> dict[str, Any]:
    """Which analytics tabs the user has (for the header link and the tabs)."""
    me = current_user()
    return {"analytics_tabs": _tabs(me) if me is not None else []}


def _tabs(me: User) -> list[tuple[str, str, str]]:
    tabs = [("analytics.me", "我的进步", url_for("analytics.me"))]
    if can.can_view_mentor_page(me):
        tabs.append(("analytics.mentor", "指导学员", url_for("analytics.mentor")))
    if can.can_view_office(me):
        tabs.append(("analytics.office_dashboard", "办公室总览", url_for("analytics.office_dashboard")))
    tabs.append(("analytics.archive", "档案分析", url_for("analytics.archive")))
    return tabs


@bp.get("/")
def index() -> Response:
    """The first analytics page of the user: the dashboard (admin), the juniors (mentor), else their own."""
    me = user()
    if can.can_view_office(me):
        return redirect(url_for("analytics.office_dashboard"))
    if can.can_view_mentor_page(me):
        return redirect(url_for("analytics.mentor"))
    return redirect(url_for("analytics.me"))


# ------------------------------------------------------------------------------------------------ writer

@bp.get("/me")
def me() -> Response:
    """My own writer page."""
    return redirect(url_for("analytics.writer", user_id=user().id))


@bp.get("/writers/<int:user_id>")
def writer(user_id: int) -> str:
    """A writer's page: the writer, their current mentor and administrators; 404 for anyone else."""
    viewer = user()
    session = db_session()
    person = session.get(User, user_id)
    if person is None or not can.can_view_writer(session, viewer, person, today()):
        abort(404)
    report = writers.writer_report(session, viewer, person, today(), office_tz())
    return render_template("analytics/writer.html", report=report, person=person, me=viewer,
                           charts=_writer_charts(report), family_label=family_label,
                           categories=list(AnnotationCategory),
                           feedback=can_view_feedback(session, viewer, person, today()))


def _writer_charts(report: writers.WriterReport) -> dict[str, Any]:
    charts: dict[str, Any] = {}
    points = report.series
    if points:
        labels = [p.label for p in points]

        def rate_tip(series: Series, i: int, value: float) -> str:
            p = points[i]
            return f"{p.label} {series.label}：每千字 {value:.2f} 个（{p.versions} 个稿次，共 {p.chars} 字）"

        charts["rates"] = line_chart(labels, [Series(family_label(f), [p.rates[f] if p.versions else None
                                                                          for p in points])
                                              for f in report.families], "每千字问题数（按规则类别）", "个/千字",
                                     describe=rate_tip)
        density = [p.formulaic_density if p.versions else None for p in points]
        concrete = [p.concreteness if p.versions else None for p in points]
        if any(v is not None for v in density):
            charts["density"] = line_chart(labels, [Series("套话密度", density, "#b7791f")], "套话密度走势",
                                           percent=True, small=True)
        if any(v is not None for v in concrete):
            charts["concreteness"] = line_chart(labels, [Series("具体程度", concrete, "#237a3b")], "具体程度走势",
                                                y_max=1.0, small=True)
    if report.annotation_series:
        labels = [label for _, label, _ in report.annotation_series]
        charts["annotations"] = bar_chart(labels, [Series(c.label, [counts.get(c.value, 0) for _, _, counts in
                                                                     report.annotation_series],
                                                          CATEGORY_COLORS[c.value]) for c in AnnotationCategory],
                                          "收到的批注（按类别）", "条")
    if report.critiques:
        charts["critique"] = _critique_chart(report.critiques)
    return charts


def _critique_chart(rows: list[writers.CritiqueRow]) -> Any:
    """Peer and self scores of the 最满意 and 最不满意 drafts, meeting by meeting (oldest first)."""
    meetings = sorted({(r.held_on, r.meeting_id, r.meeting) for r in rows})
    labels = [f"{day:%Y-%m-%d}" for day, _, _ in meetings]
    index = {meeting_id: i for i, (_, meeting_id, _) in enumerate(meetings)}
    values: dict[tuple[str, str], list[float | None]] = {}
    for r in rows:
        for what, value in (("peer", r.peer), ("self", r.self_score)):
            values.setdefault((r.kind, what), [None] * len(meetings))[index[r.meeting_id]] = value
    styles = {("best", "peer"): ("最满意·互评", "#a61b1b", ""), ("best", "self"): ("最满意·自评", "#e08a8a", "4 3"),
              ("worst", "peer"): ("最不满意·互评", "#1f5fa8", ""), ("worst", "self"): ("最不满意·自评", "#8fb3dc", "4 3")}
    series = [Series(label, values[key], color, dash) for key, (label, color, dash) in styles.items() if key in values]
    return line_chart(labels, series, "交流会互评与自评得分", "分", y_max=5.0)


# ------------------------------------------------------------------------------------------------ mentor

@bp.get("/mentor")
def mentor() -> str:
    """The mentor page: juniors side by side, their drafts in review, my open annotations."""
    me = user()
    if not can.can_view_mentor_page(me):
        forbid("只有指导老师有学员页面。")
    report = writers.mentor_report(db_session(), me, today(), office_tz())
    charts: dict[str, Any] = {}
    if report.buckets:
        labels = [label for _, label in report.buckets]
        names = {j.junior.id: j.junior.display_name for j in report.juniors}
        charts["rates"] = line_chart(labels, [Series(names[j], values) for j, values in report.rates.items()],
                                     "各学员每千字问题数", "个/千字", small=True)
        if any(v is not None for values in report.densities.values() for v in values):
            charts["density"] = line_chart(labels, [Series(names[j], values)
                                                    for j, values in report.densities.items()],
                                           "各学员套话密度", percent=True, small=True)
    return render_template("analytics/mentor.html", report=report, charts=charts)


# ------------------------------------------------------------------------------------------------ office

def _office_only() -> User:
    me = user()
    if not can.can_view_office(me):
        abort(404)
    return me


def _quarter() -> Quarter:
    raw = request.args.get("quarter", "").strip()
    if raw:
        try:
            return Quarter.parse(raw)
        except ValueError as exc:
            flash(str(exc), "error")
    return Quarter.of(today())


def _year(default: int) -> int:
    year = request.args.get("year", type=int)
    return year if year and 1900 <= year <= 2999 else default


@bp.get("/office")
def office_dashboard() -> str:
    """The office dashboard (administrators)."""
    _office_only()
    session = db_session()
    quarter = _quarter()
    board = office.dashboard(session, quarter, today(), office_tz(), _year(quarter.year))
    people = session.scalars(select(User).where(User.active.is_(True)).order_by(User.display_name)).all()
    quarters = [Quarter.of(today())]
    while len(quarters) < 8:
        quarters.append(quarters[-1].previous())
    return render_template("analytics/office.html", board=board, quarters=quarters,
                           writers=[p for p in people if p.has_role(Role.WRITER)],
                           coverage=summary_status(session), categories=list(AnnotationCategory),
                           register_rows=REGISTER_ROWS)


@bp.get("/office/errors.<fmt>")
def error_register(fmt: str) -> Response:
    """The error register of a year as .xlsx or .csv (administrators)."""
    _office_only()
    if fmt not in ("xlsx", "csv"):
        abort(404)
    year = _year(today().year)
    entries = office.error_register(db_session(), year, office_tz())
    if fmt == "csv":
        data, mimetype = office.register_csv(entries, office_tz()), "text/csv; charset=utf-8"
    else:
        data = office.register_xlsx(entries, year, office_tz())
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"{year}年错误文稿登记.{fmt}"
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=f"errors-{year}.{fmt}")
    response.headers["Content-Disposition"] = f"attachment; filename=errors-{year}.{fmt}; filename*=UTF-8''{quote(name)}"
    return response


# ----------------------------------------------------------------------------------------------- archive

@bp.get("/archive")
def archive() -> str:
    """What the archive says: topics, trends by year, near-duplicate clusters (every user)."""
    me = user()
    if not can.can_view_archive_analytics(me):
        abort(404)
    session = db_session()
    state = archive_analytics.archive_status(session)
    found = archive_analytics.latest_result(session)
    result = found[1] if found else None
    return render_template("analytics/archive.html", state=state, result=result,
                           charts=_archive_charts(result) if result else {},
                           rising=archive_analytics.movers(result, True) if result else [],
                           falling=archive_analytics.movers(result, False) if result else [],
                           can_refresh=can.can_refresh_archive_analytics(me),
                           stage_labels=archive_analytics.STAGE_LABELS)


def _archive_charts(result: dict[str, Any]) -> dict[str, Any]:
    charts: dict[str, Any] = {}
    years = [str(y) for y in result.get("years", [])]
    topic_years = result.get("topic_years", {})
    topics = result.get("topics", [])
    counts = result.get("year_counts", {})
    if years and topics:
        columns = [f"{y}年" for y in years]
        rows = [f"{t['index'] + 1}. {t['label']}" for t in topics]
        values = [[topic_years[y][t["index"]] if y in topic_years else None for y in years] for t in topics]
        notes = [[f"{counts.get(y, 0)} 篇" for y in years] for _ in topics]
        charts["topic_heatmap"] = heatmap(rows, columns, values, "各年份主题占比", notes=notes)
        if len(years) > 1:
            shown = topics[:TREND_TOPICS]
            charts["topic_lines"] = line_chart(columns, [Series(f"{t['index'] + 1}. {t['label']}", values[i])
                                                         for i, t in enumerate(shown)],
                                               "主要主题的年度走势", percent=True)
    phrases = result.get("phrases", [])[:HEATMAP_ROWS]
    if years and phrases:
        rows = [p["phrase"] for p in phrases]
        values = [[(p["years"].get(y, 0) / counts[y]) if counts.get(y) else None for y in years] for p in phrases]
        notes = [[f"{p['years'].get(y, 0)}/{counts.get(y, 0)} 篇" for y in years] for p in phrases]
        charts["phrase_heatmap"] = heatmap(rows, [f"{y}年" for y in years], values, "本单位常用语各年份使用比例",
                                           notes=notes)
    return charts


@bp.post("/archive/refresh")
def archive_refresh() -> Response:
    """Ask the background worker to compute the archive analytics again (administrators)."""
    me = user()
    if not can.can_refresh_archive_analytics(me):
        abort(404)
    session = db_session()
    run, created = archive_analytics.request_refresh(session)
    url = database().url
    if jobs.queue_for(url) is None:
        session.rollback()
        flash("本系统未启用后台任务队列，无法在网页上计算。请在服务器上运行 drafter analytics --refresh。", "error")
        return redirect(url_for("analytics.archive"))
    if created:
        jobs.request_after_commit(session, jobs.ANALYTICS_TASK)
    session.commit()
    flash("已提交计算请求，后台任务完成前本页显示进度。" if created else "计算已在进行中。", "success")
    return redirect(url_for("analytics.archive"))
