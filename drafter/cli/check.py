"""``drafter check``: the CLI contract of DESIGN.md."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from drafter.cli.common import SEVERITY_LABELS, close_with_command, db_option, dump_json, settings_for
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
        close_with_command(db)
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
@click.option("--outline/--no-outline", "show_outline", default=False, help="文本输出时同时列出文稿提纲")
def check_command(files: tuple[str, ...], db_url: str | None, fmt: str, disable: str, show_outline: bool) -> None:
    """检查文稿：结构层次、标点数字规范、套话、重复率、相似材料等。

    FILE 为 .txt/.docx/.md 文件，“-”表示从标准输入读取。规则可在 instance/drafter.toml 的 [rules]
    表中按编号关闭（off）或改为 error/warning/info，也可用 --disable 临时关闭。

    退出状态：0 无错误；1 至少一条“错误”；2 有文件无法读取。
    """
    from drafter.services.checks import CheckConfigError, CheckRequest, RuleSettings, run_checks

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
        try:
            reports.append(run_checks(request, rules))
        except CheckConfigError as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)
    if fmt == "json":
        payload = [r.to_json() for r in reports]
        if payload:
            dump_json(payload[0] if len(files) == 1 else payload)
    else:
        for report in reports:
            for line in render_text(report, show_outline):
                click.echo(line)
    sys.exit(2 if unreadable else 1 if any(r.has_errors for r in reports) else 0)


#: Chinese names of the metrics checks report, for the text output.
METRIC_LABELS = {"headings": "标题数", "formulaic_density": "套话密度"}
#: Chinese names of rule families.
FAMILY_LABELS = {"structure": "结构层次", "norms": "标点数字规范", "formulaic": "套话", "reuse": "重复",
                 "similar": "相似材料", "typo": "错别字"}
_CONTEXT = 14
#: Findings of one line closer together than this share one quoted context.
_TOGETHER = 30


def render_text(report: Any, show_outline: bool = False) -> list[str]:
    """The text report of one file: a summary, then the findings grouped by line, with context."""
    from drafter.analysis.text import line_number

    text = report.text
    counts = report.counts()
    lines = [click.style(f"== {report.file}（{len(text)} 字）", bold=True)
             + f"：错误 {counts['error']} 处，警告 {counts['warning']} 处，提示 {counts['info']} 处"]
    if show_outline and report.outline:
        lines.append("提纲：")
        lines.extend(_outline_lines(report.outline))
    by_line: dict[int, list[Any]] = {}
    for finding in report.findings:
        by_line.setdefault(line_number(text, finding.start), []).append(finding)
    for number, findings in sorted(by_line.items()):
        together = max(f.end for f in findings) - min(f.start for f in findings) <= _TOGETHER
        lines.append(f"第{number}行  {_context(text, findings)}" if together else f"第{number}行")
        for finding in findings:
            label = SEVERITY_LABELS[finding.severity.value]
            colour = {"error": "red", "warning": "yellow", "info": "cyan"}[finding.severity.value]
            lines.append(f"  {click.style('[' + label + ']', fg=colour)} {finding.message}"
                         + click.style(f"  ({finding.rule})", dim=True))
            if not together:
                lines.append(f"      原文：{_context(text, [finding])}")
            if finding.suggestion:
                lines.append(f"      建议：{finding.suggestion}")
    if not report.findings:
        lines.append("  未发现问题。")
    else:
        families: dict[str, int] = {}
        for finding in report.findings:
            families[finding.family] = families.get(finding.family, 0) + 1
        lines.append("  分类：" + "，".join(f"{FAMILY_LABELS.get(k, k)} {v} 处" for k, v in families.items()))
    for key, value in report.metrics.items():
        if key.startswith("similar_"):
            continue
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            lines.append(f"  {METRIC_LABELS.get(key, key)}：{shown}")
    reuse = report.reuse
    if reuse.get("passages"):
        lines.append(f"  文字复制比：{reuse['copy_ratio']:.1%}，相似来源 {len(reuse['sources'])} 篇")
    lines.extend(_similar_lines(report))
    return lines


def _similar_lines(report: Any) -> list[str]:
    """The similar-material section: per paragraph of the text, the prior paragraphs found."""
    from drafter.analysis.text import line_number

    state = report.metrics.get("similar_semantic")
    if state is None:
        return []
    notes = {"missing": "（语义索引尚未计算，仅按关键词）", "partial": "（语义索引尚未算完）",
             "unavailable": "（未找到语义模型，仅按关键词）", "off": "（仅按关键词；用 --db 指定档案库可加上语义相近的材料）"}
    lines = [f"  相似材料 {len(report.similar)} 条{notes.get(state, '')}"]
    for item in report.similar:
        excerpt = item["paragraph"][:40] + ("…" if len(item["paragraph"]) > 40 else "")
        lines.append(f"    第{line_number(report.text, item['for_start'])}行 ← #{item['doc_id']} {item['title']}"
                     f" [{item['score']:.2f}]：{excerpt}")
    return lines


def _context(text: str, findings: list[Any]) -> str:
    """The stretch of the line around the findings, the flagged characters highlighted."""
    first = min(f.start for f in findings)
    last = max(f.end for f in findings)
    line_start = text.rfind("\n", 0, first) + 1
    line_end = text.find("\n", first)
    line_end = len(text) if line_end == -1 else line_end
    start = max(line_start, first - _CONTEXT)
    end = min(line_end, max(last, first + 1) + _CONTEXT)
    marks = sorted({(f.start, min(f.end, end)) for f in findings if f.end > f.start})
    pieces, cursor = [], start
    for mark_start, mark_end in marks:
        if mark_start < cursor:
            continue
        pieces.append(text[cursor:mark_start])
        pieces.append(click.style(text[mark_start:mark_end], fg="red", bold=True, underline=True))
        cursor = mark_end
    pieces.append(text[cursor:end])
    shown = "".join(pieces).replace("\u3000", " ")
    return ("…" if start > line_start else "") + shown.strip() + ("…" if end < line_end else "")


def _outline_lines(nodes: list[dict[str, Any]], indent: int = 1) -> list[str]:
    lines = []
    for node in nodes:
        title = node["title"] if len(node["title"]) <= 30 else node["title"][:29] + "…"
        lines.append("  " * indent + f"{node['marker']}{title}")
        lines.extend(_outline_lines(node["children"], indent + 1))
    return lines


def register(group: click.Group) -> None:
    """Add ``check`` to ``group``."""
    group.add_command(check_command)
