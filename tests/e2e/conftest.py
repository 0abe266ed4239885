"""Browser tests: a real ``drafter serve`` on a free port, a temporary SQLite database seeded with the demo
office, and Debian's chromium driven by Playwright (never a downloaded browser).

Every test walks through named steps (``step("…")``); when a step fails, every open page is saved as a
screenshot under ``tests/e2e/failures/`` (or ``$DRAFTER_E2E_FAILURES``), named after the test, the step and
the user, and the folder is printed at the end of the run. The tests run once, on SQLite: under a
PostgreSQL run (``DRAFTER_TEST_DB`` set) they are not collected.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve_support import Server

FAILURES = Path(os.environ.get("DRAFTER_E2E_FAILURES", Path(__file__).resolve().parent / "failures"))
CHROMIUM = os.environ.get("DRAFTER_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "E2e-password-2026"
#: How long one step may wait for the page (the first check of a draft loads the dictionary and the model).
TIMEOUT_MS = 30_000

collect_ignore_glob = ["test_*.py"] if os.environ.get("DRAFTER_TEST_DB") else []


class DemoServer(Server):
    """``drafter serve`` (development server) on 127.0.0.1 with the demo office seeded in a SQLite file."""

    def __init__(self, folder: Path) -> None:
        from drafter.services.demo import seed_demo
        from drafter.store.db import open_database

        db_url = f"sqlite:///{folder / 'e2e.db'}"
        db = open_database(db_url)
        seed_demo(db)
        self._known_passwords(db)
        db.dispose()
        super().__init__(db_url, folder / "server.log", production=False)

    @staticmethod
    def _known_passwords(db) -> None:  # type: ignore[no-untyped-def]
        """The demo accounts get random passwords; the tests log in with one they know."""
        from sqlalchemy import select

        from drafter.services.accounts import set_password
        from drafter.store.models import User

        with db.session() as session:
            for user in session.scalars(select(User)):
                set_password(user, PASSWORD)
            session.commit()


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[DemoServer]:
    """The demo office served for the whole browser session."""
    if FAILURES.exists() and not os.environ.get("DRAFTER_E2E_FAILURES"):
        shutil.rmtree(FAILURES)  # screenshots of an earlier run would be mistaken for this run's
    running = DemoServer(tmp_path_factory.mktemp("e2e"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def chromium():  # type: ignore[no-untyped-def]
    """Debian's chromium, headless."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/setup installs Debian's chromium (scripts/apt-packages.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


class Session:
    """One user in their own browser context, logged in through the login page."""

    def __init__(self, browser, server: DemoServer, username: str) -> None:  # type: ignore[no-untyped-def]
        self.username = username
        self.server = server
        self.context = browser.new_context(base_url=server.url, locale="zh-CN", viewport={"width": 1400,
                                                                                             "height": 900})
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.page.on("dialog", lambda dialog: dialog.accept())  # the "确定提交吗？" confirmations

    def log_in(self) -> Session:
        """Fill in the login form as a user would."""
        page = self.page
        page.goto("/login")
        page.get_by_label("用户名").fill(self.username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(re.compile(r"^(?!.*/login).*$"))
        return self


@pytest.fixture
def browse(request, chromium, server):  # type: ignore[no-untyped-def]
    """``browse("zhangxy")`` opens a logged-in browser session for a demo user; closed after the test (its
    pages are screenshotted first when the test failed)."""
    sessions: list[Session] = []
    request.node.e2e_sessions = sessions

    def _open(username: str) -> Session:
        session = Session(chromium, server, username).log_in()
        sessions.append(session)
        return session

    yield _open
    for session in sessions:
        session.context.close()


@pytest.fixture
def step(request):  # type: ignore[no-untyped-def]
    """``with step("导师退回"):`` names what the test is doing, for the failure screenshots."""

    @contextlib.contextmanager
    def _step(name: str) -> Iterator[None]:
        request.node.e2e_step = name
        yield

    return _step


def _slug(text: str) -> str:
    return re.sub(r"[^\w\u4e00-\u9fff-]+", "_", text).strip("_")[:80]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    """Screenshot every open page of a failing test, named after the step it failed in."""
    report = yield
    if report.when == "call" and report.failed:
        FAILURES.mkdir(parents=True, exist_ok=True)
        where = _slug(f"{item.name}--{getattr(item, 'e2e_step', 'start')}")
        saved = []
        for session in getattr(item, "e2e_sessions", []):
            for i, page in enumerate(session.context.pages):
                path = FAILURES / f"{where}--{session.username}{'-' + str(i) if i else ''}.png"
                with contextlib.suppress(Exception):  # a crashed page cannot be photographed
                    page.screenshot(path=str(path), full_page=True)
                    saved.append(path)
        item.config.stash.setdefault(_SHOTS, []).extend(saved)
        report.sections.append(("e2e screenshots", "\n".join(map(str, saved)) or "(none)"))
    return report


_SHOTS = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # type: ignore[no-untyped-def]
    """Say where the screenshots of failing steps are."""
    shots = config.stash.get(_SHOTS, [])
    if shots:
        terminalreporter.write_line(f"e2e: {len(shots)} screenshot(s) of failing steps in {FAILURES}")
