"""Every route × every role: forbidden users get 404 (the page does not exist for them) or 403 (they see the
draft but may not do this); anonymous visitors are sent to the login page."""

import io

import pytest
from conftest import fill_ids, scene_app, scene_client, scene_template
from sqlalchemy import select

from drafter.services.annotations import add_annotation
from drafter.services.drafts import create_draft
from drafter.services.review import submit
from drafter.store.workflow import Pair, SignoffStep

ROLES = ("anon", "director", "junior", "mentor", "chief", "sibling", "outsider", "other_mentor")
USERNAMES = {"director": "wangzr", "junior": "zhangxy", "mentor": "lils", "chief": "zhoukz", "sibling": "liuy",
             "outsider": "zhaot", "other_mentor": "chenj"}
TEXT = "关于做好值班工作的通知\n各科室：\n一、严格值班制度。\n"
VIEWERS = ("director", "junior", "mentor")  # of the junior's drafts, before they reach the 科长


def expect(default: int, **codes: int) -> dict[str, int]:
    """Expected status per role: anon is always sent to the login page (302)."""
    table = {role: default for role in ROLES}
    table.update(codes)
    table["anon"] = 302
    return table


def viewers(ok: int, viewer_default: int = 403, **codes: int) -> dict[str, int]:
    """Non-viewers get 404; viewers get ``viewer_default`` unless listed."""
    table = expect(404, **{v: viewer_default for v in VIEWERS})
    table.update(codes)
    for role, code in codes.items():
        table[role] = ok if code == 0 else code
    return table


OK_GET = viewers(200, viewer_default=200)
ADMIN_ONLY_GET = expect(404, director=200)
ADMIN_ONLY_POST = expect(404, director=302)
EVERYONE_GET = expect(200)

# (method, url with {D} = draft in review, {E} = draft being written, {A} = annotation, {U} = a user,
#  {P} = a pair, {S} = a sign-off step; form data; expected status by role)
ROUTES = [
    ("GET", "/", None, EVERYONE_GET),
    ("GET", "/drafts/", None, EVERYONE_GET),
    ("GET", "/drafts/?scope=juniors", None, EVERYONE_GET),
    ("GET", "/drafts/?scope=all", None, EVERYONE_GET),
    ("GET", "/drafts/new", None, EVERYONE_GET),
    ("GET", "/review/", None, EVERYONE_GET),
    ("GET", "/account/password", None, EVERYONE_GET),
    ("GET", "/drafts/{D}", None, OK_GET),
    ("GET", "/drafts/{D}/versions/1", None, OK_GET),
    ("GET", "/drafts/{D}/versions/1/export.docx", None, OK_GET),
    ("GET", "/drafts/{D}/versions/1/export.txt", None, OK_GET),
    ("GET", "/drafts/{D}/compare", None, OK_GET),
    ("GET", "/drafts/{D}/versions/9", None, expect(404)),
    ("GET", "/drafts/999", None, expect(404)),
    ("GET", "/drafts/{D}/edit", None, viewers(200)),
    ("GET", "/drafts/{E}/edit", None, viewers(200, junior=200, mentor=200)),
    ("POST", "/drafts/{E}/edit", {"text": TEXT + "二、新增。\n", "base": "1"}, viewers(302, junior=0, mentor=0)),
    ("POST", "/drafts/{D}/edit", {"text": TEXT + "二、新增。\n", "base": "1"}, viewers(302)),
    ("POST", "/drafts/{E}/upload", "upload", viewers(302, junior=0, mentor=0)),
    ("POST", "/drafts/{D}/upload", "upload", viewers(302)),
    ("POST", "/drafts/{E}/submit", {}, viewers(302, junior=0)),
    ("POST", "/drafts/{D}/withdraw", {}, viewers(302, junior=0)),
    ("POST", "/drafts/{D}/decide", {"verdict": "pass"}, viewers(302, mentor=0)),
    ("POST", "/drafts/{D}/versions/1/annotations",
     {"start": "0", "end": "4", "category": "wording", "comment": "标题再斟酌"}, viewers(302, mentor=0)),
    ("POST", "/drafts/{D}/annotations/{A}/replies", {"text": "收到"}, viewers(302, junior=0, mentor=0, director=0)),
    ("POST", "/drafts/{D}/annotations/{A}/resolve", {"resolved": "1"}, viewers(302, junior=0, mentor=0)),
    ("GET", "/admin/", None, expect(404, director=302)),
    ("GET", "/admin/users", None, ADMIN_ONLY_GET),
    ("GET", "/admin/pairs", None, ADMIN_ONLY_GET),
    ("GET", "/admin/chain", None, ADMIN_ONLY_GET),
    ("GET", "/admin/audit", None, ADMIN_ONLY_GET),
    ("POST", "/admin/users", {"username": "newone", "display_name": "新人", "password": "abc12345",
                              "roles": "writer"}, ADMIN_ONLY_POST),
    ("POST", "/admin/users/{U}/active", {"active": "0"}, ADMIN_ONLY_POST),
    ("GET", "/admin/users/{U}", None, ADMIN_ONLY_GET),
    ("POST", "/admin/users/{U}", {"display_name": "赵婷", "roles": "writer"}, ADMIN_ONLY_POST),
    ("POST", "/admin/users/{U}/password", {"password": "new-pass-9"}, ADMIN_ONLY_POST),
    ("POST", "/admin/pairs", {"mentor_id": "{M}", "junior_id": "{U}"}, ADMIN_ONLY_POST),
    ("POST", "/admin/pairs/{P}/end", {}, ADMIN_ONLY_POST),
    ("POST", "/admin/chain", {"title": "分管副主任", "reviewer_id": "{M}"}, ADMIN_ONLY_POST),
    ("POST", "/admin/chain/{S}/move", {"direction": "down"}, ADMIN_ONLY_POST),
    ("POST", "/admin/chain/{S}/remove", {}, ADMIN_ONLY_POST),
]


def build_scene(db, office) -> dict[str, int]:
    """D: the junior's draft submitted to the mentor, with one annotation; E: the junior's draft being written."""
    with db.session() as session:
        junior = office.user(session, "junior")
        in_review = create_draft(session, junior, "关于做好值班工作的通知", "通知", text=TEXT)
        submit(session, in_review, junior)
        note = add_annotation(session, in_review, in_review.latest_version, office.user(session, "mentor"), 0, 4,
                              "wording", "标题可以更简洁")
        writing = create_draft(session, junior, "正在写的稿子", text=TEXT)
        pair = session.scalars(select(Pair).where(Pair.junior_id == office.ids["sibling"])).one()
        step = session.scalars(select(SignoffStep).order_by(SignoffStep.position)).first()
        return {"D": in_review.id, "E": writing.id, "A": note.id, "U": office.ids["outsider"],
                "M": office.ids["other_mentor"], "P": pair.id, "S": step.id}


@pytest.fixture(scope="module")
def template(tmp_path_factory, password_hash):
    """On SQLite the scene is built once and copied for every test (the matrix has hundreds of cases)."""
    return scene_template(tmp_path_factory, password_hash, build_scene)


@pytest.fixture
def world(request, template, tmp_path, password_hash):
    """(app, scene ids): a fresh copy of the scene behind a fresh app."""
    app, ids, _ = scene_app(request, template, tmp_path, password_hash, build_scene)
    return app, ids


def client_for(app, role: str):  # type: ignore[no-untyped-def]
    """A test client logged in as ``role`` (anonymous for "anon")."""
    return scene_client(app, None if role == "anon" else USERNAMES[role])


_fill = fill_ids


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,url,data,codes", ROUTES, ids=[f"{m} {u}" for m, u, _, _ in ROUTES])
def test_route_by_role(world, method, url, data, codes, role):
    app, scene = world
    client = client_for(app, role)
    target = _fill(url, scene)
    if method == "GET":
        response = client.get(target)
    elif data == "upload":
        response = client.post(target, data={"base": "1", "file": (io.BytesIO((TEXT + "二、上传。\n").encode()),
                                                                    "v.txt")}, content_type="multipart/form-data")
    else:
        response = client.post(target, data={k: _fill(v, scene) for k, v in data.items()})
    assert response.status_code == codes[role], response.get_data(as_text=True)[:300]
    if response.status_code == 404:
        assert "页面不存在" in response.get_data(as_text=True)
    if role == "anon":
        assert "/login" in response.headers["Location"]


def test_signoff_reviewer_sees_the_draft_once_it_reaches_their_level(world):
    app, scene = world
    login = lambda role: client_for(app, role)  # noqa: E731
    chief = login("chief")
    assert chief.get(f"/drafts/{scene['D']}").status_code == 404
    mentor = login("mentor")
    assert mentor.post(f"/drafts/{scene['D']}/decide", data={"verdict": "pass"}).status_code == 302
    assert chief.get(f"/drafts/{scene['D']}").status_code == 200
    assert chief.post(f"/drafts/{scene['D']}/decide", data={"verdict": "pass"}).status_code == 302
    director = login("director")
    assert director.post(f"/drafts/{scene['D']}/decide", data={"verdict": "return", "comment": "再改"}).status_code == 302
    assert chief.get(f"/drafts/{scene['D']}").status_code == 200  # keeps seeing what it signed
    assert login("sibling").get(f"/drafts/{scene['D']}").status_code == 404
