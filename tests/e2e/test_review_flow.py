"""In the browser: a writer writes a draft and sees its findings marked, submits it; the mentor selects a span,
annotates it and returns the draft; the writer revises and resolves the annotation; the mentor passes it and
the sign-off chain (科长, then 办公室主任) completes it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

TITLE = "关于做好冬季安全生产检查工作的通知"
FIRST = """关于做好冬季安全生产检查工作的通知
各科室：
为切实做好冬季安全生产工作,现将有关事项通知如下。
一、明确检查范围
办公楼、档案室和车辆停放场所都要纳入检查，认真对照检查清单逐项排查。
三、及时报送检查结果
请于12月10日前将检查情况报送综合一科。
"""
SPAN = "认真对照检查清单逐项排查"
SECOND = FIRST.replace("工作,现将", "工作，现将").replace(
    SPAN, "由各科室负责人带队，于12月5日前对照检查清单逐项排查").replace(
    "三、及时报送", "二、落实整改责任\n发现的问题要建立台账，明确整改时限。\n三、及时报送")

SELECT_SPAN = """([text]) => {
  const paper = document.getElementById("paper");
  const walker = document.createTreeWalker(paper, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.textContent.indexOf(text);
    if (at < 0) { continue; }
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + text.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const box = range.getBoundingClientRect();
    paper.dispatchEvent(new MouseEvent("mouseup", {bubbles: true, clientX: box.right, clientY: box.bottom}));
    return true;
  }
  return false;
}"""


def _state(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator(".draft-head .state").first.inner_text()


def _pass_from_queue(page, button, state: str) -> None:  # type: ignore[no-untyped-def]
    """A reviewer of the sign-off chain opens the draft from 待我审阅 and passes it."""
    page.goto("/review/")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("button", name=button).click()
    expect(page.locator(".draft-head .state")).to_have_text(state)


def test_a_draft_from_writing_to_sign_off(browse, step):  # type: ignore[no-untyped-def]
    with step("撰稿人新建文稿并撰写第一稿"):
        writer = browse("zhangxy").page
        writer.goto("/drafts/new")
        writer.get_by_label("标题").fill(TITLE)
        writer.get_by_label("文种").fill("通知")
        writer.get_by_role("button", name="创建文稿").click()
        expect(writer).to_have_url(re.compile(r"/drafts/\d+/edit$"))
        writer.locator("#editor").fill(FIRST)
        writer.get_by_role("button", name="保存为第1稿").click()
        expect(writer).to_have_url(re.compile(r"/drafts/\d+/versions/1\b"))
        draft_url = re.match(r".*/drafts/\d+", writer.url).group(0)

    with step("撰稿人看到正文中标出的问题"):
        marked = writer.locator("#paper .hl-finding")
        expect(marked.first).to_be_visible()
        expect(writer.locator("#panel-checks")).to_contain_text("“三、”之前缺少“二、”")
        gap = writer.locator("#paper .hl-finding", has_text="三、")
        gap.first.click()  # a mark opens its finding in the checks panel
        expect(writer.locator("#panel-checks")).to_be_visible()
        expect(writer.locator("#count-checks")).not_to_have_text("…")

    with step("撰稿人提交审阅"):
        writer.get_by_role("button", name="提交审阅").click()
        expect(writer.locator(".draft-head .state")).to_have_text("待指导老师审阅")

    with step("指导老师在正文中选中一段并批注"):
        mentor = browse("limh").page
        mentor.goto("/review/")
        mentor.get_by_role("link", name=TITLE).first.click()
        expect(mentor.locator("#paper")).to_contain_text(SPAN)
        assert mentor.evaluate(SELECT_SPAN, [SPAN])
        mentor.locator(".note-floater").click()
        expect(mentor.locator("#note-form textarea[readonly]")).to_have_value(SPAN)
        mentor.locator("#note-form").get_by_label("批注意见").fill("请写明由谁带队、哪天之前查完。")
        mentor.locator("#note-form").get_by_role("button", name="添加批注").click()
        note = mentor.locator("#panel-notes .note", has_text="请写明由谁带队")
        expect(note).to_be_visible()
        expect(mentor.locator("#paper .hl-annotation", has_text=SPAN)).to_be_visible()

    with step("指导老师退回修改"):
        mentor.locator(".decision textarea[name=comment]").fill("缺少第二部分，整改责任要写实。")
        mentor.get_by_role("button", name="退回修改").click()
        expect(mentor.locator(".draft-head .state")).to_have_text("退回修改")

    with step("撰稿人修改出第二稿"):
        writer.goto(draft_url)
        expect(writer.locator("#panel-notes")).to_contain_text("请写明由谁带队")
        expect(writer.locator(".verdicts")).to_contain_text("缺少第二部分")
        writer.get_by_role("link", name="编辑 / 上传新稿").click()
        writer.locator("#editor").fill(SECOND)
        writer.get_by_role("button", name="保存为第2稿").click()
        expect(writer).to_have_url(re.compile(re.escape(draft_url) + r"/versions/2\b"))
        expect(writer.locator(".version-bar select")).to_contain_text("第2稿")
        expect(writer.locator("#panel-checks")).not_to_contain_text("“三、”之前缺少“二、”")

    with step("撰稿人把批注标为已解决并再次提交"):
        note = writer.locator("#panel-notes .note", has_text="请写明由谁带队")
        note.get_by_role("button", name="标为已解决").click()
        expect(writer.locator("#panel-notes .note", has_text="请写明由谁带队")).to_contain_text("已解决")
        writer.get_by_role("button", name="提交审阅").click()
        expect(writer.locator(".draft-head .state")).to_have_text("待指导老师审阅")

    with step("指导老师通过，送科长签批"):
        mentor.goto(draft_url)
        mentor.get_by_role("button", name=re.compile("^通过，送科长")).click()
        expect(mentor.locator(".draft-head .state")).to_have_text("签批中")

    with step("科长通过，送办公室主任签批"):
        _pass_from_queue(browse("zhouwd").page, re.compile("^通过，送"), "签批中")

    with step("办公室主任通过，签批完成"):
        _pass_from_queue(browse("wangjg").page, "通过（定稿）", "已通过")

    with step("撰稿人看到文稿已通过"):
        writer.goto(draft_url)
        expect(writer.locator(".draft-head .state")).to_have_text("已通过")
        expect(writer.get_by_role("button", name="提交审阅")).to_have_count(0)
