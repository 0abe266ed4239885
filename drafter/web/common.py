"""What the workflow pages share: the logged-in user, loading a draft the user may see, time display."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NoReturn

from flask import abort, current_app, flash, g, redirect, request, url_for
from werkzeug.wrappers import Response

from drafter.config import Settings
from drafter.services import permissions
from drafter.services.audit import as_utc
from drafter.services.check_runner import CheckRunner
from drafter.services.drafts import DraftError, PermissionDenied, get_draft, get_version, office_zone, today_local
from drafter.store.db import Database
from drafter.store.models import User, utcnow
from drafter.store.workflow import Draft, DraftVersion
from drafter.web import db_session


def current_user() -> User | None:
    """The logged-in user of this request (set by the login guard)."""
    return g.get("user")


def user() -> User:
    """The logged-in user; every page but the login page has one."""
    found = current_user()
    if found is None:
        abort(401)
    return found


def settings() -> Settings:
    """The instance settings."""
    return current_app.extensions["drafter_settings"]


def database() -> Database:
    """The app's database (for checks that read the archive)."""
    return current_app.extensions["drafter_db"]


def check_runner() -> CheckRunner | None:
    """The helper processes that run the checks (production server), None to run them in the request."""
    return current_app.extensions.get("drafter_check_runner")


def office_tz() -> dt.tzinfo:
    """The office's time zone (``timezone`` in drafter.toml, default Asia/Shanghai)."""
    return office_zone(str(settings().extra.get("timezone", "Asia/Shanghai")))


def today() -> dt.date:
    """The office's calendar day."""
    return today_local(utcnow(), office_tz())


def localtime(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time in the office's time zone (Jinja filter)."""
    if value is None:
        return ""
    return as_utc(value).astimezone(office_tz()).strftime(fmt)


def load_draft(draft_id: int) -> Draft:
    """The draft if the user may see it; otherwise the page does not exist for them (404)."""
    draft = get_draft(db_session(), draft_id)
    if draft is None or not permissions.can_view_draft(current_user(), draft):
        abort(404)
    return draft


def load_version(draft: Draft, number: int) -> DraftVersion:
    """A version of a visible draft, or 404."""
    version = get_version(draft, number)
    if version is None:
        abort(404)
    return version


def forbid(message: str) -> NoReturn:
    """The user sees the draft but may not do this (403 with the reason)."""
    abort(403, description=message)


def perform(action: Callable[[], object], success: str | None, done: str, failed: str | None = None) -> Response:
    """Run an operation in the request's session: 403 with the reason when it is not allowed
    (:class:`PermissionDenied`); when it is refused (:class:`DraftError`) the reason is flashed and nothing
    changes; else commit, flash ``success`` and go to ``done``."""
    session = db_session()
    try:
        action()
    except PermissionDenied as exc:
        session.rollback()
        forbid(str(exc))
    except DraftError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(failed or done)
    session.commit()
    if success:
        flash(success, "success")
    return redirect(done)


def back_to(endpoint: str, **values: Any) -> Response:
    """A redirect to another page of the app."""
    return redirect(url_for(endpoint, **values))


def form_int(name: str) -> int | None:
    """An integer form field, None when missing or malformed."""
    try:
        return int(request.form.get(name, ""))
    except ValueError:
        return None


def parse_date(value: str | None) -> dt.date | None:
    """A date from an ``<input type=date>`` (YYYY-MM-DD), None when blank; ValueError when malformed."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValueError(f"日期格式不正确：“{value}”，应为 年-月-日") from exc
