"""Tests for drafter.web.production and ``drafter serve --production``: configuration, and the real server
(gunicorn workers, checks in helper processes, the request size limit end to end, a SIGKILL in the middle of
a save leaving no partial version)."""

from __future__ import annotations

import io
import re
import shutil
import threading
import time

import pytest
from sqlalchemy import create_engine, func, inspect, select, text

from drafter.cli import main
from drafter.config import Settings
from drafter.services.drafts import create_draft
from drafter.store.db import open_database
from drafter.store.workflow import Draft, DraftVersion
from drafter.web.production import ProductionError, ServerOptions, check_settings, gunicorn_settings
from tests.serve_support import Server, csrf_of, logged_in

DRAFT = """关于做好值班工作的通知
各科室：
一、高度重视值班工作,严格执行值班制度。
三、及时报送信息。
"""


def test_the_secret_key_is_required():
    with pytest.raises(ProductionError, match="未设置密钥.*DRAFTER_SECRET_KEY"):
        check_settings(Settings())
    with pytest.raises(ProductionError, match="密钥过短"):
        check_settings(Settings(secret_key="short"))
    check_settings(Settings(secret_key="x" * 32))


def test_server_options():
    options = ServerOptions(host="0.0.0.0", port=8080, workers=4, threads=8, timeout=60, access_log="-")
    settings = gunicorn_settings(options)
    assert settings["bind"] == "0.0.0.0:8080" and settings["workers"] == 4 and settings["threads"] == 8
    assert settings["worker_class"] == "gthread" and settings["accesslog"] == "-"
    assert settings["control_socket_disable"] is True
    with pytest.raises(ProductionError, match="至少为 1"):
        ServerOptions(workers=0)


@pytest.mark.parametrize("args,env,message", [
    (["serve", "--production"], {}, "未设置密钥"),
    (["serve", "--production", "--demo"], {"DRAFTER_SECRET_KEY": "x" * 32}, "--demo 只用于演示"),
    (["serve", "--production", "--workers", "0"], {"DRAFTER_SECRET_KEY": "x" * 32}, "至少为 1"),
])
def test_the_command_refuses_a_bad_configuration(runner, db_url, monkeypatch, tmp_path, args, env, message):
    monkeypatch.delenv("DRAFTER_SECRET_KEY", raising=False)
    monkeypatch.setenv("DRAFTER_INSTANCE", str(tmp_path))
    result = runner.invoke(main, [*args, "--db", db_url], env=env)
    assert result.exit_code == 1 and message in result.output


@pytest.fixture(scope="module")
def served_db(tmp_path_factory, sqlite_template, postgres_databases, password_hash):
    """A database (SQLite file or PostgreSQL database) for the server processes of this module, with the
    test office and a draft of the junior's."""
    from conftest import build_office

    if postgres_databases is None:
        path = tmp_path_factory.mktemp("served") / "served.db"
        shutil.copyfile(sqlite_template, path)
        url, name = f"sqlite:///{path}", None
    else:
        name = postgres_databases.create()
        url = postgres_databases.url(name)
    db = open_database(url)
    office = build_office(db, password_hash)
    with db.session() as session:
        draft = create_draft(session, office.user(session, "junior"), "值班通知", "通知", text=DRAFT)
    yield db, draft.id
    db.dispose()
    if name:
        postgres_databases.drop(name)


@pytest.fixture(scope="module")
def server(served_db, tmp_path_factory):
    """``drafter serve --production`` with two workers and a 2 MB upload limit."""
    db, _ = served_db
    process = Server(db.url, tmp_path_factory.mktemp("server") / "server.log", workers=2,
                     env={"DRAFTER_UPLOAD_LIMIT_MB": "2"})
    yield process
    process.stop()


def test_the_production_server_serves_pages_and_checks(server, served_db, test_password):
    _, draft_id = served_db
    log = server.log.read_text()
    assert log.count("工作进程已就绪") == 2 and "gthread" in log
    with logged_in(server, "zhangxy", test_password) as client:
        page = client.get(f"/drafts/{draft_id}")
        assert page.status_code == 200 and "值班通知" in page.text
        analysis = re.search(r'data-analysis-url="([^"]+)"', page.text)
        assert analysis, "the page fetches its analysis"
        answer = client.get(analysis.group(1), headers={"Accept": "application/json"})
        assert answer.status_code == 200
        found = answer.json()
        assert "“三、”之前缺少“二、”" in found["checks"] and found["counts"]["errors"] >= 2  # run by the helper
        assert "hl-finding" in found["paper"]
        again = client.get(f"/drafts/{draft_id}")
        assert "data-analysis-url" not in again.text and "“三、”之前缺少“二、”" in again.text  # now cached
        assert client.get("/drafts/").headers["Content-Security-Policy"].startswith("default-src 'self'")


def _upload(client, draft_id: int, name: str, data: bytes):  # type: ignore[no-untyped-def]
    editor = client.get(f"/drafts/{draft_id}/edit")
    return client.post(f"/drafts/{draft_id}/upload", data={"csrf_token": csrf_of(editor.text), "base": "1"},
                       files={"file": (name, io.BytesIO(data), "application/octet-stream")})


def test_a_50_mb_upload_gets_the_limit_message_from_the_real_server(server, served_db, test_password):
    db, draft_id = served_db
    with logged_in(server, "zhangxy", test_password) as client:
        started = time.monotonic()
        response = _upload(client, draft_id, "大文件.txt", b"a" * (50 * 1024 * 1024))
        assert response.status_code == 413 and "上传的文件过大，单个文件不能超过 2 MB" in response.text
        assert time.monotonic() - started < 20  # refused from its size, not after reading it all
        assert client.get("/drafts/").status_code == 200  # the server is fine afterwards
        with db.session() as session:
            assert session.get(Draft, draft_id).version_count == 1


def test_a_zip_bomb_upload_is_refused_by_the_real_server(server, served_db, test_password):
    import zipfile

    db, draft_id = served_db
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * (300 * 1024 * 1024))
    with logged_in(server, "zhangxy", test_password) as client:
        response = _upload(client, draft_id, "总结.docx", buffer.getvalue())
        assert response.status_code == 302
        assert "疑似压缩炸弹" in client.get(response.headers["location"]).text
        with db.session() as session:
            assert session.get(Draft, draft_id).version_count == 1


def _row_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        names = [n for n in inspect(conn).get_table_names() if n not in ("login_attempts", "alembic_version")]
        counts = {name: conn.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one() for name in names}
    engine.dispose()
    return counts


def test_a_server_killed_in_the_middle_of_a_save_leaves_no_partial_version(served_db, tmp_path, test_password):
    db, draft_id = served_db
    marker = tmp_path / "saving"
    server = Server(db.url, tmp_path / "server.log", workers=1, pause_saves=marker)
    try:
        with logged_in(server, "zhangxy", test_password) as client:
            editor = client.get(f"/drafts/{draft_id}/edit")
            base = re.search(r'name="base" value="(\d+)"', editor.text).group(1)
            before = _row_counts(db.url)

            def save() -> None:
                try:
                    client.post(f"/drafts/{draft_id}/edit", timeout=60,
                                data={"csrf_token": csrf_of(editor.text), "base": base, "text": DRAFT + "新增一段。\n"})
                except Exception:  # noqa: BLE001 - the connection dies with the server
                    pass

            thread = threading.Thread(target=save, daemon=True)
            thread.start()
            deadline = time.monotonic() + 30
            while not marker.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            assert marker.exists(), "the save never reached its commit"
            server.kill()  # SIGKILL: the version, its document and index rows were written, not committed
            thread.join(10)
    finally:
        server.kill()
    assert _row_counts(db.url) == before  # nothing of the save survived, in any table
    if db.url.startswith("sqlite"):
        engine = create_engine(db.url)
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        engine.dispose()
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        assert draft.version_count == int(base)
        assert session.scalar(select(func.count()).select_from(DraftVersion)
                              .where(DraftVersion.draft_id == draft_id)) == int(base)
    # a fresh server saves the same text as the next version
    fresh = Server(db.url, tmp_path / "fresh.log", workers=1)
    try:
        with logged_in(fresh, "zhangxy", test_password) as client:
            editor = client.get(f"/drafts/{draft_id}/edit")
            saved = client.post(f"/drafts/{draft_id}/edit",
                                data={"csrf_token": csrf_of(editor.text), "base": base, "text": DRAFT + "新增一段。\n"})
            assert saved.status_code == 302
    finally:
        fresh.stop()
    with db.session() as session:
        draft = session.get(Draft, draft_id)
        assert draft.version_count == int(base) + 1 and draft.latest_version.text.endswith("新增一段。\n")
