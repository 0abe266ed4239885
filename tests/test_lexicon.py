"""Tests for drafter.analysis.lexicon: the built-in lexicon, its examples, and validation on load."""

from pathlib import Path

import pytest

from drafter.analysis.formulaic import FormulaicAnalyzer
from drafter.analysis.lexicon import ID_PREFIX, LexiconError, builtin_lexicon, load_lexicon

LEXICON = builtin_lexicon()
ANALYZER = FormulaicAnalyzer(LEXICON)
EXAMPLE_FILE = Path(__file__).resolve().parent.parent / "corpora" / "rules" / "office.example.yaml"

BAD = [(e.id, text) for e in LEXICON.entries for text in e.bad]
GOOD = [(e.id, text) for e in LEXICON.entries for text in e.good]


@pytest.mark.parametrize(("entry_id", "text"), BAD, ids=[f"{i}:{t[:8]}" for i, t in BAD])
def test_bad_example_is_flagged_by_its_entry(entry_id, text):
    findings = [f for f in ANALYZER.analyse(text).findings if f.data.get("entry") == entry_id]
    assert findings, f"{entry_id} did not flag {text!r}"
    for finding in findings:
        excerpt = text[finding.start:finding.end]
        assert excerpt in finding.message  # the message quotes the match
        assert finding.suggestion == LEXICON.get(entry_id).hint


@pytest.mark.parametrize(("entry_id", "text"), GOOD, ids=[f"{i}:{t[:8]}" for i, t in GOOD])
def test_good_example_is_not_flagged_by_its_entry(entry_id, text):
    assert not [f for f in ANALYZER.analyse(text).findings if f.data.get("entry") == entry_id]


def test_every_entry_has_examples_explanation_and_hint():
    missing = [e.id for e in LEXICON.entries if not e.bad or not e.good]
    assert missing == [], f"entries without a bad and a good example: {missing}"
    assert all(e.explain and e.hint and e.id.startswith(ID_PREFIX) for e in LEXICON.entries)


def test_lexicon_size_and_categories():
    assert LEXICON.phrase_count() >= 300
    categories = {e.category for e in LEXICON.entries}
    assert {"stance", "adverbs", "slogans", "verbs", "absolute"} <= categories
    assert len({e.id for e in LEXICON.entries}) == len(LEXICON.entries)


def test_policy_names_are_not_lexicon_phrases():
    phrases = {p for e in LEXICON.entries for p in e.phrases}
    assert not phrases & {"高质量发展", "乡村振兴", "全面从严治党", "新发展理念"}


ENTRY = """
category: office
label: 本单位套话
entries:
  - id: formulaic.stock-phrase.test-entry
    phrases: [主动靠前服务]
    explain: 没说靠到哪里。
    hint: 写出服务对象和时限。
    examples:
      bad: [各科室要主动靠前服务。]
      good: [每周二到开发区现场办公。]
"""


def test_user_file_extends_overrides_and_disables():
    override = """
disable: [formulaic.stock-phrase.kongqian]
entries:
  - id: formulaic.stock-phrase.gaodu-zhongshi
    level: warning
    hint: 写明牵头领导。
"""
    lexicon = load_lexicon([("a.yaml", ENTRY), ("b.yaml", override)])
    assert lexicon.get("formulaic.stock-phrase.test-entry").category == "office"
    changed = lexicon.get("formulaic.stock-phrase.gaodu-zhongshi")
    assert changed.level == "warning" and changed.hint == "写明牵头领导。"
    assert changed.phrases == LEXICON.get("formulaic.stock-phrase.gaodu-zhongshi").phrases
    assert not lexicon.get("formulaic.stock-phrase.kongqian").enabled
    findings = FormulaicAnalyzer(lexicon).analyse("各单位要高度重视。参会人数之多空前。各科室要主动靠前服务。").findings
    rules = {f.data.get("entry", f.rule): f for f in findings}
    assert rules["formulaic.stock-phrase.gaodu-zhongshi"].severity.value == "warning"
    assert "formulaic.stock-phrase.kongqian" not in rules
    assert "formulaic.stock-phrase.test-entry" in rules


def test_disabled_ids_by_prefix():
    lexicon = load_lexicon(disabled=["formulaic.stock-phrase"])
    assert not lexicon.enabled


def test_example_file_of_corpora_loads():
    lexicon = load_lexicon([(EXAMPLE_FILE.name, EXAMPLE_FILE.read_text(encoding="utf-8"))])
    assert lexicon.get("formulaic.stock-phrase.zhudong-kaoqian") is not None
    assert lexicon.get("formulaic.stock-phrase.gaodu-zhongshi").level == "warning"
    assert not lexicon.get("formulaic.stock-phrase.yanjiu-jiejue").enabled


@pytest.mark.parametrize(("change", "message"), [
    (("formulaic.stock-phrase.test-entry", "formulaic.stock-phrase.Test_Entry"), "编号必须形如"),
    (("    hint: 写出服务对象和时限。\n", ""), "改写提示"),
    (("    explain: 没说靠到哪里。\n", ""), "说明"),
    (("bad: [各科室要主动靠前服务。]", "bad: [各科室要做好服务。]"), "没有被本词条识别"),
    (("good: [每周二到开发区现场办公。]", "good: [要主动靠前服务群众。]"), "不应被本词条识别"),
    (("phrases: [主动靠前服务]", "phrases: [主动靠前服务, 高度重视]"), "同时出现在词条"),
    (("label: 本单位套话", "label: 本单位套话\nlevel: loud"), "level"),
    (("    phrases: [主动靠前服务]", "    phrases: [主动靠前服务]\n    colour: red"), "不认识的字段"),
    (("phrases: [主动靠前服务]", "phrases: [主动靠前服务]\n    frames: [加大力度]"), "前半…后半"),
    (("phrases: [主动靠前服务]", "phrases: [主动，靠前]"), "不能含标点"),
    (("entries:", "entries: ["), "YAML 格式错误"),
])
def test_bad_entry_fails_on_load(change, message):
    old, new = change
    with pytest.raises(LexiconError) as error:
        load_lexicon([("office.yaml", ENTRY.replace(old, new))])
    assert message in str(error.value)
    assert "office.yaml" in str(error.value) or "高度重视" in str(error.value)


def test_disable_unknown_id_fails():
    with pytest.raises(LexiconError, match="不是已知的词条编号"):
        load_lexicon([("x.yaml", "disable: [formulaic.stock-phrase.no-such-entry]\n")])
