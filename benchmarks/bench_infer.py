"""Throughput of ``claimstance infer``'s pipeline against spaCy's bare parse, on the PolNeAR dev texts.

    python benchmarks/bench_infer.py [--limit N] [--repeat R] [--batch-size B] [--json OUT.json]

Both sides run in the same process on the same texts with the same spaCy model object:

* ``infer``: ``Pipeline.from_config()`` then ``pipeline.pipe((id, text) ...)``, consumed fully
  (text preparation, parse, segment, attribute, parties; no stance stage unless the default
  config names one);
* ``bare``: ``load_spacy()`` then ``nlp.pipe(texts)``, consumed fully.

Model loading is excluded from the timings, and both sides are warmed up once on a few texts
before the clock starts. With ``--repeat R`` the two are timed alternately R times and the best
(fastest) run of each is reported, by wall clock and by process CPU time. The ratio ``infer/bare`` is a ratio of throughputs: 0.5 means
the full pipeline runs at half the speed of the bare parse. Words are whitespace-split tokens.

Timings are wall-clock on whatever machine runs this; on a shared machine they vary with load,
which is why the load average is printed with them.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Optional

WARMUP_TEXTS = 4


def _version(dist: str) -> Optional[str]:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine_info() -> dict:
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable,
        "load_average_1_5_15min": load,
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "torch": _version("torch"),
        "spacy": _version("spacy"),
        "claimstance": _version("claimstance"),
    }


def load_texts(split: str, limit: Optional[int], root: Optional[str]) -> list[tuple[str, str]]:
    """(doc id, text) of the PolNeAR split, sorted by id; only the text files are read."""
    from claimstance.data.polnear import PolnearFormatError, polnear_doc_ids, polnear_split_dir
    from claimstance.data.root import DataRootNotFound

    try:
        split_dir = polnear_split_dir(split, root)
        ids = polnear_doc_ids(split_dir)
    except (DataRootNotFound, PolnearFormatError, FileNotFoundError) as exc:
        sys.exit(f"bench_infer: PolNeAR {split} split not found: {exc}")
    if limit is not None:
        ids = ids[:limit]
    records = []
    for doc_id in ids:
        path = split_dir / "text" / f"{doc_id}.txt"
        with open(path, encoding="utf-8", newline="") as f:  # as the reader does: no newline translation
            records.append((doc_id, f.read()))
    if not records:
        sys.exit(f"bench_infer: no texts in {split_dir}")
    return records


def run(records: list[tuple[str, str]], repeat: int = 1, batch_size: Optional[int] = None,
        dataset: str = "PolNeAR dev texts") -> dict:
    from claimstance.config import InferConfig
    from claimstance.infer.pipeline import Pipeline
    from claimstance.models import load_spacy

    config = InferConfig()
    if batch_size is not None:
        config = dataclasses.replace(config, batch_size=batch_size)

    t0 = time.perf_counter()
    pipeline = Pipeline.from_config(config)
    nlp = load_spacy(config.spacy_model)
    load_s = time.perf_counter() - t0

    texts = [text for _, text in records]

    def infer_once() -> tuple[int, int]:
        n_statements = n_errors = 0
        for result in pipeline.pipe(iter(records)):
            n_statements += len(result.statements)
            n_errors += result.error is not None
        return n_statements, n_errors

    def bare_once() -> int:
        n_tokens = 0
        for doc in nlp.pipe(texts, batch_size=config.batch_size):
            n_tokens += len(doc)
        return n_tokens

    # warm-up (untimed): first calls allocate, fill caches, load lazily built tables
    warm = records[:WARMUP_TEXTS]
    for _ in pipeline.pipe(iter(warm)):
        pass
    for _ in nlp.pipe([t for _, t in warm], batch_size=config.batch_size):
        pass

    infer_times: list[float] = []
    bare_times: list[float] = []
    infer_cpu: list[float] = []
    bare_cpu: list[float] = []
    infer_counts = (0, 0)
    bare_tokens = 0
    for _ in range(repeat):  # alternate, so drifting machine load hits both sides alike
        t, c = time.perf_counter(), time.process_time()
        infer_counts = infer_once()
        infer_times.append(time.perf_counter() - t)
        infer_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        bare_tokens = bare_once()
        bare_times.append(time.perf_counter() - t)
        bare_cpu.append(time.process_time() - c)

    n_articles = len(records)
    n_words = sum(len(text.split()) for text in texts)
    n_chars = sum(len(text) for text in texts)

    def side(times: list[float], cpu: list[float]) -> dict:
        best = min(times)
        return {
            "seconds": round(best, 4),
            "all_seconds": [round(x, 4) for x in times],
            "cpu_seconds": round(min(cpu), 4),
            "all_cpu_seconds": [round(x, 4) for x in cpu],
            "articles_per_s": round(n_articles / best, 3),
            "words_per_s": round(n_words / best, 1),
        }

    infer, bare = side(infer_times, infer_cpu), side(bare_times, bare_cpu)
    return {
        "dataset": dataset,
        "articles": n_articles,
        "words": n_words,
        "characters": n_chars,
        "spacy_tokens": bare_tokens,
        "spacy_model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "batch_size": config.batch_size,
        "stance_stage": pipeline.stance is not None,
        "repeat": repeat,
        "timing": f"wall clock, best of {repeat}; model load and a warm-up on {len(warm)} texts excluded",
        "model_load_seconds": round(load_s, 2),
        "infer": {**infer, "statements": infer_counts[0], "error_records": infer_counts[1]},
        "bare_spacy": bare,
        "ratio_infer_over_bare_throughput": round(min(bare_times) / min(infer_times), 4),
        # the same ratio from process CPU time: steadier than wall clock when others share the cores
        "ratio_infer_over_bare_cpu_time": round(min(bare_cpu) / min(infer_cpu), 4),
        "machine": machine_info(),
    }


def report(figures: dict) -> str:
    i, b, m = figures["infer"], figures["bare_spacy"], figures["machine"]
    ratio = figures["ratio_infer_over_bare_throughput"]
    lines = [
        f"{figures['dataset']}: {figures['articles']} articles, {figures['words']:,} words "
        f"({figures['characters']:,} chars); spaCy model {figures['spacy_model']}, "
        f"batch size {figures['batch_size']}, stance stage {'on' if figures['stance_stage'] else 'off'}",
        f"timing: {figures['timing']}",
        f"  {'':<12}{'seconds':>10}{'articles/s':>12}{'words/s':>12}{'CPU s':>10}",
        f"  {'infer':<12}{i['seconds']:>10.2f}{i['articles_per_s']:>12.2f}{i['words_per_s']:>12,.0f}"
        f"{i['cpu_seconds']:>10.2f}",
        f"  {'bare spaCy':<12}{b['seconds']:>10.2f}{b['articles_per_s']:>12.2f}{b['words_per_s']:>12,.0f}"
        f"{b['cpu_seconds']:>10.2f}",
        f"ratio infer/bare (throughput): {ratio:.3f}  (infer takes {1 / ratio:.2f}x the bare parse time); "
        f"by CPU time: {figures['ratio_infer_over_bare_cpu_time']:.3f}",
        f"infer found {i['statements']} statements, {i['error_records']} error records; "
        f"model load {figures['model_load_seconds']:.1f} s (not timed)",
        f"machine: {m['cpu_count']} CPUs ({m['usable_cpus']} usable), load average {m['load_average_1_5_15min']}, "
        f"{m['processor']}, {m['platform']}; python {m['python']}, torch {m['torch']}, spacy {m['spacy']}",
    ]
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (sorted by id)")
    parser.add_argument("--repeat", type=int, default=1, help="time R runs of each side, report the best (default 1)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="documents per spaCy batch for both sides (default: InferConfig's)")
    parser.add_argument("--split", default="dev", help="PolNeAR split (default dev)")
    parser.add_argument("--data-root", default=None, help="data root (default $CLAIMSTANCE_DATA or ../shared/data)")
    parser.add_argument("--json", metavar="PATH", default=None, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    if args.batch_size is not None and args.batch_size < 1:
        parser.error("--batch-size must be at least 1")

    records = load_texts(args.split, args.limit, args.data_root)
    figures = run(records, repeat=args.repeat, batch_size=args.batch_size, dataset=f"PolNeAR {args.split} texts")
    print(report(figures))
    if args.json:
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
