"""Embedding work: vectors for every indexed sentence that has none yet, and how far that work is.

Safe to re-run at any time and after a crash: each batch is committed on its own, and the next run simply
continues with the sentences still lacking a vector. Two runs at once (a worker and ``drafter index
--embed``) do not clash: a batch another run has already stored is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from drafter.store.db import Database
from drafter.store.models import Document
from drafter.store.search_models import SearchSentence, SentenceVector
from drafter.store.vector_store import quantise

#: Sentences embedded and committed together.
BATCH = 256


@dataclass(frozen=True)
class EmbeddingStatus:
    """Sentences with a vector of ``model`` (done) out of all indexed sentences (total)."""

    done: int
    total: int

    @property
    def pending(self) -> int:
        """Sentences still waiting for a vector."""
        return max(self.total - self.done, 0)

    @property
    def complete(self) -> bool:
        """Whether every sentence has its vector."""
        return self.done >= self.total

    def describe(self) -> str:
        """Chinese one-liner for the CLI and the web page."""
        if self.total == 0:
            return "语义索引：档案中还没有句子"
        if self.complete:
            return f"语义索引：已完成（{self.total} 句）"
        if self.done == 0:
            return f"语义索引：尚未计算（0/{self.total} 句），暂只有关键词结果"
        return f"语义索引：已完成 {self.done}/{self.total} 句（{self.done / self.total:.0%}），语义结果尚不完整"


def status(session: Session, model: str) -> EmbeddingStatus:
    """How many sentences have a vector of ``model``."""
    total = session.scalar(select(func.count()).select_from(SearchSentence)) or 0
    done = session.scalar(select(func.count()).select_from(SentenceVector).where(SentenceVector.model == model)) or 0
    return EmbeddingStatus(done=done, total=total)


def pending_sentences(session: Session, model: str, limit: int) -> list[tuple[int, str]]:
    """Up to ``limit`` sentences without a vector of ``model``, as ``(id, text)``, oldest first."""
    has_vector = (select(SentenceVector.id)
                  .where(SentenceVector.sentence_id == SearchSentence.id, SentenceVector.model == model).exists())
    text = func.substr(Document.text, SearchSentence.start + 1, SearchSentence.end - SearchSentence.start)
    stmt = (select(SearchSentence.id, text)
            .join(Document, Document.id == SearchSentence.document_id)
            .where(~has_vector).order_by(SearchSentence.id).limit(limit))
    return [(int(i), t or "") for i, t in session.execute(stmt).all()]


def drop_other_models(session: Session, model: str) -> int:
    """Delete vectors made by another model (they are recomputed); returns how many."""
    from sqlalchemy import delete

    result = session.execute(delete(SentenceVector).where(SentenceVector.model != model))
    return result.rowcount or 0


def embed_pending(db: Database, encoder, progress: Callable[[EmbeddingStatus], None] | None = None,  # type: ignore[no-untyped-def]
                  batch: int = BATCH, limit: int | None = None) -> int:
    """Embed sentences that lack a vector, batch by batch; returns how many were embedded now.

    ``encoder`` is a :class:`drafter.analysis.embedding.Encoder` (anything with ``passages`` and ``name``).
    ``progress`` is called after each batch with the overall status; ``limit`` stops early (tests, jobs
    that should yield).
    """
    with db.session() as session:
        drop_other_models(session, encoder.name)
    embedded, failures = 0, 0
    while limit is None or embedded < limit:
        size = batch if limit is None else min(batch, limit - embedded)
        with db.session() as session:
            rows = pending_sentences(session, encoder.name, size)
        if not rows:
            break
        vectors = encoder.passages([text for _, text in rows])
        codes, scales = quantise(vectors)
        try:
            with db.session() as session:
                session.add_all(SentenceVector(sentence_id=sid, model=encoder.name, scale=float(scale),
                                               codes=code.tobytes())
                                for (sid, _), code, scale in zip(rows, codes, scales, strict=True))
        except IntegrityError:
            failures += 1  # another run stored some of these, or a document was deleted meanwhile
            if failures > 5:
                raise
            continue
        embedded += len(rows)
        if progress:
            with db.session() as session:
                progress(status(session, encoder.name))
    return embedded
