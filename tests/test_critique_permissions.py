"""Who may see and do what in a meeting, phase by phase (the functions every route and operation asks)."""

import datetime as dt

from critique_support import critique, meeting, nominate

from drafter.services import critique as ops
from drafter.services import critique_permissions as can
from drafter.store.critique import Phase


def test_only_the_chair_and_participants_see_a_meeting(db, office):
    with db.session() as session:
        m = meeting(session, office)
        u = {k: office.user(session, k) for k in office.ids}
        assert [k for k in u if can.can_view_meeting(u[k], m)] == ["mentor", "junior", "sibling", "outsider"]
        assert not can.can_view_meeting(u["director"], m)  # an administrator outside the meeting sees nothing
        assert not can.can_view_meeting(None, m)
        u["junior"].active = False
        assert not can.can_view_meeting(u["junior"], m)
        assert can.can_call_meeting(u["director"]) and can.can_call_meeting(u["chief"])
        assert not can.can_call_meeting(u["junior"]) and not can.can_call_meeting(None)


def test_phase_decides_who_may_nominate_critique_judge_and_see_results(db, office):
    with db.session() as session:
        m = meeting(session, office, comparative=True)
        u = {k: office.user(session, k) for k in office.ids}
        n = nominate(session, office, m, "junior")
        nominate(session, office, m, "sibling")
        assert can.can_nominate(u["junior"], m) and not can.can_nominate(u["mentor"], m)
        assert not can.can_critique(u["sibling"], n) and not can.can_judge(u["sibling"], m)
        assert not can.can_see_results(u["mentor"], m) and not can.can_see_rater_effects(u["mentor"], m)
        ops.set_phase(session, u["mentor"], m, Phase.CRITIQUE)
        assert not can.can_nominate(u["junior"], m)
        assert can.can_critique(u["sibling"], n) and not can.can_critique(u["junior"], n)
        assert not can.can_critique(u["mentor"], n)  # the chair is no participant here
        assert can.can_judge(u["outsider"], m) and not can.can_judge(u["mentor"], m)
        assert can.can_see_results(u["mentor"], m) and not can.can_see_results(u["junior"], m)
        assert can.can_see_rater_effects(u["mentor"], m)
        assert not can.can_mark_exemplar(u["mentor"], m) and not can.can_export_minutes(u["junior"], m)
        ops.set_phase(session, u["mentor"], m, Phase.CLOSED)
        assert not can.can_critique(u["sibling"], n) and not can.can_judge(u["outsider"], m)
        assert can.can_see_results(u["junior"], m) and not can.can_see_rater_effects(u["junior"], m)
        assert can.can_mark_exemplar(u["mentor"], m) and not can.can_mark_exemplar(u["junior"], m)
        assert can.can_export_minutes(u["outsider"], m) and not can.can_export_minutes(u["director"], m)


def test_critiques_are_private_until_the_meeting_closes_and_anonymous_stays_anonymous(db, office):
    with db.session() as session:
        m = meeting(session, office, anonymous=True)
        u = {k: office.user(session, k) for k in office.ids}
        n = nominate(session, office, m, "junior")
        nominate(session, office, m, "sibling")
        ops.set_phase(session, u["mentor"], m, Phase.CRITIQUE)
        c = critique(session, office, n, "sibling")
        note = ops.add_note(session, u["sibling"], n, None, None, "wording", "意见", quote="每周调度一次")
        for item in (c, note):
            assert can.can_see_critique(u["sibling"], item, m) and can.can_see_critique(u["mentor"], item, m)
            assert not can.can_see_critique(u["junior"], item, m) and not can.can_see_critique(u["outsider"], item, m)
            assert not can.can_see_critique(u["director"], item, m)
        ops.set_phase(session, u["mentor"], m, Phase.CLOSED)
        for item in (c, note):
            assert can.can_see_critique(u["junior"], item, m) and can.can_see_critique(u["outsider"], item, m)
            assert not can.can_see_critic(u["junior"], item, m) and not can.can_see_critic(u["outsider"], item, m)
            assert can.can_see_critic(u["mentor"], item, m) and can.can_see_critic(u["sibling"], item, m)
        m.anonymous = False
        assert can.can_see_critic(u["junior"], c, m)


def test_feedback_pages_are_the_writers_and_their_mentors(db, office):
    with db.session() as session:
        u = {k: office.user(session, k) for k in office.ids}
        today = dt.date.today()
        assert can.can_view_feedback(session, u["junior"], u["junior"], today)
        assert can.can_view_feedback(session, u["mentor"], u["junior"], today)
        assert not can.can_view_feedback(session, u["mentor"], u["junior"], today - dt.timedelta(days=400))
        for other in ("director", "sibling", "chief", "other_mentor"):
            assert not can.can_view_feedback(session, u[other], u["junior"], today)
        assert not can.can_view_feedback(session, None, u["junior"], today)
