"""Compile the typo check's dictionary and confusion tables into the user cache (run by scripts/setup).

Idempotent and offline: it reads the files the Debian and PyPI packages installed and writes
``~/.cache/drafter/typos-*.marshal`` (or ``$XDG_CACHE_HOME/drafter``) unless an up-to-date one exists, so the
first ``drafter check`` does not pay for it. Prints why the typo check is unavailable when it is.
"""

from __future__ import annotations

import sys
import time

from drafter.services.checks.typos import load_check


def main() -> int:
    started = time.perf_counter()
    loaded = load_check({})
    if loaded.unavailable:
        print(f"build_typos: typo check unavailable: {loaded.unavailable}", file=sys.stderr)
        return 0
    print(f"build_typos: typo data ready ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
