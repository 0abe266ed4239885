"""The office dashboard (administrators): review cycle times, queues, the most frequent problems this
quarter against the last, exemplars, and the error register (错误文稿登记) for the year-end assessment.

Every figure comes from stored records: review tasks (who held a draft from when to when, with what
verdict), annotations, the version summaries of the check results, critique nominations marked 精品佳作 and
archive documents flagged as exemplars. The error register lists every draft that reached a sign-off level
(科长, 办公室主任 …) and was returned there, with the writer, the level, the reviewer's comment and the
categories of the reviewer's annotations on the returned version; it exports to .xlsx and .csv.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from drafter.analysis.office_metrics import Durations, Quarter, change, days_between, durations, per_thousand
from drafter.services.audit import as_utc
from drafter.services.drafts import today_local
from drafter.store.analytics import VersionRuleCount, VersionSummary
from drafter.store.critique import Meeting, Nomination
from drafter.store.models import Document, DocumentKind, User
from drafter.store.workflow import (
    Annotation,
    AnnotationCategory,
    AuditEntry,
    Draft,
    DraftVersion,
    Pair,
    ReviewState,
    ReviewTask,
    TaskStage,
    Verdict,
)

TOP_RULES = 10


def _bounds(start: dt.date, end: dt.date, tz: dt.tzinfo | None) -> tuple[dt.datetime, dt.datetime]:
    """UTC instants of local midnight on ``start`` and ``end`` (stored times are UTC)."""
    zone = tz or dt.UTC
    return (dt.datetime.combine(start, dt.time(), zone).astimezone(dt.UTC),
            dt.datetime.combine(end, dt.time(), zone).astimezone(dt.UTC))


# ------------------------------------------------------------------------------------------- cycle times

@dataclass(frozen=True)
class LayerTimes:
    """How long one review layer (指导老师, 科长 …) held drafts before deciding."""

    title: str
    times: Durations
    returns: int
    slowest_draft: Draft | None
    slowest_reviewer: User | None


@dataclass(frozen=True)
class CycleTimes:
    """Review times of a period: per layer, and from the first submission to approval."""

    layers: list[LayerTimes]
    overall: Durations
    approval: Durations
    slowest_approval: Draft | None


def cycle_times(session: Session, start: dt.date, end: dt.date, tz: dt.tzinfo | None = None) -> CycleTimes:
    """Decisions taken in ``[start, end)``: days each layer held the draft; drafts approved in the period:
    days from their first submission."""
    low, high = _bounds(start, end, tz)
    tasks = session.execute(select(ReviewTask.title, ReviewTask.reached_at, ReviewTask.decided_at, ReviewTask.verdict,
                                   ReviewTask.draft_id, ReviewTask.reviewer_id).where(
        ReviewTask.verdict.in_([Verdict.PASS.value, Verdict.RETURN.value]), ReviewTask.reached_at.is_not(None),
        ReviewTask.decided_at >= low, ReviewTask.decided_at < high)).all()
    by_layer: dict[str, list[tuple[float, str, int, int]]] = {}
    for title, reached_at, decided_at, verdict, draft_id, reviewer_id in tasks:
        by_layer.setdefault(title, []).append(
            (days_between(as_utc(reached_at), as_utc(decided_at)), verdict, draft_id, reviewer_id))
    layers = []
    for title, items in by_layer.items():
        slowest = max(items, key=lambda item: item[0])
        layers.append(LayerTimes(title, durations(d for d, _, _, _ in items),
                                 sum(1 for _, verdict, _, _ in items if verdict == Verdict.RETURN.value),
                                 session.get(Draft, slowest[2]), session.get(User, slowest[3])))
    order = {"指导老师": 0}
    layers.sort(key=lambda layer: (order.get(layer.title, 1), -layer.times.count, layer.title))
    overall = durations(d for items in by_layer.values() for d, _, _, _ in items)
    approved = session.execute(
        select(Draft, func.max(ReviewTask.decided_at)).join(ReviewTask, ReviewTask.draft_id == Draft.id)
        .where(Draft.state == ReviewState.APPROVED.value, ReviewTask.verdict == Verdict.PASS.value)
        .group_by(Draft.id).having(and_(func.max(ReviewTask.decided_at) >= low,
                                        func.max(ReviewTask.decided_at) < high))).all()
    firsts = dict(session.execute(select(ReviewTask.draft_id, func.min(ReviewTask.reached_at))
                                  .where(ReviewTask.draft_id.in_([d.id for d, _ in approved] or [0]),
                                         ReviewTask.round == 1)
                                  .group_by(ReviewTask.draft_id)).all())
    spans = [(days_between(as_utc(firsts[d.id]), as_utc(at)), d) for d, at in approved if firsts.get(d.id)]
    slowest_approval = max(spans, key=lambda pair: pair[0])[1] if spans else None
    return CycleTimes(layers, overall, durations(s for s, _ in spans), slowest_approval)


# -------------------------------------------------------------------------------------------------- queues

@dataclass(frozen=True)
class QueueLoad:
    """What waits for one reviewer now."""

    reviewer: User
    waiting: int
    oldest_days: int
    overdue: int


def queue_loads(session: Session, day: dt.date, tz: dt.tzinfo | None = None) -> list[QueueLoad]:
    """Every reviewer holding drafts now: how many, the longest wait, how many past their due date."""
    rows = session.execute(
        select(ReviewTask, Draft).join(Draft, Draft.id == ReviewTask.draft_id)
        .where(ReviewTask.verdict.is_(None), ReviewTask.reached_at.is_not(None), ReviewTask.round == Draft.round,
               Draft.state.in_([ReviewState.MENTOR_REVIEW.value, ReviewState.SIGNOFF.value]))).all()
    loads: dict[int, list] = {}
    for task, draft in rows:
        waited = max((day - today_local(as_utc(task.reached_at), tz)).days, 0)
        overdue = draft.due_date is not None and draft.due_date < day
        entry = loads.setdefault(task.reviewer_id, [task.reviewer, 0, 0, 0])
        entry[1] += 1
        entry[2] = max(entry[2], waited)
        entry[3] += int(overdue)
    result = [QueueLoad(*entry) for entry in loads.values()]
    result.sort(key=lambda q: (-q.waiting, -q.oldest_days, q.reviewer.display_name))
    return result


# ------------------------------------------------------------------------------------------------ problems

@dataclass(frozen=True)
class ProblemCount:
    """A problem in two periods: drafts affected and occurrences (check rules), or annotations (categories)."""

    key: str
    label: str
    example: str
    now: int
    before: int
    now_occurrences: int = 0
    before_occurrences: int = 0

    @property
    def change(self) -> float | None:
        """Relative change from the earlier period."""
        return change(self.now, self.before)


@dataclass(frozen=True)
class PeriodTotals:
    """Activity of one period."""

    created: int
    submissions: int
    returns: int
    approvals: int
    versions_checked: int
    chars_checked: int
    findings_per_thousand: float | None


def period_totals(session: Session, start: dt.date, end: dt.date, tz: dt.tzinfo | None = None) -> PeriodTotals:
    """Drafts created, submissions, returns and approvals, and the check results of the versions saved."""
    low, high = _bounds(start, end, tz)

    def actions(name: str) -> int:
        return session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == name, AuditEntry.at >= low, AuditEntry.at < high)) or 0

    row = session.execute(
        select(func.count(VersionSummary.version_id), func.coalesce(func.sum(VersionSummary.chars), 0),
               func.coalesce(func.sum(VersionSummary.findings), 0))
        .join(DraftVersion, DraftVersion.id == VersionSummary.version_id)
        .where(DraftVersion.created_at >= low, DraftVersion.created_at < high)).one()
    return PeriodTotals(actions("create"), actions("submit"), actions("return"), actions("approve"), int(row[0]),
                        int(row[1]), per_thousand(int(row[2]), int(row[1])))


def rule_problems(session: Session, quarter: Quarter, tz: dt.tzinfo | None = None,
                  limit: int = TOP_RULES) -> list[ProblemCount]:
    """The check rules that hit the most drafts in ``quarter`` (versions saved in it), with the quarter before."""
    def counts(q: Quarter) -> dict[str, tuple[int, int, str, str]]:
        low, high = _bounds(q.start, q.end, tz)
        rows = session.execute(
            select(VersionRuleCount.rule, VersionRuleCount.family, func.count(func.distinct(DraftVersion.draft_id)),
                   func.sum(VersionRuleCount.count), func.max(VersionRuleCount.example))
            .join(DraftVersion, DraftVersion.id == VersionRuleCount.version_id)
            .where(DraftVersion.created_at >= low, DraftVersion.created_at < high)
            .group_by(VersionRuleCount.rule, VersionRuleCount.family)).all()
        return {rule: (int(drafts), int(total), family, example or "") for rule, family, drafts, total, example in rows}

    from drafter.services.draft_checks import family_label

    now, before = counts(quarter), counts(quarter.previous())
    top = sorted(now, key=lambda r: (-now[r][0], -now[r][1], r))[:limit]
    return [ProblemCount(rule, family_label(now[rule][2]), now[rule][3], now[rule][0], before.get(rule, (0, 0))[0],
                         now[rule][1], before.get(rule, (0, 0))[1]) for rule in top]


def annotation_problems(session: Session, quarter: Quarter, tz: dt.tzinfo | None = None) -> list[ProblemCount]:
    """Reviewers' annotations by category in ``quarter`` and the quarter before (most frequent first)."""
    def counts(q: Quarter) -> Counter[str]:
        low, high = _bounds(q.start, q.end, tz)
        return Counter(dict(session.execute(
            select(Annotation.category, func.count()).join(Draft, Draft.id == Annotation.draft_id)
            .where(Annotation.created_at >= low, Annotation.created_at < high, Annotation.author_id != Draft.owner_id)
            .group_by(Annotation.category)).all()))

    now, before = counts(quarter), counts(quarter.previous())
    rows = [ProblemCount(c.value, c.label, "", now.get(c.value, 0), before.get(c.value, 0)) for c in AnnotationCategory]
    rows.sort(key=lambda p: (-p.now, -p.before, p.key))
    return rows


# ----------------------------------------------------------------------------------------------- exemplars

@dataclass(frozen=True)
class Exemplar:
    """A draft marked 精品佳作 at a critique meeting, or an archive document flagged as an exemplar."""

    title: str
    writer: str
    source: str
    day: dt.date | None
    document_id: int | None


def exemplars(session: Session, year: int) -> list[Exemplar]:
    """The year's exemplars: drafts marked at meetings held in ``year``, then archive exemplars of ``year``."""
    marked = session.execute(
        select(Nomination, Meeting).join(Meeting, Meeting.id == Nomination.meeting_id)
        .where(Nomination.exemplar.is_(True), Meeting.held_on >= dt.date(year, 1, 1),
               Meeting.held_on < dt.date(year + 1, 1, 1))
        .order_by(Meeting.held_on.desc(), Nomination.id)).all()
    result = [Exemplar(n.title, n.author.display_name, f"交流会：{m.title}", m.held_on, n.exemplar_document_id)
              for n, m in marked]
    linked = {e.document_id for e in result if e.document_id}
    documents = session.scalars(select(Document).where(
        Document.kind == DocumentKind.ARCHIVE.value, Document.is_exemplar.is_(True), Document.year == year)
        .order_by(Document.date.desc(), Document.id.desc())).all()
    result += [Exemplar(d.title, d.author or "", "档案库", d.date, d.id) for d in documents if d.id not in linked]
    return result


# ------------------------------------------------------------------------------------------ error register

@dataclass(frozen=True)
class ErrorEntry:
    """One return at a sign-off level: a line of the error register (错误文稿登记)."""

    returned_at: dt.datetime
    draft_id: int
    title: str
    doc_type: str
    writer: str
    unit: str
    mentor: str
    level: str
    reviewer: str
    round: int
    version: int
    categories: dict[str, int]
    comment: str

    @property
    def category_text(self) -> str:
        """``数据2、观点1`` (the reviewer's annotations on the returned version), or ``未加批注``."""
        if not self.categories:
            return "未加批注"
        return "、".join(f"{AnnotationCategory(c).label}{n}" for c, n in self.categories.items())


REGISTER_COLUMNS = ("退回日期", "文稿标题", "文种", "撰稿人", "处室", "指导老师", "退回环节", "审阅人", "提交轮次",
                    "稿次", "问题类别（批注数）", "退回意见")


def error_register(session: Session, year: int, tz: dt.tzinfo | None = None) -> list[ErrorEntry]:
    """Every return at a sign-off level in ``year`` (office time), oldest first."""
    low, high = _bounds(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), tz)
    owner, reviewer, mentor = aliased(User), aliased(User), aliased(User)
    rows = session.execute(
        select(ReviewTask.decided_at, ReviewTask.draft_id, Draft.title, Draft.doc_type, owner.display_name, owner.unit,
               mentor.display_name, ReviewTask.title, reviewer.display_name, ReviewTask.round, DraftVersion.number,
               ReviewTask.comment, ReviewTask.version_id, ReviewTask.reviewer_id)
        .join(Draft, Draft.id == ReviewTask.draft_id)
        .join(owner, owner.id == Draft.owner_id)
        .join(reviewer, reviewer.id == ReviewTask.reviewer_id)
        .join(DraftVersion, DraftVersion.id == ReviewTask.version_id)
        .outerjoin(Pair, Pair.id == Draft.pair_id)
        .outerjoin(mentor, mentor.id == Pair.mentor_id)
        .where(ReviewTask.stage == TaskStage.SIGNOFF.value, ReviewTask.verdict == Verdict.RETURN.value,
               ReviewTask.decided_at >= low, ReviewTask.decided_at < high)
        .order_by(ReviewTask.decided_at, ReviewTask.id)).all()
    if not rows:
        return []
    notes = session.execute(
        select(Annotation.version_id, Annotation.author_id, Annotation.category, func.count())
        .where(Annotation.version_id.in_({row[12] for row in rows}))
        .group_by(Annotation.version_id, Annotation.author_id, Annotation.category)).all()
    by_task: dict[tuple[int, int], dict[str, int]] = {}
    for version_id, author_id, category, count in notes:
        by_task.setdefault((version_id, author_id), {})[category] = int(count)
    order = [c.value for c in AnnotationCategory]
    entries = []
    for (decided_at, draft_id, title, doc_type, writer, unit, mentor_name, level, reviewer_name, round_, number,
         comment, version_id, reviewer_id) in rows:
        found = by_task.get((version_id, reviewer_id), {})
        entries.append(ErrorEntry(as_utc(decided_at), draft_id, title, doc_type or "", writer, unit or "",
                                  mentor_name or "", level, reviewer_name, round_, number,
                                  {c: found[c] for c in order if c in found}, comment or ""))
    return entries


def register_rows(entries: list[ErrorEntry], tz: dt.tzinfo | None = None) -> list[list[str | int]]:
    """The register as table rows (:data:`REGISTER_COLUMNS`), dates in office time."""
    return [[e.returned_at.astimezone(tz or dt.UTC).strftime("%Y-%m-%d"), e.title, e.doc_type, e.writer, e.unit,
             e.mentor, e.level, e.reviewer, e.round, e.version, e.category_text, e.comment] for e in entries]


def register_csv(entries: list[ErrorEntry], tz: dt.tzinfo | None = None) -> bytes:
    """The register as CSV, UTF-8 with a byte-order mark (so Excel opens the Chinese correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REGISTER_COLUMNS)
    writer.writerows(register_rows(entries, tz))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def register_xlsx(entries: list[ErrorEntry], year: int, tz: dt.tzinfo | None = None) -> bytes:
    """The register as an Excel workbook: a title row, bold frozen headers, filters, sensible widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = f"{year}年错误文稿登记"
    sheet.append([f"{year}年错误文稿登记（签批环节退回的文稿）"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(REGISTER_COLUMNS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
    for row in register_rows(entries, tz):
        sheet.append(row)
    widths = (12, 36, 10, 10, 18, 10, 12, 10, 9, 7, 22, 50)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = width
    for row in sheet.iter_rows(min_row=3):
        row[-1].alignment = Alignment(wrap_text=True, vertical="top")
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A3"
    if entries:
        sheet.auto_filter.ref = f"A2:{sheet.cell(row=2, column=len(REGISTER_COLUMNS)).column_letter}{len(entries) + 2}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ----------------------------------------------------------------------------------------------- dashboard

@dataclass(frozen=True)
class Dashboard:
    """Everything the office dashboard shows for one quarter."""

    quarter: Quarter
    totals: PeriodTotals
    previous_totals: PeriodTotals
    cycle: CycleTimes
    previous_cycle: CycleTimes
    queues: list[QueueLoad]
    rules: list[ProblemCount]
    categories: list[ProblemCount]
    exemplars: list[Exemplar]
    register: list[ErrorEntry]
    register_year: int


def dashboard(session: Session, quarter: Quarter, day: dt.date, tz: dt.tzinfo | None = None,
              year: int | None = None) -> Dashboard:
    """The office dashboard for ``quarter`` (compared with the quarter before) on ``day``; the exemplars and
    the error register of ``year`` (default: the quarter's year)."""
    year = year or quarter.year
    previous = quarter.previous()
    return Dashboard(quarter, period_totals(session, quarter.start, quarter.end, tz),
                     period_totals(session, previous.start, previous.end, tz),
                     cycle_times(session, quarter.start, quarter.end, tz),
                     cycle_times(session, previous.start, previous.end, tz),
                     queue_loads(session, day, tz), rule_problems(session, quarter, tz),
                     annotation_problems(session, quarter, tz), exemplars(session, year),
                     error_register(session, year, tz), year)


# ---------------------------------------------------------------------------------------------- as JSON

def _durations_json(d: Durations) -> dict[str, float | int | None]:
    return {"count": d.count, "median_days": _round(d.median), "slowest_days": _round(d.slowest)}


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _cycle_json(c: CycleTimes) -> dict:
    return {"layers": [{"title": layer.title, **_durations_json(layer.times), "returns": layer.returns,
                        "slowest_draft_id": layer.slowest_draft.id if layer.slowest_draft else None}
                       for layer in c.layers],
            "all_layers": _durations_json(c.overall),
            "submission_to_approval": _durations_json(c.approval)}


def _totals_json(t: PeriodTotals) -> dict:
    return {"drafts_created": t.created, "submissions": t.submissions, "returns": t.returns,
            "approvals": t.approvals, "versions_checked": t.versions_checked, "chars_checked": t.chars_checked,
            "findings_per_thousand": _round(t.findings_per_thousand)}


def entry_json(e: ErrorEntry, tz: dt.tzinfo | None = None) -> dict:
    """One line of the error register as JSON."""
    return {"returned_on": e.returned_at.astimezone(tz or dt.UTC).date().isoformat(), "draft_id": e.draft_id,
            "title": e.title, "doc_type": e.doc_type, "writer": e.writer, "unit": e.unit, "mentor": e.mentor,
            "level": e.level, "reviewer": e.reviewer, "round": e.round, "version": e.version,
            "categories": {AnnotationCategory(c).label: n for c, n in e.categories.items()}, "comment": e.comment}


def dashboard_json(board: Dashboard, tz: dt.tzinfo | None = None) -> dict:
    """The dashboard's figures for ``drafter analytics --format json``."""
    def problem(p: ProblemCount) -> dict:
        return {"key": p.key, "label": p.label, "example": p.example, "this_quarter": p.now, "last_quarter": p.before,
                "occurrences_this_quarter": p.now_occurrences, "occurrences_last_quarter": p.before_occurrences}

    return {
        "quarter": board.quarter.key, "previous_quarter": board.quarter.previous().key,
        "totals": _totals_json(board.totals), "previous_totals": _totals_json(board.previous_totals),
        "cycle_times": _cycle_json(board.cycle), "previous_cycle_times": _cycle_json(board.previous_cycle),
        "queues": [{"reviewer": q.reviewer.display_name, "waiting": q.waiting, "oldest_days": q.oldest_days,
                    "overdue": q.overdue} for q in board.queues],
        "check_problems": [problem(p) for p in board.rules],
        "annotation_categories": [problem(p) for p in board.categories],
        "exemplars": [{"title": e.title, "writer": e.writer, "source": e.source,
                       "date": e.day.isoformat() if e.day else None, "document_id": e.document_id}
                      for e in board.exemplars],
        "error_register": {"year": board.register_year, "entries": [entry_json(e, tz) for e in board.register]},
    }
