"""Tests for drafter.services.office: accounts, mentor pairs, the sign-off chain."""

import datetime as dt

import pytest
from sqlalchemy import select

from drafter.services import office as setup
from drafter.services.accounts import authenticate
from drafter.store.models import User
from drafter.store.workflow import AuditEntry

DAY = dt.date(2024, 3, 1)


def test_add_user_and_deactivate(db, office):
    with db.session() as session:
        admin = office.user(session, "director")
        made = setup.add_user(session, admin, "newbie", "新同志", "abc12345", ["writer"], " 综合二科 ")
        assert made.unit == "综合二科" and authenticate(session, "newbie", "abc12345")
        with pytest.raises(setup.OfficeError, match="已被使用"):
            setup.add_user(session, admin, "newbie", "重名", "abc12345", ["writer"], None)
        with pytest.raises(setup.OfficeError, match="角色"):
            setup.add_user(session, admin, "x1", "某某", "abc12345", ["boss"], None)
        with pytest.raises(setup.OfficeError, match="不能停用自己"):
            setup.set_active(session, admin, admin, False)
        setup.set_active(session, admin, made, False)
        assert authenticate(session, "newbie", "abc12345") is None
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert actions[-2:] == ["user.create", "user.deactivate"]


def test_change_own_password(db, office, test_password):
    with db.session() as session:
        me = office.user(session, "junior")
        with pytest.raises(setup.OfficeError, match="当前密码"):
            setup.change_own_password(me, "wrong-one1", "new-pass-22", "new-pass-22")
        with pytest.raises(setup.OfficeError, match="不一致"):
            setup.change_own_password(me, test_password, "new-pass-22", "new-pass-23")
        with pytest.raises(setup.OfficeError, match="字母和数字"):
            setup.change_own_password(me, test_password, "onlyletters", "onlyletters")
        setup.change_own_password(me, test_password, "new-pass-22", "new-pass-22")
    with db.session() as session:
        assert authenticate(session, "zhangxy", "new-pass-22")


def test_pairs_one_mentor_per_junior_at_a_time(db, office):
    with db.session() as session:
        admin = office.user(session, "director")
        mentor, outsider = office.user(session, "other_mentor"), office.user(session, "outsider")
        pair = setup.create_pair(session, admin, mentor, outsider, DAY, DAY + dt.timedelta(days=90))
        assert setup.active_pair_for(session, outsider, DAY + dt.timedelta(days=10)).id == pair.id
        assert setup.active_pair_for(session, outsider, DAY + dt.timedelta(days=91)) is None
        with pytest.raises(setup.OfficeError, match="同一时间只能有一位指导老师"):
            setup.create_pair(session, admin, office.user(session, "chief"), outsider, DAY + dt.timedelta(days=30))
        later = setup.create_pair(session, admin, office.user(session, "chief"), outsider, DAY + dt.timedelta(days=91))
        assert setup.active_juniors(session, office.user(session, "chief"), DAY + dt.timedelta(days=100)) == [outsider]
        assert later.active_on(DAY + dt.timedelta(days=200))


@pytest.mark.parametrize("mentor,junior,message", [
    ("outsider", "sibling", "指导老师”角色"),
    ("mentor", "mentor", "同一人"),
])
def test_bad_pairs_refused(db, office, mentor, junior, message):
    with db.session() as session, pytest.raises(setup.OfficeError, match=message):
        setup.create_pair(session, office.user(session, "director"), office.user(session, mentor),
                          office.user(session, junior), DAY)


def test_end_pair(db, office):
    with db.session() as session:
        admin = office.user(session, "director")
        pair = setup.active_pair_for(session, office.user(session, "junior"), dt.date.today())
        setup.end_pair(session, admin, pair, dt.date.today())
        assert pair.ended_on == dt.date.today()
        with pytest.raises(setup.OfficeError, match="已经结束"):
            setup.end_pair(session, admin, pair, dt.date.today())
        future = setup.create_pair(session, admin, office.user(session, "other_mentor"),
                                   office.user(session, "outsider"), dt.date.today() + dt.timedelta(days=5))
        with pytest.raises(setup.OfficeError, match="尚未生效"):
            setup.end_pair(session, admin, future, dt.date.today())


def test_chain_order_units_and_moves(db, office):
    with db.session() as session:
        admin = office.user(session, "director")
        assert [s.title for s in setup.chain_for(session, "综合一科")] == ["科长", "办公室主任"]
        own = setup.add_step(session, admin, "分管副主任", office.user(session, "other_mentor"), unit="信息科")
        assert [s.title for s in setup.chain_for(session, "信息科")] == ["分管副主任"]
        assert [s.title for s in setup.chain_for(session, None)] == ["科长", "办公室主任"]
        director_step = setup.chain_for(session, None)[1]
        setup.move_step(session, admin, director_step, -1)
        session.flush()
        assert [s.title for s in setup.chain_for(session, None)] == ["办公室主任", "科长"]
        setup.move_step(session, admin, director_step, -1)  # already first: nothing happens
        setup.remove_step(session, admin, own)
        session.flush()
        assert [s.title for s in setup.chain_for(session, "信息科")] == ["办公室主任", "科长"]
        with pytest.raises(setup.OfficeError, match="环节名称"):
            setup.add_step(session, admin, " ", admin)
        assert session.scalar(select(User).where(User.username == "wangzr")).active


def test_update_user(db, office):
    with db.session() as session:
        admin, writer = office.user(session, "director"), office.user(session, "outsider")
        setup.update_user(session, admin, writer, " 赵婷 ", ["writer", "mentor"], " 信息科 ")
        assert writer.display_name == "赵婷" and writer.unit == "信息科" and writer.has_role("mentor")
        with pytest.raises(setup.OfficeError, match="管理员角色"):
            setup.update_user(session, admin, admin, "王主任", ["mentor"], None)
        with pytest.raises(setup.OfficeError, match="角色无效"):
            setup.update_user(session, admin, writer, "赵婷", ["chief"], None)
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert entry.action == "user.update" and "指导老师" in entry.detail
