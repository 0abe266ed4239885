"""The analysis panel of a draft version: ``drafter check`` results, cached per version.

A version's report is the JSON object of the CLI contract (DESIGN.md). It is cached on the version with a
signature of the checks and rule settings it was computed with; the shown version is re-checked when the
archive has changed since (reuse and similar material depend on it), while the per-version counts that show
a writer's progress reuse any report computed with the same checks. Every computed report also leaves its
numbers in ``version_summaries`` (:mod:`drafter.services.version_summaries`) for the analytics pages.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drafter.config import Settings
from drafter.services.checks import CheckRequest, RuleSettings, checkers, run_checks
from drafter.services.drafts import version_documents
from drafter.services.version_summaries import store_summary
from drafter.store.db import Database
from drafter.store.models import Document
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


def archive_mark(session: Session, draft: Draft) -> int:
    """The newest document id outside this draft: the archive (and other drafts) changed when it moves."""
    own = version_documents(draft)
    stmt = select(func.max(Document.id))
    if own:
        stmt = stmt.where(Document.id.not_in(own))
    return session.scalar(stmt) or 0


def _run(db: Database, draft: Draft, version: DraftVersion, settings: Settings) -> dict[str, Any]:
    request = CheckRequest(text=version.text, name=f"{draft.title}（第{version.number}稿）", archive=db,
                           exclude_document_ids=version_documents(draft), draft_id=draft.id,
                           author=draft.owner.display_name, options=settings.extra)
    report = run_checks(request, RuleSettings.build(settings.rules))
    return report.to_json()


def version_report(session: Session, db: Database, draft: Draft, version: DraftVersion, settings: Settings,
                   fresh: bool = True) -> dict[str, Any]:
    """The check report of ``version`` (cached). ``fresh`` re-checks when the archive changed since."""
    signature = checks_signature(settings)
    mark = archive_mark(session, draft) if fresh else None
    if version.check_report and version.check_signature == signature:
        cached = json.loads(version.check_report)
        if not fresh or cached.get("_archive_mark") == mark:
            return cached
    report = _run(db, draft, version, settings)
    report["_archive_mark"] = mark if mark is not None else archive_mark(session, draft)
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


def progress(session: Session, db: Database, draft: Draft, settings: Settings) -> list[VersionCounts]:
    """Counts for every version, oldest first, so the writer sees progress from version to version."""
    rows = []
    for version in draft.versions:
        severity, family = counts(version_report(session, db, draft, version, settings, fresh=False))
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
