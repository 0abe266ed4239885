"""Benchmark of the review tools on real documents: version comparison and annotation re-anchoring.

Each document is revised deterministically (every 7th sentence deleted, every 5th sentence given a new opening
phrase, a paragraph inserted after every 6th paragraph); annotations are placed on a middle chunk of every 3rd
sentence of the original. The script measures how long ``diff_texts`` and re-anchoring take, and whether each
annotation ends where it must: on the same words at their new offset, or outdated when its sentence was deleted.

    python bench/bench_review.py ../shared/data/gov_docs/docs [--limit N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from drafter.analysis.anchor import OffsetMap, context, locate
from drafter.analysis.diff import diff_texts
from drafter.analysis.text import sentences
from drafter.docio import DocumentReadError, read_path

NEW_OPENING = "切实"
NEW_PARAGRAPH = "（本段为修改时新增的内容，用于检验批注能否随原文移动。）"


def revise(text: str) -> tuple[str, dict[int, int | None]]:
    """The revised text and, for each original sentence start, its new start (None when deleted)."""
    spans = sentences(text)
    out: list[str] = []
    moved: dict[int, int | None] = {}
    cursor = 0
    length = 0
    paragraph_count = 0
    for index, span in enumerate(spans):
        gap = text[cursor:span.start]
        for _ in range(gap.count("\n")):
            paragraph_count += 1
            if paragraph_count % 6 == 0:
                gap = gap.replace("\n", "\n" + NEW_PARAGRAPH + "\n", 1)
        out.append(gap)
        length += len(gap)
        sentence = text[span.start:span.end]
        if index % 7 == 6:
            moved[span.start] = None
        else:
            if index % 5 == 4:
                sentence = NEW_OPENING + sentence
                moved[span.start] = length + len(NEW_OPENING)
            else:
                moved[span.start] = length
            out.append(sentence)
            length += len(sentence)
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out), moved


def rebuilds(comparison, old: str, new: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether each side of the comparison gives back that text's paragraphs exactly."""
    def side(which: str) -> list[str]:
        return ["".join(s.text for s in row.side(which)) for row in comparison.rows
                if (row.old if which == "old" else row.new) is not None]
    return (side("old") == [line for line in old.split("\n") if line.strip()]
            and side("new") == [line for line in new.split("\n") if line.strip()])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.txt"))
    if args.limit:
        files = files[:args.limit]
    diff_ms, anchor_ms, map_ms, chars = [], [], [], []
    rebuilt = 0
    outcome = {"right place": 0, "wrong place": 0, "outdated as expected": 0, "lost (should be anchored)": 0,
               "kept though deleted": 0}
    for path in files:
        try:
            old = read_path(path).text
        except DocumentReadError:
            continue
        new, moved = revise(old)
        chars.append(len(old))
        started = time.perf_counter()
        comparison = diff_texts(old, new)
        diff_ms.append((time.perf_counter() - started) * 1000)
        rebuilt += rebuilds(comparison, old, new)
        started = time.perf_counter()
        offsets = OffsetMap(old, new)  # built once per pair of versions, as the version page does
        map_ms.append((time.perf_counter() - started) * 1000)
        for index, span in enumerate(sentences(old)):
            if index % 3 or span.end - span.start < 8:
                continue
            middle = (span.start + span.end) // 2
            start, end = max(span.start, middle - 6), min(span.end, middle + 6)
            quote = old[start:end]
            prefix, suffix = context(old, start, end)
            started = time.perf_counter()
            anchor = locate(quote, prefix, suffix, new, offsets.map(start))
            anchor_ms.append((time.perf_counter() - started) * 1000)
            target = moved[span.start]
            if target is None:
                outcome["outdated as expected" if anchor.status == "outdated" else "kept though deleted"] += 1
            elif anchor.status == "outdated":
                outcome["lost (should be anchored)"] += 1
            else:
                expected = target + (start - span.start)
                outcome["right place" if anchor.start == expected else "wrong place"] += 1

    def summary(values: list[float]) -> str:
        values = sorted(values)
        p95 = values[int(len(values) * 0.95)] if values else 0.0
        return f"median {statistics.median(values):.2f} ms, p95 {p95:.2f} ms, max {values[-1]:.2f} ms"

    print(f"documents: {len(chars)}, characters: median {statistics.median(chars):.0f}, max {max(chars)}")
    print(f"diff_texts per document: {summary(diff_ms)}; both texts rebuilt from the comparison: "
          f"{rebuilt}/{len(chars)}")
    print(f"line map per pair of versions: {summary(map_ms)}")
    print(f"re-anchoring per annotation ({len(anchor_ms)} annotations): {summary(anchor_ms)}")
    total = sum(outcome.values())
    for name, count in outcome.items():
        print(f"  {name}: {count} ({count / total:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
