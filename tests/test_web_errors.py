"""Tests for drafter.web.errors: a locked or unreachable database gives a clear Chinese message (503) and the
text the user typed comes back; nothing is half-saved."""

from __future__ import annotations

import contextlib
import socket
import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from drafter.config import Settings
from drafter.services.drafts import create_draft
from drafter.store import dialect
from drafter.store.db import Database
from drafter.store.models import User
from drafter.store.workflow import Draft
from drafter.web import create_app
from drafter.web.auth import log_in

TEXT = "关于做好值班工作的通知\n各科室：\n一、严格执行值班制度。\n"
TYPED = "锁库期间输入的一段新文字，不能丢。\n第二段也要完整地回来。"


@pytest.fixture
def draft_id(db, office) -> int:
    with db.session() as session:
        return create_draft(session, office.user(session, "junior"), "值班通知", "通知", text=TEXT).id


@contextlib.contextmanager
def write_lock(url: str):
    """Hold the write lock another office worker's long transaction would hold (SQLite or PostgreSQL)."""
    if dialect.is_sqlite(url):
        conn = sqlite3.connect(make_url(url).database, timeout=1)
        conn.isolation_level = None
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    engine = create_engine(url)
    with engine.connect() as conn:
        conn.execute(text("LOCK TABLE drafts, draft_versions IN EXCLUSIVE MODE"))  # reading works, writing waits
        try:
            yield
        finally:
            conn.rollback()
    engine.dispose()


@pytest.fixture
def impatient_app(db, monkeypatch):
    """The app on the test database, giving up on a lock after 0.3 s instead of 15 s."""
    from conftest import CsrfClient

    monkeypatch.setattr(dialect, "LOCK_TIMEOUT_MS", 300)
    database = Database(db.url)
    app = create_app({"SETTINGS": Settings(db_url=db.url, secret_key="test-secret"), "DATABASE": database,
                      "TESTING": True})
    app.test_client_class = CsrfClient
    yield app
    database.dispose()


def _client(app, db, username):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    client = app.test_client()
    with db.session() as session:
        user = session.scalar(select(User).where(User.username == username))
    with client.session_transaction() as flask_session:
        log_in(flask_session, user)
    return client


def test_a_save_while_the_database_is_locked_gives_the_text_back(db, office, draft_id, impatient_app):
    client = _client(impatient_app, db, "zhangxy")
    with write_lock(db.url):
        response = client.post(f"/drafts/{draft_id}/edit", data={"text": TYPED, "base": "1", "note": "锁库测试"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "数据库暂时无法写入" in page and "没有保存" in page and "编辑框" in page
    assert TYPED.replace("\n", "\n") in page and 'name="base" value="1"' in page and "锁库测试" in page
    assert f'action="/drafts/{draft_id}/edit"' in page and "再次保存" in page
    with db.session() as session:
        assert session.get(Draft, draft_id).version_count == 1  # nothing half-saved
    # once the lock is gone, the same form saves the text as the next version
    again = client.post(f"/drafts/{draft_id}/edit", data={"text": TYPED, "base": "1"})
    assert again.status_code == 302
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        assert draft.version_count == 2 and draft.latest_version.text.startswith("锁库期间输入的一段新文字")


def test_other_forms_show_what_was_typed(db, office, draft_id, impatient_app):
    mentor = _client(impatient_app, db, "lils")
    with write_lock(db.url):
        response = mentor.post(f"/drafts/{draft_id}/versions/1/annotations",
                               data={"quote": "严格执行值班制度", "category": "wording", "comment": "请写明值班时段。",
                                     "replacement": "实行24小时值班"},
                               headers={"Referer": f"http://localhost/drafts/{draft_id}"})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "数据库暂时无法访问" in page
    assert "请写明值班时段。" in page and "实行24小时值班" in page and "严格执行值班制度" in page
    assert "csrf" not in page.split("<main", 1)[1].split("</main>", 1)[0].lower().replace("csrf-token", "")
    assert f'href="http://localhost/drafts/{draft_id}"' in page


def test_the_page_script_gets_json(db, office, draft_id, impatient_app, fake_checker):
    writer = _client(impatient_app, db, "zhangxy")
    with write_lock(db.url):  # the analysis cannot store its report
        response = writer.get(f"/drafts/{draft_id}/versions/1/analysis", headers={"Accept": "application/json"})
    assert response.status_code == 503 and "数据库暂时无法访问" in response.get_json()["error"]
    assert writer.get(f"/drafts/{draft_id}/versions/1/analysis").get_json()["counts"]["findings"] == 0


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def unreachable_app(request, tmp_path):
    """An app whose database cannot be opened at all: a SQLite path that is a folder, a PostgreSQL server
    that is not running."""
    from conftest import CsrfClient

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}"
    else:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/drafter"
    database = Database(url)
    app = create_app({"SETTINGS": Settings(db_url=url, secret_key="test-secret"), "DATABASE": database,
                      "TESTING": True})
    app.test_client_class = CsrfClient
    yield app
    database.dispose()


def test_an_unreachable_database_gives_a_clear_message(unreachable_app):
    anonymous = unreachable_app.test_client()
    assert anonymous.get("/login").status_code == 200  # the login page itself needs no database
    response = anonymous.post("/login", data={"username": "zhangxy", "password": "whatever-1"})
    assert response.status_code == 503 and "数据库暂时无法访问" in response.get_data(as_text=True)
    client = unreachable_app.test_client()
    with client.session_transaction() as flask_session:
        log_in(flask_session, User(id=3, username="zhangxy", password_hash="x"))
    page = client.get("/drafts/")
    assert page.status_code == 503 and "数据库暂时无法访问" in page.get_data(as_text=True)
    saved = client.post("/drafts/7/edit", data={"text": TYPED, "base": "4"})
    body = saved.get_data(as_text=True)
    assert saved.status_code == 503 and TYPED in body and 'name="base" value="4"' in body and "没有保存" in body
