"""``drafter analytics``: the office dashboard, the error register and the archive analytics for scripts —
the same figures as the web pages, as text or JSON."""

from __future__ import annotations

import sys
from typing import Any

import click

from drafter.cli.common import db_option, dump_json, open_db


@click.command("analytics")
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--quarter", help="统计的季度，如 2024Q3（默认本季度）")
@click.option("--year", type=click.IntRange(1900, 2999), help="错误文稿登记和精品佳作的年份（默认该季度所在年份）")
@click.option("--writer", "username", help="同时输出这名撰稿人的个人统计（用户名）")
@click.option("--refresh", is_flag=True, help="重新计算档案分析（主题、逐年趋势、近似重复），显示进度")
@click.option("--topics", type=click.IntRange(2, 50), help="主题个数（默认按档案篇数自动确定）")
def analytics_command(db_url: str | None, fmt: str, quarter: str | None, year: int | None, username: str | None,
                      refresh: bool, topics: int | None) -> None:
    """统计分析：审阅用时、审阅队列、常见问题、错误文稿登记、档案主题与近似重复。

    档案分析没有算过或档案已有较大变动时先计算（进度显示在标准错误输出）。"""
    from sqlalchemy import select

    from drafter.analysis.office_metrics import Quarter
    from drafter.services import archive_analytics, office_analytics, writer_analytics
    from drafter.services.audit import as_utc
    from drafter.services.drafts import office_zone, today_local
    from drafter.store.models import User

    settings, db = open_db(db_url)
    tz = office_zone(str(settings.extra.get("timezone", "Asia/Shanghai")))
    day = today_local(tz=tz)
    try:
        period = Quarter.parse(quarter) if quarter else Quarter.of(day)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    _refresh_archive(db, refresh, topics)
    with db.session() as session:
        board = office_analytics.dashboard(session, period, day, tz, year)
        data: dict[str, Any] = {"office": office_analytics.dashboard_json(board, tz)}
        if username:
            person = session.scalar(select(User).where(User.username == username))
            if person is None:
                raise click.ClickException(f"没有用户名为“{username}”的账号")
            data["writer"] = writer_analytics.writer_json(writer_analytics.writer_report(session, person, person, day, tz))
        found = archive_analytics.latest_result(session)
        state = archive_analytics.archive_status(session)
        data["archive"] = None if found is None else {
            "computed_at": as_utc(found[0].finished_at).isoformat() if found[0].finished_at else None,
            "stale": state.stale, "changed_documents": state.changed, **found[1]}
    if fmt == "json":
        dump_json(data)
    else:
        click.echo(render_text(data))


def _refresh_archive(db, refresh: bool, topics: int | None) -> None:  # type: ignore[no-untyped-def]
    from drafter.services import archive_analytics

    with db.session() as session:
        state = archive_analytics.archive_status(session)
    if not (refresh or state.stale) or state.documents == 0:
        return
    if state.active is not None and state.active.status == "running" and not refresh:
        click.echo("提示：后台任务正在计算档案分析，先输出上一次的结果。", err=True)
        return
    labels = archive_analytics.STAGE_LABELS
    with click.progressbar(length=max(state.documents, 1), label=labels["read"], file=sys.stderr, show_pos=True,
                           show_percent=True, show_eta=True) as bar:
        def progress(stage: str, done: int, total: int) -> None:
            if stage == "read":
                bar.length = max(total, 1)
                bar.update(done - bar.pos)
            else:
                bar.label = labels.get(stage, stage)
                bar.render_progress()

        try:
            archive_analytics.run_pending(db, force=True, progress=progress, n_topics=topics)
        except Exception as exc:
            raise click.ClickException(f"档案分析计算失败：{exc}") from exc


def _days(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 24:.1f} 小时" if value < 1 else f"{value:.1f} 天"


def render_text(data: dict[str, Any]) -> str:
    """The figures as readable Chinese text."""
    office = data["office"]
    t, p = office["totals"], office["previous_totals"]
    lines = [f"办公室总览（{office['quarter']}，对比 {office['previous_quarter']}）",
             f"  新建文稿 {t['drafts_created']}（{p['drafts_created']}）  提交审阅 {t['submissions']}（{p['submissions']}）  "
             f"退回 {t['returns']}（{p['returns']}）  通过 {t['approvals']}（{p['approvals']}）",
             "  每千字问题数 " + (f"{t['findings_per_thousand']:.2f}" if t["findings_per_thousand"] is not None else "—")
             + f"（{t['versions_checked']} 个已检查稿次）", "", "审阅用时（本季度作出的决定）："]
    cycle = office["cycle_times"]
    for layer in cycle["layers"]:
        lines.append(f"  {layer['title']}：{layer['count']} 次，中位 {_days(layer['median_days'])}，"
                     f"最慢 {_days(layer['slowest_days'])}，退回 {layer['returns']} 次")
    if not cycle["layers"]:
        lines.append("  本季度还没有审阅决定")
    approval = cycle["submission_to_approval"]
    lines.append(f"  首次提交到通过：{approval['count']} 篇，中位 {_days(approval['median_days'])}，"
                 f"最慢 {_days(approval['slowest_days'])}")
    lines += ["", "审阅队列："]
    lines += [f"  {q['reviewer']}：待审 {q['waiting']} 篇，最久已等 {q['oldest_days']} 天" + (f"，逾期 {q['overdue']} 篇" if q["overdue"] else "")
              for q in office["queues"]] or ["  目前没有等待审阅的文稿"]
    lines += ["", "审阅批注类别（本季度 / 上季度）："]
    lines += [f"  {c['label']}：{c['this_quarter']} / {c['last_quarter']}" for c in office["annotation_categories"]]
    lines += ["", "检查发现最多的问题（涉及文稿数，本季度 / 上季度）："]
    lines += [f"  {r['key']}：{r['this_quarter']} / {r['last_quarter']}  {r['example'][:40]}"
              for r in office["check_problems"]] or ["  本季度还没有已检查的稿次"]
    register = office["error_register"]
    lines += ["", f"错误文稿登记（{register['year']}年，签批环节退回）：{len(register['entries'])} 篇"]
    for e in register["entries"]:
        categories = "、".join(f"{k}{v}" for k, v in e["categories"].items()) or "未加批注"
        lines.append(f"  {e['returned_on']} 《{e['title']}》 {e['writer']} · {e['level']}{e['reviewer']}退回 · {categories}")
    lines += ["", f"精品佳作（{register['year']}年）：{len(office['exemplars'])} 篇"]
    lines += [f"  《{e['title']}》 {e['writer']} · {e['source']}" for e in office["exemplars"]]
    if "writer" in data:
        w = data["writer"]
        lines += ["", f"撰稿人 {w['writer']}：文稿 {w['drafts']} 篇，共 {w['versions']} 稿，已检查 {w['checked_versions']} 稿",
                  "  每千字问题数：" + "，".join(f"{k} {v:.2f}" for k, v in w["findings_per_thousand"].items() if v is not None)]
        lines += [f"  {c['held_on']} {c['meeting']}：第 {c['rank']}/{c['total']} 名，互评 {c['peer_score']:.2f}，自评 {c['self_score']:.2f}"
                  for c in w["critiques"] if c["rank"] and c["peer_score"] is not None and c["self_score"] is not None]
    archive = data.get("archive")
    lines += ["", "档案分析："]
    if archive is None:
        lines.append("  还没有计算（档案库为空，或运行 drafter analytics --refresh）")
        return "\n".join(lines)
    lines.append(f"  {archive['documents']} 篇档案，计算于 {archive['computed_at']}" + ("（档案已有变动，建议 --refresh）" if archive["stale"] else ""))
    for topic in archive["topics"]:
        lines.append(f"  主题{topic['index'] + 1}：{'、'.join(topic['terms'][:6])}（占 {topic['share'] * 100:.1f}%，{topic['documents']} 篇）")
    lines.append(f"  近似重复：{archive['cluster_count']} 组，{archive['duplicate_documents']} 篇")
    for cluster in archive["clusters"][:10]:
        titles = "；".join(d["title"] for d in cluster["documents"][:4])
        lines.append(f"    {len(cluster['documents'])} 篇（重合度 {cluster['mean_similarity'] * 100:.0f}%）：{titles}")
    return "\n".join(lines)


def register(group: click.Group) -> None:
    """Add ``analytics`` to ``group``."""
    group.add_command(analytics_command)
