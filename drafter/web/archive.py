"""Archive pages: list and filter the archive, read a document, download it."""

from __future__ import annotations

import io
from urllib.parse import quote

from flask import Blueprint, abort, render_template, request, send_file

from drafter.services.archive import NotFound, export_document, facet_values, get_document, list_documents
from drafter.store.models import DocumentKind
from drafter.web import db_session

bp = Blueprint("archive", __name__)

PAGE_SIZE = 30


@bp.get("/")
def index() -> str:
    """The archive list with title search and filters."""
    session = db_session()
    query = request.args.get("q", "").strip()
    doc_type = request.args.get("type") or None
    year = request.args.get("year", type=int)
    exemplar = True if request.args.get("exemplar") == "1" else None
    page = max(request.args.get("page", 1, type=int), 1)
    documents, total = list_documents(session, query=query or None, doc_type=doc_type, year=year,
                                      exemplar=exemplar, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return render_template("archive/index.html", documents=documents, total=total, query=query,
                           doc_type=doc_type, year=year, exemplar=exemplar, page=page, pages=pages,
                           facets=facet_values(session))


@bp.get("/documents/<int:doc_id>")
def document(doc_id: int) -> str:
    """One archive document, paragraph by paragraph (anchors #p<index> for links from search)."""
    doc = _archive_document(doc_id)
    return render_template("archive/document.html", doc=doc)


@bp.get("/documents/<int:doc_id>/export.<fmt>")
def export(doc_id: int, fmt: str):  # type: ignore[no-untyped-def]
    """Download as .txt or GB/T 9704 .docx."""
    if fmt not in ("txt", "docx"):
        abort(404)
    doc = _archive_document(doc_id)
    data = export_document(doc, fmt)
    mimetype = ("text/plain; charset=utf-8" if fmt == "txt"
                else "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True,
                         download_name=f"document-{doc_id}.{fmt}")
    response.headers["Content-Disposition"] = (
        f"attachment; filename=document-{doc_id}.{fmt}; filename*=UTF-8''{quote(doc.title[:60])}.{fmt}")
    return response


def _archive_document(doc_id: int):  # type: ignore[no-untyped-def]
    try:
        doc = get_document(db_session(), doc_id)
    except NotFound:
        abort(404)
    if doc.kind != DocumentKind.ARCHIVE.value:
        abort(404)
    return doc
