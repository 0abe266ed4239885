"""In the browser: archive search finds paragraphs of the demo archive, marks the words searched for, and a
hit opens the document at its paragraph."""

from __future__ import annotations

import re

from playwright.sync_api import expect


def test_archive_search_marks_the_words_and_opens_the_paragraph(browse, step):  # type: ignore[no-untyped-def]
    with step("撰稿人在档案检索中输入关键词"):
        page = browse("zhangxy").page
        page.goto("/search")
        page.get_by_label("检索内容").fill("防汛 值班")
        page.get_by_role("button", name="检索").click()
        expect(page).to_have_url(re.compile(r"/search\?q="))

    with step("结果中的关键词高亮显示"):
        hits = page.locator("ol.hits li.hit")
        expect(hits.first).to_be_visible()
        marks = page.locator("ol.hits .hit-snippet mark")
        expect(marks.first).to_be_visible()
        marked = {text.strip() for text in marks.all_inner_texts()}
        assert marked & {"防汛", "值班"}, marked
        assert all(m in "防汛值班" or "防汛" in m or "值班" in m for m in marked), marked  # only the words searched
        expect(page.locator("ol.hits")).not_to_contain_text("<mark>")  # marks are markup, not escaped text

    with step("点开结果，跳到原文段落"):
        first = hits.first
        title = first.locator(".hit-title").inner_text()
        snippet = first.locator(".hit-snippet").inner_text().strip("…")[:12]
        first.locator(".hit-title").click()
        expect(page).to_have_url(re.compile(r"/documents/\d+#p\d+$"))
        anchor = page.url.rsplit("#", 1)[1]
        expect(page).to_have_title(re.compile(re.escape(title.strip()[:10])))
        expect(page.locator(f"#{anchor}")).to_contain_text(snippet)
