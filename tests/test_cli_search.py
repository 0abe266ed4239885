"""Tests for drafter.cli.search: ``search`` (contract JSON), ``index``, ``worker``."""

import json

from drafter.cli import main

MEETING = "关于召开文稿点评会的通知\n各处室：\n定于每月第一周周五下午召开点评会。\n"
PLAN = "便民服务改革情况\n推行一次办改革以来，企业和居民少跑腿。\n"


def imported(runner, write, db_url):
    folder = write("src/a.txt", MEETING).parent
    write("src/b.txt", PLAN)
    assert runner.invoke(main, ["import", str(folder), "--db", db_url]).exit_code == 0
    return folder


def test_search_json_right_after_import(runner, write, db_url):
    folder = imported(runner, write, db_url)
    result = runner.invoke(main, ["search", "点评", "--db", db_url, "--format", "json", "--k", "3"])
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert hits and hits[0]["path"] == str(folder / "a.txt")
    assert {"doc_id", "title", "path", "paragraph", "start", "end", "score"} <= set(hits[0])
    assert MEETING[hits[0]["start"]:hits[0]["end"]] == hits[0]["paragraph"]
    assert "语义索引" in result.stderr and "drafter index --embed" in result.stderr


def test_search_text_output_and_filters(runner, write, db_url):
    imported(runner, write, db_url)
    text = runner.invoke(main, ["search", "点评会", "--db", db_url]).stdout
    assert "检索结果" in text and "【点评会】" in text
    none = runner.invoke(main, ["search", "点评会", "--db", db_url, "--year", "1999"]).stdout
    assert "没有找到" in none


def test_index_embeds_with_progress_and_search_uses_meaning(runner, write, db_url, concept_encoder):
    imported(runner, write, db_url)
    before = runner.invoke(main, ["index", "--db", db_url])
    assert before.exit_code == 0 and "尚未计算" in before.stdout
    result = runner.invoke(main, ["index", "--embed", "--db", db_url])
    assert result.exit_code == 0 and "本次计算 5 句" in result.stdout and "已完成（5 句）" in result.stdout
    hits = json.loads(runner.invoke(main, ["search", "办理更省时便利", "--db", db_url, "--format", "json"]).stdout)
    assert hits[0]["title"] == "便民服务改革情况" and "semantic" in hits[0]["matched_by"]


def test_check_with_db_lists_similar_material(runner, write, db_url):
    imported(runner, write, db_url)
    draft = write("draft.txt", "2025年计划\n继续推行一次办改革，企业少跑腿。\n")
    result = runner.invoke(main, ["check", str(draft), "--db", db_url, "--format", "json"])
    similar = json.loads(result.stdout)["similar"]
    assert similar and similar[0]["title"] == "便民服务改革情况"
    text = runner.invoke(main, ["check", str(draft), "--db", db_url]).stdout
    assert "相似材料" in text and "仅按关键词" in text


def test_worker_needs_a_queue(runner):
    result = runner.invoke(main, ["worker", "--db", "sqlite://"])
    assert result.exit_code == 1 and "没有任务队列" in result.output


def test_check_with_the_implicit_default_archive_keeps_to_keywords(runner, write, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DRAFTER_DB", raising=False)
    monkeypatch.setenv("DRAFTER_JOBS", "off")
    write("src/b.txt", PLAN)
    assert runner.invoke(main, ["import", str(tmp_path / "src")]).exit_code == 0
    draft = write("draft.txt", "2025年计划\n继续推行一次办改革，企业少跑腿。\n")
    result = runner.invoke(main, ["check", str(draft), "--format", "json"])
    report = json.loads(result.stdout)
    assert report["metrics"]["similar_semantic"] == "off" and report["similar"]
