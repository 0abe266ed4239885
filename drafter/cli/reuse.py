"""``drafter reuse``: the duplication report of a draft against the archive, side by side, like a 查重 report."""

from __future__ import annotations

import sys
import unicodedata
from typing import Any

import click

from drafter.cli.common import db_option, dump_json, open_db, settings_for

#: Display width of one column of the side-by-side view (terminal cells; a Chinese character takes two).
COLUMN = 38


@click.command("reuse")
@click.argument("file", required=False)
@db_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--author", help="文稿作者姓名，用于计算“去除本人文献复制比”")
@click.option("--reindex", is_flag=True, help="为尚未建立查重索引的文档补建索引（不检测文稿）")
def reuse_command(file: str | None, db_url: str | None, fmt: str, author: str | None, reindex: bool) -> None:
    """文字复制比检测：将文稿与档案（含已保存的草稿版本）比对，列出相似来源和相似片段。

    FILE 为 .txt / .docx / .md 文件，- 表示标准输入。
    """
    from drafter.docio import DocumentReadError, read_bytes, read_path

    settings = settings_for(db_url)
    if reindex:
        _reindex(db_url)
        if file is None:
            return
    if file is None:
        raise click.UsageError("请指定要检测的文稿文件（或使用 --reindex 补建索引）")
    try:
        if file == "-":
            text = read_bytes(sys.stdin.buffer.read(), "stdin.txt", settings.upload_limit_bytes).text
        else:
            text = read_path(file, max_bytes=settings.upload_limit_bytes).text
    except DocumentReadError as exc:
        click.echo(f"无法读取 {file}：{exc}", err=True)
        sys.exit(2)
    from drafter.services.reuse import ReuseOptions, check_reuse

    _, db = open_db(db_url)
    with db.session() as session:
        report = check_reuse(session, text, author=author, options=ReuseOptions.from_settings(settings.extra.get("reuse")))
    if fmt == "json":
        dump_json({"file": file, "chars": len(text), **report.to_json()})
    else:
        click.echo(render_report(file, report))


def _reindex(db_url: str | None) -> None:
    from drafter.services.reuse_index import rebuild, status

    _, db = open_db(db_url)
    with db.session() as session:
        missing = status(session).missing
    if not missing:
        click.echo("查重索引已是最新，无需补建。")
        return
    with click.progressbar(length=missing, label="补建查重索引", file=sys.stderr, show_pos=True) as bar:
        done = rebuild(db, progress=lambda finished, _total: bar.update(finished - bar.pos))
    click.echo(f"已为 {done} 篇文档建立查重索引。")


def render_report(name: str, report: Any) -> str:
    """The text report: figures, sources, then every passage beside its source."""
    from drafter.analysis.text import line_number

    f = report.figures
    lines = ["文字复制比检测报告", f"检测文稿：{name}（{f.counted_chars}字，不含空白）",
             f"比对范围：档案文档 {report.archive_documents} 篇及已保存的草稿版本"]
    if report.missing_from_index:
        lines.append(f"注意：有 {report.missing_from_index} 篇文档尚未建立查重索引，未参与比对；"
                     "请运行 drafter reuse --reindex 补建。")
    lines.append("=" * (COLUMN * 2 + 3))
    lines.append(f"文字复制比：{f.copy_ratio:.1%}（复制 {f.copied_chars} 字）")
    lines.append(f"去除引用文字复制比：{f.copy_ratio_excluding_quotes:.1%}")
    if f.copy_ratio_excluding_own is None:
        lines.append("去除本人文献复制比：—（未指定作者，可用 --author 指定）")
    else:
        lines.append(f"去除本人文献复制比：{f.copy_ratio_excluding_own:.1%}")
    if f.largest_source_id is not None:
        title = report.sources[f.largest_source_id].title
        lines.append(f"单篇最大文字复制比：{f.largest_source_ratio:.1%}（#{f.largest_source_id}《{title}》）")
    else:
        lines.append("单篇最大文字复制比：0.0%")
    rows = report.source_rows()
    if not rows:
        lines.append("")
        lines.append("未发现与档案相似的段落（套话、常用开头结尾等多篇文档共有的表述不计入复制）。")
        return "\n".join(lines)
    lines.append("")
    lines.append(f"相似来源（{len(rows)} 篇）：")
    for i, row in enumerate(rows, 1):
        kind = "草稿" if row["kind"] == "draft" else "档案"
        own = "，本人文稿" if row["own"] else ""
        lines.append(f"  {i}. #{row['doc_id']}《{row['title']}》（{kind}{own}）复制 {row['copied_chars']} 字，"
                     f"占 {row['ratio']:.1%}")
        if row["path"]:
            lines.append(f"     {row['path']}")
    lines.append("")
    lines.append(f"相似片段（{len(report.passages)} 处）：")
    for i, p in enumerate(report.passages, 1):
        source = report.sources[p.doc_id]
        tags = []
        if report.is_quoted(p):
            tags.append("引用")
        if p.doc_id in report.own_ids:
            tags.append("本人")
        tag = f"［{'，'.join(tags)}］" if tags else ""
        lines.append("-" * (COLUMN * 2 + 3))
        lines.append(f"片段{i}{tag}：文稿第{line_number(report.text, p.start)}—{line_number(report.text, p.end - 1)}行"
                     f"（{p.end - p.start}字）↔ #{p.doc_id}《{source.title}》第{line_number(source.text, p.source_start)}"
                     f"—{line_number(source.text, p.source_end - 1)}行，相似度 {p.similarity:.0%}")
        lines += side_by_side(report.text[p.start:p.end], source.text[p.source_start:p.source_end])
    return "\n".join(lines)


def side_by_side(left: str, right: str, width: int = COLUMN) -> list[str]:
    """Two texts wrapped into columns of ``width`` cells, with headers, separated by a bar."""
    a, b = wrap(left, width), wrap(right, width)
    rows = [pad("文稿", width) + " │ 来源"]
    for i in range(max(len(a), len(b))):
        rows.append(pad(a[i] if i < len(a) else "", width) + " │ " + (b[i] if i < len(b) else ""))
    return rows


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes (wide and full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` cells; paragraph breaks start a new line."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, used = "", 0
        for ch in paragraph:
            w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if used + w > width:
                lines.append(current)
                current, used = "", 0
            current += ch
            used += w
        if current or not lines:
            lines.append(current)
    return lines


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` cells."""
    return text + " " * max(0, width - cell_width(text))


def register(group: click.Group) -> None:
    """Add ``reuse`` to ``group``."""
    group.add_command(reuse_command)
