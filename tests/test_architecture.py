"""The import graph: inference imports neither training nor evaluation (nor dataset readers), the core
package imports no stage, and no two modules import each other, directly or round a cycle.

Every import counts, also one inside a function: a function-level import hides a cycle from Python
but not from a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# repo folder -> package (mirrors [tool.setuptools.package-dir] in pyproject.toml)
ROOTS = {"claimstance": "claimstance", "infer": "claimstance.infer", "train": "claimstance.train",
         "data": "claimstance.data"}
CORE = {"claimstance.records", "claimstance.config", "claimstance.errors", "claimstance.models",
        "claimstance.provenance", "claimstance"}


def _modules() -> dict[str, Path]:
    out = {}
    for folder, package in ROOTS.items():
        for path in sorted((REPO / folder).rglob("*.py")):
            parts = path.relative_to(REPO / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join((package, *parts))] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules ``name`` imports, anywhere in the file."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".") if is_package else name.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:  # "claimstance.infer.pipeline.Pipeline" -> the module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_graph_sees_the_stages():
    assert "claimstance.infer.pipeline" in GRAPH and "claimstance.train.run" in GRAPH
    assert "claimstance.infer.stance.encoding" in GRAPH["claimstance.infer.stance.model"]


@pytest.mark.parametrize("forbidden", ["claimstance.train", "claimstance.evaluate", "claimstance.data",
                                       "claimstance.cli"])
def test_inference_imports_no_training_evaluation_or_dataset_reader(forbidden):
    bad = sorted(f"{m} -> {t}" for m, ts in GRAPH.items() if _within(m, "claimstance.infer")
                 for t in ts if _within(t, forbidden))
    assert not bad, "inference must not import " + forbidden + ":\n" + "\n".join(bad)


def test_the_core_imports_no_stage():
    bad = sorted(f"{m} -> {t}" for m in CORE for t in GRAPH.get(m, ()) if t not in CORE)
    assert not bad, "\n".join(bad)


def test_no_import_cycles():
    """Tarjan's strongly connected components: every component must be a single module."""
    index, low, on_stack, stack, cycles, counter = {}, {}, set(), [], [], [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)
