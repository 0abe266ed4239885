"""Tests for drafter.web.admin: accounts, pairs, the sign-off chain and the audit log, as an administrator."""

import pytest

from drafter.services.accounts import authenticate
from drafter.store.models import User
from drafter.store.workflow import Pair, SignoffStep


@pytest.fixture
def admin(login, office):
    return login("wangzr")


def _body(response) -> str:
    return response.get_data(as_text=True)


def _follow(client, response) -> str:
    assert response.status_code == 302, _body(response)[:300]
    return _body(client.get(response.headers["Location"]))


def test_create_user_with_roles_and_unit(admin, db):
    page = _follow(admin, admin.post("/admin/users", data={
        "username": "sunli", "display_name": "孙立", "unit": "综合二科", "password": "abc12345",
        "roles": ["writer", "mentor"]}))
    assert "已创建账号 sunli" in page and "孙立" in page and "综合二科" in page
    with db.session() as session:
        user = session.query(User).filter_by(username="sunli").one()
        assert {r.value for r in user.roles} == {"writer", "mentor"}
        assert authenticate(session, "sunli", "abc12345") is not None


def test_create_user_errors_keep_the_form(admin):
    response = admin.post("/admin/users", data={"username": "孙立", "display_name": "孙立", "password": "abc12345",
                                                "roles": "writer", "unit": "保留的处室"})
    assert response.status_code == 400 and "用户名只能" in _body(response) and "保留的处室" in _body(response)


def test_deactivate_and_reactivate(admin, db, office, login):
    victim = login("zhaot")
    page = _follow(admin, admin.post(f"/admin/users/{office.ids['outsider']}/active", data={"active": "0"}))
    assert "已停用账号 zhaot" in page and "已停用" in page
    assert victim.get("/drafts/").status_code == 302
    assert "不能停用自己" in _follow(admin, admin.post(f"/admin/users/{office.ids['director']}/active",
                                                        data={"active": "0"}))
    _follow(admin, admin.post(f"/admin/users/{office.ids['outsider']}/active", data={"active": "1"}))
    with db.session() as session:
        assert session.get(User, office.ids["outsider"]).active


def test_reset_password(admin, db, office):
    assert "已重置" in _follow(admin, admin.post(f"/admin/users/{office.ids['sibling']}/password",
                                                 data={"password": "fresh-pass-7"}))
    assert "至少" in _follow(admin, admin.post(f"/admin/users/{office.ids['sibling']}/password",
                                               data={"password": "x1"}))
    with db.session() as session:
        assert authenticate(session, "liuy", "fresh-pass-7") is not None


def test_pairs_page(admin, db, office):
    page = _body(admin.get("/admin/pairs"))
    assert "李老师" in page and "张晓宇" in page and "进行中" in page
    page = _follow(admin, admin.post("/admin/pairs", data={
        "mentor_id": office.ids["other_mentor"], "junior_id": office.ids["outsider"], "started_on": "2024-03-01",
        "note": "信息写作"}))
    assert "已建立结对：陈静 指导 赵婷" in page
    refused = _follow(admin, admin.post("/admin/pairs", data={
        "mentor_id": office.ids["chief"], "junior_id": office.ids["outsider"], "started_on": "2024-04-01"}))
    assert "同一时间只能有一位指导老师" in refused
    assert "日期格式不正确" in _follow(admin, admin.post("/admin/pairs", data={
        "mentor_id": office.ids["chief"], "junior_id": office.ids["outsider"], "started_on": "明天"}))
    with db.session() as session:
        pair = session.query(Pair).filter_by(junior_id=office.ids["outsider"]).one()
    assert "结对已结束" in _follow(admin, admin.post(f"/admin/pairs/{pair.id}/end"))
    assert admin.post("/admin/pairs/999/end").status_code == 404


def test_chain_page(admin, db, office):
    page = _body(admin.get("/admin/chain"))
    assert "默认流程" in page and "科长" in page and "办公室主任" in page
    page = _follow(admin, admin.post("/admin/chain", data={"title": "分管副主任", "reviewer_id": office.ids["chief"],
                                                           "unit": "信息科"}))
    assert "信息科" in page and "分管副主任" in page
    with db.session() as session:
        first = session.query(SignoffStep).filter_by(unit=None).order_by(SignoffStep.position).first()
    _follow(admin, admin.post(f"/admin/chain/{first.id}/move", data={"direction": "down"}))
    with db.session() as session:
        titles = [s.title for s in session.query(SignoffStep).filter_by(unit=None).order_by(SignoffStep.position)]
        assert titles == ["办公室主任", "科长"]
    _follow(admin, admin.post(f"/admin/chain/{first.id}/remove"))
    assert "请填写环节名称" in _follow(admin, admin.post("/admin/chain", data={"title": "", "reviewer_id":
                                                                          office.ids["chief"]}))
    assert admin.post("/admin/chain/999/remove").status_code == 404


def test_audit_log_lists_changes(admin, office):
    page = _body(admin.get("/admin/audit"))
    assert "建立结对" in page and "增加签批环节" in page and "王主任" in page


def test_change_roles_name_and_unit(admin, db, office):
    form = _body(admin.get(f"/admin/users/{office.ids['outsider']}"))
    assert 'value="赵婷"' in form and "重置密码" in form and 'value="writer" checked' in form
    page = _follow(admin, admin.post(f"/admin/users/{office.ids['outsider']}", data={
        "display_name": "赵婷婷", "unit": "综合二科", "roles": ["writer", "mentor"]}))
    assert "已修改账号 zhaot" in page
    with db.session() as session:
        user = session.get(User, office.ids["outsider"])
        assert user.display_name == "赵婷婷" and user.unit == "综合二科" and {r.value for r in user.roles} == {
            "writer", "mentor"}
    refused = _follow(admin, admin.post(f"/admin/users/{office.ids['director']}", data={
        "display_name": "王主任", "roles": ["mentor"]}))
    assert "不能取消自己的管理员角色" in refused
    assert "至少要选择一个角色" in _follow(admin, admin.post(f"/admin/users/{office.ids['outsider']}",
                                                          data={"display_name": "赵婷"}))
