"""Benchmark of the analytics: page times on a large office, archive topics on a large archive.

``pages``: builds an office of 50 writers (10 mentors with 5 juniors each, a 科长 and a 主任) with 5,000
drafts over two years, their versions, review tasks (returns at every level), annotations, audit entries,
8 closed critique meetings and 50,000 findings (stored as version summaries, as the check job stores them),
then times the office dashboard, writer pages and mentor pages through the web app (median of repeated
requests, each a full request with template rendering).

``topics``: fills an archive with 10,000 documents made from the real documents at DATA (every real text
once, then variants: paragraphs of a real text shuffled and thinned, so no two are identical; years spread
over 2010–2024), mines the office phrases from the real texts, then runs the archive analytics job
(``jobs.run_archive_analytics``: what ``drafter worker`` runs) and reports its time, stages and result.

    python bench/analytics_bench.py pages [--db URL] [--repeat 15]
    python bench/analytics_bench.py topics ../shared/data/gov_docs/docs [--db URL] [--documents 10000]

The texts of the synthetic office are placeholders (the pages never read them); the archive texts stay in the
scratch database only. Without --db a database is made in a temporary folder.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert, select

from drafter.store.db import Database, open_database

FAMILIES = {
    "structure": ["structure.numbering-gap", "structure.level-skip", "structure.lone-child"],
    "norms": ["norms.halfwidth-punct", "norms.unbalanced-quote", "norms.number-format"],
    "formulaic": ["formulaic.stock-phrase", "formulaic.empty-sentence", "formulaic.four-char-stack"],
    "reuse": ["reuse.copied-passage"],
    "typo": ["typo.char", "typo.word"],
}
RULES = [rule for rules in FAMILIES.values() for rule in rules]
WEIGHTS = [3, 1, 1, 4, 1, 2, 8, 3, 2, 2, 1, 1]
CATEGORIES = ["viewpoint", "structure", "wording", "typo", "format", "data"]
FILLER = "各科室要按照年度计划做好文稿起草工作，明确责任分工，按时报送材料。"


def scratch_url() -> str:
    folder = Path(tempfile.mkdtemp(prefix="analytics-bench-"))
    return f"sqlite:///{folder / 'bench.db'}"


# --------------------------------------------------------------------------------------------------- pages

def build_office(db: Database, drafts: int = 5000, findings: int = 50000, seed: int = 7) -> dict:
    """Bulk-insert the synthetic office (rows exactly as the services store them)."""
    from werkzeug.security import generate_password_hash

    from drafter.services.critique_results import meeting_results  # noqa: F401  (import cost outside timing)
    from drafter.store.analytics import VersionRuleCount, VersionSummary
    from drafter.store.critique import Critique, Meeting, Nomination, Participant
    from drafter.store.models import Document, User
    from drafter.store.workflow import Annotation, AuditEntry, Draft, DraftVersion, Pair, ReviewTask, SignoffStep

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    start = now - dt.timedelta(days=730)
    password = generate_password_hash("bench-pass")
    with db.session() as session:
        conn = session.connection()
        users = [{"username": "director", "display_name": "办公室主任", "password_hash": password,
                  "roles": "admin,mentor", "unit": "办公室", "active": True},
                 {"username": "chief", "display_name": "科长", "password_hash": password, "roles": "mentor,writer",
                  "unit": "综合科", "active": True}]
        users += [{"username": f"mentor{m}", "display_name": f"导师{m:02d}", "password_hash": password,
                   "roles": "mentor,writer", "unit": f"第{m % 5 + 1}科", "active": True} for m in range(10)]
        users += [{"username": f"writer{w}", "display_name": f"撰稿人{w:02d}", "password_hash": password,
                   "roles": "writer", "unit": f"第{w % 5 + 1}科", "active": True} for w in range(50)]
        conn.execute(insert(User.__table__), users)
        ids = {u.username: u.id for u in session.scalars(select(User))}
        director, chief = ids["director"], ids["chief"]
        mentors = [ids[f"mentor{m}"] for m in range(10)]
        writers = [ids[f"writer{w}"] for w in range(50)]
        conn.execute(insert(Pair.__table__), [{"mentor_id": mentors[w // 5], "junior_id": writers[w],
                                               "started_on": start.date(), "created_at": start} for w in range(50)])
        pair_of = {p.junior_id: p.id for p in session.scalars(select(Pair))}
        conn.execute(insert(SignoffStep.__table__), [{"position": 0, "title": "科长", "reviewer_id": chief},
                                                     {"position": 1, "title": "办公室主任", "reviewer_id": director}])

        plans = []
        for n in range(drafts):
            w = rng.randrange(50)
            created = start + dt.timedelta(days=rng.uniform(0, 728))
            plans.append((n, writers[w], mentors[w // 5], created, rng.choice([1, 1, 1, 2, 2, 3])))
        conn.execute(insert(Draft.__table__), [
            {"title": f"第{n}号文稿", "doc_type": "通知", "owner_id": owner, "pair_id": pair_of[owner],
             "state": "drafting", "round": 0, "version_count": count, "created_at": created, "updated_at": created}
            for n, owner, _, created, count in plans])
        draft_ids = list(session.scalars(select(Draft.id).order_by(Draft.id)))
        documents, versions = [], []
        for (n, owner, _, created, count), draft_id in zip(plans, draft_ids, strict=True):
            for v in range(count):
                chars = rng.randint(1200, 4000)
                text = (FILLER * (chars // len(FILLER) + 1))[:chars]
                at = created + dt.timedelta(days=v * rng.uniform(0.5, 4))
                documents.append({"kind": "draft", "title": f"第{n}号文稿", "content_hash": f"{n}-{v}", "draft_id": draft_id,
                                  "text": text, "chars": chars, "created_at": at})
                versions.append((draft_id, v + 1, owner, at, chars))
        conn.execute(insert(Document.__table__), documents)
        doc_ids = list(session.scalars(select(Document.id).where(Document.kind == "draft").order_by(Document.id)))
        conn.execute(insert(DraftVersion.__table__), [
            {"draft_id": d, "number": number, "document_id": doc, "author_id": owner, "source": "edit", "created_at": at}
            for (d, number, owner, at, _), doc in zip(versions, doc_ids, strict=True)])
        version_rows = session.execute(select(DraftVersion.id, DraftVersion.draft_id, DraftVersion.number)
                                       .order_by(DraftVersion.id)).all()
        latest = {}
        for vid, did, number in version_rows:
            latest[did] = (vid, number)

        # 50,000 findings spread over the versions, stored as the summary job stores them
        chars_of = {vid: versions[i][4] for i, (vid, _, _) in enumerate(version_rows)}
        per_version: dict[int, dict[str, int]] = {}
        for _ in range(findings):
            vid = version_rows[rng.randrange(len(version_rows))][0]
            rule = rng.choices(RULES, WEIGHTS)[0]
            per_version.setdefault(vid, {}).setdefault(rule, 0)
            per_version[vid][rule] += 1
        conn.execute(insert(VersionSummary.__table__), [
            {"version_id": vid, "draft_id": did, "chars": chars_of[vid], "findings": sum(per_version.get(vid, {}).values()),
             "errors": 0, "warnings": sum(per_version.get(vid, {}).values()), "infos": 0,
             "formulaic_density": round(rng.uniform(0.01, 0.2), 4), "concreteness": round(rng.uniform(0.2, 0.9), 4),
             "signature": "bench", "computed_at": now} for vid, did, _ in version_rows])
        conn.execute(insert(VersionRuleCount.__table__), [
            {"version_id": vid, "rule": rule, "family": rule.split(".")[0], "count": count, "example": f"{rule}的一处问题"}
            for vid, rules in per_version.items() for rule, count in rules.items()])

        # review: 85 % submitted; tasks mentor → 科长 → 主任; returns at any level; recent ones still waiting
        tasks, audits, notes, states = [], [], [], {}
        for (_n, owner, mentor, created, _), draft_id in zip(plans, draft_ids, strict=True):
            audits.append({"at": created, "actor_id": owner, "draft_id": draft_id, "action": "create", "detail": ""})
            if rng.random() > 0.85:
                continue
            vid, _ = latest[draft_id]
            submitted = created + dt.timedelta(days=rng.uniform(0.5, 5))
            audits.append({"at": submitted, "actor_id": owner, "draft_id": draft_id, "action": "submit", "detail": ""})
            reached, state = submitted, "approved"
            for position, (title, reviewer, stage) in enumerate(
                    [("指导老师", mentor, "mentor"), ("科长", chief, "signoff"), ("办公室主任", director, "signoff")]):
                decided = reached + dt.timedelta(days=rng.uniform(0.1, 4))
                task = {"draft_id": draft_id, "round": 1, "position": position, "stage": stage, "title": title,
                        "reviewer_id": reviewer, "version_id": vid, "reached_at": reached, "verdict": None,
                        "decided_at": None, "comment": None}
                if decided > now:
                    tasks.append(task)
                    state = "mentor_review" if position == 0 else "signoff"
                    break
                verdict = "return" if rng.random() < 0.12 else "pass"
                tasks.append({**task, "verdict": verdict, "decided_at": decided,
                              "comment": "数据口径不一致，请修改" if verdict == "return" else None})
                for _ in range(rng.randint(0, 3)):
                    notes.append({"draft_id": draft_id, "version_id": vid, "author_id": reviewer, "start": 0, "end": 4,
                                  "quote": FILLER[:4], "category": rng.choice(CATEGORIES), "comment": "请修改",
                                  "resolved": rng.random() < 0.6, "created_at": decided - dt.timedelta(hours=1)})
                audits.append({"at": decided, "actor_id": reviewer, "draft_id": draft_id,
                               "action": "return" if verdict == "return" else ("approve" if position == 2 else "pass"),
                               "detail": ""})
                if verdict == "return":
                    state = "returned"
                    break
                reached = decided
            states[draft_id] = state
        conn.execute(insert(ReviewTask.__table__), tasks)
        conn.execute(insert(Annotation.__table__), notes)
        conn.execute(insert(AuditEntry.__table__), audits)
        for draft_id, state in states.items():
            session.execute(Draft.__table__.update().where(Draft.id == draft_id).values(state=state, round=1))

        # 8 closed critique meetings of 12 writers each: two nominations per writer, everyone critiques everyone
        rubric = ["思想性", "启发性", "指导性", "可读性"]
        drafts_of: dict[int, list[int]] = {}
        for (_, owner, _, _, _), draft_id in zip(plans, draft_ids, strict=True):
            drafts_of.setdefault(owner, []).append(draft_id)
        for m in range(8):
            held = (start + dt.timedelta(days=90 * m + 30)).date()
            meeting = Meeting(title=f"第{m + 1}次文稿点评交流会", held_on=held, chair_id=director, phase="closed",
                              rubric=rubric, anonymous=bool(m % 2), comparative=False, pairing="adaptive",
                              target_judgements=10)
            session.add(meeting)
            session.flush()
            people = rng.sample(writers, 12)
            session.add_all(Participant(meeting_id=meeting.id, user_id=u) for u in people)
            nominations = []
            for u in people:
                for kind in ("best", "worst"):
                    draft_id = rng.choice(drafts_of[u])
                    nomination = Nomination(meeting_id=meeting.id, author_id=u, kind=kind, draft_id=draft_id,
                                            version_id=latest[draft_id][0], self_assessment="自评",
                                            self_scores={c: rng.randint(2, 5) for c in rubric})
                    session.add(nomination)
                    nominations.append(nomination)
            session.flush()
            session.add_all(Critique(nomination_id=nom.id, critic_id=u, scores={c: rng.randint(1, 5) for c in rubric},
                                     strengths="优点", problems="问题", suggestion="建议")
                            for nom in nominations for u in people if u != nom.author_id)
        taking_part: dict[int, int] = {}
        for (user_id,) in session.execute(select(Participant.user_id)):
            taking_part[user_id] = taking_part.get(user_id, 0) + 1
        busiest = max(taking_part, key=taking_part.__getitem__)
    return {"writers": writers, "mentors": mentors, "director": director, "versions": len(version_rows),
            "busiest": busiest, "busiest_meetings": taking_part[busiest],
            "tasks": len(tasks), "annotations": len(notes), "findings": findings}


def time_pages(db: Database, office: dict, repeat: int) -> None:
    """Median request times of the analytics pages through the web app."""
    from drafter.config import Settings
    from drafter.store.models import User
    from drafter.web import create_app
    from drafter.web.auth import log_in

    app = create_app({"SETTINGS": Settings(db_url=db.url, secret_key="bench"), "DATABASE": db})

    def client(user_id: int):  # type: ignore[no-untyped-def]
        c = app.test_client()
        with db.session() as session:
            user = session.get(User, user_id)
        with c.session_transaction() as flask_session:
            log_in(flask_session, user)
        return c

    def measure(label: str, c, urls: list[str]) -> None:  # type: ignore[no-untyped-def]
        for url in urls:  # warm-up (imports, template compilation, caches)
            assert c.get(url).status_code == 200, url
        times = []
        for i in range(repeat):
            url = urls[i % len(urls)]
            t = time.perf_counter()
            response = c.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        print(f"{label:<28} median {statistics.median(times):7.1f} ms   min {min(times):7.1f}   max {max(times):7.1f}"
              f"   ({repeat} requests)")

    admin = client(office["director"])
    measure("office dashboard", admin, ["/analytics/office"])
    measure("office dashboard, 2 yrs ago", admin, [f"/analytics/office?quarter={dt.date.today().year - 1}Q2"])
    measure("writer page (admin)", admin, [f"/analytics/writers/{w}" for w in office["writers"][:10]])
    busiest = office["busiest"]
    measure(f"writer page, {office['busiest_meetings']} meetings", client(busiest), [f"/analytics/writers/{busiest}"])
    measure("mentor page", client(office["mentors"][0]), ["/analytics/mentor"])
    measure("error register .xlsx", admin, [f"/analytics/office/errors.xlsx?year={dt.date.today().year}"])


# -------------------------------------------------------------------------------------------------- topics

def build_archive(db: Database, folder: Path, documents: int, seed: int = 11) -> int:
    """The real texts once, then shuffled and thinned variants up to ``documents``; returns the real count."""
    from drafter.analysis.text import normalise
    from drafter.store.models import Document

    real = [normalise(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]
    if not real:
        sys.exit(f"no .txt files in {folder}")
    rng = random.Random(seed)
    rows = []
    for n in range(documents):
        text = real[n % len(real)]
        if n >= len(real):
            paragraphs = [p for p in text.split("\n") if p.strip()]
            head, body = paragraphs[:1], paragraphs[1:]
            rng.shuffle(body)
            keep = max(1, int(len(body) * rng.uniform(0.4, 0.9)))
            text = "\n".join(head + body[:keep]) + "\n"
        rows.append({"kind": "archive", "title": text.split("\n", 1)[0][:200] or f"文档{n}", "content_hash": f"b{n}",
                     "dedupe_key": f"b{n}", "text": text, "chars": len(text), "year": 2010 + (n * 7919) % 15})
    with db.session() as session:
        for i in range(0, len(rows), 1000):
            session.connection().execute(insert(Document.__table__), rows[i:i + 1000])
    return len(real)


def run_topics(db: Database, folder: Path, documents: int) -> None:
    import json

    from drafter.analysis.office_phrases import mine_phrases
    from drafter.services import jobs
    from drafter.services.archive_analytics import latest_result, request_refresh
    from drafter.store.analytics import AnalyticsRun
    from drafter.store.office_phrases import OfficePhrase, OfficePhraseRun

    t = time.perf_counter()
    real = build_archive(db, folder, documents)
    print(f"archive: {documents} documents ({real} real texts + variants) in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    with db.session() as session:
        texts = [d for d, in session.execute(select(__import__("drafter.store.models", fromlist=["Document"]).Document.text)
                                             .limit(real))]
    mined = mine_phrases(iter(texts))
    with db.session() as session:
        session.add_all(OfficePhrase(phrase=m.phrase, words=" ".join(m.words), doc_count=m.doc_count, share=m.share,
                                     rank=i) for i, m in enumerate(mined, start=1))
        session.add(OfficePhraseRun(documents=real, max_document_id=real, phrases=len(mined), min_share=0.05, seconds=0))
    print(f"office phrases: {len(mined)} mined from the real texts in {time.perf_counter() - t:.1f} s (not part of the job)")
    with db.session() as session:
        run, _ = request_refresh(session)
        run_id = run.id
    t = time.perf_counter()
    analysed = jobs.run_archive_analytics(db.url)
    seconds = time.perf_counter() - t
    with db.session() as session:
        run = session.get(AnalyticsRun, run_id)
        _, result = latest_result(session)
        print(f"job: {analysed} documents in {seconds:.1f} s (run #{run.id} {run.status}, progress {run.done}/{run.total} "
              f"at stage {run.stage})")
    print("stages (s):", json.dumps(result["seconds"]))
    print(f"topics: {result['model']['topics']} over {result['model']['vocabulary']} terms, "
          f"{result['model']['iterations']} NMF iterations, converged {result['model']['converged']}")
    for topic in result["topics"]:
        print(f"  {topic['index'] + 1:>2}. {'、'.join(topic['terms'][:6])}  ({topic['share'] * 100:.1f} %, "
              f"{topic['documents']} documents)")
    print(f"near duplicates: {result['cluster_count']} clusters, {result['duplicate_documents']} documents")
    print(f"phrases tracked by year: {len(result['phrases'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    pages = sub.add_parser("pages")
    pages.add_argument("--db")
    pages.add_argument("--repeat", type=int, default=15)
    pages.add_argument("--drafts", type=int, default=5000)
    pages.add_argument("--findings", type=int, default=50000)
    topics = sub.add_parser("topics")
    topics.add_argument("data", type=Path)
    topics.add_argument("--db")
    topics.add_argument("--documents", type=int, default=10000)
    args = parser.parse_args()
    db = open_database(args.db or scratch_url())
    print(f"database: {db.safe_url}")
    try:
        if args.command == "pages":
            t = time.perf_counter()
            office = build_office(db, args.drafts, args.findings)
            print(f"office: 50 writers, {args.drafts} drafts, {office['versions']} versions, {office['findings']} findings, "
                  f"{office['tasks']} review tasks, {office['annotations']} annotations, 8 closed meetings "
                  f"(built in {time.perf_counter() - t:.1f} s)")
            time_pages(db, office, args.repeat)
        else:
            run_topics(db, args.data, args.documents)
    finally:
        db.dispose()


if __name__ == "__main__":
    main()
