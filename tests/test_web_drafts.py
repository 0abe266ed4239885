"""Tests for drafter.web.drafts: new draft, editor (stale saves, no lost text), uploads, the version page with
its analysis panel, downloads and comparisons."""

import io
import re

import pytest
from flask import Blueprint, jsonify
from flask.testing import FlaskClient
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from drafter.config import Settings
from drafter.docio import read_bytes
from drafter.services.archive import DocumentMeta, import_paths
from drafter.services.drafts import create_draft
from drafter.store.models import Document
from drafter.store.workflow import Draft
from drafter.web import create_app

TEXT = "关于做好值班工作的通知\n各科室：\n二、办文数量大幅增长,<b>成效</b>明显。\n"


@pytest.fixture
def draft_id(db, office) -> int:
    with db.session() as session:
        return create_draft(session, office.user(session, "junior"), "关于做好值班工作的通知", "通知",
                            assignment="写明值班要求", text=TEXT).id


def _body(response) -> str:
    return response.get_data(as_text=True)


def test_new_draft_flow(db, office, login):
    client = login("zhangxy")
    assert "任务要求" in _body(client.get("/drafts/new"))
    response = client.post("/drafts/new", data={"title": "  新的 通知 ", "doc_type": "通知", "due_date": "2030-01-31"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/edit")
    with db.session() as session:
        draft = session.query(Draft).one()
        assert draft.title == "新的 通知" and str(draft.due_date) == "2030-01-31" and draft.pair is not None
    page = _body(client.get(f"/drafts/{draft.id}"))
    assert "还没有内容" in page and "开始撰写" in page


@pytest.mark.parametrize("data,message", [
    ({"title": ""}, "请填写文稿标题"),
    ({"title": "标题", "due_date": "2024-13-40"}, "日期格式不正确"),
])
def test_new_draft_errors_keep_the_form(login, office, data, message):
    response = login("zhangxy").post("/drafts/new", data={**data, "assignment": "保留这段任务要求"})
    assert response.status_code == 400 and message in _body(response) and "保留这段任务要求" in _body(response)


def test_mentor_may_create_a_draft_for_a_junior(db, office, login):
    client = login("lils")
    page = _body(client.get("/drafts/new"))
    assert "张晓宇（我指导的学员）" in page and "赵婷" not in page
    response = client.post("/drafts/new", data={"title": "布置的任务", "owner_id": str(office.ids["junior"]),
                                                "assignment": "写一篇信息", "text": "正文第一稿。"})
    assert response.status_code == 302
    with db.session() as session:
        assert session.query(Draft).one().owner_id == office.ids["junior"]
    refused = client.post("/drafts/new", data={"title": "越权", "owner_id": str(office.ids["outsider"])})
    assert refused.status_code == 400


def test_save_makes_a_new_version(db, login, draft_id):
    client = login("zhangxy")
    page = _body(client.get(f"/drafts/{draft_id}/edit"))
    assert 'name="base" value="1"' in page and "写明值班要求" in page and "&lt;b&gt;成效" in page
    response = client.post(f"/drafts/{draft_id}/edit", data={"text": TEXT + "一、补充。\n", "base": "1",
                                                             "note": "补一段"})
    assert response.status_code == 302 and "saved=2" in response.headers["Location"]
    assert "已保存为第2稿" in _body(client.get(response.headers["Location"]))
    same = client.post(f"/drafts/{draft_id}/edit", data={"text": TEXT + "一、补充。\n", "base": "2"})
    assert "没有生成新版本" in _body(client.get(same.headers["Location"]))


def test_stale_save_is_refused_and_the_typed_text_comes_back(db, login, draft_id):
    tab_a, tab_b = login("zhangxy"), login("zhangxy")
    assert tab_a.post(f"/drafts/{draft_id}/edit", data={"text": TEXT + "甲的修改。\n", "base": "1"}).status_code == 302
    response = tab_b.post(f"/drafts/{draft_id}/edit", data={"text": TEXT + "乙辛苦写的一大段。\n", "base": "1"})
    page = _body(response)
    assert response.status_code == 409
    assert "保存未成功" in page and "第2稿" in page and "乙辛苦写的一大段。" in page
    assert 'name="base" value="2"' in page  # saving again puts the text on top of the newest version
    assert "<ins>乙辛苦写的一大段。</ins>" in page and "<del>甲的修改。</del>" in page
    with db.session() as session:
        assert session.get(Draft, draft_id).version_count == 2


def test_empty_save_is_refused_without_changes(db, login, draft_id):
    response = login("zhangxy").post(f"/drafts/{draft_id}/edit", data={"text": " \n\u3000", "base": "1"})
    assert response.status_code == 400 and "正文为空" in _body(response)
    with db.session() as session:
        assert session.get(Draft, draft_id).version_count == 1


def test_expired_form_keeps_the_text(app, db, login, draft_id):
    from drafter.store.models import User
    from drafter.web.auth import log_in

    plain = FlaskClient(app, app.response_class, use_cookies=True)
    with db.session() as session:
        user = session.query(User).filter_by(username="zhangxy").one()
    with plain.session_transaction() as flask_session:
        log_in(flask_session, user)
    response = plain.post(f"/drafts/{draft_id}/edit", data={"text": "没有令牌也不能丢的文字。", "base": "1"})
    assert response.status_code == 400 and "没有令牌也不能丢的文字。" in _body(response) and "页面已过期" in _body(response)


def test_upload_docx_as_a_version(db, login, draft_id):
    from drafter.docio import write_docx

    buffer = io.BytesIO()
    write_docx(TEXT + "三、从Word上传。\n", buffer)
    client = login("zhangxy")
    response = client.post(f"/drafts/{draft_id}/upload", content_type="multipart/form-data",
                           data={"base": "1", "file": (io.BytesIO(buffer.getvalue()), "通知.docx")})
    assert response.status_code == 302
    with db.session() as session:
        version = session.get(Draft, draft_id).latest_version
        assert version.number == 2 and "从Word上传" in version.text and version.filename == "通知.docx"


@pytest.mark.parametrize("content,name,message", [
    (b"PK\x03\x04garbage", "fake.docx", "不是真正的 Word"),
    (b"", "empty.txt", "为空"),
    (b"\x00\x01\x02binary", "x.txt", "二进制"),
])
def test_bad_uploads_change_nothing(db, login, draft_id, content, name, message):
    client = login("zhangxy")
    response = client.post(f"/drafts/{draft_id}/upload", content_type="multipart/form-data",
                           data={"base": "1", "file": (io.BytesIO(content), name)})
    assert response.status_code == 302
    assert message in _body(client.get(response.headers["Location"]))
    with db.session() as session:
        assert session.get(Draft, draft_id).version_count == 1


def _zip_bomb() -> bytes:
    """A .docx-named zip whose document part unpacks to 40 MB (about 40 KB packed)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (40 * 1024 * 1024) + b"</w:document>")
    return buffer.getvalue()


@pytest.mark.parametrize("content,name,message", [
    (_zip_bomb(), "工作总结.docx", "疑似压缩炸弹"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40, "截图.txt", "二进制"),
    ("Café crème brûlée, déjà vu à la française.".encode("latin-1") * 20, "西文.txt", "无法识别文件编码"),
    (b"\xff\xfe\x00\xd8", "坏的UTF-16.txt", "无法解码"),
    (bytes([0xE9, 0x20, 0xC3, 0x28, 0xA0, 0xA1, 0xF0, 0x28, 0x8C, 0xBC]) * 50, "乱码.txt", "无法识别文件编码"),
])
def test_hostile_uploads_are_refused_with_a_clear_message(db, login, draft_id, content, name, message):
    client = login("zhangxy")
    response = client.post(f"/drafts/{draft_id}/upload", content_type="multipart/form-data",
                           data={"base": "1", "file": (io.BytesIO(content), name)})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/drafts/{draft_id}/edit")
    page = _body(client.get(response.headers["Location"]))
    assert message in page and "上传失败" in page and "文稿没有任何改动" in page
    with db.session() as session:
        assert session.get(Draft, draft_id).version_count == 1


def test_a_50_mb_upload_is_refused_before_it_is_read(db, login, draft_id):
    client = login("zhangxy")
    boundary, body = encode_multipart({"base": "1", "file": FileStorage(io.BytesIO(b"a" * (50 * 1024 * 1024)),
                                                                        "big.txt")})
    response = client.post(f"/drafts/{draft_id}/upload", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413 and "单个文件不能超过 20 MB" in _body(response)
    with db.session() as session:
        assert session.get(Draft, draft_id).version_count == 1


def _client_for(app, db, username):  # type: ignore[no-untyped-def]
    from drafter.store.models import User
    from drafter.web.auth import log_in

    client = app.test_client()
    with db.session() as session:
        user = session.query(User).filter_by(username=username).one()
    with client.session_transaction() as flask_session:
        log_in(flask_session, user)
    return client


@pytest.mark.parametrize("size_mb,status", [(1.5, 302), (2.5, 413)])
def test_upload_over_the_limit_is_refused(db, office, draft_id, size_mb, status):
    """Over the limit: refused by the reader (up to 1 MB over) or by the request size cap (413)."""
    from conftest import CsrfClient

    settings = Settings(db_url=db.url, secret_key="test-secret", upload_limit_mb=1)
    app = create_app({"SETTINGS": settings, "DATABASE": db, "TESTING": True})
    app.test_client_class = CsrfClient
    client = _client_for(app, db, "zhangxy")
    data = ("文" * int(size_mb * 1024 * 1024 / 3)).encode()
    # encoded up front: a request body the app refuses unread must not be a temporary file left open
    boundary, body = encode_multipart({"base": "1", "file": FileStorage(io.BytesIO(data), "big.txt")})
    response = client.post(f"/drafts/{draft_id}/upload", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == status
    page = _body(response) if status == 413 else _body(client.get(response.headers["Location"]))
    assert "过大" in page and "1 MB" in page
    with db.session() as session:
        assert session.get(Draft, draft_id).version_count == 1


def test_version_page_shows_the_analysis_panel(db, office, login, draft_id, fake_checker, write):
    import_paths(db, [write("old.txt", "关于做好值班工作的旧通知\n正文。\n")], DocumentMeta())
    client = login("zhangxy")
    # the page does not wait for the checks: the text at once, the analysis fetched by the page's script
    first = _body(client.get(f"/drafts/{draft_id}"))
    assert fake_checker.requests == [] and "&lt;b&gt;成效&lt;/b&gt;" in first and "正在检查本稿" in first
    assert f'data-analysis-url="/drafts/{draft_id}/versions/1/analysis"' in first and "hl-finding" not in first
    answer = client.get(f"/drafts/{draft_id}/versions/1/analysis", headers={"Accept": "application/json"}).get_json()
    assert len(fake_checker.requests) == 1
    assert answer["counts"] == {"findings": 3, "errors": 2, "similar": 1, "reuse": 1}
    assert "hl-finding sev-warning" in answer["paper"] and "&lt;b&gt;成效&lt;/b&gt;" in answer["paper"]
    assert "“二、”之前缺少“一、”" in answer["checks"] and "87%" in answer["similar"] and "第1稿" in answer["progress"]
    # from now on the page shows the cached analysis itself
    page = _body(client.get(f"/drafts/{draft_id}"))
    assert len(fake_checker.requests) == 1 and "data-analysis-url" not in page and "正在检查本稿" not in page
    # the text, escaped, with findings marked where they are
    assert "&lt;b&gt;成效&lt;/b&gt;" in page and "<b>成效</b>" not in page
    assert re.search(r'<span class="hl (?:hd )?hl-finding sev-warning" id="f-\d+" data-finding="\d+">大幅</span>', page)
    assert 'class="pin error"' in page  # the zero-width finding before 二、
    # grouped by family, each with message and suggestion
    for text in ("结构层次", "标点与数字规范", "wording", "“二、”之前缺少“一、”", "中文里用了半角逗号", "建议：改为全角逗号“，”"):
        assert text in page
    assert "错误 2" in page and "警告 1" in page
    # metrics, reuse and similar material
    assert "套话密度" in page and "25.0%" in page
    with db.session() as session:
        archive_id = session.query(Document).filter_by(kind="archive").one().id
    assert "文字复制比" in page and "50.0%" in page and f'href="/documents/{archive_id}"' in page
    assert "相似材料" in page and "87%" in page and "关于做好值班工作的旧通知" in page
    # counts per version
    assert "各稿检查情况" in page and "第1稿" in page


def test_progress_counts_per_version(db, office, login, draft_id, fake_checker):
    client = login("zhangxy")
    client.post(f"/drafts/{draft_id}/edit", data={"text": "通知\n一、总则\n二、办文数量增长18.6%。\n", "base": "1"})
    page = _body(client.get(f"/drafts/{draft_id}/versions/2?checks=now"))  # without the page's script
    rows = re.findall(r'第(\d)稿</a></td>.*?sev-text-error">(\d+)<.*?sev-text-warning">(\d+)<', page, re.S)
    assert rows == [("2", "0", "0"), ("1", "2", "1")]


def test_reuse_of_a_draft_the_viewer_may_not_see_is_not_revealed(db, office, login, draft_id, fake_checker):
    with db.session() as session:
        create_draft(session, office.user(session, "outsider"), "信息科的秘密稿", text="关于做好某事\n内容。\n")
    with db.session() as session:  # make the outsider's draft the only other document the fake check finds
        page = _body(login("zhangxy").get(f"/drafts/{draft_id}/versions/1?checks=now"))
    assert "信息科的秘密稿" not in page and "其他撰稿人的文稿（无权查看）" in page


def test_no_checks_yet(db, office, login, draft_id, monkeypatch):
    from drafter.services import checks

    monkeypatch.setattr(checks, "_checkers", [])
    page = _body(login("zhangxy").get(f"/drafts/{draft_id}"))
    assert "尚未启用自动检查项" in page


def test_download_docx_in_office_layout(login, draft_id):
    response = login("zhangxy").get(f"/drafts/{draft_id}/versions/1/export.docx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert read_bytes(response.data, "x.docx").text.rstrip("\n") == TEXT.rstrip("\n")


def test_compare_inline_and_side_by_side(login, draft_id):
    client = login("zhangxy")
    client.post(f"/drafts/{draft_id}/edit", data={"text": TEXT.replace("大幅增长", "同比增长18.6%"), "base": "1"})
    inline = _body(client.get(f"/drafts/{draft_id}/compare?a=1&b=2"))
    assert "<del>大幅</del><ins>同比</ins>" in inline and "新增" in inline and "改动 1 段" in inline
    side = _body(client.get(f"/drafts/{draft_id}/compare?a=1&b=2&mode=side"))
    assert 'class="diff-old"' in side and "<del>大幅</del>" in side and "<ins>同比</ins>" in side
    assert client.get(f"/drafts/{draft_id}/compare?a=1&b=7").status_code == 404


def test_similar_panel_hook_in_the_editor(db, office, draft_id, login):
    assert 'data-endpoint=""' in _body(login("zhangxy").get(f"/drafts/{draft_id}/edit"))
    similar = Blueprint("similar", __name__)

    @similar.post("/similar/panel")
    def panel():  # type: ignore[no-untyped-def]
        return jsonify(items=[])

    app = create_app({"SETTINGS": Settings(db_url=db.url, secret_key="test-secret"), "DATABASE": db})
    app.register_blueprint(similar)
    page = _body(_client_for(app, db, "zhangxy").get(f"/drafts/{draft_id}/edit"))
    assert 'data-endpoint="/similar/panel"' in page and 'data-draft="' in page


def test_draft_lists_open_on_what_the_user_works_on(db, office, login, draft_id):
    assert "我的文稿" in _body(login("zhangxy").get("/drafts/")) and "关于做好值班工作的通知" in _body(
        login("zhangxy").get("/drafts/"))
    mentor_page = _body(login("lils").get("/drafts/"))
    assert '<h1>学员文稿</h1>' in mentor_page and "关于做好值班工作的通知" in mentor_page
    admin_page = _body(login("wangzr").get("/drafts/"))
    assert '<h1>全部可见文稿</h1>' in admin_page and "关于做好值班工作的通知" in admin_page
    assert "还没有文稿" in _body(login("wangzr").get("/drafts/?scope=mine"))
    assert "关于做好值班工作的通知" not in _body(login("zhaot").get("/drafts/?scope=all"))
