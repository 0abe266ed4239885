"""Search commands: ``search`` (DESIGN.md contract), ``index`` (build what is missing, embeddings with a
progress bar) and ``worker`` (the background job consumer)."""

from __future__ import annotations

import sys

import click

from drafter.cli.common import db_option, dump_json, open_db


@click.command("search")
@click.argument("query")
@db_option
@click.option("--k", "k", type=click.IntRange(1, 200), default=10, show_default=True, help="返回的段落数")
@click.option("--type", "doc_type", help="只查该文种")
@click.option("--unit", help="只查该单位")
@click.option("--year", type=int, help="只查该年份")
@click.option("--exemplar", is_flag=True, help="只查精品佳作")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def search_command(query: str, db_url: str | None, k: int, doc_type: str | None, unit: str | None,
                   year: int | None, exemplar: bool, fmt: str) -> None:
    """在档案中检索段落：关键词（可查长词中的两字词）与语义相结合。"""
    from drafter.services.search import engine_for
    from drafter.store.keyword_index import DocFilter

    settings, db = open_db(db_url)
    engine = engine_for(db, settings.instance_path, settings.model_dir)
    where = DocFilter(doc_type=doc_type, unit=unit, year=year, exemplar_only=exemplar)
    result = engine.search(query, k=k, where=where)
    if not result.semantic.used:
        click.echo(f"提示：{result.semantic.message}（运行 drafter index --embed 或 drafter worker 计算语义索引）",
                   err=True)
    elif result.semantic.state == "partial":
        click.echo(f"提示：{result.semantic.message}", err=True)
    if fmt == "json":
        dump_json([hit.to_json() for hit in result.hits])
        return
    if not result.hits:
        click.echo(f"没有找到与“{query}”相关的段落。")
        return
    click.echo(f"“{query}”的检索结果（{len(result.hits)} 段）：")
    for n, hit in enumerate(result.hits, start=1):
        cut = hit.snippet(90)
        snippet = ("…" if cut["cut_start"] else "") + "".join(
            f"【{piece}】" if marked else piece for piece, marked in cut["runs"]) + ("…" if cut["cut_end"] else "")
        how = "、".join({"keyword": "关键词", "semantic": "语义"}[m] for m in hit.matched_by)
        click.echo(f"{n:>2}. [{hit.score:.2f}] #{hit.doc_id} {hit.title}（第{hit.paragraph_index + 1}段，{how}）")
        click.echo(f"    {snippet}")


@click.command("index")
@db_option
@click.option("--embed", is_flag=True, help="同时计算尚缺的语义向量（显示进度；可随时中断，下次接着算）")
def index_command(db_url: str | None, embed: bool) -> None:
    """补建检索索引：为尚未建立关键词索引的文档建索引，并可计算语义向量。"""
    from drafter.analysis.embedding import MODEL_NAME, ModelMissing, shared_encoder
    from drafter.services import embeddings
    from drafter.services.search_indexing import index_missing

    settings, db = open_db(db_url)
    with click.progressbar(length=1, label="关键词索引", file=sys.stderr, show_pos=True) as bar:
        def keyword_progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)
        added = index_missing(db, keyword_progress)
    click.echo(f"关键词索引：新建 {added} 篇文档的索引。")
    with db.session() as session:
        status = embeddings.status(session, MODEL_NAME)
    if not embed:
        click.echo(status.describe() + ("" if status.complete else "（加 --embed 立即计算，或运行 drafter worker）"))
        return
    if status.complete:
        click.echo(status.describe())
        return
    try:
        encoder = shared_encoder(settings.model_dir)
    except ModelMissing as exc:
        raise click.ClickException(str(exc)) from exc
    with click.progressbar(length=status.total, label="语义向量", file=sys.stderr, show_pos=True,
                           show_percent=True, show_eta=True) as bar:
        bar.update(status.done)

        def embed_progress(now: embeddings.EmbeddingStatus) -> None:
            bar.update(now.done - bar.pos)

        count = embeddings.embed_pending(db, encoder, progress=embed_progress)
    with db.session() as session:
        click.echo(f"本次计算 {count} 句。" + embeddings.status(session, MODEL_NAME).describe())


@click.command("worker")
@db_option
def worker_command(db_url: str | None) -> None:
    """运行后台任务（语义向量计算、补建索引），直到按 Ctrl+C。"""
    import logging

    from drafter.services.jobs import JobsUnavailable, run_worker

    _, db = open_db(db_url)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    click.echo(f"后台任务进程已启动：{db.safe_url}（Ctrl+C 结束）", err=True)
    try:
        run_worker(db.url)
    except JobsUnavailable as exc:
        raise click.ClickException(str(exc)) from exc


def register(group: click.Group) -> None:
    """Add ``search``, ``index`` and ``worker`` to ``group``."""
    for command in (search_command, index_command, worker_command):
        group.add_command(command)
