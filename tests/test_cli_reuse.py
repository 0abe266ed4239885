"""``drafter reuse``: the side-by-side text report, JSON, re-indexing and bad input."""

from __future__ import annotations

import json
from pathlib import Path

from drafter.cli import main
from drafter.cli.reuse import cell_width, side_by_side, wrap
from drafter.store.reuse_tables import ReuseDocument, ReuseFingerprint, ReuseFrequency

DATA = Path(__file__).parent / "data" / "reuse"
SOURCE = (DATA / "source_summary.txt").read_text(encoding="utf-8")
HOST = (DATA / "unrelated_notice.txt").read_text(encoding="utf-8")
SERVICE = "我们在江澜新区设立了查档服务点，群众在家门口就能办理婚姻、学籍等常用档案的查询，全年接待查档群众9300人次，办结率保持在百分之百。"


def archive(runner, db_url, write):
    source = write("archive/summary.txt", SOURCE)
    result = runner.invoke(main, ["import", str(source.parent), "--db", db_url, "--author", "林晓"])
    assert result.exit_code == 0, result.output


def test_text_report_side_by_side(runner, db_url, write):
    archive(runner, db_url, write)
    draft = write("draft.txt", HOST + SERVICE + "\n")
    result = runner.invoke(main, ["reuse", str(draft), "--db", db_url])
    assert result.exit_code == 0, result.output
    out = result.output
    for label in ("文字复制比：", "去除引用文字复制比：", "去除本人文献复制比：—", "单篇最大文字复制比：", "相似来源（1 篇）",
                  "相似片段（1 处）", "summary.txt", "文稿", "来源", "相似度 100%"):
        assert label in out, label
    assert "我们在江澜新区设立了查档服务点" in out


def test_author_option_and_json(runner, db_url, write):
    archive(runner, db_url, write)
    draft = write("draft.txt", HOST + SERVICE + "\n")
    result = runner.invoke(main, ["reuse", str(draft), "--db", db_url, "--format", "json", "--author", "林晓"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["file"] == str(draft) and data["chars"] == len(HOST + SERVICE + "\n")
    assert data["copy_ratio"] > 0 and data["copy_ratio_excluding_own"] == 0.0
    assert data["sources"][0]["own"] is True
    p = data["passages"][0]
    assert (HOST + SERVICE)[p["start"]:p["end"]] == SERVICE


def test_reads_stdin(runner, db_url, write):
    archive(runner, db_url, write)
    result = runner.invoke(main, ["reuse", "-", "--db", db_url, "--format", "json"], input=HOST + SERVICE + "\n")
    assert result.exit_code == 0 and json.loads(result.output)["passages"]


def test_nothing_found_says_so(runner, db_url, write):
    archive(runner, db_url, write)
    result = runner.invoke(main, ["reuse", str(write("clean.txt", HOST)), "--db", db_url])
    assert result.exit_code == 0
    assert "文字复制比：0.0%" in result.output and "未发现与档案相似的段落" in result.output


def test_reindex_fills_a_missing_index(runner, db_url, write, db):
    archive(runner, db_url, write)
    with db.session() as session:
        for table in (ReuseFingerprint, ReuseFrequency, ReuseDocument):
            session.execute(table.__table__.delete())
    draft = write("draft.txt", HOST + SERVICE + "\n")
    result = runner.invoke(main, ["reuse", str(draft), "--db", db_url])
    assert "尚未建立查重索引" in result.output and "文字复制比：0.0%" in result.output
    result = runner.invoke(main, ["reuse", "--reindex", "--db", db_url])
    assert result.exit_code == 0 and "已为 1 篇文档建立查重索引" in result.output
    assert "无需补建" in runner.invoke(main, ["reuse", "--reindex", "--db", db_url]).output
    assert "相似片段（1 处）" in runner.invoke(main, ["reuse", str(draft), "--db", db_url]).output


def test_bad_input(runner, db_url, tmp_path):
    result = runner.invoke(main, ["reuse", str(tmp_path / "missing.txt"), "--db", db_url])
    assert result.exit_code == 2 and "无法读取" in result.output
    result = runner.invoke(main, ["reuse", "--db", db_url])
    assert result.exit_code == 2 and "请指定要检测的文稿文件" in result.output


def test_columns_respect_display_width():
    assert cell_width("文稿ab") == 6
    assert wrap("一二三四五", 4) == ["一二", "三四", "五"]
    assert wrap("甲\n乙", 10) == ["甲", "乙"]
    rows = side_by_side("一二三四五六", "甲乙", width=6)
    assert rows[1] == "一二三 │ 甲乙" and rows[2] == "四五六 │ "
    assert len({cell_width(r.split("│")[0]) for r in rows}) == 1
