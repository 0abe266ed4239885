"""Critique meetings (文稿点评交流会) — the one operations module for their state (STYLE.md).

The chair calls a meeting with a date, participants and a rubric (default 思想性、启发性、指导性、可读性,
1–5 each). Phases: 提名自评 (each participant nominates their most and least satisfying recent draft with a
self-assessment and self-scores), 互评 (each participant critiques the others' nominations: scores,
strengths, problems, one concrete suggestion, notes on the text; optionally pairwise judgements), 已结束
(the chair marks 精品佳作; minutes). Every change is checked against
:mod:`drafter.services.critique_permissions` and the phase rules here, and written to the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drafter.analysis.pairing import next_pair as choose_pair
from drafter.services import audit, indexing
from drafter.services import critique_permissions as can
from drafter.services.annotations import selected_span
from drafter.services.archive import DocumentMeta, add_document, build_document, content_hash
from drafter.services.drafts import DraftError, PermissionDenied, create_draft, today_local, upload_version
from drafter.store.critique import (
    DEFAULT_RUBRIC,
    SCORE_MAX,
    SCORE_MIN,
    Critique,
    CritiqueNote,
    Meeting,
    Nomination,
    NominationKind,
    Pairing,
    PairJudgement,
    Participant,
    Phase,
)
from drafter.store.models import Document, DocumentKind, Role, User, utcnow
from drafter.store.workflow import AnnotationCategory, Draft, DraftVersion

MAX_TITLE = 200
MAX_TEXT = 3000
MAX_CRITERIA = 8
MAX_CRITERION = 12
EXEMPLAR_TAG = "精品佳作"

#: Allowed phase moves. Back to nominations only while nobody has critiqued; a closed meeting may be reopened.
TRANSITIONS: frozenset[tuple[Phase, Phase]] = frozenset({
    (Phase.NOMINATION, Phase.CRITIQUE), (Phase.CRITIQUE, Phase.NOMINATION),
    (Phase.CRITIQUE, Phase.CLOSED), (Phase.CLOSED, Phase.CRITIQUE),
})


class CritiqueError(DraftError):
    """A meeting operation was refused; the message is Chinese and nothing was changed."""


# ------------------------------------------------------------------------------------------------ helpers

def _text(value: str | None, label: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise CritiqueError(f"请填写{label}")
    if len(value) > limit:
        raise CritiqueError(f"{label}过长（{len(value)} 字），请控制在 {limit} 字以内")
    return value


def clean_rubric(criteria: Iterable[str] | str | None) -> list[str]:
    """The rubric's criteria from a list or from text (one per line, or separated by 、，,), validated."""
    if criteria is None:
        return list(DEFAULT_RUBRIC)
    if isinstance(criteria, str):
        for sep in "、，,；;\n":
            criteria = criteria.replace(sep, "\n")
        criteria = criteria.split("\n")
    names = [" ".join(c.split()) for c in criteria if c and c.strip()]
    if not names:
        raise CritiqueError("评分标准至少要有一项，例如：思想性、启发性、指导性、可读性")
    if len(names) > MAX_CRITERIA:
        raise CritiqueError(f"评分标准最多 {MAX_CRITERIA} 项，现有 {len(names)} 项")
    for name in names:
        if len(name) > MAX_CRITERION:
            raise CritiqueError(f"评分项“{name}”过长，请控制在 {MAX_CRITERION} 字以内")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise CritiqueError(f"评分项“{duplicates[0]}”重复了")
    return names


def clean_scores(rubric: list[str], scores: Mapping[str, object]) -> dict[str, int]:
    """Whole-point scores 1–5 for every criterion of the rubric, or a Chinese message naming the first problem."""
    result = {}
    missing = [name for name in rubric if not str(scores.get(name) if scores.get(name) is not None else "").strip()]
    if missing:
        raise CritiqueError(f"请为“{'”“'.join(missing)}”打分（{SCORE_MIN}—{SCORE_MAX}分）")
    for name in rubric:
        text = str(scores.get(name)).strip()
        try:
            value = int(text)
        except ValueError:
            raise CritiqueError(f"“{name}”的评分应为{SCORE_MIN}到{SCORE_MAX}之间的整数，收到的是“{text[:10]}”") from None
        if not SCORE_MIN <= value <= SCORE_MAX:
            raise CritiqueError(f"“{name}”的评分应在{SCORE_MIN}到{SCORE_MAX}分之间，收到的是{value}分")
        result[name] = value
    return result


def _log(session: Session, actor: User, action: str, meeting: Meeting, detail: str, draft: Draft | None = None,
         now: dt.datetime | None = None) -> None:
    audit.record(session, actor, action, draft, detail=f"交流会“{meeting.title}”：{detail}", now=now)


def _users(session: Session, ids: Iterable[int]) -> list[User]:
    wanted = sorted(set(ids))
    found = list(session.scalars(select(User).where(User.id.in_(wanted)))) if wanted else []
    if len(found) != len(wanted):
        raise CritiqueError("参会人员中有不存在的账号，请刷新页面后重选")
    inactive = [u.display_name for u in found if not u.active]
    if inactive:
        raise CritiqueError(f"{inactive[0]}的账号已停用，不能参会")
    return found


def _short(text: str, limit: int = 24) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[:limit - 1] + "…"


# ------------------------------------------------------------------------------------------------ meetings

def get_meeting(session: Session, meeting_id: int) -> Meeting | None:
    """The meeting with ``meeting_id`` (None when missing)."""
    return session.get(Meeting, meeting_id)


def meetings_for(session: Session, user: User) -> list[Meeting]:
    """The meetings the user chairs or takes part in, newest first."""
    member = select(Participant.meeting_id).where(Participant.user_id == user.id)
    return list(session.scalars(select(Meeting).where((Meeting.chair_id == user.id) | Meeting.id.in_(member))
                                .order_by(Meeting.held_on.desc(), Meeting.id.desc())))


def eligible_people(session: Session) -> list[User]:
    """Active accounts that can take part (writers and mentors), by unit and name."""
    people = session.scalars(select(User).where(User.active.is_(True)).order_by(User.unit, User.display_name))
    return [u for u in people if u.has_role(Role.WRITER) or u.has_role(Role.MENTOR)]


def create_meeting(session: Session, actor: User, title: str, held_on: dt.date | None,
                   participant_ids: Iterable[int], rubric: Iterable[str] | str | None = None, note: str | None = None,
                   anonymous: bool = False, comparative: bool = False, pairing: str = Pairing.ADAPTIVE.value,
                   target_judgements: int = 10, now: dt.datetime | None = None) -> Meeting:
    """Call a meeting; the caller (an administrator or a mentor) chairs it."""
    now = now or utcnow()
    if not can.can_call_meeting(actor):
        raise PermissionDenied("只有管理员或指导老师可以发起文稿点评交流会")
    meeting = Meeting(chair_id=actor.id, phase=Phase.NOMINATION.value, created_at=now, updated_at=now, rubric=[])
    _apply_settings(session, meeting, title, held_on, rubric, note, anonymous, comparative, pairing,
                    target_judgements, rubric_locked=False)
    people = _users(session, participant_ids)
    if len(people) < 2:
        raise CritiqueError("交流会至少需要两名参会人员，才能互相点评")
    session.add(meeting)
    session.flush()
    for person in people:
        session.add(Participant(meeting_id=meeting.id, user_id=person.id))
    session.flush()
    session.refresh(meeting, ["participants"])
    names = "、".join(p.display_name for p in people)
    _log(session, actor, "critique.create", meeting,
         f"{meeting.held_on:%Y-%m-%d}，参会{len(people)}人（{names}），评分标准：{'、'.join(meeting.rubric)}", now=now)
    return meeting


def _apply_settings(session: Session, meeting: Meeting, title: str, held_on: dt.date | None,
                    rubric: Iterable[str] | str | None, note: str | None, anonymous: bool, comparative: bool,
                    pairing: str, target_judgements: int, rubric_locked: bool) -> None:
    title = " ".join((title or "").split())
    if not title:
        raise CritiqueError("请填写会议名称，例如：2024年第三季度文稿点评交流会")
    if len(title) > MAX_TITLE:
        raise CritiqueError(f"会议名称过长（{len(title)} 字），请控制在 {MAX_TITLE} 字以内")
    if held_on is None:
        raise CritiqueError("请填写会议日期")
    try:
        pairing_value = Pairing(pairing or Pairing.ADAPTIVE.value).value
    except ValueError:
        raise CritiqueError("两两比较的配对方式无效") from None
    if not 2 <= int(target_judgements) <= 50:
        raise CritiqueError("每篇文稿的目标比较次数应在2到50之间")
    criteria = clean_rubric(rubric)
    if rubric_locked and criteria != list(meeting.rubric):
        raise CritiqueError("已有人按现有评分标准自评或互评，评分标准不能再修改")
    meeting.title = title
    meeting.held_on = held_on
    meeting.rubric = criteria
    meeting.note = (note or "").strip()[:MAX_TEXT] or None
    meeting.anonymous = bool(anonymous)
    meeting.comparative = bool(comparative)
    meeting.pairing = pairing_value
    meeting.target_judgements = int(target_judgements)


def _has_scores(session: Session, meeting: Meeting) -> bool:
    return bool(meeting.nominations) or session.scalar(
        select(func.count(Critique.id)).join(Nomination).where(Nomination.meeting_id == meeting.id)) > 0


def update_meeting(session: Session, actor: User, meeting: Meeting, title: str, held_on: dt.date | None,
                   participant_ids: Iterable[int] | None, rubric: Iterable[str] | str | None, note: str | None,
                   anonymous: bool, comparative: bool, pairing: str, target_judgements: int,
                   now: dt.datetime | None = None) -> None:
    """Change the settings. The rubric is fixed once anyone scored; participants and anonymity change only
    while nominations are open; nothing changes once the meeting is closed."""
    now = now or utcnow()
    if not can.can_manage(actor, meeting):
        raise PermissionDenied("只有主持人可以修改交流会设置")
    phase = meeting.phase_enum
    if phase is Phase.CLOSED:
        raise CritiqueError("交流会已结束，设置不能再修改；如需修改请先重新开启互评")
    if phase is not Phase.NOMINATION and bool(anonymous) != meeting.anonymous:
        raise CritiqueError("互评开始后不能再更改是否匿名，以免泄露或误导点评人身份")
    _apply_settings(session, meeting, title, held_on, rubric, note, anonymous, comparative, pairing,
                    target_judgements, rubric_locked=_has_scores(session, meeting))
    changes = []
    if participant_ids is not None:
        wanted = {u.id for u in _users(session, participant_ids)}
        if wanted != meeting.participant_ids:
            if phase is not Phase.NOMINATION:
                raise CritiqueError("互评开始后不能再调整参会人员")
            changes = _set_participants(session, meeting, wanted)
    meeting.updated_at = now
    _log(session, actor, "critique.update", meeting, "修改了会议设置" + (f"（{'；'.join(changes)}）" if changes else ""),
         now=now)


def _set_participants(session: Session, meeting: Meeting, wanted: set[int]) -> list[str]:
    if len(wanted) < 2:
        raise CritiqueError("交流会至少需要两名参会人员，才能互相点评")
    changes = []
    for participant in list(meeting.participants):
        if participant.user_id not in wanted:
            if any(n.author_id == participant.user_id for n in meeting.nominations):
                raise CritiqueError(f"{participant.user.display_name}已提名文稿，请其先撤回提名，再移出参会人员")
            meeting.participants.remove(participant)
            changes.append(f"移出{participant.user.display_name}")
    for user in _users(session, wanted - meeting.participant_ids):
        meeting.participants.append(Participant(user_id=user.id))
        changes.append(f"加入{user.display_name}")
    session.flush()
    return changes


def set_phase(session: Session, actor: User, meeting: Meeting, to: Phase, now: dt.datetime | None = None) -> None:
    """Move the meeting to another phase (the chair only), following :data:`TRANSITIONS`."""
    now = now or utcnow()
    if not can.can_manage(actor, meeting):
        raise PermissionDenied("只有主持人可以推进会议阶段")
    current = meeting.phase_enum
    if current is to:
        raise CritiqueError(f"交流会已处于“{to.label}”阶段")
    if (current, to) not in TRANSITIONS:
        raise CritiqueError(f"不能从“{current.label}”直接进入“{to.label}”阶段")
    if to is Phase.CRITIQUE and current is Phase.NOMINATION:
        authors = {n.author_id for n in meeting.nominations}
        if len(authors) < 2:
            raise CritiqueError("至少要有两名参会人员提名了文稿，才能开始互评")
    if to is Phase.NOMINATION:
        done = session.scalar(select(func.count(Critique.id)).join(Nomination)
                              .where(Nomination.meeting_id == meeting.id))
        judged = session.scalar(select(func.count(PairJudgement.id)).where(PairJudgement.meeting_id == meeting.id))
        if done or judged:
            raise CritiqueError("已有互评或比较结果，不能退回提名阶段")
    meeting.phase = to.value
    meeting.updated_at = now
    meeting.closed_at = now if to is Phase.CLOSED else None
    _log(session, actor, "critique.phase", meeting, f"{current.label} → {to.label}", now=now)


def save_summary(session: Session, actor: User, meeting: Meeting, text: str, now: dt.datetime | None = None) -> None:
    """The chair's closing remarks (主持人总结), printed in the minutes."""
    if not can.can_manage(actor, meeting):
        raise PermissionDenied("只有主持人可以填写会议总结")
    if meeting.phase_enum is Phase.NOMINATION:
        raise CritiqueError("互评开始后才能填写会议总结")
    meeting.summary = _text(text, "会议总结", limit=5000, required=False) or None
    meeting.updated_at = now or utcnow()
    _log(session, actor, "critique.summary", meeting, "更新了主持人总结", now=now)


# --------------------------------------------------------------------------------------------- nominations

def own_versions(session: Session, user: User) -> list[Draft]:
    """The user's own drafts that have versions, most recently changed first (what they may nominate)."""
    return [d for d in session.scalars(select(Draft).where(Draft.owner_id == user.id)
                                       .order_by(Draft.updated_at.desc(), Draft.id.desc())) if d.versions]


def nominate(session: Session, actor: User, meeting: Meeting, kind: NominationKind, version: DraftVersion,
             self_assessment: str, self_scores: Mapping[str, object], now: dt.datetime | None = None) -> Nomination:
    """Nominate (or replace) the participant's 最满意 / 最不满意 draft: a version of their own draft."""
    now = now or utcnow()
    if not can.is_participant(actor, meeting):
        raise PermissionDenied("只有参会人员可以提名文稿")
    if meeting.phase_enum is not Phase.NOMINATION:
        raise CritiqueError("提名阶段已结束，不能再提名或修改提名")
    draft = version.draft
    if draft.owner_id != actor.id:
        raise CritiqueError("只能提名自己撰写的文稿")
    other = next((n for n in meeting.nominations if n.author_id == actor.id and n.kind != kind.value), None)
    if other is not None and other.draft_id == draft.id:
        raise CritiqueError(f"“{draft.title}”已作为“{other.kind_enum.label}”的文稿提名，最满意和最不满意应是两篇不同的文稿")
    assessment = _text(self_assessment, "自评意见")
    scores = clean_scores(list(meeting.rubric), self_scores)
    existing = next((n for n in meeting.nominations if n.author_id == actor.id and n.kind == kind.value), None)
    if existing is None:
        existing = Nomination(meeting_id=meeting.id, author_id=actor.id, kind=kind.value, created_at=now)
        session.add(existing)
        action = "提名"
    else:
        action = "修改提名"
    existing.draft_id = draft.id
    existing.version_id = version.id
    existing.self_assessment = assessment
    existing.self_scores = scores
    existing.updated_at = now
    session.flush()
    session.refresh(meeting, ["nominations"])
    _log(session, actor, "critique.nominate", meeting,
         f"{action}“{kind.label}”文稿：{draft.title}（第{version.number}稿）", draft=draft, now=now)
    return existing


def nominate_upload(session: Session, actor: User, meeting: Meeting, kind: NominationKind, data: bytes,
                    filename: str, title: str, doc_type: str | None, self_assessment: str,
                    self_scores: Mapping[str, object], max_bytes: int, now: dt.datetime | None = None) -> Nomination:
    """Nominate an uploaded file: it becomes a new draft of the participant (version 1), then is nominated.

    Everything is checked before anything is saved, so a bad file or a missing field leaves no draft behind.
    """
    now = now or utcnow()
    if not can.is_participant(actor, meeting):
        raise PermissionDenied("只有参会人员可以提名文稿")
    if meeting.phase_enum is not Phase.NOMINATION:
        raise CritiqueError("提名阶段已结束，不能再提名或修改提名")
    _text(self_assessment, "自评意见")
    clean_scores(list(meeting.rubric), self_scores)
    if not (title or "").strip() and filename:
        title = filename.rsplit(".", 1)[0]
    draft = create_draft(session, actor, title or "", doc_type, now=now)
    upload_version(session, draft, actor, data, filename, 0, max_bytes, note=f"为“{meeting.title}”上传", now=now)
    return nominate(session, actor, meeting, kind, draft.latest_version, self_assessment, self_scores, now=now)


def withdraw_nomination(session: Session, actor: User, nomination: Nomination, now: dt.datetime | None = None) -> None:
    """Take a nomination back (its author, while nominations are open)."""
    meeting = nomination.meeting
    if nomination.author_id != actor.id or not can.is_participant(actor, meeting):
        raise PermissionDenied("只能撤回自己的提名")
    if meeting.phase_enum is not Phase.NOMINATION:
        raise CritiqueError("提名阶段已结束，不能撤回提名")
    _log(session, actor, "critique.withdraw", meeting, f"撤回“{nomination.kind_enum.label}”文稿：{nomination.title}",
         draft=nomination.draft, now=now)
    session.delete(nomination)
    session.flush()
    session.refresh(meeting, ["nominations"])


# ----------------------------------------------------------------------------------------------- critiques

def my_critique(session: Session, nomination: Nomination, user: User) -> Critique | None:
    """The user's critique of ``nomination``, if any."""
    return session.scalar(select(Critique).where(Critique.nomination_id == nomination.id,
                                                 Critique.critic_id == user.id))


def save_critique(session: Session, actor: User, nomination: Nomination, scores: Mapping[str, object],
                  strengths: str, problems: str, suggestion: str, now: dt.datetime | None = None) -> Critique:
    """Write or change the actor's critique of another participant's nomination (during 互评 only)."""
    now = now or utcnow()
    meeting = nomination.meeting
    if nomination.author_id == actor.id:
        raise PermissionDenied("不能点评自己提名的文稿")
    if not can.is_participant(actor, meeting):
        raise PermissionDenied("只有参会人员可以互评")
    if meeting.phase_enum is not Phase.CRITIQUE:
        raise CritiqueError("现在不是互评阶段，互评意见不能提交或修改" if meeting.phase_enum is Phase.CLOSED
                            else "互评尚未开始，请等主持人开启互评")
    clean = clean_scores(list(meeting.rubric), scores)
    strengths = _text(strengths, "主要优点")
    problems = _text(problems, "存在问题")
    suggestion = _text(suggestion, "一条具体修改建议", limit=1000)
    critique = my_critique(session, nomination, actor)
    if critique is None:
        critique = Critique(nomination_id=nomination.id, critic_id=actor.id, created_at=now)
        session.add(critique)
        action = "提交"
    else:
        action = "修改"
    critique.scores = clean
    critique.strengths, critique.problems, critique.suggestion = strengths, problems, suggestion
    critique.updated_at = now
    session.flush()
    _log(session, actor, "critique.review", meeting, f"{action}对《{nomination.title}》的互评", now=now)
    return critique


def add_note(session: Session, actor: User, nomination: Nomination, start: int | None, end: int | None,
             category: str, comment: str, replacement: str | None = None, quote: str | None = None,
             now: dt.datetime | None = None) -> CritiqueNote:
    """A critic's note on the nominated text (as in mentor review); offsets, or a quote found once."""
    meeting = nomination.meeting
    if nomination.author_id == actor.id or not can.is_participant(actor, meeting):
        raise PermissionDenied("只能在别人提名的文稿上批注")
    if meeting.phase_enum is not Phase.CRITIQUE:
        raise CritiqueError("只有在互评阶段才能添加批注")
    text = nomination.text
    start, end = selected_span(text, start, end, quote)
    try:
        cat = AnnotationCategory(category)
    except ValueError:
        raise CritiqueError("请选择批注类别：观点、结构、措辞/套话、错别字、格式或数据") from None
    replacement = (replacement or "").strip() or None
    comment = _text(comment, "批注意见", required=not replacement) or f"建议改为“{replacement}”"
    note = CritiqueNote(nomination_id=nomination.id, author_id=actor.id, start=start, end=end,
                        quote=text[start:end], category=cat.value, comment=comment, replacement=replacement,
                        created_at=now or utcnow())
    session.add(note)
    session.flush()
    _log(session, actor, "critique.note", meeting, f"在《{nomination.title}》上批注“{_short(note.quote)}”", now=now)
    return note


def delete_note(session: Session, actor: User, note: CritiqueNote, meeting: Meeting) -> None:
    """Remove one's own note while 互评 is open."""
    if note.author_id != actor.id:
        raise PermissionDenied("只能删除自己的批注")
    if meeting.phase_enum is not Phase.CRITIQUE:
        raise CritiqueError("互评阶段已结束，批注不能再删除")
    session.delete(note)
    session.flush()


def notes_for(session: Session, nomination: Nomination) -> list[CritiqueNote]:
    """Every note on a nomination, in text order (callers filter what a user may see)."""
    return list(session.scalars(select(CritiqueNote).where(CritiqueNote.nomination_id == nomination.id)
                                .order_by(CritiqueNote.start, CritiqueNote.id)))


# ---------------------------------------------------------------------------------------- pairwise judgements

@dataclass(frozen=True)
class PairState:
    """What the comparison page needs: the next pair and how far the meeting has got."""

    pair: tuple[Nomination, Nomination] | None
    counts: dict[int, int]
    mine: int
    target: int

    @property
    def short(self) -> int:
        """Nominations still below the target number of judgements."""
        return sum(1 for c in self.counts.values() if c < self.target)


def judgements_of(session: Session, meeting: Meeting) -> list[PairJudgement]:
    """Every judgement of the meeting, oldest first."""
    return list(session.scalars(select(PairJudgement).where(PairJudgement.meeting_id == meeting.id)
                                .order_by(PairJudgement.id)))


@dataclass(frozen=True)
class JudgementProgress:
    """How far comparative judgement has got: judgements in all, nominations below the target."""

    total: int
    short: int


def judgement_progress(session: Session, meeting: Meeting) -> JudgementProgress:
    """Judgements so far and the nominations that have fewer than the target."""
    counts = {n.id: 0 for n in meeting.nominations}
    judgements = judgements_of(session, meeting)
    for j in judgements:
        for nid in (j.low_id, j.high_id):
            counts[nid] = counts.get(nid, 0) + 1
    return JudgementProgress(len(judgements), sum(1 for c in counts.values() if c < meeting.target_judgements))


def pair_state(session: Session, user: User, meeting: Meeting) -> PairState:
    """The next pair for ``user`` (never their own drafts, never a pair twice) and the counts so far."""
    from drafter.services.critique_results import pairwise_strengths

    judgements = judgements_of(session, meeting)
    nominations = list(meeting.nominations)
    counts = {n.id: 0 for n in nominations}
    pair_counts: dict[frozenset[int], int] = {}
    mine: set[frozenset[int]] = set()
    for j in judgements:
        key = frozenset((j.low_id, j.high_id))
        counts[j.low_id] = counts.get(j.low_id, 0) + 1
        counts[j.high_id] = counts.get(j.high_id, 0) + 1
        pair_counts[key] = pair_counts.get(key, 0) + 1
        if j.judge_id == user.id:
            mine.add(key)
    strengths = pairwise_strengths(meeting, judgements) if meeting.pairing == Pairing.ADAPTIVE.value else None
    chosen = choose_pair([n.id for n in nominations], {n.id: n.author_id for n in nominations}, user.id, mine,
                         pair_counts, counts, meeting.target_judgements, meeting.pairing, strengths, seed=meeting.id)
    by_id = {n.id: n for n in nominations}
    pair = (by_id[chosen[0]], by_id[chosen[1]]) if chosen else None
    return PairState(pair, counts, len(mine), meeting.target_judgements)


def record_judgement(session: Session, actor: User, meeting: Meeting, left: Nomination, right: Nomination,
                     choice: str, now: dt.datetime | None = None) -> PairJudgement:
    """Record "left is better", "right is better" or "equal" (``choice`` = left | right | tie); a judge may
    change their verdict on a pair until the meeting closes."""
    now = now or utcnow()
    if not can.is_participant(actor, meeting):
        raise PermissionDenied("只有参会人员可以参加两两比较")
    if not meeting.comparative:
        raise CritiqueError("本次交流会没有开启两两比较")
    if meeting.phase_enum is not Phase.CRITIQUE:
        raise CritiqueError("现在不是互评阶段，不能比较")
    if left.meeting_id != meeting.id or right.meeting_id != meeting.id or left.id == right.id:
        raise CritiqueError("比较的两篇文稿无效，请刷新页面")
    if actor.id in (left.author_id, right.author_id):
        raise PermissionDenied("不能比较包含自己文稿的一组")
    if choice not in ("left", "right", "tie"):
        raise CritiqueError("请选择哪一篇更好，或“难分高下”")
    low, high = sorted((left.id, right.id))
    judgement = session.scalar(select(PairJudgement).where(PairJudgement.judge_id == actor.id,
                                                           PairJudgement.low_id == low, PairJudgement.high_id == high))
    if judgement is None:
        judgement = PairJudgement(meeting_id=meeting.id, judge_id=actor.id, low_id=low, high_id=high)
        session.add(judgement)
    judgement.left_id = left.id
    judgement.winner_id = {"left": left.id, "right": right.id, "tie": None}[choice]
    judgement.created_at = now
    session.flush()
    verdict = {"left": f"《{left.title}》更好", "right": f"《{right.title}》更好", "tie": "难分高下"}[choice]
    _log(session, actor, "critique.judge", meeting, f"比较《{left.title}》与《{right.title}》：{verdict}", now=now)
    return judgement


# ------------------------------------------------------------------------------------------------ exemplars

def set_exemplar(session: Session, actor: User, nomination: Nomination, on: bool,
                 now: dt.datetime | None = None) -> Document | None:
    """Mark a nominated draft 精品佳作 (or take the mark back): the chair of a closed meeting.

    The mark lives on an archive document, so the archive lists and finds it (filter 只看精品佳作, search):
    the nominated version is published to the archive (kind ``archive``, tag 精品佳作, ``draft_id`` kept so
    the draft's own checks never report it as copied) unless the archive already holds the same text, which
    then gets the flag. Taking the mark back undoes exactly what marking did.
    """
    now = now or utcnow()
    meeting = nomination.meeting
    if not can.can_mark_exemplar(actor, meeting):
        raise PermissionDenied("只有主持人在会议结束后可以评定精品佳作")
    if on == nomination.exemplar:
        return nomination.exemplar_document
    if on:
        document = _publish(session, nomination)
        nomination.exemplar = True
        _log(session, actor, "critique.exemplar", meeting, f"《{nomination.title}》（{nomination.author.display_name}）",
             draft=nomination.draft, now=now)
        return document
    document = nomination.exemplar_document
    action = nomination.exemplar_action
    nomination.exemplar = False
    nomination.exemplar_document_id = None
    nomination.exemplar_action = None
    session.flush()
    if document is not None and action == "created" and not _still_marked(session, document, nomination):
        indexing.remove_document(session, document.id)
        session.delete(document)
    elif document is not None and action == "flagged" and not _still_marked(session, document, nomination):
        document.is_exemplar = False
    session.flush()
    _log(session, actor, "critique.unexemplar", meeting, f"《{nomination.title}》", draft=nomination.draft, now=now)
    return None


def _still_marked(session: Session, document: Document, nomination: Nomination) -> bool:
    return session.scalar(select(func.count(Nomination.id)).where(
        Nomination.exemplar_document_id == document.id, Nomination.id != nomination.id)) > 0


def _publish(session: Session, nomination: Nomination) -> Document:
    version = nomination.version
    existing = session.scalar(select(Document).where(Document.dedupe_key == content_hash(version.text)))
    if existing is not None:
        nomination.exemplar_action = "linked" if existing.is_exemplar else "flagged"
        existing.is_exemplar = True
        nomination.exemplar_document_id = existing.id
        session.flush()
        return existing
    draft = nomination.draft
    written = today_local(audit.as_utc(version.created_at))
    meta = DocumentMeta(title=draft.title, doc_type=draft.doc_type, unit=nomination.author.unit,
                        author=nomination.author.display_name, date=written, year=written.year, exemplar=True,
                        tags=[EXEMPLAR_TAG])
    document = build_document(version.text, meta, kind=DocumentKind.ARCHIVE)
    document.draft_id = draft.id
    add_document(session, document, meta.tags)
    nomination.exemplar_document_id = document.id
    nomination.exemplar_action = "created"
    session.flush()
    return document
