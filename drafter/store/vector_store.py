"""The embedding index: sentence vectors stored compactly in the database, searched from a file cache.

* **Storage** — table ``search_vectors``: per sentence 384 int8 codes and one float scale
  (``vector ≈ scale * codes``, cosine to the float vector about 0.9999). The database stays the one truth,
  on SQLite and PostgreSQL alike.
* **Cache** — :class:`VectorStore` mirrors the table into flat files (a folder beside a SQLite database
  file, or under the instance folder) and keeps in memory only what a search touches for every row: ids,
  document ids, kind flags, scales, and 48-byte sign codes once the index is large. New vectors are
  appended incrementally (``search_vectors.id`` only grows); a deletion triggers a rebuild.
* **Search** — behind :class:`VectorIndex`: :class:`ExactIndex` (brute-force matrix product, used up to
  :data:`EXACT_LIMIT` rows) and :class:`BinaryRescoreIndex` (Hamming distance on mean-centred sign bits
  picks candidates, which are rescored exactly from the int8 codes read from disk). An ANN library
  (hnswlib, faiss) would be a third implementation of the same protocol.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from drafter.store import dialect
from drafter.store.models import Document, DocumentKind
from drafter.store.search_models import SearchSentence, SentenceVector

DIM = 384
#: Up to this many rows the search is an exact matrix product over codes held in memory.
EXACT_LIMIT = 150_000
#: Candidates kept from the Hamming pass for exact rescoring: max(this, 40 * k).
RESCORE_CANDIDATES = 4000
FLAG_DRAFT = 1
_CHUNK = 65_536
#: Queries scored together by :meth:`ExactIndex.search_many` (bounds its score matrix).
_QUERY_BLOCK = 64
#: How often a long-running process counts the table to notice deleted vectors.
DELETE_CHECK_SECONDS = 60.0


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Float vectors ``[n, d]`` -> (int8 codes ``[n, d]``, float32 scales ``[n]``), symmetric per row."""
    vectors = np.asarray(vectors, dtype=np.float32)
    peak = np.abs(vectors).max(axis=1)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    codes = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    return codes, scales


def dequantise(codes: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """Float32 vectors from int8 codes and per-row scales."""
    return codes.astype(np.float32) * scales[:, None]


def sign_bits(vectors: np.ndarray, centre: np.ndarray) -> np.ndarray:
    """Packed sign bits of ``vectors - centre``: ``[n, d / 8]`` uint8."""
    return np.packbits(vectors > centre, axis=1)


class VectorIndex(Protocol):
    """Nearest sentences by cosine (vectors are L2-normalised, so by dot product)."""

    def __len__(self) -> int:
        """Number of rows."""

    def search(self, query: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Row numbers and scores of the ``k`` best rows, best first; rows where ``mask`` is False never come."""

    def search_many(self, queries: np.ndarray, k: int,
                    mask: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """:meth:`search` for each row of ``queries`` (``[m, d]``)."""


class _ScaledRows:
    """What both brute-force indexes share: one scale per row, the empty case, the query as float32."""

    scales: np.ndarray

    def __len__(self) -> int:
        return len(self.scales)

    def search(self, query: np.ndarray, k: int, mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Row numbers and scores of the ``k`` best rows, best first."""
        if len(self) == 0 or k <= 0:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        return self._search(np.asarray(query, dtype=np.float32), k, mask)

    def search_many(self, queries: np.ndarray, k: int,
                    mask: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """:meth:`search` for each row of ``queries``, one by one (an index may do better)."""
        return [self.search(q, k, mask) for q in np.asarray(queries, dtype=np.float32)]

    def _search(self, q: np.ndarray, k: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError


@dataclass
class ExactIndex(_ScaledRows):
    """Brute force: every row's int8 codes times the query, in chunks (memory: ``n * d`` bytes)."""

    codes: np.ndarray
    scales: np.ndarray

    def _search(self, q: np.ndarray, k: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        return self._scored(q[None, :], k, mask)[0]

    def search_many(self, queries: np.ndarray, k: int,
                    mask: np.ndarray | None = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """All queries in one pass over the codes: each chunk is widened to float32 once, not per query
        (a draft's similar-material check asks one query per sentence)."""
        queries = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        if len(self) == 0 or k <= 0:
            return [(np.zeros(0, np.int64), np.zeros(0, np.float32)) for _ in range(len(queries))]
        found = []
        for begin in range(0, len(queries), _QUERY_BLOCK):  # scores of a block: _QUERY_BLOCK x n floats
            found += self._scored(queries[begin:begin + _QUERY_BLOCK], k, mask)
        return found

    def _scored(self, queries: np.ndarray, k: int, mask: np.ndarray | None) -> list[tuple[np.ndarray, np.ndarray]]:
        scores = np.empty((len(queries), len(self)), dtype=np.float32)
        for begin in range(0, len(self), _CHUNK):
            scores[:, begin:begin + _CHUNK] = queries @ self.codes[begin:begin + _CHUNK].astype(np.float32).T
        scores *= self.scales
        if mask is not None:
            scores[:, ~mask] = -np.inf
        return [_top(row, k) for row in scores]


@dataclass
class BinaryRescoreIndex(_ScaledRows):
    """Hamming distance on sign bits (``d / 8`` bytes per row in memory) picks candidates; their int8
    codes, read from disk, give the exact scores."""

    bits: np.ndarray
    scales: np.ndarray
    centre: np.ndarray
    read_codes: object  # Callable[[np.ndarray], np.ndarray]: row numbers -> int8 codes
    candidates: int = RESCORE_CANDIDATES

    def _search(self, q: np.ndarray, k: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        n = len(self)
        qwords = sign_bits(q[None, :], self.centre)[0].view(np.uint64)
        counts = np.bitwise_count(self.bits.view(np.uint64) ^ qwords)  # [n, d / 64] uint8
        distance = counts[:, 0].astype(np.uint16)
        for column in range(1, counts.shape[1]):
            distance += counts[:, column]
        if mask is not None and not mask.all():
            distance[~mask] = np.iinfo(np.uint16).max
        wanted = min(n, max(self.candidates, 40 * k))
        rows = np.argpartition(distance, wanted - 1)[:wanted] if wanted < n else np.arange(n)
        if mask is not None:
            rows = rows[mask[rows]]
        rows.sort()
        codes = self.read_codes(rows)  # type: ignore[operator]
        scores = (codes.astype(np.float32) @ q) * self.scales[rows]
        best, best_scores = _top(scores, k)
        return rows[best], best_scores


def _top(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    k = min(k, int(np.isfinite(scores).sum()))
    if k <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    part = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    order = part[np.argsort(-scores[part], kind="stable")]
    return order.astype(np.int64), scores[order]


def cache_folder(url: str, instance_path: Path) -> Path | None:
    """Where the vector cache of a database lives: beside a SQLite file, else in the instance folder;
    None for an in-memory SQLite database (the cache then stays in memory)."""
    if dialect.is_sqlite(url):
        database = dialect.sqlite_file(url)
        if database is None:
            return None
        return Path(database).with_name(Path(database).name + ".vectors")
    key = make_url(url).render_as_string(hide_password=True)
    return instance_path / "vectors" / hashlib.sha1(key.encode()).hexdigest()[:16]


_FILES = {"sentence_ids": np.int64, "doc_ids": np.int32, "flags": np.uint8, "scales": np.float32}


class VectorStore:
    """The vectors of one database and model, mirrored into a file cache and searchable.

    Thread-safe; several processes may share one cache folder (writers take a file lock).
    """

    def __init__(self, folder: Path | None, model: str, dim: int = DIM, exact_limit: int = EXACT_LIMIT) -> None:
        self.folder, self.model, self.dim, self.exact_limit = folder, model, dim, exact_limit
        #: Rows read from the table at a time.
        self.batch = 50_000
        self._lock = threading.RLock()
        self._checked_at = -float("inf")  # the first refresh counts the table
        self._reset()

    def _reset(self) -> None:
        self.generation = ""
        self.last_id = 0
        self.arrays: dict[str, np.ndarray] = {name: np.zeros(0, dtype) for name, dtype in _FILES.items()}
        self.codes = np.zeros((0, self.dim), np.int8)  # in memory while exact; else read from disk
        self.bits: np.ndarray | None = None
        self.centre: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.arrays["scales"])

    # ------------------------------------------------------------ files

    @contextmanager
    def _file_lock(self):  # type: ignore[no-untyped-def]
        if self.folder is None:
            yield
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / "lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _meta(self) -> dict | None:
        if self.folder is None:
            return None
        try:
            meta = json.loads((self.folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("model") != self.model or meta.get("dim") != self.dim:
            return None
        return meta

    def _write_meta(self, count: int | None = None) -> None:
        if self.folder is None:
            return
        count = len(self) if count is None else count
        meta = {"model": self.model, "dim": self.dim, "generation": self.generation, "count": count,
                "last_id": self.last_id, "centre": self.centre.tolist() if self.centre is not None else None}
        tmp = self.folder / "meta.json.tmp"
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, self.folder / "meta.json")

    def _load_files(self, meta: dict) -> None:
        """Read the rows this process does not have yet (all of them after a rebuild elsewhere)."""
        assert self.folder is not None
        if meta["generation"] != self.generation:
            self._reset()
            self.generation = meta["generation"]
        have, count = len(self), int(meta["count"])
        if count < have:
            raise ValueError("cache shrank")
        if count > have:
            for name, dtype in _FILES.items():
                size = np.dtype(dtype).itemsize
                tail = np.fromfile(self.folder / f"{name}.bin", dtype=dtype, count=count - have, offset=have * size)
                self.arrays[name] = np.concatenate([self.arrays[name], tail])
            self.centre = np.array(meta["centre"], np.float32) if meta.get("centre") else None
            if self.centre is not None:
                tail = np.fromfile(self.folder / "bits.bin", dtype=np.uint8, count=(count - have) * (self.dim // 8),
                                   offset=have * (self.dim // 8)).reshape(-1, self.dim // 8)
                self.bits = tail if self.bits is None or have == 0 else np.concatenate([self.bits, tail])
                self.codes = np.zeros((0, self.dim), np.int8)
            else:
                tail = np.fromfile(self.folder / "codes.bin", dtype=np.int8, count=(count - have) * self.dim,
                                   offset=have * self.dim).reshape(-1, self.dim)
                self.codes = np.concatenate([self.codes, tail])
        self.last_id = int(meta["last_id"])

    def _append_files(self, new: dict[str, np.ndarray], codes: np.ndarray, bits: np.ndarray | None,
                      have: int) -> None:
        if self.folder is None:
            return
        for name, dtype in _FILES.items():
            self._append(f"{name}.bin", new[name].astype(dtype), have * np.dtype(dtype).itemsize)
        self._append("codes.bin", codes, have * self.dim)
        if bits is not None:
            self._append("bits.bin", bits, have * (self.dim // 8))

    def _append(self, name: str, data: np.ndarray, offset: int) -> None:
        assert self.folder is not None
        with open(self.folder / name, "r+b" if (self.folder / name).exists() else "w+b") as handle:
            handle.truncate(offset)  # drop whatever a crashed writer left past the last good row
            handle.seek(offset)
            handle.write(np.ascontiguousarray(data).tobytes())

    def read_codes(self, rows: np.ndarray) -> np.ndarray:
        """int8 codes of the given row numbers: from memory, or from the codes file through a mapping that
        lives only for this call (the pages stay in the page cache, not in the process's resident set)."""
        if len(self.codes) == len(self) or self.folder is None:
            return self.codes[rows]
        mapped = np.memmap(self.folder / "codes.bin", dtype=np.int8, mode="r", shape=(len(self), self.dim))
        try:
            return np.array(mapped[rows])
        finally:
            mapped._mmap.close()  # type: ignore[attr-defined]
            del mapped

    # ------------------------------------------------------------ sync with the database

    def refresh(self, session: Session, full_check: bool = False) -> int:
        """Bring the cache up to date with ``search_vectors``; returns the number of rows added.

        New rows are found by id at every call; deleted rows (a count of the table) every
        :data:`DELETE_CHECK_SECONDS` or when ``full_check`` is asked for.
        """
        with self._lock, self._file_lock():
            meta = self._meta()
            if meta is not None:
                try:
                    self._load_files(meta)
                except (OSError, ValueError):
                    self._reset()  # files missing or cut short: mirror the table again
            elif self.folder is not None and len(self):
                self._reset()
            if self.last_id and len(self) and not self._same_table(session):
                self._reset()  # the table was recreated (a restore, a new database): mirror it again
            new_in_db = session.scalar(select(func.count()).select_from(SentenceVector)
                                       .where(SentenceVector.model == self.model,
                                              SentenceVector.id > self.last_id)) or 0
            rebuilt = not self.generation
            if not rebuilt and (full_check or time.monotonic() - self._checked_at > DELETE_CHECK_SECONDS):
                # Counting a large table costs a scan of its index: look for deleted rows now and then.
                in_db = session.scalar(select(func.count()).select_from(SentenceVector)
                                       .where(SentenceVector.model == self.model)) or 0
                rebuilt = in_db < len(self) + new_in_db
                self._checked_at = time.monotonic()
            if rebuilt:
                self._rebuild_start()  # first use, or vectors were deleted: mirror everything again
                new_in_db = 1  # pull everything
            added = self._pull(session) if new_in_db else 0
            if added == 0 and (meta is None or rebuilt):
                self._write_meta()
            return added

    def _same_table(self, session: Session) -> bool:
        """Whether the last row this cache holds is still the same row of the table."""
        sentence = session.scalar(select(SentenceVector.sentence_id).where(SentenceVector.id == self.last_id))
        return sentence is not None and int(sentence) == int(self.arrays["sentence_ids"][-1])

    def _rebuild_start(self) -> None:
        self._reset()
        self.generation = os.urandom(6).hex()
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name in [*(f"{n}.bin" for n in _FILES), "codes.bin", "bits.bin"]:
                (self.folder / name).unlink(missing_ok=True)

    def _pull(self, session: Session) -> int:
        """Append the table's new rows to the files and to memory (arrays joined once, not per batch)."""
        added = 0
        pending: dict[str, list[np.ndarray]] = {name: [] for name in [*_FILES, "codes", "bits"]}

        def flush() -> None:
            """Join the pending batches into the in-memory arrays."""
            for name in _FILES:
                self.arrays[name] = np.concatenate([self.arrays[name], *pending[name]])
            if pending["codes"]:
                self.codes = np.concatenate([self.codes, *pending["codes"]])
            if pending["bits"]:
                self.bits = np.concatenate([b for b in [self.bits, *pending["bits"]] if b is not None])
            for chunks in pending.values():
                chunks.clear()

        while True:
            rows = session.execute(
                select(SentenceVector.id, SentenceVector.sentence_id, SearchSentence.document_id, Document.kind,
                       SentenceVector.scale, SentenceVector.codes)
                .join(SearchSentence, SearchSentence.id == SentenceVector.sentence_id)
                .join(Document, Document.id == SearchSentence.document_id)
                .where(SentenceVector.model == self.model, SentenceVector.id > self.last_id)
                .order_by(SentenceVector.id).limit(self.batch)).all()
            if not rows:
                break
            codes = np.frombuffer(b"".join(r[5] for r in rows), np.int8).reshape(len(rows), self.dim)
            new = {"sentence_ids": np.array([r[1] for r in rows], np.int64),
                   "doc_ids": np.array([r[2] for r in rows], np.int32),
                   "flags": np.array([FLAG_DRAFT if r[3] == DocumentKind.DRAFT.value else 0 for r in rows], np.uint8),
                   "scales": np.array([r[4] for r in rows], np.float32)}
            have = len(self) + sum(len(a) for a in pending["scales"])  # rows already in the files
            if self.centre is None and have + len(rows) > self.exact_limit:
                flush()
                self._start_binary(codes, new["scales"])
            bits = sign_bits(dequantise(codes, new["scales"]), self.centre) if self.centre is not None else None
            self._append_files(new, codes, bits, have)
            for name in _FILES:
                pending[name].append(new[name])
            if self.centre is None or self.folder is None:
                pending["codes"].append(codes)
            if bits is not None:
                pending["bits"].append(bits)
            self.last_id = int(rows[-1][0])
            added += len(rows)
            self._write_meta(have + len(rows))
        flush()
        return added

    def _start_binary(self, new_codes: np.ndarray, new_scales: np.ndarray) -> None:
        """Switch to sign-bit candidates: centre on the mean vector, write bits for every existing row."""
        old = dequantise(self.codes, self.arrays["scales"]) if len(self) else np.zeros((0, self.dim), np.float32)
        sample = np.concatenate([old[:200_000], dequantise(new_codes[:200_000], new_scales[:200_000])])
        self.centre = sample.mean(axis=0).astype(np.float32)
        self.bits = np.concatenate([sign_bits(old[i:i + _CHUNK], self.centre) for i in range(0, len(old), _CHUNK)]) \
            if len(old) else np.zeros((0, self.dim // 8), np.uint8)
        if self.folder is not None:
            with open(self.folder / "bits.bin", "wb") as handle:
                handle.write(self.bits.tobytes())
            self.codes = np.zeros((0, self.dim), np.int8)

    # ------------------------------------------------------------ search

    def index(self) -> VectorIndex:
        """The search structure for the current rows."""
        if self.centre is None or self.bits is None:
            return ExactIndex(self.codes, self.arrays["scales"])
        return BinaryRescoreIndex(self.bits, self.arrays["scales"], self.centre, self.read_codes)

    def mask(self, include_drafts: bool = False, exclude_docs: set[int] | frozenset[int] = frozenset(),
             only_docs: np.ndarray | None = None) -> np.ndarray | None:
        """Rows a search may return: archive rows (unless drafts are wanted), minus excluded documents,
        within ``only_docs`` when given."""
        mask = None if include_drafts else (self.arrays["flags"] & FLAG_DRAFT) == 0
        if exclude_docs:
            keep = ~np.isin(self.arrays["doc_ids"], np.fromiter(exclude_docs, np.int32))
            mask = keep if mask is None else mask & keep
        if only_docs is not None:
            keep = np.isin(self.arrays["doc_ids"], only_docs)
            mask = keep if mask is None else mask & keep
        return mask

    def search(self, query: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Best ``(sentence_id, cosine)`` pairs for a query vector."""
        with self._lock:
            rows, scores = self.index().search(query, k, mask)
            ids = self.arrays["sentence_ids"][rows]
        return [(int(i), float(s)) for i, s in zip(ids, scores, strict=True)]

    def search_many(self, queries: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[list[tuple[int, float]]]:
        """:meth:`search` for each row of ``queries`` (``[m, d]``), in one pass where the index allows."""
        with self._lock:
            found = self.index().search_many(queries, k, mask)
            ids = self.arrays["sentence_ids"]
            return [[(int(i), float(s)) for i, s in zip(ids[rows], scores, strict=True)] for rows, scores in found]

    def memory_bytes(self) -> int:
        """Bytes held in memory by the cache (the codes file on disk is not counted unless loaded)."""
        total = sum(a.nbytes for a in self.arrays.values()) + self.codes.nbytes
        return total + (self.bits.nbytes if self.bits is not None else 0)


_stores: dict[tuple[str, str, str], VectorStore] = {}
_stores_lock = threading.Lock()


def shared_store(url: str, instance_path: Path, model: str) -> VectorStore:
    """One store per database, cache folder and model in this process."""
    folder = cache_folder(url, instance_path)
    key = (url, str(folder), model)
    with _stores_lock:
        if key not in _stores:
            _stores[key] = VectorStore(folder, model)
        return _stores[key]
