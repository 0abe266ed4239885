"""Critique meeting pages (文稿点评交流会): meetings, nominations, critiques with notes, pairwise comparison,
results, exemplars, minutes and each writer's feedback page. Thin: permissions are in
:mod:`drafter.services.critique_permissions`, changes in :mod:`drafter.services.critique`."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response

from drafter.services import critique as ops
from drafter.services import critique_permissions as can
from drafter.services.critique_minutes import minutes_docx
from drafter.services.critique_results import (
    critic_label,
    critic_numbers,
    enough_ratings,
    meeting_results,
    visible_critiques,
    writer_feedback,
)
from drafter.services.drafts import DOC_TYPES, DraftError, PermissionDenied
from drafter.services.office import active_juniors
from drafter.store.critique import DEFAULT_RUBRIC, Meeting, Nomination, NominationKind, Pairing, Phase
from drafter.store.models import User
from drafter.store.workflow import AnnotationCategory, DraftVersion
from drafter.web import db_session
from drafter.web.common import forbid, form_int, parse_date, perform, settings, today, user
from drafter.web.highlight import Mark, render_paragraphs
from drafter.web.trend_chart import trend_svg

bp = Blueprint("critique", __name__, url_prefix="/critique")


# ------------------------------------------------------------------------------------------------ helpers

def load_meeting(meeting_id: int) -> Meeting:
    """The meeting if the user is its chair or a participant; otherwise it does not exist for them (404)."""
    meeting = ops.get_meeting(db_session(), meeting_id)
    if meeting is None or not can.can_view_meeting(user(), meeting):
        abort(404)
    return meeting


def load_nomination(meeting: Meeting, nomination_id: int) -> Nomination:
    """A nomination of a visible meeting, or 404."""
    found = db_session().get(Nomination, nomination_id)
    if found is None or found.meeting_id != meeting.id:
        abort(404)
    return found


def _meeting_page(meeting_id: int, anchor: str = "") -> str:
    return url_for("critique.view", meeting_id=meeting_id) + anchor


def _scores_from_form(rubric: list[str]) -> dict[str, str]:
    return {name: request.form.get(f"score-{index}", "") for index, name in enumerate(rubric)}


def _settings_from_form() -> dict[str, Any]:
    return {
        "title": request.form.get("title", ""),
        "held_on": parse_date(request.form.get("held_on")),
        "rubric": request.form.get("rubric", ""),
        "note": request.form.get("note"),
        "anonymous": request.form.get("anonymous") == "1",
        "comparative": request.form.get("comparative") == "1",
        "pairing": request.form.get("pairing", Pairing.ADAPTIVE.value),
        "target_judgements": form_int("target_judgements") or 10,
    }


def _participant_ids() -> list[int]:
    ids = []
    for raw in request.form.getlist("participants"):
        try:
            ids.append(int(raw))
        except ValueError:
            continue
    return ids


# ------------------------------------------------------------------------------------------------ meetings

@bp.get("/")
def index() -> str:
    """The meetings I chair or take part in."""
    me = user()
    session = db_session()
    return render_template("critique/index.html", meetings=ops.meetings_for(session, me),
                           can_call=can.can_call_meeting(me), juniors=active_juniors(session, me, today()))


@bp.route("/new", methods=["GET", "POST"])
def new() -> str | Response | tuple[str, int]:
    """Call a meeting (administrators and mentors); the caller chairs it."""
    if not can.can_call_meeting(user()):
        forbid("只有管理员或指导老师可以发起文稿点评交流会。")
    return _settings_page(None)


@bp.route("/<int:meeting_id>/settings", methods=["GET", "POST"])
def edit(meeting_id: int) -> str | Response | tuple[str, int]:
    """Change a meeting's settings (the chair; phase rules in the service)."""
    meeting = load_meeting(meeting_id)
    if not can.can_manage(user(), meeting):
        forbid("只有主持人可以修改交流会设置。")
    return _settings_page(meeting)


def _settings_page(meeting: Meeting | None) -> str | Response | tuple[str, int]:
    """The settings form of a new (``meeting`` None) or existing meeting; on an error it comes back filled."""
    me = user()
    session = db_session()
    people = ops.eligible_people(session)

    def page(form: dict[str, Any], error: str | None = None) -> str:
        return render_template("critique/form.html", form=form, people=people, meeting=meeting,
                               pairings=list(Pairing), error=error)

    if request.method == "GET":
        if meeting is None:
            return page({"rubric": "、".join(DEFAULT_RUBRIC), "target_judgements": 10, "participants": [],
                         "held_on": today().isoformat(), "pairing": Pairing.ADAPTIVE.value})
        return page({"title": meeting.title, "held_on": meeting.held_on.isoformat(), "rubric": "、".join(meeting.rubric),
                     "note": meeting.note or "", "anonymous": "1" if meeting.anonymous else "",
                     "comparative": "1" if meeting.comparative else "", "pairing": meeting.pairing,
                     "target_judgements": meeting.target_judgements, "participants": sorted(meeting.participant_ids)})
    form = dict(request.form)
    form["participants"] = _participant_ids()
    try:
        if meeting is None:
            saved = ops.create_meeting(session, me, participant_ids=form["participants"], **_settings_from_form())
            message = "交流会已创建，参会人员现在可以提名文稿并自评。"
        else:
            ops.update_meeting(session, me, meeting, participant_ids=form["participants"], **_settings_from_form())
            saved, message = meeting, "会议设置已保存。"
    except PermissionDenied as exc:
        session.rollback()
        forbid(str(exc))
    except (DraftError, ValueError) as exc:
        session.rollback()
        return page(form, str(exc)), 400
    session.commit()
    flash(message, "success")
    return redirect(_meeting_page(saved.id))


@bp.get("/<int:meeting_id>")
def view(meeting_id: int) -> str:
    """The meeting: phase, participants and their progress, my tasks, the nominations."""
    meeting = load_meeting(meeting_id)
    me = user()
    session = db_session()
    mine = {n.kind: n for n in meeting.nominations if n.author_id == me.id}
    done = {c.nomination_id for n in meeting.nominations for c in n.critiques if c.critic_id == me.id}
    to_critique = [n for n in meeting.nominations if n.author_id != me.id]
    progress = []
    for p in meeting.participants:
        nominated = [n for n in meeting.nominations if n.author_id == p.user_id]
        possible = [n for n in meeting.nominations if n.author_id != p.user_id]
        written = sum(1 for n in possible for c in n.critiques if c.critic_id == p.user_id)
        progress.append({"user": p.user, "nominated": nominated, "written": written, "possible": len(possible)})
    pairs = ops.pair_state(session, me, meeting) if can.can_judge(me, meeting) else None
    judged = ops.judgement_progress(session, meeting) if meeting.comparative else None
    return render_template(
        "critique/meeting.html", meeting=meeting, me=me, mine=mine, done=done, to_critique=to_critique,
        progress=progress, pairs=pairs, judged=judged, kinds=list(NominationKind), phases=list(Phase),
        critiques_written=sum(len(n.critiques) for n in meeting.nominations),
        is_chair=can.is_chair(me, meeting), is_participant=can.is_participant(me, meeting),
        can_nominate=can.can_nominate(me, meeting), can_results=can.can_see_results(me, meeting),
        can_minutes=can.can_export_minutes(me, meeting))


@bp.post("/<int:meeting_id>/phase")
def phase(meeting_id: int) -> Response:
    """Move the meeting to another phase (the chair)."""
    meeting = load_meeting(meeting_id)
    try:
        to = Phase(request.form.get("to", ""))
    except ValueError:
        abort(400)
    done = {Phase.CRITIQUE: "互评已开始，参会人员现在可以点评别人的文稿。", Phase.NOMINATION: "已退回提名阶段。",
            Phase.CLOSED: "交流会已结束，排名和全部点评意见已向参会人员公开。"}[to]
    return perform(lambda: ops.set_phase(db_session(), user(), meeting, to), done, _meeting_page(meeting_id))


# --------------------------------------------------------------------------------------------- nominations

@bp.route("/<int:meeting_id>/nominate/<kind>", methods=["GET", "POST"])
def nominate(meeting_id: int, kind: str) -> str | Response | tuple[str, int]:
    """Nominate my 最满意 / 最不满意 draft: a version of my own draft, or an uploaded file."""
    meeting = load_meeting(meeting_id)
    try:
        which = NominationKind(kind)
    except ValueError:
        abort(404)
    me = user()
    if not can.is_participant(me, meeting):
        forbid("只有参会人员可以提名文稿。")
    if meeting.phase_enum is not Phase.NOMINATION:
        flash("提名阶段已结束，不能再提名或修改提名。", "error")
        return redirect(_meeting_page(meeting.id))
    session = db_session()
    drafts = ops.own_versions(session, me)
    existing = next((n for n in meeting.nominations if n.author_id == me.id and n.kind == which.value), None)
    context = {"meeting": meeting, "kind": which, "drafts": drafts, "existing": existing, "doc_types": DOC_TYPES,
               "limit_mb": settings().upload_limit_mb}
    if request.method == "GET":
        form: dict[str, Any] = {}
        if existing is not None:
            form = {"version_id": str(existing.version_id), "self_assessment": existing.self_assessment}
            form.update({f"score-{i}": str(existing.self_scores.get(c, "")) for i, c in enumerate(meeting.rubric)})
        return render_template("critique/nominate.html", form=form, **context)
    form = dict(request.form)
    scores = _scores_from_form(list(meeting.rubric))
    try:
        if request.form.get("source") == "upload":
            file = request.files.get("file")
            data = file.read(settings().upload_limit_bytes + 1) if file else b""
            nomination = ops.nominate_upload(session, me, meeting, which, data, file.filename if file else "",
                                             request.form.get("title", ""), request.form.get("doc_type"),
                                             request.form.get("self_assessment", ""), scores,
                                             settings().upload_limit_bytes)
        else:
            version = session.get(DraftVersion, form_int("version_id") or 0)
            if version is None:
                raise ops.CritiqueError("请选择要提名的文稿和稿次，或上传文件")
            nomination = ops.nominate(session, me, meeting, which, version, request.form.get("self_assessment", ""),
                                      scores)
    except PermissionDenied as exc:
        session.rollback()
        forbid(str(exc))
    except DraftError as exc:
        session.rollback()
        return render_template("critique/nominate.html", form=form, error=str(exc), **context), 400
    session.commit()
    flash(f"已提名“{which.label}”的文稿：《{nomination.title}》。", "success")
    return redirect(_meeting_page(meeting.id))


@bp.post("/<int:meeting_id>/nominations/<int:nomination_id>/withdraw")
def withdraw(meeting_id: int, nomination_id: int) -> Response:
    """Take my nomination back (nomination phase)."""
    meeting = load_meeting(meeting_id)
    found = load_nomination(meeting, nomination_id)
    return perform(lambda: ops.withdraw_nomination(db_session(), user(), found), "提名已撤回。",
                    _meeting_page(meeting_id))


@bp.get("/<int:meeting_id>/nominations/<int:nomination_id>")
def nomination(meeting_id: int, nomination_id: int) -> str:
    """A nominated draft: the text with notes, the self-assessment, my critique, the critiques I may read."""
    meeting = load_meeting(meeting_id)
    found = load_nomination(meeting, nomination_id)
    mine = ops.my_critique(db_session(), found, user())
    form: dict[str, Any] = {}
    if mine is not None:
        form = {"strengths": mine.strengths, "problems": mine.problems, "suggestion": mine.suggestion}
        form.update({f"score-{i}": str(mine.scores.get(c, "")) for i, c in enumerate(meeting.rubric)})
    return _nomination_page(meeting, found, form)


def _nomination_page(meeting: Meeting, found: Nomination, form: dict[str, Any], error: str | None = None) -> str:
    me = user()
    session = db_session()
    numbers = critic_numbers(meeting, [c for n in meeting.nominations for c in n.critiques])
    notes = [n for n in ops.notes_for(session, found) if can.can_see_critique(me, n, meeting)]
    marks = [Mark("annotation", str(n.id), n.start, n.end, "cat-" + n.category) for n in notes]
    others = [n for n in meeting.nominations if n.author_id != me.id]
    done = {c.nomination_id for n in others for c in n.critiques if c.critic_id == me.id}
    following = next((n.id for n in others if n.id != found.id and n.id not in done), None)
    return render_template(
        "critique/nomination.html", meeting=meeting, nomination=found, me=me, form=form, error=error,
        mine=ops.my_critique(session, found, me), paragraphs=render_paragraphs(found.text, marks),
        categories=list(AnnotationCategory),
        critiques=[(critic_label(me, meeting, c, numbers.get(c.critic_id, 0)), c)
                   for c in visible_critiques(me, meeting, list(found.critiques))],
        notes=[(critic_label(me, meeting, n, numbers.get(n.author_id, 0)), n) for n in notes],
        can_critique=can.can_critique(me, found), next_id=following, is_chair=can.is_chair(me, meeting))


@bp.post("/<int:meeting_id>/nominations/<int:nomination_id>/critique")
def critique(meeting_id: int, nomination_id: int) -> str | Response | tuple[str, int]:
    """Save my critique (scores, strengths, problems, one suggestion); on an error the form comes back filled."""
    meeting = load_meeting(meeting_id)
    found = load_nomination(meeting, nomination_id)
    session = db_session()
    try:
        ops.save_critique(session, user(), found, _scores_from_form(list(meeting.rubric)),
                          request.form.get("strengths", ""), request.form.get("problems", ""),
                          request.form.get("suggestion", ""))
    except PermissionDenied as exc:
        session.rollback()
        forbid(str(exc))
    except DraftError as exc:
        session.rollback()
        return _nomination_page(meeting, found, dict(request.form), error=str(exc)), 400
    session.commit()
    flash("互评意见已保存，互评阶段结束前都可以修改。", "success")
    following = request.form.get("next", "")
    target = int(following) if following.isdigit() else nomination_id
    return redirect(url_for("critique.nomination", meeting_id=meeting_id, nomination_id=target))


@bp.post("/<int:meeting_id>/nominations/<int:nomination_id>/notes")
def add_note(meeting_id: int, nomination_id: int) -> Response:
    """Add a note on the nominated text (offsets from the page's script, or a quoted phrase without it)."""
    meeting = load_meeting(meeting_id)
    found = load_nomination(meeting, nomination_id)
    page = url_for("critique.nomination", meeting_id=meeting_id, nomination_id=nomination_id)
    return perform(lambda: ops.add_note(db_session(), user(), found, form_int("start"), form_int("end"),
                                         request.form.get("category", ""), request.form.get("comment", ""),
                                         request.form.get("replacement"), request.form.get("quote")),
                    "批注已添加。", page + "#notes")


@bp.post("/<int:meeting_id>/notes/<int:note_id>/delete")
def delete_note(meeting_id: int, note_id: int) -> Response:
    """Delete my note (critique phase)."""
    from drafter.store.critique import CritiqueNote

    meeting = load_meeting(meeting_id)
    note = db_session().get(CritiqueNote, note_id)
    if note is None or db_session().get(Nomination, note.nomination_id).meeting_id != meeting.id:
        abort(404)
    if not can.can_see_critique(user(), note, meeting):
        abort(404)
    page = url_for("critique.nomination", meeting_id=meeting_id, nomination_id=note.nomination_id)
    return perform(lambda: ops.delete_note(db_session(), user(), note, meeting), "批注已删除。", page + "#notes")


# ----------------------------------------------------------------------------------------- comparison

@bp.route("/<int:meeting_id>/compare", methods=["GET", "POST"])
def compare(meeting_id: int) -> str | Response:
    """Two drafts side by side: which is better? (participants, critique phase, when switched on)."""
    meeting = load_meeting(meeting_id)
    me = user()
    if not can.can_judge(me, meeting):
        if not meeting.comparative:
            forbid("本次交流会没有开启两两比较。")
        forbid("只有参会人员在互评阶段可以参加两两比较。")
    session = db_session()
    if request.method == "POST":
        left = load_nomination(meeting, form_int("left") or 0)
        right = load_nomination(meeting, form_int("right") or 0)
        choice = request.form.get("choice", "")
        return perform(lambda: ops.record_judgement(session, me, meeting, left, right, choice), None,
                        url_for("critique.compare", meeting_id=meeting_id))
    state = ops.pair_state(session, me, meeting)
    texts = [render_paragraphs(n.text, []) for n in state.pair] if state.pair else []
    return render_template("critique/compare.html", meeting=meeting, state=state, texts=texts)


# -------------------------------------------------------------------------------------------- results

@bp.get("/<int:meeting_id>/results")
def results(meeting_id: int) -> str:
    """The ranking with its uncertainty, self against peers, exemplars and the chair's summary."""
    meeting = load_meeting(meeting_id)
    me = user()
    if not can.can_see_results(me, meeting):
        forbid("排名结果在交流会结束后向参会人员公布；互评期间只有主持人可以查看。")
    found = meeting_results(db_session(), meeting)
    return render_template("critique/results.html", meeting=meeting, results=found, me=me,
                           is_chair=can.is_chair(me, meeting), can_mark=can.can_mark_exemplar(me, meeting),
                           show_raters=can.can_see_rater_effects(me, meeting), enough=enough_ratings,
                           can_minutes=can.can_export_minutes(me, meeting))


@bp.post("/<int:meeting_id>/summary")
def summary(meeting_id: int) -> Response:
    """Save the chair's closing remarks."""
    meeting = load_meeting(meeting_id)
    return perform(lambda: ops.save_summary(db_session(), user(), meeting, request.form.get("summary", "")),
                    "会议总结已保存。", url_for("critique.results", meeting_id=meeting_id) + "#summary")


@bp.post("/<int:meeting_id>/nominations/<int:nomination_id>/exemplar")
def exemplar(meeting_id: int, nomination_id: int) -> Response:
    """Mark (or unmark) a draft 精品佳作 (the chair of a closed meeting)."""
    meeting = load_meeting(meeting_id)
    found = load_nomination(meeting, nomination_id)
    on = request.form.get("on", "1") == "1"
    message = f"《{found.title}》已评为精品佳作，并已收入档案库。" if on else f"已取消《{found.title}》的精品佳作标记。"
    return perform(lambda: ops.set_exemplar(db_session(), user(), found, on), message,
                    url_for("critique.results", meeting_id=meeting_id))


@bp.get("/<int:meeting_id>/minutes.docx")
def minutes(meeting_id: int) -> Response:
    """The minutes (纪要) as .docx in GB/T 9704 layout (members of a closed meeting)."""
    meeting = load_meeting(meeting_id)
    if not can.can_export_minutes(user(), meeting):
        forbid("交流会结束后才能导出纪要。")
    data = minutes_docx(meeting_results(db_session(), meeting))
    name = f"critique-{meeting.id}-minutes.docx"
    response = send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                         mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    readable = f"{meeting.title[:60]}纪要.docx"
    response.headers["Content-Disposition"] = f"attachment; filename={name}; filename*=UTF-8''{quote(readable)}"
    return response


# ------------------------------------------------------------------------------------------- feedback

@bp.get("/feedback")
def my_feedback() -> Response:
    """My own feedback page."""
    return redirect(url_for("critique.feedback", user_id=user().id))


@bp.get("/feedback/<int:user_id>")
def feedback(user_id: int) -> str:
    """Everything a writer was told in closed meetings, with the trend of their scores (the writer and their
    current mentor)."""
    session = db_session()
    writer = session.get(User, user_id)
    me = user()
    if writer is None or not can.can_view_feedback(session, me, writer, today()):
        abort(404)
    items, points = writer_feedback(session, me, writer)
    return render_template("critique/feedback.html", writer=writer, items=items, points=points,
                           chart=trend_svg(points) if points else None, me=me)
