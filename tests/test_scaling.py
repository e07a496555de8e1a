"""The stages after the parse must stay linear in an article's length, and in its statements.

Reading ``Doc.text`` per token, or scanning every quote or mention for each token, once made
a 1 MB article take over half an hour. This test times the stages (not the parse) on the
sample articles repeated 2 and 8 times: linear work grows about 4x, quadratic work 16x.
"""

import json
import subprocess
import sys
import time

import pytest

from claimstance.config import StanceOptions
from claimstance.data.samples import load_samples
from claimstance.infer.entities.build import build_entities


def _stage_seconds(rules, doc) -> float:
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        candidates = rules.segmenter(doc)
        index = build_entities(doc, rules.gazetteer)
        rules.attributor(doc, candidates, index)
        best = min(best, time.perf_counter() - started)
    return best


def test_stages_are_linear_in_article_length(rules, contract):
    # boilerplate lines between paragraphs exercise the skip ranges too
    text = "\n\n".join(s.text for s in load_samples()).replace("\n\n", "\n\nRead more: elsewhere\n\n")
    small = rules.nlp(contract.distinct_copies(text, 2))  # repeated paragraphs would be furniture
    large = rules.nlp(contract.distinct_copies(text, 8))
    ratio = _stage_seconds(rules, large) / _stage_seconds(rules, small)
    assert ratio < 9, f"4x the text took {ratio:.1f}x the time (linear ~4x, quadratic ~16x)"


_MANY_STATEMENTS = r"""
import json, resource, sys, time
from claimstance.config import InferConfig
from claimstance.data.synthetic import many_statements
from claimstance.infer.pipeline import Pipeline
pipeline = Pipeline.from_config(InferConfig())
pipeline("Kenya said Uganda had broken the deal.", "warm-up")
out = {}
for n in (300, 3000):
    text = many_statements(n, 300)
    started = time.perf_counter()
    big, after = list(pipeline.pipe([("big", text), ("next", "Kenya said Uganda had broken the deal.")]))
    out[n] = {"seconds": time.perf_counter() - started, "statements": len(big.statements),
              "parties": len(big.parties), "max_stances": max(len(s.stances) for s in big.statements),
              "judged": sum(bool(s.stances) for s in big.statements), "warnings": list(big.warnings),
              "next": len(after.statements)}
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


@pytest.mark.slow
def test_many_statements_about_many_parties_are_linear_and_bounded():
    """#16: 3,000 statements about 300 parties with the default models finish in 60 s and 1.5 GB
    (the whole process, models included), 10x the statements take at most about 10x the time, and
    each statement is asked about at most ``stance.max_targets`` parties."""
    done = subprocess.run([sys.executable, "-c", _MANY_STATEMENTS], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    small, large = got["300"], got["3000"]
    assert large["statements"] == 3000 and large["parties"] >= 250 and large["judged"] == 3000
    assert large["max_stances"] <= StanceOptions().max_targets and not large["warnings"]
    assert large["next"] == small["next"] == 1  # the record after it has its results
    assert large["seconds"] <= 60, large
    assert large["seconds"] / small["seconds"] <= 12, (small, large)  # in proportion, with timing noise
    assert got["peak_mb"] <= 1536, got
