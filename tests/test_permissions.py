"""Tests for drafter.services.permissions: who sees which draft, in Python and in SQL alike."""

import pytest
from sqlalchemy import select

from drafter.services import permissions
from drafter.services.drafts import create_draft
from drafter.services.review import decide, submit
from drafter.store.models import User
from drafter.store.workflow import Draft, Verdict

ROLES = ("director", "mentor", "junior", "sibling", "chief", "outsider", "other_mentor")


@pytest.fixture
def drafts(db, office) -> dict[str, int]:
    """A junior's draft in each position of the loop, and an unpaired writer's draft."""
    made = {}
    with db.session() as session:
        junior = office.user(session, "junior")
        for name in ("drafting", "with_mentor", "with_chief"):
            draft = create_draft(session, junior, name, text="正文。\n")
            if name != "drafting":
                submit(session, draft, junior)
            if name == "with_chief":
                decide(session, draft, office.user(session, "mentor"), Verdict.PASS, "")
            made[name] = draft.id
        made["outsider"] = create_draft(session, office.user(session, "outsider"), "外科室", text="正文。\n").id
    return made


EXPECTED = {
    "drafting": {"director", "mentor", "junior"},
    "with_mentor": {"director", "mentor", "junior"},
    "with_chief": {"director", "mentor", "junior", "chief"},
    "outsider": {"director", "outsider"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_who_sees_each_draft(db, office, drafts, name):
    with db.session() as session:
        draft = session.get(Draft, drafts[name])
        seen = {role for role in ROLES if permissions.can_view_draft(office.user(session, role), draft)}
        assert seen == EXPECTED[name]


@pytest.mark.parametrize("role", ROLES)
def test_list_query_agrees_with_the_check(db, office, drafts, role):
    with db.session() as session:
        user = office.user(session, role)
        listed = set(session.scalars(permissions.visible_drafts(user).with_only_columns(Draft.id)))
        checked = {d.id for d in session.scalars(select(Draft)) if permissions.can_view_draft(user, d)}
        assert listed == checked


def test_deactivated_users_see_nothing(db, office, drafts):
    with db.session() as session:
        junior = office.user(session, "junior")
        junior.active = False
        assert not permissions.can_view_draft(junior, session.get(Draft, drafts["drafting"]))
        assert not permissions.can_view_draft(None, session.get(Draft, drafts["drafting"]))


def test_actions_by_role(db, office, drafts):
    with db.session() as session:
        user = {role: office.user(session, role) for role in ROLES}
        drafting, with_mentor = session.get(Draft, drafts["drafting"]), session.get(Draft, drafts["with_mentor"])
        assert {r for r in ROLES if permissions.can_edit_draft(user[r], drafting)} == {"junior", "mentor"}
        assert {r for r in ROLES if permissions.can_edit_draft(user[r], with_mentor)} == set()
        assert {r for r in ROLES if permissions.can_submit(user[r], drafting)} == {"junior"}
        assert {r for r in ROLES if permissions.can_withdraw(user[r], with_mentor)} == {"junior"}
        assert {r for r in ROLES if permissions.can_decide(user[r], with_mentor)} == {"mentor"}
        assert {r for r in ROLES if permissions.can_annotate(user[r], with_mentor)} == {"mentor"}
        with_chief = session.get(Draft, drafts["with_chief"])
        assert {r for r in ROLES if permissions.can_annotate(user[r], with_chief)} == {"mentor", "chief"}
        assert {r for r in ROLES if permissions.can_decide(user[r], with_chief)} == {"chief"}
        assert permissions.is_admin(user["director"]) and not permissions.is_admin(user["mentor"])
        assert isinstance(user["junior"], User)
