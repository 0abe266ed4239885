"""Tests for drafter.analysis.structure: one table of failing and passing examples per rule.

Every example is written for these tests. A failing example names the excerpt the finding must cover
(and, where a text contains it twice, which occurrence).
"""

import pytest

from drafter.analysis.findings import Severity
from drafter.analysis.structure import RULES, check_structure

LONG_SECTION = "各单位要结合实际抓好落实，确保各项任务按期完成。" * 170
SHORT_SECTION = "各单位要抓好落实。" * 10

# (rule, text, excerpt, occurrence of the excerpt (1 = first), severity or None for the rule's default)
FAILING = [
    ("structure.numbering-gap", "一、总体要求\n二、重点任务\n四、保障措施\n", "四、", 1, None),
    ("structure.numbering-gap", "一、总体要求\n（二）明确分工\n（三）压实责任\n", "（二）", 1, None),
    ("structure.numbering-gap", "（一）学习文件\n（二）对照检查\n（四）整改落实\n", "（四）", 1, None),
    ("structure.numbering-gap", "第一条　为了规范管理，制定本办法。\n第三条　本办法自印发之日起施行。\n", "第三条", 1,
     None),
    ("structure.numbering-repeat", "（一）加强组织领导\n（二）强化督促检查\n（二）注重宣传引导\n", "（二）", 2, None),
    ("structure.numbering-repeat", "1.学习文件。\n1.对照检查。\n", "1.", 2, None),
    ("structure.numbering-order", "一、总体要求\n二、重点任务\n三、保障措施\n二、工作要求\n", "二、", 2, None),
    ("structure.numbering-restart",
     "一、总体要求\n（一）甲项\n（二）乙项\n二、重点任务\n（一）丙项\n（二）丁项\n三、保障措施\n（三）戊项\n（四）己项\n",
     "（三）", 1, None),
    ("structure.numbering-restart",
     "第一章　总则\n第一条　为了规范管理，制定本办法。\n第二章　附则\n第一条　本办法自印发之日起施行。\n",
     "第一条", 2, "error"),
    ("structure.level-skip", "一、总体要求\n（一）指导思想\n（二）基本原则\n二、重点任务\n1.抓学习\n2.抓落实\n",
     "1.", 1, "warning"),
    ("structure.level-skip", "一、总体要求\n1.抓学习\n2.抓落实\n二、重点任务\n1.抓整改\n2.抓督查\n", "1.", 1, "info"),
    ("structure.level-skip", "（一）总体要求\n（1）抓学习\n（2）抓落实\n（二）重点任务\n", "（1）", 1, "info"),
    ("structure.lone-child", "一、总体要求\n（一）指导思想\n坚持问题导向。\n二、重点任务\n（一）抓学习\n（二）抓落实\n",
     "（一）", 1, None),
    ("structure.lone-child", "一、总体要求\n坚持问题导向，突出工作重点。\n", "一、", 1, None),
    ("structure.marker-style", "一.总体要求\n二.重点任务\n", "一.", 1, None),
    ("structure.marker-style", "一、总体要求\n（一）、指导思想\n（二）、基本原则\n", "（一）、", 1, None),
    ("structure.marker-style", "1、学习文件\n2、对照检查\n", "2、", 1, None),
    ("structure.marker-style", "（1）学习文件\n(2)对照检查\n", "(2)", 1, "warning"),
    ("structure.marker-width", "1.学习文件。\n2．对照检查。\n3.整改落实。\n", "2．", 1, None),
    ("structure.marker-width", "1.学习文件。\n２.对照检查。\n3.整改落实。\n", "２.", 1, None),
    ("structure.sequence-gap", "我们的做法是：一是抓学习，三是抓落实。\n", "三是", 1, None),
    ("structure.sequence-gap", "一是加强学习。\n二是严格管理。\n四是完善制度。\n", "四是", 1, None),
    ("structure.sequence-gap", "第一，讲政治；第三，守纪律。\n", "第三", 1, None),
    ("structure.sequence-repeat", "一是抓学习，二是抓落实，二是抓督查。\n", "二是", 2, None),
    ("structure.sequence-repeat", "一要统一思想，二要压实责任，二要严格考核。\n", "二要", 2, None),
    ("structure.heading-punct",
     "一、总体要求\n（一）指导思想。\n坚持问题导向。\n（二）基本原则。\n坚持统筹推进。\n（三）主要目标\n年底前完成。\n",
     "（三）主要目标", 1, None),
    ("structure.unbalanced-sections",
     f"一、总体要求\n{SHORT_SECTION}\n二、重点任务\n{LONG_SECTION}\n三、保障措施\n{SHORT_SECTION}\n", "二、", 1, None),
    ("structure.long-paragraph", "加强作风建设，提高工作效能。" * 60 + "\n", "加强作风建设，提高工作效能。加强作风", 1, None),
]

PASSING = [
    ("structure.numbering-gap", "一、总体要求\n二、重点任务\n三、保障措施\n"),
    ("structure.numbering-gap",
     "一、总体要求\n（一）甲项\n（二）乙项\n二、重点任务\n（三）丙项\n（四）丁项\n"),  # numbering runs on
    ("structure.numbering-gap", "第一章　总则\n第一条　目的。\n第二章　附则\n第二条　施行日期。\n"),
    ("structure.numbering-gap", "规划期限为（2021—2025年）。\n（一）总体要求\n（二）主要任务\n"),
    ("structure.numbering-repeat", "1.学习文件。\n2.对照检查。\n同时还要做到：\n1.整改落实。\n2.建章立制。\n"),
    ("structure.numbering-order", "一、总体要求\n二、重点任务\n附件\n\n一、工作安排\n二、责任分工\n"),
    ("structure.numbering-restart",
     "一、总体要求\n（一）甲项\n（二）乙项\n二、重点任务\n（一）丙项\n（二）丁项\n"),
    ("structure.level-skip", "一、总体要求\n（一）指导思想\n1.抓学习\n2.抓落实\n（二）基本原则\n"),
    ("structure.lone-child", "第一章　总则\n第一条　目的。\n第二章　附则\n第二条　施行日期。\n"),
    ("structure.lone-child", "一、总体要求\n（一）指导思想\n（二）基本原则\n二、重点任务\n"),
    ("structure.marker-style", "一、总体要求\n（一）指导思想\n1.抓学习\n2．抓落实\n（1）细化\n（2）量化\n"),
    ("structure.marker-width", "1.学习文件。\n2.对照检查。\n"),
    ("structure.sequence-gap", "一是抓学习，二是抓落实，三是抓督查。\n"),
    ("structure.sequence-gap", "统一是前提，唯一是关键，之一是重点。\n"),
    ("structure.sequence-gap", "一、学习\n一是读原著。二是写体会。\n二、落实\n三是抓督查的说法不再使用。\n"),
    ("structure.sequence-repeat", "一是抓学习，二是抓落实。\n下一步，一是抓整改，二是抓督查。\n"),
    ("structure.heading-punct",
     "一、总体要求\n（一）指导思想。坚持问题导向。\n（二）基本原则\n坚持统筹推进。\n（三）主要目标\n年底前完成。\n"),
    ("structure.unbalanced-sections", f"一、总体要求\n{SHORT_SECTION}\n二、重点任务\n{SHORT_SECTION * 3}\n三、保障措施\n"),
    ("structure.long-paragraph", "加强作风建设，提高工作效能。" * 20 + "\n"),
]


@pytest.mark.parametrize("rule,text,excerpt,occurrence,severity", FAILING)
def test_failing_examples(rule, text, excerpt, occurrence, severity):
    findings = check_structure(text).findings
    start = len(excerpt.join(text.split(excerpt, occurrence)[:occurrence]))  # the n-th occurrence
    hits = [f for f in findings if f.rule == rule and f.start <= start and start + len(excerpt) <= f.end]
    assert hits, [(f.rule, text[f.start:f.end]) for f in findings]
    finding = hits[0]
    assert finding.severity is Severity(severity or RULES[rule].severity)
    assert finding.message and finding.suggestion
    assert "“" in finding.message  # names the marker or the words concerned


@pytest.mark.parametrize("rule,text", PASSING)
def test_passing_examples(rule, text):
    findings = check_structure(text).findings
    assert [f for f in findings if f.rule == rule] == []


def test_every_rule_has_failing_and_passing_examples():
    assert {case[0] for case in FAILING} == set(RULES)
    assert {case[0] for case in PASSING} == set(RULES)


@pytest.mark.parametrize("text", [case[1] for case in FAILING] + [case[1] for case in PASSING])
def test_spans_are_inside_the_text(text):
    for finding in check_structure(text).findings:
        assert 0 <= finding.start < finding.end <= len(text)
        assert finding.to_dict(text)["excerpt"] == text[finding.start:finding.end]


def test_messages_name_the_neighbouring_marker():
    finding = check_structure("一、总体要求\n二、重点任务\n四、保障措施\n").findings[0]
    assert finding.message == "“四、”之前缺少“三、”（上一项是第2行的“二、”）"
    assert finding.suggestion == "改为“三、”，或补上缺少的部分"
    gap = check_structure("（一）学习\n（四）落实\n").findings[0]
    assert gap.message.startswith("“（四）”之前缺少“（二）”“（三）”")


def test_run_in_and_standalone_headings_are_both_correct():
    text = ("一、围绕中心抓落实。近年来，我们坚持把落实作为第一要务。\n"
            "二、服务大局求实效\n我们坚持眼睛向下、脚步向下。\n"
            "三、改进作风树形象。全体干部转变作风。\n")
    assert check_structure(text).findings == []


def test_options_long_paragraph_limit():
    text = "加强作风建设，提高工作效能。" * 20 + "\n"
    assert check_structure(text, long_paragraph=100).findings[0].rule == "structure.long-paragraph"


def test_quoted_and_dated_lines_are_not_headings():
    text = ("会议指出：\n“一、要坚持问题导向。\n“三、要坚持系统观念。”\n"
            "（2021—2025年）\n1.5万元已经拨付。\n三、四月份完成验收。\n")
    assert check_structure(text).findings == []


def test_lone_first_child_is_fine_when_numbering_runs_on():
    text = "一、总体要求\n（一）指导思想\n二、重点任务\n（二）抓学习\n（三）抓落实\n"
    assert [f.rule for f in check_structure(text).findings] == []


def test_readme_documents_every_rule():
    from pathlib import Path

    from drafter.analysis.norms import RULES as NORMS_RULES

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert [rule for rule in [*RULES, *NORMS_RULES] if f"`{rule}`" not in readme] == []


def test_articles_restart_in_a_second_embedded_regulation():
    text = ("公文处理办法\n第一条　为了规范公文处理，制定本办法。\n第二条　本办法自印发之日起施行。\n"
            "档案管理规定\n第一条　为了加强档案管理，制定本规定。\n第二条　本规定自印发之日起施行。\n")
    assert check_structure(text).findings == []


# ---------------------------------------------------------------------------------------------- fuzzing
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = ["一、", "三、", "（一）", "(二)", "1.", "2、", "（1）", "一是", "三是", "第一章", "第一条", "附件：", "“", "”",
           "《", "》", "（", "）", ",", "。", "\n", "\u3000", " ", "抓落实", "2023年3月5日", "江澜市委办公室"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES) | st.text(max_size=5), max_size=60).map("".join))
def test_structure_never_crashes_and_spans_stay_inside(text):
    from drafter.analysis.norms import check_norms

    result = check_structure(text)
    for finding in result.findings + check_norms(text):
        assert 0 <= finding.start <= finding.end <= len(text)

    def walk(nodes):
        for node in nodes:
            assert 0 <= node["start"] <= node["end"] <= len(text)
            walk(node["children"])

    walk(result.outline.to_json())
