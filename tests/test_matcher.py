"""Tests for drafter.analysis.matcher: literal phrases, frames, clause ends, overlap selection."""

from drafter.analysis.lexicon import Entry, Frame
from drafter.analysis.matcher import PhraseMatcher, select_maximal, select_non_overlapping


def entry(entry_id="formulaic.stock-phrase.t", phrases=(), frames=(), clause_end=False):
    return Entry(entry_id, "test", "测试", "info", tuple(phrases), tuple(Frame(*f.split("…")) for f in frames),
                 "说明", "提示", "“{match}”", clause_end)


def spans(matches, text):
    return [text[m.start:m.end] for m in matches]


def test_literal_phrases_and_longest_first():
    matcher = PhraseMatcher([entry(phrases=["贯彻落实", "认真贯彻落实"])])
    text = "要认真贯彻落实，抓好贯彻落实。"
    assert spans(matcher.find(text), text) == ["认真贯彻落实", "贯彻落实"]
    assert len(matcher.find_all(text)) == 3


def test_frame_gap_stays_inside_one_clause():
    matcher = PhraseMatcher([entry(frames=["加大…力度"])])
    text = "加大对违法排污的查处力度，加大资金投入，确保力度不减。"
    found = matcher.find(text)
    assert spans(found, text) == ["加大对违法排污的查处力度"]
    assert found[0].anchors == ((0, 2), (10, 12)) and found[0].anchor_chars == 4
    assert spans(matcher.find("加大力度。"), "加大力度。") == ["加大力度"]


def test_frame_gap_is_limited():
    matcher = PhraseMatcher([entry(frames=["提高…水平"])])
    assert matcher.find("提高" + "甲" * 20 + "水平") == []


def test_clause_end_phrases():
    matcher = PhraseMatcher([entry(phrases=["加强管理"], clause_end=True)])
    assert spans(matcher.find("要加强管理。"), "要加强管理。") == ["加强管理"]
    assert matcher.find("加强管理人员培训") == []
    assert len(matcher.find("必须加强管理")) == 1  # end of text ends the clause


def test_extra_phrases_and_keys():
    matcher = PhraseMatcher(phrases=[("主动靠前服务", "office")])
    found = matcher.find("各科室要主动靠前服务。")
    assert found[0].key == "office" and (found[0].start, found[0].end) == (4, 10)
    assert not PhraseMatcher() and matcher


def test_selection_of_overlaps():
    matcher = PhraseMatcher([entry("formulaic.stock-phrase.a", phrases=["奋力开创"]),
                             entry("formulaic.stock-phrase.b", frames=["开创…新局面"]),
                             entry("formulaic.stock-phrase.c", phrases=["开创"])])
    text = "奋力开创全区发展新局面"
    every = matcher.find_all(text)
    assert spans(select_non_overlapping(every), text) == ["奋力开创"]
    assert spans(select_maximal(every), text) == ["奋力开创", "开创全区发展新局面"]
