"""Tables of the reuse (duplication) index: k-gram fingerprints of every document and their archive frequency.

- ``reuse_fingerprints``: one row per (fingerprint, document) — the postings a draft's fingerprints are
  looked up in. No foreign key (a cascade would need a second index as large as the table); rows are
  removed by the reuse indexer's remover, and lookups join ``documents`` so a stale row is never reported.
  On SQLite the table is ``WITHOUT ROWID`` (the primary key is the table), about half the size.
- ``reuse_frequencies``: in how many *archive* documents a fingerprint occurs (draft versions are not
  counted, so a draft saved twenty times does not make its own text look like boilerplate).
- ``reuse_documents``: which documents are indexed, with which fingerprint scheme, and whether they were
  counted in ``reuse_frequencies``.
"""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from drafter.store.models import Base


class ReuseFingerprint(Base):
    """A fingerprint (signed 32-bit hash of a skeleton k-gram) occurring in a document."""

    __tablename__ = "reuse_fingerprints"
    # SQLite-specific: store the table as its primary-key B-tree (ignored by PostgreSQL).
    __table_args__ = {"sqlite_with_rowid": False}

    hash: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    document_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class ReuseFrequency(Base):
    """Number of archive documents a fingerprint occurs in."""

    __tablename__ = "reuse_frequencies"
    __table_args__ = {"sqlite_with_rowid": False}

    hash: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    documents: Mapped[int] = mapped_column(Integer, default=0)


class ReuseDocument(Base):
    """A document present in the reuse index."""

    __tablename__ = "reuse_documents"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True,
                                             autoincrement=False)
    #: Version of the fingerprint scheme (skeleton rules, k, sampling) the rows were made with.
    scheme: Mapped[int] = mapped_column(Integer)
    fingerprints: Mapped[int] = mapped_column(Integer, default=0)
    #: Whether the document's fingerprints were added to ``reuse_frequencies`` (archive documents).
    counted: Mapped[bool] = mapped_column(Boolean, default=False)
