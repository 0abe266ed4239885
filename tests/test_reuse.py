"""drafter.analysis.reuse: skeletons, fingerprints, alignment under each kind of rewording, quotations, ratios."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.analysis.reuse import (
    AlignConfig,
    AlignedPassage,
    Source,
    align,
    clauses,
    common_mask,
    counted_chars,
    figures,
    fingerprints,
    kgram_hash,
    quotation_spans,
    skeleton,
)

DATA = Path(__file__).parent / "data" / "reuse"
SOURCE = (DATA / "source_summary.txt").read_text(encoding="utf-8")
HOST = (DATA / "unrelated_notice.txt").read_text(encoding="utf-8")

SERVICE = "我们在江澜新区设立了查档服务点，群众在家门口就能办理婚姻、学籍等常用档案的查询，全年接待查档群众9300人次，办结率保持在百分之百。"
INTAKE = "全年共接收进馆档案4200卷，其中纸质档案3100卷、电子档案1100件，馆藏总量达到18.6万卷。"

# The same sentences reworded the ways writers reuse old material.
REWORDED = {
    "particles": "我们在江澜新区设立查档服务点，群众在家门口就能办理婚姻和学籍等常用档案查询，全年接待查档群众9300人次，办结率保持在百分之百。",
    "synonyms": "我们在江澜新区设置了查档服务站，群众在家门口就可以办理婚姻、学籍等常用档案的查询，全年接待查档群众9300人次，办结率保持在百分之百。",
    "numbers": "全年共接收进馆档案5160卷，其中纸质档案3720卷、电子档案1440件，馆藏总量达到19.1万卷。",
    "reordered": "全年接待查档群众9300人次，群众在家门口就能办理婚姻、学籍等常用档案的查询，我们在江澜新区设立了查档服务点，办结率保持在百分之百。",
    "split": "我们在江澜新区设立了查档服务点。群众在家门口就能办理婚姻、学籍等常用档案的查询。全年接待查档群众9300人次，办结率保持在百分之百。",
    "heavy": "此外，全年接待查档群众9500余人次，群众在家门口就可以办理学籍和婚姻等常用档案查询，我们在江澜新区设置查档服务站，办结率一直保持在百分之百。",
    "merged": "全年共接收进馆档案4200卷，其中纸质档案3100卷、电子档案1100件，馆藏总量达到18.6万卷，我们对全市47家立档单位开展了业务指导。",
}
ORIGINAL = {"particles": SERVICE, "synonyms": SERVICE, "heavy": SERVICE, "numbers": INTAKE, "reordered": SERVICE, "split": SERVICE,
            "merged": INTAKE + "我们对全市47家立档单位开展了业务指导，"}


def insert(piece: str, after: str = "现将有关事项通知如下。") -> tuple[str, int, int]:
    """The host notice with ``piece`` as a paragraph after the sentence ``after``; returns the span too."""
    at = HOST.index(after) + len(after) + 1
    text = HOST[:at] + piece + "\n" + HOST[at:]
    return text, at, at + len(piece)


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def test_skeleton_drops_particles_punctuation_and_collapses_numbers():
    skel = skeleton("2023年3月，档案的接收和整理了。")
    assert skel.chars == "#年#月档案接收整理"
    assert [skel.offsets[i] for i in (0, 1)] == [0, 4]
    text = "全年接收１２００卷ＡＢ"
    skel = skeleton(text)
    assert skel.chars == "全年接收#卷ab"
    assert all(text[o] in "全年接收１卷ＡＢ" for o in skel.offsets)


def test_fingerprints_are_stable_and_ignore_rewording():
    assert kgram_hash("档案馆工作") == kgram_hash("档案馆工作")
    assert -(2 ** 31) <= kgram_hash("任意文字") < 2 ** 31
    assert fingerprints(SERVICE) == fingerprints(REWORDED["particles"])
    assert fingerprints(INTAKE) == fingerprints(REWORDED["numbers"])
    assert fingerprints(SERVICE) == fingerprints(REWORDED["split"])
    assert not fingerprints(SERVICE) & fingerprints(HOST)


def test_clauses_keep_their_punctuation_and_skeleton():
    found = clauses(SERVICE)
    assert [SERVICE[c.start:c.end] for c in found][:2] == ["我们在江澜新区设立了查档服务点，",
                                                         "群众在家门口就能办理婚姻、学籍等常用档案的查询，"]
    whole = skeleton(SERVICE).chars
    assert all(whole[c.skel_start:c.skel_start + len(c.skel)] == c.skel for c in found)


def test_verbatim_paragraph_has_exact_offsets_on_both_sides():
    draft, start, end = insert(SERVICE)
    passages = align(draft, [Source(7, SOURCE)])
    assert len(passages) == 1
    p = passages[0]
    src_start = SOURCE.index(SERVICE)
    assert (p.start, p.end, p.doc_id) == (start, end, 7)
    assert (p.source_start, p.source_end) == (src_start, src_start + len(SERVICE))
    assert draft[p.start:p.end] == SOURCE[p.source_start:p.source_end]
    assert p.similarity == 1.0


@pytest.mark.parametrize("kind", sorted(REWORDED))
def test_reworded_passage_is_found_as_one_passage(kind):
    draft, start, end = insert(REWORDED[kind])
    passages = align(draft, [Source(3, SOURCE)])
    assert len(passages) == 1, passages
    p = passages[0]
    assert overlap((p.start, p.end), (start, end)) >= 0.9 * (end - start)
    assert p.start >= start - 1 and p.end <= end + 1, "the passage must not spill into the host text"
    original = ORIGINAL[kind]
    src = (SOURCE.index(original[:12]), SOURCE.index(original[:12]) + len(original))
    assert overlap((p.source_start, p.source_end), src) >= 0.8 * (src[1] - src[0])
    assert 0.6 <= p.similarity <= 1.0


def test_adjacent_copied_paragraphs_merge_into_one_passage():
    block_start = SOURCE.index("二、开放利用水平明显提高")
    block_end = SOURCE.index("四、存在的问题")
    block = SOURCE[block_start:block_end].rstrip("\n")
    draft, start, end = insert(block)
    passages = align(draft, [Source(1, SOURCE)])
    assert len(passages) == 1
    assert (passages[0].start, passages[0].end) == (start, end)
    assert (passages[0].source_start, passages[0].source_end) == (block_start, block_start + len(block))


def test_unrelated_text_has_no_passage():
    assert align(HOST, [Source(1, SOURCE)]) == []
    assert align(SOURCE, [Source(2, HOST)]) == []
    assert align("", [Source(1, SOURCE)]) == [] and align(SOURCE, []) == []


def test_stock_phrase_alone_is_not_copying():
    # One short clause in common is below the passage minimum.
    draft, _, _ = insert("明年我们将加快推进馆藏档案数字化。")
    assert align(draft, [Source(1, SOURCE)]) == []


def test_boilerplate_never_makes_a_passage_but_may_sit_inside_one():
    draft, start, end = insert(SERVICE)
    common = fingerprints(SERVICE)
    assert align(draft, [Source(1, SOURCE)], common=common) == []
    # Common words inside a copied block do not break it.
    block = SERVICE + INTAKE
    source = SOURCE.replace(SERVICE, block)
    draft, start, end = insert(block)
    passages = align(draft, [Source(1, source)], common=fingerprints(SERVICE) - fingerprints(INTAKE))
    assert len(passages) == 1 and (passages[0].start, passages[0].end) == (start, end)


def test_common_mask_marks_frequent_kgrams():
    chars = skeleton(SERVICE).chars
    mask = common_mask(chars, fingerprints(SERVICE), AlignConfig())
    assert sum(mask) > 0.5 * len(chars)
    assert not any(common_mask(chars, set(), AlignConfig()))


def test_overlapping_sources_keep_the_stronger():
    draft, start, end = insert(SERVICE)
    weaker = SOURCE.replace("全年接待查档群众9300人次，", "")
    passages = align(draft, [Source(1, weaker), Source(2, SOURCE)])
    assert [p.doc_id for p in passages] == [2]


def test_quotation_spans_cover_quotes_titles_and_cited_documents():
    text = "会议强调：“要把档案工作抓紧抓实。”根据《档案法》规定，现提出意见。\n《江澜市档案工作规划》（江办发〔2021〕3号）要求，各单位按期移交档案。下一句不算。"
    spans = quotation_spans(text)
    pieces = [text[s:e] for s, e in spans]
    assert "“要把档案工作抓紧抓实。”" in pieces
    assert "《档案法》" in pieces
    assert any(p.startswith("各单位按期移交档案") for p in pieces)
    assert not any("下一句" in p for p in pieces)


def test_unbalanced_quote_quotes_nothing():
    assert quotation_spans("他说：“没有结束的引号\n下一段") == []


def test_figures_ratios():
    quote = "“" + SERVICE + "”"
    draft, start, end = insert(quote)
    p = AlignedPassage(start + 1, end - 1, 5, 0, 10, 1.0, 40)
    other = AlignedPassage(0, 10, 6, 0, 10, 1.0, 10)
    f = figures(draft, [p, other], own_doc_ids={6})
    total = counted_chars(draft)
    assert f.counted_chars == total
    assert f.copied_chars == counted_chars(draft, [(p.start, p.end), (0, 10)])
    assert f.copy_ratio == round(f.copied_chars / total, 4)
    assert f.copy_ratio_excluding_quotes == round(counted_chars(draft, [(0, 10)]) / total, 4)
    assert f.copy_ratio_excluding_own == round(counted_chars(draft, [(p.start, p.end)]) / total, 4)
    assert f.largest_source_id == 5
    assert f.per_source == {5: counted_chars(draft, [(p.start, p.end)]), 6: counted_chars(draft, [(0, 10)])}
    assert figures(draft, [], None).copy_ratio_excluding_own is None


def test_counted_chars_ignores_blanks():
    assert counted_chars("一 二\n三\u3000") == 3
    assert counted_chars("一二三四", [(0, 2), (1, 3)]) == 3
    assert counted_chars("一二三四", [(0, 4)], minus=[(1, 2)]) == 3
