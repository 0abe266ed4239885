"""Tests for drafter.services.checks.formulaic: the check in ``drafter check``, its settings and rule files."""

import json

import pytest

from drafter.analysis.findings import Finding
from drafter.cli import main
from drafter.services.checks import CheckConfigError, CheckRequest, RuleSettings, run_checks
from drafter.services.checks.formulaic import DEFAULT_RULES_DIR, rule_files

DRAFT = ("关于做好汛前准备的通知\n\n各乡镇：\n各单位要高度重视，切实加强组织领导，确保各项工作落到实处。\n"
         "县水利局6月10日前完成37座水库的汛前检查。\n")
OFFICE_RULES = """
entries:
  - id: formulaic.stock-phrase.xunqian-zhunbei
    phrases: [汛前准备]
    explain: 测试用词条。
    hint: 写明准备的内容。
    examples:
      bad: [做好汛前准备。]
      good: [完成水库检查。]
"""


def test_metrics_and_findings_in_the_report(tmp_path):
    report = run_checks(CheckRequest(text=DRAFT, options={"formulaic": {"rules_dir": str(tmp_path)}}))
    data = report.to_json()
    for key in ("formulaic_density", "concreteness", "empty_sentences"):
        assert key in data["metrics"]
    assert data["metrics"]["empty_sentences"] == 1 and data["metrics"]["office_phrases"] == 0
    rules = {f["rule"] for f in data["findings"]}
    assert {"formulaic.empty-sentence", "formulaic.stock-phrase"} <= rules
    assert all(DRAFT[f["start"]:f["end"]] == f["excerpt"] for f in data["findings"])


def test_rule_settings_switch_off_by_id_and_by_prefix():
    settings = RuleSettings.build({"formulaic.stock-phrase": "off", "formulaic.empty-sentence": "info"})
    assert settings.lookup("formulaic.stock-phrase.gaodu-zhongshi") == "off"
    assert settings.lookup("formulaic.empty-sentence") == "info"
    assert settings.lookup("formulaic.four-char-stack") is None
    one = RuleSettings.build(disabled=["formulaic.stock-phrase.gaodu-zhongshi"])
    finding = Finding("formulaic.stock-phrase.gaodu-zhongshi", "info", 0, 1, "m")
    other = Finding("formulaic.stock-phrase.kongqian", "warning", 0, 1, "m")
    assert one.apply([finding, other]) == [other]
    assert RuleSettings.build({"formulaic": "error"}).lookup("formulaic.stock-phrase.kongqian") == "error"


def test_office_rule_files_extend_the_lexicon(tmp_path):
    (tmp_path / "office.yaml").write_text(OFFICE_RULES, encoding="utf-8")
    (tmp_path / "other.example.yaml").write_text("not: [valid", encoding="utf-8")  # examples are not loaded
    (tmp_path / "_draft.yaml").write_text("not: [valid", encoding="utf-8")
    assert [p.name for p in rule_files(tmp_path)] == ["office.yaml"]
    report = run_checks(CheckRequest(text=DRAFT, options={"formulaic": {"rules_dir": str(tmp_path)}}))
    assert "formulaic.stock-phrase.xunqian-zhunbei" in {f.data.get("entry") for f in report.findings}


def test_broken_rule_file_fails_with_a_chinese_message(tmp_path):
    (tmp_path / "office.yaml").write_text(OFFICE_RULES.replace("bad: [做好汛前准备。]", "bad: [做好防汛。]"),
                                          encoding="utf-8")
    with pytest.raises(CheckConfigError, match="没有被本词条识别"):
        run_checks(CheckRequest(text=DRAFT, options={"formulaic": {"rules_dir": str(tmp_path)}}))


def test_cli_disable_and_broken_rules(runner, write, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write("draft.txt", DRAFT)
    result = runner.invoke(main, ["check", "--format", "json", "--disable", "formulaic.stock-phrase", str(path)])
    data = json.loads(result.stdout)
    rules = {f["rule"] for f in data["findings"]}
    assert "formulaic.empty-sentence" in rules and not any(r.startswith("formulaic.stock-phrase") for r in rules)
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    (rules_dir / "office.yaml").write_text("entries: [", encoding="utf-8")
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "drafter.toml").write_text(f'[formulaic]\nrules_dir = "{rules_dir}"\n', encoding="utf-8")
    broken = runner.invoke(main, ["check", str(path)])
    assert broken.exit_code == 2 and "套话规则文件有误" in broken.stderr and "YAML" in broken.stderr


def test_shipped_rules_folder_holds_only_the_example():
    assert (DEFAULT_RULES_DIR / "office.example.yaml").is_file()
    assert rule_files(DEFAULT_RULES_DIR) == []
