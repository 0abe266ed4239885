"""Review pages and actions: the 待我审阅 queue, submit / withdraw / decide, annotations and their threads.
Thin: every check and change is in :mod:`drafter.services.review` and :mod:`drafter.services.annotations`."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from drafter.services import annotations as notes
from drafter.services import review as ops
from drafter.services.drafts import DraftError, PermissionDenied
from drafter.store.workflow import Verdict
from drafter.web import db_session
from drafter.web.common import forbid, form_int, load_draft, load_version, user

bp = Blueprint("review", __name__)


@bp.get("/review/")
def queue() -> str:
    """What waits for me, oldest first, overdue ones marked; and my latest decisions."""
    me = user()
    session = db_session()
    return render_template("review/queue.html", items=ops.queue_for(session, me),
                           decided=ops.decided_by(session, me))


def _run(draft_id: int, action, success: str, anchor: str = "") -> Response:  # type: ignore[no-untyped-def]
    """Run an operation on a visible draft: 403 when not allowed, a flashed reason when refused."""
    draft = load_draft(draft_id)
    session = db_session()
    try:
        action(session, draft)
    except PermissionDenied as exc:
        session.rollback()
        forbid(str(exc))
    except DraftError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("drafts.view", draft_id=draft_id))
    session.commit()
    flash(success, "success")
    return redirect(url_for("drafts.view", draft_id=draft_id) + anchor)


@bp.post("/drafts/<int:draft_id>/submit")
def submit(draft_id: int) -> Response:
    """Submit the newest version for review."""
    me = user()
    return _run(draft_id, lambda s, d: ops.submit(s, d, me), "已提交审阅。")


@bp.post("/drafts/<int:draft_id>/withdraw")
def withdraw(draft_id: int) -> Response:
    """Take the submission back (before any reviewer decided)."""
    me = user()
    return _run(draft_id, lambda s, d: ops.withdraw(s, d, me), "已撤回提交，可以继续修改。")


@bp.post("/drafts/<int:draft_id>/decide")
def decide(draft_id: int) -> Response:
    """The current reviewer's verdict: 通过 or 退回修改, with an overall comment."""
    me = user()
    try:
        verdict = Verdict(request.form.get("verdict", ""))
    except ValueError:
        abort(400)
    comment = request.form.get("comment", "")
    done = "已退回撰稿人修改。" if verdict is Verdict.RETURN else "审阅意见已提交。"
    return _run(draft_id, lambda s, d: ops.decide(s, d, me, verdict, comment), done)


@bp.post("/drafts/<int:draft_id>/versions/<int:number>/annotations")
def annotate(draft_id: int, number: int) -> Response:
    """Add an annotation on selected text (offsets from the page's script, or a quoted phrase without it)."""
    me = user()
    draft = load_draft(draft_id)
    shown = load_version(draft, number)
    start, end = form_int("start"), form_int("end")
    quote = request.form.get("quote")
    session = db_session()
    try:
        made = notes.add_annotation(session, draft, shown, me, start, end, request.form.get("category", ""),
                                    request.form.get("comment", ""), request.form.get("replacement"), quote)
    except PermissionDenied as exc:
        session.rollback()
        forbid(str(exc))
    except DraftError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("drafts.version", draft_id=draft_id, number=number))
    session.commit()
    flash("批注已添加。", "success")
    return redirect(url_for("drafts.version", draft_id=draft_id, number=number) + f"#note-{made.id}")


def _annotation(draft_id: int, annotation_id: int):  # type: ignore[no-untyped-def]
    draft = load_draft(draft_id)
    found = notes.get_annotation(db_session(), draft, annotation_id)
    if found is None:
        abort(404)
    return draft, found


def _back(draft_id: int, anchor: str) -> Response:
    number = form_int("number")
    if number:
        return redirect(url_for("drafts.version", draft_id=draft_id, number=number) + anchor)
    return redirect(url_for("drafts.view", draft_id=draft_id) + anchor)


@bp.post("/drafts/<int:draft_id>/annotations/<int:annotation_id>/replies")
def reply(draft_id: int, annotation_id: int) -> Response:
    """Reply in an annotation's thread."""
    me = user()
    draft, found = _annotation(draft_id, annotation_id)
    session = db_session()
    try:
        notes.reply(session, draft, found, me, request.form.get("text", ""))
    except PermissionDenied as exc:
        session.rollback()
        forbid(str(exc))
    except DraftError as exc:
        session.rollback()
        flash(str(exc), "error")
        return _back(draft_id, f"#note-{annotation_id}")
    session.commit()
    return _back(draft_id, f"#note-{annotation_id}")


@bp.post("/drafts/<int:draft_id>/annotations/<int:annotation_id>/resolve")
def resolve(draft_id: int, annotation_id: int) -> Response:
    """Mark an annotation resolved, or reopen it."""
    me = user()
    draft, found = _annotation(draft_id, annotation_id)
    session = db_session()
    try:
        notes.set_resolved(session, draft, found, me, request.form.get("resolved", "1") == "1")
    except PermissionDenied as exc:
        session.rollback()
        forbid(str(exc))
    session.commit()
    return _back(draft_id, f"#note-{annotation_id}")
