"""Fuzz the text parsers: structure/norms/formulaic checks, the outline, the file readers, reuse alignment.

Generates documents from a grammar of official-writing pieces (headings of every level and style, run-in
headings, 一是/二是 chains, 第一章/第一条, quotes and brackets, dates, half-width punctuation, blanks, CR/LF,
BOM, random Unicode) and mutated files (bit flips and truncations of valid .docx/.txt bytes), and checks
invariants on every result: no exception other than the documented reading error, spans inside the text,
dotted rule ids, outline spans nested in their parents.

usage: python bench/fuzz_parsers.py [--inputs 100000] [--seed 1] [--slow-every 50]
The slow checks (formulaic, typos) run on every ``--slow-every``-th input only.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import time
import traceback
from collections import Counter

PIECES = [
    "一、", "二、", "三、", "十一、", "一.", "二．", "（一）", "(二)", "（三)", "（十二）", "1.", "2．", "3、", "10.",
    "（1）", "(2)", "（3）、", "一是", "二是", "四是", "第一，", "其次，", "最后，", "第一章", "第二章", "第一节",
    "第一条", "第十二条", "附件：", "附件：1.", "2.", "（此件公开发布）", "2023年3月5日", "二〇二三年三月五日",
    "江澜市委办公室", "高度重视", "切实加强", "进一步提高", "再上新台阶", "“", "”", "‘", "’", "《", "》", "〈", "〉",
    "（", "）", "(", ")", "\"", "'", ",", ";", ":", "?", "!", "，", "。", "；", "：", "？", "！", "、", "……",
    "——", "—", "～", " ", "\u3000", "\u3000\u3000", "\t", "\n", "\n\n", "\r\n", "\r", "\ufeff", "１２３", "2024",
    "5.6万元", "85%", "关于做好年度文稿工作的通知", "各处室：", "现将有关事项通知如下。", "围绕中心抓落实",
    "抓好", "做好", "加强", "工作", "推进", "落实", "责任", "各", "县", "乡", "镇", "村", "的", "了", "和",
]


def random_text(rng: random.Random) -> str:
    """A document built from official-writing pieces with random noise."""
    parts = []
    for _ in range(rng.randint(0, 120)):
        roll = rng.random()
        if roll < 0.8:
            parts.append(rng.choice(PIECES))
        elif roll < 0.95:
            parts.append("".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(1, 12))))
        else:
            parts.append("".join(chr(rng.randint(1, 0x2FFFF)) for _ in range(rng.randint(1, 4)))
                         .replace("\ud800", ""))
    text = "".join(parts)
    return "".join(ch for ch in text if not 0xD800 <= ord(ch) <= 0xDFFF)


def valid_files() -> list[tuple[str, bytes]]:
    """A valid .docx and .txt (UTF-8 and GBK) to mutate."""
    from drafter.docio import write_docx

    text = "关于做好年度文稿工作的通知\n\n各处室：\n一、总体要求\n（一）明确分工。各处室负责起草。\n1．三月底前报送。\n"
    buffer = io.BytesIO()
    write_docx(text, buffer)
    return [("a.docx", buffer.getvalue()), ("a.txt", text.encode("utf-8")), ("b.txt", text.encode("gbk"))]


def mutate(rng: random.Random, data: bytes) -> bytes:
    """Bit flips, byte insertions/deletions and truncation."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.random()
        if not buf:
            break
        pos = rng.randrange(len(buf))
        if op < 0.5:
            buf[pos] ^= 1 << rng.randrange(8)
        elif op < 0.7:
            buf.insert(pos, rng.randrange(256))
        elif op < 0.9:
            del buf[pos]
        else:
            del buf[pos:]
    return bytes(buf)


def check_findings(text: str, findings: list) -> None:
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text), (f.rule, f.start, f.end, len(text))
        assert "." in f.rule and f.message, f.rule


def check_outline(nodes: list[dict], text: str, lo: int = 0, hi: int | None = None) -> None:
    hi = len(text) if hi is None else hi
    for node in nodes:
        assert lo <= node["start"] <= node["end"] <= len(text), node
        assert 1 <= node["level"] <= 9, node
        check_outline(node["children"], text, node["start"], hi)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--slow-every", type=int, default=50)
    args = parser.parse_args()

    from drafter.analysis.norms import check_norms
    from drafter.analysis.outline import parse_outline
    from drafter.analysis.structure import check_structure
    from drafter.analysis.text import normalise
    from drafter.docio import DocumentReadError, read_bytes
    from drafter.services.checks import CheckRequest, run_checks

    rng = random.Random(args.seed)
    files = valid_files()
    counts: Counter[str] = Counter()
    crashes: list[str] = []
    started = time.perf_counter()
    for i in range(args.inputs):
        kind = "text" if i % 4 else "file"
        try:
            if kind == "text":
                text = normalise(random_text(rng))
                outline = parse_outline(text)
                check_outline(outline.to_json(), text)
                check_findings(text, check_structure(text, outline).findings)
                check_findings(text, check_norms(text))
                counts["texts"] += 1
                if counts["texts"] % args.slow_every == 0:
                    report = run_checks(CheckRequest(text=text, name="fuzz"))
                    check_findings(text, report.findings)
                    check_outline(report.outline, text)
                    counts["full checks"] += 1
            else:
                name, data = rng.choice(files)
                data = mutate(rng, data) if rng.random() < 0.9 else bytes(rng.randrange(256) for _ in range(64))
                try:
                    result = read_bytes(data, name)
                    assert "\r" not in result.text and result.text.strip()
                    counts["files read"] += 1
                except DocumentReadError as exc:
                    assert str(exc)
                    counts["files refused"] += 1
        except Exception:  # noqa: BLE001 - a fuzzer reports every crash
            crashes.append(f"input {i} ({kind}):\n{traceback.format_exc()}")
            if len(crashes) >= 20:
                break
        if (i + 1) % 10_000 == 0:
            print(f"{i + 1} inputs, {len(crashes)} crashes, {time.perf_counter() - started:.0f} s", flush=True)
    elapsed = time.perf_counter() - started
    print(f"inputs: {sum(v for k, v in counts.items() if k != 'full checks')}  {dict(counts)}")
    print(f"crashes: {len(crashes)}  time: {elapsed:.0f} s")
    for crash in crashes[:5]:
        print(crash)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
