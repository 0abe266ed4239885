"""Tests for drafter.services.archive_analytics: the job's run (progress, result, failure), staleness, topics and
trends by year, office phrases by year, near-duplicate clusters — on a small archive written for this test."""

import datetime as dt
import json

import pytest

from drafter.services import archive_analytics as aa
from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.store.analytics import AnalyticsRun
from drafter.store.office_phrases import OfficePhrase, OfficePhraseRun

SUBJECTS = {
    "flood": ["防汛", "水库", "堤防", "汛期", "巡查", "降雨", "抢险", "水位"],
    "grain": ["粮食", "种粮", "耕地", "农户", "小麦", "播种", "农机", "补贴"],
}
COPY = ("关于加强机关节约用电管理的通知\n各科室：\n为落实节约型机关建设要求，现就加强用电管理通知如下。"
        "一、下班前关闭电脑、打印机和空调电源，值班室除外。二、夏季空调温度不低于26摄氏度，冬季不高于20摄氏度。"
        "三、走廊和会议室照明做到人走灯灭，办公室每月检查一次落实情况。四、各科室确定一名节能监督员，"
        "每季度末报送用电情况，办公室汇总后在机关内通报。\n")


def text(subject: str, n: int) -> str:
    words = SUBJECTS[subject]
    picks = [words[(n + k) % len(words)] for k in range(5)]
    stock = "压紧压实责任，" if subject == "flood" else ""
    return (f"关于做好{picks[0]}工作的通知\n各乡镇要{stock}抓好{picks[1]}和{picks[2]}，落实{picks[3]}措施，"
            f"{picks[4]}情况每周报送一次。\n")


def add(session, body: str, title: str, year: int | None):
    return add_document(session, build_document(body, DocumentMeta(title=title, year=year))).id


@pytest.fixture
def archive(db):
    """Flood texts in 2021 (6), grain texts in 2022 (6), a notice and its edited copy (no year)."""
    ids = {}
    with db.session() as session:
        for n in range(6):
            add(session, text("flood", n), f"防汛通知{n}", 2021)
            add(session, text("grain", n), f"种粮通知{n}", 2022)
        ids["copy1"] = add(session, COPY, "节约用电通知", None)
        ids["copy2"] = add(session, COPY.replace("26摄氏度", "27摄氏度"), "节约用电通知（修订）", None)
        session.add(OfficePhrase(phrase="压紧压实责任", words="压紧 压实 责任", doc_count=6, share=0.4, rank=1))
        session.add(OfficePhraseRun(documents=14, max_document_id=ids["copy2"], phrases=1, min_share=0.05, seconds=0.1))
    return ids


def test_nothing_computed_yet_is_stale_and_says_so(db, archive):
    with db.session() as session:
        state = aa.archive_status(session)
        assert state.documents == 14 and state.latest is None and state.stale
        assert aa.latest_result(session) is None


def test_the_job_computes_topics_trends_phrases_and_clusters_with_progress(db, archive):
    seen = []
    assert aa.run_pending(db, progress=lambda *a: seen.append(a), n_topics=2) == 14
    assert ("read", 14, 14) in seen and seen[-1] == ("duplicates", 1, 1)
    with db.session() as session:
        run, result = aa.latest_result(session)
        assert run.status == "done" and run.documents == 14 and run.seconds is not None
        assert not aa.archive_status(session).stale
    assert result["documents"] == 14 and result["with_year"] == 12 and result["years"] == [2021, 2022]
    topics = {t["terms"][0]: t for t in result["topics"]}
    flood = next(t for t in result["topics"] if len(set(t["terms"][:4]) & set(SUBJECTS["flood"])) >= 3)
    grain = next(t for t in result["topics"] if len(set(t["terms"][:4]) & set(SUBJECTS["grain"])) >= 3)
    assert len(topics) == 2 and flood["documents"] >= 6 and grain["documents"] >= 6
    assert all(e["title"].startswith("防汛") for e in flood["examples"])
    assert result["topic_years"]["2021"][flood["index"]] > 0.9 and result["topic_years"]["2022"][flood["index"]] < 0.1
    [phrase] = result["phrases"]
    assert phrase == {"phrase": "压紧压实责任", "documents": 6, "share": round(6 / 14, 4),
                      "years": {"2021": 6, "2022": 0}, "slope": -1.0}
    assert aa.movers(result, rising=False) == [phrase] and aa.movers(result, rising=True) == []
    assert result["cluster_count"] == 1 and result["duplicate_documents"] == 2
    assert [d["doc_id"] for d in result["clusters"][0]["documents"]] == [archive["copy1"], archive["copy2"]]
    assert result["clusters"][0]["mean_similarity"] >= 0.7
    assert aa.run_pending(db) == 0  # fresh: nothing to do


def test_requests_wait_for_the_worker_and_a_second_request_joins_the_first(db, archive):
    with db.session() as session:
        run, created = aa.request_refresh(session)
        again, created_again = aa.request_refresh(session)
        assert created and not created_again and again.id == run.id
        assert aa.archive_status(session).active.id == run.id
    assert aa.run_pending(db, n_topics=2) == 14
    with db.session() as session:
        assert session.get(AnalyticsRun, run.id).status == "done"


def test_figures_go_stale_when_the_archive_grows(db, archive):
    aa.run_pending(db, n_topics=2)
    with db.session() as session:
        add(session, text("grain", 7), "种粮通知7", 2023)
        state = aa.archive_status(session)
        assert state.changed == 1 and state.stale  # 1 of 15 documents ≥ 5 %


def test_a_failure_is_recorded_and_an_interrupted_run_can_be_asked_again(db, archive, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")
    monkeypatch.setattr(aa, "compute", broken)
    with pytest.raises(RuntimeError):
        aa.run_pending(db)
    with db.session() as session:
        state = aa.archive_status(session)
        assert state.problem.status == "failed" and "磁盘已满" in state.problem.error and state.active is None
        stuck = AnalyticsRun(status="running", stage="read", updated_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
        session.add(stuck)
    with db.session() as session:
        state = aa.archive_status(session)
        assert state.active is None and state.problem.id == stuck.id
        run, created = aa.request_refresh(session)
        assert created and run.id != stuck.id


def test_an_empty_archive_gives_an_empty_result(db):
    with db.session() as session:
        assert not aa.archive_status(session).stale
    assert aa.run_pending(db, force=True) == 0
    with db.session() as session:
        _, result = aa.latest_result(session)
    assert result["documents"] == 0 and result["topics"] == [] and result["notes"]
    assert json.dumps(result)
