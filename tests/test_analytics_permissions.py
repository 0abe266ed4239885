"""Tests for drafter.services.analytics_permissions: who may open which analytics page."""

import datetime as dt

import pytest

from drafter.services import analytics_permissions as can

TODAY = dt.date.today()


@pytest.mark.parametrize("viewer,allowed", [("junior", True), ("mentor", True), ("director", True), ("sibling", False),
                                            ("chief", False), ("outsider", False), ("other_mentor", False)])
def test_writer_page_is_the_writer_their_mentor_and_administrators(db, office, viewer, allowed):
    with db.session() as session:
        junior = office.user(session, "junior")
        assert can.can_view_writer(session, office.user(session, viewer), junior, TODAY) is allowed
        assert can.can_view_writer(session, None, junior, TODAY) is False


def test_a_former_mentor_and_an_inactive_user_lose_the_page(db, office):
    with db.session() as session:
        junior, mentor = office.user(session, "junior"), office.user(session, "mentor")
        assert not can.can_view_writer(session, mentor, junior, TODAY + dt.timedelta(days=-60))  # before the pair
        mentor.active = False
        assert not can.can_view_writer(session, mentor, junior, TODAY)


def test_mentor_office_and_archive_pages(db, office):
    with db.session() as session:
        people = {k: office.user(session, k) for k in office.ids}
        assert [k for k, u in people.items() if can.can_view_mentor_page(u)] == [
            "director", "mentor", "chief", "other_mentor"]
        assert [k for k, u in people.items() if can.can_view_office(u)] == ["director"]
        assert [k for k, u in people.items() if can.can_refresh_archive_analytics(u)] == ["director"]
        assert all(can.can_view_archive_analytics(u) for u in people.values())
        assert not can.can_view_archive_analytics(None) and not can.can_view_mentor_page(None)
