"""The archive: importing files, listing, showing and exporting documents."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from drafter.analysis.metadata import infer_date, infer_doc_type, infer_title, infer_year
from drafter.analysis.outline import parse_outline
from drafter.analysis.text import BLANK, paragraphs
from drafter.docio import (
    DEFAULT_MAX_BYTES,
    SUPPORTED_SUFFIXES,
    DocumentReadError,
    ReadResult,
    read_path,
    write_docx,
)
from drafter.services import indexing
from drafter.store.db import Database
from drafter.store.models import Document, DocumentKind, Paragraph, Tag


class NotFound(Exception):
    """No document with that id; the message is Chinese."""


@dataclass
class DocumentMeta:
    """Metadata given by the user (options, a manifest); what is None is inferred from the text."""

    title: str | None = None
    doc_type: str | None = None
    unit: str | None = None
    author: str | None = None
    date: dt.date | None = None
    year: int | None = None
    tags: list[str] = field(default_factory=list)
    exemplar: bool = False


@dataclass(frozen=True)
class ImportOutcome:
    """What happened to one file."""

    path: str
    status: str  # "imported" | "duplicate" | "failed"
    doc_id: int | None = None
    title: str = ""
    reason: str = ""


@dataclass
class ImportSummary:
    """Outcomes of an import run, with counts per status."""

    outcomes: list[ImportOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        """How many files ended with ``status``."""
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[ImportOutcome]:
        """The files that could not be imported."""
        return [o for o in self.outcomes if o.status == "failed"]


def content_hash(text: str) -> str:
    """SHA-256 of a text with trailing blanks ignored: the archive's identity of a document."""
    return hashlib.sha256(text.rstrip(BLANK + "\n").encode("utf-8")).hexdigest()


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, str | None]]:
    """Files to import, folders walked recursively in name order; yields (path, error) pairs.

    Hidden files and Word lock files (~$…) inside folders are skipped; files of other types inside folders
    are skipped silently, but a file named explicitly that cannot be imported is reported.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if (child.is_file() and child.suffix.lower() in SUPPORTED_SUFFIXES + (".doc",)
                        and not any(part.startswith((".", "~$")) for part in child.relative_to(path).parts)):
                    yield child, None
        elif path.exists():
            yield path, None
        else:
            yield path, f"文件或文件夹不存在：{path}"


def build_document(text: str, meta: DocumentMeta, origin_path: str | None = None,
                   kind: DocumentKind = DocumentKind.ARCHIVE, read: ReadResult | None = None) -> Document:
    """A new, unsaved :class:`Document` with its paragraphs; missing metadata inferred from the text."""
    title = meta.title or (read.title if read else None) or infer_title(text).title
    if not title and origin_path:
        title = Path(origin_path).stem
    date = meta.date or infer_date(text)
    year = meta.year or (date.year if date else None) or infer_year(text, title or "")
    digest = content_hash(text)
    document = Document(
        kind=kind.value, title=(title or "（无标题）")[:500], doc_type=meta.doc_type or infer_doc_type(title or ""),
        unit=meta.unit, author=meta.author or (read.author if read else None), date=date, year=year,
        is_exemplar=meta.exemplar, origin_path=origin_path, content_hash=digest,
        dedupe_key=digest if kind is DocumentKind.ARCHIVE else None, text=text, chars=len(text))
    styled = read.heading_levels if read else {}
    outline_levels = parse_outline(text).heading_levels()
    line_to_para: dict[int, int] = {}
    for para in paragraphs(text):
        line_to_para[para.line - 1] = para.index
        level = outline_levels.get(para.index)
        if level is None and (para.line - 1) in styled and styled[para.line - 1]:
            level = min(styled[para.line - 1], 4)
        document.paragraphs.append(Paragraph(index=para.index, start=para.start, end=para.end,
                                             heading_level=level))
    return document


def _attach_tags(session: Session, document: Document, names: Iterable[str]) -> None:
    for name in sorted({n.strip() for n in names if n and n.strip()}):
        tag = session.scalar(select(Tag).where(Tag.name == name))
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
            session.flush()
        document.tags.append(tag)


def add_document(session: Session, document: Document, tags: Iterable[str] = ()) -> Document:
    """Save a built document, attach tags and update every index, in the caller's transaction."""
    session.add(document)
    _attach_tags(session, document, tags)
    session.flush()
    indexing.index_document(session, document)
    return document


def import_file(db: Database, path: Path, meta: DocumentMeta | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> ImportOutcome:
    """Import one file in its own transaction; a failure leaves nothing behind."""
    meta = meta or DocumentMeta()
    try:
        read = read_path(path, max_bytes=max_bytes)
    except DocumentReadError as exc:
        return ImportOutcome(str(path), "failed", reason=str(exc))
    text = read.text
    digest = content_hash(text)
    with db.session() as session:
        existing = session.scalar(select(Document).where(Document.dedupe_key == digest))
        if existing is not None:
            return ImportOutcome(str(path), "duplicate", existing.id, existing.title, f"与已有文档 #{existing.id} 内容相同")
    try:
        with db.session() as session:
            document = add_document(session, build_document(text, meta, str(path), read=read), meta.tags)
            return ImportOutcome(str(path), "imported", document.id, document.title)
    except IntegrityError:
        return ImportOutcome(str(path), "duplicate", reason="与已有文档内容相同")
    except Exception as exc:  # one bad file must never abort the run
        return ImportOutcome(str(path), "failed", reason=f"保存失败：{type(exc).__name__}: {exc}")


def import_paths(db: Database, paths: Iterable[str | Path], meta: DocumentMeta | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES,
                 progress: Callable[[ImportOutcome], None] | None = None) -> ImportSummary:
    """Import files and folders; every file is its own transaction. ``progress`` sees each outcome."""
    summary = ImportSummary()
    for path, error in iter_files(paths):
        outcome = ImportOutcome(str(path), "failed", reason=error) if error else import_file(db, path, meta, max_bytes)
        summary.outcomes.append(outcome)
        if progress:
            progress(outcome)
    return summary


def list_documents(session: Session, query: str | None = None, doc_type: str | None = None,
                   year: int | None = None, unit: str | None = None, exemplar: bool | None = None,
                   limit: int = 50, offset: int = 0) -> tuple[list[Document], int]:
    """Archive documents, newest first, filtered by words in the title and by metadata; with the total."""
    stmt = select(Document).where(Document.kind == DocumentKind.ARCHIVE.value)
    if query:
        for word in query.split():
            stmt = stmt.where(or_(Document.title.contains(word, autoescape=True),
                                  Document.unit.contains(word, autoescape=True)))
    if doc_type:
        stmt = stmt.where(Document.doc_type == doc_type)
    if year:
        stmt = stmt.where(Document.year == year)
    if unit:
        stmt = stmt.where(Document.unit == unit)
    if exemplar is not None:
        stmt = stmt.where(Document.is_exemplar == exemplar)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Document.year.desc().nulls_last(), Document.id.desc())
                           .limit(limit).offset(offset)).all()
    return list(rows), total


def facet_values(session: Session) -> dict[str, list]:
    """Distinct types, years and units of the archive, for filter menus."""
    archive = Document.kind == DocumentKind.ARCHIVE.value
    return {
        "doc_types": [v for v in session.scalars(select(Document.doc_type).where(archive).distinct()) if v],
        "years": sorted((v for v in session.scalars(select(Document.year).where(archive).distinct()) if v),
                        reverse=True),
        "units": sorted(v for v in session.scalars(select(Document.unit).where(archive).distinct()) if v),
    }


def get_document(session: Session, doc_id: int) -> Document:
    """The document with ``doc_id`` or :class:`NotFound`."""
    document = session.get(Document, doc_id)
    if document is None:
        raise NotFound(f"文档 #{doc_id} 不存在")
    return document


def export_document(document: Document, fmt: str) -> bytes:
    """The document as ``txt`` (UTF-8) or ``docx`` (GB/T 9704 layout)."""
    if fmt == "txt":
        return document.text.encode("utf-8")
    if fmt == "docx":
        buffer = io.BytesIO()
        write_docx(document.text, buffer, title=document.title, author=document.author)
        return buffer.getvalue()
    raise ValueError(f"不支持的导出格式：{fmt}（可选 txt、docx）")
