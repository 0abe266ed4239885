"""The duplication check of ``drafter check``: fills ``report.reuse`` and adds ``reuse.copied-passage`` findings."""

from __future__ import annotations

from drafter.services.checks import CheckReport, CheckRequest


class ReuseChecker:
    """Compares the text with the archive (needs ``--db`` or the default database)."""

    name = "reuse"
    needs_archive = True

    def run(self, request: CheckRequest, report: CheckReport) -> None:
        """Align the text with the archive and report copy ratios, sources and passages."""
        from drafter.services.reuse import ReuseOptions, check_reuse

        assert request.archive is not None
        options = ReuseOptions.from_settings(request.options.get("reuse"))
        with request.archive.session() as session:
            result = check_reuse(session, request.text, request.exclude_document_ids, request.draft_id,
                                 request.author, options)
        report.reuse = result.to_json()
        report.findings.extend(result.findings())
        report.metrics["copy_ratio"] = result.figures.copy_ratio


CHECKER = ReuseChecker()
