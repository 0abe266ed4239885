"""Sentence embeddings with the local multilingual-e5-small model (``models/e5-small``, built by
``models/build_e5.py``), run with ONNX Runtime. Nothing is ever downloaded.

e5 expects a prompt: ``query: `` for what the user types, ``passage: `` for archive text. Vectors are
L2-normalised float32 of 384 dimensions; their cosines are bunched (0.75-0.97), so callers rank or normalise
them and never compare a raw cosine with a fixed threshold.

Loading is lazy and takes well under a second with the int8 graph; importing this module loads nothing.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from drafter.analysis.terms import simplified

MODEL_NAME = "e5-small"
DIM = 384
QUERY_PROMPT = "query: "
PASSAGE_PROMPT = "passage: "
#: Graph files by precision; ``int8`` is the default (dynamic quantisation, about 1.6x the fp32 speed).
GRAPHS = {"int8": "onnx/model_qint8.onnx", "fp32": "onnx/model.onnx"}
#: Tokens per sentence fed to the model (sentences are short; a long one is cut, not windowed).
MAX_TOKENS = 256


class ModelMissing(Exception):
    """The model folder is missing or incomplete; the message is Chinese and says how to build it."""


def default_model_dirs(configured: str | Path | None = None) -> list[Path]:
    """Where to look for ``e5-small``: the configured model folder, then ``models/`` of the source checkout."""
    candidates = []
    if configured:
        candidates.append(Path(configured))
    env = os.environ.get("DRAFTER_MODEL_DIR")
    if env:
        candidates.append(Path(env))
    candidates.append(Path("models"))
    candidates.append(Path(__file__).resolve().parents[2] / "models")
    return candidates


def find_model(configured: str | Path | None = None, precision: str = "int8") -> Path | None:
    """The model folder (holding ``drafter-model.json`` and the graph of ``precision``), or None."""
    for base in default_model_dirs(configured):
        for folder in (base / MODEL_NAME, base):
            if (folder / "drafter-model.json").is_file() and (folder / GRAPHS[precision]).is_file() \
                    and (folder / "tokenizer.json").is_file():
                return folder.resolve()
    return None


def missing_message(configured: str | Path | None = None) -> str:
    """The Chinese explanation shown when the model is not there."""
    where = "、".join(str(p / MODEL_NAME) for p in default_model_dirs(configured)[:2])
    return (f"未找到语义模型 {MODEL_NAME}（已查找：{where}）。请在项目目录运行 ./scripts/setup 或 "
            f"python models/build_e5.py 生成模型文件，或用 DRAFTER_MODEL_DIR 指定模型所在文件夹。")


@dataclass
class Encoder:
    """An e5 encoder: a tokenizer and an ONNX Runtime session. Thread-safe for ``encode``."""

    folder: Path
    precision: str
    _session: object
    _tokenizer: object
    threads: int

    @classmethod
    def load(cls, folder: str | Path | None = None, precision: str = "int8", threads: int | None = None) -> Encoder:
        """Load the model from ``folder`` (or find it); :class:`ModelMissing` when it is not there."""
        found = find_model(folder, precision)
        if found is None:
            raise ModelMissing(missing_message(folder))
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        options.log_severity_level = 3
        threads = threads or min(os.cpu_count() or 1, 4)
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Waiting threads sleep instead of spinning: on a shared 2-core server (web app, worker, other
        # processes) spinning burns half the CPU; measured 47.7 vs 24.1 sentences/s under load.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(str(found / GRAPHS[precision]), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(found / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()
        return cls(found, precision, session, tokenizer, threads)

    @property
    def name(self) -> str:
        """Model id stored beside every vector, so vectors of another model are never mixed in."""
        return MODEL_NAME

    @property
    def manifest(self) -> dict:
        """The build manifest of the model folder."""
        return json.loads((self.folder / "drafter-model.json").read_text(encoding="utf-8"))

    def encode(self, texts: Sequence[str], prompt: str, batch_size: int = 32,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """L2-normalised float32 vectors ``[len(texts), 384]``; texts are simplified and prefixed with ``prompt``.

        Texts are batched by length so little padding is computed; ``progress`` gets the count done so far.
        """
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch([prompt + simplified(t) for t in texts])  # type: ignore[attr-defined]
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        done = 0
        for begin in range(0, len(order), batch_size):
            rows = order[begin:begin + batch_size]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.ones((len(rows), width), dtype=np.int64)  # 1 = <pad>
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            vectors = self._session.run(["sentence_embedding"],  # type: ignore[attr-defined]
                                        {"input_ids": ids, "attention_mask": mask})[0]
            out[rows] = vectors
            done += len(rows)
            if progress:
                progress(done)
        return out

    def passages(self, texts: Sequence[str], **kwargs: object) -> np.ndarray:
        """Vectors of archive sentences (``passage: `` prompt)."""
        return self.encode(texts, PASSAGE_PROMPT, **kwargs)  # type: ignore[arg-type]

    def queries(self, texts: Sequence[str], **kwargs: object) -> np.ndarray:
        """Vectors of what a user searches with (``query: `` prompt)."""
        return self.encode(texts, QUERY_PROMPT, **kwargs)  # type: ignore[arg-type]


_cache: dict[tuple[str, str], Encoder] = {}
_cache_lock = threading.Lock()


def shared_encoder(folder: str | Path | None = None, precision: str = "int8") -> Encoder:
    """One encoder per process and model folder, loaded on first use."""
    key = (str(folder or ""), precision)
    with _cache_lock:
        if key not in _cache:
            _cache[key] = Encoder.load(folder, precision)
        return _cache[key]
