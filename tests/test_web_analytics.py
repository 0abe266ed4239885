"""Analytics pages: every route × every role on the history of analytics_support, what each page shows, the
error register downloads, and asking for the archive analytics."""

import io

import pytest
from analytics_support import build_history
from conftest import fill_ids, scene_app, scene_client, scene_template
from sqlalchemy import select

from drafter.services import archive_analytics, jobs
from drafter.services.archive import DocumentMeta, add_document, build_document
from drafter.store.analytics import AnalyticsRun
from drafter.store.models import User

ROLES = ("anon", "director", "mentor", "junior", "sibling", "chief", "outsider", "other_mentor")
USERNAMES = {"director": "wangzr", "mentor": "lils", "junior": "zhangxy", "sibling": "liuy", "chief": "zhoukz",
             "outsider": "zhaot", "other_mentor": "chenj"}
MENTORS = dict(director=200, mentor=200, chief=200, other_mentor=200)


def expect(default: int, **codes: int) -> dict[str, int]:
    """Expected status per role; anonymous visitors always go to the login page."""
    table = dict.fromkeys(ROLES, default)
    table.update(codes)
    table["anon"] = 302
    return table


ROUTES = [
    ("GET", "/analytics/", expect(302)),
    ("GET", "/analytics/me", expect(302)),
    ("GET", "/analytics/writers/{JUNIOR}", expect(404, junior=200, mentor=200, director=200)),
    ("GET", "/analytics/writers/{SIBLING}", expect(404, sibling=200, mentor=200, director=200)),
    ("GET", "/analytics/writers/999", expect(404)),
    ("GET", "/analytics/mentor", expect(403, **MENTORS)),
    ("GET", "/analytics/office", expect(404, director=200)),
    ("GET", "/analytics/office?quarter=2024Q2", expect(404, director=200)),
    ("GET", "/analytics/office/errors.xlsx?year=2024", expect(404, director=200)),
    ("GET", "/analytics/office/errors.csv?year=2024", expect(404, director=200)),
    ("GET", "/analytics/office/errors.pdf", expect(404)),
    ("GET", "/analytics/archive", expect(200)),
    ("POST", "/analytics/archive/refresh", expect(404, director=302)),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory, password_hash):
    """On SQLite the office and its history are built once and copied for every test."""
    return scene_template(tmp_path_factory, password_hash, build_history, "analytics")


@pytest.fixture
def world(request, template, tmp_path, password_hash):
    """(app, scene ids, database): a fresh copy of the history behind a fresh app."""
    return scene_app(request, template, tmp_path, password_hash, build_history)


def client_for(app, role: str):  # type: ignore[no-untyped-def]
    """A client logged in as ``role`` (anonymous for "anon")."""
    return scene_client(app, None if role == "anon" else USERNAMES[role])


fill = fill_ids


@pytest.mark.parametrize("method,url,codes", ROUTES, ids=[f"{m} {u}" for m, u, _ in ROUTES])
def test_route_by_role(world, method, url, codes, monkeypatch):
    app, ids, _ = world
    monkeypatch.setattr(jobs, "queue_for", lambda url: object())  # no queue file for this test
    monkeypatch.setattr(jobs, "request_after_commit", lambda *a, **k: None)
    target = fill(url, ids)
    for role in sorted(ROLES, key=lambda r: codes[r] in (200, 302) and r != "anon"):
        client = client_for(app, role)
        response = client.get(target) if method == "GET" else client.post(target)
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        assert response.status_code == codes[role], (role, body[:300])
        if response.status_code == 404:
            assert "页面不存在" in body
        if role == "anon":
            assert "/login" in response.headers["Location"]
        if response.mimetype == "text/html" and response.status_code == 200:
            assert "<script>" not in body  # the CSP forbids inline scripts


def test_writer_page_shows_the_figures_and_charts(world):
    app, ids, _ = world
    body = client_for(app, "junior").get(f"/analytics/writers/{ids['JUNIOR']}").get_data(as_text=True)
    assert "我的写作进步" in body and "6.5 天" in body and "中位数 1 稿" in body
    assert "另有 1 个稿次尚未检查" in body
    assert body.count('<svg class="analytics-chart"') == 4  # rates, density, concreteness, annotations
    assert "每千字问题数（按规则类别）" in body and "收到的批注（按类别）" in body
    assert "还没有已结束的交流会记录" in body
    mentor_view = client_for(app, "mentor").get(f"/analytics/writers/{ids['JUNIOR']}").get_data(as_text=True)
    assert "张晓宇的写作进步" in mentor_view


def test_a_writer_without_drafts_gets_an_explanation(world):
    app, _, db = world
    with db.session() as session:
        outsider = session.scalars(select(User).where(User.username == "zhaot")).one().id
    body = client_for(app, "outsider").get(f"/analytics/writers/{outsider}").get_data(as_text=True)
    assert "还没有文稿" in body and "交流会上的名次" in body


def test_mentor_and_office_pages(world):
    app, _, _ = world
    mentor = client_for(app, "mentor").get("/analytics/mentor").get_data(as_text=True)
    assert "张晓宇" in mentor and "刘洋" in mentor and "关于开展文稿讲评的方案" in mentor and "等我审阅" in mentor
    assert "层次需要调整" in mentor
    lonely = client_for(app, "other_mentor").get("/analytics/mentor").get_data(as_text=True)
    assert "目前没有结对的学员" in lonely
    office = client_for(app, "director").get("/analytics/office?quarter=2024Q2&year=2024").get_data(as_text=True)
    assert "2024年第二季度" in office and "关于节约用电的通知" in office and "格式和数据问题较多" in office
    assert "formulaic.stock" in office and "导出 Excel" in office
    bad = client_for(app, "director").get("/analytics/office?quarter=2024Q9", follow_redirects=True)
    assert bad.status_code == 200 and "季度格式不正确" in bad.get_data(as_text=True)
    empty_year = client_for(app, "director").get("/analytics/office?quarter=2024Q2&year=2023").get_data(as_text=True)
    assert "2023年还没有在签批环节" in empty_year


def test_error_register_downloads(world):
    from openpyxl import load_workbook

    app, _, _ = world
    director = client_for(app, "director")
    xlsx = director.get("/analytics/office/errors.xlsx?year=2024")
    assert xlsx.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "filename*=UTF-8''2024" in xlsx.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet["B3"].value == "关于节约用电的通知"
    csv = director.get("/analytics/office/errors.csv?year=2024")
    assert csv.mimetype == "text/csv" and "关于节约用电的通知" in csv.data.decode("utf-8-sig")


def test_archive_page_from_request_to_progress_to_result(world, monkeypatch):
    app, _, db = world
    director = client_for(app, "director")
    page = director.get("/analytics/archive").get_data(as_text=True)
    assert "档案库还是空的" in page and "archive/refresh" not in page  # nothing to compute yet
    with db.session() as session:
        add_document(session, build_document("关于做好防汛值班工作的通知\n汛期实行二十四小时值班。\n", DocumentMeta()))
    page = director.get("/analytics/archive").get_data(as_text=True)
    assert "还没有计算过档案分析" in page and "开始计算" in page and "档案库现有 1 篇文档" in page
    assert "archive/refresh" not in client_for(app, "junior").get("/analytics/archive").get_data(as_text=True)
    queued = []
    monkeypatch.setattr(jobs, "queue_for", lambda url: object())
    monkeypatch.setattr(jobs, "request_after_commit", lambda session, task: queued.append(task))
    response = director.post("/analytics/archive/refresh", follow_redirects=True)
    assert "已提交计算请求" in response.get_data(as_text=True) and queued == [jobs.ANALYTICS_TASK]
    page = director.get("/analytics/archive").get_data(as_text=True)
    assert "正在计算" in page and 'http-equiv="refresh"' in page and "drafter worker" in page
    archive_analytics.run_pending(db)
    page = director.get("/analytics/archive").get_data(as_text=True)
    assert "正在计算" not in page and "共 1 篇档案" in page


def test_refresh_without_a_queue_explains_the_command(world, monkeypatch):
    app, _, db = world
    monkeypatch.setattr(jobs, "queue_for", lambda url: None)
    response = client_for(app, "director").post("/analytics/archive/refresh", follow_redirects=True)
    assert "drafter analytics --refresh" in response.get_data(as_text=True)
    with db.session() as session:
        assert session.scalar(select(AnalyticsRun.id)) is None  # nothing left waiting
