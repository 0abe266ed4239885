"""Tests for drafter.analysis.formulaic: stock phrases, protected text, scores, stacks, metrics."""

import pytest

from drafter.analysis.formulaic import (
    RULE_ADVERB,
    RULE_EMPTY,
    RULE_FOUR_CHAR,
    RULE_OFFICE,
    FormulaicAnalyzer,
    OfficePhrase,
    analyse,
)
from drafter.analysis.protected import protected_spans

EMPTY = "各单位要高度重视，切实加强组织领导，进一步压实责任，推动各项工作再上新台阶。"
CONCRETE = "县水利局每日8时发布主要河道水位，6月10日前完成全县37座水库的汛前检查，由分管副局长负责。"

DRAFT_V1 = f"""关于做好汛前准备的通知

各乡镇、各部门：
当前防汛形势依然严峻。{EMPTY}
要坚持解放思想、实事求是、与时俱进、求真务实，凝心聚力、攻坚克难。
"""
DRAFT_V2 = f"""关于做好汛前准备的通知

各乡镇、各部门：
今年入汛以来全县降雨量比常年同期偏多三成。{CONCRETE}
各乡镇5月31日前把巡堤人员名单报县防汛办，每段堤防落实巡查员2名。
"""


def rules(result):
    return [f.data.get("entry", f.rule) for f in result.findings]


def test_empty_sentence_flagged_concrete_one_not():
    result = analyse(EMPTY + "\n" + CONCRETE)
    empty = [f for f in result.findings if f.rule == RULE_EMPTY]
    assert len(empty) == 1
    finding = empty[0]
    assert EMPTY[finding.start:finding.end] == EMPTY
    assert "高度重视" in finding.message and "数字" in finding.message
    assert finding.severity.value == "warning" and "责任单位" in finding.suggestion
    first, second = result.sentences
    assert first.density > 0.5 and first.concreteness < 0.2 and first.empty
    assert second.concreteness > 0.8 and not second.empty and second.score < first.score


def test_findings_quote_their_text_and_are_in_order():
    text = DRAFT_V1
    result = analyse(text)
    assert result.findings == sorted(result.findings, key=lambda f: (f.start, f.end, f.rule))
    for finding in result.findings:
        excerpt = text[finding.start:finding.end]
        assert 0 <= finding.start < finding.end <= len(text) and excerpt
        if finding.rule == "formulaic.stock-phrase":
            assert finding.data["entry"].startswith("formulaic.stock-phrase.")
            assert f"“{excerpt}”" in finding.message


@pytest.mark.parametrize("text", [
    "会议强调要把“高度重视、狠抓落实”落到每个岗位上的每一件事。",
    "认真学习《关于进一步加强文稿工作的意见》全文。",
    "他在报告中写道：“我们要切实加强组织领导。”",
])
def test_quotations_and_titles_are_not_flagged(text):
    result = analyse(text)
    for start, end in protected_spans(text):
        assert not [f for f in result.findings if f.rule.startswith("formulaic.stock-phrase")
                    and f.start < end and start < f.end]


def test_policy_and_campaign_names_are_not_flagged():
    text = "推动高质量发展，深入开展扫黑除恶专项斗争，坚持全面从严治党。现将有关事项通知如下：请认真贯彻执行。"
    result = analyse(text)
    flagged = [text[f.start:f.end] for f in result.findings if f.rule.startswith("formulaic.stock-phrase")]
    assert "深入开展" in flagged
    for name in ("高质量发展", "扫黑除恶专项斗争", "全面从严治党", "请认真贯彻执行"):
        start = text.index(name)
        assert not [f for f in result.findings if f.rule.startswith("formulaic.stock-phrase")
                    and f.start < start + len(name) and start < f.end], name


def test_frame_around_protected_name_still_flagged():
    text = "奋力开创“十五五”发展新局面。"
    assert "formulaic.stock-phrase.kaichuang-xinjumian" in rules(analyse(text))


def test_four_char_stack():
    result = analyse("要坚持解放思想、实事求是、与时俱进、求真务实，推动工作落实。")
    stacks = [f for f in result.findings if f.rule == RULE_FOUR_CHAR]
    assert len(stacks) == 1 and stacks[0].data["count"] == 4
    assert "解放思想" in stacks[0].message


@pytest.mark.parametrize("text", [
    "重点做好技术引进、成果转化、人才培养、标准制定等工作。",
    "解放思想、实事求是，推动工作。",
    "全县共有水库、堤防、泵站、涵闸四类工程需要检查。",
])
def test_no_four_char_stack(text):
    assert RULE_FOUR_CHAR not in rules(analyse(text))


def test_adverb_repeated_in_a_paragraph():
    text = "进一步规范收文登记，进一步缩短办文时间，进一步严格审核把关。"
    stacks = [f for f in analyse(text).findings if f.rule == RULE_ADVERB]
    assert len(stacks) == 1 and stacks[0].data["count"] == 3
    assert (stacks[0].start, stacks[0].end) == (0, text.rindex("进一步") + 3)
    two = "进一步规范收文登记。\n进一步缩短办文时间，进一步严格审核。"  # 1 + 2 in two paragraphs
    assert RULE_ADVERB not in rules(analyse(two))


def test_adjacent_adverbs():
    text = "要进一步切实规范公文格式。"
    found = [f for f in analyse(text).findings if f.rule == RULE_ADVERB]
    assert [text[f.start:f.end] for f in found] == ["进一步切实"]


def test_adverbs_inside_protected_names_do_not_count():
    text = "全面从严治党，全面从严治党，全面从严治党。"
    assert RULE_ADVERB not in rules(analyse(text))


def test_metrics_bounds_and_paragraphs():
    result = analyse(DRAFT_V1)
    metrics = result.metrics
    for key in ("formulaic_density", "concreteness", "formulaic_score"):
        assert 0.0 <= metrics[key] <= 1.0
    assert 0 < metrics["empty_sentences"] <= metrics["sentences"]
    paragraphs = metrics["formulaic_paragraphs"]
    assert [p["index"] for p in paragraphs] == list(range(len(paragraphs)))
    for para in paragraphs:
        assert 0.0 <= para["formulaic_density"] <= 1.0 and 0.0 <= para["concreteness"] <= 1.0
        assert DRAFT_V1[para["start"]:para["end"]].strip()
    assert sum(p["empty_sentences"] for p in paragraphs) == metrics["empty_sentences"]
    for sentence in result.sentences:
        assert 0.0 <= sentence.density <= 1.0 and 0.0 <= sentence.vagueness <= 1.0
        assert 0.0 <= sentence.score <= 1.0 and sentence.density + sentence.vagueness <= 1.0


def test_empty_text_has_zero_metrics():
    metrics = analyse("").metrics
    assert metrics["formulaic_density"] == 0.0 and metrics["empty_sentences"] == 0 and metrics["sentences"] == 0


def test_density_falls_from_version_to_version():
    before, after = analyse(DRAFT_V1).metrics, analyse(DRAFT_V2).metrics
    assert after["formulaic_density"] < before["formulaic_density"]
    assert after["concreteness"] > before["concreteness"]
    assert after["empty_sentences"] == 0 < before["empty_sentences"]


def test_headings_are_not_empty_sentences():
    result = analyse("一、切实加强组织领导\n（二）进一步提高思想认识")
    assert RULE_EMPTY not in rules(result)


def test_office_phrases_found_beside_the_lexicon():
    office = [OfficePhrase("主动靠前服务", 40, 0.4), OfficePhrase("高度重视文稿", 30, 0.3)]
    analyzer = FormulaicAnalyzer(office_phrases=office)
    text = "各科室要主动靠前服务。要高度重视文稿质量。引用“主动靠前服务”的说法。"
    result = analyzer.analyse(text)
    office_findings = [f for f in result.findings if f.rule == RULE_OFFICE]
    assert [text[f.start:f.end] for f in office_findings] == ["主动靠前服务"]  # the quoted one is skipped
    assert "40 篇" in office_findings[0].message and "主动靠前服务" in office_findings[0].suggestion
    # where the built-in lexicon matches, its finding wins over the office phrase
    assert "formulaic.stock-phrase.gaodu-zhongshi" in rules(result)
    assert result.sentences[0].stock_chars == 6
