"""Tables of the office's own stock phrases, learned from the archive (``drafter phrases``).

``office_phrases`` holds the phrases of the latest computation; ``office_phrase_runs`` records each
computation with the archive it saw (number of archive documents and highest document id), which is how
the service tells that the phrases have gone stale after imports.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Float, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from drafter.store.models import Base, utcnow


class OfficePhrase(Base):
    """A word n-gram found in ``doc_count`` archive documents (``share`` of the archive)."""

    __tablename__ = "office_phrases"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(64), unique=True)
    #: The jieba words of the phrase, separated by single spaces.
    words: Mapped[str] = mapped_column(String(200))
    doc_count: Mapped[int] = mapped_column(Integer)
    share: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer, index=True)


class OfficePhraseRun(Base):
    """One computation of the office phrases and the archive it was computed from."""

    __tablename__ = "office_phrase_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                     server_default=func.now())
    documents: Mapped[int] = mapped_column(Integer)
    max_document_id: Mapped[int] = mapped_column(Integer)
    phrases: Mapped[int] = mapped_column(Integer)
    min_share: Mapped[float] = mapped_column(Float)
    seconds: Mapped[float] = mapped_column(Float)
