"""In the browser: a critique meeting from the call through nominations with self-assessment and the
participants' critiques to the published ranking."""

from __future__ import annotations

import re

from playwright.sync_api import expect

WRITERS = {"zhangxy": "张晓宇", "liuy": "刘洋", "zhaot": "赵婷"}
#: The scores each critic gives (every rubric item): the ranking must follow them.
GENEROSITY = {"zhangxy": 5, "liuy": 3, "zhaot": 2}


def _scores(page, value: int) -> None:  # type: ignore[no-untyped-def]
    """Click one score chip in every rubric row."""
    rows = page.locator(".score-row")
    for i in range(rows.count()):
        rows.nth(i).locator("label.score-chip", has=page.locator(f'input[value="{value}"]')).click()


def test_a_meeting_from_nomination_to_ranking(browse, step):  # type: ignore[no-untyped-def]
    with step("主持人发起交流会"):
        chair = browse("limh").page
        chair.goto("/critique/new")
        chair.get_by_label("会议名称").fill("浏览器测试交流会")
        chair.get_by_label("会议日期").fill("2026-12-18")
        for name in WRITERS.values():
            chair.locator("label.check", has_text=name).locator("input").check()
        chair.get_by_role("button", name="创建交流会").click()
        expect(chair).to_have_url(re.compile(r"/critique/\d+$"))
        meeting = chair.url

    writers = {}
    for username, name in WRITERS.items():
        with step(f"{name}提名并自评"):
            page = writers[username] = browse(username).page
            page.goto(meeting)
            page.get_by_role("link", name="提名并自评").first.click()
            page.get_by_label("从我的文稿中选择一稿").check()
            page.locator("select[name=version_id]").select_option(index=1)
            page.get_by_label("自评意见").fill(f"{name}的自评：结构基本清楚，数据还可以更具体。")
            _scores(page, 4)
            page.get_by_role("button", name="提名").click()
            expect(page).to_have_url(meeting)
            expect(page.locator("table")).to_contain_text(name)

    with step("主持人开始互评"):
        chair.reload()
        chair.get_by_role("button", name="开始互评 →").click()
        expect(chair.locator("body")).to_contain_text("互评")
        expect(chair.get_by_role("button", name="结束会议，公布排名")).to_be_visible()

    for username, name in WRITERS.items():
        page = writers[username]
        for _ in range(len(WRITERS) - 1):
            with step(f"{name}点评他人的提名"):
                page.goto(meeting)
                page.get_by_role("link", name="去点评").first.click()
                _scores(page, GENEROSITY[username])
                page.get_by_label("主要优点").fill("开头点题，层次清楚。")
                page.get_by_label("存在问题").fill("部分措施偏空，缺少责任单位。")
                page.get_by_label("一条具体修改建议").fill("每项措施后写明牵头科室和完成时限。")
                page.get_by_role("button", name="保存互评").click()
                expect(page.locator(".flash-error")).to_have_count(0)
        with step(f"{name}的互评都已完成"):
            page.goto(meeting)
            expect(page.get_by_role("link", name="去点评")).to_have_count(0)
            expect(page.locator("table .badge-green", has_text="已点评")).to_have_count(len(WRITERS) - 1)

    with step("主持人结束会议，公布排名"):
        chair.goto(meeting)
        chair.get_by_role("button", name="结束会议，公布排名").click()
        expect(chair.locator("body")).to_contain_text("已结束")

    with step("参会人员看到排名"):
        page = writers["zhangxy"]
        page.goto(meeting + "/results")
        rows = page.locator("table.rank-table tbody tr")
        expect(rows).to_have_count(len(WRITERS))
        ranks = [rows.nth(i).locator(".rank-cell").inner_text().strip() for i in range(len(WRITERS))]
        assert all(r.isdigit() for r in ranks) and ranks == sorted(ranks, key=int), ranks
        raw = {rows.nth(i).locator("td").nth(2).inner_text().strip(): rows.nth(i).locator("td").nth(5).inner_text()
               for i in range(len(WRITERS))}
        # each draft is critiqued by the two other writers: 赵婷's by the generous 张晓宇 (5) and 刘洋 (3)
        assert set(raw) == set(WRITERS.values()), raw
        assert [float(raw[n]) for n in ("赵婷", "刘洋", "张晓宇")] == [4.0, 3.5, 2.5], raw
        expect(page.locator("body")).to_contain_text("排名可靠性")
