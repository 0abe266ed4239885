"""SQLAlchemy models of the archive and its users.

Texts live once, in :class:`Document`; paragraphs are offsets into that text (DESIGN.md).
Draft versions written in the web app are documents too (``kind == "draft"``), so every index and check
treats archive texts and drafts alike.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base with a naming convention so migrations name constraints the same on every database."""

    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC (stored naive-in-UTC on SQLite)."""
    return dt.datetime.now(dt.UTC)


class DocumentKind(StrEnum):
    """Where a text came from."""

    ARCHIVE = "archive"   # imported into the archive
    DRAFT = "draft"       # a version of a draft written in the app


document_tags = Table(
    "document_tags", Base.metadata,
    Column("document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(Base):
    """A free keyword attached to documents (乡村振兴, 年度总结 …)."""

    __tablename__ = "tags"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class Document(Base):
    """One text of the archive (or one saved draft version)."""

    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_kind_year", "kind", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default=DocumentKind.ARCHIVE.value)
    title: Mapped[str] = mapped_column(String(500), default="")
    doc_type: Mapped[str | None] = mapped_column(String(32), index=True)
    unit: Mapped[str | None] = mapped_column(String(200), index=True)
    author: Mapped[str | None] = mapped_column(String(100), index=True)
    date: Mapped[dt.date | None] = mapped_column(Date)
    year: Mapped[int | None] = mapped_column(Integer)
    is_exemplar: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    origin_path: Mapped[str | None] = mapped_column(String(1000))
    #: SHA-256 of the normalised text (trailing blanks ignored).
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    #: Equal to ``content_hash`` for archive documents (unique: import is idempotent), NULL for drafts.
    dedupe_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: The draft this text is a version of (web app), NULL for archive documents.
    draft_id: Mapped[int | None] = mapped_column(Integer, index=True)
    text: Mapped[str] = mapped_column(Text)
    chars: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())

    paragraphs: Mapped[list[Paragraph]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Paragraph.index")
    tags: Mapped[list[Tag]] = relationship(secondary=document_tags, lazy="selectin")

    @property
    def tag_names(self) -> list[str]:
        """Tag names in a stable order."""
        return sorted(tag.name for tag in self.tags)


class Paragraph(Base):
    """A non-blank line of a document: ``document.text[start:end]``."""

    __tablename__ = "paragraphs"
    __table_args__ = (UniqueConstraint("document_id", "index", name="uq_paragraphs_document_index"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    index: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    #: GB/T 9704 heading level (1-4) the paragraph starts with, or a Word heading style level.
    heading_level: Mapped[int | None] = mapped_column(Integer)

    document: Mapped[Document] = relationship(back_populates="paragraphs")

    @property
    def text(self) -> str:
        """The paragraph's characters."""
        return self.document.text[self.start:self.end]


class Role(StrEnum):
    """What a user may do; a user may hold several."""

    WRITER = "writer"
    MENTOR = "mentor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        """Chinese name of the role."""
        return {"writer": "撰稿人", "mentor": "指导老师", "admin": "管理员"}[self.value]


class User(Base):
    """An account of the office's staff."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(256))
    #: Comma-separated :class:`Role` values.
    roles_csv: Mapped[str] = mapped_column("roles", String(64), default="writer")
    unit: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                    server_default=func.now())

    @property
    def roles(self) -> set[Role]:
        """The roles this user holds."""
        return {Role(r) for r in self.roles_csv.split(",") if r}

    @roles.setter
    def roles(self, roles: set[Role] | list[Role]) -> None:
        self.roles_csv = ",".join(sorted(Role(r).value for r in roles))

    def has_role(self, role: Role) -> bool:
        """Whether the user holds ``role``."""
        return role in self.roles


# Sibling modules with more tables register them on Base when imported here, so Alembic, the app and the
# tests see every table: the workflow (drafts, pairs, reviews …), critique meetings, the office's stock
# phrases, the reuse and search indexes.
from drafter.store import critique as _critique  # noqa: E402,F401
from drafter.store import reuse_tables  # noqa: E402,F401
from drafter.store import search_models as _search_models  # noqa: E402,F401
from drafter.store import workflow as _workflow  # noqa: E402,F401
from drafter.store.office_phrases import OfficePhrase, OfficePhraseRun  # noqa: E402,F401
