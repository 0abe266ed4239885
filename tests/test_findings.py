"""Tests for drafter.analysis.findings."""

import pytest

from drafter.analysis.findings import Finding, Severity, sort_findings


def test_finding_to_dict_has_excerpt():
    text = "一、甲\n三、乙"
    finding = Finding("structure.numbering-gap", "error", 4, 6, "“三、”之前缺少“二、”", "改为“二、”")
    data = finding.to_dict(text)
    assert data["excerpt"] == "三、" == text[data["start"]:data["end"]]
    assert data["severity"] == "error" and finding.severity is Severity.ERROR
    assert finding.family == "structure"


@pytest.mark.parametrize("rule,start,end", [("nodot", 0, 1), ("a.b", 3, 1), ("a.b", -1, 2)])
def test_invalid_findings_rejected(rule, start, end):
    with pytest.raises(ValueError):
        Finding(rule, Severity.INFO, start, end, "x")


def test_with_severity_and_sorting():
    a = Finding("b.x", Severity.ERROR, 5, 6, "m")
    b = Finding("a.x", Severity.INFO, 1, 2, "m")
    assert a.with_severity("info").severity is Severity.INFO
    assert sort_findings([a, b]) == [b, a]
    assert Severity.WARNING.label == "警告"
