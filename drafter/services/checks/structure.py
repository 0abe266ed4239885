"""The structure check: outline and ``structure.*`` findings (see :mod:`drafter.analysis.structure`)."""

from __future__ import annotations

from drafter.analysis.structure import check_structure
from drafter.services.checks import CheckReport, CheckRequest


class StructureChecker:
    """Parses the outline of the text and reports heading, numbering and sequence problems."""

    name = "structure"
    needs_archive = False

    def run(self, request: CheckRequest, report: CheckReport) -> None:
        """Fill ``report.outline`` and add the structure findings."""
        options = request.options.get("structure", {}) if isinstance(request.options, dict) else {}
        result = check_structure(request.text, long_paragraph=_positive_int(options.get("long_paragraph_chars")))
        report.outline = result.outline.to_json()
        report.findings.extend(result.findings)
        report.metrics["headings"] = sum(1 for _ in result.outline.headings())


def _positive_int(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


CHECKER = StructureChecker()
