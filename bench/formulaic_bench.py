"""Benchmark of the formulaic-phrasing check on real documents (results in docs/benchmarks.md).

Usage (from the project root)::

    .venv/bin/python bench/formulaic_bench.py ../shared/data [--split test|dev|all] [--office-phrases]

* Quality: hand labels in ``bench/data/formulaic_labels.tsv`` (document id + offsets + label, never the
  text) of sentences of ``gov_docs`` and ``gov_work_reports_national``. Reports the ROC AUC of the sentence
  score (formulaic vs concrete) and the precision and recall of ``formulaic.empty-sentence`` findings on
  the labelled sentences (a flagged sentence labelled "neither" counts as a false alarm).
* With ``--office-phrases``, the office's stock phrases are first mined from the ``gov_docs`` documents
  that hold no labelled sentence of the reported split, and used beside the lexicon.
* Speed: median time of the whole analysis of 10,000-character documents (the first 10,000 characters of
  the five longest work reports), after one warm-up run; jieba and lexicon loading are reported apart.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter.analysis.formulaic import RULE_EMPTY, FormulaicAnalyzer, OfficePhrase  # noqa: E402
from drafter.analysis.text import normalise  # noqa: E402

LABELS = ROOT / "bench" / "data" / "formulaic_labels.tsv"
FOLDERS = ("gov_docs", "gov_work_reports_national")


def load_labels(path: Path, split: str) -> list[dict]:
    """Labelled sentences of ``split`` ("all" for every row)."""
    rows = []
    header = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        row = dict(zip(header, cells, strict=True))
        row["start"], row["end"] = int(row["start"]), int(row["end"])
        if split in ("all", row["split"]):
            rows.append(row)
    return rows


def read_document(data: Path, doc_id: str) -> str:
    """The normalised text of a document of ``data`` by id."""
    for folder in FOLDERS:
        path = data / folder / "docs" / f"{doc_id}.txt"
        if path.is_file():
            return normalise(path.read_text(encoding="utf-8"))
    raise SystemExit(f"document {doc_id} not found under {data}")


def roc_auc(positives: list[float], negatives: list[float]) -> float:
    """Probability that a positive scores above a negative (ties count half): the ROC AUC."""
    if not positives or not negatives:
        return float("nan")
    wins = 0.0
    for p in positives:
        for n in negatives:
            wins += 1.0 if p > n else 0.5 if p == n else 0.0
    return wins / (len(positives) * len(negatives))


def mine_office_phrases(data: Path, exclude: set[str]) -> list[OfficePhrase]:
    """Office phrases mined from gov_docs documents not in ``exclude``."""
    from drafter.analysis.office_phrases import mine_phrases

    texts = [normalise(p.read_text(encoding="utf-8")) for p in sorted((data / "gov_docs" / "docs").glob("*.txt"))
             if p.stem not in exclude]
    mined = mine_phrases(texts)
    return [OfficePhrase(m.phrase, m.doc_count, m.share) for m in mined]


def quality(data: Path, rows: list[dict], analyzer: FormulaicAnalyzer) -> dict:
    """AUC and empty-sentence precision/recall over the labelled rows."""
    by_doc: dict[str, list[dict]] = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], []).append(row)
    scored = []
    for doc_id, doc_rows in sorted(by_doc.items()):
        text = read_document(data, doc_id)
        result = analyzer.analyse(text)
        spans = {(s.start, s.end): s for s in result.sentences}
        empty = {(f.start, f.end) for f in result.findings if f.rule == RULE_EMPTY}
        for row in doc_rows:
            sentence = text[row["start"]:row["end"]]
            if hashlib.sha1(sentence.encode()).hexdigest()[:10] != row["sha1"]:
                raise SystemExit(f"{doc_id} [{row['start']}, {row['end']}) changed: labels no longer apply")
            score = spans.get((row["start"], row["end"]))
            if score is None:
                raise SystemExit(f"{doc_id} [{row['start']}, {row['end']}) is not a sentence of the analysis")
            scored.append((row["label"], score.score, (row["start"], row["end"]) in empty, doc_id, row))
    positives = [s for label, s, *_ in scored if label == "formulaic"]
    negatives = [s for label, s, *_ in scored if label == "concrete"]
    flagged = [label for label, _, is_empty, *_ in scored if is_empty]
    true_flags = flagged.count("formulaic")
    return {
        "sentences": len(scored), "formulaic": len(positives), "concrete": len(negatives),
        "neither": sum(1 for label, *_ in scored if label == "neither"),
        "auc": roc_auc(positives, negatives),
        "flagged": len(flagged), "flagged_formulaic": true_flags,
        "flagged_concrete": flagged.count("concrete"), "flagged_neither": flagged.count("neither"),
        "precision": true_flags / len(flagged) if flagged else float("nan"),
        "recall": true_flags / len(positives) if positives else float("nan"),
        "scored": scored,
    }


def timing(data: Path, analyzer: FormulaicAnalyzer, runs: int) -> dict:
    """Median analysis time of 10,000-character documents."""
    reports = sorted((data / "gov_work_reports_national" / "docs").glob("*.txt"),
                     key=lambda p: p.stat().st_size, reverse=True)[:5]
    texts = [normalise(p.read_text(encoding="utf-8"))[:10_000] for p in reports]
    analyzer.analyse(texts[0])  # warm-up (regex compilation, jieba word tags)
    times = []
    for _ in range(runs):
        for text in texts:
            started = time.perf_counter()
            analyzer.analyse(text)
            times.append((time.perf_counter() - started) * 1000)
    return {"documents": len(texts), "runs": len(times), "median_ms": statistics.median(times),
            "max_ms": max(times), "min_ms": min(times)}


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the shared data folder (../shared/data)")
    parser.add_argument("--split", choices=["test", "dev", "all"], default="test")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--office-phrases", action="store_true", help="mine office phrases from gov_docs first")
    parser.add_argument("--runs", type=int, default=7, help="timing repetitions per document")
    parser.add_argument("--show", choices=["none", "errors", "all"], default="none",
                        help="print labelled sentences (for inspection of the dev split)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    started = time.perf_counter()
    from drafter.analysis.lexicon import builtin_lexicon
    from drafter.analysis.segment import tokenizer

    lexicon = builtin_lexicon()
    tokenizer()
    load_ms = (time.perf_counter() - started) * 1000
    rows = load_labels(args.labels, args.split)
    office: list[OfficePhrase] = []
    if args.office_phrases:
        office = mine_office_phrases(args.data, {r["doc_id"] for r in rows})
    analyzer = FormulaicAnalyzer(lexicon, office)
    figures = quality(args.data, rows, analyzer)
    speed = timing(args.data, analyzer, args.runs)
    scored = figures.pop("scored")
    if args.show != "none":
        for label, score, is_empty, doc_id, row in sorted(scored, key=lambda s: -s[1]):
            wrong = (label == "formulaic") != is_empty
            if args.show == "all" or wrong:
                text = read_document(args.data, doc_id)[row["start"]:row["end"]]
                print(f"{label[:4]} {score:.2f} {'E' if is_empty else ' '} {doc_id} {text[:70]}")
    summary = {"split": args.split, "office_phrases": len(office), "lexicon_entries": len(lexicon.entries),
               "lexicon_phrases": lexicon.phrase_count(), "load_ms": round(load_ms), **figures, **speed}
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    print(f"split {args.split}: {figures['sentences']} labelled sentences "
          f"({figures['formulaic']} formulaic, {figures['concrete']} concrete, {figures['neither']} neither)")
    print(f"lexicon: {len(lexicon.entries)} entries, {lexicon.phrase_count()} phrases/frames; "
          f"office phrases: {len(office)}")
    print(f"ROC AUC of the sentence score (formulaic vs concrete): {figures['auc']:.3f}")
    print(f"formulaic.empty-sentence: {figures['flagged']} flagged, precision {figures['precision']:.3f} "
          f"({figures['flagged_formulaic']} formulaic, {figures['flagged_concrete']} concrete, "
          f"{figures['flagged_neither']} neither), recall {figures['recall']:.3f}")
    print(f"time per 10,000-character document: median {speed['median_ms']:.1f} ms "
          f"(min {speed['min_ms']:.1f}, max {speed['max_ms']:.1f}; {speed['runs']} runs); "
          f"one-time load of jieba and lexicon {load_ms:.0f} ms")


if __name__ == "__main__":
    main()
