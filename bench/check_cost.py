"""Cost of each check of ``drafter check`` on real documents against an archive database.

The web app checks every new version of a draft; under load (docs/benchmarks.md, "Load test") that cost decides
whether the analyses keep up. This times each registered check on the first ``--chars`` characters of
``--documents`` real texts (warm: one untimed run first loads models and caches), and prints the median and
maximum seconds per check and for the whole report.

    python bench/check_cost.py ../shared/data/gov_docs/docs --db sqlite:////path/to/archive.db [--documents 12]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

os.environ.setdefault("DRAFTER_JOBS", "off")

from drafter.services.checks import CheckReport, CheckRequest, checkers  # noqa: E402
from drafter.store.db import open_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("docs", type=Path, help="folder of .txt documents (../shared/data/gov_docs/docs)")
    parser.add_argument("--db", required=True, help="archive database URL (the documents imported, vectors computed)")
    parser.add_argument("--documents", type=int, default=12)
    parser.add_argument("--chars", type=int, default=2700, help="characters of each text (a typical draft)")
    parser.add_argument("--offset", type=int, default=100, help="first document (sorted by name)")
    args = parser.parse_args()
    db = open_database(args.db)
    files = sorted(args.docs.glob("*.txt"))[args.offset:args.offset + args.documents + 1]
    texts = [f.read_text(encoding="utf-8")[:args.chars] for f in files]
    active = checkers()
    times: dict[str, list[float]] = {c.name: [] for c in active} | {"total": []}
    for number, text in enumerate(texts):
        request, report = CheckRequest(text=text, archive=db), CheckReport(file="-", text=text)
        total = 0.0
        for checker in active:
            started = time.perf_counter()
            checker.run(request, report)
            spent = time.perf_counter() - started
            total += spent
            if number:  # the first text only warms up
                times[checker.name].append(spent)
        if number:
            times["total"].append(total)
    print(f"{len(texts) - 1} documents of up to {args.chars} characters, {args.db}")
    for name, values in times.items():
        print(f"{name:10s} median {statistics.median(values):7.3f} s   max {max(values):7.3f} s")


if __name__ == "__main__":
    main()
