"""Per-version summaries of the check results, for the analytics pages.

A version's full check report is cached on the version as JSON (:mod:`drafter.services.draft_checks`); the
analytics add up hundreds of versions per page, so each computed report is also kept as a few numbers
(:class:`drafter.store.analytics.VersionSummary`: characters, findings by severity, formulaic density,
concreteness; :class:`VersionRuleCount`: findings per rule). ``draft_checks.version_report`` writes the
summary whenever it computes a report. Versions nobody opened are checked by a background job
(:func:`summarise_pending`, queued after every saved version by the indexer registered here, and run by
``drafter worker``); like the embedding job it works from what is still missing, so it is safe to re-run.

A summary records the checks it was computed with (``signature``) and is not recomputed when the rules
change later: a writer's history shows what the checks of the day found.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from drafter.services import indexing, jobs
from drafter.store.analytics import VersionRuleCount, VersionSummary
from drafter.store.db import Database
from drafter.store.models import Document, DocumentKind
from drafter.store.workflow import DraftVersion

log = logging.getLogger(__name__)

#: Versions checked and committed together by the job.
BATCH = 20
EXAMPLE_CHARS = 200


@dataclass(frozen=True)
class SummaryStatus:
    """Versions with a summary (done) out of all saved versions (total)."""

    done: int
    total: int

    @property
    def pending(self) -> int:
        """Versions still waiting to be checked."""
        return max(self.total - self.done, 0)

    def describe(self) -> str:
        """Chinese one-liner for the CLI and the pages."""
        if self.total == 0:
            return "还没有保存过任何稿次"
        if self.pending == 0:
            return f"全部 {self.total} 个稿次都已检查"
        return f"已检查 {self.done}/{self.total} 个稿次，其余 {self.pending} 个由后台任务补查"


def status(session: Session) -> SummaryStatus:
    """How many saved versions have a summary."""
    total = session.scalar(select(func.count()).select_from(DraftVersion)) or 0
    done = session.scalar(select(func.count()).select_from(VersionSummary)) or 0
    return SummaryStatus(min(done, total), total)


def store_summary(session: Session, version: DraftVersion, report: dict[str, Any], signature: str) -> VersionSummary:
    """Keep the numbers of ``report`` (the CLI contract's JSON) for ``version``, replacing earlier ones."""
    severity = {"error": 0, "warning": 0, "info": 0}
    rules: dict[str, list[Any]] = {}
    for finding in report.get("findings", []):
        severity[finding["severity"]] = severity.get(finding["severity"], 0) + 1
        entry = rules.setdefault(finding["rule"], [0, finding.get("message") or ""])
        entry[0] += 1
    metrics = report.get("metrics") or {}
    summary = session.get(VersionSummary, version.id)
    if summary is None:
        summary = VersionSummary(version_id=version.id, draft_id=version.draft_id)
        session.add(summary)
    else:
        session.execute(delete(VersionRuleCount).where(VersionRuleCount.version_id == version.id))
    summary.chars = int(report.get("chars") or len(version.text))
    summary.findings = sum(severity.values())
    summary.errors, summary.warnings, summary.infos = severity["error"], severity["warning"], severity["info"]
    summary.formulaic_density = _number(metrics.get("formulaic_density"))
    summary.concreteness = _number(metrics.get("concreteness"))
    summary.signature = signature
    session.flush()
    session.add_all(VersionRuleCount(version_id=version.id, rule=rule[:120], family=rule.split(".", 1)[0][:32],
                                     count=count, example=example[:EXAMPLE_CHARS])
                    for rule, (count, example) in sorted(rules.items()))
    session.flush()
    return summary


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # NaN is no figure


def pending_versions(session: Session, after: int, limit: int) -> list[int]:
    """Ids of versions without a summary, above ``after``, oldest first."""
    summarised = select(VersionSummary.version_id)
    return list(session.scalars(select(DraftVersion.id).where(DraftVersion.id > after,
                                                              DraftVersion.id.not_in(summarised))
                                .order_by(DraftVersion.id).limit(limit)))


def summarise_pending(db: Database, settings, progress: Callable[[SummaryStatus], None] | None = None,  # type: ignore[no-untyped-def]
                      limit: int | None = None) -> int:
    """Check every version without a summary (a cached report with the current checks is reused rather than
    re-run) and store its summary; returns how many were summarised. A version whose check fails is logged
    and left for the next run."""
    from drafter.services.draft_checks import checks_signature, version_report

    signature = checks_signature(settings)
    done, last = 0, 0
    while limit is None or done < limit:
        with db.session() as session:
            ids = pending_versions(session, last, BATCH if limit is None else min(BATCH, limit - done))
        if not ids:
            break
        for version_id in ids:
            last = version_id
            try:
                with db.session() as session:
                    version = session.get(DraftVersion, version_id)
                    if version is None or session.get(VersionSummary, version_id) is not None:
                        continue
                    report = version_report(session, db, version.draft, version, settings, fresh=False)
                    if session.get(VersionSummary, version_id) is None:  # the report came from the cache
                        store_summary(session, version, report, version.check_signature or signature)
                done += 1
            except Exception:  # one broken version must not stop the others
                log.exception("could not check draft version %s", version_id)
        if progress:
            with db.session() as session:
                progress(status(session))
    return done


#: Seconds between a save and the summary job it asks for. A new version is usually opened right away and
#: checked for its page; the job then only stores the cached report's numbers instead of checking the same
#: version a second time while the office is busy (the load test showed the duplicate checks starving the
#: page's own).
SUMMARY_DELAY = 600


def _queue_after_save(session: Session, document: Document) -> None:
    """A saved draft version: schedule the summary job for :data:`SUMMARY_DELAY` seconds after the commit."""
    if document.kind == DocumentKind.DRAFT.value:
        jobs.request_after_commit(session, jobs.SUMMARY_TASK, delay=SUMMARY_DELAY)


indexing.register("version-summaries", _queue_after_save)
