"""Tests for drafter.analysis.outline (texts written for these tests)."""

import pytest

from drafter.analysis.outline import match_marker, parse_outline, render_marker

NOTICE = """关于开展机关作风建设月活动的通知

各科室、各直属单位：
一、活动目标
通过一个月的集中整治，推动机关作风明显好转。
二、主要内容
（一）整治会风文风。精简会议文件，提倡开短会、讲短话。
（二）整治办事拖拉
1.建立限时办结制度。
2.推行首问负责制度。
（1）明确首问责任人；
（2）公开办理时限。
三、工作要求。各科室要高度重视，一是明确责任，二是加强督查。

附件：1.作风建设月活动安排表
2.问题整改清单
江澜市委办公室
2024年4月2日

附件1

作风建设月活动安排表

一、动员部署阶段
二、集中整治阶段
"""


def walk(nodes):
    for node in nodes:
        yield node
        yield from walk(node["children"])


def test_nested_and_run_in_headings():
    outline = parse_outline(NOTICE)
    tree = outline.to_json()
    top = [n["marker"] for n in tree]
    assert top == ["一、", "二、", "三、", "附件1"]
    second = tree[1]
    assert [c["marker"] for c in second["children"]] == ["（一）", "（二）"]
    run_in = second["children"][0]
    assert run_in["title"] == "整治会风文风" and run_in["level"] == 2 and run_in["kind"] == "paren-cn"
    assert NOTICE[run_in["start"]:run_in["end"]] == "（一）整治会风文风"
    standalone = second["children"][1]
    assert standalone["title"] == "整治办事拖拉"
    arabic = standalone["children"]
    assert [a["marker"] for a in arabic] == ["1.", "2."] and arabic[0]["level"] == 3
    assert [p["marker"] for p in arabic[1]["children"]] == ["（1）", "（2）"]
    assert arabic[1]["children"][0]["level"] == 4 and arabic[1]["children"][0]["rank"] == 4
    third = tree[2]
    assert third["title"] == "工作要求" and NOTICE[third["start"]:third["end"]] == "三、工作要求"


def test_attachment_is_its_own_scope_and_list_is_closing():
    outline = parse_outline(NOTICE)
    attachment = outline.to_json()[-1]
    assert attachment["kind"] == "attachment" and attachment["title"] == "作风建设月活动安排表"
    assert [c["marker"] for c in attachment["children"]] == ["一、", "二、"]
    assert all(c["level"] == 2 for c in attachment["children"])
    kinds = [part.kind for part in outline.closing]
    assert kinds == ["attachments", "attachments", "signature", "date"]
    assert NOTICE[outline.closing[-1].start:outline.closing[-1].end] == "2024年4月2日"
    # the attachment list item "2.问题整改清单" is not a heading
    assert "问题整改清单" not in [n["title"] for n in walk(outline.to_json())]


def test_title_and_section_ends():
    outline = parse_outline(NOTICE)
    assert NOTICE[outline.title.start:outline.title.end] == "关于开展机关作风建设月活动的通知"
    first, second = outline.roots[0], outline.roots[1]
    assert first.section_end == second.start
    assert second.children[-1].section_end == outline.roots[2].start


def test_sequences_in_paragraphs():
    outline = parse_outline(NOTICE)
    words = [(item.word, item.family, item.number) for item in outline.sequences]
    assert words == [("一是", "是", 1), ("二是", "是", 2)]
    text = "首先，要统一思想；其次，要压实责任；最后，要严格考核。第一，讲政治；第二，讲规矩。统一是前提。"
    found = [(i.word, i.family, i.number) for i in parse_outline(text).sequences]
    assert found == [("首先", "首先", 1), ("其次", "首先", 2), ("最后", "首先", 99),
                     ("第一", "第", 1), ("第二", "第", 2)]


REGULATION = """机关公文管理办法

第一章　总　　则
第一条　为了规范机关公文管理，制定本办法。
第二条　本办法适用于本机关各科室。
第二章　公文办理
第一节　收文
第三条　收文应当逐件登记，包括：
（一）来文单位；
（二）文件标题。
第二节　发文
第四条　发文应当经过审核。
第三章　附　　则
第五条　本办法自印发之日起施行。
"""


def test_regulation_structure():
    tree = parse_outline(REGULATION).to_json()
    assert [n["marker"] for n in tree] == ["第一章", "第二章", "第三章"]
    assert tree[0]["kind"] == "chapter" and tree[0]["title"] == "总　　则"
    sections = tree[1]["children"]
    assert [s["marker"] for s in sections] == ["第一节", "第二节"] and sections[0]["kind"] == "section"
    article = sections[0]["children"][0]
    assert article["marker"] == "第三条" and article["level"] == 3 and article["kind"] == "article"
    assert [i["marker"] for i in article["children"]] == ["（一）", "（二）"]
    assert article["children"][0]["level"] == 4


def test_amendment_lines_are_not_articles():
    text = "第三条修改为：“本办法由办公室负责解释。”\n第五条中的“科室”修改为“部门”。\n"
    assert list(parse_outline(text).headings()) == []


@pytest.mark.parametrize("line,kind,number,text", [
    ("一、总体要求", "cn", 1, "一、"),
    ("十二、其他事项", "cn", 12, "十二、"),
    ("一.总体要求", "cn", 1, "一."),
    ("（三）加强领导", "paren-cn", 3, "（三）"),
    ("(三)加强领导", "paren-cn", 3, "(三)"),
    ("（三）、加强领导", "paren-cn", 3, "（三）、"),
    ("2.落实责任", "arabic", 2, "2."),
    ("2．落实责任", "arabic", 2, "2．"),
    ("２．落实责任", "arabic", 2, "２．"),
    ("2、落实责任", "arabic", 2, "2、"),
    ("1.2024年工作回顾", "arabic", 1, "1."),
    ("（4）按时报送", "paren-arabic", 4, "（4）"),
    ("第十二条　本办法", "article", 12, "第十二条"),
    ("第三章", "chapter", 3, "第三章"),
    ("第二部分　重点任务", "part", 2, "第二部分"),
])
def test_markers(line, kind, number, text):
    marker = match_marker(line, 0, len(line))
    assert (marker.kind, marker.number, marker.text) == (kind, number, text)


@pytest.mark.parametrize("line", [
    "三、四月份集中开展检查", "一、二类事项", "一、二、三产业协调发展", "1.5万元", "1、2月份",
    "（2021—2025年）规划", "第三条修改为", "统一思想", "2024年工作", "一是抓学习", "五.一劳动节", "3.15晚会",
])
def test_not_markers(line):
    assert match_marker(line, 0, len(line)) is None


def test_inline_list_continuation_is_not_a_heading():
    text = "一、说明\n注：1.本表由各科室填报。\n2.请于月底前报送。\n二、要求\n"
    outline = parse_outline(text)
    assert [h.marker.text for h in outline.headings()] == ["一、", "二、"]


def test_heading_levels_by_paragraph():
    outline = parse_outline(NOTICE)
    levels = outline.heading_levels()
    paragraph_of = {p.of(NOTICE)[:5]: p.index for p in outline.paragraphs}
    assert levels[paragraph_of["一、活动目"]] == 1 and levels[paragraph_of["（一）整治"]] == 2
    assert levels[paragraph_of["（1）明确"]] == 4


def test_render_marker():
    assert [render_marker(k, 3) for k in ("cn", "paren-cn", "arabic", "paren-arabic", "article")] == \
        ["三、", "（三）", "3.", "（3）", "第三条"]
    assert render_marker("arabic", 3, "．") == "3．" and render_marker("part", 2, "编") == "第二编"


def test_two_regulations_in_one_notice_are_two_scopes():
    text = ("关于印发两项制度的通知\n\n各科室：\n现将两项制度印发给你们，请遵照执行。\n\n"
            "公文处理办法\n第一条　为了规范公文处理，制定本办法。\n第二条　本办法自印发之日起施行。\n"
            "档案管理规定\n（2024年3月1日办公室会议通过）\n第一条　为了加强档案管理，制定本规定。\n"
            "第二条　本规定自印发之日起施行。\n")
    outline = parse_outline(text)
    assert len(outline.scopes) == 3
    assert [n["marker"] for n in outline.to_json()] == ["第一条", "第二条", "第一条", "第二条"]
