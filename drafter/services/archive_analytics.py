"""What the archive says: its topics, how topics and the office's stock phrases rise and fall by year, and
groups of near-duplicate documents.

Computed in one pass over the archive documents (kind ``archive``), read in batches so memory stays flat:
each text is segmented once (rjieba, :mod:`drafter.analysis.segment`) for the topic model, fingerprinted once
for the near-duplicate search (:mod:`drafter.analysis.near_duplicates`, the reuse index's fingerprints) and
searched for the stored office phrases (:mod:`drafter.services.phrases`). The maths is in
:mod:`drafter.analysis.topics` and :mod:`drafter.analysis.near_duplicates`.

A computation is a run (:class:`drafter.store.analytics.AnalyticsRun`): the web page or ``drafter
analytics --refresh`` asks for one, the background job (:func:`run_pending`) computes it and writes its
progress (stage, done of total) to the run as it goes, then the figures as JSON. The figures are stale once
the archive has changed by :data:`STALE_SHARE` of its documents since; a run whose progress stopped for
:data:`HEARTBEAT` was interrupted (a worker killed) and may be asked for again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drafter.analysis.office_metrics import slope
from drafter.services.audit import as_utc
from drafter.services.phrases import latest_run as latest_phrase_run
from drafter.services.phrases import list_phrases
from drafter.store.analytics import AnalyticsRun, RunStatus
from drafter.store.db import Database
from drafter.store.models import Document, DocumentKind, utcnow

log = logging.getLogger(__name__)

STALE_SHARE = 0.05
HEARTBEAT = dt.timedelta(minutes=10)
#: Documents read per query.
BATCH = 200
#: Clusters, example documents per topic and rising/falling phrases kept in the result.
MAX_CLUSTERS = 100
EXAMPLES = 3
MOVERS = 8
#: Years with fewer documents than this are shown but not used for the phrase trend slopes.
MIN_YEAR_DOCS = 3
#: Seconds between two progress writes.
PROGRESS_EVERY = 0.5

STAGE_LABELS = {"queued": "等待后台任务", "read": "分词、指纹与常用语", "topics": "主题模型",
                "duplicates": "近似重复文档", "save": "保存结果"}

Progress = Callable[[str, int, int], None]


def _archive():  # type: ignore[no-untyped-def]
    return Document.kind == DocumentKind.ARCHIVE.value


def archive_counts(session: Session) -> tuple[int, int]:
    """Number of archive documents and the highest archive document id."""
    row = session.execute(select(func.count(), func.max(Document.id)).where(_archive())).one()
    return int(row[0] or 0), int(row[1] or 0)


# --------------------------------------------------------------------------------------------- status

@dataclass(frozen=True)
class ArchiveStatus:
    """The archive now, the newest finished run, and a run waiting or under way."""

    documents: int
    latest: AnalyticsRun | None
    active: AnalyticsRun | None
    #: The newest run, when it failed or was interrupted after the newest finished one.
    problem: AnalyticsRun | None
    changed: int

    @property
    def stale(self) -> bool:
        """Whether the figures are missing or the archive changed by :data:`STALE_SHARE` since."""
        if self.latest is None:
            return self.documents > 0
        return self.changed >= max(1, math.ceil(STALE_SHARE * max(self.documents, self.latest.documents)))


def _interrupted(run: AnalyticsRun, now: dt.datetime) -> bool:
    beat = as_utc(run.updated_at or run.started_at or run.requested_at)
    return run.status_enum is RunStatus.RUNNING and beat is not None and now - beat > HEARTBEAT


def archive_status(session: Session, now: dt.datetime | None = None) -> ArchiveStatus:
    """Where the archive analytics stand."""
    now = now or utcnow()
    documents, _ = archive_counts(session)
    latest = session.scalar(select(AnalyticsRun).where(AnalyticsRun.status == RunStatus.DONE.value)
                            .order_by(AnalyticsRun.id.desc()).limit(1))
    newest = session.scalar(select(AnalyticsRun).order_by(AnalyticsRun.id.desc()).limit(1))
    active = problem = None
    if newest is not None and newest is not latest:
        if newest.status_enum in (RunStatus.QUEUED, RunStatus.RUNNING) and not _interrupted(newest, now):
            active = newest
        elif newest.status_enum is RunStatus.FAILED or _interrupted(newest, now):
            problem = newest
    changed = 0
    if latest is not None:
        added = session.scalar(select(func.count()).where(_archive(), Document.id > latest.max_document_id)) or 0
        removed = max(0, latest.documents + added - documents)
        changed = added + removed
    return ArchiveStatus(documents, latest, active, problem, changed)


def request_refresh(session: Session) -> tuple[AnalyticsRun, bool]:
    """Ask for a computation: the run already waiting or under way, else a new queued one (True)."""
    state = archive_status(session)
    if state.active is not None:
        return state.active, False
    run = AnalyticsRun(kind="archive", status=RunStatus.QUEUED.value, stage="queued")
    session.add(run)
    session.flush()
    return run, True


def latest_result(session: Session) -> tuple[AnalyticsRun, dict[str, Any]] | None:
    """The newest finished run and its figures."""
    run = archive_status(session).latest
    if run is None or not run.result:
        return None
    return run, json.loads(run.result)


# ------------------------------------------------------------------------------------------ computation

def compute(db: Database, progress: Progress | None = None, n_topics: int | None = None) -> dict[str, Any]:
    """The figures of the archive as it is now (JSON-ready; see the module docstring)."""
    from drafter.analysis.near_duplicates import as_set, find_clusters
    from drafter.analysis.reuse import fingerprints
    from drafter.analysis.segment import cut
    from drafter.analysis.topics import fit_topics, subject_words, year_shares

    report = progress or (lambda stage, done, total: None)
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with db.session() as session:
        total, _ = archive_counts(session)
        phrases = [(p.phrase, p.doc_count) for p in list_phrases(session)]
        phrase_run = latest_phrase_run(session)
        phrase_meta = ({"computed_at": as_utc(phrase_run.computed_at).isoformat(), "documents": phrase_run.documents}
                       if phrase_run else None)
    meta: list[tuple[int, str, int | None, str | None]] = []
    sets = []
    phrase_years: list[dict[int, int]] = [{} for _ in phrases]
    phrase_docs = [0] * len(phrases)
    reading = [0.0]  # seconds spent reading, segmenting, fingerprinting (inside the generator)

    def documents() -> Iterator[list[str]]:
        last = 0
        report("read", 0, total)
        while True:
            mark = time.perf_counter()
            with db.session() as session:
                rows = session.execute(select(Document.id, Document.title, Document.year, Document.date,
                                              Document.doc_type, Document.text)
                                       .where(_archive(), Document.id > last).order_by(Document.id)
                                       .limit(BATCH)).all()
            reading[0] += time.perf_counter() - mark
            if not rows:
                return
            for doc_id, title, year, date, doc_type, text in rows:
                mark = time.perf_counter()
                year = year or (date.year if date else None)
                meta.append((doc_id, title or f"文档{doc_id}", year, doc_type))
                sets.append(as_set(fingerprints(text)))
                for index, (phrase, _) in enumerate(phrases):
                    if phrase in text:
                        phrase_docs[index] += 1
                        if year is not None:
                            phrase_years[index][year] = phrase_years[index].get(year, 0) + 1
                words = subject_words(cut(text))
                reading[0] += time.perf_counter() - mark
                yield words
                report("read", len(meta), max(total, len(meta)))
            last = rows[-1][0]

    model = fit_topics(documents(), n_topics)
    seconds["read"] = reading[0]
    seconds["topics"] = time.perf_counter() - started - reading[0]
    report("topics", 1, 1)
    years = [m[2] for m in meta]
    year_counts: dict[int, int] = {}
    for year in years:
        if year is not None:
            year_counts[year] = year_counts.get(year, 0) + 1
    topic_years = year_shares(model, years)
    topics = []
    for topic in model.topics:
        ranked = sorted((i for i in range(len(meta)) if model.dominant(i) == topic.index),
                        key=lambda i: -model.doc_topics[i][topic.index])[:EXAMPLES]
        topics.append({"index": topic.index, "label": topic.label, "terms": list(topic.terms),
                       "weights": list(topic.weights), "share": topic.share, "documents": topic.documents,
                       "examples": [_doc(meta[i]) | {"share": model.doc_topics[i][topic.index]} for i in ranked]})
    report("duplicates", 0, 1)
    mark = time.perf_counter()
    clusters = find_clusters(((i, s) for i, s in enumerate(sets)))
    by_row = {i: m for i, m in enumerate(meta)}
    seconds["duplicates"] = time.perf_counter() - mark
    report("duplicates", 1, 1)
    sorted_years = sorted(year_counts)
    return {
        "documents": len(meta),
        "with_year": sum(year_counts.values()),
        "years": sorted_years,
        "year_counts": {str(y): year_counts[y] for y in sorted_years},
        "model": {"topics": len(model.topics), "vocabulary": model.vocabulary, "iterations": model.iterations,
                  "converged": model.converged},
        "notes": model.notes,
        "topics": topics,
        "topic_years": {str(y): list(shares) for y, shares in topic_years.items()},
        "phrases": _phrase_trends(phrases, phrase_docs, phrase_years, year_counts, len(meta)),
        "phrase_source": phrase_meta,
        "clusters": [{"documents": [_doc(by_row[i]) for i in c.members], "mean_similarity": c.mean_similarity,
                      "min_similarity": c.min_similarity} for c in clusters[:MAX_CLUSTERS]],
        "cluster_count": len(clusters),
        "duplicate_documents": sum(len(c.members) for c in clusters),
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
    }


def _doc(meta: tuple[int, str, int | None, str | None]) -> dict[str, Any]:
    doc_id, title, year, doc_type = meta
    return {"doc_id": doc_id, "title": title, "year": year, "doc_type": doc_type}


def _phrase_trends(phrases: list[tuple[str, int]], docs: list[int], by_year: list[dict[int, int]],
                   year_counts: dict[int, int], total: int) -> list[dict[str, Any]]:
    """Each office phrase with the share of each year's documents that use it and the slope of that share
    (per year, over years with at least :data:`MIN_YEAR_DOCS` documents)."""
    result = []
    for (phrase, _), count, years in zip(phrases, docs, by_year, strict=True):
        shares = {y: years.get(y, 0) / n for y, n in year_counts.items() if n}
        fitted = [(y, shares[y]) for y, n in year_counts.items() if n >= MIN_YEAR_DOCS]
        trend = slope(fitted)
        result.append({"phrase": phrase, "documents": count, "share": round(count / total, 4) if total else 0.0,
                       "years": {str(y): years.get(y, 0) for y in sorted(year_counts)},
                       "slope": None if trend is None else round(trend, 5)})
    result.sort(key=lambda p: (-p["documents"], p["phrase"]))
    return result


def movers(result: dict[str, Any], rising: bool, limit: int = MOVERS) -> list[dict[str, Any]]:
    """The office phrases whose yearly share grew (or shrank) the most, strongest first."""
    moving = [p for p in result.get("phrases", []) if p.get("slope") is not None and p["documents"] >= 2
              and (p["slope"] > 0 if rising else p["slope"] < 0)]
    moving.sort(key=lambda p: -abs(p["slope"]))
    return moving[:limit]


# -------------------------------------------------------------------------------------------------- job

def _writer(db: Database, run_id: int) -> Progress:
    """A progress callback that writes stage, done and total to the run, at most every PROGRESS_EVERY s."""
    last = [0.0, ""]

    def write(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == last[1] and now - last[0] < PROGRESS_EVERY and done < total:
            return
        last[0], last[1] = now, stage
        with db.session() as session:
            run = session.get(AnalyticsRun, run_id)
            if run is not None:
                run.stage, run.done, run.total, run.updated_at = stage, done, total, utcnow()

    return write


def run_pending(db: Database, force: bool = False, progress: Progress | None = None,
                n_topics: int | None = None) -> int:
    """Compute the run that waits (or a new one when the figures are stale, or when ``force``); returns the
    number of documents analysed (0 when there was nothing to do). A failure is recorded on the run and
    raised again."""
    with db.session() as session:
        state = archive_status(session)
        run = state.active if state.active is not None and state.active.status_enum is RunStatus.QUEUED else None
        if run is None:
            if state.active is not None or not (force or state.stale):
                return 0
            run, _ = request_refresh(session)
        documents, max_id = archive_counts(session)
        run.status, run.stage, run.done, run.total = RunStatus.RUNNING.value, "read", 0, documents
        run.started_at = run.updated_at = utcnow()
        run.documents, run.max_document_id = documents, max_id
        run_id = run.id
    write = _writer(db, run_id)

    def both(stage: str, done: int, total: int) -> None:
        write(stage, done, total)
        if progress:
            progress(stage, done, total)

    started = time.perf_counter()
    try:
        result = compute(db, both, n_topics)
    except Exception as exc:
        with db.session() as session:
            run = session.get(AnalyticsRun, run_id)
            run.status, run.error, run.finished_at = RunStatus.FAILED.value, f"{type(exc).__name__}: {exc}", utcnow()
        raise
    with db.session() as session:
        run = session.get(AnalyticsRun, run_id)
        run.status, run.stage, run.done, run.total = RunStatus.DONE.value, "save", 1, 1
        run.result = json.dumps(result, ensure_ascii=False)
        run.finished_at = run.updated_at = utcnow()
        run.seconds = round(time.perf_counter() - started, 2)
    log.info("archive analytics: %d documents in %.1f s", result["documents"], time.perf_counter() - started)
    return result["documents"]
