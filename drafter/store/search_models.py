"""Tables of the search indexes: sentences (offsets into documents) and their embedding vectors.

The keyword index itself is engine-specific and lives beside these tables: an FTS5 table ``search_fts`` on
SQLite, a ``tsvector`` table ``search_terms`` on PostgreSQL (created by migration 0005, used by
:mod:`drafter.store.keyword_index`).
"""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from drafter.store.models import Base


class SearchSentence(Base):
    """A sentence of a document: ``documents.text[start:end]`` in paragraph ``paragraph_index``."""

    __tablename__ = "search_sentences"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    paragraph_index: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)


class SentenceVector(Base):
    """The embedding of a sentence, int8 codes with one scale: ``vector ≈ scale * codes``.

    ``id`` grows with every vector written, so a reader can pick up what is new since it last looked.
    """

    __tablename__ = "search_vectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    sentence_id: Mapped[int] = mapped_column(ForeignKey("search_sentences.id", ondelete="CASCADE"), unique=True)
    model: Mapped[str] = mapped_column(String(64), index=True)
    scale: Mapped[float] = mapped_column(Float)
    codes: Mapped[bytes] = mapped_column(LargeBinary)
