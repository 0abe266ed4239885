"""Tests for drafter.services.jobs: a queue beside the database, jobs queued after commit, safe re-runs."""

import pytest

from drafter.services import jobs
from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.services.embeddings import status
from drafter.store import keyword_index
from drafter.store.db import open_database

TEXT = "安全生产工作要点\n开展隐患排查，防范重大事故。\n"


def add(db, body=TEXT):
    with db.session() as session:
        return add_document(session, build_document(body, DocumentMeta())).id


@pytest.fixture
def sqlite_db(tmp_path, monkeypatch):
    monkeypatch.delenv("DRAFTER_JOBS", raising=False)
    database = open_database(f"sqlite:///{tmp_path / 'office.db'}")
    yield database
    database.dispose()


def test_queue_lives_beside_a_sqlite_file(tmp_path):
    assert jobs.queue_file(f"sqlite:///{tmp_path}/office.db") == tmp_path / "office.jobs.db"
    assert jobs.queue_file("sqlite://") is None
    assert jobs.make_queue("sqlite://", "auto") is None
    assert jobs.make_queue(f"sqlite:///{tmp_path}/x.db", "off") is None


def test_import_queues_one_embedding_job_after_commit(sqlite_db, tmp_path):
    add(sqlite_db)
    add(sqlite_db, TEXT + "另一篇。\n")
    queue = jobs.queue_for(sqlite_db.url)
    assert (tmp_path / "office.jobs.db").exists()
    pending = queue.pending()
    assert [t.name for t in pending] == [jobs.EMBED_TASK]  # the second import found it already waiting
    assert jobs.pending_jobs(sqlite_db.url) == 1


def test_a_rolled_back_document_queues_nothing(sqlite_db):
    with pytest.raises(RuntimeError), sqlite_db.session() as session:
        add_document(session, build_document(TEXT, DocumentMeta()))
        raise RuntimeError("save failed")
    assert jobs.pending_jobs(sqlite_db.url) == 0


def test_the_queued_job_embeds_and_is_safe_to_run_again(sqlite_db, concept_encoder):
    add(sqlite_db)
    queue = jobs.queue_for(sqlite_db.url)
    task = queue.pending()[0]
    queue.execute(task)
    with sqlite_db.session() as session:
        assert status(session, "e5-small").complete
    calls = concept_encoder.calls
    assert jobs.run_embedding(sqlite_db.url) == 0 and concept_encoder.calls == calls  # nothing to do, no model


def test_index_job_backfills_documents_imported_before_the_index(sqlite_db):
    doc = add(sqlite_db)
    with sqlite_db.session() as session:
        keyword_index.remove_document(session, doc)
    assert jobs.run_index_missing(sqlite_db.url) == 1
    with sqlite_db.session() as session:
        assert keyword_index.unindexed_document_ids(session) == []


def test_queue_setting_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DRAFTER_JOBS", "off")
    assert jobs.queue_setting() == "off"


def test_worker_refuses_a_database_without_queue():
    with pytest.raises(jobs.JobsUnavailable, match="没有任务队列"):
        jobs.run_worker("sqlite://")


def test_a_lock_left_by_a_killed_worker_is_flushed_on_start(sqlite_db, concept_encoder):
    add(sqlite_db)
    queue = jobs.queue_for(sqlite_db.url)
    task = queue.pending()[0]
    queue.lock_task("drafter-embed").__enter__()  # the worker holding it died
    assert queue.execute(task) == 0
    with sqlite_db.session() as session:
        assert not status(session, "e5-small").complete
    queue.flush_locks()  # what ``drafter worker`` does when it starts (Consumer(flush_locks=True))
    queue.drafter_tasks[jobs.EMBED_TASK]()
    queue.execute(queue.pending()[0])
    with sqlite_db.session() as session:
        assert status(session, "e5-small").complete


def test_postgresql_gets_a_sqlite_queue_in_the_instance_folder_unless_asked(tmp_path):
    url = "postgresql+psycopg://u:secret@localhost/office"
    path = jobs.queue_file(url, tmp_path)
    assert path.parent == tmp_path and path.name.startswith("jobs-") and "secret" not in path.name
    with pytest.raises(jobs.JobsUnavailable, match="PostgreSQL"):
        jobs.make_queue(f"sqlite:///{tmp_path}/x.db", "postgres")
    with pytest.raises(jobs.JobsUnavailable, match="无法识别"):
        jobs.make_queue(f"sqlite:///{tmp_path}/x.db", "rabbit")
