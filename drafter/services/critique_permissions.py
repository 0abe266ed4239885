"""Who may see and do what in critique meetings (文稿点评交流会). Every route and operation asks these
functions (:mod:`drafter.services.permissions` does the same for drafts).

- Only the chair and the participants see a meeting; to everyone else it does not exist (404). An
  administrator who is neither sees nothing of it either: critiques are between colleagues.
- Administrators and mentors may call a meeting; the one who calls it chairs it.
- Participants nominate in the nomination phase and critique the others' nominations (never their own) in
  the critique phase; a critique can be changed until the phase ends.
- Until the meeting closes a critic sees only their own critiques and notes; the chair sees all of them (to
  run the meeting). Once closed, every member sees every critique. In an anonymous meeting only the chair
  and the critic see who wrote a critique.
- The ranking is the chair's while critique goes on, everyone's once the meeting is closed.
- A writer's page of all feedback received is theirs and their current mentor's (以老带新).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafter.store.critique import Critique, CritiqueNote, Meeting, Nomination, Phase
from drafter.store.models import Role, User
from drafter.store.workflow import Pair


def _active(user: User | None) -> bool:
    return user is not None and user.active


def can_call_meeting(user: User | None) -> bool:
    """Whether the user may create a meeting (and chair it): administrators and mentors."""
    return _active(user) and (user.has_role(Role.ADMIN) or user.has_role(Role.MENTOR))


def is_chair(user: User | None, meeting: Meeting) -> bool:
    """Whether the user chairs the meeting."""
    return _active(user) and meeting.chair_id == user.id


def is_participant(user: User | None, meeting: Meeting) -> bool:
    """Whether the user nominates and critiques in the meeting."""
    return _active(user) and user.id in meeting.participant_ids


def can_view_meeting(user: User | None, meeting: Meeting) -> bool:
    """Whether the meeting exists for the user: its chair and its participants."""
    return is_chair(user, meeting) or is_participant(user, meeting)


def can_manage(user: User | None, meeting: Meeting) -> bool:
    """Whether the user may change the settings and move the phases: the chair."""
    return is_chair(user, meeting)


def can_nominate(user: User | None, meeting: Meeting) -> bool:
    """Whether the user may nominate (or change a nomination) now: a participant in the nomination phase."""
    return is_participant(user, meeting) and meeting.phase_enum is Phase.NOMINATION


def can_critique(user: User | None, nomination: Nomination) -> bool:
    """Whether the user may write or change a critique of ``nomination`` now."""
    meeting = nomination.meeting
    return (is_participant(user, meeting) and meeting.phase_enum is Phase.CRITIQUE
            and nomination.author_id != user.id)


def can_judge(user: User | None, meeting: Meeting) -> bool:
    """Whether the user may compare pairs now: a participant, in the critique phase, when it is switched on."""
    return is_participant(user, meeting) and meeting.phase_enum is Phase.CRITIQUE and meeting.comparative


def can_see_critique(user: User | None, critique: Critique | CritiqueNote, meeting: Meeting) -> bool:
    """Whether the user may read a critique (or a critic's note on the text)."""
    author = critique.critic_id if isinstance(critique, Critique) else critique.author_id
    if not can_view_meeting(user, meeting):
        return False
    return author == user.id or is_chair(user, meeting) or meeting.phase_enum is Phase.CLOSED


def can_see_critic(user: User | None, critique: Critique | CritiqueNote, meeting: Meeting) -> bool:
    """Whether the user may see who wrote a critique or note (anonymous meetings hide it from others)."""
    author = critique.critic_id if isinstance(critique, Critique) else critique.author_id
    return can_see_critique(user, critique, meeting) and (
        not meeting.anonymous or author == user.id or is_chair(user, meeting))


def can_see_results(user: User | None, meeting: Meeting) -> bool:
    """Whether the user may see the ranking: the chair once critique began, every member once closed."""
    if meeting.phase_enum is Phase.CLOSED:
        return can_view_meeting(user, meeting)
    return is_chair(user, meeting) and meeting.phase_enum is Phase.CRITIQUE


def can_see_rater_effects(user: User | None, meeting: Meeting) -> bool:
    """Whether the user may see how lenient or severe each critic was: the chair only."""
    return is_chair(user, meeting) and meeting.phase_enum is not Phase.NOMINATION


def can_mark_exemplar(user: User | None, meeting: Meeting) -> bool:
    """Whether the user may mark 精品佳作: the chair of a closed meeting."""
    return is_chair(user, meeting) and meeting.phase_enum is Phase.CLOSED


def can_export_minutes(user: User | None, meeting: Meeting) -> bool:
    """Whether the user may download the minutes: any member of a closed meeting."""
    return can_view_meeting(user, meeting) and meeting.phase_enum is Phase.CLOSED


def can_view_feedback(session: Session, viewer: User | None, writer: User, day: dt.date) -> bool:
    """Whether ``viewer`` may read everything ``writer`` was told in meetings: the writer and their mentor."""
    if not _active(viewer):
        return False
    if viewer.id == writer.id:
        return True
    pairs = session.scalars(select(Pair).where(Pair.mentor_id == viewer.id, Pair.junior_id == writer.id))
    return any(pair.active_on(day) for pair in pairs)
