"""Hybrid archive search and similar-material suggestions.

Both indexes work on sentences; results are paragraphs. A query is looked up in the keyword index (BM25
over jieba words and character bigrams) and, when embeddings exist, in the embedding index (e5 cosine);
each method ranks paragraphs by their best sentence, and the two rankings are fused (reciprocal rank
fusion, chosen by ``bench/retrieval_bench.py``). Keyword results are there at once after an import;
semantic results join as the background job computes vectors, and every result says how complete the
semantic part was.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drafter.analysis import retrieval
from drafter.analysis.embedding import MODEL_NAME, ModelMissing, shared_encoder
from drafter.analysis.terms import QueryTerm, grams, highlight_spans, query_terms, simplified
from drafter.analysis.text import paragraphs as split_paragraphs
from drafter.analysis.text import sentences as split_sentences
from drafter.services import embeddings
from drafter.store import keyword_index
from drafter.store.db import Database
from drafter.store.keyword_index import DocFilter
from drafter.store.models import Document, DocumentKind, Paragraph
from drafter.store.search_models import SearchSentence
from drafter.store.vector_store import VectorStore, cache_folder, shared_store

#: Sentences fetched from each index before grouping into paragraphs.
CANDIDATES = 200
#: Fusion method and weights (see docs/benchmarks.md, "Search and similar material").
FUSION = "rrf"
WEIGHTS = {"keyword": 1.0, "semantic": 1.0}
#: Queries shorter than this (characters of words) are keyword queries: the gate that lets meaning outrank
#: words applies to sentence-like queries only (the retrieval benchmark's rewordings are all longer).
GATE_MIN_CHARS = 12
#: Weight of the semantic ranking for such keyword queries (RRF: keeps the keyword order of the top hits).
SHORT_QUERY_SEMANTIC = 0.05
#: Runs of Chinese characters, letters or digits in a query.
_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9]+")
#: A method "found" a paragraph (the label on a hit) when it ranked it at least this high.
MATCH_RANK = 20
#: A draft paragraph shorter than this (headings, 落款) gets no similar material.
MIN_SIMILAR_CHARS = 12
#: How often a long-running process looks for new vectors and recounts what is embedded.
REFRESH_SECONDS = 10.0


@dataclass(frozen=True)
class SemanticState:
    """How much the embedding index could contribute to a result."""

    state: str  # "complete" | "partial" | "missing" | "unavailable" | "off"
    done: int = 0
    total: int = 0
    message: str = ""

    @property
    def used(self) -> bool:
        """Whether semantic results were part of the ranking."""
        return self.state in ("complete", "partial")

    def to_json(self) -> dict[str, Any]:
        """JSON form for the CLI and the web API."""
        return {"state": self.state, "done": self.done, "total": self.total, "message": self.message}


@dataclass
class SearchHit:
    """A paragraph found for a query; offsets index the document's text."""

    doc_id: int
    title: str
    path: str | None
    paragraph: str
    start: int
    end: int
    score: float
    paragraph_index: int
    doc_type: str | None = None
    unit: str | None = None
    year: int | None = None
    is_exemplar: bool = False
    matched_by: tuple[str, ...] = ()
    #: The best-matching sentence and the query words, as spans relative to ``paragraph``.
    sentence: tuple[int, int] | None = None
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The contract's search hit (DESIGN.md) plus what the web page uses."""
        return {"doc_id": self.doc_id, "title": self.title, "path": self.path, "paragraph": self.paragraph,
                "start": self.start, "end": self.end, "score": round(self.score, 4),
                "paragraph_index": self.paragraph_index, "matched_by": list(self.matched_by)}

    def snippet(self, width: int = 160) -> dict[str, Any]:
        """A window of the paragraph around the first highlight (or the best sentence), cut into
        ``(text, highlighted)`` runs, with whether text was cut at either end."""
        focus = self.highlights[0] if self.highlights else self.sentence
        start, end = retrieval.snippet_window(len(self.paragraph), focus, width)
        spans = [(max(s, start) - start, min(e, end) - start) for s, e in self.highlights if e > start and s < end]
        return {"runs": retrieval.segments(self.paragraph[start:end], spans),
                "cut_start": start > 0, "cut_end": end < len(self.paragraph)}


@dataclass
class SearchResult:
    """Hits, best first, and the state of the semantic part."""

    query: str
    hits: list[SearchHit]
    semantic: SemanticState
    terms: list[str] = field(default_factory=list)


@dataclass
class SimilarItem:
    """A prior paragraph similar to a paragraph of the text being written."""

    for_start: int
    for_end: int
    hit: SearchHit

    def to_json(self) -> dict[str, Any]:
        """The ``similar`` item of the ``drafter check`` contract."""
        return {"for_start": self.for_start, "for_end": self.for_end, "doc_id": self.hit.doc_id,
                "title": self.hit.title, "path": self.hit.path, "paragraph": self.hit.paragraph,
                "start": self.hit.start, "end": self.hit.end, "score": round(self.hit.score, 4)}


class SearchEngine:
    """Search over one database. Cheap to create; the vector cache and the model are shared per process."""

    def __init__(self, db: Database, instance_path: Path | str = "instance", model_dir: Path | str | None = None,
                 fusion: str = FUSION, weights: dict[str, float] | None = None, precision: str = "int8",
                 gate: bool = True) -> None:
        self.db = db
        self.model_dir = model_dir
        self.precision = precision
        self.gate = gate
        self.fusion = fusion
        self.weights = dict(weights or WEIGHTS)
        folder = cache_folder(db.url, Path(instance_path))
        # A file-backed cache is shared by every engine of the database; an in-memory one is this engine's.
        self.store: VectorStore = (shared_store(db.url, Path(instance_path), MODEL_NAME) if folder is not None
                                   else VectorStore(None, MODEL_NAME))
        self._refreshed_at = 0.0
        self._state: SemanticState | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------ semantic side

    def semantic_state(self, session: Session) -> SemanticState:
        """Refresh the vector cache and the counts (at most every few seconds) and say what they cover."""
        with self._lock:
            if self._state is None or time.monotonic() - self._refreshed_at > REFRESH_SECONDS:
                self.store.refresh(session)
                status = embeddings.status(session, MODEL_NAME)
                if len(self.store) == 0:
                    self._state = SemanticState("missing", 0, status.total, status.describe())
                else:
                    state = "complete" if status.complete else "partial"
                    self._state = SemanticState(state, status.done, status.total, status.describe())
                self._refreshed_at = time.monotonic()
            state = self._state
        if state.used:
            try:
                shared_encoder(self.model_dir, self.precision)
            except ModelMissing as exc:
                return SemanticState("unavailable", state.done, state.total, str(exc))
        return state

    def _vector_mask(self, session: Session, where: DocFilter) -> np.ndarray | None:
        exclude = set(where.exclude_ids)
        if where.exclude_draft_ids:
            exclude |= set(session.scalars(select(Document.id).where(Document.draft_id.in_(where.exclude_draft_ids))))
        only = None
        if where.narrows_metadata:
            only = np.fromiter(session.scalars(select(Document.id).where(*where.clauses())), dtype=np.int32)
        return self.store.mask(include_drafts=DocumentKind.DRAFT.value in where.kinds, exclude_docs=exclude,
                               only_docs=only)

    # ------------------------------------------------------------ ranking

    def _paragraph_keys(self, session: Session, sentence_ids: set[int]) -> dict[int, tuple[int, int]]:
        if not sentence_ids:
            return {}
        rows = session.execute(select(SearchSentence.id, SearchSentence.document_id, SearchSentence.paragraph_index)
                               .where(SearchSentence.id.in_(sorted(sentence_ids)))).all()
        return {sid: (doc, para) for sid, doc, para in rows}

    def _rank(self, session: Session, keyword_hits: list[tuple[int, float]],
              semantic_hits: list[tuple[int, float]]) -> tuple[dict[str, list[retrieval.RankedItem]], dict]:
        groups = self._paragraph_keys(session, {s for s, _ in keyword_hits} | {s for s, _ in semantic_hits})
        ranked = {}
        if keyword_hits or not semantic_hits:
            ranked["keyword"] = retrieval.best_per_group(keyword_hits, groups)
        if semantic_hits:
            ranked["semantic"] = retrieval.best_per_group(semantic_hits, groups)
        return ranked, groups

    def _hits(self, session: Session, fused: list[tuple[Any, float]], ranked: dict[str, list[retrieval.RankedItem]],
              scale: float, terms: Sequence[QueryTerm], query: str = "") -> list[SearchHit]:
        """Turn fused paragraph keys into hits with texts, metadata, best sentence and highlights."""
        if not fused:
            return []
        keys = [key for key, _ in fused]
        by_method = {m: {i.key: i for i in items} for m, items in ranked.items()}
        rank_of = {m: {i.key: n for n, i in enumerate(items, 1)} for m, items in ranked.items()}
        doc_ids = sorted({doc for doc, _ in keys})
        docs = {d.id: d for d in session.execute(
            select(Document.id, Document.title, Document.origin_path, Document.doc_type, Document.unit,
                   Document.year, Document.is_exemplar).where(Document.id.in_(doc_ids))).all()}
        wanted = set(keys)
        bounds = {(d, i): (a, b) for d, i, a, b in session.execute(
            select(Paragraph.document_id, Paragraph.index, Paragraph.start, Paragraph.end)
            .where(Paragraph.document_id.in_(doc_ids))).all() if (d, i) in wanted}
        paras = {}
        for key, (start, end) in bounds.items():
            paras[key] = (key[1], start, end, None)
        texts = {d: t for d, t in session.execute(
            select(Document.id, Document.text).where(Document.id.in_(doc_ids))).all()}
        paras = {key: (i, a, b, texts[key[0]][a:b]) for key, (i, a, b, _) in paras.items() if key[0] in texts}
        best_sentences = {i.best for items in ranked.values() for i in items if i.key in set(keys)}
        spans = {sid: (start, end) for sid, start, end in session.execute(
            select(SearchSentence.id, SearchSentence.start, SearchSentence.end)
            .where(SearchSentence.id.in_(sorted(best_sentences)))).all()}
        # Highlight the query's words and its whole runs (点评会 as typed), but not a one-character word on
        # its own when anything longer is there (少 in 不少于 is noise).
        words = [t.text for t in terms if len(t.text) > 1] + [r for r in _RUNS.findall(query) if len(r) > 1]
        words = words or [t.text for t in terms]
        hits = []
        for key, score in fused:
            if key not in paras or key[0] not in docs:
                continue
            doc = docs[key[0]]
            _, start, end, text = paras[key]
            matched = tuple(m for m in ("keyword", "semantic") if rank_of.get(m, {}).get(key, MATCH_RANK + 1) <= MATCH_RANK)
            matched = matched or tuple(m for m in ("keyword", "semantic") if key in by_method.get(m, {}))
            first = by_method[matched[0]][key] if matched else None
            sentence = None
            if first is not None and first.best in spans:
                sentence = (spans[first.best][0] - start, spans[first.best][1] - start)
            hits.append(SearchHit(
                doc_id=doc.id, title=doc.title, path=doc.origin_path, paragraph=text or "", start=start, end=end,
                score=min(score / scale, 1.0) if scale else score, paragraph_index=key[1], doc_type=doc.doc_type,
                unit=doc.unit, year=doc.year, is_exemplar=bool(doc.is_exemplar), matched_by=matched,
                sentence=sentence, highlights=highlight_spans(text or "", words) if "keyword" in matched else []))
        return hits

    def _weights(self, session: Session, query: str, keyword_hits: list[tuple[int, float]],
                 semantic_used: bool) -> dict[str, float]:
        """Fusion weights for one query: the keyword ranking is gated by how much of the query its best
        sentence holds (see :func:`drafter.analysis.retrieval.keyword_weight`)."""
        weights = dict(self.weights)
        if not (semantic_used and keyword_hits and self.gate):
            return weights
        if sum(len(run) for run in _RUNS.findall(query)) < GATE_MIN_CHARS:
            # A few keywords typed into the search box: paragraphs holding the words come first, in BM25
            # order; meaning only breaks ties and adds paragraphs the words do not reach.
            weights["semantic"] = weights["semantic"] * SHORT_QUERY_SEMANTIC
            return weights
        best = keyword_hits[0][0]
        row = session.execute(select(func.substr(Document.text, SearchSentence.start + 1,
                                                 SearchSentence.end - SearchSentence.start))
                              .select_from(SearchSentence)
                              .join(Document, Document.id == SearchSentence.document_id)
                              .where(SearchSentence.id == best)).scalar()
        share = retrieval.coverage(grams(query), grams(row or ""))
        weights["keyword"] = weights["keyword"] * retrieval.keyword_weight(share)
        return weights

    # ------------------------------------------------------------ use cases

    def search(self, query: str, k: int = 10, where: DocFilter | None = None,
               methods: tuple[str, ...] = ("keyword", "semantic")) -> SearchResult:
        """The best ``k`` paragraphs for ``query`` under the filter (archive documents by default).

        ``methods`` limits the ranking to one index (benchmarks compare them).
        """
        where = where or DocFilter()
        query = query.strip()
        with self.db.session() as session:
            semantic = self.semantic_state(session)
            terms = query_terms(query) if query else []
            if not terms and not (semantic.used and query):
                return SearchResult(query, [], semantic, [])
            keyword_hits = keyword_index.search(session, terms, CANDIDATES, where) \
                if terms and "keyword" in methods else []
            semantic_hits: list[tuple[int, float]] = []
            if semantic.used and "semantic" in methods:
                vector = shared_encoder(self.model_dir, self.precision).queries([query])[0]
                semantic_hits = self.store.search(vector, CANDIDATES, self._vector_mask(session, where))
            ranked, _ = self._rank(session, keyword_hits, semantic_hits)
            weights = self._weights(session, query, keyword_hits, bool(semantic_hits))
            fused = retrieval.fuse(ranked, self.fusion, weights)[:k]
            scale = retrieval.max_fused_score(len(ranked), {m: max(weights[m], 1e-9) for m in ranked}, self.fusion)
            hits = self._hits(session, fused, ranked, scale, terms, simplified(query).lower())
        return SearchResult(query, hits, semantic, [t.text for t in terms])

    def similar(self, text: str, per_paragraph: int = 3, where: DocFilter | None = None,
                spans: Sequence[tuple[int, int]] | None = None,
                semantic: bool = True) -> tuple[list[SimilarItem], SemanticState]:
        """For each paragraph of ``text`` (or each given span), the best prior paragraphs elsewhere.

        A paragraph is scored by its sentences: every sentence of the draft paragraph ranks archive
        paragraphs by their best sentence in each index; the fused scores add up over the sentences.
        """
        where = where or DocFilter()
        if spans is None:
            spans = [(p.start, p.end) for p in split_paragraphs(text)]
        spans = [(s, e) for s, e in spans if len(text[s:e].strip()) >= MIN_SIMILAR_CHARS]
        items: list[SimilarItem] = []
        use_semantic = semantic
        with self.db.session() as session:
            semantic = self.semantic_state(session) if use_semantic else \
                SemanticState("off", message="未使用语义索引（仅按关键词）")
            if not spans:
                return [], semantic
            queries = [[text[s.start:s.end] for s in split_sentences(text, a, b)] or [text[a:b]] for a, b in spans]
            semantic_found = None
            if semantic.used:
                flat = [q for group in queries for q in group]
                vectors = shared_encoder(self.model_dir, self.precision).queries(flat)
                semantic_found = iter(self.store.search_many(vectors, 50, self._vector_mask(session, where)))
            for (a, b), group in zip(spans, queries, strict=True):
                total: dict[Any, float] = {}
                ranked_all: dict[str, list[retrieval.RankedItem]] = {"keyword": [], "semantic": []}
                for sentence in group:
                    terms = query_terms(sentence)
                    keyword_hits = keyword_index.search(session, terms, 50, where) if terms else []
                    semantic_hits = next(semantic_found) if semantic_found is not None else []
                    ranked, _ = self._rank(session, keyword_hits, semantic_hits)
                    weights = self._weights(session, sentence, keyword_hits, bool(semantic_hits))
                    for key, score in retrieval.fuse(ranked, self.fusion, weights):
                        total[key] = total.get(key, 0.0) + score
                    for method, items_ in ranked.items():
                        ranked_all[method].extend(items_)
                best = sorted(total.items(), key=lambda kv: -kv[1])[:per_paragraph]
                methods = {m: self.weights[m] for m in ranked_all if ranked_all[m]} or {"keyword": 1.0}
                scale = retrieval.max_fused_score(len(methods), methods, self.fusion) * len(group)
                merged = {m: _best_items(v) for m, v in ranked_all.items() if v}
                for hit in self._hits(session, best, merged, scale, []):
                    items.append(SimilarItem(a, b, hit))
        return items, semantic


def _best_items(items: list[retrieval.RankedItem]) -> list[retrieval.RankedItem]:
    """One item per key, the best-scoring one."""
    best: dict[Any, retrieval.RankedItem] = {}
    for item in items:
        if item.key not in best or item.score > best[item.key].score:
            best[item.key] = item
    return sorted(best.values(), key=lambda i: -i.score)


_engines: dict[int, SearchEngine] = {}
_engines_lock = threading.Lock()


def engine_for(db: Database, instance_path: Path | str = "instance", model_dir: Path | str | None = None) -> SearchEngine:
    """One engine per open :class:`Database` in this process."""
    with _engines_lock:
        engine = _engines.get(id(db))
        if engine is None or engine.db is not db:
            engine = _engines[id(db)] = SearchEngine(db, instance_path, model_dir)
        return engine
