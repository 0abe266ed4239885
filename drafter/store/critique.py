"""Models of critique meetings (文稿点评交流会): the meeting with its rubric and phase, its participants,
the drafts they nominate (自评), the critiques of the others (互评) with annotations on the text, and
pairwise judgements ("which of the two is better").

A nomination points at one :class:`DraftVersion` of the participant's own draft (an uploaded file becomes a
new draft first), so the text critiqued is fixed even if the draft moves on. State changes happen only in
:mod:`drafter.services.critique` (with the audit log); who may do what is in
:mod:`drafter.services.critique_permissions`.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drafter.store.models import Base, Document, User, utcnow
from drafter.store.workflow import AnnotationCategory, Draft, DraftVersion

#: The default rubric: 思想性、启发性、指导性、可读性, each scored 1–5.
DEFAULT_RUBRIC = ("思想性", "启发性", "指导性", "可读性")
SCORE_MIN = 1
SCORE_MAX = 5


class Phase(StrEnum):
    """Where a meeting is: nominations (自评), critique (互评), closed (会议结束)."""

    NOMINATION = "nomination"
    CRITIQUE = "critique"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """Chinese name of the phase."""
        return {"nomination": "提名自评", "critique": "互评", "closed": "已结束"}[self.value]


class NominationKind(StrEnum):
    """The most and the least satisfying of a participant's recent drafts."""

    BEST = "best"
    WORST = "worst"

    @property
    def label(self) -> str:
        """Chinese name of the kind."""
        return {"best": "最满意", "worst": "最不满意"}[self.value]


class Pairing(StrEnum):
    """How pairs are chosen for comparative judgement."""

    ADAPTIVE = "adaptive"
    ROUND_ROBIN = "round_robin"

    @property
    def label(self) -> str:
        """Chinese name of the pairing."""
        return {"adaptive": "自适应（优先比较次数少、水平接近的两篇）", "round_robin": "循环（所有组合依次轮换）"}[self.value]


class Meeting(Base):
    """A critique meeting chaired by an administrator or a mentor."""

    __tablename__ = "critique_meetings"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[dt.date] = mapped_column(Date)
    chair_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    phase: Mapped[str] = mapped_column(String(16), default=Phase.NOMINATION.value)
    #: The rubric's criteria, in order (scores 1–5 each).
    rubric: Mapped[list[str]] = mapped_column(JSON)
    #: 会议说明: place, scope of drafts, what to prepare.
    note: Mapped[str | None] = mapped_column(Text)
    #: Authors do not see who wrote which critique.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Comparative judgement (pairs side by side) is on.
    comparative: Mapped[bool] = mapped_column(Boolean, default=False)
    pairing: Mapped[str] = mapped_column(String(16), default=Pairing.ADAPTIVE.value)
    #: Judgements each draft should receive.
    target_judgements: Mapped[int] = mapped_column(Integer, default=10)
    #: 主持人总结: the chair's closing remarks, printed in the minutes.
    summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    chair: Mapped[User] = relationship(lazy="joined")
    participants: Mapped[list[Participant]] = relationship(back_populates="meeting", order_by="Participant.id",
                                                           cascade="all, delete-orphan")
    nominations: Mapped[list[Nomination]] = relationship(back_populates="meeting", order_by="Nomination.id")

    @property
    def phase_enum(self) -> Phase:
        """The phase as an enum."""
        return Phase(self.phase)

    @property
    def participant_ids(self) -> set[int]:
        """Ids of the participants (the chair is one only when listed)."""
        return {p.user_id for p in self.participants}


class Participant(Base):
    """A member of a meeting who nominates and critiques."""

    __tablename__ = "critique_participants"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", name="uq_critique_participants_meeting_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("critique_meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    user: Mapped[User] = relationship(lazy="joined")


class Nomination(Base):
    """A participant's 最满意 or 最不满意 draft (one version of it) with the self-assessment."""

    __tablename__ = "critique_nominations"
    __table_args__ = (UniqueConstraint("meeting_id", "author_id", "kind", name="uq_critique_nominations_author_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("critique_meetings.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"))
    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id"))
    self_assessment: Mapped[str] = mapped_column(Text)
    #: Self-scores by criterion name.
    self_scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Marked 精品佳作 by the chair at closing.
    exemplar: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The archive document that carries the exemplar flag (published from the version, or an existing one).
    exemplar_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id", ondelete="SET NULL"))
    #: What marking did to that document, so that taking the mark back undoes exactly that: "created" (the
    #: version was published to the archive for it), "flagged" (an archive copy got the flag), "linked" (an
    #: archive copy was flagged already).
    exemplar_action: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())

    meeting: Mapped[Meeting] = relationship(back_populates="nominations")
    author: Mapped[User] = relationship(lazy="joined")
    draft: Mapped[Draft] = relationship()
    version: Mapped[DraftVersion] = relationship(lazy="joined")
    exemplar_document: Mapped[Document | None] = relationship()
    critiques: Mapped[list[Critique]] = relationship(back_populates="nomination", order_by="Critique.id")

    @property
    def kind_enum(self) -> NominationKind:
        """The kind as an enum."""
        return NominationKind(self.kind)

    @property
    def text(self) -> str:
        """The nominated version's text."""
        return self.version.text

    @property
    def title(self) -> str:
        """The draft's title."""
        return self.draft.title


class Critique(Base):
    """One participant's critique of another's nomination: rubric scores, strengths, problems, a suggestion."""

    __tablename__ = "critiques"
    __table_args__ = (UniqueConstraint("nomination_id", "critic_id", name="uq_critiques_nomination_critic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("critique_nominations.id"), index=True)
    critic_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: Scores by criterion name.
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
    strengths: Mapped[str] = mapped_column(Text)
    problems: Mapped[str] = mapped_column(Text)
    suggestion: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())

    nomination: Mapped[Nomination] = relationship(back_populates="critiques")
    critic: Mapped[User] = relationship(lazy="joined")

    def mean_score(self, rubric: list[str]) -> float:
        """The mean over the rubric's criteria."""
        return sum(float(self.scores[c]) for c in rubric) / len(rubric)


class CritiqueNote(Base):
    """A critic's annotation on ``nomination.text[start:end]`` (the text of a nomination never changes)."""

    __tablename__ = "critique_notes"
    id: Mapped[int] = mapped_column(primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("critique_nominations.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text)
    replacement: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())

    author: Mapped[User] = relationship(lazy="joined")

    @property
    def category_enum(self) -> AnnotationCategory:
        """The category as an enum."""
        return AnnotationCategory(self.category)


class PairJudgement(Base):
    """One judge's verdict on a pair of nominations: the better one, or none for 难分高下."""

    __tablename__ = "critique_judgements"
    __table_args__ = (UniqueConstraint("judge_id", "low_id", "high_id", name="uq_critique_judgements_judge_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("critique_meetings.id"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    #: The pair, smaller nomination id first (one judgement per judge and pair).
    low_id: Mapped[int] = mapped_column(ForeignKey("critique_nominations.id"))
    high_id: Mapped[int] = mapped_column(ForeignKey("critique_nominations.id"))
    #: The better one; NULL when the judge found them equal.
    winner_id: Mapped[int | None] = mapped_column(ForeignKey("critique_nominations.id"))
    #: Which one was shown on the left (to look for position bias).
    left_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())
