"""``similar``: prior paragraphs of the archive close to each paragraph of the text (DESIGN.md ``similar``).

Never the text's own draft or its earlier versions: the request's ``draft_id`` and
``exclude_document_ids`` are left out. Options (``[similar]`` in drafter.toml): ``per_paragraph`` (3) and
``semantic`` (true; false keeps to the keyword index and never loads the embedding model).
"""

from __future__ import annotations

from drafter.services.checks import CheckReport, CheckRequest
from drafter.store.keyword_index import DocFilter

#: Prior paragraphs listed per paragraph of the text.
PER_PARAGRAPH = 3


class SimilarChecker:
    """Fills ``report.similar`` and ``report.metrics["similar_semantic"]``."""

    name = "similar"
    needs_archive = True

    def run(self, request: CheckRequest, report: CheckReport) -> None:
        """Look up similar material for every paragraph of ``request.text``."""
        from drafter.config import load_settings
        from drafter.services.search import engine_for

        assert request.archive is not None
        settings = load_settings()
        engine = engine_for(request.archive, settings.instance_path, settings.model_dir)
        where = DocFilter(exclude_ids=frozenset(request.exclude_document_ids),
                          exclude_draft_ids=frozenset({request.draft_id} if request.draft_id is not None else ()))
        options = request.options.get("similar") if isinstance(request.options.get("similar"), dict) else {}
        per_paragraph = int(options.get("per_paragraph", PER_PARAGRAPH))
        items, semantic = engine.similar(request.text, per_paragraph=per_paragraph, where=where,
                                         semantic=bool(options.get("semantic", True)))
        report.similar = [item.to_json() for item in items]
        report.metrics["similar_semantic"] = semantic.state


CHECKER = SimilarChecker()
