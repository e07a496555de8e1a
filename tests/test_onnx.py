"""The ONNX Runtime path: fp32 logits equal torch's within 1e-4 (tiny random encoders, both heads),
int8 only where a dev agreement record allows it, and the pipeline's output unchanged."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
import torch

from claimstance.errors import ClaimstanceError
from claimstance.infer.runtime import INT8_RECORD, OnnxModel, onnx_file, use_runtime

pytest.importorskip("onnxruntime")


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMSTANCE_CACHE", str(tmp_path / "cache"))


def _tiny(tmp_path, head: str):
    from transformers import BertConfig, BertForSequenceClassification, BertForTokenClassification

    torch.manual_seed(0)
    config = BertConfig(vocab_size=120, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64, num_labels=3 if head == "seq" else 7)
    model = (BertForSequenceClassification if head == "seq" else BertForTokenClassification)(config).eval()
    folder = tmp_path / head
    model.save_pretrained(folder)  # safetensors
    return model, folder


def _inputs(names, lengths=(5, 17, 11)):
    g = torch.Generator().manual_seed(1)
    width = max(lengths)
    ids = torch.randint(1, 120, (len(lengths), width), generator=g)
    mask = torch.tensor([[1] * n + [0] * (width - n) for n in lengths])
    ids = ids * mask
    out = {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids)}
    return {n: out[n] for n in names}


@pytest.mark.parametrize("head, names", [("seq", ("input_ids", "token_type_ids", "attention_mask")),
                                         ("tok", ("input_ids", "attention_mask"))])
def test_fp32_onnx_logits_equal_torch_within_1e_4(tmp_path, head, names):
    model, folder = _tiny(tmp_path, head)
    onnx = OnnxModel(onnx_file(folder, model, names), model.config)
    for lengths in ((5, 17, 11), (3,), (40, 40)):  # batch and sequence axes are dynamic
        inputs = _inputs(names, lengths)
        with torch.no_grad():
            expected = model(**inputs).logits.numpy()
        got = onnx(**inputs).logits.numpy()
        assert got.shape == expected.shape
        mask = inputs["attention_mask"].numpy().astype(bool)
        diff = np.abs(got - expected)[mask] if head == "tok" else np.abs(got - expected)
        assert diff.max() < 1e-4, diff.max()
    assert onnx_file(folder, model, names) == onnx.path  # cached: not exported twice


def test_int8_only_where_the_dev_agreement_record_allows_it(tmp_path):
    model, folder = _tiny(tmp_path, "seq")
    names = ("input_ids", "token_type_ids", "attention_mask")
    assert use_runtime(model, folder, "torch", names) is model
    assert use_runtime(model, folder, "onnx-int8", names).path.name == "model.onnx"  # not measured: fp32
    (folder / INT8_RECORD).write_text(json.dumps({"agreement": 0.97}))
    assert use_runtime(model, folder, "onnx-int8", names).path.name == "model.onnx"
    (folder / INT8_RECORD).write_text(json.dumps({"agreement": 0.99}))
    int8 = use_runtime(model, folder, "onnx-int8", names)
    assert int8.path.name == "model-int8.onnx"
    inputs = _inputs(names)
    assert int8(**inputs).logits.shape == (3, 3)
    with pytest.raises(ClaimstanceError):
        use_runtime(model, folder, "tensorrt", names)


def test_the_pipeline_gives_the_same_output_with_onnx(contract):
    from claimstance.config import InferConfig
    from claimstance.infer.pipeline import Pipeline

    texts = [("a", contract.GOOD_A), ("b", contract.GOOD_B)]
    torch_out = [r.to_dict() for r in Pipeline.from_config(dataclasses.replace(InferConfig(), runtime="torch")).pipe(texts)]
    onnx_out = [r.to_dict() for r in Pipeline.from_config(dataclasses.replace(InferConfig(), runtime="onnx")).pipe(texts)]
    for a, b in zip(torch_out, onnx_out):
        strip = lambda d: [(s["content"], s["speaker"], [j["label"] for j in s["stances"]]) for s in d["statements"]]  # noqa: E731
        assert strip(a) == strip(b) and a["parties"] == b["parties"]
        for sa, sb in zip(a["statements"], b["statements"]):
            for ja, jb in zip(sa["stances"], sb["stances"]):
                assert abs(ja["score"] - jb["score"]) <= 1.01e-4  # scores are written with 4 decimals
        assert [c["label"] for c in a["stance_matrix"]] == [c["label"] for c in b["stance_matrix"]]
