"""When the database is locked, unreachable or gone: a clear Chinese message, and nothing the user typed is lost.

Any request that meets such an error gets 503. A save from the editor comes back as a bare editor holding the
typed text, ready to be saved again with the same version base (the stale-save guard still applies); other
forms show the texts the user typed so they can be copied; the page's script gets JSON. Nothing here reads
the database: it is the one thing that is not working.
"""

from __future__ import annotations

import logging

from flask import Blueprint, g, jsonify, render_template, request
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.wrappers import Response

from drafter.store.db import DatabaseError

bp = Blueprint("errors", __name__)
log = logging.getLogger(__name__)

#: Errors that mean "the database cannot be used right now" (not a bug in a query).
UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout, DatabaseError)

MESSAGE = "数据库暂时无法访问（可能正忙或连接中断），操作没有完成。"
EDITOR_MESSAGE = ("数据库暂时无法写入（可能正忙或连接中断），本次内容没有保存。您输入的文字仍在下方编辑框中，"
                  "请稍等片刻后再次点击“保存”；也可以先复制到别处留存。")
#: Form fields that are never typed text worth giving back.
NOT_TEXT = {"csrf_token", "base", "start", "end", "number", "verdict", "resolved", "category", "owner_id",
            "password", "current", "new", "confirm", "username"}
FIELD_LABELS = {"text": "正文", "comment": "意见", "replacement": "建议改为", "quote": "原文", "note": "说明",
                "title": "标题", "assignment": "任务要求"}


def _release_session() -> None:
    """Give the request's database session back without touching the database again."""
    session = g.pop("db_session", None)
    if session is not None:
        try:
            session.rollback()
        except Exception:  # noqa: BLE001 - the connection is already broken; closing below is all we can do
            pass
        session.close()


@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(InterfaceError)
@bp.app_errorhandler(DisconnectionError)
@bp.app_errorhandler(PoolTimeout)
@bp.app_errorhandler(DatabaseError)
def database_unavailable(error: Exception) -> tuple[str | Response, int]:
    """503 with the reason; the typed text comes back."""
    log.warning("数据库不可用：%s %s：%s", request.method, request.path, error)
    _release_session()
    g.user = None  # the page header would ask the database for the user's review queue
    if request.is_json or request.accept_mimetypes.best == "application/json":
        return jsonify(error=MESSAGE + "请稍后重试。"), 503
    if request.method == "POST" and request.endpoint == "drafts.edit":
        return render_template("errors/unsaved.html", message=EDITOR_MESSAGE, draft_id=request.view_args["draft_id"],
                               text=request.form.get("text", ""), base=request.form.get("base", ""),
                               note=request.form.get("note", "")), 503
    typed = []
    if request.method == "POST":
        typed = [(FIELD_LABELS.get(name, name), value) for name, value in request.form.items()
                 if name not in NOT_TEXT and value.strip()]
    return render_template("errors/unavailable.html", message=MESSAGE, typed=typed, back=_back()), 503


def _back() -> str | None:
    """Where "返回上一页" leads: the page the form was on (only on this server), or the page itself."""
    if request.method != "POST":
        return request.full_path.rstrip("?")
    referrer = request.referrer or ""
    return referrer if referrer.startswith(request.host_url) else None
