"""drafter.analysis.typos: wrong, extra and missing characters; protections; tiers (sentences written by us)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from drafter.analysis.findings import Severity
from drafter.analysis.typo_lexicon import load_lexicon
from drafter.analysis.typos import TypoDetector, TypoSettings
from tests.typo_support import real_detector


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return real_detector()


def typos(detector: TypoDetector, text: str, **kwargs) -> list[tuple[str, str, str | None]]:
    """(rule, excerpt, suggestion) of the character-level findings, checking excerpts on the way."""
    found = detector.check(text, **kwargs)
    for finding in found:
        assert finding.to_dict(text)["excerpt"] == text[finding.start:finding.end]
        assert finding.message and finding.start < finding.end
    return [(f.rule, text[f.start:f.end], f.suggestion) for f in found if f.rule != "typo.confusable"]


@pytest.mark.parametrize(("text", "wrong", "right"), [
    ("各单位要认真落实安全生产责任制，及时排查各类安全阴患。", "阴", "隐"),
    ("要坚持问题导向，切实解决群众反映强烈的突出问提。", "提", "题"),
    ("加快推进新型城镇化建设，提高城乡规划管理水品。", "品", "平"),
    ("全年共完成固定资产投资一百二十亿元，同比增涨百分之八。", "涨", "长"),
    ("全市大力培育发展大数局产业。", "局", "据"),
])
def test_wrong_character_is_found_and_corrected(detector, text, wrong, right):
    found = detector.check(text)
    chars = [f for f in found if f.rule == "typo.char"]
    assert [(text[f.start:f.end], f.suggestion) for f in chars] == [(wrong, right)]
    assert chars[0].severity is Severity.ERROR
    assert f"“{wrong}”应为“{right}”" in chars[0].message


def test_two_wrong_characters_in_a_row_are_replaced_together(detector):
    text = "营业支招已经广泛应用。"  # 营业执照, both characters miswritten
    found = [f for f in detector.check(text) if f.rule == "typo.char"]
    assert found, "expected a correction of 支招"
    corrected = text[:found[0].start] + (found[0].suggestion or "") + text[found[0].end:]
    assert "执照" in corrected


def test_extra_character_is_found(detector):
    text = "我们要进一步步加强干部队伍建设。"
    assert typos(detector, text) == [("typo.extra", "步", "删去“步”")]


def test_deliberate_reduplication_and_joining_words_are_kept(detector):
    assert typos(detector, "坚决反对搞团团伙伙，坚持教书与育人相统一。") == []


def test_missing_character_is_found(detector):
    text = "中华人民共国宪法是国家的根本法。"
    found = [f for f in detector.check(text) if f.rule == "typo.missing"]
    assert [(text[f.start:f.end], f.suggestion) for f in found] == [("共国", "共和国")]
    assert "缺“和”" in found[0].message


@pytest.mark.parametrize("text", [
    "要认真贯彻落实中央经济工作会议精神，推动经济持续健康发展。",
    "切实做好防汛抗旱各项准备工作，确保人民群众生命财产安全。",
    "推进政务服务标准化、规范化、便利化建设，提升群众办事体验。",
    "严格落实党风廉政建设主体责任，驰而不息纠治四风。",
    "坚持分类施策，推动经营主体提质增效，持续优化营商环境。",
])
def test_correct_official_prose_gets_no_finding(detector, text):
    assert typos(detector, text) == []


def test_names_places_and_titles_are_not_corrected(detector):
    text = ("江澜市委办公室周晓岚同志主持会议，青禾县县长郑明远作交流发言。"
            "会议传达了《江澜市文搞工作规程》的修订情况。")
    # 文搞 inside 《》 would be a typo anywhere else
    assert typos(detector, text) == []
    assert typos(detector, "会议传达了江澜市文搞工作规程的修订情况。") != []


def test_protected_terms_of_the_caller_are_left_alone(detector):
    text = "全市大力培育发展大数局产业。"
    assert typos(detector, text, protect=["大数局"]) == []


def test_established_usage_vetoes_a_correction(detector):
    text = "全市大力培育发展大数局产业。"
    seen = []

    def established(snippet: str) -> bool:
        seen.append(snippet)
        return snippet == "大数局"

    assert typos(detector, text, is_established=established) == []
    assert "大数局" in seen


def test_a_spelling_repeated_in_the_text_is_taken_as_intended(detector):
    once = "全市大力培育发展大数局产业。"
    assert typos(detector, once) != []
    assert typos(detector, once + "大数局的职责另行规定。") == []


def test_two_tiers(detector):
    text = "要坚持以人民为中心的发展思想，不断增进民生福址。"
    strict = TypoDetector(detector.resources, detector.lexicon, replace(detector.settings, error_margin=20.0))
    found = [f for f in strict.check(text) if f.rule == "typo.char"]
    # below the error margin but above the info margin: a "possible error"
    assert [(f.severity, f.suggestion) for f in found] == [(Severity.INFO, "祉")]
    assert found[0].message.startswith("疑似")
    silent = TypoDetector(detector.resources, detector.lexicon,
                          replace(detector.settings, error_margin=20.0, info_margin=None))
    assert [f for f in silent.check(text) if f.rule == "typo.char"] == []


def test_confusable_words_are_reported_with_the_lexicon(detector):
    text = "截止2023年底，其它指标均已完成。"
    found = [(f.rule, text[f.start:f.end], f.suggestion) for f in detector.check(text)]
    assert ("typo.confusable", "截止", "截至") in found
    assert ("typo.confusable", "其它", "其他") in found


def test_without_resources_only_the_confusable_list_runs():
    detector = TypoDetector(None, load_lexicon())
    text = "我们将一如继往地支持基层工作，发展大数局产业。"
    found = detector.check(text)
    assert [(f.rule, text[f.start:f.end]) for f in found] == [("typo.confusable", "一如继往")]
    assert detector.corrections(text) == []


def test_settings_from_options():
    settings = TypoSettings.from_options({"error_margin": 5, "window": 3, "unknown": "x"})
    assert settings.error_margin == 5 and settings.window == 3
    with pytest.raises(ValueError, match="error_margin"):
        TypoSettings.from_options({"error_margin": "高"})
