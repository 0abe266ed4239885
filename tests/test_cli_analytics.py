"""Tests for ``drafter analytics``: the dashboard, the error register, a writer and the archive, as JSON and text."""

import json

from analytics_support import build_history

from drafter.cli import main
from drafter.services.archive import DocumentMeta, add_document, build_document


def test_json_has_the_office_figures_the_register_and_a_writer(db, office, runner):
    build_history(db, office)
    result = runner.invoke(main, ["analytics", "--db", db.url, "--format", "json", "--quarter", "2024Q2",
                                  "--writer", "zhangxy"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["office"]["quarter"] == "2024Q2" and data["office"]["totals"]["returns"] == 1
    [entry] = data["office"]["error_register"]["entries"]
    assert (entry["title"], entry["level"], entry["categories"]) == ("关于节约用电的通知", "科长", {"格式": 1, "数据": 1})
    assert data["writer"]["drafts"] == 3 and data["writer"]["submission_to_approval"]["median_days"] == 6.5
    assert data["archive"] is None  # no archive documents: nothing to analyse


def test_text_output_computes_the_archive_once_and_reads_it_after(db, runner):
    with db.session() as session:
        for n, body in enumerate(["关于做好防汛值班工作的通知\n汛期水库巡查每日两次，水位超警立即报告。\n",
                                  "关于做好种粮补贴发放的通知\n小麦种粮补贴按耕地面积发放到农户。\n"]):
            add_document(session, build_document(body, DocumentMeta(title=f"通知{n}", year=2023 + n)))
    first = runner.invoke(main, ["analytics", "--db", db.url])
    assert first.exit_code == 0, first.output
    assert "办公室总览" in first.output and "错误文稿登记" in first.output and "2 篇档案" in first.output
    assert "主题1：" in first.output and "近似重复：0 组" in first.output
    again = runner.invoke(main, ["analytics", "--db", db.url, "--format", "json"])
    assert json.loads(again.output)["archive"]["documents"] == 2 and "分词" not in again.output


def test_bad_options_are_explained(db, runner):
    bad_quarter = runner.invoke(main, ["analytics", "--db", db.url, "--quarter", "2024Q5"])
    assert bad_quarter.exit_code == 1 and "季度格式不正确" in bad_quarter.output
    nobody = runner.invoke(main, ["analytics", "--db", db.url, "--writer", "nobody"])
    assert nobody.exit_code == 1 and "没有用户名为“nobody”的账号" in nobody.output
