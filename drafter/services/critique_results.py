"""Results of critique meetings: the bias-corrected ranking with its uncertainty, the pairwise ranking,
self-assessment against the peers, and each writer's feedback across meetings with its trend.

The maths is in :mod:`drafter.analysis.ranking`; this module gathers the scores from the database and
decides what each reader may see (anonymity, who wrote which critique).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from drafter.analysis.ranking import (
    MIN_RATINGS,
    ItemEstimate,
    Judgement,
    Ranking,
    Rating,
    rank_pairwise,
    rank_plain_mean,
    rank_ratings,
)
from drafter.services import critique_permissions as can
from drafter.services.critique import judgements_of, notes_for
from drafter.store.critique import Critique, CritiqueNote, Meeting, Nomination, NominationKind, PairJudgement, Phase
from drafter.store.models import User


@dataclass(frozen=True)
class DraftResult:
    """One nominated draft in the results."""

    nomination: Nomination
    #: Place in the bias-corrected rubric ranking (None without critiques).
    estimate: ItemEstimate | None
    #: Place in the pairwise (Bradley–Terry) ranking (None without comparisons).
    pairwise: ItemEstimate | None
    #: The mean of the self-scores over the rubric.
    self_score: float
    #: Corrected peer score per criterion (None when nobody scored it).
    criteria: dict[str, float | None]
    critiques: list[Critique]

    @property
    def peer_score(self) -> float | None:
        """The corrected peer score (an average critic's mean over the rubric), 1–5."""
        return self.estimate.score if self.estimate else None

    @property
    def self_gap(self) -> float | None:
        """Self-score minus corrected peer score (positive: rated oneself higher than the peers did)."""
        return None if self.estimate is None else self.self_score - self.estimate.score


@dataclass(frozen=True)
class WriterSummary:
    """A participant's two nominations side by side: did the peers agree which was better?"""

    author: User
    best: DraftResult | None
    worst: DraftResult | None
    #: Share of the uncertainty draws in which the "best" scores above the "worst" (None when not both scored).
    probability: float | None

    @property
    def verdict(self) -> str:
        """In plain Chinese: did the peers see it the same way?"""
        p = self.probability
        if p is None:
            return "两篇文稿未都得到互评，无法比较"
        if p >= 0.9:
            return "同事们的看法一致：“最满意”的一篇明显更好"
        if p >= 0.6:
            return "同事们大体认同“最满意”的一篇更好，但差距不大"
        if p > 0.4:
            return "同事们看来两篇难分高下"
        if p > 0.1:
            return "同事们反而略看好“最不满意”的一篇"
        return "同事们认为“最不满意”的一篇其实更好"


@dataclass(frozen=True)
class RaterEffect:
    """How lenient (+) or severe (−) a critic scored compared with the average critic."""

    user: User
    effect: float
    count: int


@dataclass(frozen=True)
class MeetingResults:
    """Everything the results page, the minutes and the feedback page show of one meeting."""

    meeting: Meeting
    rubric: Ranking
    plain: Ranking
    pairwise: Ranking | None
    drafts: list[DraftResult]
    writers: list[WriterSummary]
    raters: list[RaterEffect]
    critiques: int
    judgements: int
    warnings: list[str] = field(default_factory=list)

    def result_for(self, nomination_id: int) -> DraftResult | None:
        """The result of one nomination."""
        return next((d for d in self.drafts if d.nomination.id == nomination_id), None)


def _critiques(session: Session, meeting: Meeting) -> list[Critique]:
    return list(session.scalars(select(Critique).join(Nomination).where(Nomination.meeting_id == meeting.id)
                                .order_by(Critique.id)))


def _self_score(nomination: Nomination, rubric: list[str]) -> float:
    scores = [float(nomination.self_scores[c]) for c in rubric if c in nomination.self_scores]
    return sum(scores) / len(scores) if scores else float("nan")


def to_judgements(judgements: list[PairJudgement]) -> list[Judgement]:
    """Stored verdicts as model input (a tie counts half a win for each)."""
    result = []
    for j in judgements:
        outcome = 0.5 if j.winner_id is None else (1.0 if j.winner_id == j.low_id else 0.0)
        result.append(Judgement(j.judge_id, j.low_id, j.high_id, outcome))
    return result


def pairwise_strengths(meeting: Meeting, judgements: list[PairJudgement]) -> dict[Hashable, float]:
    """Current Bradley–Terry strengths (no uncertainty), for adaptive pairing."""
    ranking = rank_pairwise([n.id for n in meeting.nominations], to_judgements(judgements), n_boot=0)
    return {e.item: e.score for e in ranking.items}


def meeting_results(session: Session, meeting: Meeting, n_boot: int = 1000) -> MeetingResults:
    """Rank the meeting's drafts and compare each writer's self-assessment with the peers."""
    rubric = list(meeting.rubric)
    critiques = _critiques(session, meeting)
    ratings = [Rating(c.critic_id, c.nomination_id, c.mean_score(rubric)) for c in critiques]
    ranked = rank_ratings(ratings, n_boot=n_boot, seed=meeting.id)
    plain = rank_plain_mean(ratings)
    criteria_fits = {}
    for name in rubric:
        fit = rank_ratings([Rating(c.critic_id, c.nomination_id, float(c.scores[name])) for c in critiques], n_boot=0)
        criteria_fits[name] = {e.item: e.score for e in fit.items}
    stored = judgements_of(session, meeting) if meeting.comparative else []
    pairwise = (rank_pairwise([n.id for n in meeting.nominations], to_judgements(stored), n_boot=n_boot,
                              seed=meeting.id, min_judgements=meeting.target_judgements)
                if meeting.comparative and stored else None)
    by_nomination: dict[int, list[Critique]] = {}
    for c in critiques:
        by_nomination.setdefault(c.nomination_id, []).append(c)
    drafts = [DraftResult(n, ranked.get(n.id), pairwise.get(n.id) if pairwise else None, _self_score(n, rubric),
                          {name: criteria_fits[name].get(n.id) for name in rubric}, by_nomination.get(n.id, []))
              for n in meeting.nominations]
    drafts.sort(key=lambda d: (d.estimate is None, d.estimate.rank if d.estimate else 0, d.nomination.id))
    writers = _writers(meeting, drafts, ranked)
    raters = _rater_effects(session, ranked, ratings)
    warnings = list(ranked.warnings) if ratings else ["还没有任何互评评分，暂时无法排名。"]
    unscored = [d for d in drafts if d.estimate is None]
    if ratings and unscored:
        warnings.append(f"有{len(unscored)}篇文稿还没有收到互评评分，未参加排名。")
    if pairwise is not None:
        warnings += [f"两两比较：{w}" for w in pairwise.warnings]
    return MeetingResults(meeting, ranked, plain, pairwise, drafts, writers, raters, len(critiques), len(stored),
                          warnings)


def _writers(meeting: Meeting, drafts: list[DraftResult], ranked: Ranking) -> list[WriterSummary]:
    people: dict[int, dict[str, DraftResult]] = {}
    authors: dict[int, User] = {}
    for d in drafts:
        people.setdefault(d.nomination.author_id, {})[d.nomination.kind] = d
        authors[d.nomination.author_id] = d.nomination.author
    result = []
    for author_id, kinds in people.items():
        best, worst = kinds.get(NominationKind.BEST.value), kinds.get(NominationKind.WORST.value)
        probability = None
        if best and worst and best.estimate and worst.estimate:
            probability = ranked.prob_better(best.nomination.id, worst.nomination.id)
            if probability is None:  # no uncertainty draws: the point estimates decide
                probability = 1.0 if best.estimate.score > worst.estimate.score else 0.0
        result.append(WriterSummary(authors[author_id], best, worst, probability))
    result.sort(key=lambda w: w.author.display_name)
    return result


def _rater_effects(session: Session, ranked: Ranking, ratings: list[Rating]) -> list[RaterEffect]:
    counts: dict[Hashable, int] = {}
    for r in ratings:
        counts[r.rater] = counts.get(r.rater, 0) + 1
    effects = []
    for rater, effect in ranked.rater_effects.items():
        user = session.get(User, rater)
        if user is not None:
            effects.append(RaterEffect(user, effect, counts.get(rater, 0)))
    effects.sort(key=lambda e: -e.effect)
    return effects


# ------------------------------------------------------------------------------------------ what a user sees

def visible_critiques(user: User, meeting: Meeting, critiques: list[Critique]) -> list[Critique]:
    """The critiques ``user`` may read."""
    return [c for c in critiques if can.can_see_critique(user, c, meeting)]


def critic_label(user: User, meeting: Meeting, item: Critique | CritiqueNote, number: int) -> str:
    """Who wrote a critique or note, as the user may see it ("张晓宇", or "点评人3" when anonymous)."""
    author = item.critic if isinstance(item, Critique) else item.author
    if can.can_see_critic(user, item, meeting):
        return author.display_name + ("（我）" if author.id == user.id else "")
    return f"点评人{number}"


def critic_numbers(meeting: Meeting, critiques: list[Critique]) -> dict[int, int]:
    """A stable number per critic within a meeting (for anonymous labels), in order of their first critique."""
    numbers: dict[int, int] = {}
    for c in critiques:
        numbers.setdefault(c.critic_id, len(numbers) + 1)
    return numbers


# ------------------------------------------------------------------------------------------------- feedback

@dataclass(frozen=True)
class FeedbackItem:
    """What a writer was told about one nominated draft."""

    meeting: Meeting
    result: DraftResult
    total: int
    critiques: list[tuple[str, Critique]]
    notes: list[tuple[str, CritiqueNote]]


@dataclass(frozen=True)
class TrendPoint:
    """One draft of one meeting on the writer's trend chart."""

    day: dt.date
    meeting: str
    kind: str
    peer: float
    low: float
    high: float
    self_score: float
    rank: int
    total: int


def writer_feedback(session: Session, viewer: User, writer: User) -> tuple[list[FeedbackItem], list[TrendPoint]]:
    """All feedback ``writer`` received in closed meetings (newest first) and the trend over time (oldest first).

    Critics are named as ``viewer`` may see them (anonymous meetings hide them).
    """
    nominated = select(Nomination.meeting_id).where(Nomination.author_id == writer.id)
    meetings = session.scalars(select(Meeting).where(Meeting.id.in_(nominated), Meeting.phase == Phase.CLOSED.value)
                               .order_by(Meeting.held_on.desc(), Meeting.id.desc())).all()
    items: list[FeedbackItem] = []
    points: list[TrendPoint] = []
    for meeting in meetings:
        results = meeting_results(session, meeting, n_boot=400)
        numbers = critic_numbers(meeting, [c for d in results.drafts for c in d.critiques])
        total = sum(1 for d in results.drafts if d.estimate is not None)
        for draft in results.drafts:
            nomination = draft.nomination
            if nomination.author_id != writer.id:
                continue
            critiques = [(critic_label(viewer, meeting, c, numbers.get(c.critic_id, 0)), c) for c in draft.critiques]
            notes = [(critic_label(viewer, meeting, n, numbers.get(n.author_id, 0)), n)
                     for n in notes_for(session, nomination)]
            items.append(FeedbackItem(meeting, draft, total, critiques, notes))
            if draft.estimate is not None:
                e = draft.estimate
                spread = 1.96 * e.se if e.se == e.se else 0.0  # NaN when there were no uncertainty draws
                points.append(TrendPoint(meeting.held_on, meeting.title, nomination.kind, e.score, e.score - spread,
                                         e.score + spread, draft.self_score, e.rank, total))
    points.sort(key=lambda p: (p.day, p.kind))
    return items, points


def enough_ratings(result: DraftResult) -> bool:
    """Whether a draft's score rests on enough critiques to be read on its own."""
    return result.estimate is not None and result.estimate.n >= MIN_RATINGS
