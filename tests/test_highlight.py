"""Tests for drafter.web.highlight."""

import re

from drafter.web.highlight import Mark, render_paragraphs

TEXT = "标题\n\n  第一段有<b>标签</b>和问题。\n第二段。\n"


def _plain(html: str) -> str:
    import html as h

    return h.unescape(re.sub(r"<[^>]+>", "", html))


def test_paragraph_text_is_exactly_the_slice_with_offsets():
    paras = render_paragraphs(TEXT, [])
    assert len(paras) == 3
    starts = [int(re.search(r'data-start="(\d+)"', str(p))[1]) for p in paras]
    assert [_plain(str(p)) for p in paras] == ["标题", "第一段有<b>标签</b>和问题。", "第二段。"]
    assert [TEXT[s:s + len(_plain(str(p)))] for s, p in zip(starts, paras, strict=True)] == [
        "标题", "第一段有<b>标签</b>和问题。", "第二段。"]


def test_user_text_is_escaped():
    html = str(render_paragraphs(TEXT, [])[1])
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_overlapping_marks_split_into_pieces_and_keep_every_character():
    start = TEXT.index("标签")
    marks = [Mark("finding", "0", start, start + 6, "error"), Mark("annotation", "7", start + 2, start + 9, "cat-typo"),
             Mark("finding", "1", TEXT.index("问题"), TEXT.index("问题"), "warning")]
    html = str(render_paragraphs(TEXT, marks)[1])
    assert _plain(html) == "第一段有<b>标签</b>和问题。"
    assert html.count('id="f-0"') == 1 and html.count('id="a-7"') == 1 and html.count('id="f-1"') == 1
    assert 'class="hl hl-finding sev-error hl-annotation cat-typo"' in html
    assert 'class="pin warning" id="f-1"' in html


def test_marks_across_paragraphs_are_clipped():
    marks = [Mark("reuse", "0", 0, len(TEXT), "")]
    paras = [str(p) for p in render_paragraphs(TEXT, marks)]
    assert all("hl-reuse" in p for p in paras)
    assert 'id="r-0"' in paras[0] and 'id="r-0"' not in paras[1]


def test_heading_sentence_of_a_run_in_heading_is_set_apart():
    text = "标题\n一、严格值班。汛期实行24小时值班。\n（一）总体要求\n"
    paras = [str(p) for p in render_paragraphs(text, [])]
    assert paras[1].startswith('<p id="p1" class="para h1"') and '<span class="hd">一、严格值班。</span>汛期' in paras[1]
    assert '<span class="hd">（一）总体要求</span>' in paras[2]
    assert _plain(paras[1]) == "一、严格值班。汛期实行24小时值班。"
