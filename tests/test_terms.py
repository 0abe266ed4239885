"""Tests for drafter.analysis.terms: jieba words, bigrams, simplified characters, query terms, highlights."""

from drafter.analysis.terms import grams, highlight_spans, index_fields, query_terms, simplified, words


def test_simplified_converts_traditional_characters():
    assert simplified("國務院關於加強檢察工作的意見") == "国务院关于加强检察工作的意见"
    assert simplified("plain ascii") == "plain ascii"


def test_words_keep_short_words_inside_long_ones_and_drop_punctuation():
    tokens = words("研究部署全年文稿工作。")
    assert {"研究", "部署", "研究部署", "文稿"} <= set(tokens)
    assert "。" not in tokens


def test_grams_are_bigrams_of_chinese_runs_plus_latin_and_numbers():
    assert grams("点评会") == ["点评", "评会"]
    assert grams("会") == ["会"]
    assert grams("GB/T 9704规定") == ["gb", "t", "9704", "规定"]


def test_index_fields_are_space_separated_and_simplified():
    words_field, grams_field = index_fields("召開點評會")
    assert "点评" in grams_field.split() and "评会" in grams_field.split()
    assert "召开" in words_field.split()


def test_query_terms_drop_stop_words_but_never_everything():
    terms = query_terms("加强文稿点评工作")
    texts = [t.text for t in terms]
    assert "文稿" in texts and "点评" in texts and "加强" not in texts
    assert [t.text for t in query_terms("加强工作")] == ["加强", "工作"]
    point = next(t for t in terms if t.text == "点评")
    assert point.grams == ("点评",) and not point.is_single_char


def test_highlight_spans_merge_overlaps_and_index_the_original_text():
    text = "國務院辦公廳：点评会和点评工作"
    spans = highlight_spans(text, ["点评", "评会", "办公厅"])
    assert [text[s:e] for s, e in spans] == ["辦公廳", "点评会", "点评"]
