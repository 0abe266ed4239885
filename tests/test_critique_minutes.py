"""Minutes (纪要) of a closed meeting: ranking with reliability, self against peers, key critique points,
exemplars and the chair's summary; critics never named; a .docx in GB/T 9704 layout."""

import pytest
from critique_support import meeting, nominate
from test_critique_results import _scored_meeting

from drafter.docio import read_bytes
from drafter.services import critique as ops
from drafter.services.critique_minutes import first_sentence, key_points, minutes_docx, minutes_text
from drafter.services.critique_results import meeting_results
from drafter.store.critique import Phase


def test_minutes_carry_ranking_comparison_points_exemplars_and_summary(db, office):
    with db.session() as session:
        m, n = _scored_meeting(session, office)
        chair = office.user(session, "mentor")
        ops.set_exemplar(session, chair, n["sibling", "best"], True)
        ops.save_summary(session, chair, m, "大家进步明显。\n下次请提前一周提名。")
        text = minutes_text(meeting_results(session, m, n_boot=200))
    lines = text.split("\n")
    assert lines[0] == "5月交流会纪要"
    assert "李老师同志主持召开5月交流会" in lines[2]
    headings = [line for line in lines if line[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert headings == ["一、基本情况", "二、文稿排名", "三、自评与互评对照", "四、逐篇点评要点", "五、精品佳作", "六、主持人总结"]
    assert "共提名文稿8篇" in text and "收到互评意见24份" in text
    assert "第1名：《" in text and "名次区间" in text and "本次排名的可靠性为" in text
    assert "张晓宇：“最满意”的《" in text and "明显更好" in text
    assert "主要优点：" in text and "修改建议：" in text and "建议补充时限" in text
    assert "结构也好" not in text  # only the first sentence of each point
    assert "《关于做好siblingbest5工作的通知》（刘洋）评为精品佳作" in text
    assert "下次请提前一周提名。" in text


def test_minutes_docx_reads_back_and_needs_a_closed_meeting(db, office):
    with db.session() as session:
        m, _ = _scored_meeting(session, office, close=False)
        with pytest.raises(ValueError, match="会议结束后"):
            minutes_docx(meeting_results(session, m, n_boot=50))
        ops.set_phase(session, office.user(session, "mentor"), m, Phase.CLOSED)
        results = meeting_results(session, m, n_boot=50)
        data = minutes_docx(results)
        assert read_bytes(data, "minutes.docx").text.strip() == minutes_text(results).strip()


def test_minutes_of_a_meeting_without_critiques(db, office):
    with db.session() as session:
        m = meeting(session, office)
        nominate(session, office, m, "junior")
        nominate(session, office, m, "sibling")
        chair = office.user(session, "mentor")
        ops.set_phase(session, chair, m, Phase.CRITIQUE)
        ops.set_phase(session, chair, m, Phase.CLOSED)
        text = minutes_text(meeting_results(session, m, n_boot=50))
    assert "没有收到互评评分，未作排名" in text and "本篇文稿没有收到互评意见" in text
    assert "精品佳作" not in text and "主持人总结" not in text


@pytest.mark.parametrize("raw,expected", [
    ("一是开头直接点题；二是数据翔实。", "开头直接点题"), ("1. 结构清楚。其余一般。", "结构清楚"),
    ("（一）层次分明", "层次分明"), ("   ", ""), ("长" * 100, "长" * 79 + "…"),
])
def test_first_sentence(raw, expected):
    assert first_sentence(raw) == expected


def test_key_points_are_distinct_and_few():
    assert key_points(["结构清楚。", "结构清楚；其他", "数据翔实", "语言简洁", "标题鲜明"]) == ["结构清楚", "数据翔实", "语言简洁"]
