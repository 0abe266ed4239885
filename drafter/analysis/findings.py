"""The one shape every check returns (see DESIGN.md, "Findings")."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How serious a finding is; ``error`` makes ``drafter check`` exit with status 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """Chinese label shown to users."""
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True)
class Finding:
    """A problem found in ``text[start:end]`` by the rule ``rule`` (a stable dotted id)."""

    rule: str
    severity: Severity
    start: int
    end: int
    message: str
    suggestion: str | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.severity, Severity):
            object.__setattr__(self, "severity", Severity(self.severity))
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end}) for {self.rule}")
        if "." not in self.rule:
            raise ValueError(f"rule id must be dotted: {self.rule!r}")

    @property
    def family(self) -> str:
        """The rule family, e.g. ``structure`` for ``structure.numbering-gap``."""
        return self.rule.split(".", 1)[0]

    def to_dict(self, text: str) -> dict[str, Any]:
        """The JSON form of the CLI contract; ``excerpt`` is ``text[start:end]``."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "start": self.start,
            "end": self.end,
            "excerpt": text[self.start:self.end],
            "message": self.message,
            "suggestion": self.suggestion,
        }

    def with_severity(self, severity: Severity | str) -> Finding:
        """A copy re-levelled to ``severity`` (used by project rule settings)."""
        return Finding(self.rule, Severity(severity), self.start, self.end, self.message, self.suggestion, self.data)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in reading order, then by rule id, so output is stable."""
    return sorted(findings, key=lambda f: (f.start, f.end, f.rule))
