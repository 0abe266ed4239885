"""Tests for drafter.web.auth: login, logout, throttling, password change, sessions, CSRF, headers."""

import pytest
from flask.testing import FlaskClient

from drafter.services.login_throttle import MAX_FAILURES_PER_USER
from drafter.store.models import User


def _login(client, username, password, next_url=None):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post("/login", data=data)


def test_every_page_needs_a_login_except_login_and_static(anon_client):
    for url in ("/", "/drafts/", "/review/", "/admin/users", "/documents/1"):
        response = anon_client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    assert anon_client.get("/login").status_code == 200
    for asset in ("/static/app.css", "/static/drafter.js"):
        with anon_client.get(asset) as response:
            assert response.status_code == 200
    assert anon_client.get("/drafts/", headers={"Accept": "application/json"}).status_code == 401


def test_login_logout_and_next(anon_client, add_user, test_password):
    add_user("zhangxy", name="张晓宇")
    response = _login(anon_client, "ZhangXY", test_password, "/review/")
    assert response.status_code == 302 and response.headers["Location"] == "/review/"
    page = anon_client.get("/drafts/").get_data(as_text=True)
    assert "张晓宇" in page and "退出" in page and 'name="csrf-token"' in page
    assert anon_client.post("/logout").status_code == 302
    assert anon_client.get("/drafts/").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil", "javascript:alert(1)"])
def test_no_open_redirect_after_login(anon_client, add_user, test_password, target):
    add_user("liuy")
    response = _login(anon_client, "liuy", test_password, target)
    assert response.headers["Location"] == "/drafts/"


def test_wrong_password_and_deactivated_account_are_refused(anon_client, add_user, db, test_password):
    add_user("liuy")
    response = _login(anon_client, "liuy", "wrong-pass-1")
    assert response.status_code == 401 and "用户名或密码不正确" in response.get_data(as_text=True)
    with db.session() as session:
        session.query(User).filter_by(username="liuy").one().active = False
    assert _login(anon_client, "liuy", test_password).status_code == 401


def test_login_throttled_after_repeated_failures(anon_client, add_user, test_password):
    add_user("zhaot")
    for _ in range(MAX_FAILURES_PER_USER):
        assert _login(anon_client, "zhaot", "wrong-pass-1").status_code == 401
    response = _login(anon_client, "zhaot", test_password)  # even the right password waits now
    assert response.status_code == 429 and "分钟后再试" in response.get_data(as_text=True)
    assert _login(anon_client, "zhaot", test_password).status_code == 429


def test_deactivation_and_password_change_end_other_sessions(app, login, db, test_password):
    junior = login("zhangxy")
    other_tab = login("zhangxy")
    assert junior.get("/drafts/").status_code == 200
    response = junior.post("/account/password", data={"current": test_password, "new": "new-pass-42",
                                                      "confirm": "new-pass-42"})
    assert response.status_code == 302
    assert junior.get("/drafts/").status_code == 200  # this session was renewed
    assert other_tab.get("/drafts/").status_code == 302  # the other one ended
    with db.session() as session:
        session.query(User).filter_by(username="zhangxy").one().active = False
    assert junior.get("/drafts/").status_code == 302


def test_password_change_errors_are_shown(login):
    client = login("liuy")
    response = client.post("/account/password", data={"current": "nope-nope1", "new": "abc12345",
                                                       "confirm": "abc12345"})
    assert response.status_code == 400 and "当前密码不正确" in response.get_data(as_text=True)


def test_posts_without_csrf_token_are_refused(app, login, add_user, test_password):
    from drafter.web.auth import log_in

    login("zhangxy")
    plain = FlaskClient(app, app.response_class, use_cookies=True)
    response = plain.post("/login", data={"username": "zhangxy", "password": test_password})
    assert response.status_code == 400 and "页面已过期" in response.get_data(as_text=True)
    with app.app_context():
        from drafter.web import db_session

        user = db_session().query(User).filter_by(username="zhangxy").one()
    with plain.session_transaction() as flask_session:
        log_in(flask_session, user)
    assert plain.post("/drafts/new", data={"title": "无令牌"}).status_code == 400
    assert plain.post("/drafts/new", data={"title": "假令牌"}, headers={"X-CSRFToken": "forged"}).status_code == 400


def test_security_headers_and_session_cookie(anon_client, add_user, test_password):
    page = anon_client.get("/login")
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN" and page.headers["X-Content-Type-Options"] == "nosniff"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    add_user("liuy")
    cookie = _login(anon_client, "liuy", test_password).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_setting(db, monkeypatch):
    from drafter.config import Settings
    from drafter.web import create_app

    monkeypatch.setenv("DRAFTER_SECURE_COOKIES", "1")
    app = create_app({"SETTINGS": Settings(db_url=db.url, secret_key="k"), "DATABASE": db})
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_behind_a_proxy_the_client_address_counts(db, add_user, test_password, monkeypatch):
    from drafter.config import Settings
    from drafter.services import login_throttle
    from drafter.web import create_app

    monkeypatch.setattr(login_throttle, "MAX_FAILURES_PER_IP", 3)
    app = create_app({"SETTINGS": Settings(db_url=db.url, secret_key="k", extra={"behind_proxy": True}),
                      "DATABASE": db})
    from conftest import CsrfClient

    app.test_client_class = CsrfClient
    client = app.test_client()
    add_user("liuy")
    for i in range(3):
        client.post("/login", data={"username": f"nobody{i}", "password": "x"},
                    headers={"X-Forwarded-For": "10.1.1.1"})
    locked = client.post("/login", data={"username": "liuy", "password": test_password},
                         headers={"X-Forwarded-For": "10.1.1.1"})
    assert locked.status_code == 429
    other = client.post("/login", data={"username": "liuy", "password": test_password},
                        headers={"X-Forwarded-For": "10.1.1.2"})
    assert other.status_code == 302
