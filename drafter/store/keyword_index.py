"""The keyword index: sentences of every document with their jieba words and character bigrams, ranked
with BM25. SQLite keeps them in the FTS5 table ``search_fts``, PostgreSQL in the GIN-indexed ``tsvector``
table ``search_terms`` (both made by migration 0005); each engine's SQL sits in its own marked branch.

A query word is looked for twice: as a whole jieba word in ``words`` and as the phrase of its character
bigrams in ``grams``, which finds it inside any longer word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import bindparam, column, delete, func, literal_column, select, table, text
from sqlalchemy.orm import Session

from drafter.analysis.terms import QueryTerm, index_fields
from drafter.analysis.text import sentences
from drafter.store import dialect
from drafter.store.models import Document, DocumentKind
from drafter.store.search_models import SearchSentence

#: BM25 weight of a whole-word match against a bigram-phrase match (FTS5's ``rank`` is bm25() with
#: equal weights, which the fast path uses; change both together).
WORD_WEIGHT = 1.0
GRAM_WEIGHT = 1.0
#: At most this many query words go into one keyword query (the rarest ones on SQLite).
MAX_TERMS = 12
#: A word held by more sentences than this is left out of a query that has rarer words.
COMMON_LIMIT = 5000
#: Words are added rarest first while the postings their lookups read stay within this budget.
MATCH_BUDGET = 20000
#: Queries of at most this many words keep them all.
SHORT_QUERY = 3
_SAFE = re.compile(r"^\w+$")


@dataclass(frozen=True)
class DocFilter:
    """Which documents a search may return."""

    kinds: tuple[str, ...] = (DocumentKind.ARCHIVE.value,)
    doc_type: str | None = None
    unit: str | None = None
    year: int | None = None
    exemplar_only: bool = False
    exclude_ids: frozenset[int] = field(default_factory=frozenset)
    #: Drafts whose versions never count (the draft being written).
    exclude_draft_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def narrows_metadata(self) -> bool:
        """Whether the filter looks at more than the kind of document and exclusions."""
        return bool(self.doc_type or self.unit or self.year or self.exemplar_only)

    def clauses(self) -> list:
        """SQLAlchemy conditions on :class:`Document`."""
        out = [Document.kind.in_(self.kinds)]
        if self.doc_type:
            out.append(Document.doc_type == self.doc_type)
        if self.unit:
            out.append(Document.unit == self.unit)
        if self.year:
            out.append(Document.year == self.year)
        if self.exemplar_only:
            out.append(Document.is_exemplar.is_(True))
        if self.exclude_ids:
            out.append(Document.id.not_in(sorted(self.exclude_ids)))
        if self.exclude_draft_ids:
            out.append((Document.draft_id.is_(None)) | (Document.draft_id.not_in(sorted(self.exclude_draft_ids))))
        return out


def sentence_rows(document: Document) -> list[SearchSentence]:
    """The sentences of a document's paragraphs, as unsaved rows."""
    rows = []
    for para in document.paragraphs:
        for span in sentences(document.text, para.start, para.end):
            rows.append(SearchSentence(document_id=document.id, paragraph_index=para.index,
                                       start=span.start, end=span.end))
    return rows


def index_document(session: Session, document: Document) -> list[SearchSentence]:
    """Add a document's sentences and their keyword entries (inside the caller's transaction)."""
    rows = sentence_rows(document)
    if not rows:
        return rows
    session.add_all(rows)
    session.flush()
    entries = []
    for row in rows:
        words, grams = index_fields(document.text[row.start:row.end])
        entries.append({"id": row.id, "words": words, "grams": grams})
    if dialect.is_sqlite(session.get_bind()):
        # --- SQLite: FTS5 row per sentence, rowid = sentence id
        session.execute(text("INSERT INTO search_fts (rowid, words, grams) VALUES (:id, :words, :grams)"), entries)
    else:
        # --- PostgreSQL: weighted tsvector per sentence
        session.execute(text("INSERT INTO search_terms (sentence_id, tsv) VALUES (:id, "
                             "setweight(to_tsvector('simple', :words), 'A') || "
                             "setweight(to_tsvector('simple', :grams), 'B'))"), entries)
    return rows


def remove_document(session: Session, document_id: int) -> None:
    """Drop a document's sentences and keyword entries (vectors go with the sentences)."""
    ids = select(SearchSentence.id).where(SearchSentence.document_id == document_id).scalar_subquery()
    if dialect.is_sqlite(session.get_bind()):
        # --- SQLite: FTS5 rows are not tied to the sentences by a foreign key
        session.execute(text("DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_sentences "
                             "WHERE document_id = :doc)"), {"doc": document_id})
    session.execute(delete(SearchSentence).where(SearchSentence.id.in_(ids)))


def unindexed_document_ids(session: Session) -> list[int]:
    """Documents that have paragraphs but no sentences in the index (imported before it existed)."""
    has_sentences = select(SearchSentence.id).where(SearchSentence.document_id == Document.id).exists()
    return list(session.scalars(select(Document.id).where(~has_sentences, Document.chars > 0)
                                .order_by(Document.id)))


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _select_terms(session: Session, terms: Sequence[QueryTerm]) -> list[QueryTerm]:
    """The words worth looking up, rarest first, at most :data:`MAX_TERMS`.

    On SQLite the document frequency of a word is that of its rarest bigram (from FTS5's vocabulary): words
    that no sentence holds are dropped, and so are words held by more than :data:`COMMON_LIMIT` sentences
    (they add little to BM25 but most of its cost) unless nothing rarer is left, and words stop being added
    once their postings exceed :data:`MATCH_BUDGET` (BM25 is computed for every matching sentence).
    PostgreSQL keeps the longest words.
    """
    if not dialect.is_sqlite(session.get_bind()):
        return sorted(terms, key=lambda t: -len(t.text))[:MAX_TERMS]
    # --- SQLite: document frequencies from an fts5vocab view of the index
    session.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_fts_vocab "
                         "USING fts5vocab(main, search_fts, 'row')"))
    tokens = sorted({g for t in terms for g in t.grams})
    # One statement for all tokens: SQLite turns the IN list into an index seek per token.
    lookup = text("SELECT term, doc FROM temp.search_fts_vocab WHERE term IN :terms") \
        .bindparams(bindparam("terms", expanding=True))
    freq = dict(session.execute(lookup, {"terms": tokens}).all()) if tokens else {}
    rarity = {t: min(freq.get(g, 0) for g in t.grams) for t in terms}
    # A one-character word is looked up as a prefix of bigrams: its cost is unknown, keep it as present.
    rarity.update({t: 1 for t in terms if t.is_single_char})
    present = sorted((t for t in terms if rarity[t] > 0), key=lambda t: rarity[t])
    if len(present) <= SHORT_QUERY:
        return present  # what a person types in the search box: every word counts
    # A longer text (a sentence, a paragraph): leave out one-character words (their prefix lookups touch
    # a large part of the index) and spend the budget on the rarest words; the cost of a word is the
    # length of the posting lists its lookup reads (every bigram of its phrase).
    kept, cost = [], 0
    for term in (t for t in present if not t.is_single_char):
        term_cost = sum(freq.get(g, 0) for g in term.grams)
        if kept and (rarity[term] > COMMON_LIMIT or cost + term_cost > MATCH_BUDGET or len(kept) >= MAX_TERMS):
            break
        kept.append(term)
        cost += term_cost
    return kept or present[:1]


def sqlite_match(terms: Iterable[QueryTerm]) -> str:
    """The FTS5 MATCH expression: each word as a whole word or as its bigram phrase, OR-ed."""
    parts = []
    for term in terms:
        if term.is_single_char:
            parts.append(f"(grams : {_quote(term.grams[0])}*)")
        elif len(term.grams) == 1:  # a two-character word is its own bigram: one lookup finds both
            parts.append(f"({{words grams}} : {_quote(term.grams[0])})")
        else:
            parts.append(f"(words : {_quote(term.text)}) OR (grams : {_quote(' '.join(term.grams))})")
    return " OR ".join(parts)


def postgres_tsquery(terms: Iterable[QueryTerm]) -> str:
    """The tsquery text: each word as a weight-A lexeme or its bigram phrase, OR-ed (tokens are word chars)."""
    parts = []
    for term in terms:
        grams = [g for g in term.grams if _SAFE.match(g)]
        if not grams:
            continue
        if term.is_single_char:
            parts.append(f"{grams[0]}:*")
            continue
        phrase = " <-> ".join(grams)
        parts.append(f"{term.text}:A | ({phrase})" if _SAFE.match(term.text) else f"({phrase})")
    return " | ".join(parts)


def search(session: Session, terms: Sequence[QueryTerm], limit: int = 100,
           where: DocFilter | None = None) -> list[tuple[int, float]]:
    """Best sentences for the query words as ``(sentence_id, score)``, best first; higher score is better."""
    terms = _select_terms(session, terms) if terms else []
    if not terms:
        return []
    where = where or DocFilter()
    if dialect.is_sqlite(session.get_bind()):
        # --- SQLite: FTS5 MATCH, ranked by bm25() (negated so that higher is better). First the index
        # alone (FTS5's own top-N by rank, no joins), then the filter on those rows; only when the filter
        # throws away too many does the joined query run.
        match = sqlite_match(terms)
        pool = session.execute(text("SELECT rowid, rank FROM search_fts WHERE search_fts MATCH :match "
                                    "ORDER BY rank LIMIT :n"), {"match": match, "n": 4 * limit}).all()
        if pool:
            doc_of = dict(session.execute(select(SearchSentence.id, SearchSentence.document_id)
                                          .where(SearchSentence.id.in_([r[0] for r in pool]))).all())
            allowed = set(session.scalars(select(Document.id).where(Document.id.in_(set(doc_of.values())),
                                                                    *where.clauses())))
            kept = [(int(i), -float(r)) for i, r in pool if doc_of.get(i) in allowed][:limit]
            if len(kept) == limit or len(pool) < 4 * limit:
                return kept
        fts = table("search_fts", column("rowid"))
        rank = func.bm25(literal_column("search_fts"), WORD_WEIGHT, GRAM_WEIGHT)
        stmt = (select(SearchSentence.id, rank)
                .select_from(fts)
                .join(SearchSentence, SearchSentence.id == fts.c.rowid)
                .join(Document, Document.id == SearchSentence.document_id)
                .where(literal_column("search_fts").op("MATCH")(bindparam("match")), *where.clauses())
                .order_by(rank).limit(limit))
        rows = session.execute(stmt, {"match": match}).all()
        return [(int(i), -float(r)) for i, r in rows]
    # --- PostgreSQL: tsvector @@ tsquery, ranked by ts_rank_cd
    query = postgres_tsquery(terms)
    if not query:
        return []
    terms_table = table("search_terms", column("sentence_id"), column("tsv"))
    tsq = func.to_tsquery(literal_column("'simple'::regconfig"), bindparam("tsq"))
    rank = func.ts_rank_cd(terms_table.c.tsv, tsq)
    stmt = (select(SearchSentence.id, rank)
            .select_from(terms_table)
            .join(SearchSentence, SearchSentence.id == terms_table.c.sentence_id)
            .join(Document, Document.id == SearchSentence.document_id)
            .where(terms_table.c.tsv.op("@@")(tsq), *where.clauses())
            .order_by(rank.desc()).limit(limit))
    rows = session.execute(stmt, {"tsq": query}).all()
    return [(int(i), float(r)) for i, r in rows]
