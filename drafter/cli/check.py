"""``drafter check``: the CLI contract of DESIGN.md."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from drafter.cli.common import SEVERITY_LABELS, db_option, dump_json, settings_for
from drafter.config import DEFAULT_DB_URL, Settings
from drafter.docio import DocumentReadError, read_bytes, read_path
from drafter.store.db import Database, DatabaseError


def _archive_for_check(db_url: str | None, settings: Settings) -> Database | None:
    """The archive to compare with: --db or DRAFTER_DB, else the default database if it exists."""
    url = settings.db_url
    if db_url is None and url == DEFAULT_DB_URL and not Path("instance/drafter.db").exists():
        return None
    try:
        db = Database(url)
        if not db.is_initialised():
            db.upgrade()
        return db
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc


def _read_input(name: str, limit: int) -> str:
    if name == "-":
        return read_bytes(sys.stdin.buffer.read(), "stdin.txt", limit).text
    return read_path(name, max_bytes=limit).text


@click.command("check")
@click.argument("files", nargs=-1, required=True)
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--disable", "disable", default="", metavar="RULE,...", help="关闭的规则编号，逗号分隔")
def check_command(files: tuple[str, ...], db_url: str | None, fmt: str, disable: str) -> None:
    """检查文稿：结构层次、标点数字规范、套话、重复率、相似材料等。

    退出状态：0 无错误；1 至少一条“错误”；2 有文件无法读取。
    """
    from drafter.services.checks import CheckRequest, RuleSettings, run_checks

    settings = settings_for(db_url)
    try:
        rules = RuleSettings.build(settings.rules, disable.split(","))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    archive = _archive_for_check(db_url, settings)
    reports, unreadable = [], False
    for name in files:
        try:
            text = _read_input(name, settings.upload_limit_bytes)
        except DocumentReadError as exc:
            click.echo(f"无法读取 {name}：{exc}", err=True)
            unreadable = True
            continue
        options = dict(settings.extra)
        if archive is not None and db_url is None and not os.environ.get("DRAFTER_DB"):
            # The default archive was picked up implicitly: keep a quick check quick (no embedding model).
            options["similar"] = {**options.get("similar", {}), "semantic": False}
        request = CheckRequest(text=text, name=name, archive=archive, options=options)
        reports.append(run_checks(request, rules))
    if fmt == "json":
        payload = [r.to_json() for r in reports]
        if payload:
            dump_json(payload[0] if len(files) == 1 else payload)
    else:
        for report in reports:
            _print_report(report)
    sys.exit(2 if unreadable else 1 if any(r.has_errors for r in reports) else 0)


def _print_report(report: Any) -> None:
    from drafter.analysis.text import line_number

    counts = report.counts()
    click.echo(f"== {report.file}（{len(report.text)} 字）：错误 {counts['error']}，警告 {counts['warning']}，"
               f"提示 {counts['info']}")
    for finding in report.findings:
        line = line_number(report.text, finding.start)
        excerpt = report.text[finding.start:finding.end].replace("\n", "↵")
        if len(excerpt) > 30:
            excerpt = excerpt[:28] + "…"
        click.echo(f"  第{line}行 [{SEVERITY_LABELS[finding.severity.value]}] {finding.rule}  “{excerpt}”")
        click.echo(f"      {finding.message}")
        if finding.suggestion:
            click.echo(f"      建议：{finding.suggestion}")
    for key, value in report.metrics.items():
        if key.startswith("similar_"):
            continue
        if isinstance(value, (int, float, str)):
            click.echo(f"  指标 {key}: {value:.3f}" if isinstance(value, float) else f"  指标 {key}: {value}")
    reuse = report.reuse
    if reuse.get("passages"):
        click.echo(f"  文字复制比：{reuse['copy_ratio']:.1%}，相似来源 {len(reuse['sources'])} 篇")
    _print_similar(report)


def _print_similar(report: Any) -> None:
    """The similar-material section: per paragraph of the text, the prior paragraphs found."""
    from drafter.analysis.text import line_number

    state = report.metrics.get("similar_semantic")
    if state is None:
        return
    notes = {"missing": "（语义索引尚未计算，仅按关键词）", "partial": "（语义索引尚未算完）",
             "unavailable": "（未找到语义模型，仅按关键词）", "off": "（仅按关键词；用 --db 指定档案库可加上语义相近的材料）"}
    click.echo(f"  相似材料 {len(report.similar)} 条{notes.get(state, '')}")
    for item in report.similar:
        excerpt = item["paragraph"][:40] + ("…" if len(item["paragraph"]) > 40 else "")
        click.echo(f"    第{line_number(report.text, item['for_start'])}行 ← #{item['doc_id']} {item['title']}"
                   f" [{item['score']:.2f}]：{excerpt}")




def register(group: click.Group) -> None:
    """Add ``check`` to ``group``."""
    group.add_command(check_command)
