"""Tests for drafter.analysis.metadata."""

import datetime as dt

import pytest

from drafter.analysis.metadata import infer_date, infer_doc_type, infer_title, infer_year, parse_dates


@pytest.mark.parametrize("text,title", [
    ("关于做好年度文稿工作的通知\n\n各处室：\n现将有关事项通知如下。", "关于做好年度文稿工作的通知"),
    ("江澜市委办公室关于开展\n文稿点评交流活动的通知\n\n各科室：\n正文。", "江澜市委办公室关于开展文稿点评交流活动的通知"),
    ("新华社北京3月5日电\n关于加强基层治理的意见\n各地区：", "关于加强基层治理的意见"),
    ("在全市文稿工作会议上的讲话\n（2024年3月8日）\n同志们：", "在全市文稿工作会议上的讲话"),
    ("在全市文稿工作会议上的讲话\n李明华\n同志们：", "在全市文稿工作会议上的讲话"),
    ("国务院关于同意设立某某试验区的批复\n国函〔2016〕110号\n某省人民政府：", "国务院关于同意设立某某试验区的批复"),
    ("一、总体要求\n坚持问题导向。", ""),
    ("今年以来，我们紧扣中心工作，取得了明显成效。", ""),
])
def test_infer_title(text, title):
    guess = infer_title(text)
    assert guess.title == title
    if title:
        assert guess.span is not None and text[guess.span.start:guess.span.end].replace("\n", "") == title


@pytest.mark.parametrize("title,kind", [
    ("关于印发《文稿质量提升方案》的通知", "通知"),
    ("关于进一步加强督查工作的意见", "意见"),
    ("江澜市委办公室2023年工作总结", "工作总结"),
    ("关于青禾县乡村振兴情况的调研报告", "调研报告"),
    ("在全市经济工作会议上的讲话", "讲话稿"),
    ("关于同意设立开发区的批复", "批复"),
    ("关于商请支持有关工作的函", "函"),
    ("2024年上半年重点任务落实情况督查通报", "督查通报"),
    ("关于近期安全生产情况的通报", "通报"),
    ("关于安全生产大排查工作督查情况的通报", "督查通报"),
    ("江澜市文稿工作实施方案（试行）", "方案"),
    ("基层治理创新的实践与思考", None),
    ("关于柳塘镇产业发展的调查与思考", "调研报告"),
])
def test_infer_doc_type(title, kind):
    assert infer_doc_type(title) == kind


def test_parse_dates_both_styles():
    text = "2016年3月5日召开，二〇一六年三月十五日印发，2016年2月30日无效。"
    assert [d for _, d in parse_dates(text)] == [dt.date(2016, 3, 5), dt.date(2016, 3, 15)]


@pytest.mark.parametrize("text,date", [
    ("通知\n\n正文提到2020年1月1日。\n\n江澜市委办公室\n2023年4月12日\n", dt.date(2023, 4, 12)),
    ("通知\n正文。\n江澜市委办公室\n二〇二三年十二月二十日\n", dt.date(2023, 12, 20)),
    ("讲话\n（2024年3月8日）\n同志们：\n正文。", dt.date(2024, 3, 8)),
    ("没有日期的正文。", None),
])
def test_infer_date(text, date):
    assert infer_date(text) == date


def test_infer_year_from_title_range():
    assert infer_year("正文。", "关于印发行动规划（2021—2035年）的通知") == 2021
    assert infer_year("正文。", "2019年工作总结") == 2019
    assert infer_year("正文。", "工作总结") is None


def test_impossible_date_under_the_title_is_no_date():
    from drafter.analysis.metadata import infer_date

    assert infer_date("关于某事的通知\n2023年2月30日\n正文。\n") is None
