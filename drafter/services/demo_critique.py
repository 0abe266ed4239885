"""The demo office's critique meetings (文稿点评交流会), so a first-time visitor sees the feature at work.

Two closed meetings (four months ago, chaired by 王建国, critics named; five weeks ago, anonymous, with
pairwise comparison, two 精品佳作 published to the archive) give every writer a feedback page with a trend,
and one open meeting (in three days, chaired by 李明华) is in the critique phase with some critiques
written and others waiting. Meetings are named by their month (2024年7月文稿点评交流会).
Everything goes through :mod:`drafter.services.critique` with back-dated times. The scores are drawn from a
hidden quality of each draft and a hidden severity of each critic (lenient 张晓宇, severe 刘洋), so the
ranking page has real bias to correct. All texts are in :mod:`drafter.services.demo_critique_texts`.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafter.services import critique as ops
from drafter.services import review
from drafter.services.demo_critique_texts import (
    Q1_CRITIQUES,
    Q1_DRAFTS,
    Q1_SUMMARY,
    Q2_CRITIQUES,
    Q2_DRAFTS,
    Q2_NOTES,
    Q2_SUMMARY,
    Q3_CRITIQUES,
    Q3_NOMINATIONS,
)
from drafter.services.drafts import create_draft, save_version, today_local
from drafter.store.critique import Meeting, Nomination, NominationKind, Phase
from drafter.store.db import Database
from drafter.store.models import User, utcnow
from drafter.store.workflow import Draft, Verdict

#: Hidden severity of each critic (+ lenient, − severe), in score points.
SEVERITY = {"zhangxy": 0.5, "liuy": -0.6, "zhaot": 0.1, "chenj": 0.0}
NEEDED = ("wangjg", "limh", "chenj", "zhangxy", "liuy", "zhaot")


def seed_critique_demo(db: Database, now: dt.datetime | None = None) -> bool:
    """Create the demo meetings once (returns False when meetings exist or demo accounts are missing)."""
    now = now or utcnow()
    with db.session() as session:
        if session.scalar(select(Meeting.id).limit(1)) is not None:
            return False
        people = {u.username: u for u in session.scalars(select(User))}
        if any(name not in people for name in NEEDED):
            return False
        _seed(session, people, now)
    return True


def _points(quality: float, rubric: list[str], key: str) -> dict[str, int]:
    """Whole-point scores around ``quality`` with a little spread across criteria (seeded by ``key``)."""
    rng = random.Random(key)
    return {name: int(min(max(round(quality + rng.uniform(-0.45, 0.45) + rng.gauss(0, 0.3)), 1), 5)) for name in rubric}


def _approve(session: Session, draft: Draft, at: dt.datetime) -> None:
    """Submit a finished draft and let every reviewer on its path pass it (a few hours apart)."""
    review.submit(session, draft, draft.owner, now=at)
    step = 1
    while draft.current_task is not None:
        task = draft.current_task
        review.decide(session, draft, task.reviewer, Verdict.PASS, "同意。", now=at + dt.timedelta(hours=3 * step))
        step += 1


def _write_drafts(session: Session, people: dict[str, User], specs: list[tuple], start: dt.datetime) -> dict[str, Draft]:
    drafts = {}
    for index, (key, owner, title, doc_type, _quality, text, _self, _offset) in enumerate(specs):
        at = start + dt.timedelta(days=index * 1.5)
        draft = create_draft(session, people[owner], title, doc_type, now=at)
        save_version(session, draft, people[owner], text, 0, now=at + dt.timedelta(hours=2))
        _approve(session, draft, at + dt.timedelta(days=1))
        drafts[key] = draft
    return drafts


def meeting_title(day: dt.date) -> str:
    """A meeting's name from its date: 2024年7月文稿点评交流会."""
    return f"{day.year}年{day.month}月文稿点评交流会"


def _closed_meeting(session: Session, people: dict[str, User], held: dt.datetime, specs: list[tuple],
                    critiques: list[tuple], summary: str, anonymous: bool, comparative: bool,
                    notes: list[tuple] = (), exemplars: tuple[str, ...] = ()) -> Meeting:
    chair = people["wangjg"]
    title = meeting_title(today_local(held))
    drafts = _write_drafts(session, people, specs, held - dt.timedelta(days=30))
    authors = sorted({spec[1] for spec in specs})
    meeting = ops.create_meeting(session, chair, title, today_local(held), [people[a].id for a in authors],
                                 note="请提名本季度起草的文稿各一篇，自评重点谈构思和不足。", anonymous=anonymous,
                                 comparative=comparative, now=held - dt.timedelta(days=7))
    rubric = list(meeting.rubric)
    nominations: dict[str, Nomination] = {}
    quality = {}
    for i, (key, owner, _title, _type, q, _text, self_text, offset) in enumerate(specs):
        kind = NominationKind.BEST if key.endswith("best") else NominationKind.WORST
        nominations[key] = ops.nominate(session, people[owner], meeting, kind, drafts[key].latest_version, self_text,
                                        _points(q + offset, rubric, f"self:{key}"),
                                        now=held - dt.timedelta(days=6, hours=-i))
        quality[key] = q
    ops.set_phase(session, chair, meeting, Phase.CRITIQUE, now=held - dt.timedelta(days=4))
    written: dict[str, int] = {}
    for i, (key, strengths, problems, suggestion) in enumerate(critiques):
        author = nominations[key].author.username
        critics = [a for a in authors if a != author]
        critic = critics[written.get(key, 0) % len(critics)]
        written[key] = written.get(key, 0) + 1
        scores = _points(quality[key] + SEVERITY[critic], rubric, f"{title}:{key}:{critic}")
        ops.save_critique(session, people[critic], nominations[key], scores, strengths, problems, suggestion,
                          now=held - dt.timedelta(days=3, hours=-i))
    for key, quote, category, comment, replacement in notes:
        critic = next(a for a in authors if a != nominations[key].author.username)
        ops.add_note(session, people[critic], nominations[key], None, None, category, comment, replacement, quote,
                     now=held - dt.timedelta(days=2))
    if comparative:
        _judge(session, people, meeting, authors, nominations, quality, held - dt.timedelta(days=2))
    ops.set_phase(session, chair, meeting, Phase.CLOSED, now=held + dt.timedelta(hours=3))
    ops.save_summary(session, chair, meeting, summary, now=held + dt.timedelta(hours=4))
    for key in exemplars:
        ops.set_exemplar(session, chair, nominations[key], True, now=held + dt.timedelta(hours=5))
    return meeting


def _judge(session: Session, people: dict[str, User], meeting: Meeting, judges: list[str],
           nominations: dict[str, Nomination], quality: dict[str, float], at: dt.datetime) -> None:
    """Pairwise judgements until every draft has reached the target (the better draft usually wins)."""
    by_id = {n.id: key for key, n in nominations.items()}
    rng = random.Random(f"judge:{meeting.id}")
    for round_ in range(40):
        progressed = False
        for name in judges:
            state = ops.pair_state(session, people[name], meeting)
            if state.pair is None or (state.short == 0 and round_ > 0):
                continue
            left, right = state.pair
            gap = quality[by_id[left.id]] - quality[by_id[right.id]]
            draw = rng.random()
            p_left = 1 / (1 + math.exp(-2.2 * gap))
            choice = "tie" if abs(gap) < 0.15 and draw < 0.3 else ("left" if draw < p_left else "right")
            ops.record_judgement(session, people[name], meeting, left, right, choice,
                                 now=at + dt.timedelta(minutes=7 * round_))
            progressed = True
        if not progressed:
            break


def _open_meeting(session: Session, people: dict[str, User], now: dt.datetime) -> Meeting:
    chair = people["limh"]
    authors = ("zhangxy", "liuy", "zhaot")
    day = today_local(now) + dt.timedelta(days=3)
    meeting = ops.create_meeting(session, chair, meeting_title(day), day,
                                 [people[a].id for a in authors], note="本次交流会在第一会议室召开，请提前完成互评。",
                                 comparative=True, now=now - dt.timedelta(days=4))
    rubric = list(meeting.rubric)
    nominations = {}
    for i, (owner, kind, title, self_text, offset) in enumerate(Q3_NOMINATIONS):
        draft = session.scalar(select(Draft).where(Draft.title == title, Draft.owner_id == people[owner].id))
        if draft is None or draft.latest_version is None:
            continue
        quality = 3.2 + offset
        nominations[title] = ops.nominate(session, people[owner], meeting, NominationKind(kind), draft.latest_version,
                                          self_text, _points(quality + 0.3, rubric, f"self:q3:{title}"),
                                          now=now - dt.timedelta(days=3, hours=-i))
    ops.set_phase(session, chair, meeting, Phase.CRITIQUE, now=now - dt.timedelta(days=1))
    for i, (critic, title, strengths, problems, suggestion) in enumerate(Q3_CRITIQUES):
        if title not in nominations:
            continue
        scores = _points(3.4 + SEVERITY[critic], rubric, f"q3:{critic}:{title}")
        ops.save_critique(session, people[critic], nominations[title], scores, strengths, problems, suggestion,
                          now=now - dt.timedelta(hours=20 - i))
    return meeting


def _seed(session: Session, people: dict[str, User], now: dt.datetime) -> None:
    _closed_meeting(session, people, now - dt.timedelta(days=120), Q1_DRAFTS, Q1_CRITIQUES, Q1_SUMMARY,
                    anonymous=False, comparative=False)
    _closed_meeting(session, people, now - dt.timedelta(days=35), Q2_DRAFTS,
                    Q2_CRITIQUES, Q2_SUMMARY, anonymous=True, comparative=True, notes=Q2_NOTES,
                    exemplars=("q2-cj-best", "q2-zxy-best"))
    _open_meeting(session, people, now)
