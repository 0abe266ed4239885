"""Encoding speed of ONNX graphs of the embedding model on real sentences (sentences per second, wall time).

Each graph gets its own ONNX Runtime session with 2 intra-op threads; the same sentences (from ``--documents``
random real texts, 8 per text, ``passage:`` prompt) are encoded in batches of 32, graphs taking turns, and the
median of ``--runs`` rounds is printed. By default the shipped graphs (int8 and fp32) of ``models/e5-small``;
pass other ``.onnx`` files to compare quantisation choices.

    python bench/embed_speed.py ../shared/data/gov_docs/docs [GRAPH.onnx ...] [--runs 3]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from pathlib import Path

import numpy as np

MODEL = Path(__file__).resolve().parents[1] / "models" / "e5-small"


def sentences(folder: Path, documents: int, seed: int = 5) -> list[str]:
    """Up to 800 prompted sentences of 8–200 characters from random documents."""
    rng = random.Random(seed)
    found: list[str] = []
    for path in rng.sample(sorted(folder.glob("*.txt")), documents):
        text = path.read_text(encoding="utf-8", errors="ignore")
        found += [s.strip() for s in re.split(r"(?<=[。！？；])", text) if 8 <= len(s.strip()) <= 200][:8]
    return ["passage: " + s for s in found[:800]]


def encode_all(session, tokenizer, texts: list[str], batch: int = 32) -> float:  # type: ignore[no-untyped-def]
    """Sentences per second for encoding ``texts``."""
    started = time.perf_counter()
    for begin in range(0, len(texts), batch):
        encodings = tokenizer.encode_batch(texts[begin:begin + batch])
        width = max(len(e.ids) for e in encodings)
        ids = np.array([e.ids + [1] * (width - len(e.ids)) for e in encodings], np.int64)
        mask = np.array([[1] * len(e.ids) + [0] * (width - len(e.ids)) for e in encodings], np.int64)
        session.run(["sentence_embedding"], {"input_ids": ids, "attention_mask": mask})
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    import onnxruntime as ort
    from tokenizers import Tokenizer

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("docs", type=Path)
    parser.add_argument("graphs", type=Path, nargs="*")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--documents", type=int, default=150)
    args = parser.parse_args()
    graphs = args.graphs or [MODEL / "onnx" / "model_qint8.onnx", MODEL / "onnx" / "model.onnx"]
    tokenizer = Tokenizer.from_file(str(MODEL / "tokenizer.json"))
    tokenizer.enable_truncation(256)
    texts = sentences(args.docs, args.documents)
    sessions = {}
    for graph in graphs:
        options = ort.SessionOptions()
        options.log_severity_level = 3
        options.intra_op_num_threads = 2
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # as the encoder runs it
        sessions[graph] = ort.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
    rates: dict[Path, list[float]] = {graph: [] for graph in graphs}
    for _ in range(args.runs):
        for graph, session in sessions.items():
            rates[graph].append(encode_all(session, tokenizer, texts))
    print(f"{len(texts)} sentences, batches of 32, 2 threads, {args.runs} rounds")
    for graph, values in rates.items():
        print(f"{graph}: median {statistics.median(values):6.1f} sentences/s  ({', '.join(f'{v:.1f}' for v in values)})")


if __name__ == "__main__":
    main()
