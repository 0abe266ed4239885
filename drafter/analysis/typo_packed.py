"""Compact, lazily expanded forms of the typo check's large tables, so a fresh process starts fast.

jieba's 350,000 words and the word-slot index take seconds to build as Python dicts. Packed, each table is
one string per *bucket* (the key's first character that is not a wildcard), a few thousand strings that
load in a fraction of a second; a bucket becomes a dict the first time a text needs it, so checking a short
draft touches only the buckets of its own characters. The service layer stores the packed form in a cache
file (this module does no I/O).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: Wildcards of the slot index (``"共?国"``, ``"共|国"``) never name a bucket.
_WILDCARDS = "?|"


def bucket_of(key: str) -> str:
    """The bucket of ``key``: its first character that is not a wildcard."""
    return key[1] if key[0] in _WILDCARDS else key[0]


class PackedMap:
    """A read-only mapping ``str -> value`` kept as packed bucket strings until a bucket is used.

    ``extra`` (the allowlist, say) is merged into each bucket as it expands, with ``merge(old, new)``
    deciding between a packed value and an extra one.
    """

    def __init__(self, buckets: dict[str, str], parse: Callable[[str], Any] = str,
                 extra: dict[str, Any] | None = None,
                 merge: Callable[[Any, Any], Any] = lambda old, new: new) -> None:
        self._packed = buckets
        self._parse = parse
        self._merge = merge
        self._extra: dict[str, dict[str, Any]] = {}
        for key, value in (extra or {}).items():
            self._extra.setdefault(bucket_of(key), {})[key] = value
        self._expanded: dict[str, dict[str, Any]] = {}

    @classmethod
    def from_dict(cls, mapping: dict[str, Any], parse: Callable[[str], Any] = str, **kwargs: Any) -> PackedMap:
        """A packed map of ``mapping`` (values written with ``str`` and read back with ``parse``)."""
        return cls(pack(mapping), parse, **kwargs)

    def bucket(self, char: str) -> dict[str, Any]:
        """All entries whose bucket is ``char`` (expanded on first use)."""
        found = self._expanded.get(char)
        if found is None:
            found = {}
            raw = self._packed.get(char)
            if raw:
                parse = self._parse
                for line in raw.split("\n"):
                    key, _, value = line.partition("\t")
                    found[key] = parse(value)
            for key, value in self._extra.get(char, {}).items():
                found[key] = self._merge(found[key], value) if key in found else value
            self._expanded[char] = found
        return found

    def get(self, key: str, default: Any = None) -> Any:
        """The value of ``key``, or ``default``."""
        return self.bucket(bucket_of(key)).get(key, default) if key else default

    def __getitem__(self, key: str) -> Any:
        return self.bucket(bucket_of(key))[key]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(key) and key in self.bucket(bucket_of(key))

    def keys(self) -> Iterator[str]:
        """Every key (expands every bucket: for building indexes, not for checking texts)."""
        for char in set(self._packed) | set(self._extra):
            yield from self.bucket(char)

    def items(self) -> Iterator[tuple[str, Any]]:
        """Every entry (expands every bucket)."""
        for char in set(self._packed) | set(self._extra):
            yield from self.bucket(char).items()

    def __len__(self) -> int:
        return sum(1 for _ in self.keys())


def pack(mapping: dict[str, Any] | Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Bucket strings of ``mapping``: ``"key<TAB>value"`` lines per bucket (keys hold no tab or newline)."""
    lines: dict[str, list[str]] = {}
    items = mapping.items() if isinstance(mapping, dict) else mapping
    for key, value in items:
        if key and "\t" not in key and "\n" not in key:
            lines.setdefault(bucket_of(key), []).append(f"{key}\t{value}")
    return {char: "\n".join(group) for char, group in lines.items()}
