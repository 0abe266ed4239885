"""Chinese word segmentation with jieba, loaded lazily and once per process.

jieba is imported only when a function here is first called, so ``drafter`` starts fast. Its dictionary is
built once per process; the prefix-dictionary cache it writes goes to a per-user folder under the system
temporary directory (or ``DRAFTER_CACHE_DIR``), never next to the installed package, and a cache that
cannot be written is simply not written. jieba's log lines ("Building prefix dict …") are silenced.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

_lock = threading.Lock()
_tokenizer: Any = None


def cache_dir() -> Path | None:
    """Folder for jieba's prefix-dictionary cache: ``DRAFTER_CACHE_DIR``, else a per-user temp folder.

    Returns None when no writable folder exists (read-only system): jieba then builds its dictionary in
    memory on every start and writes nothing.
    """
    configured = os.environ.get("DRAFTER_CACHE_DIR")
    uid = os.getuid() if hasattr(os, "getuid") else "user"
    folder = Path(configured) if configured else Path(tempfile.gettempdir()) / f"drafter-cache-{uid}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def tokenizer() -> Any:
    """The process-wide ``jieba.Tokenizer``, initialised on first use (thread-safe)."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            import jieba

            logger = jieba.default_logger  # the "jieba._compat" logger with its own stderr handler
            logger.setLevel(logging.CRITICAL + 1)  # quiet, including "Dump cache file failed"
            try:
                tk = jieba.Tokenizer()
                folder = cache_dir()
                tk.tmp_dir = str(folder) if folder else _missing_dir()
                tk.initialize()
            finally:
                logger.setLevel(logging.WARNING)
            _tokenizer = tk
    return _tokenizer


def _missing_dir() -> str:
    """A folder that does not exist: jieba finds no cache there and fails (quietly) to write one."""
    return os.path.join(tempfile.gettempdir(), "drafter-cache-unavailable", "none")


def cut(text: str) -> list[str]:
    """Words of ``text`` in order, concatenating back to ``text`` (dictionary only, no HMM guessing)."""
    if not text:
        return []
    return tokenizer().lcut(text, HMM=False)


def word_spans(text: str, start: int = 0) -> list[tuple[int, int]]:
    """``[start, end)`` spans of the words of ``text``, shifted by ``start``."""
    spans = []
    pos = start
    for word in cut(text):
        spans.append((pos, pos + len(word)))
        pos += len(word)
    return spans


@lru_cache(maxsize=1)
def word_tags() -> dict[str, str]:
    """Part-of-speech tag of every word in jieba's dictionary (``{"高度重视": "l", …}``)."""
    tags: dict[str, str] = {}
    with tokenizer().get_dict_file() as stream:
        for raw in stream:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 3:
                tags[parts[0]] = parts[2]
    return tags
