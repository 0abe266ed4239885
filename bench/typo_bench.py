"""Benchmark of the typo check: detection and correction on a spelling set, false alarms on correct texts.

usage:
    .venv/bin/python bench/typo_bench.py --csc ../shared/data/csc/ecspell_odw_train.jsonl \
        --docs ../shared/data/gov_docs/docs [--limit-docs N] [--sweep] [--show N]

Spelling set (JSONL with ``source``, ``target``, ``edits: [[pos, wrong, right]]``; only equal-length pairs):
- sentence-level exact detection: a sentence counts when the flagged positions equal the annotated ones;
  precision over sentences with any flag, recall over sentences with an annotated error;
- character-level detection precision and recall;
- correction accuracy: share of correctly flagged characters whose suggested character is the right one.
Correct texts (a folder of .txt): findings per 10,000 characters (every finding there is a false alarm,
up to the few real typos such texts contain), on the development part (every 8th document, whose false
alarms ``--show`` prints for inspection) and on the held-out rest; and the time to check a
10,000-character document (median of 5 fresh detectors, resources already loaded).
Figures are given for the ``error`` tier alone and for ``error`` + ``info`` (possible errors).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

from drafter.analysis.findings import Finding, Severity
from drafter.analysis.text import normalise
from drafter.analysis.typos import TypoDetector
from drafter.services.checks.typos import load_check

TIERS = {"error": {Severity.ERROR}, "error+info": {Severity.ERROR, Severity.INFO}}
#: Rules that flag characters in a spelling set (confusable-list findings included).
CHAR_RULES = ("typo.char", "typo.extra", "typo.missing", "typo.confusable")


def flagged(text: str, findings: list[Finding], severities: set[Severity]) -> dict[int, str]:
    """Position -> suggested character for the findings of the given severities."""
    result: dict[int, str] = {}
    for f in findings:
        if f.severity not in severities or f.rule not in CHAR_RULES:
            continue
        if f.rule in ("typo.char", "typo.confusable") and f.suggestion and len(f.suggestion) == f.end - f.start:
            for k, (a, b) in enumerate(zip(text[f.start:f.end], f.suggestion, strict=True)):
                if a != b:
                    result[f.start + k] = b
        else:
            result[f.start] = ""
    return result


def spelling_metrics(rows: list[dict], results: list[list[Finding]], severities: set[Severity]) -> dict:
    """Sentence- and character-level figures for one tier."""
    sent_tp = sent_pred = sent_gold = 0
    char_tp = char_pred = char_gold = corrected = 0
    for row, findings in zip(rows, results, strict=True):
        gold = {pos: right for pos, _wrong, right in row["edits"] or []}
        pred = flagged(row["source"], findings, severities)
        sent_gold += bool(gold)
        sent_pred += bool(pred)
        sent_tp += bool(gold) and set(pred) == set(gold)
        char_gold += len(gold)
        char_pred += len(pred)
        hits = set(pred) & set(gold)
        char_tp += len(hits)
        corrected += sum(pred[p] == gold[p] for p in hits)
    p = sent_tp / sent_pred if sent_pred else 0.0
    r = sent_tp / sent_gold if sent_gold else 0.0
    return {
        "sentence_precision": p, "sentence_recall": r, "sentence_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "char_precision": char_tp / char_pred if char_pred else 0.0,
        "char_recall": char_tp / char_gold if char_gold else 0.0,
        "correction_accuracy": corrected / char_tp if char_tp else 0.0,
        "flagged_chars": char_pred, "annotated_chars": char_gold,
    }


def load_csc(path: Path) -> list[dict]:
    """Equal-length source/target pairs of a spelling set."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["edits"] is not None and len(row["source"]) == len(row["target"]):
            rows.append(row)
    return rows


def false_alarms(detector: TypoDetector, docs: list[Path], show: int) -> dict:
    """Findings per 10,000 characters on correct documents, per tier and per rule."""
    chars = 0
    counts = {tier: 0 for tier in TIERS}
    by_rule: dict[str, int] = {}
    examples = []
    for path in docs:
        text = normalise(path.read_text(encoding="utf-8"))
        chars += len(text)
        for f in detector.check(text):
            by_rule[f"{f.rule}/{f.severity.value}"] = by_rule.get(f"{f.rule}/{f.severity.value}", 0) + 1
            for tier, severities in TIERS.items():
                counts[tier] += f.severity in severities
            if len(examples) < show:
                examples.append(f"{path.name}: {text[max(0, f.start - 8):f.end + 8]!r} {f.rule} "
                                f"{f.severity.value} {f.message} gain={f.data.get('gain')}")
    return {"chars": chars, "documents": len(docs),
            "per_10k": {tier: n * 10000 / chars for tier, n in counts.items()},
            "by_rule": dict(sorted(by_rule.items())), "examples": examples}


def speed(detector: TypoDetector, docs: list[Path], repeats: int = 5) -> dict:
    """Seconds to check a 10,000-character text made of the first documents (median of ``repeats``)."""
    text = ""
    for path in docs:
        text += normalise(path.read_text(encoding="utf-8")) + "\n"
        if len(text) >= 10000:
            break
    text = text[:10000]
    times = []
    for _ in range(repeats):
        fresh = TypoDetector(detector.resources, detector.lexicon, detector.settings)  # empty caches
        started = time.perf_counter()
        fresh.check(text)
        times.append(time.perf_counter() - started)
    return {"chars": len(text), "median_seconds": statistics.median(times), "all": [round(t, 2) for t in times]}


def sweep(detector: TypoDetector, rows: list[dict], margins: list[float]) -> None:
    """Spelling figures for several error margins (info tier off), to choose the thresholds."""
    low = replace(detector.settings, error_margin=min(margins), info_margin=None)
    base = TypoDetector(detector.resources, detector.lexicon, low)
    raw = [base.check(row["source"]) for row in rows]
    for margin in margins:
        results = [[f for f in findings if f.rule != "typo.char" or f.data["gain"] >= margin]
                   for findings in raw]
        m = spelling_metrics(rows, results, {Severity.ERROR, Severity.WARNING})
        print(f"margin {margin:4.1f}: " + "  ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}"
                                                   for k, v in m.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csc", type=Path, help="spelling set (JSONL)")
    parser.add_argument("--docs", type=Path, help="folder of correct .txt documents")
    parser.add_argument("--limit-docs", type=int, default=0, help="use every Nth document only (0: all)")
    parser.add_argument("--dev-every", type=int, default=8,
                        help="every Nth document is the development part whose false alarms were inspected "
                             "(to extend the allowlist); the rest is reported separately as held out")
    parser.add_argument("--sweep", action="store_true", help="print figures for several error margins")
    parser.add_argument("--show", type=int, default=0, help="print this many false alarms")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    loaded = load_check({})
    if loaded.unavailable:
        print("typo check unavailable:", loaded.unavailable, file=sys.stderr)
        return 1
    detector = loaded.detector
    print(f"resources loaded in {time.perf_counter() - started:.2f} s; settings: {detector.settings}")
    report: dict = {}
    if args.csc:
        rows = load_csc(args.csc)
        if args.sweep:
            sweep(detector, rows, [1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0])
        started = time.perf_counter()
        results = [detector.check(row["source"]) for row in rows]
        elapsed = time.perf_counter() - started
        report["csc"] = {"sentences": len(rows), "seconds": round(elapsed, 1),
                         **{tier: spelling_metrics(rows, results, sev | {Severity.WARNING} if tier == "error"
                                                   else sev | {Severity.WARNING})
                            for tier, sev in TIERS.items()}}
    if args.docs:
        docs = sorted(args.docs.glob("*.txt"))
        dev = docs[::args.dev_every]
        held = [d for k, d in enumerate(docs) if k % args.dev_every]
        if args.limit_docs:
            dev, held = dev[::args.limit_docs], held[::args.limit_docs]
        report["false_alarms_dev"] = false_alarms(detector, dev, args.show)
        report["false_alarms_held_out"] = false_alarms(detector, held, 0)
        report["speed_10k"] = speed(detector, docs)
    examples = report.get("false_alarms_dev", {}).pop("examples", [])
    report.get("false_alarms_held_out", {}).pop("examples", None)
    print(json.dumps(report, ensure_ascii=False, indent=1,
                     default=lambda o: round(o, 3) if isinstance(o, float) else str(o)))
    for line in examples:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
