"""Tables of the office analytics: a compact summary of each checked draft version, and the runs of the
archive analytics job.

- ``version_summaries``: what the checks found in one version (characters, findings by severity,
  formulaic density, concreteness) and ``version_rule_counts``: how many findings of each rule, with one
  example message. Written whenever a version's check report is computed (the analysis panel, or the
  background job that checks versions nobody opened), so the writer, mentor and office pages add up stored
  numbers instead of re-running the checks on every page view.
- ``analytics_runs``: one computation of the archive analytics (topics, trends by year, near-duplicate
  clusters) with its progress (``done`` of ``total`` in ``stage``) and, once finished, its result as JSON.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from drafter.store.models import Base, utcnow
from drafter.store.workflow import DraftVersion

#: The analytics count versions saved in a period (a quarter, a month); this index keeps that a range scan.
Index("ix_draft_versions_created_at", DraftVersion.created_at)


class VersionSummary(Base):
    """The findings of one draft version's check report, in numbers."""

    __tablename__ = "version_summaries"

    version_id: Mapped[int] = mapped_column(ForeignKey("draft_versions.id", ondelete="CASCADE"), primary_key=True,
                                            autoincrement=False)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id", ondelete="CASCADE"), index=True)
    chars: Mapped[int] = mapped_column(Integer)
    findings: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)
    infos: Mapped[int] = mapped_column(Integer, default=0)
    #: Share of characters inside stock phrases (NULL when the formulaic check did not run).
    formulaic_density: Mapped[float | None] = mapped_column(Float)
    #: 0–1, how much checkable content (numbers, dates, bodies, deadlines) the text carries.
    concreteness: Mapped[float | None] = mapped_column(Float)
    #: The checks and rule settings the report was computed with (``draft_checks.checks_signature``).
    signature: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                     server_default=func.now())


class VersionRuleCount(Base):
    """Findings of one rule in one version."""

    __tablename__ = "version_rule_counts"
    __table_args__ = (Index("ix_version_rule_counts_family", "family"),)

    version_id: Mapped[int] = mapped_column(ForeignKey("version_summaries.version_id", ondelete="CASCADE"),
                                            primary_key=True, autoincrement=False)
    rule: Mapped[str] = mapped_column(String(120), primary_key=True)
    #: The part of the rule id before the first dot (structure, norms, formulaic, reuse …).
    family: Mapped[str] = mapped_column(String(32))
    count: Mapped[int] = mapped_column(Integer)
    #: The message of the first such finding, to name the problem in lists.
    example: Mapped[str] = mapped_column(String(200), default="")


class RunStatus(StrEnum):
    """Where an analytics run is."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        """Chinese name of the status."""
        return {"queued": "排队中", "running": "计算中", "done": "已完成", "failed": "失败"}[self.value]


class AnalyticsRun(Base):
    """One computation of the archive analytics, with its progress and result."""

    __tablename__ = "analytics_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="archive")
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.QUEUED.value, index=True)
    #: What the run is doing now (读取文档、分词、主题模型 …) and how far: ``done`` of ``total``.
    stage: Mapped[str] = mapped_column(String(32), default="")
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    #: The archive it was computed from: number of archive documents and the highest document id.
    documents: Mapped[int] = mapped_column(Integer, default=0)
    max_document_id: Mapped[int] = mapped_column(Integer, default=0)
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                      server_default=func.now())
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: Last progress report; a running run whose heartbeat stopped long ago was interrupted.
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    seconds: Mapped[float | None] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)
    #: The figures as JSON (:meth:`drafter.services.archive_analytics.ArchiveAnalytics.to_json`).
    result: Mapped[str | None] = mapped_column(Text)

    @property
    def status_enum(self) -> RunStatus:
        """The status as an enum."""
        return RunStatus(self.status)
