"""The norms check: punctuation and numbers after GB/T 15834 and GB/T 15835 (:mod:`drafter.analysis.norms`)."""

from __future__ import annotations

from drafter.analysis.norms import check_norms
from drafter.services.checks import CheckReport, CheckRequest


class NormsChecker:
    """Reports half-width punctuation, unpaired quotes and brackets, doubled marks, stray spaces, digits."""

    name = "norms"
    needs_archive = False

    def run(self, request: CheckRequest, report: CheckReport) -> None:
        """Add the norms findings to ``report``."""
        report.findings.extend(check_norms(request.text))


CHECKER = NormsChecker()
