"""Where the time goes: the default pipeline's stages timed one by one on the PolNeAR dev texts.

    python benchmarks/bench_stages.py [--limit N] [--json OUT.json]

The stages of ``Pipeline._run`` (parse, tagger, segment, attribute, stance), run in order on each
parser batch (``batch_size`` documents) as the pipeline runs them, each timed by wall clock and by
process CPU time; model loading and a warm-up on a few texts are excluded. Printed: seconds per
stage, its share of the total, and its ratio to the parse (spaCy ``en_core_web_sm``, what a rule
peer like textacy spends nearly all its time on). ``benchmarks/bench_peers.py`` times the whole
processes against textacy.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_infer import WARMUP_TEXTS, load_texts, machine_info, machine_line, write_figures  # noqa: E402

STAGES = ("parse", "tagger", "segment", "attribute", "stance")


def profile(records: list[tuple[str, str]]) -> dict:
    from claimstance.config import InferConfig
    from claimstance.infer.pipeline import Pipeline

    pipeline = Pipeline.from_config(InferConfig())
    list(pipeline.pipe(records[:WARMUP_TEXTS]))
    wall = dict.fromkeys(STAGES, 0.0)
    cpu = dict.fromkeys(STAGES, 0.0)
    statements = 0

    def timed(stage, fn, *args):
        w, c = time.perf_counter(), time.process_time()
        out = fn(*args)
        wall[stage] += time.perf_counter() - w
        cpu[stage] += time.process_time() - c
        return out

    size = pipeline.config.batch_size
    for b in range(0, len(records), size):
        texts = [pipeline._prepare(text) for _, text in records[b : b + size]]
        docs = timed("parse", pipeline._parse, texts)
        tags = timed("tagger", pipeline.segmenter.tag, docs)
        candidates = timed("segment", lambda: [pipeline.segmenter(d, t) for d, t in zip(docs, tags)])
        analyses = timed("attribute", lambda: [pipeline._attribute((d, c)) for d, c in zip(docs, candidates)])
        judged = timed("stance", pipeline._judge, analyses)
        statements += sum(len(a.statements) for a in judged)
    total = sum(wall.values())
    words = sum(len(text.split()) for _, text in records)
    return {"articles": len(records), "words": words, "statements": statements, "total_seconds": round(total, 2),
            "stages": {s: {"seconds": round(wall[s], 2), "cpu_seconds": round(cpu[s], 2),
                           "share": round(wall[s] / total, 3), "x_parse": round(wall[s] / wall["parse"], 2)}
                       for s in STAGES},
            "machine": machine_info()}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (sorted by id)")
    parser.add_argument("--split", default="dev")
    parser.add_argument("--data-root", default=None)
    parser.add_argument("--json", metavar="PATH", default=None)
    args = parser.parse_args(argv)
    records = load_texts(args.split, args.limit, args.data_root)
    figures = profile(records)
    print(f"PolNeAR {args.split}: {figures['articles']} articles, {figures['words']:,} words, "
          f"{figures['statements']:,} statements; the default pipeline, stage by stage")
    print(f"  {'stage':<10} {'seconds':>8} {'CPU s':>8} {'share':>7} {'x parse':>8}")
    for stage, f in figures["stages"].items():
        print(f"  {stage:<10} {f['seconds']:>8.2f} {f['cpu_seconds']:>8.2f} {f['share']:>7.1%} {f['x_parse']:>8.2f}")
    print(f"  {'total':<10} {figures['total_seconds']:>8.2f}")
    print(machine_line(figures["machine"]))
    write_figures(args.json, figures)


if __name__ == "__main__":
    main()
