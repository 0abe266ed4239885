"""Shared helpers of the typo-check tests: the real resources, or a clear skip / CI failure without them."""

from __future__ import annotations

import os

import pytest

from drafter.analysis.typos import TypoDetector


def real_detector() -> TypoDetector:
    """The detector with the installed language model and confusion tables.

    Without them the test is skipped on a developer machine and fails in CI (``CI=true``): CI installs
    ``libime-data-language-model`` and the data wheels through ``scripts/setup``.
    """
    from drafter.services.checks.typos import load_check

    loaded = load_check({})
    if loaded.unavailable:
        message = f"typo resources missing: {loaded.unavailable} (run ./scripts/setup as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return loaded.detector
