"""Shared fixtures: a migrated temporary database, the Flask app and (logged-in) clients, a CLI runner."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy.engine import make_url

from drafter.store.db import Database, open_database

SAMPLE = """关于做好年度文稿工作的通知

各处室：
一、总体要求
坚持问题导向，提升文稿质量。
二、工作安排
（一）明确责任分工。各处室负责本条线文稿起草，3月底前报送选题。
（二）加强审核把关。实行初审、复审两级审核。

江澜市委办公室
2023年3月5日
"""


#: Admin URL of a PostgreSQL server to run the whole suite against (scripts/postgres prints one);
#: unset means SQLite files.
PG_ADMIN_URL = os.environ.get("DRAFTER_TEST_DB", "")


class _PostgresDatabases:
    """Per-test PostgreSQL databases cloned from a template migrated once per session (fast and isolated)."""

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy import create_engine

        self.admin_url = make_url(admin_url)
        self.engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        self.template = f"drafter_tmpl_{os.getpid()}"
        self.count = 0
        self._execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{self.template}"')
        template_db = open_database(self.url(self.template))
        template_db.dispose()

    def _execute(self, sql: str) -> None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            conn.execute(text(sql))

    def url(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def create(self) -> str:
        self.count += 1
        name = f"drafter_t_{os.getpid()}_{self.count}"
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name

    def drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self.drop(self.template)
        self.engine.dispose()


@pytest.fixture(scope="session")
def postgres_databases():
    """The PostgreSQL database factory when DRAFTER_TEST_DB is set, else None."""
    if not PG_ADMIN_URL.startswith("postgresql"):
        yield None
        return
    factory = _PostgresDatabases(PG_ADMIN_URL)
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated to the newest schema once per session; tests start from copies of it."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    template_db = open_database(f"sqlite:///{path}")
    with template_db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    template_db.dispose()
    return path


@pytest.fixture
def db_url(tmp_path: Path, postgres_databases, sqlite_template: Path) -> str:
    """A fresh database URL with the newest (empty) schema: a PostgreSQL database when DRAFTER_TEST_DB is
    set, else a copy of the migrated SQLite template."""
    if postgres_databases is None:
        path = tmp_path / "test.db"
        shutil.copyfile(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    name = postgres_databases.create()
    yield postgres_databases.url(name)
    postgres_databases.drop(name)


@pytest.fixture
def db(db_url: str) -> Database:
    """A database migrated to the newest schema."""
    database = open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def runner() -> CliRunner:
    """Click's runner for the ``drafter`` command."""
    return CliRunner()


@pytest.fixture
def sample_text() -> str:
    """A short, well-formed 通知."""
    return SAMPLE


@pytest.fixture
def write(tmp_path: Path):
    """Write a file under tmp_path: ``write("a.txt", "text")`` or bytes; returns its path."""
    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_bytes(content.encode(encoding))
        else:
            path.write_bytes(content)
        return path
    return _write


class CsrfClient(FlaskClient):
    """A test client whose POSTs carry a valid CSRF token (header ``X-CSRFToken``), as the app's pages send.

    Tests of the CSRF protection itself use a plain ``FlaskClient``.
    """

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        method = str(kwargs.get("method", "GET")).upper()
        if method not in ("GET", "HEAD", "OPTIONS"):
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRFToken", self.csrf_token())
            kwargs["headers"] = headers
        return super().open(*args, **kwargs)

    def csrf_token(self) -> str:
        """A token valid for this client's session (Flask-WTF's own scheme)."""
        with self.session_transaction() as flask_session:
            raw = flask_session.setdefault("csrf_token", secrets.token_hex(20))
        return URLSafeTimedSerializer(self.application.secret_key, salt="wtf-csrf-token").dumps(raw)


@pytest.fixture
def app(db: Database):
    """The web app on the test database (its test clients send CSRF tokens)."""
    from drafter.config import Settings
    from drafter.web import create_app

    settings = Settings(db_url=db.url, secret_key="test-secret")
    app = create_app({"SETTINGS": settings, "DATABASE": db, "TESTING": True})
    app.test_client_class = CsrfClient
    return app


TEST_PASSWORD = "test-pass-1"


@pytest.fixture(scope="session")
def test_password() -> str:
    """The password of every user made by ``add_user``, ``login`` and ``office``."""
    return TEST_PASSWORD


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One real hash of TEST_PASSWORD, computed once per run (hashing is slow on purpose)."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(TEST_PASSWORD)


def make_user(db: Database, password_hash: str, username: str, roles=("writer",), unit: str | None = None,
              name: str | None = None):  # type: ignore[no-untyped-def]
    """Insert an active user with a ready-made password hash (hashing per user would slow every test)."""
    from drafter.store.models import Role, User

    with db.session() as session:
        user = User(username=username, display_name=name or username, password_hash=password_hash, unit=unit,
                    active=True)
        user.roles = {Role(r) for r in roles}
        session.add(user)
    return user


@pytest.fixture
def add_user(db: Database, password_hash: str):
    """``add_user(username, roles=("writer",), unit=None, name=None)``: an active user (password TEST_PASSWORD)."""
    def _add(username: str, roles=("writer",), unit: str | None = None, name: str | None = None):  # type: ignore[no-untyped-def]
        return make_user(db, password_hash, username, roles, unit, name)
    return _add


@pytest.fixture
def login(app, db: Database, add_user):
    """``login(username, roles=("writer",), unit=None)``: a test client logged in as that user (created if new)."""
    from sqlalchemy import select

    from drafter.store.models import User
    from drafter.web.auth import log_in

    def _login(username: str, roles=("writer",), unit: str | None = None) -> CsrfClient:
        with db.session() as session:
            user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = add_user(username, roles, unit)
        client = app.test_client()
        with client.session_transaction() as flask_session:
            log_in(flask_session, user)
        return client
    return _login


@pytest.fixture
def client(login):
    """A test client logged in as an administrator (every page but the login page needs a login)."""
    return login("admin_test", ("admin",))


@pytest.fixture
def anon_client(app):
    """A test client nobody is logged in on."""
    return app.test_client()


class Office:
    """The users of the :func:`office` fixture by role key, with their ids."""

    def __init__(self, ids: dict[str, int]) -> None:
        self.ids = ids

    def user(self, session, key: str):  # type: ignore[no-untyped-def]
        """The user ``key`` loaded in ``session``."""
        from drafter.store.models import User

        return session.get(User, self.ids[key])


OFFICE_PEOPLE = {
    "director": ("wangzr", ("admin", "mentor"), "办公室", "王主任"),
    "mentor": ("lils", ("mentor", "writer"), "综合一科", "李老师"),
    "junior": ("zhangxy", ("writer",), "综合一科", "张晓宇"),
    "sibling": ("liuy", ("writer",), "综合一科", "刘洋"),
    "chief": ("zhoukz", ("mentor", "writer"), "综合一科", "周科长"),
    "outsider": ("zhaot", ("writer",), "信息科", "赵婷"),
    "other_mentor": ("chenj", ("mentor", "writer"), "信息科", "陈静"),
}


def build_office(db: Database, password_hash: str) -> Office:
    """Create the people, pairs and sign-off chain of the :func:`office` fixture in ``db``."""
    import datetime as dt

    from drafter.services import office as setup

    ids = {key: make_user(db, password_hash, name, roles, unit, display).id
           for key, (name, roles, unit, display) in OFFICE_PEOPLE.items()}
    result = Office(ids)
    with db.session() as session:
        director = result.user(session, "director")
        start = dt.date.today() - dt.timedelta(days=30)
        setup.create_pair(session, director, result.user(session, "mentor"), result.user(session, "junior"), start)
        setup.create_pair(session, director, result.user(session, "mentor"), result.user(session, "sibling"), start)
        setup.add_step(session, director, "科长", result.user(session, "chief"))
        setup.add_step(session, director, "办公室主任", director)
    return result


def scene_template(tmp_path_factory, password_hash: str, build_scene, name: str = "scene"):  # type: ignore[no-untyped-def]
    """For module-scoped fixtures of route × role matrices: on SQLite, the office plus
    ``build_scene(db, office) -> ids`` built once into a file that each test copies; None on PostgreSQL."""
    if PG_ADMIN_URL.startswith("postgresql"):
        return None
    path = tmp_path_factory.mktemp(name) / "scene.db"
    db = open_database(f"sqlite:///{path}")
    ids = build_scene(db, build_office(db, password_hash))
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path, ids


def scene_app(request, template, tmp_path: Path, password_hash: str, build_scene):  # type: ignore[no-untyped-def]
    """(app, scene ids, database): a fresh copy of :func:`scene_template`'s scene behind a fresh app; on
    PostgreSQL the ``db`` fixture gives an empty schema and the scene is built again."""
    import shutil

    from drafter.config import Settings
    from drafter.web import create_app

    if template is None:
        db = request.getfixturevalue("db")
        ids = build_scene(db, build_office(db, password_hash))
    else:
        path, ids = template
        shutil.copy(path, tmp_path / "scene.db")
        db = Database(f"sqlite:///{tmp_path / 'scene.db'}")
        request.addfinalizer(db.dispose)
    app = create_app({"SETTINGS": Settings(db_url=db.url, secret_key="test-secret"), "DATABASE": db,
                      "TESTING": True})
    app.test_client_class = CsrfClient
    return app, ids, db


def scene_client(app, username: str | None):  # type: ignore[no-untyped-def]
    """A test client of a :func:`scene_app` logged in as ``username`` (anonymous for None)."""
    from sqlalchemy import select

    from drafter.store.models import User
    from drafter.web.auth import log_in

    client = app.test_client()
    if username is not None:
        with app.extensions["drafter_db"].session() as session:
            user = session.scalars(select(User).where(User.username == username)).one()
        with client.session_transaction() as flask_session:
            log_in(flask_session, user)
    return client


def fill_ids(value, ids: dict[str, int]):  # type: ignore[no-untyped-def]
    """``value`` (a text or a list of texts) with each ``{key}`` replaced by ``ids[key]``."""
    if isinstance(value, list):
        return [fill_ids(v, ids) for v in value]
    for key, number in ids.items():
        value = value.replace("{" + key + "}", str(number))
    return value


@pytest.fixture
def office(db: Database, password_hash: str) -> Office:
    """A small office. ``director`` (admin, 办公室主任), ``mentor`` guiding ``junior`` and ``sibling`` (another
    junior of the same mentor), ``chief`` (科长), ``outsider`` (a writer of another unit, unpaired),
    ``other_mentor`` (a mentor with no juniors). Sign-off chain: 科长 ``chief``, then 办公室主任 ``director``."""
    return build_office(db, password_hash)


class FakeChecker:
    """A small check for tests of the analysis panel: 大幅 → warning, half-width comma → error, a zero-width
    finding before "二、" when "一、" is missing; with an archive, one reuse passage and one similar item."""

    name = "fake"
    needs_archive = False

    def __init__(self) -> None:
        self.requests = []

    def run(self, request, report) -> None:  # type: ignore[no-untyped-def]
        import re

        from drafter.analysis.findings import Finding

        self.requests.append(request)
        text = request.text
        for match in re.finditer("大幅", text):
            report.findings.append(Finding("wording.vague", "warning", match.start(), match.end(),
                                           "“大幅”缺少数据支撑", "写明具体数字"))
        for match in re.finditer(",", text):
            report.findings.append(Finding("norms.halfwidth-punct", "error", match.start(), match.end(),
                                           "中文里用了半角逗号“,”", "改为全角逗号“，”"))
        if "二、" in text and "一、" not in text:
            at = text.index("二、")
            report.findings.append(Finding("structure.numbering-gap", "error", at, at, "“二、”之前缺少“一、”", None))
        report.metrics["formulaic_density"] = 0.25
        report.metrics["paragraphs"] = text.count("\n")
        if request.archive is not None:
            from sqlalchemy import select

            from drafter.store.models import Document

            with request.archive.session() as session:
                other = session.scalars(select(Document).where(Document.id.not_in(request.exclude_document_ids or {0}))
                                        .order_by(Document.id)).first()
            if other is not None and len(text) > 4:
                report.reuse = {"copy_ratio": 0.5, "sources": [
                    {"doc_id": other.id, "title": other.title, "path": other.origin_path, "copied_chars": 4,
                     "ratio": 0.5}],
                    "passages": [{"start": 0, "end": 4, "doc_id": other.id, "source_start": 0, "source_end": 4,
                                  "similarity": 1.0}]}
                report.similar = [{"for_start": 0, "for_end": 4, "doc_id": other.id, "title": other.title,
                                   "path": other.origin_path, "paragraph": other.text[:20], "start": 0, "end": 20,
                                   "score": 0.87}]


@pytest.fixture
def fake_checker(monkeypatch) -> FakeChecker:
    """Register :class:`FakeChecker` as the only check (the real checks land in their own modules)."""
    from drafter.services import checks

    checker = FakeChecker()
    monkeypatch.setattr(checks, "_checkers", [checker])
    return checker
@pytest.fixture(scope="session")
def e5_model():
    """The local embedding model (tests marked ``model``). Missing model: a clear failure under CI=true
    (set-up builds it), an explicit skip elsewhere."""
    from drafter.analysis.embedding import find_model, missing_message, shared_encoder

    if find_model() is None:
        message = "语义模型缺失：" + missing_message()
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + "（CI 的 scripts/setup 应已运行 models/build_e5.py）")
        pytest.skip(message)
    return shared_encoder()


class ConceptEncoder:
    """A deterministic stand-in for the e5 encoder in tests that are not about the model: a text's vector
    points at the concepts whose trigger words it holds (synonyms share a concept), plus a faint
    per-character component, so "same meaning, other words" is near and unrelated text is far."""

    name = "e5-small"
    CONCEPTS = {
        "convenience": ("方便", "便利", "少跑腿", "一次办", "跑一次", "省时"),
        "review": ("点评", "讲评", "评议", "交流会", "互评"),
        "rural": ("乡村振兴", "农村", "农业", "种粮", "农民"),
        "money": ("经费", "预算", "资金", "开支"),
        "safety": ("安全生产", "隐患", "事故", "排查"),
    }

    def __init__(self):
        import numpy as np

        self.np = np
        rng = np.random.default_rng(7)
        self.axes = {c: rng.normal(size=384) for c in self.CONCEPTS}
        self.chars = rng.normal(size=(4096, 384))
        self.calls = 0

    def _vector(self, text):
        np = self.np
        v = np.zeros(384)
        for concept, triggers in self.CONCEPTS.items():
            if any(t in text for t in triggers):
                v += self.axes[concept]
        for ch in text:
            v += 0.05 * self.chars[ord(ch) % 4096]
        norm = np.linalg.norm(v)
        return (v / norm if norm else v).astype(np.float32)

    def encode(self, texts, prompt="", **_):
        self.calls += 1
        return self.np.array([self._vector(t) for t in texts], dtype=self.np.float32).reshape(len(texts), 384)

    def passages(self, texts, **kwargs):
        return self.encode(texts, **kwargs)

    def queries(self, texts, **kwargs):
        return self.encode(texts, **kwargs)


@pytest.fixture
def concept_encoder(monkeypatch):
    """Replace the e5 encoder everywhere by :class:`ConceptEncoder`."""
    encoder = ConceptEncoder()
    monkeypatch.setattr("drafter.analysis.embedding.shared_encoder", lambda *a, **k: encoder)
    monkeypatch.setattr("drafter.services.search.shared_encoder", lambda *a, **k: encoder)
    return encoder
