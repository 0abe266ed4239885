"""Running the checks of a draft version in a separate, lower-priority process.

The checks are CPU work (the typo check's language model, the duplication alignment): a second or more for a
few thousand characters. Run in a thread of a web worker they hold Python's interpreter lock and every page
served by the same worker waits behind them. A :class:`CheckRunner` hands them to a small pool of helper
processes (one per web worker by default) that run at a lower scheduling priority, so pages and saves stay
fast while checks take whatever processor time is left. The request that asked for the check waits for its
result (nothing runs in the background); a check that takes longer than the timeout is abandoned and its
helper process replaced.

Helper processes are started with ``spawn`` (never forked from a threaded server), open their own database
connection and load the checks' resources once.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from dataclasses import dataclass
from typing import Any

from drafter.services.checks import CheckRequest


class CheckUnavailable(Exception):
    """The checks could not be run now; the message is Chinese."""


@dataclass(frozen=True)
class RunnerOptions:
    """How many helper processes, at what priority, and how long a check may take."""

    processes: int = 1
    niceness: int = 10
    timeout: float = 120.0

    @classmethod
    def from_settings(cls, table: Any) -> RunnerOptions:
        """Options from the ``[checks]`` table of drafter.toml (``processes``, ``niceness``, ``timeout``)."""
        table = table if isinstance(table, dict) else {}
        try:
            return cls(processes=max(int(table.get("processes", 1)), 1),
                       niceness=min(max(int(table.get("niceness", 10)), 0), 19),
                       timeout=max(float(table.get("timeout", 120.0)), 1.0))
        except (TypeError, ValueError):
            return cls()


class CheckRunner:
    """A pool of helper processes that run :func:`drafter.services.checks.run_checks` (thread-safe)."""

    def __init__(self, db_url: str, options: RunnerOptions | None = None) -> None:
        self.db_url = db_url
        self.options = options or RunnerOptions()
        self._pool: Any = None
        self._lock = threading.Lock()

    def start(self, warm_up_text: str | None = None, options: dict[str, Any] | None = None) -> None:
        """Start the helper processes now (and warm them up on a short text) instead of at the first check."""
        pool = self._get_pool()
        if warm_up_text:
            for _ in range(self.options.processes):
                pool.apply_async(_warm_up, (warm_up_text, options or {}))

    def _get_pool(self) -> Any:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("spawn")
                self._pool = context.Pool(self.options.processes, initializer=_start_helper,
                                          initargs=(self.db_url, self.options.niceness))
            return self._pool

    def run(self, request: CheckRequest, rules: dict[str, str]) -> dict[str, Any]:
        """The JSON report of ``request`` (its ``archive`` is this runner's database), computed in a helper."""
        job = (request.text, request.name, sorted(request.exclude_document_ids), request.draft_id, request.author,
               request.options, rules, request.archive is not None)
        pending = self._get_pool().apply_async(_check, job)
        try:
            return pending.get(self.options.timeout)
        except multiprocessing.TimeoutError as exc:
            self._replace_pool()
            raise CheckUnavailable(f"检查用时超过 {self.options.timeout:.0f} 秒，已中止。请稍后重试；"
                                   "如文稿特别长，可分段检查。") from exc

    def _replace_pool(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()

    def close(self) -> None:
        """Stop the helper processes."""
        self._replace_pool()


# ---- in the helper processes

_database: Any = None


def _start_helper(db_url: str, niceness: int) -> None:
    """Lower the helper's priority and open its database (the archive the checks compare with)."""
    global _database
    if niceness:
        try:
            os.nice(niceness)
        except OSError:
            pass
    from drafter.store.db import Database

    _database = Database(db_url)


def _warm_up(text: str, options: dict[str, Any]) -> None:
    """Load the checks' resources (a broken rule file is reported by the first real check, not here)."""
    from drafter.services.checks import CheckConfigError, RuleSettings, run_checks

    try:
        run_checks(CheckRequest(text=text, name="warm-up", options=options), RuleSettings.build({}))
    except CheckConfigError:
        pass


def _check(text: str, name: str, exclude: list[int], draft_id: int | None, author: str | None,
           options: dict[str, Any], rules: dict[str, str], with_archive: bool) -> dict[str, Any]:
    from drafter.services.checks import RuleSettings, run_checks

    request = CheckRequest(text=text, name=name, archive=_database if with_archive else None,
                           exclude_document_ids=set(exclude), draft_id=draft_id, author=author, options=options)
    return run_checks(request, RuleSettings.build(rules)).to_json()
