"""The office's set-up, managed by administrators: accounts, mentor pairs (以老带新) and the sign-off chain.

Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from drafter.services import audit
from drafter.services.accounts import AccountError, check_password_strength, create_user, set_password, verify_password
from drafter.store.models import Role, User
from drafter.store.workflow import Pair, SignoffStep


class OfficeError(Exception):
    """A set-up change was refused; the message is Chinese and says why."""


# ---------------------------------------------------------------------------------------------- accounts

def list_users(session: Session) -> list[User]:
    """All accounts, active first, then by unit and name."""
    return list(session.scalars(select(User).order_by(User.active.desc(), User.unit, User.username)))


def get_user(session: Session, user_id: int) -> User:
    """The user with ``user_id`` or :class:`OfficeError`."""
    user = session.get(User, user_id)
    if user is None:
        raise OfficeError("账号不存在")
    return user


def add_user(session: Session, actor: User, username: str, display_name: str, password: str,
             roles: Iterable[str], unit: str | None) -> User:
    """Create an account (roles writer / mentor / admin) and log it."""
    try:
        role_set = {Role(r) for r in roles}
    except ValueError as exc:
        raise OfficeError("角色无效") from exc
    if not display_name.strip():
        raise OfficeError("请填写姓名")
    try:
        user = create_user(session, username, display_name, password, role_set, (unit or "").strip() or None)
    except AccountError as exc:
        raise OfficeError(str(exc)) from exc
    audit.record(session, actor, "user.create", detail=f"{user.display_name}（{user.username}）")
    return user


def update_user(session: Session, actor: User, user: User, display_name: str, roles: Iterable[str],
                unit: str | None) -> None:
    """Change a user's name, roles and unit (an administrator cannot take the admin role from themselves)."""
    try:
        role_set = {Role(r) for r in roles}
    except ValueError as exc:
        raise OfficeError("角色无效") from exc
    if not role_set:
        raise OfficeError("至少要选择一个角色")
    if user.id == actor.id and Role.ADMIN not in role_set:
        raise OfficeError("不能取消自己的管理员角色，请由其他管理员操作")
    if not display_name.strip():
        raise OfficeError("请填写姓名")
    before = f"{user.display_name}（{'、'.join(r.label for r in sorted(user.roles))}，{user.unit or '未填处室'}）"
    user.display_name = display_name.strip()[:64]
    user.roles = role_set
    user.unit = (unit or "").strip()[:200] or None
    after = f"{user.display_name}（{'、'.join(r.label for r in sorted(user.roles))}，{user.unit or '未填处室'}）"
    audit.record(session, actor, "user.update", detail=f"{user.username}：{before} → {after}")


def set_active(session: Session, actor: User, user: User, active: bool) -> None:
    """Deactivate (nobody can log in as them any more; everything they wrote stays) or reactivate an account."""
    if user.id == actor.id and not active:
        raise OfficeError("不能停用自己的账号")
    if user.active == active:
        return
    user.active = active
    audit.record(session, actor, "user.activate" if active else "user.deactivate",
                 detail=f"{user.display_name}（{user.username}）")


def reset_password(session: Session, actor: User, user: User, password: str) -> None:
    """An administrator sets a new password for a user."""
    try:
        set_password(user, password)
    except AccountError as exc:
        raise OfficeError(str(exc)) from exc
    audit.record(session, actor, "user.password", detail=f"{user.display_name}（{user.username}）")


def change_own_password(user: User, current: str, new: str, confirm: str) -> None:
    """A user changes their own password: the current one must be right and the new one typed twice."""
    if not verify_password(user, current):
        raise OfficeError("当前密码不正确")
    if new != confirm:
        raise OfficeError("两次输入的新密码不一致")
    if new == current:
        raise OfficeError("新密码不能与当前密码相同")
    try:
        check_password_strength(new)
    except AccountError as exc:
        raise OfficeError(str(exc)) from exc
    set_password(user, new)


# ---------------------------------------------------------------------------------------------- pairs

def active_pair_for(session: Session, junior: User, day: dt.date) -> Pair | None:
    """The pair in which ``junior`` is guided on ``day``."""
    return session.scalar(select(Pair).where(
        Pair.junior_id == junior.id, Pair.started_on <= day,
        or_(Pair.ended_on.is_(None), Pair.ended_on >= day)).order_by(Pair.started_on.desc()))


def active_juniors(session: Session, mentor: User, day: dt.date) -> list[User]:
    """The juniors ``mentor`` guides on ``day``."""
    pairs = session.scalars(select(Pair).where(
        Pair.mentor_id == mentor.id, Pair.started_on <= day,
        or_(Pair.ended_on.is_(None), Pair.ended_on >= day))).all()
    return sorted({p.junior for p in pairs}, key=lambda u: u.username)


def list_pairs(session: Session) -> list[Pair]:
    """All pairs, open ones first, newest first."""
    return list(session.scalars(select(Pair).order_by(Pair.ended_on.is_not(None), Pair.started_on.desc(),
                                                      Pair.id.desc())))


def create_pair(session: Session, actor: User, mentor: User, junior: User, started_on: dt.date,
                ended_on: dt.date | None = None, note: str | None = None) -> Pair:
    """Pair a mentor with a junior; a junior has one mentor at a time, a mentor may have several juniors."""
    if mentor.id == junior.id:
        raise OfficeError("指导老师和学员不能是同一人")
    if not mentor.has_role(Role.MENTOR):
        raise OfficeError(f"{mentor.display_name}没有“指导老师”角色，请先在账号管理中授予")
    if not (mentor.active and junior.active):
        raise OfficeError("停用的账号不能参加结对")
    if ended_on is not None and ended_on < started_on:
        raise OfficeError("结束日期不能早于开始日期")
    far = dt.date.max
    for other in session.scalars(select(Pair).where(Pair.junior_id == junior.id)):
        if other.started_on <= (ended_on or far) and started_on <= (other.ended_on or far):
            raise OfficeError(f"{junior.display_name}在这段时间已由{other.mentor.display_name}指导"
                              f"（{other.started_on}起），同一时间只能有一位指导老师")
    pair = Pair(mentor_id=mentor.id, junior_id=junior.id, started_on=started_on, ended_on=ended_on,
                note=(note or "").strip()[:200] or None)
    session.add(pair)
    session.flush()
    audit.record(session, actor, "pair.create",
                 detail=f"{mentor.display_name} 指导 {junior.display_name}，{started_on} 起")
    return pair


def end_pair(session: Session, actor: User, pair: Pair, day: dt.date) -> None:
    """End a pair on ``day``; its drafts stay shared by both (they were written together)."""
    if pair.ended_on is not None and pair.ended_on <= day:
        raise OfficeError("该结对已经结束")
    if day < pair.started_on:
        raise OfficeError(f"该结对 {pair.started_on} 才开始，尚未生效，无需结束")
    pair.ended_on = day
    audit.record(session, actor, "pair.end",
                 detail=f"{pair.mentor.display_name} 指导 {pair.junior.display_name}，{day} 结束")


# ---------------------------------------------------------------------------------------------- sign-off chain

def chain_for(session: Session, unit: str | None) -> list[SignoffStep]:
    """The sign-off steps for a writer of ``unit``: that unit's own chain if it has one, else the default."""
    if unit:
        own = list(session.scalars(select(SignoffStep).where(SignoffStep.unit == unit)
                                   .order_by(SignoffStep.position)))
        if own:
            return own
    return list(session.scalars(select(SignoffStep).where(SignoffStep.unit.is_(None))
                                .order_by(SignoffStep.position)))


def chain_groups(session: Session) -> dict[str | None, list[SignoffStep]]:
    """Every chain by unit (None is the default chain), steps in order."""
    groups: dict[str | None, list[SignoffStep]] = {None: []}
    for step in session.scalars(select(SignoffStep).order_by(SignoffStep.unit, SignoffStep.position)):
        groups.setdefault(step.unit, []).append(step)
    return groups


def add_step(session: Session, actor: User, title: str, reviewer: User, unit: str | None = None) -> SignoffStep:
    """Append a level (科长, 办公室主任 …) to the chain of ``unit`` (the default chain when None)."""
    title = title.strip()
    unit = (unit or "").strip() or None
    if not title:
        raise OfficeError("请填写环节名称，如“科长”“办公室主任”")
    if not reviewer.active:
        raise OfficeError("停用的账号不能担任签批人")
    last = session.scalar(select(func.max(SignoffStep.position)).where(
        SignoffStep.unit == unit if unit else SignoffStep.unit.is_(None)))
    step = SignoffStep(unit=unit, position=(last or 0) + 1, title=title[:64], reviewer_id=reviewer.id)
    session.add(step)
    session.flush()
    audit.record(session, actor, "chain.add", detail=f"{unit or '默认流程'}：{title}（{reviewer.display_name}）")
    return step


def remove_step(session: Session, actor: User, step: SignoffStep) -> None:
    """Remove a level; drafts already in sign-off keep the chain they were submitted with."""
    session.delete(step)
    audit.record(session, actor, "chain.remove", detail=f"{step.unit or '默认流程'}：{step.title}")


def move_step(session: Session, actor: User, step: SignoffStep, delta: int) -> None:
    """Move a level one place earlier (-1) or later (+1) in its chain."""
    steps = chain_for(session, step.unit) if step.unit else chain_for(session, None)
    index = next(i for i, s in enumerate(steps) if s.id == step.id)
    other = index + delta
    if not 0 <= other < len(steps):
        return
    steps[index].position, steps[other].position = steps[other].position, steps[index].position
    audit.record(session, actor, "chain.move", detail=f"{step.unit or '默认流程'}：{step.title}")
