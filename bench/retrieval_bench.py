#!/usr/bin/env python3
"""Retrieval quality of archive search: keyword alone, embeddings alone and fused, on reworded sentences.

The query set ``corpora/bench/retrieval_queries.jsonl`` was written for this project: each query rewords one
sentence of a document in ``../shared/data/gov_docs/docs`` (``light``: a few words changed or moved;
``heavy``: almost no word shared) and names its source by document id and offsets, never by its text.
The archive is every document of that folder. A hit counts when the returned paragraph holds the source
sentence (so an identical sentence in another document counts too).

Reports recall@1, recall@5 and MRR (over the top 20) per half and method, for each model precision and
fusion method asked for, plus the embedding throughput of each precision on the archive's sentences.
``--compare N`` measures what int8 vectors cost against fp32 ones on a sub-archive of N documents (the
query sources plus random others), reusing the int8 vectors of the full run.

    .venv/bin/python bench/retrieval_bench.py ../shared/data [--work /tmp/retrieval-bench]
        [--precision int8 fp32] [--fusion rrf score]
    .venv/bin/python bench/retrieval_bench.py ../shared/data --work /tmp/retrieval-bench --compare 250

Databases are kept in ``--work`` so that a second run reuses the embeddings (delete the folder to redo them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DRAFTER_JOBS", "off")  # the benchmark embeds itself; no background queue

from drafter.analysis.embedding import Encoder  # noqa: E402
from drafter.docio import read_path  # noqa: E402
from drafter.services.archive import import_paths  # noqa: E402
from drafter.services.embeddings import embed_pending, status  # noqa: E402
from drafter.services.search import SearchEngine  # noqa: E402
from drafter.store.db import open_database  # noqa: E402

QUERIES = ROOT / "corpora" / "bench" / "retrieval_queries.jsonl"
DEPTH = 20


def load_queries(data: Path, path: Path) -> list[dict]:
    """Queries with the source sentence text resolved from the shared data."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        text = read_path(data / "gov_docs" / "docs" / f"{item['doc']}.txt").text
        item["source"] = text[item["start"]:item["end"]]
        queries.append(item)
    return queries


def build_base(data: Path, work: Path) -> Path:
    """The archive with its keyword index (imported once)."""
    base = work / "base.db"
    if not base.exists():
        work.mkdir(parents=True, exist_ok=True)
        tmp = work / "base.tmp.db"
        tmp.unlink(missing_ok=True)
        db = open_database(f"sqlite:///{tmp}")
        started = time.time()
        summary = import_paths(db, [data / "gov_docs" / "docs"])
        db.dispose()
        print(f"imported {summary.count('imported')} documents ({summary.count('duplicate')} duplicates) "
              f"in {time.time() - started:.0f} s", flush=True)
        tmp.rename(base)
    return base


def embedded_db(base: Path, work: Path, precision: str) -> tuple[str, dict]:
    """A copy of the base archive with every sentence embedded at ``precision``; throughput figures."""
    path = work / f"{precision}.db"
    if not path.exists():
        shutil.copy(base, path)
    url = f"sqlite:///{path}"
    db = open_database(url)
    encoder = Encoder.load(precision=precision)
    started, cpu = time.time(), time.process_time()
    done = embed_pending(db, encoder, batch=512)
    wall, cpu = time.time() - started, time.process_time() - cpu
    with db.session() as session:
        state = status(session, encoder.name)
    db.dispose()
    figures = {"embedded_now": done, "sentences": state.total}
    if done:
        figures.update({"sentences_per_s": round(done / wall, 1), "sentences_per_cpu_s": round(done / cpu, 1)})
    return url, figures


def throughput(sentences: list[str], precision: str, repeats: int = 3) -> dict:
    """Median sentences/s of ``passages`` on a fixed sample (both precisions measured the same way)."""
    encoder = Encoder.load(precision=precision)
    encoder.passages(sentences[:64])
    walls, cpus = [], []
    for _ in range(repeats):
        started, cpu = time.time(), time.process_time()
        encoder.passages(sentences)
        walls.append(time.time() - started)
        cpus.append(time.process_time() - cpu)
    return {"sentences_per_s": round(len(sentences) / statistics.median(walls), 1),
            "sentences_per_cpu_s": round(len(sentences) / statistics.median(cpus), 1)}


def sample_sentences(url: str, n: int) -> list[str]:
    """Every k-th archive sentence, ``n`` in all."""
    from drafter.services.embeddings import pending_sentences

    db = open_database(url)
    with db.session() as session:
        rows = pending_sentences(session, "none", 10**9)
    db.dispose()
    step = max(len(rows) // n, 1)
    return [t for _, t in rows[::step]][:n]


def evaluate(url: str, queries: list[dict], fusion: str, work: Path, precision: str) -> dict:
    """Recall@1, recall@5 and MRR per level and method; ``fused`` gates the keyword ranking by the evidence
    of its best hit, ``fused-ungated`` fuses the two rankings as they are."""
    db = open_database(url)
    engine = SearchEngine(db, work / "instance", fusion=fusion, precision=precision)
    ungated = SearchEngine(db, work / "instance", fusion=fusion, precision=precision, gate=False)
    modes = {"keyword": ("keyword",), "semantic": ("semantic",), "fused": ("keyword", "semantic"),
             "fused-ungated": ("keyword", "semantic")}
    results: dict = {}
    latencies = []
    for mode, methods in modes.items():
        search = ungated if mode == "fused-ungated" else engine
        for level in ("light", "heavy"):
            ranks = []
            for q in (q for q in queries if q["level"] == level):
                started = time.perf_counter()
                hits = search.search(q["query"], k=DEPTH, methods=methods).hits
                latencies.append(time.perf_counter() - started)
                rank = next((n for n, h in enumerate(hits, 1) if q["source"] in h.paragraph), None)
                ranks.append(rank)
            results.setdefault(mode, {})[level] = {
                "queries": len(ranks),
                "recall@1": round(sum(1 for r in ranks if r == 1) / len(ranks), 3),
                "recall@5": round(sum(1 for r in ranks if r and r <= 5) / len(ranks), 3),
                "mrr": round(sum(1 / r for r in ranks if r) / len(ranks), 3)}
    db.dispose()
    results["median_query_ms"] = round(statistics.median(latencies) * 1000, 1)
    return results


def subset_db(source: Path, target: Path, keep: set[str], size: int, seed: int = 5) -> str:
    """A copy of ``source`` holding only the documents whose file names are in ``keep`` plus random others
    up to ``size`` documents (index entries of the others removed properly)."""
    import random

    from sqlalchemy import delete, select

    from drafter.services import indexing
    from drafter.store.models import Document

    if not target.exists():
        tmp = target.with_suffix(".tmp.db")
        shutil.copy(source, tmp)
        db = open_database(f"sqlite:///{tmp}")
        with db.session() as session:
            docs = session.execute(select(Document.id, Document.origin_path)).all()
        chosen = {i for i, path in docs if Path(path).stem in keep}
        others = sorted(i for i, _ in docs if i not in chosen)
        random.Random(seed).shuffle(others)
        chosen |= set(others[:max(size - len(chosen), 0)])
        with db.session() as session:
            for doc_id, _ in docs:
                if doc_id not in chosen:
                    indexing.remove_document(session, doc_id)
                    session.execute(delete(Document).where(Document.id == doc_id))
        db.dispose()
        tmp.rename(target)
    return f"sqlite:///{target}"


def quantisation_comparison(args: argparse.Namespace, queries: list[dict], work: Path) -> dict:
    """MRR with fp32 and with int8 vectors on the same sub-archive (the query sources plus random documents)."""
    from sqlalchemy import delete

    from drafter.store.search_models import SentenceVector

    keep = {q["doc"] for q in queries}
    int8_url = subset_db(work / "int8.db", work / f"subset{args.compare}-int8.db", keep, args.compare)
    fp32_path = work / f"subset{args.compare}-fp32.db"
    if not fp32_path.exists():
        tmp = fp32_path.with_suffix(".tmp.db")
        if not tmp.exists():
            shutil.copy(work / f"subset{args.compare}-int8.db", tmp)
            db = open_database(f"sqlite:///{tmp}")
            with db.session() as session:
                session.execute(delete(SentenceVector))
            db.dispose()
        db = open_database(f"sqlite:///{tmp}")
        embed_pending(db, Encoder.load(precision="fp32"), batch=512)
        db.dispose()
        tmp.rename(fp32_path)
    out = {}
    for precision, url in (("int8", int8_url), ("fp32", f"sqlite:///{fp32_path}")):
        out[precision] = evaluate(url, queries, "rrf", work, precision)
        print(f"\n## sub-archive of {args.compare} documents, {precision} vectors, rrf fusion\n")
        print(table(out[precision]), flush=True)
    return out


def table(results: dict) -> str:
    """Markdown table of one evaluation."""
    lines = ["| method | level | R@1 | R@5 | MRR |", "|---|---|---|---|---|"]
    for mode in ("keyword", "semantic", "fused", "fused-ungated"):
        for level in ("light", "heavy"):
            r = results[mode][level]
            lines.append(f"| {mode} | {level} ({r['queries']}) | {r['recall@1']:.3f} | {r['recall@5']:.3f} | "
                         f"{r['mrr']:.3f} |")
    return "\n".join(lines)


def main() -> int:
    """Run the benchmark and print the figures (JSON and Markdown tables)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", type=Path, help="../shared/data")
    parser.add_argument("--work", type=Path, default=Path("/tmp/retrieval-bench"))
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--precision", nargs="+", default=["int8", "fp32"], choices=["int8", "fp32"])
    parser.add_argument("--fusion", nargs="+", default=["rrf", "score"], choices=["rrf", "score"])
    parser.add_argument("--sample", type=int, default=2000, help="sentences for the throughput comparison")
    parser.add_argument("--throughput", nargs="*", default=["int8", "fp32"], choices=["int8", "fp32"],
                        help="precisions whose embedding throughput is measured on the sample")
    parser.add_argument("--compare", type=int, default=0, metavar="N",
                        help="only compare fp32 and int8 vectors on a sub-archive of N documents")
    args = parser.parse_args()
    queries = load_queries(args.data, args.queries)
    print(f"{len(queries)} queries: {sum(q['level'] == 'light' for q in queries)} light, "
          f"{sum(q['level'] == 'heavy' for q in queries)} heavy", flush=True)
    base = build_base(args.data, args.work)
    report: dict = {"queries": len(queries), "load_average": os.getloadavg()}
    if args.compare:
        report["quantisation"] = quantisation_comparison(args, queries, args.work)
        print("\n" + json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    sample = sample_sentences(f"sqlite:///{base}", args.sample)
    for precision in args.throughput:
        report.setdefault("throughput", {})[precision] = throughput(sample, precision)
        print(f"throughput {precision}: {report['throughput'][precision]}", flush=True)
    for precision in args.precision:
        url, figures = embedded_db(base, args.work, precision)
        report.setdefault("embedding_run", {})[precision] = figures
        for fusion in args.fusion:
            results = evaluate(url, queries, fusion, args.work, precision)
            report.setdefault("results", {})[f"{precision}/{fusion}"] = results
            print(f"\n## {precision} model, {fusion} fusion (median query {results['median_query_ms']} ms)\n")
            print(table(results), flush=True)
    print("\n" + json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
