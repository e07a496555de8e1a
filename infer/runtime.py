"""The fast CPU path: the shipped transformers through ONNX Runtime (``runtime: onnx`` in the infer config).

A model folder's safetensors weights are exported once with ``torch.onnx.export`` (fp32, dynamic
batch and sequence axes) into a cache keyed by the weights' digest (``$CLAIMSTANCE_CACHE`` or
``~/.cache/claimstance``), then :class:`OnnxModel` stands in for the torch module: same call
(``model(input_ids=..., attention_mask=...)``), same ``.logits``, same ``config``. fp32 logits equal
torch's within 1e-4 (``tests/test_onnx.py``).

``runtime: onnx-int8`` asks for dynamically quantised int8 weights, which are faster but move
some predictions. It is used for a model only where ``int8.json`` in its folder records an
agreement with fp32 of at least :data:`MIN_INT8_AGREEMENT` on dev (written by
``benchmarks/bench_onnx.py``); elsewhere that model stays fp32, and the log says so.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Optional

import numpy as np

from claimstance.config import RUNTIMES
from claimstance.errors import ClaimstanceError
from claimstance.provenance import file_digest

__all__ = ["RUNTIMES", "EXPORT_VERSION", "MIN_INT8_AGREEMENT", "OnnxModel", "onnx_file", "export_onnx", "use_runtime",
           "int8_allowed"]

log = logging.getLogger(__name__)

MIN_INT8_AGREEMENT = 0.98
INT8_RECORD = "int8.json"
_LOCK = threading.Lock()


def cache_dir() -> Path:
    root = os.environ.get("CLAIMSTANCE_CACHE") or Path.home() / ".cache" / "claimstance"
    return Path(root) / "onnx"


# what an export is: 2 = eager attention traced, then ONNX Runtime's transformer fusions (attention,
# layer norm, GELU); 1 (before 2026-12-07) traced PyTorch's fused attention kernel, whose graph the
# runtime cannot fuse: 19-22% slower on 2 cores (docs/batch-jobs.md). Part of the cache key.
EXPORT_VERSION = 2


def _attention_modules(model) -> list:
    """The Hugging Face models inside ``model`` (itself, or the one a wrapper holds)."""
    return [m for m in model.modules() if hasattr(m, "set_attn_implementation") and hasattr(m, "config")]


def export_onnx(model, path: Path, input_names: tuple[str, ...]) -> Path:
    """Export a Hugging Face classifier (fp32) to ``path`` with dynamic batch and sequence axes:
    attention traced in its plain (eager) form, then fused by ONNX Runtime's transformer optimizer
    where it recognises the graph (:func:`_fuse`)."""
    import torch

    model = model.float().eval()
    inner = _attention_modules(model)
    before = [m.config._attn_implementation for m in inner]
    for m in inner:
        m.set_attn_implementation("eager")
    # a padded row in the example batch: traced with an all-ones mask, the exported graph could
    # leave the mask out (attention kernels skip a mask that masks nothing)
    mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3])
    example = {"input_ids": torch.full((2, 8), 5, dtype=torch.long) * mask, "attention_mask": mask,
               "token_type_ids": torch.zeros((2, 8), dtype=torch.long)}
    dummy = tuple(example[n] for n in input_names)
    axes = {n: {0: "batch", 1: "sequence"} for n in input_names}
    with torch.no_grad():
        rank = model(**dict(zip(input_names, dummy))).logits.ndim  # 2: per text, 3: per token
    axes["logits"] = {0: "batch"} if rank == 2 else {0: "batch", 1: "sequence"}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")

    class _Logits(torch.nn.Module):  # positional inputs in ``input_names`` order -> logits
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, *args):
            return self.inner(**dict(zip(input_names, args))).logits

    try:
        with torch.no_grad():
            torch.onnx.export(_Logits(model).eval(), dummy, str(tmp), input_names=list(input_names),
                              output_names=["logits"], dynamic_axes=axes, opset_version=17, dynamo=False)
    finally:
        for m, impl in zip(inner, before):
            m.set_attn_implementation(impl)
        model.eval()  # the exporter may leave modules in training mode (dropout on)
    _fuse(tmp, inner[0].config if inner else None)
    os.replace(tmp, path)
    return path


def _fuse(path: Path, config) -> None:
    """ONNX Runtime's transformer fusions on an exported BERT-like graph, in place; the plain
    export stays when the optimizer is missing or fails (it is an optimisation, not a need)."""
    heads = getattr(config, "num_attention_heads", None)
    hidden = getattr(config, "hidden_size", None)
    if not heads or not hidden:
        return
    try:
        from onnxruntime.transformers import optimizer

        fused = optimizer.optimize_model(str(path), model_type="bert", num_heads=heads, hidden_size=hidden)
        fused.save_model_to_file(str(path))
    except Exception as exc:  # noqa: BLE001 - keep the plain graph
        log.warning("ONNX transformer fusions skipped for %s: %s", path, exc)


def _quantize(src: Path, dst: Path) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = dst.with_name(dst.name + f".{os.getpid()}.tmp")
    from onnx import TensorProto

    # the fused graph's contrib operators have no inferred types: name the default one
    quantize_dynamic(str(src), str(tmp), weight_type=QuantType.QInt8, extra_options={"DefaultTensorType": TensorProto.FLOAT})
    os.replace(tmp, dst)
    return dst


def onnx_file(folder: Path, model, input_names: tuple[str, ...], int8: bool = False) -> Path:
    """The cached ONNX file of a model folder (exported, and quantised, on first use)."""
    folder = Path(folder)
    digest = file_digest(folder / "model.safetensors", folder / "config.json")
    target = cache_dir() / f"{folder.name}-{digest}-x{EXPORT_VERSION}"
    fp32 = target / "model.onnx"
    with _LOCK:
        if not fp32.is_file():
            log.info("exporting %s to ONNX (%s)", folder, fp32)
            export_onnx(model, fp32, input_names)
        if not int8:
            return fp32
        q = target / "model-int8.onnx"
        if not q.is_file():
            _quantize(fp32, q)
        return q


def int8_allowed(folder: Path) -> tuple[bool, Optional[float]]:
    """Whether ``int8.json`` in the folder records a dev agreement of at least MIN_INT8_AGREEMENT."""
    record = Path(folder) / INT8_RECORD
    if not record.is_file():
        return False, None
    agreement = float(json.loads(record.read_text("utf-8")).get("agreement", 0.0))
    return agreement >= MIN_INT8_AGREEMENT, agreement


class OnnxModel:
    """Stands in for a Hugging Face classifier: ``model(**inputs).logits`` (a torch tensor)."""

    def __init__(self, path: Path, config, threads: Optional[int] = None):
        try:
            import onnxruntime as ort
        except ImportError:
            raise ClaimstanceError("runtime onnx needs onnxruntime: pip install onnxruntime") from None
        options = ort.SessionOptions()
        import torch

        options.intra_op_num_threads = threads or torch.get_num_threads()
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]
        self.config = config
        self.path = Path(path)

    def eval(self) -> "OnnxModel":
        return self

    def __call__(self, **inputs):
        import torch

        feed = {name: np.asarray(inputs[name].numpy() if hasattr(inputs[name], "numpy") else inputs[name], dtype=np.int64)
                for name in self.inputs}
        (logits,) = self.session.run(["logits"], feed)
        return SimpleNamespace(logits=torch.from_numpy(logits))


def use_runtime(model, folder: Path, runtime: str, input_names: tuple[str, ...]):
    """``model`` itself for ``torch``; else its ONNX stand-in (int8 only where the record allows)."""
    if runtime not in RUNTIMES:
        raise ClaimstanceError(f"runtime must be one of {', '.join(RUNTIMES)}, got {runtime!r}")
    if runtime == "torch":
        return model
    int8 = False
    if runtime == "onnx-int8":
        int8, agreement = int8_allowed(folder)
        if not int8:
            log.warning("%s: int8 agreement with fp32 on dev is %s (< %.0f%% or not measured): using fp32 ONNX",
                        folder, "unmeasured" if agreement is None else f"{agreement:.2%}", 100 * MIN_INT8_AGREEMENT)
    return OnnxModel(onnx_file(folder, model, input_names, int8), model.config)
