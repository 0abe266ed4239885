"""The analysis panel of a draft version: ``drafter check`` results, cached per version.

A version's report is the JSON object of the CLI contract (DESIGN.md). It is cached on the version with a
signature of the checks and rule settings it was computed with. The shown version is re-checked when
documents were imported into the archive since (reuse and similar material depend on it), and when other
writers saved drafts since and the report is older than ``[checks] recheck_minutes`` (default 10): in a
busy office someone saves every few seconds, and re-running every check on every page view would take the
whole server. The per-version counts that show a writer's progress reuse any report computed with the same
checks. :func:`current_report` answers from the cache only, so a page can show itself at once and fetch
the analysis separately.
Every computed report also leaves its numbers in ``version_summaries``
(:mod:`drafter.services.version_summaries`) for the analytics pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drafter.config import Settings
from drafter.services.check_runner import CheckRunner
from drafter.services.checks import CheckRequest, RuleSettings, checkers, run_checks
from drafter.services.drafts import version_documents
from drafter.services.version_summaries import store_summary
from drafter.store.db import Database
from drafter.store.models import Document, DocumentKind, utcnow
from drafter.store.workflow import Draft, DraftVersion

#: Chinese names of rule families (the part of a rule id before the first dot).
FAMILY_LABELS = {
    "structure": "结构层次",
    "norms": "标点与数字规范",
    "formulaic": "套话空话",
    "typo": "错别字",
    "reuse": "重复与复制",
    "similar": "相似材料",
    "doctype": "文种规范",
    "layout": "版式格式",
    "wording": "用词规范",
}

#: Chinese names of known metrics; others are shown by their key.
METRIC_LABELS = {
    "formulaic_density": "套话密度",
    "copy_ratio": "文字复制比",
    "chars": "字数",
    "sentences": "句数",
    "avg_sentence_chars": "平均句长（字）",
    "max_sentence_chars": "最长句（字）",
    "paragraphs": "段落数",
}


def family_label(family: str) -> str:
    """Chinese name of a rule family."""
    return FAMILY_LABELS.get(family, family)


def checks_signature(settings: Settings) -> str:
    """What a cached report depends on besides the text: the registered checks and the rule settings."""
    names = [getattr(c, "name", type(c).__name__) for c in checkers()]
    payload = json.dumps({"checks": names, "rules": settings.rules}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


#: Minutes a report stands after other drafts were saved (``[checks] recheck_minutes`` in drafter.toml).
DEFAULT_RECHECK_MINUTES = 10.0


def archive_marks(session: Session, draft: Draft) -> dict[str, int]:
    """The newest archive document and the newest document of other drafts: the archive changed when they move."""
    archive = select(func.max(Document.id)).where(Document.kind == DocumentKind.ARCHIVE.value)
    drafts = select(func.max(Document.id)).where(Document.kind != DocumentKind.ARCHIVE.value)
    own = version_documents(draft)
    if own:
        drafts = drafts.where(Document.id.not_in(own))
    return {"archive": session.scalar(archive) or 0, "drafts": session.scalar(drafts) or 0}


def recheck_after(settings: Settings) -> dt.timedelta:
    """How long a report stands after other writers saved drafts."""
    table = settings.extra.get("checks")
    minutes = table.get("recheck_minutes", DEFAULT_RECHECK_MINUTES) if isinstance(table, dict) else None
    try:
        return dt.timedelta(minutes=max(float(minutes if minutes is not None else DEFAULT_RECHECK_MINUTES), 0.0))
    except (TypeError, ValueError):
        return dt.timedelta(minutes=DEFAULT_RECHECK_MINUTES)


def _run(db: Database, draft: Draft, version: DraftVersion, settings: Settings,
         runner: CheckRunner | None) -> dict[str, Any]:
    request = CheckRequest(text=version.text, name=f"{draft.title}（第{version.number}稿）", archive=db,
                           exclude_document_ids=version_documents(draft), draft_id=draft.id,
                           author=draft.owner.display_name, options=settings.extra)
    if runner is not None:
        return runner.run(request, settings.rules)
    report = run_checks(request, RuleSettings.build(settings.rules))
    return report.to_json()


def _cached(version: DraftVersion, signature: str) -> dict[str, Any] | None:
    if version.check_report and version.check_signature == signature:
        return json.loads(version.check_report)
    return None


def _still_current(cached: dict[str, Any], marks: dict[str, int], settings: Settings, now: dt.datetime) -> bool:
    old = cached.get("_marks")
    if not isinstance(old, dict) or old.get("archive") != marks["archive"]:
        return False
    if old.get("drafts") == marks["drafts"]:
        return True
    try:
        checked = dt.datetime.fromisoformat(cached["_checked_at"])
    except (KeyError, TypeError, ValueError):
        return False
    return now - checked < recheck_after(settings)


def current_report(session: Session, draft: Draft, version: DraftVersion, settings: Settings,
                   now: dt.datetime | None = None) -> dict[str, Any] | None:
    """The cached report of the shown version when it is still current, else None (nothing is run)."""
    cached = _cached(version, checks_signature(settings))
    if cached is None or not _still_current(cached, archive_marks(session, draft), settings, now or utcnow()):
        return None
    return cached


def cached_counts(version: DraftVersion, settings: Settings) -> tuple[dict[str, int], dict[str, int]] | None:
    """Counts of the version's cached report (any age), None when it was never checked with these checks."""
    cached = _cached(version, checks_signature(settings))
    return counts(cached) if cached is not None else None


def version_report(session: Session, db: Database, draft: Draft, version: DraftVersion, settings: Settings,
                   fresh: bool = True, now: dt.datetime | None = None,
                   runner: CheckRunner | None = None) -> dict[str, Any]:
    """The check report of ``version`` (cached). ``fresh`` re-checks when the archive changed since.

    The checks run in ``runner``'s helper processes when one is given (the production server), else here.
    Raises :class:`CheckUnavailable` when the runner gave up and :class:`CheckConfigError` for a broken rule file.
    """
    signature = checks_signature(settings)
    now = now or utcnow()
    cached = _cached(version, signature)
    if cached is not None and not fresh:
        return cached
    marks = archive_marks(session, draft)
    if cached is not None and _still_current(cached, marks, settings, now):
        return cached
    report = _run(db, draft, version, settings, runner)
    report["_marks"] = marks
    report["_checked_at"] = now.isoformat()
    version.check_signature = signature
    version.check_report = json.dumps(report, ensure_ascii=False)
    session.flush()
    store_summary(session, version, report, signature)
    return report


@dataclass
class VersionCounts:
    """Findings of one version by severity and by rule family."""

    version: DraftVersion
    by_severity: dict[str, int] = field(default_factory=dict)
    by_family: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """All findings."""
        return sum(self.by_severity.values())


def counts(report: dict[str, Any]) -> tuple[dict[str, int], dict[str, int]]:
    """Findings of a report by severity and by family."""
    severity = {"error": 0, "warning": 0, "info": 0}
    family: dict[str, int] = {}
    for finding in report.get("findings", []):
        severity[finding["severity"]] = severity.get(finding["severity"], 0) + 1
        name = finding["rule"].split(".", 1)[0]
        family[name] = family.get(name, 0) + 1
    return severity, family


def progress(session: Session, db: Database, draft: Draft, settings: Settings,
             cached_only: bool = False, runner: CheckRunner | None = None) -> list[VersionCounts]:
    """Counts for every version, oldest first, so the writer sees progress from version to version.

    ``cached_only`` runs no check: versions never checked yet are left out (the page fills them in later).
    """
    rows = []
    for version in draft.versions:
        if cached_only:
            found = cached_counts(version, settings)
            if found is None:
                continue
            severity, family = found
        else:
            severity, family = counts(version_report(session, db, draft, version, settings, fresh=False,
                                                     runner=runner))
        rows.append(VersionCounts(version, severity, family))
    return rows


@dataclass(frozen=True)
class RuleGroup:
    """Findings of one rule, for the panel."""

    rule: str
    findings: list[tuple[int, dict[str, Any]]]


@dataclass(frozen=True)
class FamilyGroup:
    """Findings of one family, grouped by rule."""

    family: str
    label: str
    rules: list[RuleGroup]

    @property
    def count(self) -> int:
        """Findings in the family."""
        return sum(len(r.findings) for r in self.rules)


def group_findings(report: dict[str, Any]) -> list[FamilyGroup]:
    """Findings grouped by family and rule; each keeps its index in the report (for links to the text)."""
    families: dict[str, dict[str, list[tuple[int, dict[str, Any]]]]] = {}
    for index, finding in enumerate(report.get("findings", [])):
        family = finding["rule"].split(".", 1)[0]
        families.setdefault(family, {}).setdefault(finding["rule"], []).append((index, finding))
    order = list(FAMILY_LABELS)
    groups = [FamilyGroup(family, family_label(family), [RuleGroup(rule, items) for rule, items in sorted(rules.items())])
              for family, rules in families.items()]
    groups.sort(key=lambda g: (order.index(g.family) if g.family in order else len(order), g.family))
    return groups
