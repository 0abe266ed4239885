"""Who may see and do what with drafts. Every route and every operation asks these functions.

- A writer sees their own drafts and the drafts of the mentor pair they belong to.
- A mentor sees the drafts of their pairs (their juniors' drafts), from the first version on.
- A sign-off reviewer sees a draft once it has reached their level (and keeps seeing it afterwards).
- An administrator sees everything. Everyone else is told the page does not exist (404).
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from drafter.store.models import Role, User
from drafter.store.workflow import Annotation, Draft, Pair, ReviewState, ReviewTask


def is_admin(user: User | None) -> bool:
    """Whether the user administers the office's accounts, pairs and sign-off chain."""
    return user is not None and user.active and user.has_role(Role.ADMIN)


def is_pair_member(user: User, draft: Draft) -> bool:
    """Whether the user is the mentor or the junior of the draft's pair."""
    return draft.pair is not None and user.id in (draft.pair.mentor_id, draft.pair.junior_id)


def is_pair_mentor(user: User, draft: Draft) -> bool:
    """Whether the user is the mentor of the draft's pair."""
    return draft.pair is not None and draft.pair.mentor_id == user.id


def has_reached_task(user: User, draft: Draft) -> bool:
    """Whether the draft has ever reached the user as a reviewer."""
    return any(t.reviewer_id == user.id and t.reached_at is not None for t in draft.tasks)


def can_view_draft(user: User | None, draft: Draft) -> bool:
    """Whether the user may see the draft, its versions, annotations and history."""
    if user is None or not user.active:
        return False
    return (is_admin(user) or draft.owner_id == user.id or is_pair_member(user, draft)
            or has_reached_task(user, draft))


def visible_drafts(user: User) -> Select:
    """A query of the drafts :func:`can_view_draft` allows, for lists (same rules, in SQL)."""
    stmt = select(Draft)
    if is_admin(user):
        return stmt
    pairs = select(Pair.id).where(or_(Pair.mentor_id == user.id, Pair.junior_id == user.id))
    reached = select(ReviewTask.draft_id).where(ReviewTask.reviewer_id == user.id, ReviewTask.reached_at.is_not(None))
    return stmt.where(or_(Draft.owner_id == user.id, Draft.pair_id.in_(pairs), Draft.id.in_(reached)))


def can_edit_draft(user: User, draft: Draft) -> bool:
    """Whether the user may save a new version now: the writer or the pair's mentor, while not in review."""
    return (user.active and draft.review_state.editable
            and (draft.owner_id == user.id or is_pair_mentor(user, draft)))


def can_submit(user: User, draft: Draft) -> bool:
    """Whether the user may submit the draft for review: the writer, with a version, while editable."""
    return user.active and draft.owner_id == user.id and draft.review_state.editable and draft.version_count > 0


def can_withdraw(user: User, draft: Draft) -> bool:
    """Whether the writer may take the submission back: only before any reviewer of this round decided."""
    if not (user.active and draft.owner_id == user.id and draft.review_state.in_review):
        return False
    return not any(t.round == draft.round and t.verdict is not None for t in draft.tasks)


def can_decide(user: User, draft: Draft) -> bool:
    """Whether the user holds the draft's current review task."""
    task = draft.current_task
    return user.active and task is not None and task.reviewer_id == user.id


def can_annotate(user: User, draft: Draft) -> bool:
    """Whether the user may comment on the text: the pair's mentor, or a reviewer the draft has reached."""
    if not user.active or draft.owner_id == user.id or draft.review_state is ReviewState.APPROVED:
        return False
    return is_pair_mentor(user, draft) or has_reached_task(user, draft)


def can_reply(user: User, draft: Draft) -> bool:
    """Whether the user may reply in an annotation thread (anyone who sees the draft)."""
    return can_view_draft(user, draft)


def can_resolve(user: User, draft: Draft, annotation: Annotation) -> bool:
    """Whether the user may mark an annotation resolved or reopen it: the writer or the annotation's author."""
    return user.active and (draft.owner_id == user.id or annotation.author_id == user.id)
