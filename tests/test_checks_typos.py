"""drafter.services.checks.typos: the checker in ``drafter check``, its configuration and the archive veto."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafter.cli import main
from drafter.services.archive import import_paths
from drafter.services.checks import CheckRequest, run_checks
from drafter.services.checks import typos as typo_check
from tests.typo_support import real_detector

TYPO = "全市大力培育发展大数局产业，其它工作同步推进。"


@pytest.fixture(scope="module", autouse=True)
def resources_present():
    real_detector()


def rules_of(report) -> list[tuple[str, str]]:
    return [(f.rule, report.text[f.start:f.end]) for f in report.findings]


def test_checker_is_registered_and_reports_typos():
    report = run_checks(CheckRequest(text=TYPO))
    assert ("typo.char", "局") in rules_of(report)
    assert ("typo.confusable", "其它") in rules_of(report)
    assert report.has_errors


def test_missing_language_model_gives_one_clear_note(tmp_path: Path):
    options = {"typos": {"lm_path": str(tmp_path / "none" / "zh_CN.lm")}}
    report = run_checks(CheckRequest(text=TYPO, options=options))
    notes = [f for f in report.findings if f.rule == "typo.unavailable"]
    assert len(notes) == 1
    assert notes[0].severity.value == "info" and notes[0].start == notes[0].end == 0
    assert "错别字检查未能运行" in notes[0].message and "libime-data-language-model" in notes[0].message
    # the confusable list needs no language model and still runs
    assert ("typo.confusable", "其它") in rules_of(report)
    assert not any(rule == "typo.char" for rule, _ in rules_of(report))


def test_office_rules_folder_extends_the_allowlist(tmp_path: Path):
    (tmp_path / "typos-allowlist.yaml").write_text("terms:\n  - 大数局\n", encoding="utf-8")
    report = run_checks(CheckRequest(text=TYPO, options={"typos": {"rules_dir": str(tmp_path)}}))
    assert not any(rule == "typo.char" for rule, _ in rules_of(report))


def test_compiled_data_is_cached(tmp_path: Path):
    cache = tmp_path / "cache"
    first = typo_check.load_check({"typos": {"cache_dir": str(cache)}})
    files = list(cache.glob("typos-*.marshal"))
    assert len(files) == 1 and files[0].stat().st_size > 1_000_000
    typo_check._cache.clear()
    second = typo_check.load_check({"typos": {"cache_dir": str(cache)}})
    assert second is not first
    assert second.detector.check(TYPO)[0].suggestion == first.detector.check(TYPO)[0].suggestion
    files[0].write_bytes(b"garbage")  # a damaged cache is rebuilt, not trusted
    typo_check._cache.clear()
    third = typo_check.load_check({"typos": {"cache_dir": str(cache)}})
    assert third.unavailable is None and files[0].stat().st_size > 1_000_000


@pytest.mark.parametrize(("options", "fragment"), [
    ({"typos": "yes"}, "必须是表"),
    ({"typos": {"protect": "大数局"}}, "protect"),
    ({"typos": {"error_margin": "高"}}, "error_margin"),
])
def test_bad_configuration_is_reported_and_other_checks_go_on(options, fragment):
    report = run_checks(CheckRequest(text=TYPO, options=options))
    notes = [f for f in report.findings if f.rule == "typo.unavailable"]
    assert len(notes) == 1 and fragment in notes[0].message


def test_broken_office_lexicon_is_named(tmp_path: Path):
    (tmp_path / "typos-confusables.yaml").write_text("rules: [\n", encoding="utf-8")
    report = run_checks(CheckRequest(text=TYPO, options={"typos": {"rules_dir": str(tmp_path)}}))
    notes = [f for f in report.findings if f.rule == "typo.unavailable"]
    assert len(notes) == 1 and "typos-confusables.yaml" in notes[0].message


def test_archive_terms_are_established(db, write):
    write("arch/a.txt", "江澜大数局负责全市数据资源统筹。\n")
    folder = write("arch/b.txt", "请大数局牵头制定实施方案。\n").parent
    import_paths(db, [folder])
    with_archive = run_checks(CheckRequest(text=TYPO, archive=db))
    assert not any(rule == "typo.char" for rule, _ in rules_of(with_archive))
    without = run_checks(CheckRequest(text=TYPO))
    assert ("typo.char", "局") in rules_of(without)


def test_drafter_check_json(runner, write):
    path = write("draft.txt", "关于加强文稿工作的通知\n\n各处室要及时排查各类安全阴患。\n")
    result = runner.invoke(main, ["check", "--format", "json", str(path)])
    payload = json.loads(result.output)
    typo = [f for f in payload["findings"] if f["rule"] == "typo.char"]
    assert typo and typo[0]["excerpt"] == "阴" and typo[0]["suggestion"] == "隐"
    assert result.exit_code == 1
    quiet = runner.invoke(main, ["check", "--format", "json", "--disable", "typo", str(path)])
    assert not [f for f in json.loads(quiet.output)["findings"] if f["rule"].startswith("typo.")]


def test_drafter_check_without_model(runner, write, tmp_path, monkeypatch):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "drafter.toml").write_text(f'[typos]\nlm_path = "{tmp_path / "missing.lm"}"\n', encoding="utf-8")
    monkeypatch.setenv("DRAFTER_INSTANCE", str(instance))
    path = write("draft.txt", "各处室要及时排查各类安全阴患。\n")
    result = runner.invoke(main, ["check", str(path)])
    assert "typo.unavailable" in result.output and "错别字检查未能运行" in result.output
