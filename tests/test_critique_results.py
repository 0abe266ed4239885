"""Meeting results from the database: bias-corrected ranking, pairwise ranking, self against peers, what each
reader may see, and a writer's feedback across meetings."""

import datetime as dt

import pytest
from critique_support import CRITIQUE, meeting, nominate

from drafter.services import critique as ops
from drafter.services.critique_results import (
    critic_label,
    critic_numbers,
    enough_ratings,
    meeting_results,
    visible_critiques,
    writer_feedback,
)
from drafter.store.critique import Phase

PEOPLE = ("junior", "sibling", "outsider", "chief")
#: True quality of each nomination; the chief scores one point high, the outsider one point low.
QUALITY = {("junior", "best"): 4, ("junior", "worst"): 2, ("sibling", "best"): 4, ("sibling", "worst"): 3,
           ("outsider", "best"): 3, ("outsider", "worst"): 3, ("chief", "best"): 4, ("chief", "worst"): 2}
SEVERITY = {"junior": 0, "sibling": 0, "outsider": -1, "chief": 1}


def _scored_meeting(session, office, anonymous=False, comparative=False, held_on=dt.date(2024, 5, 20), close=True):
    m = meeting(session, office, chair="mentor", people=PEOPLE, anonymous=anonymous, comparative=comparative,
                held_on=held_on, title=f"{held_on.month}月交流会")
    nominations = {}
    for (who, kind), quality in QUALITY.items():
        nominations[who, kind] = nominate(session, office, m, who, kind, topic=f"{who}{kind}{held_on.month}",
                                          value=quality + (1 if kind == "best" else 0))
    ops.set_phase(session, office.user(session, "mentor"), m, Phase.CRITIQUE)
    for (who, kind), n in nominations.items():
        for critic in PEOPLE:
            if critic == who:
                continue
            value = min(max(QUALITY[who, kind] + SEVERITY[critic], 1), 5)
            ops.save_critique(session, office.user(session, critic), n, dict.fromkeys(m.rubric, value),
                              f"{critic}认为优点突出。结构也好。", f"{critic}认为问题在第二条。", f"{critic}建议补充时限。")
    if close:
        ops.set_phase(session, office.user(session, "mentor"), m, Phase.CLOSED)
    return m, nominations


def test_the_ranking_corrects_a_lenient_and_a_severe_critic(db, office):
    with db.session() as session:
        m, n = _scored_meeting(session, office)
        results = meeting_results(session, m, n_boot=300)
        chief_best, sibling_best = results.result_for(n["chief", "best"].id), results.result_for(n["sibling", "best"].id)
        assert sibling_best.estimate.raw - chief_best.estimate.raw >= 0.3  # the lenient chief never scored his own
        assert abs(sibling_best.estimate.score - chief_best.estimate.score) < 0.2
        effects = {e.user.display_name: e.effect for e in results.raters}
        assert effects["周科长"] > 0.5 and effects["赵婷"] < -0.5
        assert [d.estimate.rank for d in results.drafts] == list(range(1, 9))
        assert results.drafts[-1].nomination.kind == "worst"
        assert results.critiques == 24 and results.judgements == 0 and results.pairwise is None
        assert sibling_best.criteria["思想性"] == pytest.approx(sibling_best.estimate.score, abs=0.01)
        assert sibling_best.self_score == 5 and sibling_best.self_gap > 0.5
        assert enough_ratings(sibling_best)
        assert results.plain.get(n["chief", "best"].id).score == pytest.approx(chief_best.estimate.raw)


def test_each_writer_learns_whether_the_peers_agreed_which_draft_was_better(db, office):
    with db.session() as session:
        m, _ = _scored_meeting(session, office)
        writers = {w.author.display_name: w for w in meeting_results(session, m, n_boot=300).writers}
        assert writers["张晓宇"].probability > 0.9 and "明显更好" in writers["张晓宇"].verdict
        assert 0.2 < writers["赵婷"].probability < 0.8 and "难分高下" in writers["赵婷"].verdict


def test_results_warn_without_critiques_and_rank_pairwise_judgements(db, office):
    with db.session() as session:
        m = meeting(session, office, comparative=True)
        a, b = nominate(session, office, m, "junior"), nominate(session, office, m, "sibling")
        c = nominate(session, office, m, "outsider")
        ops.set_phase(session, office.user(session, "mentor"), m, Phase.CRITIQUE)
        empty = meeting_results(session, m, n_boot=100)
        assert empty.warnings == ["还没有任何互评评分，暂时无法排名。"] and all(d.estimate is None for d in empty.drafts)
        ops.record_judgement(session, office.user(session, "outsider"), m, a, b, "left")
        ops.record_judgement(session, office.user(session, "junior"), m, b, c, "left")
        ops.save_critique(session, office.user(session, "sibling"), a, dict.fromkeys(m.rubric, 4), **CRITIQUE)
        results = meeting_results(session, m, n_boot=100)
        assert results.pairwise is not None and results.judgements == 2
        assert [e.item for e in results.pairwise.items][0] in (a.id, b.id)
        assert any(w.startswith("两两比较：") and "不足10次" in w for w in results.warnings)
        assert any("还没有收到互评评分" in w for w in results.warnings)
        assert results.result_for(a.id).estimate is not None and results.result_for(c.id).estimate is None


def test_readers_see_critiques_and_critics_as_the_rules_allow(db, office):
    with db.session() as session:
        m, n = _scored_meeting(session, office, anonymous=True, close=False)
        junior, sibling, mentor = (office.user(session, k) for k in ("junior", "sibling", "mentor"))
        critiques = list(n["junior", "best"].critiques)
        assert visible_critiques(junior, m, critiques) == []
        assert [c.critic_id for c in visible_critiques(sibling, m, critiques)] == [sibling.id]
        assert len(visible_critiques(mentor, m, critiques)) == 3
        ops.set_phase(session, mentor, m, Phase.CLOSED)
        numbers = critic_numbers(m, [c for x in m.nominations for c in x.critiques])
        labels = [critic_label(junior, m, c, numbers[c.critic_id]) for c in visible_critiques(junior, m, critiques)]
        assert all(label.startswith("点评人") for label in labels) and len(set(labels)) == 3
        own = next(c for c in critiques if c.critic_id == sibling.id)
        assert critic_label(sibling, m, own, 1) == "刘洋（我）"
        assert critic_label(mentor, m, own, 1) == "刘洋"


def test_a_writers_feedback_spans_closed_meetings_with_a_trend(db, office):
    with db.session() as session:
        _scored_meeting(session, office, anonymous=True, held_on=dt.date(2024, 3, 20))
        _scored_meeting(session, office, held_on=dt.date(2024, 6, 20))
        _scored_meeting(session, office, held_on=dt.date(2024, 9, 20), close=False)  # still open: not shown
        junior = office.user(session, "junior")
        items, points = writer_feedback(session, junior, junior)
        assert [i.meeting.held_on for i in items] == [dt.date(2024, 6, 20)] * 2 + [dt.date(2024, 3, 20)] * 2
        assert [(p.day, p.kind) for p in points] == [(dt.date(2024, 3, 20), "best"), (dt.date(2024, 3, 20), "worst"),
                                                     (dt.date(2024, 6, 20), "best"), (dt.date(2024, 6, 20), "worst")]
        assert all(p.low <= p.peer <= p.high and p.total == 8 for p in points)
        march = [i for i in items if i.meeting.held_on.month == 3]
        assert all(label.startswith("点评人") for i in march for label, _ in i.critiques)
        june = [i for i in items if i.meeting.held_on.month == 6]
        assert {label for i in june for label, _ in i.critiques} == {"刘洋", "赵婷", "周科长"}
        assert all(len(i.critiques) == 3 for i in items)
