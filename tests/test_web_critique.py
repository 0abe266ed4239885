"""Critique meeting pages: the whole workflow through the browser's forms, refusals in Chinese that keep what
was typed, the minutes download, the feedback page — and every route × every role."""

import io

import pytest
from conftest import CsrfClient, fill_ids, scene_app, scene_client, scene_template
from critique_support import TEXT, build_scene
from sqlalchemy import select

from drafter.docio import read_bytes
from drafter.services.drafts import create_draft
from drafter.store.critique import Critique, Meeting, Nomination
from drafter.store.models import Document, User

ROLES = ("anon", "director", "mentor", "junior", "sibling", "outsider", "chief", "other_mentor")
USERNAMES = {"director": "wangzr", "mentor": "lils", "junior": "zhangxy", "sibling": "liuy", "outsider": "zhaot",
             "chief": "zhoukz", "other_mentor": "chenj"}
GOOD_SCORES = {f"score-{i}": "4" for i in range(4)}
GOOD_CRITIQUE = {**GOOD_SCORES, "strengths": "层次清楚。", "problems": "第二条缺少时限。", "suggestion": "第二条写明完成时限。"}


@pytest.fixture(scope="module")
def template(tmp_path_factory, password_hash):
    """On SQLite the office and the three meetings are built once and copied for every test."""
    return scene_template(tmp_path_factory, password_hash, build_scene, "critique")


@pytest.fixture
def world(request, template, tmp_path, password_hash):
    """(app, scene ids, database): a fresh copy of the scene behind a fresh app."""
    return scene_app(request, template, tmp_path, password_hash, build_scene)


def client_for(app, role: str) -> CsrfClient:
    """A client logged in as ``role`` (anonymous for "anon")."""
    return scene_client(app, None if role == "anon" else USERNAMES[role])


def expect(default: int, **codes: int) -> dict[str, int]:
    """Expected status per role; anonymous visitors always go to the login page."""
    table = dict.fromkeys(ROLES, default)
    table.update(codes)
    table["anon"] = 302
    return table


MN_MEMBERS = dict(mentor=403, junior=403, sibling=403, outsider=403)          # chair mentor
MC_MEMBERS = dict(other_mentor=403, junior=403, sibling=403, chief=403)      # chair other_mentor
MX_MEMBERS = dict(director=403, junior=403, sibling=403)                     # chair director
CALLERS = dict(director=200, mentor=200, chief=200, other_mentor=200)
UPLOAD = "upload"

# (method, url with scene keys in braces, form data, expected status by role)
ROUTES = [
    ("GET", "/critique/", None, expect(200)),
    ("GET", "/critique/new", None, expect(403, **CALLERS)),
    ("POST", "/critique/new", {"title": "临时交流会", "held_on": "2024-06-01", "rubric": "思想性、可读性",
                               "participants": ["{JUNIOR}", "{SIBLING}"]},
     expect(403, **{k: 302 for k in CALLERS})),
    ("GET", "/critique/999", None, expect(404)),
    ("GET", "/critique/{Mc}", None, expect(404, other_mentor=200, junior=200, sibling=200, chief=200)),
    ("GET", "/critique/{Mc}/settings", None, expect(404, **{**MC_MEMBERS, "other_mentor": 200})),
    ("POST", "/critique/{Mn}/settings", {"title": "改名后的交流会", "held_on": "2024-03-29", "rubric": "思想性、启发性、指导性、可读性",
                                        "participants": ["{JUNIOR}", "{SIBLING}", "{OUTSIDER}"], "target_judgements": "10"},
     expect(404, **{**MN_MEMBERS, "mentor": 302})),
    ("POST", "/critique/{Mn}/phase", {"to": "critique"}, expect(404, **{**MN_MEMBERS, "mentor": 302})),
    ("GET", "/critique/{Mn}/nominate/best", None, expect(404, **{**MN_MEMBERS, "junior": 200, "sibling": 200,
                                                                "outsider": 200})),
    ("GET", "/critique/{Mn}/nominate/neither", None, expect(404)),
    ("POST", "/critique/{Mn}/nominate/worst", UPLOAD, expect(404, **{**MN_MEMBERS, "junior": 302, "sibling": 302,
                                                                     "outsider": 302})),
    ("POST", "/critique/{Mn}/nominations/{NJ}/withdraw", {}, expect(404, **{**MN_MEMBERS, "junior": 302})),
    ("GET", "/critique/{Mc}/nominations/{J1}", None, expect(404, other_mentor=200, junior=200, sibling=200, chief=200)),
    ("GET", "/critique/{Mc}/nominations/{XJ}", None, expect(404, **{k: 404 for k in MC_MEMBERS})),
    ("POST", "/critique/{Mc}/nominations/{J1}/critique", GOOD_CRITIQUE,
     expect(404, **{**MC_MEMBERS, "sibling": 302, "chief": 302})),
    ("POST", "/critique/{Mc}/nominations/{J1}/notes", {"quote": "每周调度一次", "category": "data", "comment": "写明由谁调度"},
     expect(404, **{**MC_MEMBERS, "sibling": 302, "chief": 302})),
    ("POST", "/critique/{Mc}/notes/{NOTE}/delete", {}, expect(404, other_mentor=403, sibling=302)),
    ("GET", "/critique/{Mc}/compare", None, expect(404, other_mentor=403, junior=200, sibling=200, chief=200)),
    ("POST", "/critique/{Mc}/compare", {"left": "{S1}", "right": "{K1}", "choice": "left"},
     expect(404, **{**MC_MEMBERS, "junior": 302})),
    ("GET", "/critique/{Mc}/results", None, expect(404, **{**MC_MEMBERS, "other_mentor": 200})),
    ("GET", "/critique/{Mx}/results", None, expect(404, director=200, junior=200, sibling=200)),
    ("POST", "/critique/{Mx}/summary", {"summary": "总结"}, expect(404, **{**MX_MEMBERS, "director": 302})),
    ("POST", "/critique/{Mx}/nominations/{XJ}/exemplar", {"on": "1"}, expect(404, **{**MX_MEMBERS, "director": 302})),
    ("GET", "/critique/{Mx}/minutes.docx", None, expect(404, director=200, junior=200, sibling=200)),
    ("GET", "/critique/{Mc}/minutes.docx", None, expect(404, **MC_MEMBERS)),
    ("GET", "/critique/feedback", None, expect(302)),
    ("GET", "/critique/feedback/{JUNIOR}", None, expect(404, junior=200, mentor=200)),
]


_fill = fill_ids


def _scene_ids(app, ids: dict[str, int]) -> dict[str, int]:
    with app.extensions["drafter_db"].session() as session:
        people = {u.username: u.id for u in session.scalars(select(User))}
    return {**ids, "SIBLING": people["liuy"], "OUTSIDER": people["zhaot"]}


def _request(client, method: str, url: str, data):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url)
    if data == UPLOAD:
        form = {"source": "upload", "title": "上传的稿子", "self_assessment": "自评：不够具体。", **GOOD_SCORES,
                "file": (io.BytesIO(TEXT.format(topic="上传").encode()), "up.txt")}
        return client.post(url, data=form, content_type="multipart/form-data")
    return client.post(url, data=data)


@pytest.mark.parametrize("method,url,data,codes", ROUTES, ids=[f"{m} {u}" for m, u, _, _ in ROUTES])
def test_route_by_role(world, method, url, data, codes):
    """Every role on a fresh scene; refused roles go first and must change nothing, allowed roles last."""
    app, ids, _ = world
    scene = _scene_ids(app, ids)
    target = _fill(url, scene)
    form = {k: _fill(v, scene) for k, v in data.items()} if isinstance(data, dict) else data
    for role in sorted(ROLES, key=lambda r: codes[r] in (200, 302) and r != "anon"):
        response = _request(client_for(app, role), method, target, form)
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        assert response.status_code == codes[role], (role, body[:400])
        if response.status_code == 404:
            assert "页面不存在" in body
        if role == "anon":
            assert "/login" in response.headers["Location"]
        if response.status_code == 302 and role != "anon":
            follow = client_for(app, role).get(response.headers["Location"])
            assert follow.status_code == 200
            assert "flash-error" not in follow.get_data(as_text=True), (role, "an allowed action was refused")


def test_a_meeting_from_call_to_minutes(world):
    app, ids, db = world
    scene = _scene_ids(app, ids)
    chair, junior, sibling = (client_for(app, r) for r in ("mentor", "junior", "sibling"))
    page = chair.post("/critique/new", data={"title": "六月交流会", "held_on": "2024-06-28", "rubric": "思想性、可读性",
                                              "participants": [str(scene["JUNIOR"]), str(scene["SIBLING"])],
                                              "anonymous": "1", "comparative": "1", "target_judgements": "4"})
    mid = int(page.headers["Location"].rsplit("/", 1)[1])
    with db.session() as session:
        j_draft = create_draft(session, session.get(User, scene["JUNIOR"]), "关于档案整理的通知", "通知",
                               text=TEXT.format(topic="档案整理"))
        j_version = j_draft.latest_version.id
    assert "提名并自评" in junior.get(f"/critique/{mid}").get_data(as_text=True)
    form = {"source": "version", "version_id": str(j_version), "self_assessment": "结构清楚。", "score-0": "5"}
    refused = junior.post(f"/critique/{mid}/nominate/best", data=form)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "请为“可读性”打分" in body and "结构清楚。" in body  # nothing typed is lost
    assert junior.post(f"/critique/{mid}/nominate/best", data={**form, "score-1": "4"}).status_code == 302
    upload = {"source": "upload", "title": "", "self_assessment": "写得太急。", "score-0": "2", "score-1": "3",
              "file": (io.BytesIO(TEXT.format(topic="会务").encode()), "会务通知.txt")}
    assert sibling.post(f"/critique/{mid}/nominate/worst", data=upload,
                        content_type="multipart/form-data").status_code == 302
    assert chair.post(f"/critique/{mid}/phase", data={"to": "critique"}).status_code == 302
    with db.session() as session:
        noms = {n.kind: n.id for n in session.scalars(select(Nomination).where(Nomination.meeting_id == mid))}
    page = sibling.get(f"/critique/{mid}/nominations/{noms['best']}").get_data(as_text=True)
    assert 'data-annotatable="1"' in page and "我的互评" in page and "关于档案整理的通知" in page
    bad = sibling.post(f"/critique/{mid}/nominations/{noms['best']}/critique",
                       data={"score-0": "4", "score-1": "9", "strengths": "层次清楚。", "problems": "", "suggestion": "加时限"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "应在1到5分之间，收到的是9分" in text and "层次清楚。" in text
    good = {"score-0": "4", "score-1": "5", "strengths": "层次清楚。", "problems": "缺时限。", "suggestion": "加时限。"}
    assert sibling.post(f"/critique/{mid}/nominations/{noms['best']}/critique", data=good).status_code == 302
    assert "交流会结束后" in junior.get(f"/critique/{mid}/nominations/{noms['best']}").get_data(as_text=True)
    assert junior.post(f"/critique/{mid}/nominations/{noms['worst']}/critique",
                       data={**good, "score-0": "2"}).status_code == 302
    compare = junior.get(f"/critique/{mid}/compare").get_data(as_text=True)
    assert "可比较的组合都已完成" in compare  # two drafts, one of them the junior's own
    live = chair.get(f"/critique/{mid}/results").get_data(as_text=True)
    assert "实时排名" in live and "点评人宽严度" in live
    assert chair.post(f"/critique/{mid}/phase", data={"to": "closed"}).status_code == 302
    after = junior.get(f"/critique/{mid}/nominations/{noms['best']}").get_data(as_text=True)
    assert "点评人" in after and "层次清楚。" in after and "刘洋" not in after.split("互评意见")[1]
    results = junior.get(f"/critique/{mid}/results").get_data(as_text=True)
    assert "排名可靠性" in results and "点评人宽严度" not in results and "评为精品" not in results
    assert chair.post(f"/critique/{mid}/nominations/{noms['best']}/exemplar", data={"on": "1"}).status_code == 302
    archive = junior.get("/?exemplar=1").get_data(as_text=True)
    assert "关于档案整理的通知" in archive
    minutes = junior.get(f"/critique/{mid}/minutes.docx")
    assert minutes.status_code == 200 and "filename*=UTF-8''" in minutes.headers["Content-Disposition"]
    text = read_bytes(minutes.data, "m.docx").text
    assert text.startswith("六月交流会纪要") and "精品佳作" in text
    feedback = client_for(app, "junior").get("/critique/feedback", follow_redirects=True).get_data(as_text=True)
    assert "我收到的点评" in feedback and "<svg" in feedback and "点评人" in feedback
    mentor_view = client_for(app, "mentor").get(f"/critique/feedback/{scene['JUNIOR']}").get_data(as_text=True)
    assert "张晓宇收到的点评" in mentor_view


def test_refusals_by_phase_are_flashed_and_change_nothing(world):
    app, ids, db = world
    junior = client_for(app, "junior")
    page = junior.get(f"/critique/{ids['Mc']}/nominate/best", follow_redirects=True).get_data(as_text=True)
    assert "提名阶段已结束" in page
    chair = client_for(app, "other_mentor")
    back = chair.post(f"/critique/{ids['Mc']}/phase", data={"to": "nomination"}, follow_redirects=True)
    assert "已有互评或比较结果，不能退回提名阶段" in back.get_data(as_text=True)
    assert chair.post(f"/critique/{ids['Mc']}/phase", data={"to": "bogus"}).status_code == 400
    closed = client_for(app, "sibling").post(f"/critique/{ids['Mx']}/nominations/{ids['XJ']}/critique",
                                             data=GOOD_CRITIQUE, follow_redirects=True)
    assert "不能提交或修改" in closed.get_data(as_text=True)
    with db.session() as session:
        assert session.get(Meeting, ids["Mc"]).phase == "critique"
        assert session.scalar(select(Critique).where(Critique.nomination_id == ids["XJ"])).scores["思想性"] == 5


def test_new_meeting_form_keeps_what_was_typed_on_error(world):
    app, _, _ = world
    response = client_for(app, "mentor").post("/critique/new", data={"title": "七月交流会", "held_on": "2024-07-30",
                                                                    "rubric": "思想性、思想性"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "“思想性”重复了" in body and "七月交流会" in body
    bad_date = client_for(app, "mentor").post("/critique/new", data={"title": "七月交流会", "held_on": "7月30日"})
    assert bad_date.status_code == 400 and "日期格式不正确" in bad_date.get_data(as_text=True)


def test_exemplar_marked_in_the_meeting_shows_in_the_archive_and_goes_when_unmarked(world):
    app, ids, db = world
    director = client_for(app, "director")
    assert director.post(f"/critique/{ids['Mx']}/nominations/{ids['XJ']}/exemplar", data={"on": "1"}).status_code == 302
    with db.session() as session:
        doc = session.scalars(select(Document).where(Document.is_exemplar.is_(True))).one()
    page = client_for(app, "outsider").get(f"/documents/{doc.id}").get_data(as_text=True)  # the archive is office-wide
    assert "精品佳作" in page
    assert director.post(f"/critique/{ids['Mx']}/nominations/{ids['XJ']}/exemplar", data={"on": "0"}).status_code == 302
    assert client_for(app, "outsider").get(f"/documents/{doc.id}").status_code == 404


def test_meeting_list_and_navigation(world):
    app, ids, _ = world
    page = client_for(app, "junior").get("/critique/").get_data(as_text=True)
    assert "三月文稿点评交流会" in page and "四月文稿点评交流会" in page and "发起交流会" not in page
    assert "交流会" in client_for(app, "junior").get("/drafts/").get_data(as_text=True)
    empty = client_for(app, "other_mentor").get("/critique/").get_data(as_text=True)
    assert "发起交流会" in empty
    mentor = client_for(app, "mentor").get("/critique/").get_data(as_text=True)
    assert f'/critique/feedback/{ids["JUNIOR"]}"' in mentor and "我指导的学员收到的点评" in mentor
    chair_page = client_for(app, "other_mentor").get(f"/critique/{ids['Mc']}").get_data(as_text=True)
    assert "结束会议，公布排名" in chair_page and "退回提名阶段" not in chair_page and "两两比较共" in chair_page
