"""Tests for drafter.services.login_throttle."""

import datetime as dt

from drafter.services.login_throttle import (
    MAX_FAILURES_PER_IP,
    MAX_FAILURES_PER_USER,
    WINDOW,
    lockout_remaining,
    record_attempt,
    wait_message,
)
from drafter.store.models import utcnow

NOW = utcnow()


def _fail(session, username, ip, times, at=NOW):
    for i in range(times):
        record_attempt(session, username, ip, False, at - dt.timedelta(seconds=times - i))


def test_user_name_locked_after_repeated_failures(db):
    with db.session() as session:
        _fail(session, "ZhangXY", "10.0.0.1", MAX_FAILURES_PER_USER - 1)
        assert lockout_remaining(session, "zhangxy", "10.0.0.9", NOW) is None
        _fail(session, "zhangxy", "10.0.0.2", 1)
        wait = lockout_remaining(session, "zhangxy", "10.0.0.9", NOW)
        assert wait is not None and dt.timedelta(minutes=14) < wait <= WINDOW
        assert "15 分钟" in wait_message(wait)
        assert lockout_remaining(session, "zhangxy", "10.0.0.9", NOW + WINDOW) is None
        assert lockout_remaining(session, "other", "10.0.0.9", NOW) is None


def test_success_resets_the_count(db):
    with db.session() as session:
        _fail(session, "limh", "10.0.0.1", MAX_FAILURES_PER_USER - 1, NOW - dt.timedelta(minutes=2))
        record_attempt(session, "limh", "10.0.0.1", True, NOW - dt.timedelta(minutes=1))
        _fail(session, "limh", "10.0.0.1", 2)
        assert lockout_remaining(session, "limh", "10.0.0.1", NOW) is None


def test_address_locked_when_trying_many_names(db):
    with db.session() as session:
        for i in range(MAX_FAILURES_PER_IP):
            record_attempt(session, f"user{i}", "10.9.9.9", False, NOW - dt.timedelta(seconds=i + 1))
        assert lockout_remaining(session, "anyone", "10.9.9.9", NOW) is not None
        assert lockout_remaining(session, "anyone", "10.9.9.8", NOW) is None


def test_old_failures_are_forgotten(db):
    with db.session() as session:
        _fail(session, "liuy", "10.0.0.1", MAX_FAILURES_PER_USER, NOW - WINDOW - dt.timedelta(minutes=1))
        assert lockout_remaining(session, "liuy", "10.0.0.1", NOW) is None
