"""Reuse (duplication) analysis: fingerprints of a text and alignment of a draft with candidate sources.

Pure: text in, dataclasses out. The caller (``drafter.services.reuse``) finds candidate sources in the
archive with the fingerprints computed here and passes their texts in.

How a passage is found
  1. Both texts are reduced to a *skeleton*: CJK ideographs and letters only, with punctuation, blanks and
     the particles 的/了/和/与/及/等/地/得/着 dropped and every run of digits collapsed to one ``#``. Each
     skeleton character remembers its offset in the original text. Inserted or deleted particles, changed
     numbers and dates, and sentences split or merged (only the punctuation differs) leave the skeleton
     unchanged.
  2. The texts are cut into clauses (at ，。；：！？ and line breaks). Each clause of the draft is compared
     with each clause of every source with rapidfuzz's normalised Indel similarity on the skeletons, so a
     synonym swap costs a few points, not the match. Short clauses need a near-exact match.
  3. Matched clauses of one source are chained in draft order; a clause joins a chain when the draft gap
     and the source gap are small. The source side is compared as a range, not as a diagonal, so clauses
     reordered within a sentence still chain. Unmatched clauses inside a chain are absorbed: one passage
     per copied block, not fragments.
  4. Clauses whose fingerprints are common in the archive (boilerplate: standard openings and closings,
     stock phrases) may extend a copied block but never make one: a chain needs enough matched characters
     outside them, and two clauses unless one clause is long. Where passages from several sources overlap,
     the stronger one is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

#: Characters dropped from the skeleton: particles and conjunctions writers add or remove freely.
PARTICLES = frozenset("的了和与及等地得着")

#: Default k-gram length (skeleton characters) of fingerprints.
KGRAM = 5
#: Default sampling modulus: a k-gram is a fingerprint when its hash is divisible by it.
SAMPLE = 4

_PARTICLE_CODES = sorted(ord(ch) for ch in PARTICLES)
_CLAUSE_END = re.compile(r"[，,。；;：:！!？?…\n]+[”’」』）)]*")
#: Full-width letters to ASCII, upper case to lower case.
_FOLD = str.maketrans({**{chr(c): chr(c - 0xFEE0).lower() for c in range(0xFF21, 0xFF5B)},
                       **{chr(c): chr(c + 32) for c in range(0x41, 0x5B)}})


@dataclass(frozen=True)
class Skeleton:
    """The comparable characters of a text and, for each, its offset in the original text."""

    chars: str
    offsets: tuple[int, ...]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering skeleton characters ``i .. j-1``."""
        return self.offsets[i], self.offsets[j - 1] + 1


def skeleton(text: str, start: int = 0, end: int | None = None) -> Skeleton:
    """Skeleton of ``text[start:end]`` (see the module docstring); offsets are into ``text``."""
    import numpy as np

    end = len(text) if end is None else end
    if end <= start:
        return Skeleton("", ())
    codes = np.frombuffer(text[start:end].encode("utf-32-le"), dtype=np.uint32)
    digit = ((codes >= 0x30) & (codes <= 0x39)) | ((codes >= 0xFF10) & (codes <= 0xFF19))
    # A decimal point between digits belongs to the number (12.5 is one number).
    point = (codes == 0x2E) | (codes == 0xFF0E)
    point[1:-1] &= digit[:-2] & digit[2:]
    point[[0, -1]] = False
    digit |= point
    first_digit = digit.copy()
    first_digit[1:] &= ~digit[:-1]
    kept = (((codes >= 0x3400) & (codes <= 0x4DBF)) | ((codes >= 0x4E00) & (codes <= 0x9FFF))
            | ((codes >= 0xF900) & (codes <= 0xFAFF)) | ((codes | 0x20) >= 0x61) & ((codes | 0x20) <= 0x7A)
            | ((codes >= 0xFF21) & (codes <= 0xFF3A)) | ((codes >= 0xFF41) & (codes <= 0xFF5A)))
    kept &= ~np.isin(codes, _PARTICLE_CODES)
    kept |= first_digit
    positions = np.flatnonzero(kept)
    chosen = np.where(first_digit[positions], np.uint32(0x23), codes[positions])
    chars = chosen.astype("<u4").tobytes().decode("utf-32-le").translate(_FOLD)
    return Skeleton(chars, tuple((positions + start).tolist()))


def kgram_hashes(chars: str, k: int = KGRAM) -> list[int]:
    """Stable signed 32-bit hash of every k-gram of a skeleton string, by start position.

    A polynomial hash of the code points, mixed with the MurmurHash3 finaliser; the upper 32 bits are kept
    as a signed integer so that it fits an SQL INTEGER on every engine.
    """
    import numpy as np

    n = len(chars) - k + 1
    if n <= 0:
        return []
    codes = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * np.uint64(0x100000001B3) + codes[j:j + n]
        h ^= h >> np.uint64(33)
        h *= np.uint64(0xFF51AFD7ED558CCD)
        h ^= h >> np.uint64(33)
        h *= np.uint64(0xC4CEB9FE1A85EC53)
        h ^= h >> np.uint64(33)
    return (h >> np.uint64(32)).astype(np.uint32).view(np.int32).tolist()


def kgram_hash(gram: str) -> int:
    """Hash of one k-gram (the same value :func:`kgram_hashes` gives at its position)."""
    return kgram_hashes(gram, len(gram))[0]


def is_sampled(value: int, sample: int = SAMPLE) -> bool:
    """Whether a k-gram hash is kept as a fingerprint (context-free, so document frequencies are exact)."""
    return value % sample == 0


def fingerprints(text: str, k: int = KGRAM, sample: int = SAMPLE) -> set[int]:
    """The distinct fingerprints of ``text``: sampled hashes of its skeleton's k-grams."""
    return {h for h in kgram_hashes(skeleton(text).chars, k) if is_sampled(h, sample)}


@dataclass(frozen=True)
class Clause:
    """A clause of a text: ``[start, end)`` in the text (closing punctuation included) and its skeleton."""

    start: int
    end: int
    skel: str
    #: Index of its first skeleton character in the whole text's skeleton.
    skel_start: int


def clauses(text: str, skel: Skeleton | None = None) -> list[Clause]:
    """The clauses of ``text`` in order; clauses without comparable characters are left out."""
    skel = skel or skeleton(text)
    bounds: list[tuple[int, int]] = []
    cursor = 0
    for match in _CLAUSE_END.finditer(text):
        bounds.append((cursor, match.end()))
        cursor = match.end()
    if cursor < len(text):
        bounds.append((cursor, len(text)))
    result: list[Clause] = []
    pos = 0  # position in the skeleton
    offsets = skel.offsets
    for start, end in bounds:
        while pos < len(offsets) and offsets[pos] < start:
            pos += 1
        first = pos
        while pos < len(offsets) and offsets[pos] < end:
            pos += 1
        if pos > first:
            # Trim blanks and newlines at the clause's edges, keep its closing punctuation.
            while start < end and text[start] in " \t\u3000\u00a0\n":
                start += 1
            stop = end
            while stop > start and text[stop - 1] in " \t\u3000\u00a0\n":
                stop -= 1
            result.append(Clause(start, stop, skel.chars[first:pos], first))
    return result


@dataclass(frozen=True)
class Source:
    """A candidate source text passed in by the caller."""

    doc_id: int
    text: str


@dataclass(frozen=True)
class AlignedPassage:
    """A draft span that reproduces a span of a source document."""

    start: int
    end: int
    doc_id: int
    source_start: int
    source_end: int
    #: 0..1: how closely the draft span follows the source span (1.0 = same skeleton).
    similarity: float
    #: Skeleton characters of the draft span covered by matched clauses.
    matched_chars: int = 0


@dataclass(frozen=True)
class AlignConfig:
    """Thresholds of the alignment; the defaults are tuned with ``bench/reuse_bench.py``."""

    #: Clauses with fewer skeleton characters never start a match.
    min_clause: int = 4
    #: Minimum Indel similarity (0-100) for a clause pair, by the shorter clause's skeleton length.
    short_clause_len: int = 8
    short_clause_score: float = 88.0
    clause_score: float = 62.0
    #: Largest gap (in original characters) between chained clauses, on the draft and the source side.
    max_gap_draft: int = 60
    max_gap_source: int = 100
    #: A passage needs this many matched skeleton characters outside boilerplate clauses ...
    min_passage: int = 20
    #: ... and, when it rests on a single clause, that clause must be this long.
    single_clause_passage: int = 30
    #: Near-verbatim passages (similarity at least ``exact``) need fewer characters: an exact copy of one
    #: specific sentence is copying, a loose echo of a short formulation is not.
    exact: float = 0.95
    exact_min_passage: int = 14
    exact_single_clause: int = 18
    #: ... and this overall similarity.
    min_similarity: float = 0.6
    #: Neighbouring clauses a passage may grow over at each end when they match the source's neighbours.
    edge_clauses: int = 3
    #: Matches kept per draft clause and source (repeated phrases).
    per_clause: int = 3
    k: int = KGRAM
    sample: int = SAMPLE


@dataclass
class _Chain:
    draft_first: int
    draft_last: int  # last matched draft clause
    src_lo: int
    src_hi: int
    members: list[tuple[int, int, float]] = field(default_factory=list)  # (draft clause, source clause, score)


def common_mask(chars: str, common: Iterable[int], config: AlignConfig) -> list[bool]:
    """For each skeleton character, whether it lies in boilerplate: inside a k-gram whose fingerprint is
    ``common`` (frequent in the archive), or in a gap of at most two k-gram lengths between two such (only
    every ``sample``-th k-gram on average is a fingerprint, so a common phrase shows as a dotted run).
    """
    common = common if isinstance(common, (set, frozenset)) else set(common)
    mask = [False] * len(chars)
    if not common:
        return mask
    last_end = -1
    for i, h in enumerate(kgram_hashes(chars, config.k)):
        if h in common and is_sampled(h, config.sample):
            fill_from = last_end if 0 <= last_end and i - last_end <= 2 * config.k else i
            for j in range(fill_from, i + config.k):
                mask[j] = True
            last_end = i + config.k
    return mask


def novel_chars(clause_list: Sequence[Clause], mask: Sequence[bool], common: Iterable[int],
                config: AlignConfig) -> list[int]:
    """Skeleton characters of each clause that are not boilerplate; none when most of the clause's own
    fingerprints are common (a stock clause whose fingerprints happen to be sparse)."""
    common = common if isinstance(common, (set, frozenset)) else set(common)
    result = []
    for c in clause_list:
        sampled = [h for h in kgram_hashes(c.skel, config.k) if is_sampled(h, config.sample)]
        if common and sampled and 2 * sum(h in common for h in sampled) >= len(sampled):
            result.append(0)
        else:
            result.append(sum(1 for j in range(c.skel_start, c.skel_start + len(c.skel)) if not mask[j]))
    return result


def align(draft: str, sources: Sequence[Source], common: Iterable[int] = (),
          config: AlignConfig | None = None, resolve: bool = True) -> list[AlignedPassage]:
    """Passages of ``draft`` that reproduce parts of ``sources``, in draft order.

    ``common`` holds fingerprints frequent in the archive; boilerplate never makes a passage. Overlapping
    passages from different sources are resolved in favour of the passage with more matched characters
    (:func:`resolve_overlaps`) unless ``resolve`` is false.
    """
    from rapidfuzz import fuzz, process

    config = config or AlignConfig()
    draft_skel = skeleton(draft)
    draft_clauses = clauses(draft, draft_skel)
    if not draft_clauses or not sources:
        return []
    common = common if isinstance(common, (set, frozenset)) else set(common)
    novel = novel_chars(draft_clauses, common_mask(draft_skel.chars, common, config), common, config)
    seed_rows = [i for i, c in enumerate(draft_clauses) if len(c.skel) >= config.min_clause]
    if not seed_rows:
        return []
    source_clauses: list[list[Clause]] = []
    source_skels: list[str] = []
    column_owner: list[tuple[int, int]] = []  # (source index, clause index) per column
    for s_index, source in enumerate(sources):
        source_skel = skeleton(source.text)
        source_skels.append(source_skel.chars)
        found = clauses(source.text, source_skel)
        source_clauses.append(found)
        column_owner += [(s_index, c_index) for c_index, c in enumerate(found) if len(c.skel) >= config.min_clause]
    if not column_owner:
        return []
    queries = [draft_clauses[i].skel for i in seed_rows]
    choices = [source_clauses[s][c].skel for s, c in column_owner]
    scores = process.cdist(queries, choices, scorer=fuzz.ratio, score_cutoff=config.clause_score,
                           dtype="uint8", workers=1)
    rows, cols = scores.nonzero()
    # matches[source index][draft clause index] -> [(source clause index, score)]
    matches: list[dict[int, list[tuple[int, float]]]] = [{} for _ in sources]
    for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
        score = float(scores[row, col])
        d_index = seed_rows[row]
        s_index, c_index = column_owner[col]
        shorter = min(len(draft_clauses[d_index].skel), len(source_clauses[s_index][c_index].skel))
        if shorter < config.short_clause_len and score < config.short_clause_score:
            continue
        matches[s_index].setdefault(d_index, []).append((c_index, score))
    passages: list[AlignedPassage] = []
    for s_index, per_draft in enumerate(matches):
        if per_draft:
            passages += _chains_to_passages(draft_skel.chars, draft_clauses, novel, sources[s_index],
                                            source_skels[s_index], source_clauses[s_index], per_draft, config)
    return resolve_overlaps(passages) if resolve else sorted(passages, key=lambda p: (p.start, p.end, p.doc_id))


def _chains_to_passages(draft_chars: str, draft_clauses: Sequence[Clause], novel: Sequence[int], source: Source,
                        source_chars: str, src_clauses: Sequence[Clause], per_draft: dict[int, list[tuple[int, float]]],
                        config: AlignConfig) -> list[AlignedPassage]:
    from rapidfuzz import fuzz

    chains: list[_Chain] = []
    for d_index in sorted(per_draft):
        candidates = sorted(per_draft[d_index], key=lambda m: -m[1])[:config.per_clause]
        d_clause = draft_clauses[d_index]
        best: tuple[float, _Chain, int, float] | None = None
        for chain in chains[-3:]:
            last_d, last_c, _ = chain.members[-1]
            if d_clause.start - draft_clauses[last_d].end > config.max_gap_draft:
                continue
            lo, hi = src_clauses[chain.src_lo].start, src_clauses[chain.src_hi].end
            # Where the clause would be if the source ran on in step with the draft.
            expected = src_clauses[last_c].end + (d_clause.start - draft_clauses[last_d].end)
            for c_index, score in candidates:
                s_clause = src_clauses[c_index]
                if max(lo - s_clause.end, s_clause.start - hi, 0) <= config.max_gap_source:
                    key = score - min(abs(s_clause.start - expected), 300) / 10
                    if best is None or key > best[0]:
                        best = (key, chain, c_index, score)
        if best is not None:
            _, chain, c_index, score = best
            chain.draft_last = d_index
            chain.src_lo = min(chain.src_lo, c_index, key=lambda i: src_clauses[i].start)
            chain.src_hi = max(chain.src_hi, c_index, key=lambda i: src_clauses[i].end)
            chain.members.append((d_index, c_index, score))
        else:
            c_index, score = candidates[0]
            chains.append(_Chain(d_index, d_index, c_index, c_index, [(d_index, c_index, score)]))
    result = []
    for chain in chains:
        # Boilerplate extends a copied block but never makes one: count only the other characters.
        counted = [novel[d] for d, _, _ in chain.members if novel[d] >= config.min_clause]
        matched = sum(counted)
        if matched < min(config.min_passage, config.exact_min_passage) or \
                len(counted) < 2 and matched < min(config.single_clause_passage, config.exact_single_clause):
            continue
        _extend_edges(chain, draft_clauses, src_clauses, config)
        first, last = draft_clauses[chain.draft_first], draft_clauses[chain.draft_last]
        span_skel = last.skel_start + len(last.skel) - first.skel_start
        weighted = sum(len(draft_clauses[d].skel) * score / 100 for d, _, score in chain.members)
        src_first, src_last = src_clauses[chain.src_lo], src_clauses[chain.src_hi]
        whole = fuzz.ratio(draft_chars[first.skel_start:last.skel_start + len(last.skel)],
                           source_chars[src_first.skel_start:src_last.skel_start + len(src_last.skel)]) / 100
        similarity = round(min(1.0, max(weighted / max(span_skel, 1), whole)), 3)
        if similarity < config.min_similarity:
            continue
        exact = similarity >= config.exact
        if matched < (config.exact_min_passage if exact else config.min_passage) or len(counted) < 2 and \
                matched < (config.exact_single_clause if exact else config.single_clause_passage):
            continue
        result.append(AlignedPassage(first.start, last.end, source.doc_id, src_first.start, src_last.end,
                                     similarity, matched))
    return result


def _extend_edges(chain: _Chain, draft_clauses: Sequence[Clause], src_clauses: Sequence[Clause],
                  config: AlignConfig) -> None:
    """Grow a chain over neighbouring clauses that match the source's neighbouring clauses too short or
    too common to have been matched on their own (“到2025年，”, a stock closing clause of a copied block)."""
    from rapidfuzz import fuzz

    def same(d: int, c: int) -> bool:
        a, b = draft_clauses[d].skel, src_clauses[c].skel
        return a == b or min(len(a), len(b)) >= config.min_clause and fuzz.ratio(a, b) >= config.short_clause_score

    for _ in range(config.edge_clauses):
        d, c = chain.draft_first - 1, chain.src_lo - 1
        if d < 0 or c < 0 or draft_clauses[chain.draft_first].start - draft_clauses[d].end > 2 or \
                src_clauses[chain.src_lo].start - src_clauses[c].end > 2 or not same(d, c):
            break
        chain.draft_first, chain.src_lo = d, c
    for _ in range(config.edge_clauses):
        d, c = chain.draft_last + 1, chain.src_hi + 1
        if d >= len(draft_clauses) or c >= len(src_clauses) or \
                draft_clauses[d].start - draft_clauses[chain.draft_last].end > 2 or \
                src_clauses[c].start - src_clauses[chain.src_hi].end > 2 or not same(d, c):
            break
        chain.draft_last, chain.src_hi = d, c


def resolve_overlaps(passages: Iterable[AlignedPassage]) -> list[AlignedPassage]:
    """Keep the strongest passage where several cover (mostly) the same draft text; in draft order."""
    kept: list[AlignedPassage] = []
    for passage in sorted(passages, key=lambda p: (-p.matched_chars * p.similarity, p.start, p.doc_id)):
        length = passage.end - passage.start
        overlap = sum(max(0, min(passage.end, k.end) - max(passage.start, k.start)) for k in kept)
        if overlap < 0.5 * length:
            kept.append(passage)
    return sorted(kept, key=lambda p: (p.start, p.end, p.doc_id))


# --- quotations --------------------------------------------------------------------------------------

_QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "\"": "\""}
_CITED_DOC = re.compile(r"(《[^》\n]{2,80}》|〔\d{4}〕\d+号)")
_CITE_VERB = re.compile(r"(指出|要求|强调|明确|规定|提出|载明|写道)[：:，,]")
_SENTENCE_END = re.compile(r"[。！？!?\n]")


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted material: inside “” ‘’ 「」 『』 and 《》 (marks included), and the words a sentence
    reports from a superior document it names (“《……》指出：……”, “国发〔2016〕76号要求，……”).

    Unbalanced marks quote nothing. Spans are sorted and do not overlap.
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if stack and ch == _QUOTE_PAIRS[stack[-1][0]]:
            opener, start = stack.pop()
            if not stack:
                spans.append((start, i + 1))
        elif ch in _QUOTE_PAIRS:
            if ch == "\"" and stack and stack[-1][0] == "\"":
                continue
            stack.append((ch, i))
        elif ch == "\n":
            stack.clear()  # quotes do not run across paragraphs in official texts
    for cited in _CITED_DOC.finditer(text):
        verb = _CITE_VERB.match(text, cited.end()) or _CITE_VERB.match(text, _skip_parenthesis(text, cited.end()))
        if verb:
            stop = _SENTENCE_END.search(text, verb.end())
            spans.append((verb.end(), stop.end() if stop and text[stop.start()] != "\n" else
                           (stop.start() if stop else len(text))))
    return merge_spans(spans)


def _skip_parenthesis(text: str, pos: int) -> int:
    """Position after a parenthesised document number right at ``pos`` (（国发〔2016〕76号）)."""
    if pos < len(text) and text[pos] in "（(":
        close = text.find("）" if text[pos] == "（" else ")", pos, pos + 40)
        if close != -1:
            return close + 1
    return pos


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted union of ``[start, end)`` spans."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def counted_chars(text: str, spans: Iterable[tuple[int, int]] | None = None,
                  minus: Sequence[tuple[int, int]] = ()) -> int:
    """Non-blank characters of ``text`` (inside ``spans`` when given, outside ``minus``)."""
    regions = merge_spans(spans) if spans is not None else [(0, len(text))]
    holes = merge_spans(minus)
    total = 0
    for start, end in regions:
        total += _nonblank(text, start, end)
        for h_start, h_end in holes:
            lo, hi = max(start, h_start), min(end, h_end)
            if lo < hi:
                total -= _nonblank(text, lo, hi)
    return total


def _nonblank(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    return len(piece) - sum(piece.count(ch) for ch in " \t\u3000\u00a0\n\ufeff")


# --- the report's figures -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ReuseFigures:
    """The copy ratios of a draft (CNKI / Turnitin style); all ratios are shares of the draft's characters."""

    counted_chars: int
    copied_chars: int
    copy_ratio: float
    copy_ratio_excluding_quotes: float
    #: None when the author is unknown.
    copy_ratio_excluding_own: float | None
    largest_source_ratio: float
    largest_source_id: int | None
    #: doc_id -> copied characters from that source.
    per_source: dict[int, int]


def figures(text: str, passages: Sequence[AlignedPassage], own_doc_ids: set[int] | None = None,
            others: Sequence[AlignedPassage] | None = None) -> ReuseFigures:
    """Copy ratios of ``text`` given its aligned passages.

    ``own_doc_ids`` are sources written by the draft's author (None when the author is unknown);
    ``others`` are the passages found in other authors' documents (resolved among themselves, so text the
    author took from their own earlier document that also stands in someone else's still counts). Without
    ``others``, the passages not from ``own_doc_ids`` are used.
    """
    total = counted_chars(text)
    spans = [(p.start, p.end) for p in passages]
    copied = counted_chars(text, spans)
    quoted = quotation_spans(text)
    copied_unquoted = counted_chars(text, spans, minus=quoted)
    per_source: dict[int, int] = {}
    for doc_id in sorted({p.doc_id for p in passages}):
        per_source[doc_id] = counted_chars(text, [(p.start, p.end) for p in passages if p.doc_id == doc_id])
    largest_id = max(per_source, key=lambda d: (per_source[d], -d)) if per_source else None
    excluding_own = None
    if own_doc_ids is not None:
        if others is None:
            others = [p for p in passages if p.doc_id not in own_doc_ids]
        excluding_own = counted_chars(text, [(p.start, p.end) for p in others])

    def ratio(chars: int) -> float:
        return round(chars / total, 4) if total else 0.0

    return ReuseFigures(
        counted_chars=total, copied_chars=copied, copy_ratio=ratio(copied),
        copy_ratio_excluding_quotes=ratio(copied_unquoted),
        copy_ratio_excluding_own=None if excluding_own is None else ratio(excluding_own),
        largest_source_ratio=ratio(per_source[largest_id]) if largest_id is not None else 0.0,
        largest_source_id=largest_id, per_source=per_source)
