"""Tests for drafter.analysis.norms: one table of failing and passing examples per rule (our own sentences)."""

import pytest

from drafter.analysis.norms import MAX_DIGIT_FINDINGS, RULES, check_norms

# (rule, text, excerpt the finding must cover, occurrence)
FAILING = [
    ("norms.halfwidth-punct", "我们要加强学习,提高本领。", ",", 1),
    ("norms.halfwidth-punct", "主要任务:抓学习、抓落实。", ":", 1),
    ("norms.halfwidth-punct", "你们准备好了吗?请回答。", "?", 1),
    ("norms.halfwidth-punct", "按照《档案管理办法(试行)》执行。", "(试行)", 1),
    ("norms.halfwidth-punct", "各科室（含直属单位)要按时报送。", ")", 1),
    ("norms.halfwidth-punct", "工作已经完成.下一步继续推进。", ".", 1),
    ("norms.halfwidth-punct", "抓好三件事;一是学习。", ";", 1),
    ("norms.ascii-quote", "要坚持\"四个不放过\"原则。", "\"", 1),
    ("norms.ascii-quote", "要坚持\"四个不放过\"原则。", "\"", 2),
    ("norms.unbalanced-quote", "他强调：“要把工作抓实抓细。\n会议还研究了其他事项。", "“", 1),
    ("norms.unbalanced-quote", "他强调：要把工作抓实抓细。”\n会议还研究了其他事项。", "”", 1),
    ("norms.unbalanced-bracket", "根据《安全生产法规定，制定本办法。", "《", 1),
    ("norms.unbalanced-bracket", "各科室（含直属单位要按时报送。", "（", 1),
    ("norms.unbalanced-bracket", "各科室含直属单位）要按时报送。", "）", 1),
    ("norms.doubled-punct", "要抓落实，，不能空谈。", "，，", 1),
    ("norms.doubled-punct", "会议结束了。。", "。。", 1),
    ("norms.doubled-punct", "要抓落实，。不能空谈。", "，。", 1),
    ("norms.cjk-space", "我们要进一步加强机关作风建设 切实提高工作效率，推动各项工作落地见效，取得实实在在的成果。",
     " ", 1),
    ("norms.mixed-digits", "2023年共完成１２项重点任务。", "１２", 1),
    ("norms.mixed-digits", "增长了１６．４％，比2022年高。", "１６．４", 1),
]

PASSING = [
    ("norms.halfwidth-punct", "会议于10:30开始，比例尺为1:1000。"),
    ("norms.halfwidth-punct", "详见网站https://www.example.gov.cn/a?b=1,2的说明。"),
    ("norms.halfwidth-punct", "The meeting starts at 9 (sharp), please be on time."),
    ("norms.halfwidth-punct", "（一）加强学习。\n1.学习原文。"),
    ("norms.ascii-quote", "要坚持“四个不放过”原则。"),
    ("norms.ascii-quote", "He said \"yes\" twice."),
    ("norms.unbalanced-quote", "他强调：“要把工作抓实抓细。”"),
    ("norms.unbalanced-quote", "会议要求：\n“一、统一思想。\n“二、压实责任。\n“三、严格考核。”\n会议结束。"),
    ("norms.unbalanced-quote", "修改为：“第一款内容。\n第二款内容。”"),
    ("norms.unbalanced-quote", "参加了O’Brien主持的会议。"),
    ("norms.unbalanced-quote", "举办’99世界园艺博览会。"),
    ("norms.unbalanced-bracket", "《某市城市总体规划（2021—2035年）》已经批准。"),
    ("norms.unbalanced-bracket", "某某条例\n（2020年1月1日通过\n2023年5月1日修订）"),
    ("norms.unbalanced-bracket", "1）学习原文；\n2）撰写体会。"),
    ("norms.doubled-punct", "要抓好落实……不能空谈——这是原则。"),
    ("norms.cjk-space", "人力资源社会保障部 财政部联合印发了通知，要求各地认真贯彻落实，切实做好相关工作。"),
    ("norms.cjk-space", "第一条　为了规范公文管理，提高公文质量，根据有关规定，结合本单位实际，制定本办法。"),
    ("norms.cjk-space", "总　理　李　强"),
    ("norms.cjk-space", "印发《关于强化责任落实 做好防治工作的通知》，要求各地认真贯彻落实，切实做好相关工作。"),
    ("norms.mixed-digits", "2023年共完成12项重点任务。"),
    ("norms.mixed-digits", "一九九〇年完成１２项任务。"),  # no half-width digits at all: not mixed
]


@pytest.mark.parametrize("rule,text,excerpt,occurrence", FAILING)
def test_failing_examples(rule, text, excerpt, occurrence):
    start = len(excerpt.join(text.split(excerpt, occurrence)[:occurrence]))  # the n-th occurrence
    findings = check_norms(text)
    hits = [f for f in findings if f.rule == rule and f.start <= start and start + len(excerpt) <= f.end]
    assert hits, [(f.rule, text[f.start:f.end]) for f in findings]
    assert hits[0].severity is RULES[rule][0]
    assert hits[0].message and hits[0].suggestion


@pytest.mark.parametrize("rule,text", PASSING)
def test_passing_examples(rule, text):
    assert [f for f in check_norms(text) if f.rule == rule] == []


def test_every_rule_has_examples():
    assert {case[0] for case in FAILING} == set(RULES) == {case[0] for case in PASSING}


@pytest.mark.parametrize("text", [case[1] for case in FAILING + PASSING])
def test_excerpt_equals_span(text):
    for finding in check_norms(text):
        assert finding.to_dict(text)["excerpt"] == text[finding.start:finding.end]


def test_suggestions_are_specific():
    comma = check_norms("加强学习,提高本领。")[0]
    assert comma.message == "中文文字中使用了半角逗号“,”（GB/T 15834）" and comma.suggestion == "改为全角“，”"
    quotes = [f.suggestion for f in check_norms("坚持\"两个确保\"不动摇。")]
    assert quotes == ["改为弯引号““”", "改为弯引号“””"]
    mixed_bracket = [f for f in check_norms("各科室（含直属单位)要按时报送。")]
    assert [f.rule for f in mixed_bracket] == ["norms.halfwidth-punct"]  # reported once, not also as unpaired


def test_many_fullwidth_digits_are_capped():
    text = "2023年" + "，".join(f"第{'１２３'}项" for _ in range(MAX_DIGIT_FINDINGS + 5)) + "。"
    findings = [f for f in check_norms(text) if f.rule == "norms.mixed-digits"]
    assert len(findings) == MAX_DIGIT_FINDINGS and "另有5处" in findings[-1].message
