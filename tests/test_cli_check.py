"""Tests for drafter.cli.check: the ``drafter check`` contract of DESIGN.md."""

import json

import pytest

from drafter.cli import main

DRAFT = """关于做好年度文稿工作的通知

各处室：
一、总体要求
坚持问题导向,提升文稿质量。
（一）明确责任分工
各处室负责本条线文稿起草。
（二）加强审核把关
实行初审、复审两级审核。
三、工作安排
一是三月底前完成选题，二是六月底前形成初稿。
"""
CLEAN = "关于开展文稿点评的通知\n\n各处室：\n一、时间安排\n每月第一周周五下午召开点评会。\n二、参加人员\n办公室全体干部参加。\n"
FINDING_KEYS = {"rule", "severity", "start", "end", "excerpt", "message", "suggestion"}
NODE_KEYS = {"level", "marker", "title", "start", "end", "children"}


@pytest.fixture(autouse=True)
def no_default_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no instance/drafter.db here, so no archive is compared
    monkeypatch.delenv("DRAFTER_DB", raising=False)


def nodes(tree):
    for node in tree:
        yield node
        yield from nodes(node["children"])


def test_json_schema_outline_and_findings(runner, write):
    result = runner.invoke(main, ["check", "--format", "json", str(write("a.txt", DRAFT))])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert set(data) == {"file", "chars", "outline", "findings", "metrics", "reuse", "similar"}
    assert data["chars"] == len(DRAFT)
    for finding in data["findings"]:
        assert FINDING_KEYS <= set(finding)
        assert DRAFT[finding["start"]:finding["end"]] == finding["excerpt"]
    for node in nodes(data["outline"]):
        assert NODE_KEYS <= set(node) and 1 <= node["level"] <= 4
    assert any(n["marker"] == "（一）" and n["level"] == 2 for n in nodes(data["outline"]))
    gap = next(f for f in data["findings"] if f["rule"] == "structure.numbering-gap")
    assert gap["excerpt"] == "三、" and gap["message"] == "“三、”之前缺少“二、”（上一项是第4行的“一、”）"
    assert any(f["rule"] == "norms.halfwidth-punct" and f["excerpt"] == "," for f in data["findings"])


def test_exit_zero_without_errors_and_arrays_for_several_files(runner, write):
    clean = write("clean.txt", CLEAN)
    result = runner.invoke(main, ["check", "--format", "json", str(clean)])
    assert result.exit_code == 0 and json.loads(result.output)["findings"] == []
    both = runner.invoke(main, ["check", "--format", "json", str(clean), str(write("a.txt", DRAFT))])
    assert both.exit_code == 1
    payload = json.loads(both.output)
    assert isinstance(payload, list) and [p["file"] for p in payload] == [str(clean), str(write("a.txt", DRAFT))]


def test_stdin_and_crlf_give_the_same_offsets(runner, write):
    lf = json.loads(runner.invoke(main, ["check", "--format", "json", str(write("a.txt", DRAFT))]).output)
    crlf_path = write("b.txt", DRAFT.replace("\n", "\r\n"))
    crlf = json.loads(runner.invoke(main, ["check", "--format", "json", str(crlf_path)]).output)
    stdin = json.loads(runner.invoke(main, ["check", "--format", "json", "-"], input=DRAFT).output)
    spans = [(f["rule"], f["start"], f["end"]) for f in lf["findings"]]
    assert spans == [(f["rule"], f["start"], f["end"]) for f in crlf["findings"]]
    assert spans == [(f["rule"], f["start"], f["end"]) for f in stdin["findings"]]
    assert stdin["file"] == "-"


@pytest.mark.parametrize("content,word", [(None, "不存在"), (b"PK\x03\x04 junk", "损坏"), (b"\xff\xfe\x00", "UTF-16")])
def test_unreadable_input_exits_2_with_chinese_message(runner, write, tmp_path, content, word):
    path = tmp_path / "missing.txt" if content is None else write("bad" + (".docx" if content[:2] == b"PK" else ".txt"),
                                                                   content)
    result = runner.invoke(main, ["check", "--format", "json", str(path), str(write("ok.txt", CLEAN))])
    assert result.exit_code == 2
    assert word in result.stderr and "无法读取" in result.stderr
    assert json.loads(result.stdout)[0]["file"].endswith("ok.txt")  # the readable file is still reported


def test_disable_and_config_relevel(runner, write, tmp_path):
    path = str(write("a.txt", DRAFT))
    result = runner.invoke(main, ["check", "--format", "json", "--disable",
                                  "structure.numbering-gap,norms.halfwidth-punct", path])
    assert result.exit_code == 0
    assert {f["rule"] for f in json.loads(result.output)["findings"]} & {"structure.numbering-gap",
                                                                        "norms.halfwidth-punct"} == set()
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "drafter.toml").write_text(
        '[rules]\n"structure.numbering-gap" = "info"\nnorms = "off"\n', encoding="utf-8")
    configured = runner.invoke(main, ["check", "--format", "json", path])
    findings = json.loads(configured.output)["findings"]
    assert configured.exit_code == 0
    assert [f["severity"] for f in findings if f["rule"] == "structure.numbering-gap"] == ["info"]
    assert not any(f["rule"].startswith("norms.") for f in findings)


def test_text_report_groups_findings_by_line(runner, write):
    result = runner.invoke(main, ["check", "--outline", str(write("a.txt", DRAFT))])
    assert result.exit_code == 1
    out = result.output
    assert "错误 2 处" in out and "提纲：" in out and "    （一）明确责任分工" in out
    assert "第5行  坚持问题导向,提升文稿质量。" in out
    assert "第10行  三、工作安排" in out and "“三、”之前缺少“二、”" in out and "建议：改为“二、”" in out
    assert out.index("第5行") < out.index("第10行")
    assert "分类：" in out and "标题数：4" in out


def test_text_report_for_a_clean_file(runner, write):
    result = runner.invoke(main, ["check", str(write("clean.txt", CLEAN))])
    assert result.exit_code == 0 and "未发现问题" in result.output
