"""A small review history with known answers, for the analytics tests (services, web pages, CLI).

Built on the ``office`` of conftest (pairs moved back to 2023 so that the 2024 history has its mentor):

- junior, draft A: v1 saved 2024-01-10 12:00 UTC, submitted 2024-01-11 00:00; the mentor annotates (数据,
  措辞/套话) and returns it 2024-01-12 00:00 (1 day); v2 saved 2024-01-13 00:00, submitted 12:00; the mentor
  passes 2024-01-14 12:00 (1 day), the 科长 2024-01-15 12:00 (1 day), the 主任 approves 2024-01-17 12:00
  (2 days). First submission to approval: 6.5 days. The junior resolves the 数据 annotation.
- junior, draft B: v1 saved 2024-05-05 12:00, submitted 2024-05-06 00:00; the mentor passes 2024-05-07 00:00
  (1 day); the 科长 annotates (格式, 数据) and returns it at sign-off 2024-05-09 00:00 (2 days): the error
  register's one entry.
- junior, draft C: v1 saved 2024-05-20 12:00, still being written, never checked.
- sibling, draft D: v1 saved 2024-05-07 12:00, submitted 2024-05-08 00:00, waiting for the mentor, who
  annotated it (结构) 2024-05-09 00:00.

Check results (version summaries, stored with :func:`store_summary` from these reports):
A v1 1000 chars, structure 2 + formulaic 4, density 0.2, concreteness 0.3; A v2 1000 chars, formulaic 1,
density 0.1, concreteness 0.5; B v1 2000 chars, norms 2, density 0.05, concreteness 0.7; D v1 500 chars,
formulaic 3, density 0.3, concreteness 0.2.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from drafter.services.annotations import add_annotation, set_resolved
from drafter.services.drafts import create_draft, save_version
from drafter.services.review import decide, submit
from drafter.services.version_summaries import store_summary
from drafter.store.workflow import Pair, Verdict

DAY = dt.date(2024, 5, 10)  # "today" of the tests


def at(*args: int) -> dt.datetime:
    """A UTC instant."""
    return dt.datetime(*args, tzinfo=dt.UTC)


def body(title: str, filler: str, chars: int) -> str:
    """A text of about ``chars`` characters with a title line."""
    line = f"{filler}。"
    return title + "\n" + line * max(1, chars // len(line)) + "\n"


def finding(rule: str, message: str, severity: str = "warning") -> dict:
    return {"rule": rule, "severity": severity, "message": message}


def report(chars: int, density: float, concreteness: float, **rules: int) -> dict:
    findings = [finding(rule.replace("_", "."), f"{rule}问题") for rule, n in rules.items() for _ in range(n)]
    return {"chars": chars, "metrics": {"formulaic_density": density, "concreteness": concreteness},
            "findings": findings}


def build_history(db, office) -> dict[str, int]:
    """Create the history above; returns ids (drafts A–D, annotations, users)."""
    with db.session() as session:
        for pair in session.scalars(select(Pair)):
            pair.started_on = dt.date(2023, 1, 1)
    with db.session() as session:
        junior, sibling = office.user(session, "junior"), office.user(session, "sibling")
        mentor, chief, director = (office.user(session, k) for k in ("mentor", "chief", "director"))

        a = create_draft(session, junior, "关于做好防汛值班工作的通知", "通知", now=at(2024, 1, 10, 12))
        save_version(session, a, junior, body("关于做好防汛值班工作的通知", "汛期值班人员每日八时交接班", 300), 0,
                     now=at(2024, 1, 10, 12))
        submit(session, a, junior, now=at(2024, 1, 11))
        data = add_annotation(session, a, a.latest_version, mentor, 14, 20, "data", "交接时间请核实",
                              now=at(2024, 1, 11, 20))
        add_annotation(session, a, a.latest_version, mentor, 0, 4, "wording", "标题可以更具体", now=at(2024, 1, 11, 21))
        decide(session, a, mentor, Verdict.RETURN, "请按批注修改", now=at(2024, 1, 12))
        save_version(session, a, junior, body("关于做好防汛值班工作的通知", "汛期值班人员每日八时三十分交接班", 300), 1,
                     now=at(2024, 1, 13))
        set_resolved(session, a, data, junior, True, now=at(2024, 1, 13))
        submit(session, a, junior, now=at(2024, 1, 13, 12))
        decide(session, a, mentor, Verdict.PASS, now=at(2024, 1, 14, 12))
        decide(session, a, chief, Verdict.PASS, now=at(2024, 1, 15, 12))
        decide(session, a, director, Verdict.PASS, now=at(2024, 1, 17, 12))

        b = create_draft(session, junior, "关于节约用电的通知", "通知", now=at(2024, 5, 5, 12))
        save_version(session, b, junior, body("关于节约用电的通知", "下班前关闭电脑和空调电源", 600), 0,
                     now=at(2024, 5, 5, 12))
        submit(session, b, junior, now=at(2024, 5, 6))
        decide(session, b, mentor, Verdict.PASS, now=at(2024, 5, 7))
        add_annotation(session, b, b.latest_version, chief, 0, 9, "format", "标题格式不规范", now=at(2024, 5, 8, 20))
        add_annotation(session, b, b.latest_version, chief, 10, 17, "data", "温度数值缺失", now=at(2024, 5, 8, 21))
        decide(session, b, chief, Verdict.RETURN, "格式和数据问题较多，请修改后再报", now=at(2024, 5, 9))

        c = create_draft(session, junior, "综合一科五月工作小结", now=at(2024, 5, 20, 12))
        save_version(session, c, junior, body("综合一科五月工作小结", "本月完成文稿十二篇", 200), 0,
                     now=at(2024, 5, 20, 12))

        d = create_draft(session, sibling, "关于开展文稿讲评的方案", "方案", now=at(2024, 5, 7, 12))
        save_version(session, d, sibling, body("关于开展文稿讲评的方案", "每月讲评两篇文稿", 200), 0,
                     now=at(2024, 5, 7, 12))
        submit(session, d, sibling, now=at(2024, 5, 8))
        note = add_annotation(session, d, d.latest_version, mentor, 0, 4, "structure", "层次需要调整",
                              now=at(2024, 5, 9))

        a1, a2 = a.versions
        store_summary(session, a1, report(1000, 0.2, 0.3, structure_level=2, formulaic_stock=4), "test")
        store_summary(session, a2, report(1000, 0.1, 0.5, formulaic_stock=1), "test")
        store_summary(session, b.versions[0], report(2000, 0.05, 0.7, norms_punct=2), "test")
        store_summary(session, d.versions[0], report(500, 0.3, 0.2, formulaic_stock=3), "test")
        return {"A": a.id, "B": b.id, "C": c.id, "D": d.id, "NOTE": note.id, "DATA_NOTE": data.id,
                "JUNIOR": office.ids["junior"], "SIBLING": office.ids["sibling"]}
