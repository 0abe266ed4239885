"""Tests for drafter.cli through click's CliRunner."""

import json

from drafter.cli import main
from drafter.docio import read_path


def test_import_list_show_export(runner, db_url, write, sample_text, tmp_path):
    folder = write("in/a.txt", sample_text).parent
    write("in/bad.docx", b"PK\x03\x04 corrupt")
    result = runner.invoke(main, ["import", str(folder), "--db", db_url, "--unit", "综合一科"])
    assert result.exit_code == 1  # one file failed
    assert "新增 1 篇" in result.output and "失败 1 篇" in result.output and "bad.docx" in result.output
    again = runner.invoke(main, ["import", str(folder / "a.txt"), "--db", db_url])
    assert again.exit_code == 0 and "重复跳过 1 篇" in again.output

    listed = runner.invoke(main, ["list", "--db", db_url, "--format", "json"])
    rows = json.loads(listed.output)
    assert rows[0]["title"] == "关于做好年度文稿工作的通知" and rows[0]["unit"] == "综合一科"
    doc_id = rows[0]["id"]
    text_list = runner.invoke(main, ["list", "--db", db_url])
    assert "共 1 篇" in text_list.output

    shown = runner.invoke(main, ["show", str(doc_id), "--db", db_url, "--format", "json"])
    assert json.loads(shown.output)["text"] == sample_text
    assert "文种：通知" in runner.invoke(main, ["show", str(doc_id), "--db", db_url]).output

    out = tmp_path / "out.docx"
    exported = runner.invoke(main, ["export", str(doc_id), "--db", db_url, "--format", "docx", "-o", str(out)])
    assert exported.exit_code == 0 and read_path(out).text == sample_text
    txt = tmp_path / "out.txt"
    runner.invoke(main, ["export", str(doc_id), "--db", db_url, "--format", "txt", "-o", str(txt)])
    assert txt.read_text(encoding="utf-8") == sample_text


def test_show_missing_document(runner, db_url):
    result = runner.invoke(main, ["show", "42", "--db", db_url])
    assert result.exit_code == 1 and "不存在" in result.output


def test_db_option_from_environment(runner, db_url, write, sample_text):
    result = runner.invoke(main, ["import", str(write("a.txt", sample_text))], env={"DRAFTER_DB": db_url})
    assert result.exit_code == 0
    assert "共 1 篇" in runner.invoke(main, ["list"], env={"DRAFTER_DB": db_url}).output


def test_bad_database_url(runner):
    result = runner.invoke(main, ["list", "--db", "nonsense://"])
    assert result.exit_code == 1 and "数据库" in result.output


def test_check_json_contract_and_exit_codes(runner, write, sample_text, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no default database here
    path = write("a.txt", sample_text.replace("\n", "\r\n"))
    result = runner.invoke(main, ["check", "--format", "json", str(path)])
    assert result.exit_code in (0, 1)
    data = json.loads(result.output)
    assert set(data) == {"file", "chars", "outline", "findings", "metrics", "reuse", "similar"}
    assert data["chars"] == len(sample_text)
    assert set(data["reuse"]) == {"copy_ratio", "sources", "passages"}
    two = json.loads(runner.invoke(main, ["check", "--format", "json", str(path), str(path)]).output)
    assert isinstance(two, list) and len(two) == 2
    stdin = runner.invoke(main, ["check", "--format", "json", "-"], input=sample_text)
    assert json.loads(stdin.output)["chars"] == len(sample_text)


def test_check_unreadable_inputs_exit_2(runner, write, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args, word in ([[str(tmp_path / "missing.txt")], "不存在"],
                       [[str(write("bad.docx", b"PK\x03\x04 junk"))], "损坏"],
                       [["-"], "为空"]):
        result = runner.invoke(main, ["check", *args], input="")
        assert result.exit_code == 2, args
        assert word in result.stderr


def test_check_rejects_bad_rule_setting(runner, write, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "drafter.toml").write_text('[rules]\n"structure.lone-child" = "loud"\n', encoding="utf-8")
    result = runner.invoke(main, ["check", str(write("a.txt", "正文。"))])
    assert result.exit_code == 1 and "无效" in result.output


def test_db_upgrade(runner, db_url):
    result = runner.invoke(main, ["db", "upgrade", "--db", db_url])
    assert result.exit_code == 0 and "最新" in result.output
