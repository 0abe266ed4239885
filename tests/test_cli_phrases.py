"""Tests for drafter.cli.phrases (``drafter phrases``) and the refresh after ``drafter import``."""

import json
import shutil
from pathlib import Path

from drafter.cli import main

ARCHIVE = Path(__file__).parent / "data" / "office_archive"


def import_archive(runner, db_url, tmp_path):
    folder = tmp_path / "archive"
    shutil.copytree(ARCHIVE, folder)
    return runner.invoke(main, ["import", str(folder), "--db", db_url])


def test_import_refreshes_and_phrases_lists_them(runner, db_url, tmp_path):
    result = import_archive(runner, db_url, tmp_path)
    assert result.exit_code == 0, result.output
    assert "已更新本单位常用套语" in result.output
    listed = runner.invoke(main, ["phrases", "--db", db_url, "--format", "json"])
    data = json.loads(listed.stdout)
    assert data["documents"] == 8 and not data["stale"] and data["computed_at"]
    first = data["phrases"][0]
    assert first["phrase"] == "主动靠前服务" and first["doc_count"] == 6 and first["share"] == 0.75
    assert first["lexicon_entry"] is None
    text = runner.invoke(main, ["phrases", "--db", db_url, "--top", "5"])
    assert text.exit_code == 0 and "据 8 篇档案文稿统计" in text.output and "主动靠前服务" in text.output
    again = import_archive(runner, db_url, tmp_path / "again")
    assert "已更新" not in again.output  # nothing new: no recomputation


def test_rebuild_and_empty_archive(runner, db_url):
    empty = runner.invoke(main, ["phrases", "--db", db_url])
    assert empty.exit_code == 0 and "还没有文稿" in empty.output
    rebuilt = runner.invoke(main, ["phrases", "--db", db_url, "--rebuild", "--format", "json"])
    assert json.loads(rebuilt.stdout)["phrases"] == []


def test_bad_mining_setting_is_a_clean_error(runner, db_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "drafter.toml").write_text('[formulaic]\noffice_min_share = "很多"\n', encoding="utf-8")
    result = runner.invoke(main, ["phrases", "--db", db_url])
    assert result.exit_code == 1 and "formulaic" in result.output and "Traceback" not in result.output


def test_check_uses_the_office_phrases(runner, db_url, tmp_path, write):
    import_archive(runner, db_url, tmp_path)
    draft = write("draft.txt", "各科室要主动靠前服务重点项目。\n信访科每周一上午9时开门接访。\n")
    result = runner.invoke(main, ["check", "--db", db_url, "--format", "json", str(draft)])
    data = json.loads(result.stdout)
    office = [f for f in data["findings"] if f["rule"] == "formulaic.office-phrase"]
    assert [f["excerpt"] for f in office] == ["主动靠前服务"] and "6 篇" in office[0]["message"]
    assert data["metrics"]["office_phrases"] >= 1
