"""The audit log: who did what, when, and for review transitions the state before and after."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafter.store.models import User, utcnow
from drafter.store.workflow import AuditEntry, Draft, ReviewState

#: Chinese names of logged actions.
ACTION_LABELS = {
    "create": "新建文稿",
    "save": "保存新版本",
    "upload": "上传新版本",
    "submit": "提交审阅",
    "withdraw": "撤回提交",
    "pass": "审阅通过",
    "return": "退回修改",
    "approve": "全部签批通过",
    "annotate": "添加批注",
    "user.create": "新建账号",
    "user.update": "修改账号",
    "user.deactivate": "停用账号",
    "user.activate": "启用账号",
    "user.password": "重置密码",
    "pair.create": "建立结对",
    "pair.end": "结束结对",
    "chain.add": "增加签批环节",
    "chain.remove": "删除签批环节",
    "chain.move": "调整签批顺序",
    "critique.create": "发起交流会",
    "critique.update": "修改交流会设置",
    "critique.phase": "交流会阶段变更",
    "critique.nominate": "提名文稿",
    "critique.withdraw": "撤回提名",
    "critique.review": "提交互评",
    "critique.note": "互评批注",
    "critique.judge": "两两比较",
    "critique.summary": "主持人总结",
    "critique.exemplar": "评为精品佳作",
    "critique.unexemplar": "取消精品佳作",
}


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """A stored time as an aware UTC datetime (SQLite gives naive values back)."""
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def record(session: Session, actor: User | None, action: str, draft: Draft | None = None,
           from_state: ReviewState | None = None, to_state: ReviewState | None = None, detail: str = "",
           now: dt.datetime | None = None) -> AuditEntry:
    """Add an entry to the audit log in the caller's transaction."""
    entry = AuditEntry(at=now or utcnow(), actor_id=actor.id if actor else None,
                       draft_id=draft.id if draft else None, action=action,
                       from_state=from_state.value if from_state else None,
                       to_state=to_state.value if to_state else None, detail=detail)
    session.add(entry)
    return entry


@dataclass(frozen=True)
class TimelineItem:
    """An audit entry ready to show: labels resolved."""

    at: dt.datetime
    actor: str
    action: str
    label: str
    from_label: str | None
    to_label: str | None
    detail: str


def draft_timeline(session: Session, draft: Draft) -> list[TimelineItem]:
    """Everything that happened to a draft, oldest first."""
    entries = session.scalars(select(AuditEntry).where(AuditEntry.draft_id == draft.id)
                              .order_by(AuditEntry.at, AuditEntry.id)).all()
    return [_item(e) for e in entries]


def recent_entries(session: Session, limit: int = 200) -> list[tuple[AuditEntry, TimelineItem]]:
    """The newest entries of the whole log (for administrators)."""
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                              .limit(limit)).all()
    return [(e, _item(e)) for e in entries]


def _item(entry: AuditEntry) -> TimelineItem:
    return TimelineItem(
        at=as_utc(entry.at),
        actor=entry.actor.display_name if entry.actor else "系统",
        action=entry.action,
        label=ACTION_LABELS.get(entry.action, entry.action),
        from_label=ReviewState(entry.from_state).label if entry.from_state else None,
        to_label=ReviewState(entry.to_state).label if entry.to_state else None,
        detail=entry.detail,
    )
