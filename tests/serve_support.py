"""Running the real production server (``drafter serve --production``) for tests, and talking to it over HTTP.

As a script it runs the ``drafter`` command, optionally with a pause injected into every save *after* the new
version and its document are written but *before* the transaction commits, so a test can kill the server at
exactly that moment:

    python tests/serve_support.py --pause-saves /tmp/marker -- serve --production --db URL ...
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A production server process (its own process group) on 127.0.0.1; ``production=False`` runs the
    development server (``drafter serve``) instead."""

    def __init__(self, db_url: str, log: Path, *, workers: int = 1, threads: int = 2, env: dict | None = None,
                 pause_saves: Path | None = None, production: bool = True) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [sys.executable, str(Path(__file__).resolve())]
        if pause_saves is not None:
            command += ["--pause-saves", str(pause_saves)]
        command += ["--", "serve", "--db", db_url, "--port", str(self.port), "--no-worker"]
        if production:
            command += ["--production", "--workers", str(workers), "--threads", str(threads), "--no-warm-up"]
        else:
            workers = 0  # one process, no "工作进程已就绪" line
        environ = dict(os.environ, DRAFTER_SECRET_KEY="serve-support-secret-0123456789",
                       DRAFTER_INSTANCE=str(log.parent / "instance"), **(env or {}))
        environ.pop("DRAFTER_DB", None)
        self._output = log.open("w")
        self.process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=self._output,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_until_up(workers)

    def _wait_until_up(self, workers: int) -> None:
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')[-2000:]}")
            try:
                ready = self.log.read_text(errors="replace").count("工作进程已就绪") >= workers
                if ready and httpx.get(self.url + "/login", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def kill(self) -> None:
        """SIGKILL the whole server (master, workers and check helpers): no clean-up of any kind."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)
        self._output.close()

    def stop(self) -> None:
        """A graceful stop (SIGTERM)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self._output.close()


@contextlib.contextmanager
def logged_in(server: Server, username: str, password: str) -> Iterator:
    """An httpx client logged in through the login form, closed afterwards."""
    import httpx

    with httpx.Client(base_url=server.url, timeout=60) as client:
        token = CSRF.search(client.get("/login").text).group(1)
        answer = client.post("/login", data={"csrf_token": token, "username": username, "password": password})
        assert answer.status_code == 302, answer.text[:500]
        yield client


def csrf_of(page: str) -> str:
    """The CSRF token of a page's forms."""
    return CSRF.search(page).group(1)


def _pause_saves(marker: Path) -> None:
    """Make every save stop just before its commit: write ``marker`` and sleep until killed."""
    from drafter.services import audit

    original = audit.record

    def record(session, actor, action, *args, **kwargs):  # type: ignore[no-untyped-def]
        entry = original(session, actor, action, *args, **kwargs)
        if action in ("save", "upload"):
            session.flush()  # the version, its document and the index rows are in the transaction now
            marker.write_text(str(os.getpid()))
            time.sleep(600)
        return entry

    audit.record = record


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--pause-saves"]:
        _pause_saves(Path(args[1]))
        args = args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    sys.path.insert(0, str(ROOT))
    from drafter.cli import main

    main(args, prog_name="drafter")
