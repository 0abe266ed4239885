"""Benchmark of the structure and norms checks on real official documents.

usage: python bench/structure_bench.py ../shared/data/gov_docs/docs [--seed 7] [--sample 30] [--list-errors]

1. As they are: error-level ``structure.*`` findings per 100 documents (and every such finding listed with
   ``--list-errors``, or a random sample with ``--sample N``, for reading by hand).
2. Injected faults: for every document that can take it, one mutation of each type (numbering gap, repeat,
   level skip, lone child, sequence gap, wrong marker punctuation, half-width punctuation); a hit is a
   finding of the expected rule whose span covers the mutated marker. Sites the unmutated document already
   flags are not used. Prints recall per type.
3. Speed: median time of structure + norms on 10,000-character texts cut from the longest documents.

The documents are read from the given folder; nothing of them is written anywhere.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from drafter.analysis.findings import Finding, Severity
from drafter.analysis.norms import check_norms
from drafter.analysis.numerals import int_to_cn
from drafter.analysis.outline import GB_LEVEL, Heading, Marker, Outline, parse_outline
from drafter.analysis.structure import SEQUENCE_MAX_PARAGRAPH_GAP, check_structure
from drafter.analysis.text import line_number, normalise


@dataclass(frozen=True)
class Mutation:
    """A mutated text and the span of the marker that was changed."""

    text: str
    start: int
    end: int


Mutator = Callable[[str, Outline, random.Random], Mutation | None]


def check(text: str) -> list[Finding]:
    """Structure and norms findings, as ``drafter check`` runs them."""
    return check_structure(text).findings + check_norms(text)


def rewrite(marker: Marker, number: int) -> str:
    """``marker`` written with another number, keeping its own style (brackets, dot, digit width)."""
    if marker.kind in ("cn",):
        return int_to_cn(number) + marker.punct
    if marker.kind == "paren-cn":
        return marker.opener + int_to_cn(number) + marker.closer + marker.punct
    if marker.kind in ("arabic", "paren-arabic"):
        digits = str(number)
        if marker.fullwidth_digits:
            digits = digits.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        if marker.kind == "arabic":
            return digits + marker.punct
        return marker.opener + digits + marker.closer + marker.punct
    return f"第{int_to_cn(number)}{marker.punct}"


def replace_all(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply non-overlapping ``(start, end, new)`` edits."""
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def groups(outline: Outline) -> list[list[Heading]]:
    """Sibling groups (same parent, same kind) with numbers 1, 2, 3 … in order."""
    parents: list[list[Heading]] = [[r for r in outline.roots if r.scope == s.index] for s in outline.scopes]
    parents += [h.children for h in outline.headings()]
    result = []
    for children in parents:
        by_kind: dict[str, list[Heading]] = {}
        for child in children:
            by_kind.setdefault(child.kind, []).append(child)
        result.extend(g for g in by_kind.values()
                      if len(g) >= 2 and all(b.number == a.number + 1 for a, b in zip(g, g[1:], strict=False)))
    return result


def renumber(text: str, outline: Outline, rng: random.Random, delta: int) -> Mutation | None:
    candidates = [(g, k) for g in groups(outline) for k in range(1, len(g))]
    if not candidates:
        return None
    group, k = rng.choice(candidates)
    edits = [(h.marker.start, h.marker.end, rewrite(h.marker, h.number + delta)) for h in group[k:]]
    first = group[k].marker
    return Mutation(replace_all(text, edits), first.start, first.start + len(edits[0][2]))


def mutate_gap(text: str, outline: Outline, rng: random.Random) -> Mutation | None:
    """A section deleted without renumbering (一、二、三、四、 -> 一、二、四、), or the items from a chosen
    one on numbered one too high (一、二、四、五、); the two forms alternate."""
    if rng.random() < 0.5:
        return renumber(text, outline, rng, +1)
    candidates = [(g, k) for g in groups(outline) for k in range(1, len(g) - 1)]
    if not candidates:
        return renumber(text, outline, rng, +1)
    group, k = rng.choice(candidates)
    start, end = group[k].start, group[k + 1].start
    following = group[k + 1].marker
    shift = end - start
    return Mutation(text[:start] + text[end:], following.start - shift, following.end - shift)


def mutate_repeat(text: str, outline: Outline, rng: random.Random) -> Mutation | None:
    """A section copied and not renumbered (一、二、二、三、), or the items from a chosen one on numbered one
    too low; the two forms alternate."""
    if rng.random() < 0.5:
        return renumber(text, outline, rng, -1)
    candidates = [(g, k) for g in groups(outline) for k in range(len(g) - 1)]
    if not candidates:
        return renumber(text, outline, rng, -1)
    group, k = rng.choice(candidates)
    start, end = text.rfind("\n", 0, group[k].start) + 1, text.rfind("\n", 0, group[k + 1].start) + 1
    section = text[start:end]
    if not section.endswith("\n"):
        return None
    copy_marker = group[k].marker
    offset = end - start
    return Mutation(text[:end] + section + text[end:], copy_marker.start + offset, copy_marker.end + offset)


_DEEPER = {"cn": "paren-cn", "paren-cn": "arabic", "arabic": "paren-arabic"}


def mutate_level_skip(text: str, outline: Outline, rng: random.Random) -> Mutation | None:
    """Under one 一、 write the （一） items as 1. (or under one （一）, the 1. items as （1）)."""
    candidates = []
    for parent in outline.headings():
        if parent.kind not in _DEEPER or _DEEPER[parent.kind] not in _DEEPER:
            continue
        child_kind, skip_to = _DEEPER[parent.kind], _DEEPER[_DEEPER[parent.kind]]
        children = [c for c in parent.children if c.kind == child_kind]
        if children and all(not c.children for c in children):
            candidates.append((children, skip_to))
    if not candidates:
        return None
    children, skip_to = rng.choice(candidates)
    edits = []
    for child in children:
        new = f"{child.number}." if skip_to == "arabic" else f"（{child.number}）"
        edits.append((child.marker.start, child.marker.end, new))
    first = children[0].marker
    return Mutation(replace_all(text, edits), first.start, first.start + len(edits[0][2]))


def mutate_lone_child(text: str, outline: Outline, rng: random.Random) -> Mutation | None:
    """Delete the 2nd … last child of a parent, so that only （一） remains."""
    candidates = []
    for parent in outline.headings():
        children = [c for c in parent.children if c.kind in GB_LEVEL]
        kinds = {c.kind for c in children}
        if len(children) >= 2 and len(kinds) == 1 and children[0].number == 1 and parent.kind in GB_LEVEL:
            candidates.append(children)
    if not candidates:
        return None
    children = rng.choice(candidates)
    start, end = children[1].paragraph.start, children[-1].section_end
    lone = children[0].marker
    return Mutation(text[:start] + text[end:], lone.start, lone.end)


def chains(outline: Outline) -> list[list]:
    """一是/二是 (一要/二要, 第一/第二) chains of two or more items."""
    result, current = [], []
    for item in outline.sequences:
        if item.family == "首先":
            continue
        if (current and item.family == current[-1].family and item.number == current[-1].number + 1
                and item.paragraph - current[-1].paragraph <= SEQUENCE_MAX_PARAGRAPH_GAP):
            current.append(item)
            continue
        if len(current) >= 2:
            result.append(current)
        current = [item] if item.number == 1 else []
    if len(current) >= 2:
        result.append(current)
    return result


def mutate_sequence_gap(text: str, outline: Outline, rng: random.Random) -> Mutation | None:
    """一是…二是…三是 -> 一是…三是…四是, or the 二是 item deleted when a 三是 follows (一是…三是)."""
    found = chains(outline)
    if not found:
        return None
    chain = rng.choice(found)
    if len(chain) >= 3 and rng.random() < 0.5:
        start, end = chain[1].start, chain[2].start
        if "\n" not in text[start:end]:  # both in one paragraph: drop the 二是 clause
            shift = end - start
            return Mutation(text[:start] + text[end:], chain[2].start - shift, chain[2].end - shift)
    edits = []
    for item in chain[1:]:
        word = f"第{int_to_cn(item.number + 1)}" if item.family == "第" else f"{int_to_cn(item.number + 1)}{item.family}"
        edits.append((item.start, item.end, word))
    return Mutation(replace_all(text, edits), chain[1].start, chain[1].start + len(edits[0][2]))


_WRONG_PUNCT = {"cn": ["．", "."], "paren-cn": ["、", "．"], "arabic": ["、"], "paren-arabic": ["、", "．"]}


def mutate_marker_punct(text: str, outline: Outline, rng: random.Random) -> Mutation | None:
    """一、 -> 一． / （一） -> （一）、 / 1. -> 1、 / （1） -> （1）、."""
    candidates = [h for h in outline.headings() if h.kind in GB_LEVEL and not h.marker.wrong_punctuation
                  and not h.marker.halfwidth_brackets]
    if not candidates:
        return None
    heading = rng.choice(candidates)
    m = heading.marker
    wrong = rng.choice(_WRONG_PUNCT[m.kind])
    if m.kind in ("cn", "arabic"):
        new = m.text[: -len(m.punct)] + wrong
    else:
        new = m.text + wrong
    return Mutation(text[:m.start] + new + text[m.end:], m.start, m.start + len(new))


_CJK = "\u4e00-\u9fff"
_FULL_TO_HALF = {"，": ",", "；": ";", "：": ":", "（": "("}
_SWAPPABLE = re.compile(rf"(?<=[{_CJK}])[，；：](?=[{_CJK}])|(?<=[{_CJK}])（(?=[{_CJK}][^（）\n]{{0,20}}）)")


def mutate_halfwidth(text: str, outline: Outline, rng: random.Random) -> Mutation | None:
    """Replace one ， ； ： or （…） between Chinese characters with its half-width form."""
    sites = [m for m in _SWAPPABLE.finditer(text)]
    if not sites:
        return None
    site = rng.choice(sites)
    pos = site.start()
    if site[0] == "（":
        close = text.index("）", pos)
        mutated = text[:pos] + "(" + text[pos + 1:close] + ")" + text[close + 1:]
        return Mutation(mutated, pos, pos + 1)
    return Mutation(text[:pos] + _FULL_TO_HALF[site[0]] + text[pos + 1:], pos, pos + 1)


MUTATIONS: dict[str, tuple[Mutator, set[str]]] = {
    "numbering gap": (mutate_gap, {"structure.numbering-gap"}),
    "numbering repeat": (mutate_repeat, {"structure.numbering-repeat"}),
    "level skip": (mutate_level_skip, {"structure.level-skip"}),
    "lone child": (mutate_lone_child, {"structure.lone-child"}),
    "sequence gap": (mutate_sequence_gap, {"structure.sequence-gap"}),
    "wrong marker punctuation": (mutate_marker_punct, {"structure.marker-style"}),
    "half-width punctuation": (mutate_halfwidth, {"norms.halfwidth-punct"}),
}


def covers(findings: list[Finding], start: int, end: int, rules: set[str]) -> bool:
    """Whether a finding of one of ``rules`` covers the span [start, end)."""
    return any(f.rule in rules and f.start <= start and end <= f.end for f in findings)


def load(folder: Path) -> list[tuple[str, str]]:
    """(name, normalised text) of every .txt file in ``folder``."""
    return [(p.stem, normalise(p.read_text(encoding="utf-8"))) for p in sorted(folder.glob("*.txt"))]


def as_they_are(docs: list[tuple[str, str]], list_errors: bool, sample: int, rng: random.Random) -> None:
    """Error-level findings on the unmodified documents."""
    errors: list[tuple[str, str, Finding]] = []
    by_rule: Counter[tuple[str, str]] = Counter()
    docs_with_error = 0
    for name, text in docs:
        findings = check(text)
        for f in findings:
            by_rule[(f.rule, f.severity.value)] += 1
        doc_errors = [f for f in findings if f.severity is Severity.ERROR and f.family == "structure"]
        docs_with_error += bool(doc_errors)
        errors.extend((name, text, f) for f in doc_errors)
    n = len(docs)
    print(f"## As they are: {n} documents")
    print(f"error-level structure findings: {len(errors)} ({100 * len(errors) / n:.1f} per 100 documents), "
          f"in {docs_with_error} documents")
    norms_errors = sum(v for (rule, sev), v in by_rule.items() if rule.startswith("norms.") and sev == "error")
    print(f"error-level norms findings: {norms_errors} ({100 * norms_errors / n:.1f} per 100 documents)")
    print("findings by rule and severity:")
    for (rule, sev), count in sorted(by_rule.items()):
        print(f"  {rule:34} {sev:8} {count}")
    shown = errors if list_errors else rng.sample(errors, min(sample, len(errors)))
    if shown:
        print(f"error findings to read by hand ({len(shown)} of {len(errors)}):")
    for name, text, f in shown:
        print(f"  {name} 第{line_number(text, f.start)}行 {f.rule} “{text[f.start:f.end]}” {f.message}")


def injected(docs: list[tuple[str, str]], rng: random.Random, show_misses: int) -> None:
    """Recall per mutation type."""
    print("## Injected faults")
    print(f"{'mutation':28} {'documents':>9} {'hits':>6} {'recall':>7}")
    for label, (mutator, rules) in MUTATIONS.items():
        tried = hits = 0
        misses = []
        for name, text in docs:
            outline = parse_outline(text)
            before = check(text)
            mutation = None
            for _attempt in range(5):  # avoid sites the unmutated document already flags
                candidate = mutator(text, outline, rng)
                if candidate is None:
                    break
                if not any(f.start < candidate.end and candidate.start < f.end and f.rule in rules for f in before):
                    mutation = candidate
                    break
            if mutation is None:
                continue
            tried += 1
            if covers(check(mutation.text), mutation.start, mutation.end, rules):
                hits += 1
            else:
                misses.append((name, mutation))
        recall = hits / tried if tried else float("nan")
        print(f"{label:28} {tried:9} {hits:6} {recall:7.3f}")
        for name, mutation in misses[:show_misses]:
            line = line_number(mutation.text, mutation.start)
            print(f"    miss {name} 第{line}行 “{mutation.text[mutation.start:mutation.end]}” "
                  f"{mutation.text[max(0, mutation.start - 15):mutation.end + 15]!r}")


def speed(docs: list[tuple[str, str]], repeats: int) -> None:
    """Median time of structure + norms on 10,000-character texts."""
    long_texts = [text[:10_000] for _, text in sorted(docs, key=lambda d: -len(d[1])) if len(text) >= 10_000][:20]
    if len(long_texts) < 5:  # too few long documents: join short ones
        joined = "\n".join(text for _, text in docs)
        long_texts = [joined[i:i + 10_000] for i in range(0, min(len(joined), 200_000), 10_000)]
    from drafter.services.checks import CheckRequest, run_checks

    print("## Speed")
    for label, run in (("analysis (check_structure + check_norms)", check),
                       ("service (run_checks with the registered checks)", lambda t: run_checks(CheckRequest(text=t)))):
        per_text = []
        for text in long_texts:
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                run(text)
                times.append(time.perf_counter() - start)
            per_text.append(statistics.median(times))
        print(f"{label}: {len(long_texts)} texts of 10,000 characters, {repeats} runs each: "
              f"median {1000 * statistics.median(per_text):.1f} ms, slowest text {1000 * max(per_text):.1f} ms")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="folder of .txt documents, e.g. ../shared/data/gov_docs/docs")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sample", type=int, default=30, help="error findings to print for reading by hand")
    parser.add_argument("--list-errors", action="store_true", help="print every error finding")
    parser.add_argument("--show-misses", type=int, default=5, help="missed mutations to print per type")
    parser.add_argument("--repeats", type=int, default=15, help="timing runs per text")
    parser.add_argument("--skip", nargs="*", default=[], choices=["asis", "inject", "speed"])
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"not a folder: {args.folder}", file=sys.stderr)
        return 2
    docs = load(args.folder)
    rng = random.Random(args.seed)
    if "asis" not in args.skip:
        as_they_are(docs, args.list_errors, args.sample, rng)
    if "inject" not in args.skip:
        injected(docs, rng, args.show_misses)
    if "speed" not in args.skip:
        speed(docs, args.repeats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
