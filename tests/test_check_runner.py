"""Tests for drafter.services.check_runner: the checks in a separate, lower-priority helper process give the
same report as in the request, and a check that takes too long is abandoned with a Chinese message."""

from __future__ import annotations

import dataclasses

import pytest

from drafter.services.archive import DocumentMeta, import_paths
from drafter.services.check_runner import CheckRunner, CheckUnavailable, RunnerOptions
from drafter.services.checks import CheckRequest, RuleSettings, run_checks

DRAFT = """关于做好值班工作的通知
各科室：
一、高度重视值班工作,严格执行值班制度。
三、及时报送信息。
"""


@pytest.fixture
def runner(db):
    runner = CheckRunner(db.url, RunnerOptions(processes=1, niceness=5, timeout=120))
    yield runner
    runner.close()


def test_helper_gives_the_same_report_as_the_request(db, runner, write, sample_text):
    import_paths(db, [write("archive.txt", sample_text)], DocumentMeta())
    request = CheckRequest(text=DRAFT + sample_text, name="草稿", archive=db, author="张晓宇",
                           options={"checks": {}})
    expected = run_checks(request, RuleSettings.build({"formulaic": "off"})).to_json()
    report = runner.run(request, {"formulaic": "off"})
    assert report == expected
    rules = {f["rule"] for f in report["findings"]}
    assert {"structure.numbering-gap", "norms.halfwidth-punct"} <= rules and report["reuse"]["copy_ratio"] > 0.3
    assert not any(r.startswith("formulaic") for r in rules)


def test_helper_runs_at_a_lower_priority(runner):
    import os

    runner.start()
    helper = runner._get_pool().apply(os.getpriority, (os.PRIO_PROCESS, 0))  # asked inside the helper
    assert helper >= os.getpriority(os.PRIO_PROCESS, 0) + 5 or helper == 19


def test_a_check_that_takes_too_long_is_abandoned(db, runner):
    runner.options = dataclasses.replace(runner.options, timeout=0.01)  # not even time to start the helper
    with pytest.raises(CheckUnavailable, match="检查用时超过"):
        runner.run(CheckRequest(text=DRAFT, archive=db), {})
    runner.options = dataclasses.replace(runner.options, timeout=120)
    assert runner.run(CheckRequest(text=DRAFT, archive=None), {})["chars"] == len(DRAFT)  # a fresh helper


def test_options_from_drafter_toml():
    assert RunnerOptions.from_settings(None) == RunnerOptions()
    assert RunnerOptions.from_settings({"processes": 2, "niceness": 40, "timeout": 30}) == RunnerOptions(2, 19, 30.0)
    assert RunnerOptions.from_settings({"processes": "many"}) == RunnerOptions()
