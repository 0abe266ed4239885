"""Draft pages: lists, new draft, the version page with annotations and the analysis panel, the editor,
uploads, downloads and the comparison of two versions. Thin: permissions and changes live in services."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from sqlalchemy import select
from werkzeug.wrappers import Response

from drafter.analysis.diff import diff_texts
from drafter.services import audit, permissions, review
from drafter.services.annotations import open_count, place_annotations
from drafter.services.archive import export_document
from drafter.services.check_runner import CheckUnavailable
from drafter.services.checks import CheckConfigError, checkers
from drafter.services.draft_checks import (
    METRIC_LABELS,
    counts,
    current_report,
    family_label,
    group_findings,
    progress,
    version_report,
)
from drafter.services.drafts import (
    DOC_TYPES,
    DraftError,
    PermissionDenied,
    StaleVersion,
    create_draft,
    list_drafts,
    owners_for,
    save_version,
    upload_version,
)
from drafter.store.models import Document, DocumentKind
from drafter.store.workflow import AnnotationCategory, Draft, DraftVersion
from drafter.web import db_session
from drafter.web.common import (
    check_runner,
    database,
    forbid,
    form_int,
    load_draft,
    load_version,
    parse_date,
    settings,
    today,
    user,
)
from drafter.web.highlight import Mark, render_paragraphs

bp = Blueprint("drafts", __name__)

SCOPES = {"mine": "我的文稿", "juniors": "学员文稿", "all": "全部可见文稿"}


@bp.get("/drafts/")
def index() -> str:
    """Drafts the user works on: own and own pair's, the juniors' (mentors), everything visible (admin)."""
    me = user()
    scope = request.args.get("scope")
    if scope not in SCOPES:
        scope = "mine"
    rows = list_drafts(db_session(), me, scope, today())
    if not rows and "scope" not in request.args:  # nothing of one's own yet: show what one reviews
        for fallback in ("juniors", "all"):
            if fallback == "all" and not permissions.is_admin(me):
                continue
            rows = list_drafts(db_session(), me, fallback, today())
            if rows:
                scope = fallback
                break
    return render_template("drafts/index.html", rows=rows, scope=scope, scopes=SCOPES)


@bp.route("/drafts/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    """Create a draft: title, 文种, due date, 任务要求, writer (self or a junior), optional first text."""
    me = user()
    session = db_session()
    owners = owners_for(session, me, today())
    form: dict[str, Any] = dict(request.form) if request.method == "POST" else {}
    if request.method == "GET":
        return render_template("drafts/new.html", owners=owners, doc_types=DOC_TYPES, form=form)
    try:
        due = parse_date(request.form.get("due_date"))
        owner_id = form_int("owner_id") or me.id
        owner = next((u for u in owners if u.id == owner_id), None)
        if owner is None:
            raise DraftError("只能为自己或正在指导的学员新建文稿")
        draft = create_draft(session, me, request.form.get("title", ""), request.form.get("doc_type"), due,
                             request.form.get("assignment"), owner, request.form.get("text") or None)
    except (DraftError, ValueError) as exc:
        session.rollback()
        return render_template("drafts/new.html", owners=owners, doc_types=DOC_TYPES, form=form,
                               error=str(exc)), 400
    session.commit()
    flash("文稿已创建。" + ("" if draft.version_count else "请开始撰写或上传第一稿。"), "success")
    if draft.version_count == 0:
        return redirect(url_for("drafts.edit", draft_id=draft.id))
    return redirect(url_for("drafts.view", draft_id=draft.id))


@bp.get("/drafts/<int:draft_id>")
def view(draft_id: int) -> str | Response:
    """The draft at its newest version (or the version picked with ``?v=N``)."""
    draft = load_draft(draft_id)
    picked = request.args.get("v", type=int)
    if picked:
        return redirect(url_for("drafts.version", draft_id=draft_id, number=picked))
    if draft.latest_version is None:
        return render_template("drafts/empty.html", **_page_context(draft))
    return version(draft_id, draft.latest_version.number)


@bp.get("/drafts/<int:draft_id>/versions/<int:number>")
def version(draft_id: int, number: int) -> str:
    """One version: the text with annotations and findings marked, the panels, the history.

    The page never waits for the checks: when the version's report is not current, it shows the text with
    its annotations at once and its script fetches :func:`analysis` (``?checks=now`` runs them in the page,
    for browsers without scripts).
    """
    draft = load_draft(draft_id)
    shown = load_version(draft, number)
    session = db_session()
    report = current_report(session, draft, shown, settings())
    run_now = request.args.get("checks") == "now" or not checkers()
    context = _page_context(draft)
    try:
        if report is None and run_now:
            report = version_report(session, database(), draft, shown, settings(), runner=check_runner())
        context.update(_analysis_context(draft, shown, report, run_missing=run_now))
    except (CheckUnavailable, CheckConfigError) as exc:
        session.rollback()
        context.update(_analysis_context(draft, shown, None, run_missing=False), check_error=str(exc))
    session.commit()
    return render_template("drafts/version.html", **context)


@bp.get("/drafts/<int:draft_id>/versions/<int:number>/analysis")
def analysis(draft_id: int, number: int) -> Response | tuple[Response, int]:
    """The analysis of a version as page fragments (JSON), for the version page's script: the text with every
    mark, the checks panel, similar material, the per-version counts. Runs the checks when needed."""
    draft = load_draft(draft_id)
    shown = load_version(draft, number)
    session = db_session()
    context = _page_context(draft)
    try:
        report = version_report(session, database(), draft, shown, settings(), runner=check_runner())
        context.update(_analysis_context(draft, shown, report, run_missing=True))
    except (CheckUnavailable, CheckConfigError) as exc:
        session.rollback()
        return jsonify(error=str(exc)), 503
    session.commit()
    fragments = {name: render_template(f"drafts/_{name}.html", **context) for name in ("checks", "similar", "progress")}
    return jsonify(paper="".join(context["paragraphs"]), **fragments,
                   counts={"findings": len(report["findings"]), "errors": context["counts"]["error"],
                           "similar": len(context["similar"]), "reuse": len(report["reuse"].get("passages", []))})


#: The report shown while the checks of a version still run.
PENDING_REPORT: dict[str, Any] = {"findings": [], "metrics": {}, "reuse": {"copy_ratio": 0.0, "sources": [],
                                                                       "passages": []}, "similar": []}


def _analysis_context(draft: Draft, shown: DraftVersion, report: dict[str, Any] | None,
                      run_missing: bool) -> dict[str, Any]:
    """What the version page shows of a report (``None``: the checks are still to run). The per-version
    counts come from the cache; ``run_missing`` checks the versions that were never checked."""
    session = db_session()
    pending = report is None
    report = PENDING_REPORT if report is None else report
    placed = place_annotations(session, draft, shown)
    marks = [Mark("finding", str(i), f["start"], f["end"], f["severity"]) for i, f in enumerate(report["findings"])]
    marks += [Mark("annotation", str(p.annotation.id), p.anchor.start, p.anchor.end,
                   "cat-" + p.annotation.category + (" resolved" if p.annotation.resolved else ""))
              for p in placed if p.anchor.placed]
    marks += [Mark("reuse", str(i), p["start"], p["end"]) for i, p in enumerate(report["reuse"].get("passages", []))]
    rows = progress(session, database(), draft, settings(), cached_only=not run_missing, runner=check_runner())
    complete = not pending and len(rows) == len(draft.versions)
    return {
        "version": shown, "report": report, "placed": placed, "paragraphs": render_paragraphs(shown.text, marks),
        "groups": group_findings(report), "family_label": family_label, "metric_labels": METRIC_LABELS,
        "metrics": _plain_metrics(report.get("metrics", {})), "progress": rows,
        "sources": _visible_sources(report["reuse"].get("sources", []), "doc_id"),
        "similar": _visible_sources(report.get("similar", []), "doc_id"),
        "categories": list(AnnotationCategory), "counts": counts(report)[0], "checks_enabled": bool(checkers()),
        "pending": pending,
        "analysis_url": None if complete else url_for("drafts.analysis", draft_id=draft.id, number=shown.number),
    }


def _page_context(draft: Draft) -> dict[str, Any]:
    me = user()
    session = db_session()
    task = draft.current_task
    following = [t for t in draft.tasks if task and t.round == task.round and t.position > task.position]
    return {
        "draft": draft, "me": me, "next_task": following[0] if following else None,
        "timeline": audit.draft_timeline(session, draft),
        "steps": review.status_steps(session, draft),
        "task": task,
        "open_annotations": open_count(session, draft),
        "can_edit": permissions.can_edit_draft(me, draft),
        "can_submit": permissions.can_submit(me, draft),
        "can_withdraw": permissions.can_withdraw(me, draft),
        "can_decide": permissions.can_decide(me, draft),
        "can_annotate": permissions.can_annotate(me, draft),
        "overdue": draft.due_date is not None and draft.due_date < today() and draft.state != "approved",
        "today": today(),
    }


def _plain_metrics(metrics: dict[str, Any]) -> list[tuple[str, str]]:
    """Metrics that are single numbers or words, formatted for the panel."""
    rows = []
    for key, value in metrics.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            continue
        label = METRIC_LABELS.get(key, key)
        if isinstance(value, float):
            shown = f"{value:.1%}" if key.endswith(("ratio", "density", "share")) and value <= 1 else f"{value:.2f}"
        else:
            shown = str(value)
        rows.append((label, shown))
    return rows


def _visible_sources(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Report items naming other documents, with a link where the user may open that document.

    Archive documents link to the archive; versions of other drafts only when the user may see that draft.
    """
    session = db_session()
    me = user()
    result = []
    for item in items:
        doc = session.get(Document, item.get(key)) if item.get(key) is not None else None
        entry = dict(item)
        entry["link"] = None
        if doc is None:
            entry["title"] = item.get("title") or "（文档已删除）"
        elif doc.kind == DocumentKind.ARCHIVE.value:
            entry["link"] = url_for("archive.document", doc_id=doc.id)
        else:
            owner_version = session.scalar(select(DraftVersion).where(DraftVersion.document_id == doc.id))
            other = owner_version.draft if owner_version else None
            if other is not None and permissions.can_view_draft(me, other):
                entry["link"] = url_for("drafts.version", draft_id=other.id, number=owner_version.number)
                entry["title"] = f"{other.title}（第{owner_version.number}稿）"
            else:
                entry["title"] = "其他撰稿人的文稿（无权查看）"
                entry["paragraph"] = None
        result.append(entry)
    return result


def similar_endpoint() -> str | None:
    """URL of the live similar-material endpoint for the editor's side panel, when a blueprint provides one.

    The view named by ``SIMILAR_PANEL_ENDPOINT`` (default ``similar.panel``) takes a POST of JSON
    ``{"text": paragraph, "draft_id": id}`` and answers ``{"items": [...]}`` in the ``similar`` shape of the
    ``drafter check`` JSON; ``Drafter.similarPanel`` in ``static/drafter.js`` calls it as the writer types.
    """
    name = current_app.config.get("SIMILAR_PANEL_ENDPOINT", "similar.panel")
    return url_for(name) if name in current_app.view_functions else None


def rerender_editor(draft_id: int, message: str, status: int) -> tuple[str, int]:
    """The editor again with the text the user sent, and why it was not saved (nothing typed is lost)."""
    draft = load_draft(draft_id)
    text = request.form.get("text", "")
    latest = draft.latest_version
    comparison = diff_texts(latest.text, text) if latest is not None and text.strip() else None
    return render_template("drafts/edit.html", draft=draft, text=text, base=draft.version_count,
                           note=request.form.get("note", ""), error=message, comparison=comparison,
                           limit_mb=settings().upload_limit_mb, similar_endpoint=similar_endpoint()), status


@bp.route("/drafts/<int:draft_id>/edit", methods=["GET", "POST"])
def edit(draft_id: int) -> str | Response | tuple[str, int]:
    """The editor. A save made on an outdated version is refused and the text is shown again."""
    draft = load_draft(draft_id)
    me = user()
    if not permissions.can_edit_draft(me, draft):
        forbid("文稿正在审阅中或已通过，不能修改。" if draft.owner_id == me.id or permissions.is_pair_mentor(me, draft)
               else "您可以查看这篇文稿，但不能修改。")
    if request.method == "GET":
        latest = draft.latest_version
        return render_template("drafts/edit.html", draft=draft, text=latest.text if latest else "",
                               base=draft.version_count, note="", limit_mb=settings().upload_limit_mb,
                               similar_endpoint=similar_endpoint())
    base = form_int("base")
    if base is None:
        return rerender_editor(draft_id, "表单缺少版本信息，本次内容没有保存，请再次点击“保存”。", 400)
    session = db_session()
    try:
        saved = save_version(session, draft, me, request.form.get("text", ""), base, note=request.form.get("note"))
    except StaleVersion as exc:
        session.rollback()
        return rerender_editor(draft_id, str(exc), 409)
    except PermissionDenied as exc:
        session.rollback()
        forbid(str(exc))
    except DraftError as exc:
        session.rollback()
        return rerender_editor(draft_id, str(exc), 400)
    session.commit()
    if saved is None:
        flash(f"内容与第{draft.version_count}稿相同，没有生成新版本。", "warning")
        return redirect(url_for("drafts.view", draft_id=draft.id))
    flash(f"已保存为第{saved.number}稿。", "success")
    return redirect(url_for("drafts.version", draft_id=draft.id, number=saved.number, saved=saved.number))


@bp.post("/drafts/<int:draft_id>/upload")
def upload(draft_id: int) -> Response | tuple[str, int]:
    """Upload a .docx/.txt/.md file as the next version; a bad or stale upload changes nothing."""
    draft = load_draft(draft_id)
    me = user()
    if not permissions.can_edit_draft(me, draft):
        forbid("文稿正在审阅中或已通过，不能上传新版本。")
    file = request.files.get("file")
    base = form_int("base")
    session = db_session()
    try:
        if base is None:
            raise DraftError("表单缺少版本信息，请刷新页面后重新上传")
        data = file.read(settings().upload_limit_bytes + 1) if file else b""
        saved = upload_version(session, draft, me, data, file.filename if file else "", base,
                               settings().upload_limit_bytes, note=request.form.get("note"))
    except DraftError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("drafts.edit", draft_id=draft.id))
    session.commit()
    if saved is None:
        flash("上传的文件与最新一稿内容相同，没有生成新版本。", "warning")
        return redirect(url_for("drafts.view", draft_id=draft.id))
    flash(f"已上传并保存为第{saved.number}稿。", "success")
    return redirect(url_for("drafts.version", draft_id=draft.id, number=saved.number))


@bp.get("/drafts/<int:draft_id>/versions/<int:number>/export.<fmt>")
def export(draft_id: int, number: int, fmt: str) -> Response:
    """Download a version as .docx (GB/T 9704 layout) or .txt."""
    if fmt not in ("docx", "txt"):
        abort(404)
    draft = load_draft(draft_id)
    shown = load_version(draft, number)
    data = export_document(shown.document, fmt)
    mimetype = ("text/plain; charset=utf-8" if fmt == "txt"
                else "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    name = f"draft-{draft.id}-v{number}.{fmt}"
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
    readable = f"{draft.title[:60]}（第{number}稿）.{fmt}"
    response.headers["Content-Disposition"] = f"attachment; filename={name}; filename*=UTF-8''{quote(readable)}"
    return response


@bp.get("/drafts/<int:draft_id>/compare")
def compare(draft_id: int) -> str:
    """Two versions side by side or inline, word by word."""
    draft = load_draft(draft_id)
    if len(draft.versions) < 1:
        abort(404)
    newest = draft.latest_version.number
    b = request.args.get("b", newest, type=int)
    a = request.args.get("a", max(b - 1, 1), type=int)
    old, new_ = load_version(draft, a), load_version(draft, b)
    mode = "side" if request.args.get("mode") == "side" else "inline"
    return render_template("drafts/compare.html", draft=draft, old=old, new=new_, mode=mode,
                           comparison=diff_texts(old.text, new_.text))

