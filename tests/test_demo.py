"""Tests for drafter.services.demo and the demo archive in corpora/demo (written by this project)."""

from collections import Counter

from sqlalchemy import func, select

from drafter.analysis.text import normalise
from drafter.services.demo import DEMO_DIR, archive_is_empty, load_manifest, seed_demo
from drafter.store.models import Document, User

TYPES = {"工作总结", "经验交流材料", "调研报告", "讲话稿", "通知", "督查通报", "信息", "方案", "请示"}


def test_manifest_lists_every_file_once_with_metadata():
    entries = load_manifest()
    files = [e["file"] for e in entries]
    assert len(files) == len(set(files)) >= 40
    assert sorted(files) == sorted(p.name for p in DEMO_DIR.glob("*.txt"))
    for entry in entries:
        assert entry["doc_type"] in TYPES, entry
        assert entry["unit"] and entry["author"] and 2021 <= entry["year"] <= 2025, entry


def test_demo_documents_are_realistic_lengths_and_cover_types():
    entries = load_manifest()
    for entry in entries:
        text = normalise((DEMO_DIR / entry["file"]).read_text(encoding="utf-8"))
        assert 600 <= len(text) <= 3000, (entry["file"], len(text))
        first_lines = "".join(text.strip().split("\n\n")[0].split("\n"))
        assert first_lines.replace(" ", "") == entry["title"].replace(" ", ""), entry["file"]
    kinds = Counter(e["doc_type"] for e in entries)
    assert {"工作总结", "经验交流材料", "调研报告", "讲话稿", "通知", "督查通报", "信息"} <= set(kinds)
    assert len({e["unit"] for e in entries}) >= 4 and len({e["year"] for e in entries}) >= 4
    assert any(e["exemplar"] for e in entries)
    assert sum(e["weakness"] != "none" for e in entries) >= 8


def test_seed_demo_loads_archive_and_accounts_once(db):
    assert archive_is_empty(db)
    summary, accounts = seed_demo(db)
    assert summary.count("failed") == 0 and summary.count("imported") == len(load_manifest())
    assert len(accounts) == 7  # admin, 科长, two mentors, three writers
    with db.session() as session:
        # imported texts; the demo critique meeting adds its 精品佳作, published from drafts (draft_id kept)
        archive = select(func.count()).select_from(Document).where(Document.kind == "archive",
                                                                    Document.draft_id.is_(None))
        assert session.scalar(archive) == len(load_manifest())
        assert session.scalar(select(func.count()).select_from(Document).where(Document.is_exemplar)) >= 1
    again, more = seed_demo(db)
    assert again.count("imported") == 0 and more == []
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 7
