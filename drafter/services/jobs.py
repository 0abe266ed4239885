"""Background jobs (DESIGN.md, "Background work"): a huey queue per database, and the jobs it runs.

Where the queue lives (``[jobs] queue`` in drafter.toml or ``DRAFTER_JOBS``):

* ``auto`` (default): a SQLite queue — beside a SQLite database file (``drafter.db`` -> ``drafter.jobs.db``),
  in the instance folder for PostgreSQL (``instance/jobs-<hash>.db``; web server and worker on one machine);
* ``postgres``: huey's PostgreSQL storage inside the PostgreSQL database (workers on several machines);
* ``redis://host:6379/0``: Redis, for several workers on several machines;
* ``off``: nothing is queued; run ``drafter index --embed`` yourself.

An in-memory SQLite database gets no queue. ``drafter worker`` consumes the queue of its database. Jobs
are safe to re-run after a crash: they work from what the database still lacks, not from a to-do list.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from drafter.store import dialect

log = logging.getLogger(__name__)

EMBED_TASK = "drafter.embed_pending"
INDEX_TASK = "drafter.index_missing"
SUMMARY_TASK = "drafter.summarise_versions"
ANALYTICS_TASK = "drafter.archive_analytics"

_queues: dict[str, object] = {}
_lock = threading.Lock()


class JobsUnavailable(Exception):
    """No queue can be used for this database; the message is Chinese."""


def queue_setting() -> str:
    """The configured queue: ``auto``, ``off`` or a Redis URL."""
    env = os.environ.get("DRAFTER_JOBS")
    if env:
        return env.strip()
    try:
        from drafter.config import load_settings

        jobs = load_settings().extra.get("jobs", {})
    except Exception:  # a broken config file is reported by the command that reads it
        return "auto"
    return str(jobs.get("queue", "auto")).strip() if isinstance(jobs, dict) else "auto"


def queue_file(url: str, instance_path: Path | None = None) -> Path | None:
    """The SQLite queue file: beside a SQLite database file, in the instance folder for another database;
    None for an in-memory SQLite database."""
    if not dialect.is_sqlite(url):
        import hashlib

        if instance_path is None:
            from drafter.config import load_settings

            instance_path = load_settings().instance_path
        key = make_url(url).render_as_string(hide_password=True)
        return instance_path / f"jobs-{hashlib.sha1(key.encode()).hexdigest()[:12]}.db"
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = Path(database)
    return path.with_name(path.stem + ".jobs.db")


def make_queue(url: str, setting: str | None = None):  # type: ignore[no-untyped-def]
    """A huey instance for the database at ``url`` with the jobs registered; None when queuing is off."""
    from huey import PostgresHuey, RedisHuey, SqliteHuey

    setting = setting or queue_setting()
    name = "drafter"
    if setting == "off":
        return None
    if setting.startswith(("redis://", "rediss://", "unix://")):
        queue = RedisHuey(name, url=setting)
    elif setting == "postgres":
        if not dialect.is_postgresql(url):
            raise JobsUnavailable("[jobs] queue = \"postgres\" 只能用于 PostgreSQL 数据库")
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        queue = PostgresHuey(name, dsn=dsn, results=False, table_prefix="drafter_jobs")
    elif setting == "auto":
        path = queue_file(url)
        if path is None:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
        queue = SqliteHuey(name, filename=str(path), results=False)
    else:
        raise JobsUnavailable(f"无法识别的任务队列设置：{setting}（可选 auto、postgres、off 或 redis:// 地址）")
    _register_tasks(queue, url)
    return queue


def queue_for(url: str):  # type: ignore[no-untyped-def]
    """The process-wide queue of a database (None when off or impossible)."""
    with _lock:
        if url not in _queues:
            try:
                _queues[url] = make_queue(url)
            except JobsUnavailable:
                _queues[url] = None
        return _queues[url]


def _register_tasks(queue, url: str) -> None:  # type: ignore[no-untyped-def]
    @queue.task(name=INDEX_TASK)
    def index_missing_task() -> int:
        return run_index_missing(url)

    embed_lock = queue.lock_task("drafter-embed")  # created here so that a starting worker can flush it

    @queue.task(name=EMBED_TASK)
    def embed_task() -> int:
        from huey.exceptions import TaskLockedException

        try:
            with embed_lock:
                return run_embedding(url)
        except TaskLockedException:
            log.info("embedding already running elsewhere; it will pick up the new sentences too")
            return 0

    @queue.task(name=SUMMARY_TASK)
    def summary_task() -> int:
        return run_summaries(url)

    analytics_lock = queue.lock_task("drafter-analytics")

    @queue.task(name=ANALYTICS_TASK)
    def analytics_task() -> int:
        from huey.exceptions import TaskLockedException

        try:
            with analytics_lock:
                return run_archive_analytics(url)
        except TaskLockedException:
            log.info("archive analytics already running elsewhere")
            return 0

    queue.drafter_tasks = {INDEX_TASK: index_missing_task, EMBED_TASK: embed_task, SUMMARY_TASK: summary_task,
                           ANALYTICS_TASK: analytics_task}


def run_embedding(url: str, progress=None) -> int:  # type: ignore[no-untyped-def]
    """The embedding job: embed every sentence of the database at ``url`` that lacks a vector."""
    from drafter.analysis.embedding import MODEL_NAME, shared_encoder
    from drafter.config import load_settings
    from drafter.services.embeddings import embed_pending, status
    from drafter.store.db import Database

    db = Database(url)
    try:
        with db.session() as session:
            if status(session, MODEL_NAME).pending == 0:
                return 0
        encoder = shared_encoder(load_settings().model_dir)
        done = embed_pending(db, encoder, progress=progress)
        log.info("embedded %d sentences", done)
        return done
    finally:
        db.dispose()


def run_index_missing(url: str) -> int:
    """The keyword job: index documents that have no sentences yet (imported before the index existed)."""
    from drafter.services.search_indexing import index_missing
    from drafter.store.db import Database

    db = Database(url)
    try:
        return index_missing(db)
    finally:
        db.dispose()


def run_summaries(url: str) -> int:
    """The summary job: check every draft version that has no summary yet (analytics pages)."""
    from drafter.config import load_settings
    from drafter.services.version_summaries import summarise_pending
    from drafter.store.db import Database

    db = Database(url)
    try:
        return summarise_pending(db, load_settings(db_url=url))
    finally:
        db.dispose()


def run_archive_analytics(url: str) -> int:
    """The archive analytics job: compute topics, trends and near duplicates for the waiting request (or when
    the stored figures are stale); returns the number of documents analysed."""
    from drafter.services.archive_analytics import run_pending
    from drafter.store.db import Database

    db = Database(url)
    try:
        return run_pending(db)
    finally:
        db.dispose()


def request(url: str, task: str = EMBED_TASK, delay: float = 0) -> bool:
    """Queue ``task`` for the database at ``url`` unless the same work already waits; True if queued.

    With ``delay`` (seconds) the task is scheduled to run that much later, unless one is already scheduled.
    """
    queue = queue_for(url)
    if queue is None:
        return False
    try:
        # A delayed task waits in the queue with its time until the worker moves it to the schedule.
        waiting = list(queue.pending(limit=50)) + (list(queue.scheduled(limit=50)) if delay else [])
        if any(getattr(t, "name", "") == task and (getattr(t, "eta", None) is not None) == bool(delay)
               for t in waiting):
            return False
        if delay:
            queue.drafter_tasks[task].schedule(delay=delay)
        else:
            queue.drafter_tasks[task]()
        return True
    except Exception as exc:  # a queue that cannot be reached must never break an import or a save
        log.warning("could not queue %s: %s", task, exc)
        return False


def request_after_commit(session: Session, task: str = EMBED_TASK, delay: float = 0) -> None:
    """Queue ``task`` once the session's transaction has committed (so the worker sees the new rows);
    ``delay`` as in :func:`request`."""
    from sqlalchemy import event

    if session.info.get(f"drafter-job-{task}"):
        return
    session.info[f"drafter-job-{task}"] = True
    url = session.get_bind().url.render_as_string(hide_password=False)

    def _after_commit(_session: Session) -> None:
        _session.info.pop(f"drafter-job-{task}", None)
        request(url, task, delay)

    event.listen(session, "after_commit", _after_commit, once=True)


def pending_jobs(url: str) -> int:
    """Jobs waiting in the queue of the database (0 when there is no queue)."""
    queue = queue_for(url)
    if queue is None:
        return 0
    try:
        return int(queue.pending_count())
    except Exception:
        return 0


def run_worker(url: str, workers: int = 1) -> None:
    """Consume the queue of the database at ``url`` until interrupted (``drafter worker``)."""
    from huey.consumer import Consumer

    queue = queue_for(url)
    if queue is None:
        raise JobsUnavailable("该数据库没有任务队列（内存数据库，或配置了 [jobs] queue = \"off\"）")
    for task in (INDEX_TASK, EMBED_TASK, SUMMARY_TASK, ANALYTICS_TASK):
        queue.drafter_tasks[task]()
    # A worker that was killed leaves its task lock behind; clear locks on start (a second run of the
    # embedding job at the same time is harmless: it skips what the other has stored).
    Consumer(queue, workers=workers, worker_type="thread", periodic=False, flush_locks=True).run()
