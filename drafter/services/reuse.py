"""Duplication check of a draft against the archive: candidate retrieval, alignment and the report.

1. The draft's fingerprints are looked up in the reuse index (``drafter.services.reuse_index``); those
   frequent in the archive are boilerplate and are neither used to find candidates nor counted as copying.
2. The archive documents sharing the most (rare-weighted) fingerprints are the candidates; the draft's own
   versions (same ``draft_id``) and the ids the caller excludes are never candidates, and of another
   draft's versions only the newest is compared.
3. :func:`drafter.analysis.reuse.align` aligns the draft with the candidates' texts; the figures follow
   CNKI / Turnitin reports: copy ratio, without quotations, without the author's own earlier documents,
   the largest single source, sources and passages.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafter.analysis.findings import Finding, Severity
from drafter.analysis.reuse import (
    AlignConfig,
    AlignedPassage,
    ReuseFigures,
    Source,
    align,
    figures,
    is_sampled,
    kgram_hashes,
    quotation_spans,
    resolve_overlaps,
    skeleton,
)
from drafter.analysis.text import line_number
from drafter.services.reuse_index import CHUNK, K, P, chunks, status
from drafter.store.models import Document, DocumentKind
from drafter.store.reuse_tables import ReuseFingerprint, ReuseFrequency

RULE = "reuse.copied-passage"


@dataclass(frozen=True)
class ReuseOptions:
    """Settings of the duplication check (``[reuse]`` table of drafter.toml may override them)."""

    #: Candidate documents aligned with the draft.
    max_candidates: int = 20
    #: Candidates are ranked by the fingerprints they share within this many skeleton characters.
    window: int = 200
    #: A fingerprint is boilerplate when it occurs in at least this many archive documents ...
    boilerplate_min_documents: int = 5
    #: ... and in at least this share of them.
    boilerplate_share: float = 0.01

    @classmethod
    def from_settings(cls, table: dict[str, Any] | None) -> ReuseOptions:
        """Options from a ``[reuse]`` settings table; unknown keys are ignored."""
        table = table or {}
        known = {k: type(getattr(cls(), k))(v) for k, v in table.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def boilerplate_threshold(self, archive_documents: int) -> int:
        """Archive frequency from which a fingerprint counts as boilerplate."""
        return max(self.boilerplate_min_documents, math.ceil(self.boilerplate_share * archive_documents))


@dataclass(frozen=True)
class SourceInfo:
    """A candidate source document."""

    doc_id: int
    title: str
    path: str | None
    kind: str
    author: str | None
    draft_id: int | None
    text: str


@dataclass
class ReuseReport:
    """The duplication report of one draft."""

    text: str
    passages: list[AlignedPassage]
    sources: dict[int, SourceInfo]
    author: str | None
    archive_documents: int
    missing_from_index: int
    own_ids: set[int] = field(init=False)
    figures: ReuseFigures = field(init=False)
    quoted: list[tuple[int, int]] = field(init=False)

    #: Every aligned passage before overlaps between sources were resolved.
    candidates: list[AlignedPassage] = field(default_factory=list)

    def __post_init__(self) -> None:
        own = others = None
        if self.author:
            own = {d for d, s in self.sources.items() if _same_author(s.author, self.author)}
            others = resolve_overlaps(p for p in self.candidates or self.passages if p.doc_id not in own)
        self.own_ids = own or set()
        self.figures = figures(self.text, self.passages, own, others)
        self.quoted = quotation_spans(self.text)

    def source_rows(self) -> list[dict[str, Any]]:
        """Sources with copied characters, most copied first."""
        rows = []
        for doc_id, chars in sorted(self.figures.per_source.items(), key=lambda kv: (-kv[1], kv[0])):
            info = self.sources[doc_id]
            rows.append({"doc_id": doc_id, "title": info.title, "path": info.path, "copied_chars": chars,
                         "ratio": round(chars / self.figures.counted_chars, 4) if self.figures.counted_chars else 0.0,
                         "kind": info.kind, "author": info.author, "own": doc_id in self.own_ids})
        return rows

    def is_quoted(self, passage: AlignedPassage) -> bool:
        """Whether the passage lies (almost) entirely inside quotation marks or a cited document's words."""
        inside = sum(max(0, min(passage.end, e) - max(passage.start, s)) for s, e in self.quoted)
        return inside >= 0.9 * (passage.end - passage.start)

    def to_json(self) -> dict[str, Any]:
        """The ``reuse`` object of ``drafter check --format json`` (DESIGN.md) with the report's extra figures."""
        f = self.figures
        return {
            "copy_ratio": f.copy_ratio,
            "copy_ratio_excluding_quotes": f.copy_ratio_excluding_quotes,
            "copy_ratio_excluding_own": f.copy_ratio_excluding_own,
            "largest_source_ratio": f.largest_source_ratio,
            "largest_source_id": f.largest_source_id,
            "copied_chars": f.copied_chars,
            "counted_chars": f.counted_chars,
            "archive_documents": self.archive_documents,
            "missing_from_index": self.missing_from_index,
            "sources": self.source_rows(),
            "passages": [{"start": p.start, "end": p.end, "doc_id": p.doc_id, "source_start": p.source_start,
                          "source_end": p.source_end, "similarity": p.similarity, "quoted": self.is_quoted(p),
                          "own": p.doc_id in self.own_ids} for p in self.passages],
        }

    def findings(self) -> list[Finding]:
        """One ``reuse.copied-passage`` finding per passage, naming the source and where in it."""
        result = []
        for p in self.passages:
            info = self.sources[p.doc_id]
            where = f"第{line_number(info.text, p.source_start)}行"
            kind = "草稿" if info.kind == DocumentKind.DRAFT.value else "档案文档"
            chars = p.end - p.start
            if self.is_quoted(p):
                message = (f"此处引用的内容与{kind}《{info.title}》（#{p.doc_id}）{where}起的文字相同或相近"
                           f"（{chars}字，相似度{p.similarity:.0%}），已按引用计，不计入去除引用复制比")
                result.append(Finding(RULE, Severity.INFO, p.start, p.end, message,
                                      "请核对引文与原文一致，并注明出处", {"doc_id": p.doc_id}))
                continue
            own = "（本人此前文稿）" if p.doc_id in self.own_ids else ""
            message = (f"此段{chars}字与{kind}《{info.title}》（#{p.doc_id}）{own}{where}起的文字"
                       f"相似度{p.similarity:.0%}")
            suggestion = ("如确需沿用，请结合本次工作实际重新组织语言，或加引号注明出处"
                          if p.similarity >= 0.9 else "改写幅度不大，建议进一步结合实际提炼，避免照搬原文")
            severity = Severity.INFO if p.doc_id in self.own_ids else Severity.WARNING
            result.append(Finding(RULE, severity, p.start, p.end, message, suggestion, {"doc_id": p.doc_id}))
        return result


def _same_author(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.strip().casefold() == b.strip().casefold())


@dataclass(frozen=True)
class Candidates:
    """Documents to align with and the fingerprints that count as boilerplate."""

    sources: list[SourceInfo]
    common: frozenset[int]
    archive_documents: int
    missing_from_index: int


def find_candidates(session: Session, text: str, exclude_ids: Iterable[int] = (), draft_id: int | None = None,
                    options: ReuseOptions | None = None) -> Candidates:
    """The archive documents most likely to share passages with ``text``."""
    options = options or ReuseOptions()
    state = status(session)
    positions: dict[int, list[int]] = defaultdict(list)
    for position, h in enumerate(kgram_hashes(skeleton(text).chars, K)):
        if is_sampled(h, P):
            positions[h].append(position)
    hashes = sorted(positions)
    frequency: dict[int, int] = {}
    for part in chunks(hashes):
        frequency.update(session.execute(select(ReuseFrequency.hash, ReuseFrequency.documents)
                                         .where(ReuseFrequency.hash.in_(part))).all())
    threshold = options.boilerplate_threshold(state.archive_documents)
    common = frozenset(h for h, n in frequency.items() if n >= threshold)
    rare = [h for h in hashes if h not in common]
    weight = {h: math.log((state.archive_documents + 1) / (frequency.get(h, 0) + 1)) + 1.0 for h in rare}
    shared: dict[int, list[int]] = defaultdict(list)
    for part in chunks(rare):
        for h, doc_id in session.execute(select(ReuseFingerprint.hash, ReuseFingerprint.document_id)
                                         .where(ReuseFingerprint.hash.in_(part))):
            shared[doc_id].append(h)
    scores = {doc_id: _local_score(found, positions, weight, options.window) for doc_id, found in shared.items()}
    excluded = set(exclude_ids)
    ranked = sorted((d for d in scores if d not in excluded), key=lambda d: (-scores[d], d))
    chosen: list[SourceInfo] = []
    seen_drafts: set[int] = set()
    window = options.max_candidates * 3
    while ranked and len(chosen) < options.max_candidates:
        part, ranked = ranked[:window], ranked[window:]
        rows = session.execute(select(Document.id, Document.title, Document.origin_path, Document.kind,
                                      Document.author, Document.draft_id)
                               .where(Document.id.in_(part))).all()
        meta = {row.id: row for row in rows}
        # Newest version first, so that of another draft's versions the newest is kept.
        for doc_id in sorted(part, key=lambda d: (-scores[d], -d)):
            row = meta.get(doc_id)
            if row is None or (draft_id is not None and row.draft_id == draft_id):
                continue
            if row.draft_id is not None:
                if row.draft_id in seen_drafts:
                    continue
                seen_drafts.add(row.draft_id)
            chosen.append(SourceInfo(row.id, row.title, row.origin_path, row.kind, row.author, row.draft_id, ""))
            if len(chosen) >= options.max_candidates:
                break
    texts = {}
    for part in chunks([s.doc_id for s in chosen], CHUNK):
        texts.update(session.execute(select(Document.id, Document.text).where(Document.id.in_(part))).all())
    sources = [SourceInfo(s.doc_id, s.title, s.path, s.kind, s.author, s.draft_id, texts[s.doc_id])
               for s in chosen if s.doc_id in texts]
    return Candidates(sources, common, state.archive_documents, state.missing)


def _local_score(found: list[int], positions: dict[int, list[int]], weight: dict[int, float], window: int) -> float:
    """The best sum of fingerprint weights a document shares within ``window`` skeleton characters of the
    draft: a short copied passage outranks a long document that shares scattered common words."""
    points = sorted((p, weight[h]) for h in found for p in positions[h])
    best = total = 0.0
    first = 0
    for position, value in points:
        total += value
        while position - points[first][0] > window:
            total -= points[first][1]
            first += 1
        best = max(best, total)
    return best


def check_reuse(session: Session, text: str, exclude_ids: Iterable[int] = (), draft_id: int | None = None,
                author: str | None = None, options: ReuseOptions | None = None,
                config: AlignConfig | None = None) -> ReuseReport:
    """The duplication report of ``text`` against the archive in ``session``'s database."""
    found = find_candidates(session, text, exclude_ids, draft_id, options)
    every = align(text, [Source(s.doc_id, s.text) for s in found.sources], found.common, config, resolve=False)
    passages = resolve_overlaps(every)
    aligned = {p.doc_id for p in every}
    sources = {s.doc_id: s for s in found.sources if s.doc_id in aligned}
    return ReuseReport(text, passages, sources, author, found.archive_documents, found.missing_from_index,
                       candidates=every)
