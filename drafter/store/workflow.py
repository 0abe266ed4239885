"""Models of the drafting and review workflow: drafts and their versions, mentor pairs (以老带新),
the sign-off chain, review tasks, annotations with replies, the audit log and login attempts.

Every version's text is a :class:`drafter.store.models.Document` with ``kind == "draft"`` and ``draft_id``
set, so every index and check sees drafts like archive texts; :class:`DraftVersion` adds who saved it, when
and how. State changes happen only in :mod:`drafter.services.review` (one operations module with the
audit log); who may do what is decided in :mod:`drafter.services.permissions`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafter.store.models import Base, Document, User, utcnow


class ReviewState(StrEnum):
    """Where a draft is in the review loop."""

    DRAFTING = "drafting"
    MENTOR_REVIEW = "mentor_review"
    SIGNOFF = "signoff"
    RETURNED = "returned"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        """Chinese name of the state."""
        return {"drafting": "撰写中", "mentor_review": "待指导老师审阅", "signoff": "签批中",
                "returned": "退回修改", "approved": "已通过"}[self.value]

    @property
    def editable(self) -> bool:
        """Whether new versions may be saved in this state (the text under review is frozen)."""
        return self in (ReviewState.DRAFTING, ReviewState.RETURNED)

    @property
    def in_review(self) -> bool:
        """Whether a reviewer holds the draft."""
        return self in (ReviewState.MENTOR_REVIEW, ReviewState.SIGNOFF)


class TaskStage(StrEnum):
    """Which layer of review a task belongs to."""

    MENTOR = "mentor"
    SIGNOFF = "signoff"


class Verdict(StrEnum):
    """A reviewer's decision on a task (or the writer withdrawing the submission)."""

    PASS = "pass"
    RETURN = "return"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """Chinese name of the verdict."""
        return {"pass": "通过", "return": "退回修改", "withdrawn": "已撤回"}[self.value]


class AnnotationCategory(StrEnum):
    """What an annotation is about."""

    VIEWPOINT = "viewpoint"
    STRUCTURE = "structure"
    WORDING = "wording"
    TYPO = "typo"
    FORMAT = "format"
    DATA = "data"

    @property
    def label(self) -> str:
        """Chinese name of the category."""
        return {"viewpoint": "观点", "structure": "结构", "wording": "措辞/套话", "typo": "错别字",
                "format": "格式", "data": "数据"}[self.value]


class Pair(Base):
    """A mentor guiding a junior writer from ``started_on`` until ``ended_on`` (open when NULL)."""

    __tablename__ = "pairs"
    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    junior_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())

    mentor: Mapped[User] = relationship(foreign_keys=[mentor_id], lazy="joined")
    junior: Mapped[User] = relationship(foreign_keys=[junior_id], lazy="joined")

    def active_on(self, day: dt.date) -> bool:
        """Whether the pair is in force on ``day``."""
        return self.started_on <= day and (self.ended_on is None or day <= self.ended_on)


class SignoffStep(Base):
    """One level of the sign-off chain after the mentor (科长, then 办公室主任 …).

    Steps with a ``unit`` apply to drafts of writers of that unit; the steps without one are the default chain.
    """

    __tablename__ = "signoff_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit: Mapped[str | None] = mapped_column(String(200), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(64))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    reviewer: Mapped[User] = relationship(lazy="joined")


class Draft(Base):
    """A text being written in the app, with its versions, review tasks and annotations."""

    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    doc_type: Mapped[str | None] = mapped_column(String(32))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    #: 任务要求: what the writer was asked to write.
    assignment: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The mentor pair the draft belongs to (shared by mentor and junior), if any.
    pair_id: Mapped[int | None] = mapped_column(ForeignKey("pairs.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=ReviewState.DRAFTING.value, index=True)
    #: Number of submissions so far; review tasks of the current submission carry this round.
    round: Mapped[int] = mapped_column(Integer, default=0)
    #: Number of saved versions; also the optimistic lock a save must match.
    version_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())

    owner: Mapped[User] = relationship(lazy="joined")
    pair: Mapped[Pair | None] = relationship(lazy="joined")
    versions: Mapped[list[DraftVersion]] = relationship(back_populates="draft", order_by="DraftVersion.number")
    tasks: Mapped[list[ReviewTask]] = relationship(back_populates="draft",
                                                   order_by="(ReviewTask.round, ReviewTask.position)")

    @property
    def review_state(self) -> ReviewState:
        """The state as an enum."""
        return ReviewState(self.state)

    @property
    def mentor(self) -> User | None:
        """The mentor of the draft's pair."""
        return self.pair.mentor if self.pair else None

    @property
    def current_task(self) -> ReviewTask | None:
        """The review task waiting for a decision, if the draft is in review."""
        if not self.review_state.in_review:
            return None
        for task in self.tasks:
            if task.round == self.round and task.reached_at is not None and task.verdict is None:
                return task
        return None

    @property
    def latest_version(self) -> DraftVersion | None:
        """The newest version."""
        return self.versions[-1] if self.versions else None


class DraftVersion(Base):
    """A saved version of a draft: its text is ``document.text``."""

    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("draft_id", "number", name="uq_draft_versions_draft_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: "edit" (typed in the browser) or "upload" (a .docx/.txt file).
    source: Mapped[str] = mapped_column(String(16), default="edit")
    filename: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(String(200))
    #: Cached check report (JSON of the CLI contract) and what it was computed with.
    check_signature: Mapped[str | None] = mapped_column(String(64))
    check_report: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())

    draft: Mapped[Draft] = relationship(back_populates="versions")
    document: Mapped[Document] = relationship(lazy="joined")
    author: Mapped[User] = relationship(lazy="joined")

    @property
    def text(self) -> str:
        """The version's text."""
        return self.document.text


class ReviewTask(Base):
    """One reviewer's turn on one submission: the mentor first, then each sign-off step in order."""

    __tablename__ = "review_tasks"
    __table_args__ = (Index("ix_review_tasks_reviewer_verdict", "reviewer_id", "verdict"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(16))
    #: "指导老师", or the sign-off step's title ("科长", "办公室主任").
    title: Mapped[str] = mapped_column(String(64))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The version under review (the one submitted).
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"))
    #: When the draft reached this reviewer (NULL while an earlier layer still holds it).
    reached_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    verdict: Mapped[str | None] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    draft: Mapped[Draft] = relationship(back_populates="tasks")
    reviewer: Mapped[User] = relationship(lazy="joined")
    version: Mapped[DraftVersion] = relationship()

    @property
    def verdict_enum(self) -> Verdict | None:
        """The verdict as an enum."""
        return Verdict(self.verdict) if self.verdict else None


class Annotation(Base):
    """A reviewer's comment on ``version.text[start:end]`` (``quote``), kept anchored on later versions."""

    __tablename__ = "annotations"
    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    #: Up to 24 characters before and after the quote, to find the right occurrence on later versions.
    prefix: Mapped[str] = mapped_column(String(64), default="")
    suffix: Mapped[str] = mapped_column(String(64), default="")
    category: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text)
    replacement: Mapped[str | None] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())

    author: Mapped[User] = relationship(foreign_keys=[author_id], lazy="joined")
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])
    version: Mapped[DraftVersion] = relationship()
    replies: Mapped[list[AnnotationReply]] = relationship(
        back_populates="annotation", order_by="AnnotationReply.id", cascade="all, delete-orphan")

    @property
    def category_enum(self) -> AnnotationCategory:
        """The category as an enum."""
        return AnnotationCategory(self.category)


class AnnotationReply(Base):
    """A reply in an annotation's thread."""

    __tablename__ = "annotation_replies"
    id: Mapped[int] = mapped_column(primary_key=True)
    annotation_id: Mapped[int] = mapped_column(ForeignKey("annotations.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())

    annotation: Mapped[Annotation] = relationship(back_populates="replies")
    author: Mapped[User] = relationship(lazy="joined")


class AuditEntry(Base):
    """Who did what and when; for review transitions also the state before and after."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship(lazy="joined")


class LoginAttempt(Base):
    """A login try, kept to throttle repeated failures (per user name and per address)."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    success: Mapped[bool] = mapped_column(Boolean, default=False)
