"""Review pages and actions: the 待我审阅 queue, submit / withdraw / decide, annotations and their threads.
Thin: every check and change is in :mod:`drafter.services.review` and :mod:`drafter.services.annotations`."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from werkzeug.wrappers import Response

from drafter.services import annotations as notes
from drafter.services import review as ops
from drafter.store.workflow import Verdict
from drafter.web import db_session
from drafter.web.common import form_int, load_draft, load_version, perform, user

bp = Blueprint("review", __name__)


@bp.get("/review/")
def queue() -> str:
    """What waits for me, oldest first, overdue ones marked; and my latest decisions."""
    me = user()
    session = db_session()
    return render_template("review/queue.html", items=ops.queue_for(session, me),
                           decided=ops.decided_by(session, me))


def _draft_page(draft_id: int, number: int | None = None, anchor: str = "") -> str:
    if number:
        return url_for("drafts.version", draft_id=draft_id, number=number) + anchor
    return url_for("drafts.view", draft_id=draft_id) + anchor


@bp.post("/drafts/<int:draft_id>/submit")
def submit(draft_id: int) -> Response:
    """Submit the newest version for review."""
    me, draft = user(), load_draft(draft_id)
    return perform(lambda: ops.submit(db_session(), draft, me), "已提交审阅。", _draft_page(draft_id))


@bp.post("/drafts/<int:draft_id>/withdraw")
def withdraw(draft_id: int) -> Response:
    """Take the submission back (before any reviewer decided)."""
    me, draft = user(), load_draft(draft_id)
    return perform(lambda: ops.withdraw(db_session(), draft, me), "已撤回提交，可以继续修改。", _draft_page(draft_id))


@bp.post("/drafts/<int:draft_id>/decide")
def decide(draft_id: int) -> Response:
    """The current reviewer's verdict: 通过 or 退回修改, with an overall comment."""
    me, draft = user(), load_draft(draft_id)
    try:
        verdict = Verdict(request.form.get("verdict", ""))
    except ValueError:
        abort(400)
    comment = request.form.get("comment", "")
    done = "已退回撰稿人修改。" if verdict is Verdict.RETURN else "审阅意见已提交。"
    return perform(lambda: ops.decide(db_session(), draft, me, verdict, comment), done, _draft_page(draft_id))


@bp.post("/drafts/<int:draft_id>/versions/<int:number>/annotations")
def annotate(draft_id: int, number: int) -> Response:
    """Add an annotation on selected text (offsets from the page's script, or a quoted phrase without it)."""
    me, draft = user(), load_draft(draft_id)
    shown = load_version(draft, number)
    made = []

    def add() -> None:
        made.append(notes.add_annotation(db_session(), draft, shown, me, form_int("start"), form_int("end"),
                                         request.form.get("category", ""), request.form.get("comment", ""),
                                         request.form.get("replacement"), request.form.get("quote")))

    response = perform(add, "批注已添加。", _draft_page(draft_id, number))
    if made:
        response.location = _draft_page(draft_id, number, f"#note-{made[0].id}")
    return response


def _annotation(draft_id: int, annotation_id: int):  # type: ignore[no-untyped-def]
    draft = load_draft(draft_id)
    found = notes.get_annotation(db_session(), draft, annotation_id)
    if found is None:
        abort(404)
    return draft, found


@bp.post("/drafts/<int:draft_id>/annotations/<int:annotation_id>/replies")
def reply(draft_id: int, annotation_id: int) -> Response:
    """Reply in an annotation's thread."""
    me = user()
    draft, found = _annotation(draft_id, annotation_id)
    back = _draft_page(draft_id, form_int("number"), f"#note-{annotation_id}")
    return perform(lambda: notes.reply(db_session(), draft, found, me, request.form.get("text", "")), None, back)


@bp.post("/drafts/<int:draft_id>/annotations/<int:annotation_id>/resolve")
def resolve(draft_id: int, annotation_id: int) -> Response:
    """Mark an annotation resolved, or reopen it."""
    me = user()
    draft, found = _annotation(draft_id, annotation_id)
    resolved = request.form.get("resolved", "1") == "1"
    back = _draft_page(draft_id, form_int("number"), f"#note-{annotation_id}")
    return perform(lambda: notes.set_resolved(db_session(), draft, found, me, resolved), None, back)
