"""Batch inference at scale: the naive loop against the batched job, 2 workers and ONNX Runtime.

    python benchmarks/bench_batch.py [--articles 2000] [--scaling 500,1000,2000] [--json OUT.json]

A synthetic corpus is built from our sample articles (data/samples/articles.jsonl, cycled, each
copy with its own id). Every side runs the full default ``infer`` (tagger, attribution, parties,
stance) in a fresh process of its own, so that its peak RSS is its own, end to end (model load
included: what a user waits for):

* ``naive``: one document at a time, ``pipeline(text)`` in a loop, torch;
* ``batched``: ``claimstance infer`` as a job, one process, torch (parser, tagger windows and
  stance queries batched across documents, sorted by length);
* ``2 workers``: the same job with ``--workers 2``;
* ``onnx``: the batched job with ``runtime=onnx`` (fp32);
* ``onnx-int8``: ``runtime=onnx-int8`` (int8 only for the models whose record allows it);
* ``onnx 2 workers``: the ONNX job with ``--workers 2``.

Then the ``onnx`` job on the ``--scaling`` sizes, to show the time grows linearly (seconds per
article at each size). Ratios are articles/s over the naive loop's, in the same run.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_infer import machine_info, write_figures  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SIDES = {
    "naive": ("naive", 1, "torch"),
    "batched": ("job", 1, "torch"),
    "2 workers": ("job", 2, "torch"),
    "onnx": ("job", 1, "onnx"),
    "onnx-int8": ("job", 1, "onnx-int8"),
    "onnx 2 workers": ("job", 2, "onnx"),
}


def make_corpus(path: Path, n: int) -> Path:
    articles = [json.loads(line) for line in (REPO / "data/samples/articles.jsonl").read_text("utf-8").splitlines() if line.strip()]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            a = articles[i % len(articles)]
            f.write(json.dumps({"id": f"synthetic-{i:06d}-{a['id']}", "text": a["text"]}, ensure_ascii=False) + "\n")
    return path


def _one(kind: str, workers: int, runtime: str, input_path: str, output: str) -> dict:
    """Run one side in this process; print its figures as JSON."""
    import logging

    logging.disable(logging.WARNING)
    from claimstance.config import InferConfig, load_config

    config = load_config(InferConfig, None, [f"runtime={runtime}"])
    started = time.perf_counter()
    if kind == "naive":
        from claimstance.infer.jobs.chunk import output_line
        from claimstance.infer.jobs.inputs import read_inputs
        from claimstance.infer.pipeline import Pipeline

        pipeline = Pipeline.from_config(config)
        n = 0
        with open(output, "w", encoding="utf-8") as out:
            for record in read_inputs(input_path):
                out.write(output_line(pipeline(record.text, record.id))[0])
                n += 1
        counts = {"records": n}
    else:
        from claimstance.infer.jobs.engine import JobOptions, run_job

        counts = run_job(config, input_path, output, JobOptions(workers=workers, progress=False))
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": seconds, "records": counts["records"], "peak_rss_mb": rss / 1024}


def run_side(name: str, corpus: Path, workdir: Path) -> dict:
    kind, workers, runtime = SIDES[name]
    out = workdir / f"{name.replace(' ', '_')}-{corpus.stem}.jsonl"
    proc = subprocess.run([sys.executable, __file__, "--one", kind, str(workers), runtime, str(corpus), str(out)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{name} failed: {proc.stderr[-2000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["articles_per_s"] = result["records"] / result["seconds"]
    result["output"] = str(out)
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--scaling", default="500,1000,2000", help="corpus sizes for the onnx job")
    parser.add_argument("--sides", default=",".join(SIDES), help="which sides to run")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--one", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        kind, workers, runtime, input_path, output = args.one
        print(json.dumps(_one(kind, int(workers), runtime, input_path, output)))
        return 0
    results: dict = {"articles": args.articles, "sides": {}, "scaling": {}, "machine": machine_info()}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = make_corpus(work / f"corpus-{args.articles}.jsonl", args.articles)
        words = sum(len(json.loads(line)["text"].split()) for line in corpus.read_text("utf-8").splitlines())
        print(f"synthetic corpus: {args.articles} articles from data/samples, {words:,} words; full infer, model load included")
        print(f"  {'side':<16}{'seconds':>9}{'articles/s':>12}{'x naive':>9}{'peak RSS MB':>13}")
        for name in args.sides.split(","):
            r = run_side(name, corpus, work)
            results["sides"][name] = r
            base = results["sides"].get("naive", r)["articles_per_s"]
            print(f"  {name:<16}{r['seconds']:>9.1f}{r['articles_per_s']:>12.2f}{r['articles_per_s'] / base:>9.2f}{r['peak_rss_mb']:>13.0f}",
                  flush=True)
        sides = results["sides"]
        if "batched" in sides and "onnx" in sides:
            same = Path(sides["batched"]["output"]).read_text().count("\n") == Path(sides["onnx"]["output"]).read_text().count("\n")
            print(f"  every side wrote one line per article: {same}")
        for size in [int(s) for s in args.scaling.split(",") if s]:
            c = make_corpus(work / f"scale-{size}.jsonl", size)
            r = run_side("onnx", c, work)
            results["scaling"][size] = r
            print(f"  onnx job, {size:>5} articles: {r['seconds']:7.1f} s, {1000 * r['seconds'] / size:6.1f} ms/article", flush=True)
    print(f"machine: {results['machine']}")
    write_figures(args.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
