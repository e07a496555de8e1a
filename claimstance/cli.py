"""The ``claimstance`` command: parses arguments and calls plain functions, nothing more."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from claimstance import __version__
from claimstance.errors import ClaimstanceError


def _infer(args: argparse.Namespace) -> int:
    from claimstance.config import InferConfig, load_config
    from claimstance.infer.jobs.engine import JobOptions, run_job

    overrides = list(args.overrides)
    if args.model:
        overrides.append(f"stance_model={args.model}")
    config = load_config(InferConfig, args.config, overrides)
    if args.output != "-" and args.input != "-" and Path(args.output).resolve() == Path(args.input).resolve():
        raise ClaimstanceError(f"--output {args.output} is the input file: it would be emptied before it is read")
    try:
        options = JobOptions(workers=args.workers, chunk_size=args.chunk_size, resume=args.resume,
                             progress=not args.no_progress and sys.stderr.isatty(), backend=args.backend,
                             address=args.ray_address)
    except ValueError as exc:
        raise ClaimstanceError(str(exc)) from exc
    started = time.perf_counter()
    counts = run_job(config, args.input, args.output, options)
    seconds = time.perf_counter() - started
    print(
        f"{counts['records']} records: {counts['ok']} ok, {counts['failed']} failed "
        f"({seconds:.1f} s) -> {args.output}",
        file=sys.stderr,
    )
    return 3 if counts["failed"] else 0


def _evaluate_attribution(args: argparse.Namespace) -> int:
    from claimstance.data.polnear import polnear_split_dir
    from claimstance.evaluate.attribution import evaluate_attribution, format_report, format_comparison
    from claimstance.evaluate.predictors import attribution_predictor

    split_dir = Path(args.gold) if args.gold else polnear_split_dir(args.split, args.data_root)
    if args.predictions:
        runs = {"predictions": None}
    else:  # run the pipeline, once per mode, sharing the parser and the tagger
        from claimstance.config import InferConfig, load_config

        config = load_config(InferConfig, args.config, list(args.overrides))
        modes = args.modes.split(",") if args.modes else [config.segment.mode]
        taggers: dict = {}  # one tagger for every mode that needs it
        runs = {mode: attribution_predictor(config, mode, taggers) for mode in modes}
    report = {}
    for name, predict in runs.items():
        started = time.perf_counter()
        metrics = evaluate_attribution(split_dir, predict=predict, predictions_path=args.predictions, limit=args.limit)
        metrics["seconds"] = round(time.perf_counter() - started, 2)
        metrics["mode"] = name
        if len(runs) > 1:
            print(f"\n== segment.mode={name}")
        print(format_report(metrics))
        report[name] = metrics
    if len(runs) > 1:
        print("\n" + format_comparison(report))
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        out = report if len(runs) > 1 else next(iter(report.values()))
        Path(args.output).write_text(json.dumps(out, indent=2), encoding="utf-8")
        print(f"metrics written to {args.output}", file=sys.stderr)
    return 0


def _report(args: argparse.Namespace) -> int:
    from claimstance.config import load_config
    from claimstance.evaluate.eval_config import EvalConfig
    from claimstance.provenance import provenance
    from claimstance.evaluate.report_doc import write_report

    config = load_config(EvalConfig, args.config, list(args.overrides))
    prov = provenance(config=args.config, overrides=" ".join(args.overrides) or None)
    if config.kind == "attribution":
        from claimstance.evaluate.attribution_report import build_attribution_report

        prov["model"] = _models(config, stance=False)
        report = build_attribution_report(config, prov)
    elif config.kind == "matrix":
        from claimstance.evaluate.matrix_report import build_matrix_report

        prov["model"] = _models(config, stance=True)
        report = build_matrix_report(config, prov)
    else:
        from claimstance.evaluate.stance_report import build_stance_report

        prov["model"] = _models(config, stance=True)
        report = build_stance_report(config, prov)
    out = write_report(report, config.output_dir)
    _print_headline(report)
    print(f"report written to {out}/report.html (and report.md, metrics.json)", file=sys.stderr)
    return 0


def _matrix(args: argparse.Namespace) -> int:
    """``evaluate report`` on the matrix dev set (the config's, or the defaults: the shipped models)."""
    overrides = [] if args.config else ["kind=matrix", "dataset=polnear", "output_dir=out/reports/matrix-dev"]
    overrides += list(args.overrides)
    if args.predictions:
        overrides.append(f"predictions={args.predictions}")
    if args.output:
        overrides.append(f"output_dir={args.output}")
    return _report(argparse.Namespace(config=args.config, overrides=overrides))


def _models(config, stance: bool) -> str:
    """The models a report depends on, with a digest of their weights."""
    from claimstance.provenance import file_digest
    from claimstance.infer.stance.model import resolve_stance_model
    from claimstance.infer.tagger.model import resolve_tagger_model

    def weights(kind: str, folder) -> str:
        return f"{kind} {folder} (sha256 {file_digest(folder / 'model.safetensors')})"

    if config.kind == "stance" and config.dataset != "samples":
        return weights("stance", resolve_stance_model(config.stance_model))
    if config.predictions:
        return f"predictions file (sha256 {file_digest(config.predictions)})"
    parts = []
    if config.infer.segment.needs_tagger:
        parts.append(weights("tagger", resolve_tagger_model(config.infer.segment.tagger_model)))
    if stance and config.infer.stance_model:
        parts.append(weights("stance", resolve_stance_model(config.infer.stance_model)))
    parts.append(f"segment.mode={config.infer.segment.mode}, spaCy {config.infer.spacy_model}")
    return "; ".join(parts)


def _print_headline(report) -> None:
    for h in report.headline:
        print(f"{h.label}: {h.text()}")


def _compare(args: argparse.Namespace) -> int:
    from claimstance.evaluate.compare import compare_runs
    from claimstance.provenance import provenance
    from claimstance.evaluate.report_doc import write_report

    if args.bootstrap < 10:
        raise ClaimstanceError(f"--bootstrap must be at least 10, got {args.bootstrap}")
    try:
        report = compare_runs(args.a, args.b, provenance=provenance(a=args.a, b=args.b), n_resamples=args.bootstrap,
                              seed=args.seed, alpha=args.alpha, names=(args.name_a, args.name_b))
    except ValueError as exc:
        raise ClaimstanceError(str(exc)) from exc
    out = write_report(report, args.output)
    print(report.title)
    print(f"comparison written to {out}/report.html", file=sys.stderr)
    return 1 if args.fail_on_regression and report.metrics["regression"] else 0


def _corpus(args: argparse.Namespace) -> int:
    from claimstance.evaluate.corpus_report import build_corpus_report
    from claimstance.provenance import provenance
    from claimstance.evaluate.report_doc import write_report

    report = build_corpus_report(args.input, provenance(), top=args.top)
    out = write_report(report, args.output)
    _print_headline(report)
    print(f"corpus report written to {out}/report.html", file=sys.stderr)
    return 0


def _check_html(args: argparse.Namespace) -> int:
    from claimstance.evaluate.browser_check import check_html

    try:
        result = check_html(args.page, args.screenshot)
    except RuntimeError as exc:
        raise ClaimstanceError(str(exc)) from exc
    shot = f"; screenshot {result['screenshot']}" if result["screenshot"] else ""
    print(f"{args.page}: {result['decoded']}/{result['images']} figures shown in Chromium{shot}")
    return 0


def _train(args: argparse.Namespace) -> int:
    from claimstance.train.tasks import train_from_config

    task, run_dir = train_from_config(args.config, list(args.overrides))
    metrics = json.loads((run_dir / "metrics.json").read_text("utf-8"))
    if task == "attribution-tagger" and "eval" in metrics:
        m = metrics["eval"]
        print(f"{m['split']}: content overlap F1 {m['overlap_f1']:.4f}, exact F1 {m['exact_f1']:.4f}, "
              f"source accuracy {m['source_accuracy']}", file=sys.stderr)
    elif task == "stance":
        for name, m in metrics["eval"].items():
            print(f"{name}: macro-F1 {m['macro_f1']:.4f}", file=sys.stderr)
    print(f"run directory: {run_dir}", file=sys.stderr)
    return 0


def _export(args) -> int:
    from claimstance.io import export

    if args.window and args.format in ("csv", "parquet"):
        raise ClaimstanceError("--window is for the network formats (graphml, gexf); a table keeps each record's date")
    try:
        wrote = export(args.results, args.format, args.output, args.window)
    except ImportError as exc:
        raise ClaimstanceError(f"{args.format} needs {exc.name}: pip install 'claimstance[export]'") from None
    except ValueError as exc:
        raise ClaimstanceError(str(exc)) from None
    print(f"{', '.join(f'{n:,} {what}' for what, n in wrote.items())} -> {args.output}", file=sys.stderr)
    return 0


def _show(args) -> int:
    from claimstance.io import read_results
    from claimstance.viewer import read_texts, show

    try:
        written = show(read_results(args.results), read_texts(args.texts), args.output, args.doc_id)
    except (KeyError, ValueError) as exc:
        raise ClaimstanceError(str(exc).strip("'\"")) from None
    print(f"{len(written)} page(s) -> {args.output}", file=sys.stderr)
    return 0


def _stance(args: argparse.Namespace) -> int:
    from claimstance.infer.jobs.pairs import classify_pairs
    from claimstance.infer.stance.model import StanceClassifier, resolve_stance_model

    if args.output != "-" and args.input != "-" and Path(args.output).resolve() == Path(args.input).resolve():
        raise ClaimstanceError(f"--output {args.output} is the input file: it would be emptied before it is read")
    if args.batch_size < 1:
        raise ClaimstanceError(f"--batch-size must be at least 1, got {args.batch_size}")
    classifier = StanceClassifier.load(resolve_stance_model(args.model), batch_size=args.batch_size)
    counts = classify_pairs(classifier, args.input, args.output, batch_size=args.batch_size)
    print(f"{counts['records']} records: {counts['ok']} ok, {counts['failed']} failed -> {args.output}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimstance", description=__doc__)
    parser.add_argument("--version", action="version", version=f"claimstance {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("infer", help="segment, attribute, find parties and label stances in articles (JSONL out)")
    p.add_argument("input", help=".jsonl file, .txt file, directory of .txt files, or - for JSONL on stdin")
    p.add_argument("--output", "-o", required=True, help="output JSONL path, or - for stdout")
    p.add_argument("--config", help="YAML config (configs/infer/*.yaml)")
    p.add_argument("--model", help="stance model folder (default: the shipped models/stance-minilm)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--resume", action="store_true",
                   help="go on with an output a killed job left: its complete lines are kept, the rest is done")
    p.add_argument("--chunk-size", type=int, default=32, help="records handed out at a time (default 32)")
    p.add_argument("--backend", choices=("local", "ray"), default="local",
                   help="local processes, or Ray Data (pip install 'claimstance[ray]')")
    p.add_argument("--ray-address", help="Ray cluster to join (default: $RAY_ADDRESS, else a local Ray)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("overrides", nargs="*", help="config overrides key=value, e.g. segment.min_quote_words=3")
    p.set_defaults(func=_infer)

    p = sub.add_parser("train", help="one training run from a YAML config (configs/train/*.yaml)")
    p.add_argument("config", help="YAML config, e.g. configs/train/stance-default.yaml")
    p.add_argument("overrides", nargs="*", help="config overrides key=value, e.g. optim.epochs=1")
    p.set_defaults(func=_train)

    p = sub.add_parser("stance", help="classify given (text, speaker, target) pairs (JSONL in and out)")
    p.add_argument("input", help='.jsonl file of {"id", "text", "speaker", "target"} lines, or - for stdin')
    p.add_argument("--output", "-o", required=True, help="output JSONL path, or - for stdout")
    p.add_argument("--model", help="stance model folder (default: the shipped models/stance-minilm)")
    p.add_argument("--batch-size", type=int, default=64, help="pairs per model batch (default 64)")
    p.set_defaults(func=_stance, overrides=[])

    p = sub.add_parser("export", help="infer output as a table (csv, parquet) or a speaker -> party network (graphml, gexf)")
    p.add_argument("results", help="a claimstance infer output file (JSONL)")
    p.add_argument("--format", "-f", required=True, choices=("csv", "parquet", "graphml", "gexf"))
    p.add_argument("--output", "-o", required=True, help="the file to write")
    p.add_argument("--window", choices=("year", "month", "day"),
                   help="networks: one edge per pair and time window of the records' \"date\" field")
    p.set_defaults(func=_export, overrides=[])

    p = sub.add_parser("show", help="an article viewer: the text with statements highlighted, speakers, stances, matrix (HTML)")
    p.add_argument("results", help="a claimstance infer output file (JSONL)")
    p.add_argument("--texts", required=True, help="the infer input the results came from (JSONL with id and text, or a folder of .txt)")
    p.add_argument("--id", dest="doc_id", help="one article: write its page to --output (else a folder of pages and an index)")
    p.add_argument("--output", "-o", required=True, help="the page (with --id) or the folder to write")
    p.set_defaults(func=_show, overrides=[])

    p = sub.add_parser("evaluate", help="score predictions against gold")
    ev = p.add_subparsers(dest="task", required=True)
    a = ev.add_parser("attribution", help="content / source / cue scores on PolNeAR-format gold")
    a.add_argument("--split", default="dev", help="PolNeAR split under the data root (default: dev)")
    a.add_argument("--gold", help="a PolNeAR-format split folder (text/ + attributions/) instead of --split")
    a.add_argument("--data-root", help="data root (default: $CLAIMSTANCE_DATA or ../shared/data)")
    a.add_argument("--predictions", help="score this infer output instead of running the pipeline")
    a.add_argument("--config", help="infer config for the pipeline run")
    a.add_argument("--limit", type=int, help="only the first N documents")
    a.add_argument("--modes", help="comma-separated segment modes to score side by side, e.g. "
                   "rules,tagger,tagger_quotes,union,rules_first (default: the config's segment.mode)")
    a.add_argument("--output", help="write metrics JSON here")
    a.add_argument("overrides", nargs="*", help="infer config overrides key=value")
    a.set_defaults(func=_evaluate_attribution)

    r = ev.add_parser("report", help="a report folder (report.md, report.html, metrics.json, figures) from a config")
    r.add_argument("config", help="report config, e.g. configs/eval/polnear-dev.yaml")
    r.add_argument("overrides", nargs="*", help="config overrides key=value, e.g. infer.segment.mode=rules output_dir=out/r")
    r.set_defaults(func=_report)

    m = ev.add_parser("matrix", help="the speaker × party matrix against the matrix dev set (data/matrix, PolNeAR dev)")
    m.add_argument("--config", help="report config, e.g. configs/eval/matrix-dev.yaml (default: the shipped models, "
                   "report in out/reports/matrix-dev)")
    m.add_argument("--predictions", help="score this infer output instead of running the pipeline")
    m.add_argument("--output", "-o", help="report folder (default: the config's output_dir)")
    m.add_argument("overrides", nargs="*", help="config overrides key=value, e.g. infer.stance_model=runs/x/model")
    m.set_defaults(func=_matrix)

    c = ev.add_parser("compare", help="two report folders side by side, with a paired bootstrap test")
    c.add_argument("a", help="report folder of run A (the baseline)")
    c.add_argument("b", help="report folder of run B")
    c.add_argument("--output", "-o", required=True, help="folder for the comparison report")
    c.add_argument("--name-a", default="A", help="label of run A in the report")
    c.add_argument("--name-b", default="B", help="label of run B in the report")
    c.add_argument("--bootstrap", type=int, default=1000, help="resamples (default 1000)")
    c.add_argument("--alpha", type=float, default=0.05, help="significance level (default 0.05)")
    c.add_argument("--seed", type=int, default=0)
    c.add_argument("--fail-on-regression", action="store_true", help="exit 1 when a figure regresses significantly")
    c.set_defaults(func=_compare, overrides=[])

    k = ev.add_parser("corpus", help="a report on a batch infer output, without gold")
    k.add_argument("input", help="the JSONL written by claimstance infer")
    k.add_argument("--output", "-o", required=True, help="folder for the report")
    k.add_argument("--top", type=int, default=15, help="speakers and parties shown (default 15)")
    k.set_defaults(func=_corpus, overrides=[])

    h = ev.add_parser("check-html", help="open a report in headless Chromium: every figure shown, and a screenshot")
    h.add_argument("page", help="a report.html")
    h.add_argument("--screenshot", help="write a PNG screenshot here")
    h.set_defaults(func=_check_html, overrides=[])
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    # ``key=value`` overrides may come after options too (``infer in.jsonl -o out.jsonl max_chars=9``),
    # which plain parse_args rejects for a nargs="*" positional that already matched
    args, extra = parser.parse_known_args(argv)
    if extra:
        if hasattr(args, "overrides") and all("=" in x and not x.startswith("-") for x in extra):
            args.overrides = list(args.overrides) + extra
        else:
            parser.error(f"unrecognized arguments: {' '.join(extra)}")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except (ClaimstanceError, OSError) as exc:  # OSError: input missing, output not writable, ...
        print(f"claimstance: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
