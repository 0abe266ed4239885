"""Tests for drafter.web (app factory) and drafter.web.archive pages."""

import pytest

from drafter.config import Settings
from drafter.services.archive import DocumentMeta, import_paths
from drafter.web import create_app


@pytest.fixture
def archive(db, write, sample_text):
    import_paths(db, [write("a.txt", sample_text)], DocumentMeta(unit="综合一科", tags=["文稿"], exemplar=True))
    import_paths(db, [write("b.txt", "2021年工作总结\n\n全年完成<script>alert(1)</script>任务。\n")])


def test_app_refuses_to_start_without_secret_key(db):
    with pytest.raises(RuntimeError, match="密钥"):
        create_app({"SETTINGS": Settings(db_url=db.url), "DATABASE": db})


def test_archive_list_and_title_search(client, archive):
    page = client.get("/").get_data(as_text=True)
    assert "共收录 2 篇" in page and "关于做好年度文稿工作的通知" in page and "精品" in page
    found = client.get("/?q=通知").get_data(as_text=True)
    assert "关于做好年度文稿工作的通知" in found and "2021年工作总结" not in found
    assert "2021年工作总结" in client.get("/?type=工作总结").get_data(as_text=True)
    assert "2021年工作总结" not in client.get("/?exemplar=1").get_data(as_text=True)


def test_empty_archive_explains_how_to_import(client):
    assert "drafter import" in client.get("/").get_data(as_text=True)


def test_document_page_escapes_text_and_offers_downloads(client, archive):
    page = client.get("/documents/2").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    response = client.get("/documents/1/export.docx")
    assert response.status_code == 200 and response.data[:2] == b"PK"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    assert client.get("/documents/1/export.txt").data.decode().startswith("关于做好")


@pytest.mark.parametrize("url", ["/documents/99", "/documents/1/export.pdf", "/nowhere"])
def test_missing_pages_are_404_in_chinese(client, archive, url):
    response = client.get(url)
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)
