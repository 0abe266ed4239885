"""The formulaic-phrasing check (套话、空话): lexicon, the office's own stock phrases, sentence scores.

Settings (``[formulaic]`` in drafter.toml): ``rules_dir`` — folder of the office's lexicon files (default
``corpora/rules`` beside the package); files named ``*.example.yaml`` or starting with ``_`` are skipped.
The office's stock phrases are read from the archive when one is given (they are computed by
``drafter phrases`` and after imports, never during a check).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from drafter.analysis.formulaic import FormulaicAnalyzer
from drafter.analysis.lexicon import Lexicon, LexiconError, load_lexicon
from drafter.services.checks import CheckConfigError, CheckReport, CheckRequest

#: ``corpora/rules`` beside the package (a source checkout); drafter.toml ``[formulaic] rules_dir`` overrides.
DEFAULT_RULES_DIR = Path(__file__).resolve().parents[3] / "corpora" / "rules"

_lock = threading.Lock()
_lexicons: dict[tuple, Lexicon] = {}
_analyzers: dict[tuple, tuple[Lexicon, FormulaicAnalyzer]] = {}


def rule_files(folder: Path) -> list[Path]:
    """The lexicon files of ``folder`` in name order (examples and ``_drafts`` skipped)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir()
                  if p.suffix in (".yaml", ".yml") and p.is_file() and not p.name.startswith(("_", "."))
                  and ".example." not in p.name)


def office_lexicon(folder: Path) -> Lexicon:
    """The built-in lexicon with the office's files of ``folder``; cached until a file changes."""
    files = rule_files(folder)
    key = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    with _lock:
        if key in _lexicons:
            return _lexicons[key]
    try:
        lexicon = load_lexicon([(p.name, p.read_text(encoding="utf-8")) for p in files])
    except (LexiconError, UnicodeDecodeError, OSError) as exc:
        raise CheckConfigError(f"套话规则文件有误（{folder}）：{exc}") from exc
    with _lock:
        _lexicons.clear()
        _lexicons[key] = lexicon
    return lexicon


def _analyzer(lexicon: Lexicon, office: tuple) -> FormulaicAnalyzer:
    """An analyser for this lexicon and these office phrases (building one compiles its matchers)."""
    key = (id(lexicon), office)
    with _lock:
        cached = _analyzers.get(key)
        if cached is not None and cached[0] is lexicon:
            return cached[1]
        if len(_analyzers) > 8:
            _analyzers.clear()
        analyzer = FormulaicAnalyzer(lexicon, office)
        _analyzers[key] = (lexicon, analyzer)
    return analyzer


class FormulaicChecker:
    """Adds 套话 findings and the formulaic metrics to a report."""

    name = "formulaic"
    needs_archive = False

    def run(self, request: CheckRequest, report: CheckReport) -> None:
        """Analyse ``request.text`` with the lexicon and, when an archive is given, the office's phrases."""
        options: dict[str, Any] = request.options.get("formulaic", {}) or {}
        folder = Path(options["rules_dir"]) if options.get("rules_dir") else DEFAULT_RULES_DIR
        lexicon = office_lexicon(folder)
        office: tuple = ()
        if request.archive is not None:
            from drafter.services.phrases import phrases_for_check

            office = phrases_for_check(request.archive)
        result = _analyzer(lexicon, office).analyse(request.text)
        report.findings.extend(result.findings)
        metrics = dict(result.metrics)
        report.metrics.update({
            "formulaic_density": metrics["formulaic_density"],
            "concreteness": metrics["concreteness"],
            "empty_sentences": metrics["empty_sentences"],
            "formulaic_score": metrics["formulaic_score"],
            "stock_phrases": metrics["stock_phrases"],
            "office_phrases": len(office),
            "formulaic_paragraphs": metrics["formulaic_paragraphs"],
        })


CHECKER = FormulaicChecker()
