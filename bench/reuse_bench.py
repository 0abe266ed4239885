"""Benchmarks of the duplication check (results in docs/benchmarks.md, "Reuse (duplication) check").

pan:   detection quality with the PAN text-alignment measures. The real documents of ARCHIVE (gov_docs) are
       the archive; the hosts are the 政府工作报告 of REPORTS cut at paragraph ends into pieces of about
       5,000 characters (the gov_docs texts quote each other so much that no gov_docs text is a clean host:
       719 of 783 share a 30-character passage with another). Passages of 1-6 sentences from archive
       documents are inserted into hosts at four obfuscation levels (verbatim, light edits, clause
       reordering, heavy edits); a quarter of the hosts stay clean. Character-level precision/recall,
       granularity and plagdet are computed per level and overall, and the share of characters reported on
       the clean hosts (which includes genuine reuse between the reports and the archive).

           python bench/reuse_bench.py pan ../shared/data/gov_docs/docs ../shared/data/gov_work_reports_national/docs

scale: an archive of N documents synthesised from DATA by perturbation (see ``synthesise``) is stored in
       bulk, its reuse index built with the product's re-index (``drafter reuse --reindex``), then drafts
       of about 5,000 characters are checked. Reports index build throughput, database size and check
       latency. (The per-document import path is measured by the import benchmark.)

           /usr/bin/time -v python bench/reuse_bench.py scale ../shared/data/gov_docs/docs \\
               ../shared/data/gov_work_reports_national/docs --docs 100000 --db /tmp/reuse-scale.db

Nothing is written into the repository: databases go where --db says (default under /tmp).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter.analysis.text import sentences  # noqa: E402
from drafter.services.archive import DocumentMeta, add_document, build_document  # noqa: E402
from drafter.store.db import open_database  # noqa: E402

LEVELS = ("verbatim", "light", "reorder", "heavy")

# Synonym pairs written for this benchmark (both directions are used).
SYNONYMS = [("加强", "强化"), ("推进", "推动"), ("提高", "提升"), ("完善", "健全"), ("开展", "进行"),
            ("有关", "相关"), ("积极", "主动"), ("重要", "重大"), ("促进", "带动"), ("保障", "保证"),
            ("切实", "扎实"), ("目前", "当前"), ("充分", "全面"), ("支持", "扶持"), ("实施", "执行"),
            ("制定", "出台"), ("明确", "确定"), ("及时", "尽快"), ("进一步", "更加"), ("各地", "各地区"),
            ("建立", "建设"), ("措施", "举措"), ("迅速", "快速"), ("认真", "仔细"), ("组织", "安排"),
            ("情况", "状况"), ("研究", "探讨"), ("增强", "提振"), ("服务", "保障"), ("创新", "革新")]
PARTICLES = "的了和等"
OPENERS = ["同时，", "此外，", "另外，", "与此同时，"]


def load_texts(folder: str, min_chars: int = 600) -> list[tuple[str, str]]:
    """(name, text) of the .txt files in ``folder`` with at least ``min_chars`` characters, by name."""
    result = []
    for path in sorted(Path(folder).glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        if len(text) >= min_chars:
            result.append((path.name, text))
    return result


# --- obfuscation -----------------------------------------------------------------------------------------

def swap_synonyms(text: str, rng: random.Random, rate: float) -> str:
    """Replace each occurrence of a listed word by its partner with probability ``rate``."""
    table = {a: b for a, b in SYNONYMS} | {b: a for a, b in SYNONYMS}
    pattern = re.compile("|".join(sorted(map(re.escape, table), key=len, reverse=True)))
    return pattern.sub(lambda m: table[m.group()] if rng.random() < rate else m.group(), text)


def edit_particles(text: str, rng: random.Random, rate: float) -> str:
    """Delete particles with probability ``rate``; insert 的/了 after some CJK characters."""
    out = []
    for i, ch in enumerate(text):
        if ch in PARTICLES and rng.random() < rate:
            continue
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and i + 1 < len(text) and "\u4e00" <= text[i + 1] <= "\u9fff" \
                and rng.random() < rate / 12:
            out.append(rng.choice("的了"))
    return "".join(out)


def change_numbers(text: str, rng: random.Random) -> str:
    """Every digit replaced by a random digit (dates and figures change)."""
    return re.sub(r"\d", lambda _m: str(rng.randrange(10)), text)


def split_merge(text: str, rng: random.Random) -> str:
    """Split a sentence at a comma or merge two sentences, once or twice."""
    for _ in range(rng.randint(1, 2)):
        marks = [m.start() for m in re.finditer("[，。]", text[:-1])]
        if not marks:
            break
        i = rng.choice(marks)
        text = text[:i] + ("。" if text[i] == "，" else "，") + text[i + 1:]
    return text


def reorder_clauses(text: str, rng: random.Random) -> str:
    """Shuffle the comma-separated clauses inside each sentence (closing punctuation stays last)."""
    pieces = re.split(r"(?<=[。！？；\n])", text)
    result = []
    for piece in pieces:
        match = re.match(r"^(.*?)([。！？；\n]*)$", piece, re.S)
        body, end = match.group(1), match.group(2)
        clauses = [c for c in body.split("，") if c]
        if len(clauses) > 1:
            rng.shuffle(clauses)
        result.append("，".join(clauses) + end)
    return "".join(result)


def obfuscate(text: str, level: str, rng: random.Random) -> str:
    """``text`` rewritten at ``level``."""
    if level == "verbatim":
        return text
    if level == "light":
        return split_merge(change_numbers(edit_particles(swap_synonyms(text, rng, 0.3), rng, 0.3), rng), rng)
    if level == "reorder":
        return reorder_clauses(change_numbers(edit_particles(text, rng, 0.2), rng), rng)
    # heavy: most synonyms swapped, particles edited, numbers changed, clauses reordered, sentences split or
    # merged, a connective added in front.
    text = reorder_clauses(swap_synonyms(text, rng, 0.8), rng)
    text = split_merge(change_numbers(edit_particles(text, rng, 0.5), rng), rng)
    return rng.choice(OPENERS) + text


# --- drafts with known cases ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """A passage of ``source`` (archive document id) inserted into draft ``draft``."""

    draft: int
    start: int
    end: int
    source: int
    source_start: int
    source_end: int
    level: str


@dataclass(frozen=True)
class Draft:
    """A host document with cases inserted (none for a clean draft)."""

    text: str
    level: str  # "clean" or an obfuscation level


def pick_passage(text: str, rng: random.Random) -> tuple[int, int] | None:
    """A run of 1-6 whole sentences of ``text`` (at least 20 characters)."""
    spans = [s for s in sentences(text) if s.end - s.start >= 8]
    if len(spans) < 8:
        return None
    for _ in range(20):
        count = rng.randint(1, 6)
        first = rng.randrange(2, len(spans) - count)  # skip the title lines
        start, end = spans[first].start, spans[first + count - 1].end
        if end - start >= 20 and "\n\n" not in text[start:end]:
            return start, end
    return None


def make_drafts(hosts: list[str], archive: list[tuple[int, str]], rng: random.Random,
                clean_share: float = 0.25) -> tuple[list[Draft], list[Case]]:
    """Drafts built from ``hosts``: a quarter clean, the rest with 1-3 cases of one obfuscation level."""
    drafts, cases = [], []
    for index, host in enumerate(hosts):
        if rng.random() < clean_share:
            drafts.append(Draft(host, "clean"))
            continue
        level = LEVELS[index % len(LEVELS)]
        bounds = sorted({s.end for s in sentences(host)[2:]})
        points = sorted(rng.sample(bounds, min(len(bounds), rng.randint(1, 3))))
        pieces, cursor, text = [], 0, ""
        for point in points:
            doc_id, source = archive[rng.randrange(len(archive))]
            span = pick_passage(source, rng)
            if span is None:
                continue
            inserted = obfuscate(source[span[0]:span[1]], level, rng)
            text += host[cursor:point]
            pieces.append(Case(len(drafts), len(text), len(text) + len(inserted), doc_id, span[0], span[1], level))
            text += inserted
            cursor = point
        text += host[cursor:]
        drafts.append(Draft(text, level))
        cases += pieces
    return drafts, cases


# --- PAN measures ------------------------------------------------------------------------------------------

def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _union_len(spans: list[tuple[int, int]]) -> int:
    total, last = 0, None
    for start, end in sorted(spans):
        if last is None or start > last[1]:
            if last:
                total += last[1] - last[0]
            last = [start, end]
        else:
            last[1] = max(last[1], end)
    return total + (last[1] - last[0] if last else 0)


def _detects(case: Case, det: tuple) -> bool:
    draft, start, end, source, s_start, s_end = det
    return (draft == case.draft and source == case.source and _overlap((start, end), (case.start, case.end)) > 0
            and _overlap((s_start, s_end), (case.source_start, case.source_end)) > 0)


def pan_scores(cases: list[Case], detections: list[tuple]) -> dict[str, float]:
    """Precision, recall, granularity and plagdet (Potthast et al., 2010) at the character level."""
    import math

    rec_sum, gran = 0.0, []
    for case in cases:
        hits = [d for d in detections if _detects(case, d)]
        if hits:
            gran.append(len(hits))
        d_part = _union_len([(max(case.start, d[1]), min(case.end, d[2])) for d in hits])
        s_part = _union_len([(max(case.source_start, d[4]), min(case.source_end, d[5])) for d in hits])
        rec_sum += (d_part + s_part) / ((case.end - case.start) + (case.source_end - case.source_start))
    prec_sum = 0.0
    for det in detections:
        hit = [c for c in cases if _detects(c, det)]
        d_part = _union_len([(max(c.start, det[1]), min(c.end, det[2])) for c in hit])
        s_part = _union_len([(max(c.source_start, det[4]), min(c.source_end, det[5])) for c in hit])
        prec_sum += (d_part + s_part) / ((det[2] - det[1]) + (det[5] - det[4]))
    recall = rec_sum / len(cases) if cases else 0.0
    precision = prec_sum / len(detections) if detections else 0.0
    granularity = statistics.mean(gran) if gran else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "granularity": granularity,
            "plagdet": f1 / math.log2(1 + granularity), "cases": len(cases), "detections": len(detections)}


def cut(text: str, size: int = 5000) -> list[str]:
    """``text`` cut at paragraph ends into pieces of about ``size`` characters."""
    pieces, current = [], ""
    for paragraph in text.split("\n"):
        current += paragraph + "\n"
        if len(current) >= size:
            pieces.append(current)
            current = ""
    if len(current) >= size // 4:
        pieces.append(current)
    return pieces


def run_pan(args: argparse.Namespace) -> None:
    """Build the archive, make the drafts, check them and print the PAN measures."""
    from drafter.services.reuse import check_reuse

    rng = random.Random(args.seed)
    archive_texts = load_texts(args.archive)
    host_texts = [("", piece) for _, text in load_texts(args.reports) for piece in cut(text)]
    if args.db is None:
        with tempfile.TemporaryDirectory(prefix="reuse-pan-") as folder:
            args.db = os.path.join(folder, "pan.db")
            run_pan(args)
        return
    db_path = args.db
    if os.path.exists(db_path):
        os.remove(db_path)
    db = open_database(f"sqlite:///{db_path}")
    archive: list[tuple[int, str]] = []
    started = time.perf_counter()
    for name, text in archive_texts:
        with db.session() as session:
            document = add_document(session, build_document(text, DocumentMeta(), name))
            archive.append((document.id, text))
    print(f"archive: {len(archive)} documents indexed in {time.perf_counter() - started:.1f} s")
    drafts, cases = make_drafts([t for _, t in host_texts], archive, rng)
    detections, timings = [], []
    with db.session() as session:
        for index, draft in enumerate(drafts):
            t0 = time.perf_counter()
            report = check_reuse(session, draft.text)
            timings.append(time.perf_counter() - t0)
            detections += [(index, p.start, p.end, p.doc_id, p.source_start, p.source_end) for p in report.passages]
    print(f"drafts: {len(drafts)} ({sum(d.level == 'clean' for d in drafts)} clean), cases: {len(cases)}, "
          f"median check {statistics.median(timings) * 1000:.0f} ms")
    # Detections that touch no inserted case lie in the host's own text: the reports genuinely share
    # passages with the archive, so these are measured on the clean hosts (last line) instead of counting
    # as imprecise detections of the cases. "strict" keeps them in the precision.
    touching = [d for d in detections if any(c.draft == d[0] and _overlap((c.start, c.end), (d[1], d[2])) > 0
                                             for c in cases)]
    print(f"{'level':<10} {'cases':>5} {'precision':>9} {'recall':>7} {'granul.':>7} {'plagdet':>7}   "
          f"{'strict precision':>16} {'strict plagdet':>14}")
    for level in (*LEVELS, "overall"):
        wanted = [c for c in cases if level in ("overall", c.level)]
        in_level = [d for d in detections if level in ("overall", drafts[d[0]].level)]
        s = pan_scores(wanted, [d for d in touching if d in in_level])
        strict = pan_scores(wanted, in_level)
        print(f"{level:<10} {s['cases']:>5} {s['precision']:>9.3f} {s['recall']:>7.3f} {s['granularity']:>7.3f} "
              f"{s['plagdet']:>7.3f}   {strict['precision']:>16.3f} {strict['plagdet']:>14.3f}")
    clean = [i for i, d in enumerate(drafts) if d.level == "clean"]
    total = sum(len(drafts[i].text) for i in clean)
    flagged = sum(_union_len([(d[1], d[2]) for d in detections if d[0] == i]) for i in clean)
    print(f"clean drafts: {len(clean)}, {total} chars, reported as copied: {flagged} ({flagged / max(total, 1):.2%})")
    if args.show_false:
        for i in clean:
            for d in detections:
                if d[0] == i:
                    print(f"  clean #{i} [{d[1]},{d[2]}) vs doc {d[3]}: {drafts[i].text[d[1]:d[2]][:80]!r}")


# --- scale -------------------------------------------------------------------------------------------------

_CJK = re.compile(r"[\u4e00-\u9fff]")


def synthesise(base: list[str], count: int, rng: random.Random):
    """Yield ``count`` synthetic documents: base documents perturbed so that copies are not duplicates.

    Document i takes base document i mod len(base), shuffles its body paragraphs, changes every number, and
    replaces a per-document random 40% of the CJK character inventory by other CJK characters (a fixed
    substitution per document). Real documents keep their shape (length, paragraphs, punctuation) but the
    archive holds 100,000 distinct texts instead of a hundred copies of each; the first len(base) documents
    are the real texts unchanged, so drafts built from real text have genuine sources.
    """
    inventory = sorted({ch for text in base for ch in _CJK.findall(text)})
    for i in range(count):
        text = base[i % len(base)]
        if i < len(base):
            yield text
            continue
        lines = text.split("\n")
        head, body = lines[:2], lines[2:]
        rng.shuffle(body)
        text = change_numbers("\n".join(head + body), rng)
        chosen = rng.sample(inventory, int(len(inventory) * 0.4))
        table = str.maketrans(dict(zip(chosen, rng.sample(inventory, len(chosen)), strict=True)))
        yield text.translate(table)


def run_scale(args: argparse.Namespace) -> None:
    """Build (or reuse) a large archive and time the duplication check of ~5,000-character drafts."""
    from sqlalchemy import insert

    from drafter.services.archive import content_hash
    from drafter.services.reuse import check_reuse
    from drafter.services.reuse_index import rebuild
    from drafter.store.models import Document

    rng = random.Random(args.seed)
    base = [t for _, t in load_texts(args.data)]
    db_path = args.db
    url = f"sqlite:///{db_path}"
    if not args.keep or not os.path.exists(db_path):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db_path + suffix):
                os.remove(db_path + suffix)
        db = open_database(url)
        # 1. The documents: synthetic texts bulk-inserted as archive rows (no paragraphs, no indexers).
        started = time.perf_counter()
        docs = synthesise(base, args.docs, rng)
        table = Document.__table__
        done = 0
        while done < args.docs:
            rows = []
            for text in (next(docs) for _ in range(min(args.batch, args.docs - done))):
                digest = content_hash(text) + f"-{done}"
                rows.append({"kind": "archive", "title": text.split("\n", 1)[0][:200], "is_exemplar": False,
                             "origin_path": f"synthetic/{done:06d}.txt", "content_hash": digest[:64],
                             "dedupe_key": None, "text": text, "chars": len(text)})
                done += 1
            with db.session() as session:
                session.execute(insert(table), rows)
        print(f"documents: {args.docs} stored in {time.perf_counter() - started:.0f} s", flush=True)
        # 2. The reuse index, built by the product's re-index (drafter reuse --reindex).
        started = time.perf_counter()

        def report(finished: int, total: int) -> None:
            if finished % 10_000 < args.batch or finished == total:
                elapsed = time.perf_counter() - started
                print(f"  indexed {finished}/{total} in {elapsed:.0f} s ({finished / elapsed:.0f} documents/s)",
                      flush=True)

        rebuild(db, progress=report, batch=args.batch)
        elapsed = time.perf_counter() - started
        print(f"reuse index: {args.docs} documents in {elapsed:.0f} s = {args.docs / elapsed:.0f} documents/s")
        db.dispose()
    db = open_database(url)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        fingerprints = connection.exec_driver_sql("SELECT COUNT(*) FROM reuse_fingerprints").scalar()
        frequencies = connection.exec_driver_sql("SELECT COUNT(*) FROM reuse_frequencies").scalar()
    size = os.path.getsize(db_path)
    print(f"database: {size / 2**20:.0f} MiB; {fingerprints} fingerprint rows, {frequencies} distinct fingerprints")
    # Drafts of about 5,000 characters: pieces of the 政府工作报告 (not in the archive) with passages from
    # the real archive documents (the first len(base) archive rows) inserted at the four obfuscation levels.
    archive = list(enumerate(base, start=1))
    pieces = [piece for _, text in load_texts(args.hosts) for piece in cut(text, 4600) if len(piece) >= 4600]
    hosts = rng.sample(pieces, min(args.drafts, len(pieces)))
    drafts, _cases = make_drafts(hosts, archive, rng, clean_share=0.2)
    timings, sizes, copied = [], [], []
    with db.session() as session:
        check_reuse(session, drafts[0].text)  # warm the caches and imports
        for draft in drafts:
            t0 = time.perf_counter()
            report = check_reuse(session, draft.text)
            timings.append(time.perf_counter() - t0)
            sizes.append(len(draft.text))
            copied.append(report.figures.copy_ratio)
    timings.sort()
    print(f"check: {len(drafts)} drafts of {min(sizes)}-{max(sizes)} chars: median {statistics.median(timings):.3f} s, "
          f"p90 {timings[int(len(timings) * 0.9) - 1]:.3f} s, max {timings[-1]:.3f} s; "
          f"mean copy ratio {statistics.mean(copied):.1%}")


def main() -> None:
    """Command line of the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    pan = sub.add_parser("pan", help="PAN text-alignment measures on real documents")
    pan.add_argument("archive", help="folder of real .txt documents for the archive (gov_docs/docs)")
    pan.add_argument("reports", help="folder of real .txt documents for the hosts (gov_work_reports_national/docs)")
    pan.add_argument("--seed", type=int, default=5)
    pan.add_argument("--db", help="SQLite file for the archive (default: a new temporary folder)")
    pan.add_argument("--show-false", action="store_true", help="print what was reported on clean drafts")
    scale = sub.add_parser("scale", help="index build and check latency on a large synthetic archive")
    scale.add_argument("data", help="folder of real .txt documents to synthesise from (gov_docs/docs)")
    scale.add_argument("hosts", help="folder of real .txt documents for the drafts (gov_work_reports_national/docs)")
    scale.add_argument("--docs", type=int, default=100_000)
    scale.add_argument("--drafts", type=int, default=30)
    scale.add_argument("--batch", type=int, default=1000, help="documents per transaction while building")
    scale.add_argument("--db", default="/tmp/reuse-scale.db", help="SQLite file (never inside the repository)")
    scale.add_argument("--keep", action="store_true", help="reuse an existing database instead of rebuilding")
    scale.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    run_pan(args) if args.command == "pan" else run_scale(args)


if __name__ == "__main__":
    main()
