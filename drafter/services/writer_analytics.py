"""A writer's progress, and a mentor's view of their juniors: every figure from stored records.

- Drafts: how many, in which state, versions per draft, days from the first submission to approval (review
  tasks: the first task of round 1 was reached at submission; the last 通过 of an approved draft approved it).
- Check results over time: findings per 1,000 characters by rule family, formulaic density and concreteness
  of the versions saved in each month (or week, for a short history), from the stored version summaries
  (:mod:`drafter.services.version_summaries`); versions not checked yet are counted and named, not guessed.
- Annotations received from mentors and sign-off reviewers, by category over time, and how many are open.
- Critique meetings: rank, corrected peer score and self-score of each nominated draft
  (:mod:`drafter.services.critique_results`), as far as the viewer may see them.

The arithmetic is in :mod:`drafter.analysis.office_metrics`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from drafter.analysis.office_metrics import (
    Durations,
    SeriesPoint,
    VersionFigures,
    bucket_label,
    bucket_range,
    count_series,
    days_between,
    durations,
    granularity_for,
    median,
    per_thousand,
    version_series,
)
from drafter.services import analytics_permissions as can
from drafter.services.audit import as_utc
from drafter.services.critique_results import ranked_count, writer_meetings
from drafter.services.drafts import today_local
from drafter.services.office import active_juniors
from drafter.store.analytics import VersionRuleCount, VersionSummary
from drafter.store.models import User
from drafter.store.workflow import (
    Annotation,
    AnnotationCategory,
    Draft,
    DraftVersion,
    ReviewState,
    ReviewTask,
    Verdict,
)

#: Rule families always shown on the writer page, in this order (others follow when they have findings).
FAMILIES = ("structure", "norms", "formulaic", "reuse", "typo")
CATEGORIES = tuple(c.value for c in AnnotationCategory)


def _local_day(moment: dt.datetime, tz: dt.tzinfo | None) -> dt.date:
    return today_local(as_utc(moment), tz)


# ------------------------------------------------------------------------------------------------ drafts

@dataclass(frozen=True)
class Approval:
    """An approved draft and how long it took from the first submission."""

    draft_id: int
    title: str
    days: float


@dataclass(frozen=True)
class DraftFigures:
    """A writer's drafts in numbers."""

    drafts: int
    by_state: dict[str, int]
    versions: int
    versions_per_draft: float | None
    median_versions: float | None
    approval: Durations
    approvals: list[Approval]

    @property
    def state_labels(self) -> list[tuple[str, int]]:
        """(Chinese state name, count) for the states that occur, in workflow order."""
        return [(ReviewState(s).label, self.by_state[s]) for s in (st.value for st in ReviewState)
                if self.by_state.get(s)]


def draft_figures(session: Session, writer_ids: Sequence[int]) -> dict[int, DraftFigures]:
    """Draft counts, versions per draft and submission-to-approval times of each writer."""
    drafts = session.execute(select(Draft.id, Draft.owner_id, Draft.title, Draft.state, Draft.version_count)
                             .where(Draft.owner_id.in_(writer_ids))).all()
    submitted = dict(session.execute(
        select(ReviewTask.draft_id, func.min(ReviewTask.reached_at)).join(Draft, Draft.id == ReviewTask.draft_id)
        .where(Draft.owner_id.in_(writer_ids), ReviewTask.round == 1, ReviewTask.reached_at.is_not(None))
        .group_by(ReviewTask.draft_id)).all())
    approved = dict(session.execute(
        select(ReviewTask.draft_id, func.max(ReviewTask.decided_at)).join(Draft, Draft.id == ReviewTask.draft_id)
        .where(Draft.owner_id.in_(writer_ids), Draft.state == ReviewState.APPROVED.value,
               ReviewTask.verdict == Verdict.PASS.value)
        .group_by(ReviewTask.draft_id)).all())
    per_writer: dict[int, list] = {w: [] for w in writer_ids}
    for row in drafts:
        per_writer[row.owner_id].append(row)
    result = {}
    for writer_id, rows in per_writer.items():
        versions = [r.version_count for r in rows if r.version_count]
        approvals = []
        for r in rows:
            if r.id in approved and r.id in submitted and approved[r.id] and submitted[r.id]:
                approvals.append(Approval(r.id, r.title, days_between(as_utc(submitted[r.id]), as_utc(approved[r.id]))))
        approvals.sort(key=lambda a: -a.days)
        result[writer_id] = DraftFigures(
            len(rows), dict(Counter(r.state for r in rows)), sum(versions),
            sum(versions) / len(versions) if versions else None, median(versions),
            durations(a.days for a in approvals), approvals)
    return result


# ------------------------------------------------------------------------------------------ check results

@dataclass(frozen=True)
class CheckCoverage:
    """Versions of a writer whose check results are stored, and those still waiting for the job."""

    checked: int
    unchecked: int


def version_figures(session: Session, writer_ids: Sequence[int], tz: dt.tzinfo | None = None
                    ) -> tuple[dict[int, list[VersionFigures]], dict[int, CheckCoverage]]:
    """Each writer's checked versions (oldest first) and how many of their versions are checked."""
    rows = session.execute(
        select(VersionSummary.version_id, Draft.owner_id, DraftVersion.created_at, VersionSummary.chars,
               VersionSummary.formulaic_density, VersionSummary.concreteness)
        .join(DraftVersion, DraftVersion.id == VersionSummary.version_id)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .where(Draft.owner_id.in_(writer_ids)).order_by(DraftVersion.created_at, DraftVersion.id)).all()
    families: dict[int, dict[str, int]] = {}
    counts = session.execute(
        select(VersionRuleCount.version_id, VersionRuleCount.family, func.sum(VersionRuleCount.count))
        .join(DraftVersion, DraftVersion.id == VersionRuleCount.version_id)
        .join(Draft, Draft.id == DraftVersion.draft_id)
        .where(Draft.owner_id.in_(writer_ids))
        .group_by(VersionRuleCount.version_id, VersionRuleCount.family)).all()
    for version_id, family, count in counts:
        families.setdefault(version_id, {})[family] = int(count)
    totals = dict(session.execute(select(Draft.owner_id, func.count(DraftVersion.id))
                                  .join(DraftVersion, DraftVersion.draft_id == Draft.id)
                                  .where(Draft.owner_id.in_(writer_ids)).group_by(Draft.owner_id)).all())
    figures: dict[int, list[VersionFigures]] = {w: [] for w in writer_ids}
    for version_id, owner_id, created_at, chars, density, concreteness in rows:
        figures[owner_id].append(VersionFigures(_local_day(created_at, tz), chars, families.get(version_id, {}),
                                                density, concreteness))
    coverage = {w: CheckCoverage(len(figures[w]), max(int(totals.get(w, 0)) - len(figures[w]), 0))
                for w in writer_ids}
    return figures, coverage


def families_of(figures: Sequence[VersionFigures]) -> list[str]:
    """:data:`FAMILIES` followed by any other family with findings."""
    seen = {f for v in figures for f, n in v.by_family.items() if n}
    return list(FAMILIES) + sorted(seen - set(FAMILIES))


# -------------------------------------------------------------------------------------------- annotations

@dataclass(frozen=True)
class AnnotationEvent:
    """An annotation on a writer's draft: when, which category, whether it is resolved."""

    day: dt.date
    category: str
    resolved: bool


def annotations_received(session: Session, writer_ids: Sequence[int], tz: dt.tzinfo | None = None
                         ) -> dict[int, list[AnnotationEvent]]:
    """Annotations others (mentors, sign-off reviewers) made on each writer's drafts, oldest first."""
    rows = session.execute(
        select(Draft.owner_id, Annotation.created_at, Annotation.category, Annotation.resolved)
        .join(Draft, Draft.id == Annotation.draft_id)
        .where(Draft.owner_id.in_(writer_ids), Annotation.author_id != Draft.owner_id)
        .order_by(Annotation.created_at, Annotation.id)).all()
    result: dict[int, list[AnnotationEvent]] = {w: [] for w in writer_ids}
    for owner_id, created_at, category, resolved in rows:
        result[owner_id].append(AnnotationEvent(_local_day(created_at, tz), category, bool(resolved)))
    return result


# --------------------------------------------------------------------------------------------- critiques

@dataclass(frozen=True)
class CritiqueRow:
    """A nominated draft of the writer in a closed meeting."""

    meeting_id: int
    meeting: str
    held_on: dt.date
    kind: str
    kind_label: str
    title: str
    rank: int | None
    total: int
    peer: float | None
    self_score: float | None

    @property
    def gap(self) -> float | None:
        """Self-score minus corrected peer score (positive: rated oneself higher than the peers did)."""
        if self.peer is None or self.self_score is None or self.self_score != self.self_score:
            return None
        return self.self_score - self.peer


def critique_rows(session: Session, viewer: User, writer: User, day: dt.date) -> tuple[list[CritiqueRow], int]:
    """The writer's nominations in closed meetings the viewer may see (newest first), and how many closed
    meetings were left out because the viewer may not see their results. Ranks and corrected scores are the
    model's point estimates (no bootstrap: the feedback page shows the intervals)."""
    rows: list[CritiqueRow] = []
    hidden = 0
    for meeting, results in writer_meetings(session, writer, n_boot=0):
        if not can.can_see_meeting_scores(session, viewer, writer, meeting, day):
            hidden += 1
            continue
        total = ranked_count(results)
        for result in results.drafts:
            nomination = result.nomination
            if nomination.author_id != writer.id:
                continue
            e = result.estimate
            self_score = result.self_score if result.self_score == result.self_score else None
            rows.append(CritiqueRow(meeting.id, meeting.title, meeting.held_on, nomination.kind,
                                    nomination.kind_enum.label, nomination.title, e.rank if e else None, total,
                                    e.score if e else None, self_score))
    return rows, hidden


# ------------------------------------------------------------------------------------------ writer page

@dataclass(frozen=True)
class WriterReport:
    """Everything the writer page shows."""

    writer: User
    drafts: DraftFigures
    families: list[str]
    granularity: str
    series: list[SeriesPoint]
    coverage: CheckCoverage
    annotation_granularity: str
    annotation_series: list[tuple[dt.date, str, dict[str, int]]]
    annotation_totals: dict[str, int]
    open_annotations: int
    critiques: list[CritiqueRow]
    hidden_meetings: int
    family_totals: dict[str, float | None] = field(default_factory=dict)

    @property
    def mean_gap(self) -> float | None:
        """Mean self-minus-peer gap over the nominations with both scores."""
        gaps = [r.gap for r in self.critiques if r.gap is not None]
        return sum(gaps) / len(gaps) if gaps else None


def writer_report(session: Session, viewer: User, writer: User, day: dt.date,
                  tz: dt.tzinfo | None = None) -> WriterReport:
    """The writer page of ``writer`` as ``viewer`` may see it."""
    drafts = draft_figures(session, [writer.id])[writer.id]
    figures, coverage = version_figures(session, [writer.id], tz)
    versions = figures[writer.id]
    families = families_of(versions)
    granularity, series = version_series(versions, families)
    events = annotations_received(session, [writer.id], tz)[writer.id]
    a_granularity, a_series = count_series([(e.day, e.category) for e in events], CATEGORIES)
    chars = sum(v.chars for v in versions)
    family_totals = {f: (1000.0 * sum(v.by_family.get(f, 0) for v in versions) / chars if chars else None)
                     for f in families}
    rows, hidden = critique_rows(session, viewer, writer, day)
    return WriterReport(writer, drafts, families, granularity, series, coverage[writer.id], a_granularity, a_series,
                        dict(Counter(e.category for e in events)), sum(1 for e in events if not e.resolved),
                        rows, hidden, family_totals)


# ------------------------------------------------------------------------------------------ mentor page

@dataclass(frozen=True)
class JuniorSummary:
    """One junior on the mentor page."""

    junior: User
    drafts: DraftFigures
    coverage: CheckCoverage
    versions: list[VersionFigures]
    open_annotations: int

    @property
    def findings_per_thousand(self) -> float | None:
        """Findings per 1,000 characters over all checked versions."""
        return per_thousand(sum(sum(v.by_family.values()) for v in self.versions), sum(v.chars for v in self.versions))


@dataclass(frozen=True)
class OpenReview:
    """A junior's draft under review: who holds it and since when."""

    draft: Draft
    task: ReviewTask
    waiting_days: int
    mine: bool


@dataclass(frozen=True)
class OpenAnnotation:
    """An annotation of the mentor's that the junior has not resolved yet."""

    annotation: Annotation
    draft: Draft
    age_days: int


@dataclass(frozen=True)
class MentorReport:
    """Everything the mentor page shows."""

    mentor: User
    juniors: list[JuniorSummary]
    granularity: str
    buckets: list[tuple[dt.date, str]]
    #: Per junior id, findings per 1,000 characters (all families) and formulaic density per bucket.
    rates: dict[int, list[float | None]]
    densities: dict[int, list[float | None]]
    reviews: list[OpenReview]
    annotations: list[OpenAnnotation]


def mentor_report(session: Session, mentor: User, day: dt.date, tz: dt.tzinfo | None = None) -> MentorReport:
    """The juniors ``mentor`` guides on ``day`` side by side, their drafts in review and the mentor's open
    annotations on their drafts."""
    juniors = active_juniors(session, mentor, day)
    ids = [j.id for j in juniors]
    drafts = draft_figures(session, ids) if ids else {}
    figures, coverage = version_figures(session, ids, tz) if ids else ({}, {})
    events = annotations_received(session, ids, tz) if ids else {}
    summaries = [JuniorSummary(j, drafts[j.id], coverage[j.id], figures[j.id],
                               sum(1 for e in events[j.id] if not e.resolved)) for j in juniors]
    days = [v.day for j in ids for v in figures[j]]
    granularity = granularity_for(days)
    buckets: list[tuple[dt.date, str]] = []
    rates: dict[int, list[float | None]] = {}
    densities: dict[int, list[float | None]] = {}
    if days:
        starts = bucket_range(min(days), max(days), granularity)
        buckets = [(s, bucket_label(s, granularity)) for s in starts]
        for j in ids:
            found = sorted({f for v in figures[j] for f in v.by_family})
            _, series = version_series(figures[j], found, granularity)
            by_start = {p.start: p for p in series if p.versions}
            rates[j] = [sum(by_start[s].rates.values()) if s in by_start else None for s in starts]
            densities[j] = [by_start[s].formulaic_density if s in by_start else None for s in starts]
    return MentorReport(mentor, summaries, granularity, buckets, rates, densities,
                        open_reviews(session, mentor, ids, day, tz), open_annotations(session, mentor, ids, day, tz))


def open_reviews(session: Session, mentor: User, junior_ids: Sequence[int], day: dt.date,
                 tz: dt.tzinfo | None = None) -> list[OpenReview]:
    """The juniors' drafts now in review (with the mentor or further up), longest waiting first."""
    if not junior_ids:
        return []
    drafts = session.scalars(select(Draft).where(
        Draft.owner_id.in_(junior_ids),
        Draft.state.in_([ReviewState.MENTOR_REVIEW.value, ReviewState.SIGNOFF.value]))).unique().all()
    items = []
    for draft in drafts:
        task = draft.current_task
        if task is None or task.reached_at is None:
            continue
        waited = (day - _local_day(task.reached_at, tz)).days
        items.append(OpenReview(draft, task, max(waited, 0), task.reviewer_id == mentor.id))
    items.sort(key=lambda r: (-r.waiting_days, r.draft.id))
    return items


def open_annotations(session: Session, mentor: User, junior_ids: Sequence[int], day: dt.date,
                     tz: dt.tzinfo | None = None) -> list[OpenAnnotation]:
    """The mentor's unresolved annotations on the juniors' drafts that are not approved yet, oldest first."""
    if not junior_ids:
        return []
    rows = session.execute(select(Annotation, Draft).join(Draft, and_(Draft.id == Annotation.draft_id))
                           .where(Annotation.author_id == mentor.id, Annotation.resolved.is_(False),
                                  Draft.owner_id.in_(junior_ids), Draft.state != ReviewState.APPROVED.value)
                           .order_by(Annotation.created_at, Annotation.id)).all()
    return [OpenAnnotation(a, d, max((day - _local_day(a.created_at, tz)).days, 0)) for a, d in rows]


def writer_json(report: WriterReport) -> dict:
    """The writer page's figures for ``drafter analytics --writer NAME --format json``."""
    d = report.drafts
    return {
        "writer": report.writer.display_name, "username": report.writer.username,
        "drafts": d.drafts, "by_state": d.by_state, "versions": d.versions,
        "versions_per_draft": d.versions_per_draft, "median_versions": d.median_versions,
        "submission_to_approval": {"count": d.approval.count, "median_days": d.approval.median,
                                   "slowest_days": d.approval.slowest},
        "checked_versions": report.coverage.checked, "unchecked_versions": report.coverage.unchecked,
        "findings_per_thousand": report.family_totals,
        "granularity": report.granularity,
        "series": [{"start": p.start.isoformat(), "label": p.label, "versions": p.versions, "chars": p.chars,
                    "findings_per_thousand": p.rates if p.versions else None,
                    "formulaic_density": p.formulaic_density, "concreteness": p.concreteness} for p in report.series],
        "annotations": {"by_category": report.annotation_totals, "open": report.open_annotations,
                        "series": [{"start": start.isoformat(), "label": label, "counts": counts}
                                   for start, label, counts in report.annotation_series]},
        "critiques": [{"meeting": r.meeting, "held_on": r.held_on.isoformat(), "kind": r.kind, "title": r.title,
                       "rank": r.rank, "total": r.total, "peer_score": r.peer, "self_score": r.self_score,
                       "gap": r.gap} for r in report.critiques],
    }
