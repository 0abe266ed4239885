"""Tests for drafter.analysis.embedding with the real local model (marked ``model``)."""

import numpy as np
import pytest

from drafter.analysis.embedding import DIM, Encoder, ModelMissing, find_model, missing_message

pytestmark = pytest.mark.model

SENTENCES = ["各处室要在三月底前报送年度文稿选题。", "请各部门于三月末之前提交今年的写作题目。", "全市粮食播种面积保持稳定。"]


def test_model_loads_offline_and_embeddings_are_stable(e5_model, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    first = e5_model.passages(SENTENCES)
    again = e5_model.passages(list(reversed(SENTENCES)))[::-1]
    assert first.shape == (3, DIM) and first.dtype == np.float32
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-4)
    assert np.allclose(first, again, atol=1e-4)  # batching and order do not change a vector
    assert e5_model.manifest["checks"]["min_cosine_fp32_vs_numpy"] >= 0.9999


def test_meaning_beats_wording(e5_model):
    query = e5_model.queries([SENTENCES[1]])[0]
    passages = e5_model.passages([SENTENCES[0], SENTENCES[2]])
    assert passages[0] @ query > passages[1] @ query


def test_traditional_text_is_embedded_like_simplified(e5_model):
    a, b = e5_model.passages(["國務院辦公廳關於加強文稿審核的通知", "国务院办公厅关于加强文稿审核的通知"])
    assert a @ b > 0.999


def test_int8_stays_close_to_fp32(e5_model):
    fp32 = Encoder.load(e5_model.folder, precision="fp32")
    assert np.min(np.sum(fp32.passages(SENTENCES) * e5_model.passages(SENTENCES), axis=1)) > 0.98


def test_missing_model_is_explained_in_chinese(tmp_path, monkeypatch):
    monkeypatch.delenv("DRAFTER_MODEL_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("drafter.analysis.embedding.default_model_dirs", lambda configured=None: [tmp_path])
    assert find_model() is None
    with pytest.raises(ModelMissing, match="models/build_e5.py"):
        Encoder.load()
    assert "未找到语义模型" in missing_message(tmp_path)
