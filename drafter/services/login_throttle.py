"""Login throttling: after repeated failures a user name (or an address) must wait before trying again.

Attempts are rows in the database, so the limit holds across server processes.
"""

from __future__ import annotations

import datetime as dt
import math

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from drafter.services.audit import as_utc
from drafter.store.models import utcnow
from drafter.store.workflow import LoginAttempt

#: Failures of one user name within the window that lock it.
MAX_FAILURES_PER_USER = 5
#: Failures from one address within the window that lock it (someone trying many names).
MAX_FAILURES_PER_IP = 20
WINDOW = dt.timedelta(minutes=15)
KEEP = dt.timedelta(days=30)


def _key(username: str) -> str:
    return username.strip().lower()[:64]


def lockout_remaining(session: Session, username: str, ip: str, now: dt.datetime | None = None) -> dt.timedelta | None:
    """How long this user name or address must still wait, or None when a try is allowed."""
    now = now or utcnow()
    waits = []
    for column, value, limit in ((LoginAttempt.username, _key(username), MAX_FAILURES_PER_USER),
                                 (LoginAttempt.ip, ip[:64], MAX_FAILURES_PER_IP)):
        last_success = session.scalar(select(func.max(LoginAttempt.at)).where(column == value, LoginAttempt.success))
        since = max(now - WINDOW, as_utc(last_success)) if last_success else now - WINDOW
        failures = session.scalars(select(LoginAttempt.at).where(
            column == value, LoginAttempt.success.is_(False), LoginAttempt.at > since)
            .order_by(LoginAttempt.at.desc()).limit(limit)).all()
        if len(failures) >= limit:
            unlock = as_utc(failures[-1]) + WINDOW
            if unlock > now:
                waits.append(unlock - now)
    return max(waits) if waits else None


def wait_message(remaining: dt.timedelta) -> str:
    """The Chinese message for a locked login."""
    minutes = max(1, math.ceil(remaining.total_seconds() / 60))
    return f"登录失败次数过多，为保护账号安全已暂时锁定，请 {minutes} 分钟后再试。"


def record_attempt(session: Session, username: str, ip: str, success: bool, now: dt.datetime | None = None) -> None:
    """Log a try (and forget tries older than a month)."""
    now = now or utcnow()
    session.add(LoginAttempt(username=_key(username), ip=ip[:64], at=now, success=success))
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP))
