"""Helpers for the critique-meeting tests: meetings, nominations and the scene of the route × role matrix.

The texts are short office prose written for these tests.
"""

from __future__ import annotations

import datetime as dt

from drafter.services import critique as ops
from drafter.services.drafts import create_draft
from drafter.store.critique import NominationKind, Phase

TEXT = """关于做好{topic}工作的通知

各科室：
一、明确责任分工。各科室主要负责同志为第一责任人，{topic}工作每周调度一次。
二、加强督促检查。办公室每月通报一次进展情况，问题整改在10个工作日内完成。
"""
CRITIQUE = {"strengths": "结构清楚，措施具体。", "problems": "第二条的通报对象没有写明。",
            "suggestion": "第二条改为“办公室每月向各科室主要负责同志通报一次进展”。"}


def scores(rubric, value: int = 4) -> dict[str, int]:
    """The same score for every criterion."""
    return dict.fromkeys(rubric, value)


def meeting(session, office, chair: str = "mentor", people=("junior", "sibling", "outsider"), **options):
    """A meeting in the nomination phase."""
    return ops.create_meeting(session, office.user(session, chair), options.pop("title", "三月文稿点评交流会"),
                              options.pop("held_on", dt.date(2024, 3, 28)),
                              [office.ids[p] for p in people], **options)


def nominate(session, office, m, who: str, kind: str = "best", topic: str | None = None, value: int = 4):
    """``who`` writes a draft and nominates its first version."""
    user = office.user(session, who)
    topic = topic or f"{who}{kind}"
    draft = create_draft(session, user, f"关于做好{topic}工作的通知", "通知", text=TEXT.format(topic=topic))
    return ops.nominate(session, user, m, NominationKind(kind), draft.latest_version, "自评：结构清楚，措施还不够具体。",
                        scores(m.rubric, value))


def critique(session, office, nomination, who: str, value: int = 4):
    """``who`` critiques ``nomination`` with the same score on every criterion."""
    return ops.save_critique(session, office.user(session, who), nomination, scores(nomination.meeting.rubric, value),
                             **CRITIQUE)


def build_scene(db, office) -> dict[str, int]:
    """Three meetings for the route × role matrix.

    ``Mn`` (nomination phase, chair ``mentor``; junior, sibling, outsider; the junior nominated ``NJ``);
    ``Mc`` (critique phase, comparative, chair ``other_mentor``; junior, sibling, chief; nominations ``J1``
    junior, ``S1`` sibling, ``K1`` chief; the sibling critiqued ``J1`` and left note ``NOTE``);
    ``Mx`` (closed, chair ``director``; junior and sibling critiqued each other's ``XJ`` and ``XS``).
    The director (an administrator) is a member of ``Mx`` only.
    """
    with db.session() as session:
        mn = meeting(session, office)
        nj = nominate(session, office, mn, "junior")
        mc = meeting(session, office, chair="other_mentor", people=("junior", "sibling", "chief"), comparative=True,
                     title="四月文稿点评交流会")
        j1 = nominate(session, office, mc, "junior", topic="值班")
        s1 = nominate(session, office, mc, "sibling", topic="节能")
        k1 = nominate(session, office, mc, "chief", "worst", topic="保密")
        ops.set_phase(session, office.user(session, "other_mentor"), mc, Phase.CRITIQUE)
        critique(session, office, j1, "sibling")
        note = ops.add_note(session, office.user(session, "sibling"), j1, None, None, "wording", "“每周调度”要写明谁来调度",
                            quote="每周调度一次")
        mx = meeting(session, office, chair="director", people=("junior", "sibling"), title="五月文稿点评交流会")
        xj = nominate(session, office, mx, "junior", topic="档案")
        xs = nominate(session, office, mx, "sibling", topic="安全")
        director = office.user(session, "director")
        ops.set_phase(session, director, mx, Phase.CRITIQUE)
        critique(session, office, xj, "sibling", 5)
        critique(session, office, xs, "junior", 3)
        ops.set_phase(session, director, mx, Phase.CLOSED)
        return {"Mn": mn.id, "NJ": nj.id, "Mc": mc.id, "J1": j1.id, "S1": s1.id, "K1": k1.id, "NOTE": note.id,
                "Mx": mx.id, "XJ": xj.id, "XS": xs.id, "JUNIOR": office.ids["junior"]}
