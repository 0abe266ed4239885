"""Minutes (纪要) of a closed critique meeting: the ranking with its reliability, self-assessment against the
peers, each draft's key critique points, the 精品佳作 and the chair's summary — as text, and as a .docx in
GB/T 9704 layout through :func:`drafter.docio.write_docx`. Critics are never named in the minutes.
"""

from __future__ import annotations

import io
import re

from drafter.docio import write_docx
from drafter.services.critique_results import DraftResult, MeetingResults
from drafter.store.critique import Phase

CN_NUMBERS = "一二三四五六七八九十"
#: Key points kept per draft and kind (strengths, problems, suggestions).
KEY_POINTS = 3


def _cn(number: int) -> str:
    """一 … 十, 十一 … 九十九 (section numbers)."""
    if number <= 10:
        return CN_NUMBERS[number - 1]
    tens, ones = divmod(number, 10)
    return (CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (CN_NUMBERS[ones - 1] if ones else "")


def _date(day) -> str:  # type: ignore[no-untyped-def]
    return f"{day.year}年{day.month}月{day.day}日"


def first_sentence(text: str, limit: int = 80) -> str:
    """The first sentence of a critique field, without list markers, at most ``limit`` characters."""
    text = " ".join(text.split())
    text = re.sub(r"^(?:[一二三四五六七八九十]+是|[0-9]+[.．、]|（[0-9一二三四五六七八九十]+）)", "", text)
    match = re.search(r"[。；！？!?;]", text)
    sentence = text[: match.start()] if match else text
    sentence = sentence.strip("，, ")
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def key_points(texts: list[str]) -> list[str]:
    """Distinct first sentences, in order, at most :data:`KEY_POINTS`."""
    points: list[str] = []
    for text in texts:
        point = first_sentence(text)
        if point and point not in points:
            points.append(point)
    return points[:KEY_POINTS]


def _score(value: float | None) -> str:
    return "—" if value is None or value != value else f"{value:.2f}"


def _draft_label(d: DraftResult) -> str:
    n = d.nomination
    return f"《{n.title}》（{n.author.display_name}，{n.kind_enum.label}）"


def minutes_text(results: MeetingResults) -> str:
    """The minutes as plain text: a title line, then numbered sections (GB/T 9704 headings)."""
    meeting = results.meeting
    people = "、".join(p.user.display_name for p in meeting.participants)
    drafts = results.drafts
    best = sum(1 for d in drafts if d.nomination.kind == "best")
    lines = [f"{meeting.title}纪要", ""]
    lines.append(f"{_date(meeting.held_on)}，{meeting.chair.display_name}同志主持召开{meeting.title}，{people}等同志参加。"
                 "会议按照先自评、再互评、最后排名的程序，对近期起草的文稿进行了点评交流。现将有关情况纪要如下。")
    sections: list[tuple[str, list[str]]] = []
    comparisons = f"，两两比较{results.judgements}次" if results.judgements else ""
    sections.append(("基本情况", [
        f"本次会议共提名文稿{len(drafts)}篇，其中“最满意”的{best}篇、“最不满意”的{len(drafts) - best}篇；"
        f"收到互评意见{results.critiques}份{comparisons}。评分标准为{'、'.join(meeting.rubric)}，每项1至5分。"
        + ("互评采取匿名方式。" if meeting.anonymous else "")]))
    sections.append(("文稿排名", _ranking_lines(results)))
    sections.append(("自评与互评对照", _writer_lines(results)))
    points = []
    for index, d in enumerate(drafts, start=1):
        points.append(f"（{_cn(index)}）{_draft_label(d)}")
        if not d.critiques:
            points.append("本篇文稿没有收到互评意见。")
            continue
        for label, texts in (("主要优点", [c.strengths for c in d.critiques]),
                             ("存在问题", [c.problems for c in d.critiques]),
                             ("修改建议", [c.suggestion for c in d.critiques])):
            found = key_points(texts)
            if found:
                points.append(f"{label}：{'；'.join(found)}。")
    sections.append(("逐篇点评要点", points))
    exemplars = [d for d in drafts if d.nomination.exemplar]
    if exemplars:
        names = "、".join(f"《{d.nomination.title}》（{d.nomination.author.display_name}）" for d in exemplars)
        sections.append(("精品佳作", [f"经主持人评定，{names}评为精品佳作，已收入文稿档案库，供大家起草时参考借鉴。"]))
    if meeting.summary:
        sections.append(("主持人总结", [line for line in meeting.summary.splitlines() if line.strip()]))
    for number, (heading, body) in enumerate(sections, start=1):
        lines.append(f"{_cn(number)}、{heading}")
        lines.extend(body)
    lines += ["", _date(meeting.closed_at.date() if meeting.closed_at else meeting.held_on)]
    return "\n".join(lines) + "\n"


def _ranking_lines(results: MeetingResults) -> list[str]:
    ranked = [d for d in results.drafts if d.estimate is not None]
    if not ranked:
        return ["本次会议没有收到互评评分，未作排名。"]
    lines = ["排名依据互评评分，并校正了各位点评人打分宽严的差异（得分相当于一位宽严适中的同志给出的平均分，满分5分）；"
             "名次区间为95%把握下该篇文稿可能的名次范围。"]
    for d in ranked:
        e = d.estimate
        interval = f"第{e.rank_low}名" if e.rank_low == e.rank_high else f"第{e.rank_low}至{e.rank_high}名"
        mark = "，评为精品佳作" if d.nomination.exemplar else ""
        lines.append(f"第{e.rank}名：{_draft_label(d)}，得分{_score(e.score)}，名次区间{interval}，互评{e.n}份{mark}。")
    reliability = results.rubric.reliability
    if reliability is not None:
        strata = results.rubric.strata
        levels = f"，大致能区分出{max(1, int(strata))}个档次" if strata and reliability >= 0.5 else ""
        lines.append(f"本次排名的可靠性为{reliability:.2f}（1为完全可靠）{levels}。")
    lines += results.warnings
    pairwise = results.pairwise
    if pairwise is not None and pairwise.items:
        order = "、".join(f"第{e.rank}名{_title(results, e.item)}" for e in pairwise.items)
        lines.append(f"两两比较（{results.judgements}次）的排名：{order}。")
    return lines


def _title(results: MeetingResults, nomination_id: object) -> str:
    found = results.result_for(int(nomination_id))  # type: ignore[call-overload]
    return f"《{found.nomination.title}》" if found else "（已撤回）"


def _writer_lines(results: MeetingResults) -> list[str]:
    lines = []
    for w in results.writers:
        parts = []
        for d in (w.best, w.worst):
            if d is None:
                continue
            parts.append(f"“{d.nomination.kind_enum.label}”的《{d.nomination.title}》自评{d.self_score:.2f}分、"
                         f"互评{_score(d.peer_score)}分")
        lines.append(f"{w.author.display_name}：{'；'.join(parts)}。{w.verdict}。")
    return lines or ["无。"]


def minutes_docx(results: MeetingResults) -> bytes:
    """The minutes as a .docx in GB/T 9704 layout."""
    if results.meeting.phase_enum is not Phase.CLOSED:
        raise ValueError("会议结束后才能导出纪要")
    buffer = io.BytesIO()
    write_docx(minutes_text(results), buffer, title_lines=1, title=f"{results.meeting.title}纪要",
               author=results.meeting.chair.display_name)
    return buffer.getvalue()
