"""ONNX Runtime against torch for the two shipped transformers, and the int8 agreement record.

    python benchmarks/bench_onnx.py [--limit N] [--write-records] [--json OUT.json]

In one process, on dev data:

* the attribution tagger on PolNeAR dev (84 articles): torch, ONNX fp32 and ONNX int8 tag the same
  texts; reported: the largest |log-probability| difference of fp32 from torch, articles/s, and
  the **agreement** of int8 with fp32: the share of fp32's decoded attributions (content, cue and
  source spans) that int8 decodes identically, against the larger of the two counts;
* the stance model on DSA valid (directed queries): the largest probability difference of fp32
  from torch, queries/s, and the agreement of int8's labels with fp32's.

``--write-records`` writes each model's ``int8.json`` (agreement, data, date) into its folder:
``runtime: onnx-int8`` uses int8 only where that agreement is at least 98%.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_infer import machine_info, write_figures  # noqa: E402


def _timed(fn):
    started = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - started


def _attribution_keys(attributions) -> list[tuple]:
    return [(tuple(a.content), tuple(a.cue), tuple(a.source)) for a in attributions]


def bench_tagger(limit) -> dict:
    from claimstance.data.polnear import iter_polnear, polnear_split_dir
    from claimstance.infer.tagger.model import AttributionTagger, resolve_tagger_model

    folder = resolve_tagger_model("default")
    texts = list({d.doc_id: d.text for d in iter_polnear(polnear_split_dir("dev"))}.values())[:limit]
    out: dict = {"data": f"PolNeAR dev, {len(texts)} articles", "folder": str(folder)}
    scores, attributions = {}, {}
    for runtime in ("torch", "onnx", "onnx-int8"):
        tagger = AttributionTagger.load(folder, batch_size=16, runtime=runtime)
        if runtime == "onnx-int8":  # measure int8 whatever the record says
            from claimstance.infer.runtime import OnnxModel, onnx_file

            tagger.model = OnnxModel(onnx_file(folder, AttributionTagger.load(folder).model,
                                               ("input_ids", "attention_mask"), int8=True), tagger.model.config)
        tagger.scores(texts[:2])  # warm-up
        scores[runtime], seconds = _timed(lambda: tagger.scores(texts))
        attributions[runtime], _ = _timed(lambda: tagger.attributions(texts))
        out[runtime] = {"seconds": round(seconds, 2), "articles_per_s": round(len(texts) / seconds, 2)}
    out["fp32_max_abs_logprob_diff"] = float(max(np.abs(a[1] - b[1]).max() for a, b in zip(scores["torch"], scores["onnx"])))
    same = total = 0
    for fp32, int8 in zip(attributions["onnx"], attributions["onnx-int8"]):
        a, b = _attribution_keys(fp32), _attribution_keys(int8)
        same += len(set(a) & set(b))
        total += max(len(a), len(b))
    out["int8_agreement"] = same / total if total else 1.0
    out["fp32_same_attributions_as_torch"] = all(
        _attribution_keys(a) == _attribution_keys(b) for a, b in zip(attributions["torch"], attributions["onnx"]))
    return out


def bench_stance(limit) -> dict:
    from claimstance.data.dsa import read_dsa
    from claimstance.data.root import default_data_root
    from claimstance.infer.runtime import OnnxModel, onnx_file
    from claimstance.infer.stance.model import StanceClassifier, resolve_stance_model
    from claimstance.infer.stance.encoding import query_from_example

    folder = resolve_stance_model("default")
    examples = list(read_dsa(default_data_root() / "dsa_news" / "valid.txt"))[: 2 * limit if limit else None]
    queries = [query_from_example(e) for e in examples]
    out: dict = {"data": f"DSA valid, {len(queries)} directed queries", "folder": str(folder)}
    probs = {}
    for runtime in ("torch", "onnx", "onnx-int8"):
        clf = StanceClassifier.load(folder, runtime="torch" if runtime == "onnx-int8" else runtime)
        if runtime == "onnx-int8":
            clf.model = OnnxModel(onnx_file(folder, clf.model, tuple(clf.tokenizer.model_input_names), int8=True),
                                  clf.model.config)
        clf.probabilities(queries[:16])
        probs[runtime], seconds = _timed(lambda: clf.probabilities(queries))
        out[runtime] = {"seconds": round(seconds, 2), "queries_per_s": round(len(queries) / seconds, 1)}
    out["fp32_max_abs_prob_diff"] = float(np.abs(probs["torch"] - probs["onnx"]).max())
    out["fp32_label_agreement_with_torch"] = float(np.mean(probs["torch"].argmax(1) == probs["onnx"].argmax(1)))
    out["int8_agreement"] = float(np.mean(probs["onnx"].argmax(1) == probs["onnx-int8"].argmax(1)))
    return out


def _write_record(folder: str, agreement: float, measure: str, data: str) -> None:
    record = {"agreement": round(agreement, 4), "measure": measure, "data": data, "min_required": 0.98,
              "date": datetime.date.today().isoformat(), "by": "benchmarks/bench_onnx.py --write-records"}
    (Path(folder) / "int8.json").write_text(json.dumps(record, indent=2) + "\n", "utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="articles / DSA rows (default: all of dev)")
    parser.add_argument("--write-records", action="store_true", help="write int8.json into the model folders")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    results = {"tagger": bench_tagger(args.limit), "stance": bench_stance(args.limit), "machine": machine_info()}
    t, s = results["tagger"], results["stance"]
    print(f"tagger ({t['data']}):")
    for r in ("torch", "onnx", "onnx-int8"):
        print(f"  {r:<10} {t[r]['seconds']:>7.2f} s  {t[r]['articles_per_s']:>6.2f} articles/s  x{t['torch']['seconds'] / t[r]['seconds']:.2f}")
    print(f"  fp32 max |log-prob diff| vs torch {t['fp32_max_abs_logprob_diff']:.2e}; same attributions as torch: "
          f"{t['fp32_same_attributions_as_torch']}; int8 agreement with fp32 {t['int8_agreement']:.2%}")
    print(f"stance ({s['data']}):")
    for r in ("torch", "onnx", "onnx-int8"):
        print(f"  {r:<10} {s[r]['seconds']:>7.2f} s  {s[r]['queries_per_s']:>7.1f} queries/s  x{s['torch']['seconds'] / s[r]['seconds']:.2f}")
    print(f"  fp32 max |prob diff| vs torch {s['fp32_max_abs_prob_diff']:.2e}; label agreement {s['fp32_label_agreement_with_torch']:.2%}; "
          f"int8 agreement with fp32 {s['int8_agreement']:.2%}")
    for name, r in (("tagger", t), ("stance", s)):
        verdict = "int8 allowed" if r["int8_agreement"] >= 0.98 else "int8 NOT allowed (stays fp32)"
        print(f"{name}: {verdict}")
    if args.write_records:
        _write_record(t["folder"], t["int8_agreement"], "identical decoded attributions (content, cue, source)", t["data"])
        _write_record(s["folder"], s["int8_agreement"], "identical directed labels", s["data"])
        print("int8.json written into both model folders")
    print(f"machine: {results['machine']}")
    write_figures(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
