"""The ``drafter`` command: parses arguments, calls services, renders results. No logic of its own."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from drafter.config import DEFAULT_DB_URL, ConfigError, Settings, load_settings
from drafter.docio import DocumentReadError, read_bytes, read_path
from drafter.store.db import Database, DatabaseError, open_database

_SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def db_option(func: Any) -> Any:
    """The ``--db URL`` option every archive command takes."""
    return click.option("--db", "db_url", metavar="URL", default=None,
                        help="数据库地址，默认取环境变量 DRAFTER_DB，否则 sqlite:///instance/drafter.db")(func)


def _settings(db_url: str | None) -> Settings:
    try:
        return load_settings(db_url=db_url)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


def _open(db_url: str | None) -> tuple[Settings, Database]:
    settings = _settings(db_url)
    try:
        return settings, open_database(settings.db_url)
    except DatabaseError as exc:
        raise click.ClickException(str(exc)) from exc


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="drafter")
def main() -> None:
    """文稿助手 Drafter：公文起草、审阅与文稿档案工具。"""


# ------------------------------------------------------------------------------------------------ archive

@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--type", "doc_type", help="文种（如 通知、工作总结）；不指定时从标题推断")
@click.option("--unit", help="单位")
@click.option("--author", help="作者")
@click.option("--year", type=int, help="年份；不指定时从成文日期推断")
@click.option("--tag", "tags", multiple=True, help="标签，可重复")
@click.option("--exemplar", is_flag=True, help="标记为精品佳作")
def import_command(paths: tuple[Path, ...], db_url: str | None, doc_type: str | None, unit: str | None,
                   author: str | None, year: int | None, tags: tuple[str, ...], exemplar: bool) -> None:
    """导入文件或文件夹（.txt / .docx / .md，文件夹递归），按内容去重。"""
    from drafter.services.archive import DocumentMeta, import_file, iter_files
    from drafter.services.archive import ImportOutcome, ImportSummary

    settings, db = _open(db_url)
    meta = DocumentMeta(doc_type=doc_type, unit=unit, author=author, year=year, tags=list(tags), exemplar=exemplar)
    files = list(iter_files(paths))
    summary = ImportSummary()
    with click.progressbar(files, label="导入中", file=sys.stderr, show_pos=True,
                           item_show_func=lambda item: item[0].name if item else "") as bar:
        for path, error in bar:
            outcome = (ImportOutcome(str(path), "failed", reason=error) if error
                       else import_file(db, path, meta, settings.upload_limit_bytes))
            summary.outcomes.append(outcome)
    click.echo(f"导入完成：新增 {summary.count('imported')} 篇，重复跳过 {summary.count('duplicate')} 篇，"
               f"失败 {summary.count('failed')} 篇。")
    for outcome in summary.failed:
        click.echo(f"  失败：{outcome.path}：{outcome.reason}")
    sys.exit(1 if summary.failed else 0)


@main.command("list")
@db_option
@click.option("--query", "-q", help="按标题或单位中的词筛选")
@click.option("--type", "doc_type", help="文种")
@click.option("--year", type=int, help="年份")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_command(db_url: str | None, query: str | None, doc_type: str | None, year: int | None, limit: int,
                 fmt: str) -> None:
    """列出档案中的文档（新的在前）。"""
    from drafter.services.archive import list_documents

    _, db = _open(db_url)
    with db.session() as session:
        documents, total = list_documents(session, query=query, doc_type=doc_type, year=year, limit=limit)
        rows = [{"id": d.id, "title": d.title, "doc_type": d.doc_type, "unit": d.unit, "author": d.author,
                 "year": d.year, "chars": d.chars, "exemplar": d.is_exemplar, "path": d.origin_path}
                for d in documents]
    if fmt == "json":
        _dump(rows)
        return
    click.echo(f"共 {total} 篇，显示 {len(rows)} 篇")
    for row in rows:
        star = "★" if row["exemplar"] else " "
        click.echo(f"{row['id']:>6} {star} {row['year'] or '----'} {row['doc_type'] or '—':<6} {row['title']}")


@main.command("show")
@click.argument("doc_id", type=int)
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show_command(doc_id: int, db_url: str | None, fmt: str) -> None:
    """显示一篇文档的元数据和全文。"""
    from drafter.services.archive import NotFound, get_document

    _, db = _open(db_url)
    with db.session() as session:
        try:
            d = get_document(session, doc_id)
        except NotFound as exc:
            raise click.ClickException(str(exc)) from exc
        data = {"id": d.id, "title": d.title, "doc_type": d.doc_type, "unit": d.unit, "author": d.author,
                "date": d.date.isoformat() if d.date else None, "year": d.year, "tags": d.tag_names,
                "exemplar": d.is_exemplar, "path": d.origin_path, "chars": d.chars, "text": d.text}
    if fmt == "json":
        _dump(data)
        return
    labels = (("标题", "title"), ("文种", "doc_type"), ("单位", "unit"), ("作者", "author"), ("日期", "date"),
              ("年份", "year"), ("字数", "chars"), ("来源", "path"))
    for label, key in labels:
        click.echo(f"{label}：{data[key] if data[key] is not None else '—'}")
    click.echo(f"标签：{'、'.join(data['tags']) or '—'}    精品佳作：{'是' if data['exemplar'] else '否'}")
    click.echo("-" * 40)
    click.echo(data["text"])


@main.command("export")
@click.argument("doc_id", type=int)
@db_option
@click.option("--format", "fmt", type=click.Choice(["txt", "docx"]), default="docx", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="输出文件；默认以标题命名，保存在当前目录")
def export_command(doc_id: int, db_url: str | None, fmt: str, output: Path | None) -> None:
    """导出文档为 .txt 或符合 GB/T 9704 版式的 .docx。"""
    from drafter.services.archive import NotFound, export_document, get_document

    _, db = _open(db_url)
    with db.session() as session:
        try:
            document = get_document(session, doc_id)
        except NotFound as exc:
            raise click.ClickException(str(exc)) from exc
        data = export_document(document, fmt)
        safe_title = "".join(ch for ch in document.title if ch not in '\\/:*?"<>|')[:60] or f"文档{doc_id}"
    target = output or Path(f"{safe_title}.{fmt}")
    target.write_bytes(data)
    click.echo(f"已导出：{target}")


# ------------------------------------------------------------------------------------------------ check

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


@main.command("check")
@click.argument("files", nargs=-1, required=True)
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--disable", "disable", default="", metavar="RULE,...", help="关闭的规则编号，逗号分隔")
def check_command(files: tuple[str, ...], db_url: str | None, fmt: str, disable: str) -> None:
    """检查文稿：结构层次、标点数字规范、套话、重复率、相似材料等。

    退出状态：0 无错误；1 至少一条“错误”；2 有文件无法读取。
    """
    from drafter.services.checks import CheckRequest, RuleSettings, run_checks

    settings = _settings(db_url)
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
        request = CheckRequest(text=text, name=name, archive=archive, options=settings.extra)
        reports.append(run_checks(request, rules))
    if fmt == "json":
        payload = [r.to_json() for r in reports]
        if payload:
            _dump(payload[0] if len(files) == 1 else payload)
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
        click.echo(f"  第{line}行 [{_SEVERITY_LABELS[finding.severity.value]}] {finding.rule}  “{excerpt}”")
        click.echo(f"      {finding.message}")
        if finding.suggestion:
            click.echo(f"      建议：{finding.suggestion}")
    for key, value in report.metrics.items():
        if isinstance(value, (int, float, str)):
            click.echo(f"  指标 {key}: {value:.3f}" if isinstance(value, float) else f"  指标 {key}: {value}")
    reuse = report.reuse
    if reuse.get("passages"):
        click.echo(f"  文字复制比：{reuse['copy_ratio']:.1%}，相似来源 {len(reuse['sources'])} 篇")


# ------------------------------------------------------------------------------------------------ serve

@main.command("serve")
@db_option
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--demo/--no-demo", default=False, help="空数据库时载入演示档案并创建演示账号")
def serve_command(db_url: str | None, host: str, port: int, demo: bool) -> None:
    """启动网页服务（开发/演示用）。生产部署见 README。"""
    from drafter.config import ensure_secret_key
    from drafter.services.demo import archive_is_empty, seed_demo
    from drafter.web import create_app

    settings, db = _open(db_url)
    if demo:
        ensure_secret_key(settings)
        if archive_is_empty(db):
            click.echo("数据库为空，正在载入演示档案……")
            summary, accounts = seed_demo(db)
            click.echo(f"演示档案：导入 {summary.count('imported')} 篇，失败 {summary.count('failed')} 篇。")
            if accounts:
                click.echo("演示账号（密码只显示这一次，请妥善保存）：")
                for account in accounts:
                    roles = "、".join(r.label for r in account.roles)
                    click.echo(f"  {account.display_name:<4} 用户名 {account.username:<8} 密码 {account.password}  （{roles}）")
    elif not settings.secret_key:
        raise click.ClickException("未设置密钥：请设置环境变量 DRAFTER_SECRET_KEY，或使用 --demo 启动演示")
    app = create_app({"SETTINGS": settings, "DATABASE": db})
    click.echo(f"文稿助手已启动：http://{host}:{port}/")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


@main.group("db")
def db_group() -> None:
    """数据库维护。"""


@db_group.command("upgrade")
@db_option
def db_upgrade(db_url: str | None) -> None:
    """把数据库结构升级到最新版本。"""
    _, db = _open(db_url)
    click.echo(f"数据库已是最新结构：{db.safe_url}")


if __name__ == "__main__":
    main()
