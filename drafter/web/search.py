"""Search pages: the archive search page and the similar-material API the draft editor calls.

``GET /search`` — hybrid search with filters (文种, 单位, 年份, 精品佳作), highlighted words, a snippet around
the hit and a link to the paragraph (``/documents/<id>#p<index>``).

``POST /api/similar`` — JSON ``{"text": 段落文字, "draft_id": 草稿编号或 null, "k": 3}`` -> ``{"items": [...],
"semantic": {...}}``: the best prior paragraphs for the paragraph being edited, never from the draft itself
or its earlier versions (README, "Similar material API").
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request

from drafter.services.archive import facet_values
from drafter.store.keyword_index import DocFilter
from drafter.web import db_session

bp = Blueprint("search", __name__)

#: Longest text the similar-material API accepts (characters).
MAX_SIMILAR_CHARS = 5000
RESULTS = 20


def _engine():  # type: ignore[no-untyped-def]
    from drafter.services.search import engine_for

    settings = current_app.extensions["drafter_settings"]
    return engine_for(current_app.extensions["drafter_db"], settings.instance_path, settings.model_dir)


@bp.get("/search")
def index() -> str:
    """The search page; without a query it shows the form and the state of the indexes."""
    query = request.args.get("q", "").strip()[:200]
    doc_type = request.args.get("type") or None
    unit = request.args.get("unit") or None
    year = request.args.get("year", type=int)
    exemplar = request.args.get("exemplar") == "1"
    result = None
    if query:
        where = DocFilter(doc_type=doc_type, unit=unit, year=year, exemplar_only=exemplar)
        result = _engine().search(query, k=RESULTS, where=where)
    return render_template("search/index.html", query=query, doc_type=doc_type, unit=unit, year=year,
                           exemplar=exemplar, result=result, facets=facet_values(db_session()))


@bp.post("/api/similar")
def similar_api():  # type: ignore[no-untyped-def]
    """Similar prior paragraphs for one paragraph of a draft (JSON in, JSON out)."""
    data: Any = request.get_json(silent=True)
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return jsonify({"error": "请求格式不正确：需要 JSON 对象，其中 text 为段落文字"}), 400
    text = data["text"]
    if len(text) > MAX_SIMILAR_CHARS:
        return jsonify({"error": f"段落过长：最多 {MAX_SIMILAR_CHARS} 字"}), 413
    draft_id = data.get("draft_id")
    if draft_id is not None and not isinstance(draft_id, int):
        return jsonify({"error": "draft_id 必须是整数或 null"}), 400
    k = data.get("k", 3)
    if not isinstance(k, int) or not 1 <= k <= 10:
        return jsonify({"error": "k 必须是 1 到 10 之间的整数"}), 400
    where = DocFilter(exclude_draft_ids=frozenset({draft_id} if draft_id is not None else ()))
    items, semantic = _engine().similar(text, per_paragraph=k, where=where, spans=[(0, len(text))])
    payload = []
    for item in items:
        entry = item.to_json()
        entry["paragraph_index"] = item.hit.paragraph_index
        entry["url"] = f"/documents/{item.hit.doc_id}#p{item.hit.paragraph_index}"
        entry["doc_type"], entry["year"], entry["exemplar"] = item.hit.doc_type, item.hit.year, item.hit.is_exemplar
        payload.append(entry)
    return jsonify({"items": payload, "semantic": semantic.to_json()})
