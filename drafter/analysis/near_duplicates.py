"""Near-duplicate documents: groups of texts that are mostly the same text.

Each document is represented by the set of its reuse fingerprints (:func:`drafter.analysis.reuse.fingerprints`:
sampled hashes of 5-character k-grams of the text's skeleton, so punctuation, particles and changed numbers
do not matter). Two documents are near duplicates when the Jaccard similarity of their sets — shared
fingerprints over all fingerprints of the two — is at least the threshold.

Comparing every pair would be quadratic, so candidates come from MinHash with locality-sensitive hashing:
48 hash functions in 12 bands of 4; two documents become candidates when all four values of one band agree
(found for about 96 % of pairs at similarity 0.7 and 99.9 % at 0.85, for 0.1 % of pairs at 0.1). Every
candidate pair is then verified on the exact sets, so a reported similarity is never an estimate. Pairs
above the threshold are joined into clusters (union-find).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: Jaccard similarity at which two documents count as near duplicates.
THRESHOLD = 0.7
BANDS, ROWS = 12, 4
#: Documents with fewer fingerprints than this (a few lines) are too short to judge.
MIN_FINGERPRINTS = 20


@dataclass(frozen=True)
class Cluster:
    """Documents that are mostly the same text: their keys, and the similarity of their verified pairs."""

    members: tuple[int, ...]
    #: Mean and lowest Jaccard similarity over the verified pairs that joined the cluster.
    mean_similarity: float
    min_similarity: float
    pairs: tuple[tuple[int, int, float], ...]


def _splitmix(values):  # type: ignore[no-untyped-def]
    """A fast 64-bit mixing function (SplitMix64's finaliser), vectorised."""
    import numpy as np

    z = values + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def signatures(sets: Sequence[Sequence[int]], seed: int = 1):  # type: ignore[no-untyped-def]
    """MinHash signatures, one row of ``BANDS * ROWS`` values per set (empty sets get all-max rows)."""
    import numpy as np

    n = len(sets)
    perms = BANDS * ROWS
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=n)
    result = np.full((n, perms), np.iinfo(np.uint64).max, dtype=np.uint64)
    if n == 0 or lengths.sum() == 0:
        return result
    values = np.concatenate([np.asarray(s, dtype=np.int64) for s in sets if len(s)]).astype(np.uint64)
    nonempty = np.flatnonzero(lengths > 0)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[nonempty]
    rng = np.random.default_rng(seed)
    salts = rng.integers(0, np.iinfo(np.int64).max, size=perms, dtype=np.int64).astype(np.uint64)
    with np.errstate(over="ignore"):
        for p, salt in enumerate(salts):
            hashed = _splitmix(values ^ salt)
            result[nonempty, p] = np.minimum.reduceat(hashed, starts)
    return result


def jaccard(a, b) -> float:  # type: ignore[no-untyped-def]
    """Shared elements over all elements of two sets given as sorted arrays of distinct values (0 for two
    empty sets)."""
    import numpy as np

    if len(a) == 0 and len(b) == 0:
        return 0.0
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared)


def as_set(values: Iterable[int]):  # type: ignore[no-untyped-def]
    """Distinct values as a sorted int64 array (compact: a large archive's sets stay small in memory)."""
    import numpy as np

    return np.unique(np.fromiter(values, dtype=np.int64))


def candidate_pairs(sigs) -> set[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """Row pairs (i < j) whose signatures agree on every value of at least one band."""
    pairs: set[tuple[int, int]] = set()
    for band in range(BANDS):
        buckets: dict[bytes, list[int]] = {}
        block = sigs[:, band * ROWS:(band + 1) * ROWS]
        for row in range(block.shape[0]):
            buckets.setdefault(block[row].tobytes(), []).append(row)
        for rows in buckets.values():
            if 1 < len(rows) <= 200:  # a huge bucket is boilerplate, not a group of copies
                pairs.update((rows[i], rows[j]) for i in range(len(rows)) for j in range(i + 1, len(rows)))
    return pairs


def find_clusters(docs: Iterable[tuple[int, Iterable[int]]], threshold: float = THRESHOLD,
                  min_fingerprints: int = MIN_FINGERPRINTS) -> list[Cluster]:
    """Clusters of near-duplicate documents among ``(key, fingerprints)``, largest first. Fingerprints may
    be any iterable of ints; sorted distinct arrays (:func:`as_set`) are used as they are.

    Documents with fewer than ``min_fingerprints`` fingerprints are left out (too short to judge).
    """
    import numpy as np

    keys: list[int] = []
    sets = []
    for key, fps in docs:
        values = fps if isinstance(fps, np.ndarray) else as_set(fps)
        if len(values) >= min_fingerprints:
            keys.append(key)
            sets.append(values)
    if len(sets) < 2:
        return []
    sigs = signatures(sets)
    parent = list(range(len(sets)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    verified: list[tuple[int, int, float]] = []
    for i, j in sorted(candidate_pairs(sigs)):
        similarity = jaccard(sets[i], sets[j])
        if similarity >= threshold:
            verified.append((i, j, similarity))
            parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in {i for pair in verified for i in pair[:2]}:
        groups.setdefault(find(i), []).append(i)
    edges: dict[int, list[tuple[int, int, float]]] = {}
    for i, j, s in verified:
        edges.setdefault(find(i), []).append((keys[i], keys[j], round(s, 4)))
    clusters = []
    for root, members in groups.items():
        sims = [s for _, _, s in edges[root]]
        clusters.append(Cluster(tuple(sorted(keys[m] for m in members)), round(sum(sims) / len(sims), 4),
                                round(min(sims), 4), tuple(sorted(edges[root]))))
    clusters.sort(key=lambda c: (-len(c.members), -c.mean_similarity, c.members))
    return clusters
