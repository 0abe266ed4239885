"""Load test of the production server (results in docs/benchmarks.md, "Load test").

    python bench/load_test.py ../shared/data/gov_docs/docs --users 50 --duration 60

1. Prepares an instance once (kept as a template, copied for every run): the demo archive (corpora/demo,
   with its manifest metadata) and every document of DATA imported with ``drafter import``; MENTORS mentors
   each guiding an equal share of the writers; every writer has one draft whose first version is a real
   document of DATA of 500-5,000 characters (read at run time, never stored in the repository).
2. Starts ``drafter serve --production`` on 127.0.0.1 (a free port) with --workers / --threads.
3. Runs USERS virtual users (USERS - MENTORS writers) for DURATION seconds, started evenly over --ramp
   seconds. Every user logs in through the login form, then repeats with a think time (--think MIN MAX
   seconds) between requests: a writer opens the draft list, the draft, and with probability --save-share
   the editor, saves a new version (one paragraph changed) and opens the new version, whose page then
   fetches its analysis (the checks); otherwise a comparison of two versions or an archive title search
   and a document. A mentor opens 待我审阅, the juniors' drafts, one of them (with its analysis) and now
   and then annotates a phrase of it.
4. Prints latencies by kind of request (login, page, save, check), the errors (any status other than the
   expected one, a timeout, a refused connection, a page without its expected content), the request rate,
   the server's peak memory (all its processes) and the load average.

Only 127.0.0.1 is ever contacted. Nothing is written into the repository: the instance lives in --workdir.
``--pg ADMIN_URL`` runs the same test on PostgreSQL (databases drafter_load_tmpl / drafter_load_run).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Load-test-2024"
#: Sentences written for this benchmark; a save puts one of them (with a fresh number) into a paragraph.
EDITS = (
    "截至目前已完成{n}项具体任务，其余事项将在月底前办结。",
    "下一步将每周调度一次进度，第{n}周起由分管负责同志逐项督办。",
    "对照年初确定的{n}项目标，逐项明确责任单位和完成时限。",
    "共收集基层意见建议{n}条，已分类交有关科室研究办理。",
    "本季度组织专题培训{n}场次，参训人员覆盖全部业务科室。",
)
TITLE_QUERIES = ("通知", "意见", "办法", "规定", "报告", "工作", "管理", "关于", "实施", "方案")
#: Archive searches (/search: keyword index and, once the vectors are computed, meaning).
SEARCH_QUERIES = ("安全生产", "营商环境", "防汛值班", "乡村振兴", "督查督办", "整改落实", "优化服务",
                  "怎样让企业少跑腿", "基层减负", "应急管理", "信息报送", "疫情防控")
KINDS = ("login", "page", "save", "check")


# ---------------------------------------------------------------------------------------------- preparation

@dataclass
class Instance:
    """A prepared instance: its database URL and the users of the test."""

    db_url: str
    writers: list[dict]
    mentors: list[dict]


def prepare(workdir: Path, data: Path, writers: int, mentors: int, seed: int, pg_admin: str | None,
            embed: bool = True, checked: bool = True) -> Instance:
    """Build (or reuse) the template instance and give a fresh copy of it for this run."""
    stamp = {"data": str(data.resolve()), "writers": writers, "mentors": mentors, "seed": seed,
             "backend": "postgresql" if pg_admin else "sqlite", "embed": embed, "checked": checked, "schema": _schema_head()}
    workdir.mkdir(parents=True, exist_ok=True)
    stamp_file = workdir / "template.json"
    template_url, run_url = _urls(workdir, pg_admin)
    current = json.loads(stamp_file.read_text()) if stamp_file.exists() else None
    if current is None or current.get("stamp") != stamp:
        print("准备负载测试实例（导入档案，只做一次）……", flush=True)
        _drop(template_url, pg_admin, workdir / "template.db")
        started = time.perf_counter()
        people = _build_template(template_url, data, writers, mentors, seed, embed)
        if checked:
            check_drafts(template_url)
        stamp_file.write_text(json.dumps({"stamp": stamp, "people": people}, ensure_ascii=False))
        print(f"实例已准备好（{time.perf_counter() - started:.0f} 秒）", flush=True)
        current = json.loads(stamp_file.read_text())
    _copy_template(workdir, pg_admin)
    return Instance(run_url, current["people"]["writers"], current["people"]["mentors"])


def check_drafts(url: str) -> None:
    """Check every draft's newest version once, as the office's drafts have been when they were saved and
    opened: the test then measures an office at work, not 45 never-checked drafts opened in the same ten
    seconds (``--cold`` keeps that case)."""
    from drafter.config import Settings
    from drafter.services.draft_checks import version_report
    from drafter.store.db import open_database
    from drafter.store.workflow import Draft

    db = open_database(url)
    with db.session() as session:
        for draft in session.query(Draft).all():
            version_report(session, db, draft, draft.latest_version, Settings(db_url=url))
            session.commit()
    db.dispose()


def _schema_head() -> str:
    """The newest migration: a template made before a schema change is rebuilt."""
    versions = ROOT / "drafter" / "store" / "migrations" / "versions"
    return ",".join(sorted(p.stem for p in versions.glob("*.py")))


def _urls(workdir: Path, pg_admin: str | None) -> tuple[str, str]:
    if not pg_admin:
        return f"sqlite:///{workdir / 'template.db'}", f"sqlite:///{workdir / 'run.db'}"
    from sqlalchemy.engine import make_url

    base = make_url(pg_admin)
    return (base.set(database="drafter_load_tmpl").render_as_string(hide_password=False),
            base.set(database="drafter_load_run").render_as_string(hide_password=False))


def _pg_execute(pg_admin: str, *statements: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    engine.dispose()


def _drop(template_url: str, pg_admin: str | None, template_file: Path) -> None:
    if pg_admin:
        _pg_execute(pg_admin, "DROP DATABASE IF EXISTS drafter_load_tmpl WITH (FORCE)",
                    "CREATE DATABASE drafter_load_tmpl")
        return
    for suffix in ("", "-wal", "-shm"):
        Path(str(template_file) + suffix).unlink(missing_ok=True)


def _copy_template(workdir: Path, pg_admin: str | None) -> None:
    if pg_admin:
        _pg_execute(pg_admin, "DROP DATABASE IF EXISTS drafter_load_run WITH (FORCE)",
                    "CREATE DATABASE drafter_load_run TEMPLATE drafter_load_tmpl")
        return
    for suffix in ("", "-wal", "-shm"):
        Path(str(workdir / "run.db") + suffix).unlink(missing_ok=True)
    shutil.copyfile(workdir / "template.db", workdir / "run.db")


def _build_template(url: str, data: Path, writers: int, mentors: int, seed: int, embed: bool) -> dict:
    import datetime as dt

    from werkzeug.security import generate_password_hash

    from drafter.docio import read_path
    from drafter.services import office
    from drafter.services.demo import load_demo_archive
    from drafter.services.drafts import create_draft
    from drafter.store.db import open_database
    from drafter.store.models import Role, User

    db = open_database(url)
    load_demo_archive(db)
    db.dispose()
    # The archive is imported by the product's own command, as an office would do it.
    drafter = str(Path(sys.executable).parent / "drafter")
    subprocess.run([drafter, "import", str(data), "--db", url], check=True, stdout=subprocess.DEVNULL)
    db = open_database(url)
    files = sorted(p for p in data.rglob("*") if p.suffix in (".txt", ".md", ".docx"))
    rng = random.Random(seed)
    texts = []
    for path in rng.sample(files, len(files)):
        text = read_path(path).text
        if 500 <= len(text) <= 5000:
            texts.append((path.name, text))
        if len(texts) == writers:
            break
    password_hash = generate_password_hash(PASSWORD)  # one real hash: every login still verifies it
    people: dict[str, list[dict]] = {"writers": [], "mentors": []}
    with db.session() as session:
        admin = User(username="lt_admin", display_name="负载测试管理员", password_hash=password_hash, active=True)
        admin.roles = {Role.ADMIN}
        session.add(admin)
        mentor_users = []
        for m in range(mentors):
            user = User(username=f"lt_m{m + 1:02d}", display_name=f"指导老师{m + 1}", password_hash=password_hash,
                        unit="综合科", active=True)
            user.roles = {Role.MENTOR, Role.WRITER}
            session.add(user)
            mentor_users.append(user)
        session.flush()
        today = dt.date.today()
        for w in range(writers):
            user = User(username=f"lt_w{w + 1:02d}", display_name=f"撰稿人{w + 1}", password_hash=password_hash,
                        unit="综合科", active=True)
            user.roles = {Role.WRITER}
            session.add(user)
            session.flush()
            mentor = mentor_users[w % mentors] if mentors else None
            if mentor is not None:
                office.create_pair(session, admin, mentor, user, today - dt.timedelta(days=30))
            name, text = texts[w % len(texts)]
            draft = create_draft(session, user, f"负载测试文稿{w + 1}（据{name}）", "通知", text=text)
            people["writers"].append({"username": user.username, "draft": draft.id, "chars": len(text)})
        for user in mentor_users:
            people["mentors"].append({"username": user.username})
    db.dispose()
    if embed:  # the vectors the job worker computes after an import (and the drafts): the steady state tested
        subprocess.run([drafter, "index", "--embed", "--db", url], check=True, stdout=subprocess.DEVNULL)
    return people


# ---------------------------------------------------------------------------------------------- the server

def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db_url: str, port: int, workers: int, threads: int, log: Path,
                 niceness: int | None = None) -> subprocess.Popen:
    """``drafter serve --production`` in its own process group; returns when it answers."""
    instance = log.parent / "instance"
    instance.mkdir(exist_ok=True)
    toml = instance / "drafter.toml"
    toml.write_text(f"[checks]\nniceness = {niceness}\n" if niceness is not None else "")
    env = dict(os.environ, DRAFTER_SECRET_KEY=secrets.token_hex(32), DRAFTER_INSTANCE=str(instance))
    command = [str(Path(sys.executable).parent / "drafter"), "serve", "--production", "--db", db_url,
               "--port", str(port), "--workers", str(workers), "--threads", str(threads)]
    process = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                               start_new_session=True)
    import httpx

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"服务未能启动，见 {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=2).status_code == 200:
                # every worker answers only after its warm-up; wait until all of them are up
                if _booted_workers(log) >= workers:
                    return process
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop_server(process)
    raise SystemExit("服务启动超时")


def _booted_workers(log: Path) -> int:
    return log.read_text(errors="replace").count("工作进程已就绪")


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server (SIGTERM to its process group, which this script started)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def tree_rss_mb(root: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


# ---------------------------------------------------------------------------------------------- the users

@dataclass
class Sample:
    kind: str
    name: str
    seconds: float
    ok: bool
    detail: str = ""


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)

    def add(self, sample: Sample) -> None:
        self.samples.append(sample)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
TEXTAREA = re.compile(r'<textarea name="text" id="editor"[^>]*>(.*?)</textarea>', re.S)
BASE = re.compile(r'<input type="hidden" name="base" value="(\d+)">')
DOC_LINK = re.compile(r'href="/documents/(\d+)(?:#p\d+)?"')
DRAFT_LINK = re.compile(r'href="/drafts/(\d+)"')
ANALYSIS = re.compile(r'data-analysis-url="([^"]+)"')


class User:
    """One virtual user with its own cookies."""

    def __init__(self, base: str, username: str, results: Results, deadline: float, think: tuple[float, float],
                 rng: random.Random) -> None:
        import httpx

        # gunicorn closes a connection idle for 5 s (``keepalive``); a client that reuses one at that moment
        # gets a ReadError. Browsers retry such a request on a new connection; this client instead never
        # reuses a connection idle for 4 s or more, so the race cannot happen.
        self.client = httpx.AsyncClient(base_url=base, timeout=60, follow_redirects=False,
                                        limits=httpx.Limits(keepalive_expiry=4.0))
        self.username = username
        self.results = results
        self.deadline = deadline
        self.think_range = think
        self.rng = rng
        self.csrf = ""

    async def request(self, kind: str, name: str, method: str, url: str, expect: int = 200,
                      contains: str | None = None, **kwargs):  # type: ignore[no-untyped-def]
        import httpx

        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            self.results.add(Sample(kind, name, time.perf_counter() - started, False, f"{type(exc).__name__}: {exc}"))
            return None
        elapsed = time.perf_counter() - started
        ok = response.status_code == expect and (contains is None or contains in response.text)
        detail = "" if ok else f"HTTP {response.status_code} {url} {response.text[:200]!r}"
        self.results.add(Sample(kind, name, elapsed, ok, detail))
        if ok:
            found = CSRF.search(response.text)
            if found:
                self.csrf = found.group(1)
        return response if ok else None

    async def think(self) -> bool:
        await asyncio.sleep(self.rng.uniform(*self.think_range))
        return time.monotonic() < self.deadline

    async def login(self) -> bool:
        page = await self.request("page", "登录页", "GET", "/login")
        if page is None:
            return False
        answer = await self.request("login", "登录", "POST", "/login", expect=302,
                                    data={"csrf_token": self.csrf, "username": self.username, "password": PASSWORD})
        return answer is not None

    async def open_draft(self, draft_url: str, name: str = "文稿页") -> bool:
        """A draft's page, then its analysis when the page fetches it (the checks run there)."""
        page = await self.request("page", name, "GET", draft_url, contains='id="paper"')
        if page is None:
            return False
        analysis = ANALYSIS.search(page.text)
        if analysis:
            answer = await self.request("check", "检查结果", "GET", html.unescape(analysis.group(1)),
                                        headers={"Accept": "application/json"}, contains='"checks"')
            return answer is not None
        return True

    async def close(self) -> None:
        await self.client.aclose()


async def writer(user: User, draft_id: int, save_share: float) -> None:
    if not await user.login():
        return
    draft_url = f"/drafts/{draft_id}"
    while await user.think():
        if await user.request("page", "文稿列表", "GET", "/drafts/", contains="我的文稿") is None:
            continue
        if not await user.think():
            break
        await user.open_draft(draft_url)
        if not await user.think():
            break
        if user.rng.random() < save_share:
            editor = await user.request("page", "编辑页", "GET", f"{draft_url}/edit", contains='id="editor"')
            if editor is None or not await user.think():
                continue
            text = html.unescape(TEXTAREA.search(editor.text).group(1))
            base = BASE.search(editor.text).group(1)
            saved = await user.request("save", "保存新稿", "POST", f"{draft_url}/edit", expect=302,
                                       data={"csrf_token": user.csrf, "base": base, "text": edit(text, user.rng),
                                             "note": "负载测试修改"})
            if saved is not None:
                await user.open_draft(saved.headers["location"], "新稿页")
        elif user.rng.random() < 0.5:
            await user.request("page", "版本对比", "GET", f"{draft_url}/compare", contains="对比")
        elif user.rng.random() < 0.5:
            query = user.rng.choice(SEARCH_QUERIES)
            found = await user.request("page", "档案检索", "GET", "/search", params={"q": query}, contains="档案检索")
            links = DOC_LINK.findall(found.text) if found is not None else []
            if links and await user.think():
                await user.request("page", "档案文稿", "GET", f"/documents/{user.rng.choice(links)}")
        else:
            query = user.rng.choice(TITLE_QUERIES)
            listing = await user.request("page", "档案库按标题查找", "GET", "/", params={"q": query}, contains="档案库")
            links = DOC_LINK.findall(listing.text) if listing is not None else []
            if links and await user.think():
                await user.request("page", "档案文稿", "GET", f"/documents/{user.rng.choice(links)}")


async def mentor(user: User) -> None:
    if not await user.login():
        return
    while await user.think():
        await user.request("page", "待我审阅", "GET", "/review/", contains="待我审阅")
        if not await user.think():
            break
        listing = await user.request("page", "学员文稿", "GET", "/drafts/", params={"scope": "juniors"})
        drafts = DRAFT_LINK.findall(listing.text) if listing is not None else []
        if not drafts or not await user.think():
            continue
        draft_id = user.rng.choice(drafts)
        page = await user.request("page", "学员文稿页", "GET", f"/drafts/{draft_id}", contains='id="paper"')
        if page is None:
            continue
        analysis = ANALYSIS.search(page.text)
        if analysis:
            await user.request("check", "检查结果", "GET", html.unescape(analysis.group(1)),
                               headers={"Accept": "application/json"}, contains='"checks"')
        action = re.search(r'action="(/drafts/\d+/versions/\d+/annotations)"', page.text)
        text = TEXTAREA_PAPER.findall(page.text)
        if action and text and user.rng.random() < 0.3 and await user.think():
            quote = _unique_phrase(text, user.rng)
            if quote:
                await user.request("save", "添加批注", "POST", action.group(1), expect=302,
                                   data={"csrf_token": user.csrf, "quote": quote, "category": "wording",
                                         "comment": "这句话可以写得更具体一些，请补充数据。"})


TEXTAREA_PAPER = re.compile(r'<p class="para[^"]*"[^>]*>(.*?)</p>', re.S)
TAGS = re.compile(r"<[^>]+>")


def _unique_phrase(paragraphs: list[str], rng: random.Random) -> str | None:
    """An 8-character phrase of the shown text that occurs once (the annotation form's quote)."""
    plain = [html.unescape(TAGS.sub("", p)) for p in paragraphs]
    whole = "\n".join(plain)
    for _ in range(20):
        para = rng.choice(plain)
        if len(para) < 12:
            continue
        start = rng.randrange(0, len(para) - 8)
        phrase = para[start:start + 8]
        if phrase.strip() == phrase and whole.count(phrase) == 1:
            return phrase
    return None


def edit(text: str, rng: random.Random) -> str:
    """The text with one sentence of :data:`EDITS` added to the end of a random body paragraph."""
    paragraphs = text.split("\n")
    body = [i for i, p in enumerate(paragraphs) if len(p) > 20]
    index = rng.choice(body) if body else len(paragraphs) - 1
    paragraphs[index] = paragraphs[index] + rng.choice(EDITS).format(n=rng.randint(2, 99))
    return "\n".join(paragraphs)


async def run_users(base: str, instance: Instance, users: int, duration: float, ramp: float,
                    think: tuple[float, float], save_share: float, seed: int) -> tuple[Results, float]:
    results = Results()
    started = time.monotonic()
    deadline = started + duration
    rng = random.Random(seed)
    mentors = instance.mentors[:min(len(instance.mentors), users)]
    writers = instance.writers[:users - len(mentors)]
    tasks = []
    people = [("writer", w) for w in writers] + [("mentor", m) for m in mentors]
    rng.shuffle(people)
    for index, (role, person) in enumerate(people):
        await asyncio.sleep(max(0.0, started + ramp * index / len(people) - time.monotonic()))
        user = User(base, person["username"], results, deadline, think, random.Random(rng.random()))
        job = writer(user, person["draft"], save_share) if role == "writer" else mentor(user)
        tasks.append(asyncio.create_task(_finally_close(job, user)))
    await asyncio.gather(*tasks)
    return results, time.monotonic() - started


async def _finally_close(job, user: User) -> None:  # type: ignore[no-untyped-def]
    try:
        await job
    finally:
        await user.close()


# ---------------------------------------------------------------------------------------------- report

def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(share * len(ordered) + 0.5)) - 1))]


def report(results: Results, elapsed: float, peak_rss: float, load: tuple[float, float]) -> dict:
    rows = {}
    for kind in KINDS + ("all",):
        samples = [s for s in results.samples if kind == "all" or s.kind == kind]
        if not samples:
            continue
        times = [s.seconds * 1000 for s in samples]
        rows[kind] = {"requests": len(samples), "errors": sum(not s.ok for s in samples),
                      "median_ms": round(statistics.median(times)), "p95_ms": round(percentile(times, 0.95)),
                      "p99_ms": round(percentile(times, 0.99)), "max_ms": round(max(times))}
    by_name = {}
    for name in sorted({s.name for s in results.samples}):
        times = [s.seconds * 1000 for s in results.samples if s.name == name]
        by_name[name] = {"requests": len(times), "median_ms": round(statistics.median(times)),
                         "p95_ms": round(percentile(times, 0.95))}
    errors = [s.detail for s in results.samples if not s.ok]
    return {"elapsed_s": round(elapsed, 1), "requests_per_s": round(len(results.samples) / elapsed, 1),
            "kinds": rows, "by_page": by_name, "errors": errors[:20], "peak_rss_mb": round(peak_rss),
            "load_before": load[0], "load_after": load[1]}


def print_report(summary: dict) -> None:
    print(f"\n{summary['elapsed_s']} s, {summary['requests_per_s']} requests/s, server peak RSS "
          f"{summary['peak_rss_mb']} MB, load average {summary['load_before']:.1f} → {summary['load_after']:.1f}")
    print("| kind | requests | errors | median ms | p95 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|---|---|")
    for kind, row in summary["kinds"].items():
        print(f"| {kind} | {row['requests']} | {row['errors']} | {row['median_ms']} | {row['p95_ms']} | "
              f"{row['p99_ms']} | {row['max_ms']} |")
    print("\nby page: " + "; ".join(f"{name} {row['requests']}× median {row['median_ms']} p95 {row['p95_ms']}"
                                    for name, row in summary["by_page"].items()))
    for error in summary["errors"]:
        print("ERROR", error)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="folder of archive documents to import (../shared/data/gov_docs/docs)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--mentors", type=int, default=5, help="how many of the users are mentors")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which the users start")
    parser.add_argument("--think", type=float, nargs=2, default=(2.0, 8.0), metavar=("MIN", "MAX"))
    parser.add_argument("--save-share", type=float, default=0.4, help="share of a writer's rounds that save")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=16,
                        help="threads per worker (a thread waiting for its check helper holds no CPU)")
    parser.add_argument("--niceness", type=int, default=None,
                        help="[checks] niceness of the check helpers (default: the product's, 10)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/drafter-load"))
    parser.add_argument("--pg", metavar="ADMIN_URL", help="run on PostgreSQL (admin URL, e.g. from scripts/postgres)")
    parser.add_argument("--no-embed", dest="embed", action="store_false",
                        help="leave the archive without its vectors (search by words only until the worker has run)")
    parser.add_argument("--cold", dest="checked", action="store_false",
                        help="leave the drafts unchecked: every user's first visit runs the checks")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()

    instance = prepare(args.workdir, args.data, args.users - args.mentors, args.mentors, args.seed, args.pg, args.embed,
                        args.checked)
    chars = sorted(w["chars"] for w in instance.writers)
    print(f"撰稿人 {len(instance.writers)} 名，文稿 {chars[0]}–{chars[-1]} 字（中位数 {statistics.median(chars):.0f}）；"
          f"指导老师 {len(instance.mentors)} 名", flush=True)
    port = free_port()
    server = start_server(instance.db_url, port, args.workers, args.threads, args.workdir / "server.log",
                          args.niceness)
    peak = [tree_rss_mb(server.pid)]
    stop = asyncio.Event()

    async def sample_memory() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], tree_rss_mb(server.pid))
            await asyncio.sleep(1)

    async def run() -> tuple[Results, float]:
        sampler = asyncio.create_task(sample_memory())
        try:
            return await run_users(f"http://127.0.0.1:{port}", instance, args.users, args.duration, args.ramp,
                                   tuple(args.think), args.save_share, args.seed)
        finally:
            stop.set()
            await sampler

    load_before = os.getloadavg()[0]
    try:
        results, elapsed = asyncio.run(run())
    finally:
        stop_server(server)
    summary = report(results, elapsed, peak[0], (load_before, os.getloadavg()[0]))
    summary["settings"] = {"users": args.users, "mentors": args.mentors, "duration": args.duration,
                           "think": list(args.think), "save_share": args.save_share, "workers": args.workers,
                           "threads": args.threads, "niceness": args.niceness, "checked": args.checked, "backend": "postgresql" if args.pg else "sqlite"}
    print_report(summary)
    if args.json:
        args.json.write_text(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
