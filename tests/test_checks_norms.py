"""Tests for drafter.services.checks.norms (the registered norms check)."""

from drafter.services.checks import CHECK_MODULES, CheckRequest, RuleSettings, checkers, run_checks


def test_registered_without_archive():
    assert "drafter.services.checks.norms" in CHECK_MODULES
    assert next(c for c in checkers() if c.name == "norms").needs_archive is False


def test_reports_norms_findings_in_order():
    text = "我们要加强学习,提高本领。\n要坚持\"两个确保\"。\n"
    report = run_checks(CheckRequest(text=text))
    norms = [f for f in report.findings if f.family == "norms"]
    assert [f.rule for f in norms] == ["norms.halfwidth-punct", "norms.ascii-quote", "norms.ascii-quote"]
    assert norms == sorted(norms, key=lambda f: f.start)


def test_family_switched_off():
    report = run_checks(CheckRequest(text="加强学习,提高本领。"), RuleSettings.build({"norms": "off"}))
    assert not any(f.family == "norms" for f in report.findings)
