"""Registry of indexers that keep search and reuse indexes in step with the documents table.

An indexer is a function ``(session, document) -> None`` run inside the transaction that adds a document
(an import or a saved draft version), so a document and its index entries land together or not at all.
Index modules register themselves; this module lists which to load, so adding an index never touches the
importer or the web app. Slow work (embeddings) is queued as a background job by its indexer.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from sqlalchemy.orm import Session

from drafter.store.models import Document

Indexer = Callable[[Session, Document], None]
Remover = Callable[[Session, int], None]

#: Modules that call :func:`register` when imported.
INDEX_MODULES: list[str] = [
    "drafter.services.reuse_index",
    "drafter.services.search_indexing",
]

_indexers: dict[str, Indexer] = {}
_removers: dict[str, Remover] = {}
_loaded = False


def register(name: str, index: Indexer, remove: Remover | None = None) -> None:
    """Register an index under ``name``: ``index`` adds a document's entries, ``remove`` drops them."""
    _indexers[name] = index
    if remove is not None:
        _removers[name] = remove


def _load() -> None:
    global _loaded
    if not _loaded:
        for module in INDEX_MODULES:
            importlib.import_module(module)
        _loaded = True


def index_document(session: Session, document: Document) -> None:
    """Add ``document`` to every registered index (call after ``session.flush()`` so it has an id)."""
    _load()
    for index in _indexers.values():
        index(session, document)


def remove_document(session: Session, document_id: int) -> None:
    """Drop a document's entries from every index that keeps its own rows."""
    _load()
    for remove in _removers.values():
        remove(session, document_id)


def registered() -> list[str]:
    """Names of the registered indexes."""
    _load()
    return list(_indexers)
