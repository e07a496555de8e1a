"""The stages after the parse must stay linear in an article's length.

Reading ``Doc.text`` per token, or scanning every quote or mention for each token, once made
a 1 MB article take over half an hour. This test times the stages (not the parse) on the
sample articles repeated 2 and 8 times: linear work grows about 4x, quadratic work 16x.
"""

import time

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
