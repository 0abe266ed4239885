"""Tests for drafter.services.checks.structure (the registered structure check)."""

from drafter.services.checks import CHECK_MODULES, CheckRequest, RuleSettings, checkers, run_checks

TEXT = "关于做好值班工作的通知\n\n一、值班安排\n（一）领导带班\n（二）干部值守\n三、工作要求\n一是保持通信畅通，三是及时报告。\n"


def test_registered_without_archive():
    assert "drafter.services.checks.structure" in CHECK_MODULES
    checker = next(c for c in checkers() if c.name == "structure")
    assert checker.needs_archive is False


def test_fills_outline_findings_and_metrics():
    report = run_checks(CheckRequest(text=TEXT))
    assert [node["marker"] for node in report.outline] == ["一、", "三、"]
    assert report.outline[0]["children"][1]["title"] == "干部值守"
    rules = {f.rule for f in report.findings}
    assert {"structure.numbering-gap", "structure.sequence-gap"} <= rules
    assert report.metrics["headings"] == 4 and report.has_errors


def test_rule_settings_switch_off_and_relevel():
    rules = RuleSettings.build({"structure.numbering-gap": "warning", "structure.sequence-gap": "off"})
    report = run_checks(CheckRequest(text=TEXT), rules)
    gap = [f for f in report.findings if f.rule == "structure.numbering-gap"]
    assert gap and all(f.severity.value == "warning" for f in gap)
    assert not any(f.rule == "structure.sequence-gap" for f in report.findings)
    assert not report.has_errors


def test_office_option_for_long_paragraphs():
    text = "加强作风建设，提高工作效能。" * 12 + "\n"
    plain = run_checks(CheckRequest(text=text))
    strict = run_checks(CheckRequest(text=text, options={"structure": {"long_paragraph_chars": 100}}))
    assert not any(f.rule == "structure.long-paragraph" for f in plain.findings)
    assert any(f.rule == "structure.long-paragraph" for f in strict.findings)
