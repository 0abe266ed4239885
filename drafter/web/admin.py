"""Administration: accounts (create, deactivate, reset password), mentor pairs and the sign-off chain, and the
audit log. Administrators only; everyone else gets 404 (the area does not exist for them)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from drafter.services import audit, office
from drafter.services.permissions import is_admin
from drafter.store.models import Role, User
from drafter.store.workflow import Pair, SignoffStep
from drafter.web import db_session
from drafter.web.common import current_user, form_int, parse_date, today, user

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def admins_only() -> None:
    """The whole area is invisible to non-administrators."""
    if not is_admin(current_user()):
        abort(404)


def _done(message: str, endpoint: str, **values: int) -> Response:
    db_session().commit()
    flash(message, "success")
    return redirect(url_for(endpoint, **values))


def _refused(error: Exception, endpoint: str, **values: int) -> Response:
    db_session().rollback()
    flash(str(error), "error")
    return redirect(url_for(endpoint, **values))


@bp.get("/")
def home() -> Response:
    """The first admin page."""
    return redirect(url_for("admin.users"))


@bp.route("/users", methods=["GET", "POST"])
def users() -> str | Response | tuple[str, int]:
    """The account list and the form to create one."""
    session = db_session()
    if request.method == "POST":
        form = request.form
        try:
            made = office.add_user(session, user(), form.get("username", ""), form.get("display_name", ""),
                                   form.get("password", ""), form.getlist("roles"), form.get("unit"))
        except office.OfficeError as exc:
            session.rollback()
            return render_template("admin/users.html", users=office.list_users(session), roles=list(Role),
                                   form=form, error=str(exc)), 400
        return _done(f"已创建账号 {made.username}（{made.display_name}）。", "admin.users")
    return render_template("admin/users.html", users=office.list_users(session), roles=list(Role), form={})


def _user(user_id: int) -> User:
    found = db_session().get(User, user_id)
    if found is None:
        abort(404)
    return found


@bp.post("/users/<int:user_id>/active")
def set_active(user_id: int) -> Response:
    """Deactivate or reactivate an account."""
    target = _user(user_id)
    active = request.form.get("active") == "1"
    try:
        office.set_active(db_session(), user(), target, active)
    except office.OfficeError as exc:
        return _refused(exc, "admin.users")
    return _done(f"已{'启用' if active else '停用'}账号 {target.username}。", "admin.users")


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> str | Response:
    """One account: change name, roles and unit; reset the password."""
    target = _user(user_id)
    if request.method == "GET":
        return render_template("admin/user.html", person=target, roles=list(Role))
    try:
        office.update_user(db_session(), user(), target, request.form.get("display_name", ""),
                           request.form.getlist("roles"), request.form.get("unit"))
    except office.OfficeError as exc:
        return _refused(exc, "admin.edit_user", user_id=user_id)
    return _done(f"已修改账号 {target.username}。", "admin.users")


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id: int) -> Response:
    """Set a new password for a user (who should change it after logging in)."""
    target = _user(user_id)
    try:
        office.reset_password(db_session(), user(), target, request.form.get("password", ""))
    except office.OfficeError as exc:
        return _refused(exc, "admin.edit_user", user_id=user_id)
    return _done(f"已重置 {target.username} 的密码。", "admin.users")


@bp.route("/pairs", methods=["GET", "POST"])
def pairs() -> str | Response:
    """Mentor pairs (以老带新): list, create, end."""
    session = db_session()
    if request.method == "POST":
        try:
            mentor, junior = _user(form_int("mentor_id") or 0), _user(form_int("junior_id") or 0)
            started = parse_date(request.form.get("started_on")) or today()
            ended = parse_date(request.form.get("ended_on"))
            office.create_pair(session, user(), mentor, junior, started, ended, request.form.get("note"))
        except (office.OfficeError, ValueError) as exc:
            return _refused(exc, "admin.pairs")
        return _done(f"已建立结对：{mentor.display_name} 指导 {junior.display_name}。", "admin.pairs")
    people = [u for u in office.list_users(session) if u.active]
    return render_template("admin/pairs.html", pairs=office.list_pairs(session), today=today(),
                           mentors=[u for u in people if u.has_role(Role.MENTOR)], people=people)


@bp.post("/pairs/<int:pair_id>/end")
def end_pair(pair_id: int) -> Response:
    """End a pair today."""
    pair = db_session().get(Pair, pair_id)
    if pair is None:
        abort(404)
    try:
        office.end_pair(db_session(), user(), pair, today())
    except office.OfficeError as exc:
        return _refused(exc, "admin.pairs")
    return _done("结对已结束，原有文稿仍由双方共享。", "admin.pairs")


@bp.route("/chain", methods=["GET", "POST"])
def chain() -> str | Response:
    """The sign-off chain after the mentor: the default chain and any unit's own chain."""
    session = db_session()
    if request.method == "POST":
        try:
            reviewer = _user(form_int("reviewer_id") or 0)
            office.add_step(session, user(), request.form.get("title", ""), reviewer, request.form.get("unit"))
        except office.OfficeError as exc:
            return _refused(exc, "admin.chain")
        return _done("已增加签批环节。", "admin.chain")
    people = [u for u in office.list_users(session) if u.active]
    units = sorted({u.unit for u in people if u.unit})
    return render_template("admin/chain.html", groups=office.chain_groups(session), people=people, units=units)


def _step(step_id: int) -> SignoffStep:
    step = db_session().scalar(select(SignoffStep).where(SignoffStep.id == step_id))
    if step is None:
        abort(404)
    return step


@bp.post("/chain/<int:step_id>/remove")
def remove_step(step_id: int) -> Response:
    """Remove a level from its chain."""
    office.remove_step(db_session(), user(), _step(step_id))
    return _done("已删除签批环节；已在签批中的文稿不受影响。", "admin.chain")


@bp.post("/chain/<int:step_id>/move")
def move_step(step_id: int) -> Response:
    """Move a level up or down."""
    office.move_step(db_session(), user(), _step(step_id), -1 if request.form.get("direction") == "up" else 1)
    return _done("已调整签批顺序。", "admin.chain")


@bp.get("/audit")
def audit_log() -> str:
    """The newest entries of the audit log."""
    return render_template("admin/audit.html", entries=audit.recent_entries(db_session()))
