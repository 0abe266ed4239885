"""Shared fixtures: a migrated temporary database, the Flask app and clients, a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

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


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A database URL: DRAFTER_TEST_DB (e.g. PostgreSQL) if set, else a fresh SQLite file."""
    return os.environ.get("DRAFTER_TEST_DB") or f"sqlite:///{tmp_path / 'test.db'}"


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


@pytest.fixture
def app(db: Database):
    """The web app on the test database."""
    from drafter.config import Settings
    from drafter.web import create_app

    settings = Settings(db_url=db.url, secret_key="test-secret")
    return create_app({"SETTINGS": settings, "DATABASE": db, "TESTING": True})


@pytest.fixture
def client(app):
    """A Flask test client."""
    return app.test_client()


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
