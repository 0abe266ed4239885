"""The office's own stock phrases: computing them from the archive, keeping them fresh, reading them.

Mining every archive text on every check would be far too slow, so the phrases are computed in one pass
(:func:`rebuild`) and stored with a record of the archive they were computed from. They are *stale* once
the archive has changed by at least :data:`STALE_SHARE` of its documents (any change while the archive is
small); :func:`refresh_if_stale` recomputes them then. ``drafter import`` calls it after every import
that added documents, ``drafter phrases`` before listing, and a background job may call it after web
uploads. Checks only read the stored phrases (:func:`phrases_for_check`, cached per process until the
next computation), so a check never waits for mining.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from drafter.analysis.formulaic import OfficePhrase as AnalysisPhrase
from drafter.store.db import Database
from drafter.store.models import Document, DocumentKind
from drafter.store.office_phrases import OfficePhrase, OfficePhraseRun

#: Share of the archive that must have changed (added or removed documents) before phrases are stale.
STALE_SHARE = 0.05
DEFAULT_MIN_SHARE = 0.05
DEFAULT_MIN_DOCS = 3
DEFAULT_TOP = 300

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class MiningOptions:
    """How phrases are mined; from ``[formulaic]`` in drafter.toml (``office_min_share`` …)."""

    min_share: float = DEFAULT_MIN_SHARE
    min_docs: int = DEFAULT_MIN_DOCS
    top: int = DEFAULT_TOP

    @classmethod
    def from_settings(cls, options: dict | None) -> MiningOptions:
        """Options from the ``[formulaic]`` table; a bad value is a ValueError with a Chinese message."""
        options = options or {}
        try:
            result = cls(float(options.get("office_min_share", DEFAULT_MIN_SHARE)),
                         int(options.get("office_min_docs", DEFAULT_MIN_DOCS)),
                         int(options.get("office_top", DEFAULT_TOP)))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"[formulaic] 中本单位常用语的设置无效：{exc}") from exc
        if not 0 < result.min_share <= 1 or result.min_docs < 1 or result.top < 1:
            raise ValueError("[formulaic] office_min_share 应在 0 到 1 之间，office_min_docs、office_top 应为正整数")
        return result


@dataclass(frozen=True)
class PhraseStatus:
    """How the stored phrases relate to the archive now."""

    documents: int
    computed_at: dt.datetime | None
    computed_documents: int | None
    changed: int
    stale: bool
    phrases: int


def _archive_filter():  # type: ignore[no-untyped-def]
    return Document.kind == DocumentKind.ARCHIVE.value


def latest_run(session: Session) -> OfficePhraseRun | None:
    """The most recent computation, or None."""
    return session.scalar(select(OfficePhraseRun).order_by(OfficePhraseRun.id.desc()).limit(1))


def status(session: Session) -> PhraseStatus:
    """Archive size, the last computation and whether the phrases are stale."""
    documents = session.scalar(select(func.count()).where(_archive_filter())) or 0
    run = latest_run(session)
    if run is None:
        return PhraseStatus(documents, None, None, documents, documents > 0, 0)
    added = session.scalar(select(func.count()).where(_archive_filter(), Document.id > run.max_document_id)) or 0
    removed = max(0, run.documents + added - documents)
    changed = added + removed
    limit = max(1, math.ceil(STALE_SHARE * max(documents, run.documents)))
    return PhraseStatus(documents, run.computed_at, run.documents, changed, changed >= limit, run.phrases)


def _archive_texts(db: Database, total: int, progress: Progress | None) -> Iterator[str]:
    """Archive texts one by one (streamed in batches, so memory stays flat on a large archive)."""
    done = 0
    with db.session() as session:
        stream = session.execute(select(Document.text).where(_archive_filter()).order_by(Document.id)
                                 .execution_options(yield_per=100))
        for (text,) in stream:
            yield text
            done += 1
            if progress:
                progress(done, total)


def rebuild(db: Database, options: MiningOptions | None = None, progress: Progress | None = None) -> PhraseStatus:
    """Recompute the phrases from every archive document and replace the stored ones atomically."""
    from drafter.analysis.office_phrases import mine_phrases

    options = options or MiningOptions()
    started = time.perf_counter()
    with db.session() as session:
        documents = session.scalar(select(func.count()).where(_archive_filter())) or 0
        max_id = session.scalar(select(func.max(Document.id)).where(_archive_filter())) or 0
    mined = mine_phrases(_archive_texts(db, documents, progress), min_share=options.min_share,
                         min_docs=options.min_docs, top=options.top)
    with db.session() as session:
        session.execute(delete(OfficePhrase))
        session.add_all(OfficePhrase(phrase=m.phrase, words=" ".join(m.words), doc_count=m.doc_count,
                                     share=m.share, rank=rank)
                        for rank, m in enumerate(mined, start=1))
        session.add(OfficePhraseRun(documents=documents, max_document_id=max_id, phrases=len(mined),
                                    min_share=options.min_share, seconds=round(time.perf_counter() - started, 3)))
    with db.session() as session:
        return status(session)


def refresh_if_stale(db: Database, options: MiningOptions | None = None,
                     progress: Progress | None = None) -> PhraseStatus | None:
    """Recompute the phrases when they are stale; the new status, or None when they were fresh."""
    with db.session() as session:
        if not status(session).stale:
            return None
    return rebuild(db, options, progress)


def list_phrases(session: Session, top: int | None = None) -> list[OfficePhrase]:
    """Stored phrases, most widespread first."""
    stmt = select(OfficePhrase).order_by(OfficePhrase.rank)
    if top:
        stmt = stmt.limit(top)
    return list(session.scalars(stmt))


_cache_lock = threading.Lock()
_cache: dict[str, tuple[int, tuple[AnalysisPhrase, ...]]] = {}


def phrases_for_check(db: Database) -> tuple[AnalysisPhrase, ...]:
    """The stored phrases as the analysis takes them; re-read only after a new computation."""
    with db.session() as session:
        run = latest_run(session)
        if run is None:
            return ()
        cached = _cache.get(db.url)
        if cached and cached[0] == run.id:
            return cached[1]
        phrases = tuple(AnalysisPhrase(p.phrase, p.doc_count, p.share) for p in list_phrases(session))
    with _cache_lock:
        _cache[db.url] = (run.id, phrases)
    return phrases
