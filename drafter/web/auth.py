"""Login, logout and password change, and the guard that every other page sits behind.

Every page needs a logged-in, active user except the login page and static files. Sessions carry a token
derived from the password hash, so changing a password or deactivating an account ends other sessions.
CSRF protection (Flask-WTF) covers every POST, forms and ``fetch`` calls (``X-CSRFToken`` header) alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from typing import Any

from flask import Blueprint, Flask, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask.sessions import SessionMixin
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.wrappers import Response

from drafter.services.accounts import authenticate
from drafter.services.login_throttle import lockout_remaining, record_attempt, wait_message
from drafter.services.office import OfficeError, change_own_password
from drafter.services.permissions import is_admin
from drafter.store.models import User
from drafter.web import db_session
from drafter.web.common import current_user, localtime, user

bp = Blueprint("auth", __name__)
csrf = CSRFProtect()

#: Endpoints reachable without logging in.
PUBLIC_ENDPOINTS = {"auth.login", "static"}
#: Strict by default: scripts and styles only from this server (all JS is vendored under static/).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'self'; "
                           "form-action 'self'")


@bp.record_once
def _setup(state: Any) -> None:
    app: Flask = state.app
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the token lives as long as the session
    # The token is checked in load_user, after the user is known, so a refused save can show the text again.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    csrf.init_app(app)
    secure = str(os.environ.get("DRAFTER_SECURE_COOKIES", app.extensions["drafter_settings"].extra.get(
        "secure_cookies", ""))).lower() in ("1", "true", "yes")
    if secure:  # behind HTTPS: the session cookie is never sent over plain HTTP
        app.config["SESSION_COOKIE_SECURE"] = True
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=10)
    if str(app.extensions["drafter_settings"].extra.get("behind_proxy", "")).lower() in ("1", "true", "yes"):
        # behind a reverse proxy: take the client's address (login throttling) and scheme from it
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    app.config.setdefault("CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)
    app.jinja_env.filters["localtime"] = localtime


def session_token(user: User) -> str:
    """A token tied to the user's password hash: a new password invalidates every other session."""
    return hashlib.sha256(f"{user.id}:{user.password_hash}".encode()).hexdigest()[:24]


def log_in(flask_session: SessionMixin, user: User) -> None:
    """Start a session for ``user`` (a fresh session, against fixation)."""
    flask_session.clear()
    flask_session["uid"] = user.id
    flask_session["auth"] = session_token(user)
    flask_session.permanent = True


@bp.before_app_request
def load_user() -> Response | None:
    """Attach the logged-in user to the request; send everyone else to the login page."""
    g.user = None
    uid = session.get("uid")
    if uid is not None:
        found = db_session().get(User, uid)
        if found is not None and found.active and session.get("auth") == session_token(found):
            g.user = found
        else:
            session.clear()
    if g.user is not None or request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and request.endpoint is not None:
            csrf.protect()
        return None
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(error="请先登录"), 401
    target = request.full_path if request.method == "GET" else (request.referrer or "")
    return redirect(url_for("auth.login", next=_safe_next(target) or None))


@bp.after_app_request
def security_headers(response: Response) -> Response:
    """Headers that keep pages from being framed, sniffed or fed foreign scripts."""
    from flask import current_app

    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    policy = current_app.config.get("CONTENT_SECURITY_POLICY")
    if policy:
        response.headers.setdefault("Content-Security-Policy", policy)
    if current_user() is not None:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


@bp.app_context_processor
def inject_user() -> dict[str, Any]:
    """The user and the size of their review queue, for the header of every page."""
    found = current_user()
    waiting = 0
    if found is not None:
        from drafter.services.review import queue_for

        waiting = len(queue_for(db_session(), found))
    return {"current_user": found, "is_admin": is_admin(found), "review_waiting": waiting}


@bp.app_errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> tuple[str, int] | Response:
    """A form without a valid token: explain, and never lose a draft's text."""
    if request.endpoint == "drafts.edit" and request.method == "POST" and current_user() is not None:
        from drafter.web.drafts import rerender_editor

        return rerender_editor(request.view_args["draft_id"],
                               "页面已过期，本次内容没有保存；您输入的文字仍在编辑框中，请再次点击“保存”。", 400)
    return render_template("error.html", code=400,
                           message="页面已过期或请求来源无法验证，操作没有执行。请刷新页面后重试。"), 400


@bp.app_errorhandler(403)
def forbidden(error: Any) -> tuple[str, int]:
    """A visible page, an action the user may not take."""
    message = getattr(error, "description", None) or "您没有权限执行此操作。"
    return render_template("error.html", code=403, message=message), 403


def _safe_next(target: str | None) -> str:
    """Only local paths are followed after login (no open redirect)."""
    target = (target or "").strip()
    if target.startswith(("http://", "https://")):
        from urllib.parse import urlsplit

        parts = urlsplit(target)
        if parts.netloc != request.host:
            return ""
        target = parts.path + ("?" + parts.query if parts.query else "")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return ""
    return target.rstrip("?") if target != "/login" else ""


def _client_ip() -> str:
    return request.remote_addr or "?"


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    """The login form; repeated failures lock the user name (and the address) for a while."""
    next_url = _safe_next(request.values.get("next"))
    if current_user() is not None and request.method == "GET":
        return redirect(next_url or url_for("drafts.index"))
    if request.method == "GET":
        return render_template("auth/login.html", next_url=next_url, username="")
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    db = db_session()
    remaining = lockout_remaining(db, username, _client_ip())
    if remaining is not None:
        return render_template("auth/login.html", next_url=next_url, username=username,
                               error=wait_message(remaining)), 429
    found = authenticate(db, username, password) if username and password else None
    record_attempt(db, username, _client_ip(), found is not None)
    db.commit()
    if found is None:
        return render_template("auth/login.html", next_url=next_url, username=username,
                               error="用户名或密码不正确（账号停用时也无法登录）。"), 401
    log_in(session, found)
    return redirect(next_url or url_for("drafts.index"))


@bp.post("/logout")
def logout() -> Response:
    """End the session."""
    session.clear()
    flash("您已安全退出。", "success")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def password() -> str | Response | tuple[str, int]:
    """Change one's own password."""
    me = user()
    if request.method == "GET":
        return render_template("auth/password.html")
    try:
        change_own_password(me, request.form.get("current", ""), request.form.get("new", ""),
                            request.form.get("confirm", ""))
    except OfficeError as exc:
        return render_template("auth/password.html", error=str(exc)), 400
    db_session().commit()
    session["auth"] = session_token(me)
    flash("密码已修改。其他设备上的登录已失效。", "success")
    return redirect(url_for("drafts.index"))
