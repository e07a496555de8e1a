"""Throughput of ``claimstance infer``'s pipeline against spaCy's bare parse, on the PolNeAR dev texts.

    python benchmarks/bench_infer.py [--limit N] [--repeat R] [--modes rules,tagger_quotes]
                                     [--stance on|off|both] [--batch-size B] [--json OUT.json]

All sides run in the same process on the same texts with the same spaCy model object:

* one ``infer`` side per segment mode (default: ``rules`` and the default config's mode) and
  stance setting (default: with and without the stance stage): ``Pipeline.from_config(...)`` then
  ``pipeline.pipe((id, text) ...)``, consumed fully;
* ``bare spaCy``: ``load_spacy()`` then ``nlp.pipe(texts)``, consumed fully.

Model loading is excluded from the timings, and every side is warmed up once on a few texts
before the clock starts. With ``--repeat R`` the sides are timed in turn R times and the best
(fastest) run of each is reported, by wall clock and by process CPU time. Ratios are ratios of
throughputs: ``x bare`` 0.5 means a side runs at half the speed of the bare parse, and
``ratio <mode> / rules-only`` compares a tagger mode with the rules at the same stance setting.
Words are whitespace-split tokens.

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


def machine_line(m: dict) -> str:
    """One line on the machine a benchmark ran on (from :func:`machine_info`)."""
    return f"machine: {m['usable_cpus']} CPUs, load average {m['load_average_1_5_15min']}, {m['platform']}"


def write_figures(path: Optional[str], figures: dict) -> None:
    """The benchmark's figures as JSON (nothing when no path was given)."""
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {path}")


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


def _variants(modes: list[str], stance: str) -> list[tuple[str, str, bool]]:
    """(name, segment mode, stance on) for every side timed besides the bare parse."""
    stances = {"on": [True], "off": [False], "both": [True, False]}[stance]
    return [(f"{mode}{' +stance' if on else ''}", mode, on) for on in stances for mode in modes]


def run(records: list[tuple[str, str]], repeat: int = 1, batch_size: Optional[int] = None,
        dataset: str = "PolNeAR dev texts", modes: Optional[list[str]] = None, stance: str = "both") -> dict:
    from claimstance.config import InferConfig
    from claimstance.infer.pipeline import Pipeline
    from claimstance.infer.stance.stage import load_stance_stage
    from claimstance.infer.tagger.model import load_tagger
    from claimstance.infer.text.parse import load_spacy

    base = InferConfig()
    if batch_size is not None:
        base = dataclasses.replace(base, batch_size=batch_size)
    if not modes:
        modes = ["rules"] if base.segment.mode == "rules" else ["rules", base.segment.mode]

    t0 = time.perf_counter()
    nlp = load_spacy(base.spacy_model)
    tagger = load_tagger(base.segment.tagger_model, base.runtime) if any(m != "rules" for m in modes) else None
    stance_stage = load_stance_stage(base.stance_model, base.runtime) if stance != "off" and base.stance_model else None
    pipelines = {}
    for name, mode, on in _variants(modes, stance):
        config = dataclasses.replace(base, segment=dataclasses.replace(base.segment, mode=mode),
                                     stance_model=base.stance_model if on else None)
        pipelines[name] = Pipeline.from_config(config, stance=stance_stage if on else None,
                                               tagger=tagger if mode != "rules" else None)
    load_s = time.perf_counter() - t0
    texts = [text for _, text in records]

    def infer_once(pipeline) -> tuple[int, int, int, int]:
        """Statements, error records, stance judgments (statement x target) and stance encoder passes."""
        classifier = getattr(pipeline.stance, "classifier", None)
        passes_before = getattr(classifier, "passes", 0)
        n_statements = n_errors = n_stances = 0
        for result in pipeline.pipe(iter(records)):
            n_statements += len(result.statements)
            n_stances += sum(len(s.stances) for s in result.statements)
            n_errors += result.error is not None
        # a classifier that does not count its passes reads one (statement, target) pair per pass
        passes = getattr(classifier, "passes", passes_before + n_stances) - passes_before
        return n_statements, n_errors, n_stances, passes

    def bare_once() -> tuple[int, int, int, int]:
        return sum(len(doc) for doc in nlp.pipe(texts, batch_size=base.batch_size)), 0, 0, 0

    sides = {"bare spaCy": bare_once, **{name: (lambda p=p: infer_once(p)) for name, p in pipelines.items()}}
    # warm-up (untimed): first calls allocate, fill caches, load lazily built tables
    warm = records[:WARMUP_TEXTS]
    for pipeline in pipelines.values():
        for _ in pipeline.pipe(iter(warm)):
            pass
    for _ in nlp.pipe([t for _, t in warm], batch_size=base.batch_size):
        pass

    wall: dict[str, list[float]] = {k: [] for k in sides}
    cpu: dict[str, list[float]] = {k: [] for k in sides}
    counts: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(repeat):  # alternate, so drifting machine load hits every side alike
        for name, fn in sides.items():
            t, c = time.perf_counter(), time.process_time()
            counts[name] = fn()
            wall[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)

    n_articles = len(records)
    n_words = sum(len(text.split()) for text in texts)

    def side(name: str) -> dict:
        best = min(wall[name])
        out = {
            "seconds": round(best, 4), "all_seconds": [round(x, 4) for x in wall[name]],
            "cpu_seconds": round(min(cpu[name]), 4), "all_cpu_seconds": [round(x, 4) for x in cpu[name]],
            "articles_per_s": round(n_articles / best, 3), "words_per_s": round(n_words / best, 1),
        }
        if name != "bare spaCy":
            out.update({"statements": counts[name][0], "error_records": counts[name][1],
                        "ratio_over_bare_throughput": round(min(wall["bare spaCy"]) / best, 4)})
            if counts[name][2]:
                out.update({"stance_judgments_per_article": round(counts[name][2] / n_articles, 2),
                            "stance_encoder_passes_per_article": round(counts[name][3] / n_articles, 2)})
        return out

    figures = {
        "dataset": dataset, "articles": n_articles, "words": n_words, "characters": sum(len(t) for t in texts),
        "spacy_tokens": counts["bare spaCy"][0],
        "spacy_model": f"{nlp.meta.get('lang')}_{nlp.meta.get('name')} {nlp.meta.get('version')}",
        "batch_size": base.batch_size, "repeat": repeat,
        "timing": f"wall clock, best of {repeat}, sides alternated; model load and a warm-up on {len(warm)} texts excluded",
        "model_load_seconds": round(load_s, 2),
        "sides": {name: side(name) for name in sides},
        "machine": machine_info(),
    }
    # a tagger mode's articles/s over rules-only's, with the same stance setting
    figures["ratio_over_rules"] = {
        name: round(min(wall[f"rules{suffix}"]) / min(wall[name]), 4)
        for name, mode, on in _variants(modes, stance) if mode != "rules"
        for suffix in [" +stance" if on else ""] if f"rules{suffix}" in wall
    }
    return figures


def report(figures: dict) -> str:
    m = figures["machine"]
    lines = [
        f"{figures['dataset']}: {figures['articles']} articles, {figures['words']:,} words "
        f"({figures['characters']:,} chars); spaCy model {figures['spacy_model']}, batch size {figures['batch_size']}",
        f"timing: {figures['timing']}",
        f"  {'side':<22}{'seconds':>10}{'articles/s':>12}{'words/s':>12}{'CPU s':>10}{'x bare':>9}{'statements':>12}",
    ]
    for name, s in figures["sides"].items():
        lines.append(f"  {name:<22}{s['seconds']:>10.2f}{s['articles_per_s']:>12.2f}{s['words_per_s']:>12,.0f}"
                     f"{s['cpu_seconds']:>10.2f}{s.get('ratio_over_bare_throughput', 1.0):>9.3f}{s.get('statements', ''):>12}")
    for name, s in figures["sides"].items():
        if "stance_encoder_passes_per_article" in s:
            lines.append(f"{name}: {s['stance_judgments_per_article']} stance judgments and "
                         f"{s['stance_encoder_passes_per_article']} stance encoder passes per article")
    for name, ratio in figures["ratio_over_rules"].items():
        lines.append(f"ratio {name} / rules-only (articles/s, same stance setting): {ratio:.3f}")
    lines += [
        f"model load {figures['model_load_seconds']:.1f} s (not timed); error records: "
        + ", ".join(f"{k} {s['error_records']}" for k, s in figures["sides"].items() if "error_records" in s),
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
    parser.add_argument("--modes", default=None,
                        help="segment modes to time, comma-separated (default: rules and the config's mode)")
    parser.add_argument("--stance", choices=("on", "off", "both"), default="both",
                        help="time each mode with the stance stage, without it, or both (default both)")
    parser.add_argument("--json", metavar="PATH", default=None, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    if args.batch_size is not None and args.batch_size < 1:
        parser.error("--batch-size must be at least 1")

    records = load_texts(args.split, args.limit, args.data_root)
    figures = run(records, repeat=args.repeat, batch_size=args.batch_size, dataset=f"PolNeAR {args.split} texts",
                  modes=args.modes.split(",") if args.modes else None, stance=args.stance)
    print(report(figures))
    write_figures(args.json, figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
