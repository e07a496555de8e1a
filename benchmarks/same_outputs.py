"""Are two versions of claimstance giving the same output? Write ``claimstance infer`` outputs, then compare.

A refactoring must not change what users get. This script writes the outputs of the installed
``claimstance`` on PolNeAR dev (the 84 texts under the data root) and on our sample articles, for
one or more segment modes, and compares two such folders line by line: byte-identical records,
and for the others which fields differ (statements, parties, matrix) with the first differences.

    python benchmarks/same_outputs.py write out/outputs-before          # on the old checkout
    python benchmarks/same_outputs.py write out/outputs-after           # on the new one
    python benchmarks/same_outputs.py compare out/outputs-before out/outputs-after

``write`` calls the ``claimstance`` console script of the running Python's environment, so it works
with any version that has ``claimstance infer``. ``compare`` exits 1 when a record differs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples" / "articles.jsonl"


def _data_root(given: str | None) -> Path:
    if given:
        return Path(given)
    env = os.environ.get("CLAIMSTANCE_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


def _inputs(data_root: Path) -> dict[str, Path]:
    out = {"samples": SAMPLES}
    polnear = data_root / "polnear" / "data" / "dev" / "text"
    if polnear.is_dir():
        out["polnear-dev"] = polnear
    else:
        print(f"no PolNeAR dev under {data_root}: samples only", file=sys.stderr)
    return out


def write(folder: Path, modes: list[str], data_root: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    exe = Path(sys.executable).with_name("claimstance")
    for name, source in _inputs(data_root).items():
        for mode in modes:
            out = folder / f"{name}.{mode}.jsonl"
            started = time.perf_counter()
            subprocess.run([str(exe), "infer", str(source), "-o", str(out), "--no-progress", f"segment.mode={mode}"],
                           check=False)
            print(f"{out}: {time.perf_counter() - started:.1f} s", file=sys.stderr)


def _differences(a: dict, b: dict, limit: int = 3) -> list[str]:
    """What differs between two records of one document, briefly."""
    notes = []
    for key in ("statements", "parties", "stance_matrix", "error", "warnings"):
        x, y = a.get(key), b.get(key)
        if x == y:
            continue
        if isinstance(x, list) and isinstance(y, list):
            xs = [json.dumps(v, sort_keys=True, ensure_ascii=False) for v in x]
            ys = [json.dumps(v, sort_keys=True, ensure_ascii=False) for v in y]
            gone = [v for v in xs if v not in ys]
            new = [v for v in ys if v not in xs]
            notes.append(f"  {key}: {len(x)} -> {len(y)}; {len(gone)} only in A, {len(new)} only in B")
            notes += [f"    A: {v[:300]}" for v in gone[:limit]]
            notes += [f"    B: {v[:300]}" for v in new[:limit]]
        else:
            notes.append(f"  {key}: {x!r} -> {y!r}")
    return notes


def compare(a: Path, b: Path, verbose: bool = True) -> int:
    names = sorted({p.name for p in a.glob("*.jsonl")} | {p.name for p in b.glob("*.jsonl")})
    differing = 0
    for name in names:
        pa, pb = a / name, b / name
        if not (pa.is_file() and pb.is_file()):
            print(f"{name}: only in {'A' if pa.is_file() else 'B'}")
            differing += 1
            continue
        la, lb = pa.read_bytes().split(b"\n"), pb.read_bytes().split(b"\n")
        same = sum(x == y for x, y in zip(la, lb) if x or y)
        total = max(len([x for x in la if x]), len([y for y in lb if y]))
        status = "identical" if pa.read_bytes() == pb.read_bytes() else "DIFFERENT"
        print(f"{name}: {status}, {same}/{total} records byte-identical")
        if status == "identical":
            continue
        differing += 1
        for x, y in zip(la, lb):
            if x == y or not x or not y:
                continue
            ra, rb = json.loads(x), json.loads(y)
            print(f" {ra.get('id')}:")
            if verbose:
                print("\n".join(_differences(ra, rb)))
        if len(la) != len(lb):
            print(f"  line counts differ: {len(la)} vs {len(lb)}")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write", help="write the installed claimstance's outputs into a folder")
    w.add_argument("folder")
    w.add_argument("--modes", default="tagger,rules", help="segment modes (default: tagger,rules)")
    w.add_argument("--data-root", help="data root (default: $CLAIMSTANCE_DATA or ../shared/data)")
    c = sub.add_parser("compare", help="compare two folders written by `write`; exit 1 when they differ")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--brief", action="store_true", help="only the ids of differing records")
    args = parser.parse_args()
    if args.command == "write":
        write(Path(args.folder), args.modes.split(","), _data_root(args.data_root))
        return 0
    return compare(Path(args.a), Path(args.b), verbose=not args.brief)


if __name__ == "__main__":
    sys.exit(main())
