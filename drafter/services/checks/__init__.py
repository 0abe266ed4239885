"""``drafter check``: the registry of checks and the report they fill (DESIGN.md, "drafter check").

A check is an object with a ``name``, a ``needs_archive`` flag and ``run(request, report)``; it adds
findings, outline nodes, metrics, a reuse report or similar material to the report. Built-in checks are
listed in :data:`CHECK_MODULES` (each module defines ``CHECKER``) and are loaded exactly like a plug-in
would be, so adding a check never touches the CLI or the web app.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from drafter.analysis.findings import Finding, Severity, sort_findings
from drafter.store.db import Database

#: Modules that define ``CHECKER``, run in this order.
CHECK_MODULES: list[str] = [
    "drafter.services.checks.structure",
    "drafter.services.checks.norms",
    "drafter.services.checks.formulaic",
    "drafter.services.checks.typos",
    "drafter.services.checks.reuse",
    "drafter.services.checks.similar",
]

OFF = "off"


class CheckConfigError(Exception):
    """A check cannot run because its configuration (a rule file, a setting) is broken; Chinese message."""


class Checker(Protocol):
    """What a check provides."""

    name: str
    #: Whether the check reads the archive (skipped when no database is available).
    needs_archive: bool

    def run(self, request: CheckRequest, report: CheckReport) -> None:
        """Add this check's results to ``report``."""


@dataclass
class CheckRequest:
    """A text to check and the context the archive-backed checks need."""

    text: str
    name: str = "-"
    archive: Database | None = None
    #: Documents never to compare with (the draft's own versions).
    exclude_document_ids: set[int] = field(default_factory=set)
    #: The draft whose versions are excluded, when checking a draft of the web app.
    draft_id: int | None = None
    #: Author of the text, for "own earlier work excluded" figures.
    author: str | None = None
    #: Settings of the instance (drafter.toml tables), for checks that take options.
    options: dict[str, Any] = field(default_factory=dict)


def empty_reuse() -> dict[str, Any]:
    """The reuse section when no archive was compared."""
    return {"copy_ratio": 0.0, "sources": [], "passages": []}


@dataclass
class CheckReport:
    """Everything ``drafter check`` reports for one text."""

    file: str
    text: str
    outline: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)
    reuse: dict[str, Any] = field(default_factory=empty_reuse)
    similar: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        """Whether any finding is an error (exit status 1)."""
        return any(f.severity is Severity.ERROR for f in self.findings)

    def counts(self) -> dict[str, int]:
        """Number of findings per severity."""
        counts = {s.value: 0 for s in Severity}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        """The JSON object of the CLI contract."""
        return {
            "file": self.file,
            "chars": len(self.text),
            "outline": self.outline,
            "findings": [f.to_dict(self.text) for f in self.findings],
            "metrics": self.metrics,
            "reuse": self.reuse,
            "similar": self.similar,
        }


@dataclass(frozen=True)
class RuleSettings:
    """Per-rule settings: ``"off"`` or a severity, by rule id or by family (``structure`` / ``structure.*``)."""

    settings: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, configured: dict[str, str] | None = None, disabled: Iterable[str] = ()) -> RuleSettings:
        """Settings from a config file's ``[rules]`` table plus ``--disable`` ids."""
        merged = {k.strip(): v.strip().lower() for k, v in (configured or {}).items()}
        for rule in disabled:
            if rule.strip():
                merged[rule.strip()] = OFF
        for key, value in merged.items():
            if value != OFF and value not in {s.value for s in Severity}:
                raise ValueError(f"规则“{key}”的设置“{value}”无效，应为 off、error、warning 或 info")
        return cls(merged)

    def lookup(self, rule: str) -> str | None:
        """The setting that applies to ``rule``: its own, else the longest dotted prefix's, else its family's.

        ``formulaic.stock-phrase.gaodu-zhongshi`` is switched off by its own id, by
        ``formulaic.stock-phrase`` (every lexicon entry) or by ``formulaic``.
        """
        parts = rule.split(".")
        for size in range(len(parts), 1, -1):
            prefix = ".".join(parts[:size])
            if prefix in self.settings:
                return self.settings[prefix]
        family = parts[0]
        return self.settings.get(family + ".*", self.settings.get(family))

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """Drop findings of rules switched off; re-level the others as configured."""
        result = []
        for finding in findings:
            # A finding may name a finer id of its rule (a lexicon entry: formulaic.stock-phrase.<entry>).
            setting = self.lookup(finding.data.get("entry") or finding.rule)
            if setting == OFF:
                continue
            result.append(finding.with_severity(setting) if setting else finding)
        return result


_checkers: list[Checker] | None = None


def checkers() -> list[Checker]:
    """The registered checks, loaded once."""
    global _checkers
    if _checkers is None:
        _checkers = [importlib.import_module(module).CHECKER for module in CHECK_MODULES]
    return _checkers


def run_checks(request: CheckRequest, rules: RuleSettings | None = None) -> CheckReport:
    """Run every registered check on ``request.text`` and apply the rule settings."""
    report = CheckReport(file=request.name, text=request.text)
    for checker in checkers():
        if checker.needs_archive and request.archive is None:
            continue
        checker.run(request, report)
    report.findings = sort_findings((rules or RuleSettings()).apply(report.findings))
    return report
