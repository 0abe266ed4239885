"""``drafter phrases``: the office's own stock phrases learned from its archive."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from drafter.cli.common import db_option, dump_json, open_db


def mining_options(settings: Any) -> Any:
    """Mining options from drafter.toml ``[formulaic]``; a bad value is a clean error."""
    from drafter.services.phrases import MiningOptions

    try:
        return MiningOptions.from_settings(settings.extra.get("formulaic"))
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


def refresh_with_progress(db: Any, options: Any, force: bool) -> Any:
    """Recompute the phrases (always when ``force``, else only when stale) with a progress bar on stderr.

    Returns the new status, or None when nothing was recomputed.
    """
    from drafter.services.phrases import rebuild, refresh_if_stale, status

    with db.session() as session:
        current = status(session)
    if not force and not current.stale:
        return None
    with click.progressbar(length=max(current.documents, 1), label="统计本单位常用套语", file=sys.stderr,
                           show_pos=True) as bar:
        def progress(done: int, total: int) -> None:
            bar.update(done - bar.pos)

        return rebuild(db, options, progress) if force else refresh_if_stale(db, options, progress)


@click.command("phrases")
@db_option
@click.option("--top", type=click.IntRange(min=1), default=50, show_default=True, help="显示多少条")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--rebuild", is_flag=True, help="立即从全部档案文稿重新统计")
def phrases_command(db_url: str | None, top: int, fmt: str, rebuild: bool) -> None:
    """列出本单位文稿的常用套语：档案中许多篇文稿反复出现的词组及其篇数。

    统计结果保存在数据库中；档案有较多新增文稿时，本命令和 drafter import 会自动重新统计。
    """
    from drafter.analysis.lexicon import builtin_lexicon
    from drafter.analysis.matcher import PhraseMatcher
    from drafter.services.phrases import list_phrases, status

    settings, db = open_db(db_url)
    options = mining_options(settings)
    refresh_with_progress(db, options, force=rebuild)
    matcher = PhraseMatcher(builtin_lexicon().enabled)
    with db.session() as session:
        current = status(session)
        rows = [{"rank": p.rank, "phrase": p.phrase, "words": p.words.split(), "doc_count": p.doc_count,
                 "share": p.share, "lexicon_entry": next((m.key for m in matcher.find(p.phrase)), None)}
                for p in list_phrases(session, top)]
    if fmt == "json":
        dump_json({"documents": current.computed_documents or 0,
                   "computed_at": current.computed_at.isoformat() if current.computed_at else None,
                   "stale": current.stale, "total": current.phrases, "phrases": rows})
        return
    if current.documents == 0:
        click.echo("档案中还没有文稿，无法统计常用套语。请先用 drafter import 导入以往文稿。")
        return
    when = _local_time(current.computed_at)
    click.echo(f"本单位常用套语：据 {current.computed_documents} 篇档案文稿统计（{when}），"
               f"共 {current.phrases} 条，显示 {len(rows)} 条")
    if not rows:
        click.echo("  没有在足够多的文稿中反复出现的套语。")
        return
    click.echo("  序号   篇数    占比  词组")  # CJK headers are two columns wide per character
    for row in rows:
        mark = "  （已收入内置词表）" if row["lexicon_entry"] else ""
        click.echo(f"  {row['rank']:>4}  {row['doc_count']:>5}  {row['share']:>6.1%}  {row['phrase']}{mark}")


def _local_time(moment: Any) -> str:
    """A stored UTC time (naive on SQLite) as local time for people reading the list."""
    if moment is None:
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def register(group: click.Group) -> None:
    """Add ``phrases`` to ``group``."""
    group.add_command(phrases_command)
