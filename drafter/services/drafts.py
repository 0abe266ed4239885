"""Drafts and their versions: create, save (with a stale-save guard), upload, list, compare.

Every saved version is a :class:`drafter.store.models.Document` (``kind == "draft"``) created through
:func:`drafter.services.archive.build_document` and :func:`add_document`, so every index sees it, and a
:class:`drafter.store.workflow.DraftVersion` that records who saved it, when and how.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, object_session

from drafter.analysis.text import BLANK, normalise
from drafter.docio import DocumentReadError, read_bytes
from drafter.services import audit, permissions
from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.services.office import active_juniors, active_pair_for
from drafter.store import dialect
from drafter.store.models import Document, DocumentKind, User, utcnow
from drafter.store.workflow import Draft, DraftVersion, ReviewState

#: 文种 offered when creating a draft (statutory types and the everyday writing of an office).
DOC_TYPES = ("通知", "通报", "报告", "请示", "意见", "函", "纪要", "决定", "方案", "计划", "要点",
             "工作总结", "讲话稿", "调研报告", "经验交流材料", "信息", "汇报材料")
MAX_TITLE = 200
MAX_TEXT_CHARS = 200_000


class DraftError(Exception):
    """A draft could not be created or saved; the message is Chinese and nothing was changed."""


class PermissionDenied(DraftError):
    """The user may see the draft but not do this with it."""


@dataclass
class StaleVersion(DraftError):
    """Someone saved a newer version after the editor was opened; the unsaved text is kept by the caller."""

    latest: DraftVersion

    def __str__(self) -> str:
        return (f"保存未成功：您打开编辑页之后，{self.latest.author.display_name}已保存了第{self.latest.number}稿。"
                "为避免覆盖他人的修改，本次内容没有保存；您输入的文字仍在编辑框中，请对照最新稿后再保存。")


def office_zone(name: str = "Asia/Shanghai") -> dt.tzinfo:
    """The named time zone; China Standard Time (UTC+8) when the system has no time zone database."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.timezone(dt.timedelta(hours=8), "CST")


def today_local(now: dt.datetime | None = None, tz: dt.tzinfo | None = None) -> dt.date:
    """The office's calendar day (default China Standard Time) for due dates and pairs."""
    moment = now or utcnow()
    return moment.astimezone(tz or office_zone()).date()


def get_draft(session: Session, draft_id: int) -> Draft | None:
    """The draft with ``draft_id`` (None when missing)."""
    return session.get(Draft, draft_id)


def get_version(draft: Draft, number: int) -> DraftVersion | None:
    """Version ``number`` (1-based) of ``draft``."""
    for version in draft.versions:
        if version.number == number:
            return version
    return None


def owners_for(session: Session, actor: User, day: dt.date) -> list[User]:
    """Whom ``actor`` may create a draft for: themselves and the juniors they guide today."""
    return [actor] + [u for u in active_juniors(session, actor, day) if u.id != actor.id]


def create_draft(session: Session, actor: User, title: str, doc_type: str | None = None,
                 due_date: dt.date | None = None, assignment: str | None = None, owner: User | None = None,
                 text: str | None = None, now: dt.datetime | None = None) -> Draft:
    """Create a draft (optionally with its first version). A mentor may create it for a junior they guide
    (the task, 任务要求, is then the mentor's assignment). The draft joins the writer's current pair."""
    now = now or utcnow()
    owner = owner or actor
    title = " ".join(title.split())
    if not title:
        raise DraftError("请填写文稿标题")
    if len(title) > MAX_TITLE:
        raise DraftError(f"标题过长（{len(title)} 字），请控制在 {MAX_TITLE} 字以内")
    day = today_local(now)
    if owner.id != actor.id and owner.id not in {u.id for u in active_juniors(session, actor, day)}:
        raise PermissionDenied(f"只能为自己或正在指导的学员新建文稿，{owner.display_name}不是您的学员")
    pair = active_pair_for(session, owner, day)
    draft = Draft(title=title, doc_type=(doc_type or "").strip() or None, due_date=due_date,
                  assignment=(assignment or "").strip() or None, owner_id=owner.id,
                  pair_id=pair.id if pair else None, state=ReviewState.DRAFTING.value, round=0, version_count=0,
                  created_at=now, updated_at=now)
    session.add(draft)
    session.flush()
    detail = f"撰稿人：{owner.display_name}" + (f"；指导老师：{pair.mentor.display_name}" if pair else "")
    audit.record(session, actor, "create", draft, to_state=ReviewState.DRAFTING, detail=detail, now=now)
    if text is not None and text.strip(BLANK + "\n"):
        save_version(session, draft, actor, text, base_count=0, now=now)
    return draft


def clean_text(text: str) -> str:
    """Normalise a submitted text; refuse one that is empty or absurdly long."""
    text = normalise(text or "")
    if not text.strip(BLANK + "\n"):
        raise DraftError("正文为空，没有保存。请输入或粘贴文稿内容后再保存。")
    if len(text) > MAX_TEXT_CHARS:
        raise DraftError(f"正文过长（{len(text)} 字），单篇文稿不能超过 {MAX_TEXT_CHARS} 字")
    return text.rstrip(BLANK + "\n") + "\n"


def save_version(session: Session, draft: Draft, actor: User, text: str, base_count: int,
                 source: str = "edit", filename: str | None = None, note: str | None = None,
                 now: dt.datetime | None = None) -> DraftVersion | None:
    """Save ``text`` as the next version, if the editor was opened on the newest one (``base_count``).

    Returns None when the text equals the newest version (nothing to save). Raises :class:`StaleVersion`
    when another save came first, :class:`DraftError` for an empty text, :class:`PermissionDenied` when the
    user may not edit (or the draft is under review).
    """
    now = now or utcnow()
    if not permissions.can_edit_draft(actor, draft):
        if draft.review_state.in_review:
            raise PermissionDenied(f"文稿正在审阅中（{draft.review_state.label}），不能修改；如需修改请先撤回提交")
        raise PermissionDenied("您不能修改这篇文稿" if draft.review_state.editable else "文稿已通过，不能再修改")
    text = clean_text(text)
    latest = draft.latest_version
    if base_count != draft.version_count and latest is not None:
        raise StaleVersion(latest)
    if latest is not None and latest.text == text:
        return None
    try:
        claimed = session.execute(update(Draft).where(Draft.id == draft.id, Draft.version_count == base_count)
                                  .values(version_count=base_count + 1, updated_at=now)
                                  .execution_options(synchronize_session=False)).rowcount
    except OperationalError as exc:
        if not dialect.is_snapshot_conflict(exc):
            raise  # the database is locked or gone: the caller keeps the text and says so
        claimed = 0  # SQLite: our read snapshot is older than a concurrent commit
    if claimed != 1:  # a concurrent save won the race; nothing of ours was written
        session.rollback()
        session.refresh(draft)
        raise StaleVersion(draft.latest_version)
    session.refresh(draft, ["version_count", "updated_at"])
    meta = DocumentMeta(title=draft.title, doc_type=draft.doc_type, unit=draft.owner.unit,
                        author=draft.owner.display_name)
    document = build_document(text, meta, kind=DocumentKind.DRAFT)
    document.draft_id = draft.id
    document.created_at = now
    add_document(session, document)
    version = DraftVersion(draft_id=draft.id, number=base_count + 1, document_id=document.id, author_id=actor.id,
                           source=source, filename=filename, note=(note or "").strip()[:200] or None,
                           created_at=now)
    session.add(version)
    session.flush()
    session.refresh(draft, ["versions"])
    label = f"第{version.number}稿，{document.chars}字" + (f"，文件：{filename}" if filename else "")
    if version.note:
        label += f"；说明：{version.note}"
    state = draft.review_state
    audit.record(session, actor, "upload" if source == "upload" else "save", draft, state, state, label, now=now)
    return version


def upload_version(session: Session, draft: Draft, actor: User, data: bytes, filename: str, base_count: int,
                   max_bytes: int, note: str | None = None, now: dt.datetime | None = None) -> DraftVersion | None:
    """Save an uploaded .docx/.txt/.md file as the next version; a bad file changes nothing."""
    if not filename:
        raise DraftError("请选择要上传的文件")
    try:
        read = read_bytes(data, filename, max_bytes=max_bytes)
    except DocumentReadError as exc:
        raise DraftError(f"上传失败：{exc}。文稿没有任何改动。") from exc
    return save_version(session, draft, actor, read.text, base_count, source="upload",
                        filename=filename[-255:], note=note, now=now)


@dataclass(frozen=True)
class DraftRow:
    """A draft as shown in lists."""

    draft: Draft
    overdue: bool


def list_drafts(session: Session, user: User, scope: str, day: dt.date) -> list[DraftRow]:
    """Drafts for a list: ``mine`` (own and own pair's), ``juniors`` (as mentor), ``all`` (what the user sees)."""
    stmt = permissions.visible_drafts(user)
    drafts = session.scalars(stmt.order_by(Draft.updated_at.desc(), Draft.id.desc())).unique().all()
    if scope == "mine":
        drafts = [d for d in drafts if d.owner_id == user.id or (d.pair and d.pair.junior_id == user.id)]
    elif scope == "juniors":
        drafts = [d for d in drafts if d.pair and d.pair.mentor_id == user.id and d.owner_id != user.id]
    return [DraftRow(d, is_overdue(d, day)) for d in drafts]


def is_overdue(draft: Draft, day: dt.date) -> bool:
    """Whether the due date has passed and the draft is not approved yet."""
    return draft.due_date is not None and draft.due_date < day and draft.review_state is not ReviewState.APPROVED


def version_documents(draft: Draft) -> set[int]:
    """Document ids of all versions of ``draft`` and of the archive copies published from it (精品佳作 carry
    the draft's id): the checks never compare a draft with itself."""
    ids = {v.document_id for v in draft.versions}
    session = object_session(draft)
    if session is not None:
        ids |= set(session.scalars(select(Document.id).where(Document.draft_id == draft.id)))
    return ids


def versions_by_number(session: Session, draft: Draft) -> list[DraftVersion]:
    """The versions, oldest first (fresh from the database)."""
    return list(session.scalars(select(DraftVersion).where(DraftVersion.draft_id == draft.id)
                                .order_by(DraftVersion.number)))
