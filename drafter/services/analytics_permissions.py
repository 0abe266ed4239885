"""Who may see which analytics page. Every analytics route asks these functions.

- A writer's page (drafts, check results, annotations received, critique scores) is theirs, their current
  mentor's (以老带新, as for the critique feedback page) and the administrators'. To anyone else the page
  does not exist (404).
- Critique-meeting figures on a writer's page follow the meetings' own rules: the writer and their mentor
  see every closed meeting the writer took part in (the feedback page already shows them); anyone else,
  administrators included, only the meetings whose results they may see as members
  (:func:`drafter.services.critique_permissions.can_see_results`) — critiques stay between colleagues.
- The mentor page is for users holding the mentor role (it lists the juniors they guide today).
- The office dashboard and its error register (错误文稿登记) are the administrators'.
- The archive analytics are everyone's (the archive is); asking for a new computation is the
  administrators'.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from drafter.services.critique_permissions import can_see_results, can_view_feedback
from drafter.services.permissions import is_admin
from drafter.store.critique import Meeting
from drafter.store.models import Role, User


def _active(user: User | None) -> bool:
    return user is not None and user.active


def can_view_writer(session: Session, viewer: User | None, writer: User, day: dt.date) -> bool:
    """Whether ``viewer`` may open ``writer``'s page: the writer, their current mentor, an administrator."""
    if not _active(viewer):
        return False
    return is_admin(viewer) or can_view_feedback(session, viewer, writer, day)


def can_see_meeting_scores(session: Session, viewer: User, writer: User, meeting: Meeting, day: dt.date) -> bool:
    """Whether ``viewer`` may see ``writer``'s rank and scores of a closed ``meeting`` on the writer page."""
    return can_view_feedback(session, viewer, writer, day) or can_see_results(viewer, meeting)


def can_view_mentor_page(viewer: User | None) -> bool:
    """Whether the user has a mentor page: mentors."""
    return _active(viewer) and viewer.has_role(Role.MENTOR)


def can_view_office(viewer: User | None) -> bool:
    """Whether the user may open the office dashboard and export the error register: administrators."""
    return is_admin(viewer)


def can_view_archive_analytics(viewer: User | None) -> bool:
    """Whether the user may read the archive analytics: every active user."""
    return _active(viewer)


def can_refresh_archive_analytics(viewer: User | None) -> bool:
    """Whether the user may ask for the archive analytics to be computed again: administrators."""
    return is_admin(viewer)
