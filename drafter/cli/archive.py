"""Archive commands: import, list, show, export."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from drafter.cli.common import db_option, dump_json, open_db


@click.command("import")
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
    from drafter.services.archive import DocumentMeta, ImportOutcome, ImportSummary, import_file, iter_files

    settings, db = open_db(db_url)
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
    if summary.count("imported"):
        _refresh_office_phrases(settings, db)
    sys.exit(1 if summary.failed else 0)


def _refresh_office_phrases(settings, db) -> None:  # type: ignore[no-untyped-def]
    """Recompute the office's stock phrases when the import made them stale (never fails the import)."""
    from drafter.cli.phrases import mining_options, refresh_with_progress

    try:
        refreshed = refresh_with_progress(db, mining_options(settings), force=False)
    except Exception as exc:  # the import itself succeeded; say why the statistics did not
        click.echo(f"本单位常用套语未能更新：{exc}（可稍后运行 drafter phrases --rebuild）", err=True)
        return
    if refreshed is not None:
        click.echo(f"已更新本单位常用套语：{refreshed.phrases} 条（据 {refreshed.computed_documents} 篇档案文稿）。")


@click.command("list")
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

    _, db = open_db(db_url)
    with db.session() as session:
        documents, total = list_documents(session, query=query, doc_type=doc_type, year=year, limit=limit)
        rows = [{"id": d.id, "title": d.title, "doc_type": d.doc_type, "unit": d.unit, "author": d.author,
                 "year": d.year, "chars": d.chars, "exemplar": d.is_exemplar, "path": d.origin_path}
                for d in documents]
    if fmt == "json":
        dump_json(rows)
        return
    click.echo(f"共 {total} 篇，显示 {len(rows)} 篇")
    for row in rows:
        star = "★" if row["exemplar"] else " "
        click.echo(f"{row['id']:>6} {star} {row['year'] or '----'} {row['doc_type'] or '—':<6} {row['title']}")


@click.command("show")
@click.argument("doc_id", type=int)
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def show_command(doc_id: int, db_url: str | None, fmt: str) -> None:
    """显示一篇文档的元数据和全文。"""
    from drafter.services.archive import NotFound, get_document

    _, db = open_db(db_url)
    with db.session() as session:
        try:
            d = get_document(session, doc_id)
        except NotFound as exc:
            raise click.ClickException(str(exc)) from exc
        data = {"id": d.id, "title": d.title, "doc_type": d.doc_type, "unit": d.unit, "author": d.author,
                "date": d.date.isoformat() if d.date else None, "year": d.year, "tags": d.tag_names,
                "exemplar": d.is_exemplar, "path": d.origin_path, "chars": d.chars, "text": d.text}
    if fmt == "json":
        dump_json(data)
        return
    labels = (("标题", "title"), ("文种", "doc_type"), ("单位", "unit"), ("作者", "author"), ("日期", "date"),
              ("年份", "year"), ("字数", "chars"), ("来源", "path"))
    for label, key in labels:
        click.echo(f"{label}：{data[key] if data[key] is not None else '—'}")
    click.echo(f"标签：{'、'.join(data['tags']) or '—'}    精品佳作：{'是' if data['exemplar'] else '否'}")
    click.echo("-" * 40)
    click.echo(data["text"])


@click.command("export")
@click.argument("doc_id", type=int)
@db_option
@click.option("--format", "fmt", type=click.Choice(["txt", "docx"]), default="docx", show_default=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), help="输出文件；默认以标题命名，保存在当前目录")
def export_command(doc_id: int, db_url: str | None, fmt: str, output: Path | None) -> None:
    """导出文档为 .txt 或符合 GB/T 9704 版式的 .docx。"""
    from drafter.services.archive import NotFound, export_document, get_document

    _, db = open_db(db_url)
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




def register(group: click.Group) -> None:
    """Add the archive commands to ``group``."""
    for command in (import_command, list_command, show_command, export_command):
        group.add_command(command)
