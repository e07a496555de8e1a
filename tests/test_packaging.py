"""Packaging guards: the wheel holds every module and data file under the one import root, and
nothing named ``data``/``infer``/``train``/``tests`` lands at the top level of site-packages.

The wheel is built from a copy of the source tree in a temporary folder (``pip wheel --no-deps
--no-build-isolation --no-index``: offline, with the venv's setuptools), so the build never writes
``build/`` or ``*.egg-info`` into the working tree that others are using.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds a wheel and starts Python processes: make test-all

REPO = Path(__file__).resolve().parent.parent

# repo folder -> where its files land in the wheel (mirrors [tool.setuptools.package-dir])
PACKAGE_DIRS = {
    "claimstance": "claimstance",
    "data": "claimstance/data",
    "infer": "claimstance/infer",
    "train": "claimstance/train",
    "models": "claimstance/shipped",
}
REQUIRED = [
    "claimstance/__init__.py",
    "claimstance/records.py",
    "claimstance/data/__init__.py",
    "claimstance/data/polnear.py",
    "claimstance/infer/pipeline.py",
    "claimstance/infer/rules/segment.py",
    "claimstance/train/__init__.py",
    "claimstance/evaluate/attribution.py",
    "claimstance/data/lexicons/cue_lexicon.tsv",
    "claimstance/data/samples/articles.jsonl",
    "claimstance/data/stance/own_examples_a.jsonl",
    "claimstance/train/run.py",
    "claimstance/infer/stance/stage.py",
    "claimstance/data/matrix/cells-1.jsonl",
    "claimstance/data/matrix/tune/cells-1.jsonl",
    "claimstance/data/stance/contrast_examples_e.jsonl",
    "claimstance/shipped/stance-minilm/model.safetensors",
    "claimstance/shipped/stance-minilm/head.safetensors",
    "claimstance/shipped/stance-minilm/settings.json",
    "claimstance/shipped/stance-minilm/tokenizer.json",
    "claimstance/shipped/attribution-tagger-minilm/model.safetensors",
    "claimstance/shipped/attribution-tagger-minilm/settings.json",
    "claimstance/shipped/attribution-tagger-minilm/tokenizer.json",
    "claimstance/infer/tagger/model.py",
    "claimstance/train/tagger/task.py",
]
# shipped data folders: every file in them must be in the wheel (a new file type the
# package-data globs miss fails here rather than at a user's import)
DATA_DIRS = ["data/lexicons", "data/matrix", "data/samples", "data/stance", "models"]
FORBIDDEN_TOP_LEVEL = {"data", "infer", "train", "tests", "benchmarks", "configs", "models"}
_SKIP = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", "*.pyc",
    ".pytest_cache", "runs", "out", "shared",
)


def _source_files(folder: str, pattern: str) -> list[Path]:
    return sorted(
        p for p in (REPO / folder).rglob(pattern)
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    )


def _wheel_name(path: Path) -> str:
    """Where a repo file lands in the wheel."""
    rel = path.relative_to(REPO)
    return "/".join((PACKAGE_DIRS[rel.parts[0]], *rel.parts[1:]))


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> set[str]:
    tmp = tmp_path_factory.mktemp("wheel")
    src, out = tmp / "src", tmp / "dist"
    shutil.copytree(REPO, src, ignore=_SKIP, symlinks=True)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
         "--no-cache-dir", "--disable-pip-version-check", "-w", str(out), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, f"wheel build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    wheels = list(out.glob("claimstance-*.whl"))
    assert len(wheels) == 1, f"expected one claimstance wheel, got {wheels}"
    with zipfile.ZipFile(wheels[0]) as zf:
        return set(zf.namelist())


@pytest.mark.parametrize("name", REQUIRED)
def test_required_files_in_wheel(wheel_names, name):
    assert name in wheel_names


def test_every_module_in_wheel(wheel_names):
    sources = [p for folder in PACKAGE_DIRS for p in _source_files(folder, "*.py")]
    assert len(sources) > 10, "found suspiciously few source files; did the layout change?"
    missing = sorted(_wheel_name(p) for p in sources if _wheel_name(p) not in wheel_names)
    assert not missing, (
        "modules missing from the wheel (a sub-package absent from [tool.setuptools] packages?): "
        f"{missing}"
    )


def test_every_data_file_in_wheel(wheel_names):
    files = [p for folder in DATA_DIRS for p in _source_files(folder, "*")]
    assert files
    missing = sorted(_wheel_name(p) for p in files if _wheel_name(p) not in wheel_names)
    assert not missing, f"data files missing from the wheel (package-data globs?): {missing}"


def test_nothing_outside_the_import_root(wheel_names):
    top = {name.split("/", 1)[0] for name in wheel_names}
    assert not top & FORBIDDEN_TOP_LEVEL, f"stray top-level packages in the wheel: {sorted(top & FORBIDDEN_TOP_LEVEL)}"
    dist_info = {t for t in top if t.endswith(".dist-info")}
    assert top - dist_info == {"claimstance"}, f"unexpected top-level entries: {sorted(top - dist_info)}"


# --- one module, one file: no double import from the repo root --------------------------

_PROBE = """
import json, sys
import claimstance.infer.pipeline, claimstance.data.polnear, claimstance.train, claimstance.cli
repo = sys.argv[1]
stray = sorted(
    name for name, mod in list(sys.modules.items())
    if name.split('.')[0] in ('data', 'infer', 'train')
    and (getattr(mod, '__file__', None) or '').startswith(repo)
)
print(json.dumps({
    "pipeline": claimstance.infer.pipeline.__file__,
    "polnear": claimstance.data.polnear.__file__,
    "train": claimstance.train.__file__,
    "stray": stray,
}))
"""


def _probe(cwd: Path) -> dict:
    import json

    # ``python -c`` puts the cwd first on sys.path: from the repo root, ``infer``/``data`` are
    # importable as top-level packages too, which is the double-import trap.
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(REPO)], cwd=cwd,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-4000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_same_module_file_from_any_cwd(tmp_path):
    from_root = _probe(REPO)
    from_elsewhere = _probe(tmp_path)
    for key in ("pipeline", "polnear", "train"):
        assert Path(from_root[key]).resolve() == Path(from_elsewhere[key]).resolve(), key
    where = Path(from_root["pipeline"]).resolve()
    # the editable install maps to the repo's infer/; a real install of the wheel to site-packages
    assert where == (REPO / "infer" / "pipeline.py").resolve() or "site-packages" in where.parts, where
    # nothing imported a second copy through a top-level ``infer``/``data``/``train`` name
    assert from_root["stray"] == [], from_root["stray"]
    assert from_elsewhere["stray"] == [], from_elsewhere["stray"]
