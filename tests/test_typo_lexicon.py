"""drafter.analysis.typo_lexicon: built-in and user lexicons, confusable examples, name/place protection."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.analysis.findings import Severity
from drafter.analysis.typo_lexicon import (
    USER_ALLOWLIST,
    USER_CONFUSABLES,
    LexiconError,
    load_lexicon,
    parse_allowlist,
    parse_confusables,
)

LEXICON = load_lexicon()


def test_builtin_lists_are_substantial():
    assert len(LEXICON.allowlist) >= 500
    assert {"分类施策", "提质增效", "网信办", "放管服"} <= LEXICON.allowlist
    assert len(LEXICON.confusables) >= 80
    assert all(rule.examples for rule in LEXICON.confusables)


@pytest.mark.parametrize("rule", LEXICON.confusables, ids=lambda r: r.match[:12])
def test_every_confusable_rule_finds_its_bad_example_and_spares_the_good_one(rule):
    for bad, good in rule.examples:
        found = LEXICON.confusable_findings(bad)
        mine = [f for f in found if f.data["match"] == rule.match]
        assert mine, f"{rule.match} missed {bad}"
        for f in mine:
            assert f.rule == "typo.confusable" and f.severity is rule.level
            assert bad[f.start:f.end] and f.message.startswith(f"“{bad[f.start:f.end]}”应为")
        fixed = bad
        for f in sorted(mine, key=lambda f: -f.start):
            fixed = fixed[:f.start] + (f.suggestion or "") + fixed[f.end:]
        assert fixed == good
        assert not [f for f in LEXICON.confusable_findings(good) if f.data["match"] == rule.match]


def test_confusables_in_context():
    text = "做出了重要部署。截止日期为5月10日，截至目前已完成八成。各级领导非凡注重调研，这是一项非凡的成就。"
    found = {(text[f.start:f.end], f.suggestion) for f in LEXICON.confusable_findings(text)}
    assert ("做出", "作出") in found and ("非凡", "非常") in found
    assert not any(excerpt.startswith("截") for excerpt, _ in found)  # both uses of 截止/截至 are right here
    assert sum(1 for excerpt, _ in found if excerpt == "非凡") == 1


def test_guarded_characters_are_skipped():
    text = "《关于其它事项的说明》已印发，其它事项另行通知。"
    guarded = [i < text.index("》") + 1 for i in range(len(text))]
    found = LEXICON.confusable_findings(text, guarded)
    assert [f.start for f in found] == [text.rindex("其它")]


def test_user_files_extend_and_override(tmp_path: Path):
    (tmp_path / USER_ALLOWLIST).write_text("terms:\n  本单位:\n    - 澜江智谷\n    - 青禾通\n", encoding="utf-8")
    (tmp_path / USER_CONFUSABLES).write_text(
        "rules:\n"
        "  - match: 其它\n    level: off\n"
        "  - match: 青河县\n    replace: 青禾县\n    level: error\n    why: 本市县名为“青禾县”\n"
        "    examples:\n      - bad: 青河县召开会议。\n        good: 青禾县召开会议。\n",
        encoding="utf-8")
    lexicon = load_lexicon([tmp_path, tmp_path / "missing"])
    assert {"澜江智谷", "青禾通", "提质增效"} <= lexicon.allowlist
    assert str(tmp_path / USER_ALLOWLIST) in lexicon.files
    text = "青河县其它工作。"
    found = [(text[f.start:f.end], f.suggestion, f.severity) for f in lexicon.confusable_findings(text)]
    assert found == [("青河县", "青禾县", Severity.ERROR)]


@pytest.mark.parametrize(("content", "fragment"), [
    ("rules: 1", "rules 列表"),
    ("rules:\n  - match: 甲\n    replace: 乙\n    why: 测试\n", "例句"),
    ("rules:\n  - match: 甲乙\n    replace: 丙\n    why: 测试\n    examples:\n      - bad: 甲乙来了\n"
     "        good: 乙来了\n", "得到“丙来了”"),
    ("rules:\n  - match: 甲\n    replace: 乙\n    level: 严重\n    why: 测试\n", "level"),
    ("rules:\n  - match: '(甲'\n    replace: 乙\n    why: 测试\n    examples:\n      - bad: 甲\n        good: 乙\n",
     "正则表达式"),
    ("rules: [\n", "YAML"),
])
def test_bad_user_confusables_fail_with_the_file_named(tmp_path: Path, content, fragment):
    (tmp_path / USER_CONFUSABLES).write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon([tmp_path])
    assert str(tmp_path / USER_CONFUSABLES) in str(info.value) and fragment in str(info.value)


def test_bad_allowlists_are_rejected():
    with pytest.raises(LexiconError, match="terms"):
        parse_allowlist({"words": []}, "x.yaml")
    with pytest.raises(LexiconError, match="不是文字"):
        parse_allowlist({"terms": ["好", 3]}, "x.yaml")
    assert parse_allowlist({"terms": ["甲乙", " 丙丁 "]}, "x.yaml") == ["甲乙", "丙丁"]
    assert parse_confusables({"rules": [{"match": "甲", "level": "off"}]}, "x.yaml") == []


def spans(text: str, **kwargs) -> list[str]:
    return [text[a:b] for a, b in LEXICON.protected_spans(text, **kwargs)]


def test_names_at_titles_are_protected():
    assert "周晓岚" in spans("周晓岚同志主持会议。")
    assert "郑明远" in spans("县长郑明远作交流发言。", is_word=lambda w: False)
    assert "高雨" in spans("由主任高雨担任组长。", is_word=lambda w: w in {"担任"})
    assert "王立华" in spans("\u3000\u3000王立华\u3000\u3000市发展改革委副主任")


def test_places_issuer_codes_and_terms_are_protected():
    words = {"城市", "社区"}
    assert "江澜市" in spans("江澜市委召开会议。", is_word=words.__contains__)
    assert "石岭" in spans("石岭村村民代表参加。", is_word=words.__contains__)
    assert spans("推进城市建设。", is_word=words.__contains__) == []
    assert "澜政办发" in spans("（澜政办发〔2023〕5号）")
    assert "浙皖闽" in spans("加强浙皖闽生态协作。")
    assert "澜江智谷" in spans("建设澜江智谷。", protect=["澜江智谷", "x"])
    assert "提质增效" in spans("推动提质增效。")
