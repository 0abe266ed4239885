"""The review loop — the one operations module for review state (STYLE.md).

A writer submits the newest version; the mentor of the draft's pair reviews first (退回修改 / 通过), then each
level of the sign-off chain in order (科长, 办公室主任 …). Any level may return the draft; the writer revises
and submits again, which starts a new round from the mentor. Every transition changes
:attr:`Draft.state` through :func:`_transition`, which writes the audit-log entry (who, when, from, to).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafter.services import audit, permissions
from drafter.services.drafts import DraftError, PermissionDenied, is_overdue, today_local
from drafter.services.office import active_pair_for, chain_for
from drafter.store.models import User, utcnow
from drafter.store.workflow import Draft, ReviewState, ReviewTask, TaskStage, Verdict

MENTOR_TITLE = "指导老师"
MAX_COMMENT = 5000

#: Every allowed transition: (from, to) pairs. Anything else is a bug and raises.
TRANSITIONS: frozenset[tuple[ReviewState, ReviewState]] = frozenset({
    (ReviewState.DRAFTING, ReviewState.MENTOR_REVIEW), (ReviewState.DRAFTING, ReviewState.SIGNOFF),
    (ReviewState.RETURNED, ReviewState.MENTOR_REVIEW), (ReviewState.RETURNED, ReviewState.SIGNOFF),
    (ReviewState.MENTOR_REVIEW, ReviewState.DRAFTING), (ReviewState.SIGNOFF, ReviewState.DRAFTING),
    (ReviewState.MENTOR_REVIEW, ReviewState.RETURNED), (ReviewState.SIGNOFF, ReviewState.RETURNED),
    (ReviewState.MENTOR_REVIEW, ReviewState.SIGNOFF), (ReviewState.SIGNOFF, ReviewState.SIGNOFF),
    (ReviewState.MENTOR_REVIEW, ReviewState.APPROVED), (ReviewState.SIGNOFF, ReviewState.APPROVED),
})


class ReviewError(DraftError):
    """A review step was refused; the message is Chinese."""


def _transition(session: Session, draft: Draft, actor: User, to: ReviewState, action: str, detail: str,
                now: dt.datetime) -> None:
    """Change the draft's state and log it; the only place that writes ``Draft.state``."""
    current = draft.review_state
    if (current, to) not in TRANSITIONS:
        raise ReviewError(f"不允许从“{current.label}”变为“{to.label}”")
    draft.state = to.value
    draft.updated_at = now
    audit.record(session, actor, action, draft, current, to, detail, now=now)


def review_path(session: Session, draft: Draft) -> list[tuple[str, User]]:
    """The layers a submission would go through now: (title, reviewer), mentor first."""
    path: list[tuple[str, User]] = []
    pair = draft.pair
    if pair is not None:
        path.append((MENTOR_TITLE, pair.mentor))
    for step in chain_for(session, draft.owner.unit):
        if step.reviewer_id != draft.owner_id and step.reviewer.active:
            path.append((step.title, step.reviewer))
    return path


def submit(session: Session, draft: Draft, actor: User, now: dt.datetime | None = None) -> ReviewTask:
    """Submit the newest version for review; returns the first task (the mentor's, or the first sign-off)."""
    now = now or utcnow()
    if draft.owner_id != actor.id or not actor.active:
        raise PermissionDenied("只有撰稿人本人可以提交审阅")
    if draft.review_state.in_review:
        raise ReviewError("文稿已在审阅中，无需重复提交")
    if draft.review_state is ReviewState.APPROVED:
        raise ReviewError("文稿已通过，无需再提交")
    if draft.version_count == 0:
        raise ReviewError("文稿还没有任何内容，请先保存一稿再提交")
    if draft.pair is None:
        pair = active_pair_for(session, draft.owner, today_local(now))
        if pair is not None:
            draft.pair_id = pair.id
            session.flush()
            session.refresh(draft, ["pair"])
    path = review_path(session, draft)
    if not path:
        raise ReviewError("无法提交：您尚未与指导老师结对，管理员也没有设置签批流程。请联系管理员。")
    version = draft.latest_version
    draft.round += 1
    tasks = []
    for position, (title, reviewer) in enumerate(path):
        stage = TaskStage.MENTOR if position == 0 and draft.pair is not None else TaskStage.SIGNOFF
        task = ReviewTask(draft_id=draft.id, round=draft.round, position=position, stage=stage.value, title=title,
                          reviewer_id=reviewer.id, version_id=version.id,
                          reached_at=now if position == 0 else None)
        session.add(task)
        tasks.append(task)
    session.flush()
    session.refresh(draft, ["tasks"])
    first = tasks[0]
    to = ReviewState.MENTOR_REVIEW if first.stage == TaskStage.MENTOR.value else ReviewState.SIGNOFF
    _transition(session, draft, actor, to, "submit",
                f"提交第{version.number}稿，送{first.title}{path[0][1].display_name}审阅", now)
    return first


def withdraw(session: Session, draft: Draft, actor: User, now: dt.datetime | None = None) -> None:
    """The writer takes a submission back before any reviewer of this round has decided."""
    now = now or utcnow()
    if draft.owner_id != actor.id or not actor.active:
        raise PermissionDenied("只有撰稿人本人可以撤回提交")
    if not draft.review_state.in_review:
        raise ReviewError("文稿不在审阅中，无需撤回")
    if not permissions.can_withdraw(actor, draft):
        raise ReviewError("已有审阅人作出决定，不能撤回；如需修改请等待退回")
    task = draft.current_task
    if task is not None:
        task.verdict = Verdict.WITHDRAWN.value
        task.decided_at = now
    _transition(session, draft, actor, ReviewState.DRAFTING, "withdraw", "撰稿人撤回了提交", now)


def decide(session: Session, draft: Draft, actor: User, verdict: Verdict, comment: str = "",
           now: dt.datetime | None = None) -> ReviewTask:
    """The current reviewer passes the draft on (or approves it at the last level) or returns it."""
    now = now or utcnow()
    task = draft.current_task
    if task is None:
        raise ReviewError("这篇文稿当前没有等待审阅的环节")
    if not permissions.can_decide(actor, draft):
        raise PermissionDenied(f"当前由{task.title}{task.reviewer.display_name}审阅，您不能作出决定")
    if verdict not in (Verdict.PASS, Verdict.RETURN):
        raise ReviewError("审阅结论只能是“通过”或“退回修改”")
    comment = (comment or "").strip()
    if verdict is Verdict.RETURN and not comment:
        raise ReviewError("退回修改时请写明总体意见，告诉撰稿人需要改什么")
    if len(comment) > MAX_COMMENT:
        raise ReviewError(f"总体意见过长（{len(comment)} 字），请控制在 {MAX_COMMENT} 字以内")
    task.verdict = verdict.value
    task.comment = comment or None
    task.decided_at = now
    who = f"{task.title}{actor.display_name}"
    if verdict is Verdict.RETURN:
        _transition(session, draft, actor, ReviewState.RETURNED, "return", _with_comment(f"{who}退回修改", comment), now)
        return task
    following = [t for t in draft.tasks if t.round == draft.round and t.position > task.position]
    if following:
        following[0].reached_at = now
        _transition(session, draft, actor, ReviewState.SIGNOFF, "pass",
                    _with_comment(f"{who}审阅通过，送{following[0].title}{following[0].reviewer.display_name}签批",
                                  comment), now)
    else:
        _transition(session, draft, actor, ReviewState.APPROVED, "approve",
                    _with_comment(f"{who}签批通过，文稿定稿", comment), now)
    return task


def _with_comment(text: str, comment: str) -> str:
    return f"{text}。意见：{comment}" if comment else text


@dataclass(frozen=True)
class QueueItem:
    """A task waiting for the user, for the 待我审阅 queue."""

    task: ReviewTask
    draft: Draft
    waiting_days: int
    overdue: bool


def queue_for(session: Session, user: User, now: dt.datetime | None = None) -> list[QueueItem]:
    """What waits for ``user`` to review, oldest first; overdue drafts are marked."""
    now = now or utcnow()
    day = today_local(now)
    tasks = session.scalars(select(ReviewTask).where(
        ReviewTask.reviewer_id == user.id, ReviewTask.verdict.is_(None), ReviewTask.reached_at.is_not(None))
        .order_by(ReviewTask.reached_at, ReviewTask.id)).all()
    items = []
    for task in tasks:
        draft = task.draft
        if draft.current_task is None or draft.current_task.id != task.id:
            continue
        waited = (day - today_local(audit.as_utc(task.reached_at))).days
        items.append(QueueItem(task, draft, max(waited, 0), is_overdue(draft, day)))
    return items


def decided_by(session: Session, user: User, limit: int = 20) -> list[ReviewTask]:
    """The user's latest review decisions."""
    return list(session.scalars(select(ReviewTask).where(
        ReviewTask.reviewer_id == user.id, ReviewTask.verdict.in_([Verdict.PASS.value, Verdict.RETURN.value]))
        .order_by(ReviewTask.decided_at.desc()).limit(limit)))


@dataclass(frozen=True)
class PathStep:
    """One stop of the status timeline: 撰写 → 指导老师 → 科长 → 办公室主任 → 定稿."""

    title: str
    person: str
    status: str  # "done" | "current" | "returned" | "pending"
    at: dt.datetime | None = None


def status_steps(session: Session, draft: Draft) -> list[PathStep]:
    """The stops of the current (or next) round with where the draft is now."""
    state = draft.review_state
    tasks = [t for t in draft.tasks if t.round == draft.round] if draft.round else []
    if not tasks or state is ReviewState.DRAFTING:
        layers = [PathStep(title, user.display_name, "pending") for title, user in review_path(session, draft)]
        return [PathStep("撰写", draft.owner.display_name, "current")] + layers + [PathStep("定稿", "", "pending")]
    writer_status = "current" if state is ReviewState.RETURNED else "done"
    steps = [PathStep("撰写", draft.owner.display_name, writer_status, audit.as_utc(tasks[0].reached_at))]
    for task in tasks:
        if task.verdict == Verdict.PASS.value:
            status = "done"
        elif task.verdict == Verdict.RETURN.value:
            status = "returned"
        elif task.reached_at is not None and task.verdict is None:
            status = "current"
        else:
            status = "pending"
        steps.append(PathStep(task.title, task.reviewer.display_name, status,
                              audit.as_utc(task.decided_at or task.reached_at)))
    steps.append(PathStep("定稿", "", "done" if state is ReviewState.APPROVED else "pending"))
    return steps
