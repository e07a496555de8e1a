"""Bounded work per statement and per record (#16): stance targets per statement, per-record budgets
that end in a warning and keep the batch going, and the stages linear in statements.

The stance stage here runs on a stand-in classifier (``ScriptedClassifier`` of test_stance_stage),
so the figures checked are the stage's own work, not a model's."""

from __future__ import annotations

import json
import re
import time

import numpy as np
import pytest

from claimstance.cli import main
from claimstance.config import InferConfig, LimitsConfig, SegmentConfig, StanceOptions, load_config
from claimstance.data.synthetic import many_statements
from claimstance.infer.stance.stage import SLICE, ModelStanceStage
from claimstance.records import Party, Span, Speaker, Statement

LABELS = ("favor", "against", "neutral")


class CountingClassifier:
    """Neutral for every target; counts the targets it was asked about; may take its time."""

    labels = LABELS

    def __init__(self, seconds_per_call: float = 0.0):
        self.asked = 0
        self.calls = 0
        self.seconds_per_call = seconds_per_call

    def judge(self, statements):
        self.calls += 1
        time.sleep(self.seconds_per_call)
        self.asked += sum(len(q.targets) for q in statements)
        return [np.tile([0.1, 0.1, 0.8], (len(q.targets), 1)) for q in statements]

    def decide(self, probs):
        return probs.argmax(axis=-1)


def _article(n: int, parties: int = 300):
    """The synthetic article as statements and parties, without the parse: each "A said B is bad."
    is a statement of speaker A with content "B is bad."; every name is a party."""
    text = many_statements(n, parties)
    statements, names = [], {}
    for i, m in enumerate(re.finditer(r"(\w[\w ]*?) said (\w[\w ]*?) is bad\.", text)):
        speaker = Span(m.start(1), m.end(1), m.group(1))
        names.setdefault(m.group(1), []).append(speaker)
        names.setdefault(m.group(2), []).append(Span(m.start(2), m.end(2), m.group(2)))
        statements.append(Statement(f"s{i + 1}", "indirect", Span(m.start(2), m.end(), text[m.start(2) : m.end()]),
                                    Span(m.end(1) + 1, m.start(2) - 1, "said"), Speaker(m.group(1), speaker, m.group(1))))
    return text, tuple(statements), tuple(Party(name, tuple(spans), "country") for name, spans in names.items())


def test_the_synthetic_article_is_what_it_says():
    text, statements, parties = _article(600)
    assert len(statements) == 600 and len(parties) == 300
    assert all(text[s.content.start : s.content.end] == s.content.text for s in statements)


def test_stance_judgments_are_bounded_per_statement_whatever_the_number_of_parties():
    text, statements, parties = _article(600)
    classifier = CountingClassifier()
    judged, matrix = ModelStanceStage(classifier, max_targets=4, main_parties=3)(text, statements, parties)
    per_statement = [len(s.stances) for s in judged]
    assert max(per_statement) <= 4 and classifier.asked == sum(per_statement)
    assert classifier.asked <= 600 * 4  # never statements x parties (600 x 300)


def test_planning_targets_is_linear_in_statements():
    """The target look-ups of 300 and 3,000 statements about 300 parties: linear work grows about
    10x, work per statement x party 100x."""
    def seconds(n: int) -> float:
        text, statements, parties = _article(n)
        stage = ModelStanceStage(CountingClassifier())
        best = float("inf")
        for _ in range(3):  # the best of three: a loaded machine stalls single runs
            started = time.perf_counter()
            stage.plan(text, statements, parties)
            best = min(best, time.perf_counter() - started)
        return best

    ratio = seconds(3000) / seconds(300)
    assert ratio < 20, f"10x the statements took {ratio:.1f}x the time (linear ~10x, quadratic ~100x)"


def test_a_record_over_its_judgment_budget_keeps_what_fits_with_a_warning():
    text, statements, parties = _article(50)
    classifier = CountingClassifier()
    (judged, _, warnings), = ModelStanceStage(classifier, max_queries=40).many([(text, statements, parties)])
    assert 0 < classifier.asked <= 40
    assert any(not s.stances for s in judged) and judged[0].stances
    assert len(warnings) == 1 and warnings[0].startswith("limits.max_stance_queries")


def test_a_long_record_stops_judging_at_its_time_budget():
    text, statements, parties = _article(3 * SLICE)
    classifier = CountingClassifier(seconds_per_call=0.05)
    (judged, _, warnings), = ModelStanceStage(classifier, max_seconds=0.01).many([(text, statements, parties)])
    assert classifier.calls == 1  # one slice, then the budget was spent
    assert sum(bool(s.stances) for s in judged) == SLICE
    assert len(warnings) == 1 and warnings[0].startswith("limits.max_stance_seconds")


def test_small_records_share_one_model_call():
    docs = [_article(20)] * 3
    classifier = CountingClassifier()
    out = ModelStanceStage(classifier).many(docs)
    assert classifier.calls == 1 and all(w == () for _, _, w in out)


def test_limits_and_stance_options_are_config_keys(tmp_path):
    config = load_config(InferConfig, None, ["limits.max_statements=5", "stance.max_targets=3"])
    assert config.limits == LimitsConfig(max_statements=5) and config.stance == StanceOptions(max_targets=3)
    with pytest.raises(ValueError):
        StanceOptions(max_targets=0)


def test_a_record_over_its_statement_budget_gets_a_warning_and_the_next_record_its_results(tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    big = many_statements(12, 20)
    inp.write_text(json.dumps({"id": "big", "text": big}) + "\n"
                   + json.dumps({"id": "next", "text": "Kenya said Uganda had broken the deal."}) + "\n")
    assert main(["infer", str(inp), "--output", str(out), "stance_model=null", "segment.mode=rules",
                 "limits.max_statements=5"]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["big", "next"]
    assert len(records[0]["statements"]) == 5 and records[0]["error"] is None
    assert records[0]["warnings"] == ["limits.max_statements: 12 statements found, the first 5 kept"]
    assert records[1]["statements"] and "warnings" not in records[1]


def test_a_long_text_is_parsed_in_pieces_that_join_to_the_text(nlp):
    from claimstance.infer.text.parse import parse_texts, pieces_at_paragraphs

    text = many_statements(60, 30) + "\n\n\n  " + "Kenya said Uganda is bad."
    pieces = pieces_at_paragraphs(text, 400)
    assert len(pieces) > 3 and "".join(pieces) == text
    assert all(p.endswith("\n\n") or p.endswith("  ") or p is pieces[-1] for p in pieces)
    (joined,) = parse_texts(nlp, [text], piece_chars=400)
    whole = nlp(text)
    assert joined.text == text and len(joined) == len(whole)
    assert [t.idx for t in joined] == [t.idx for t in whole]
    assert len(list(joined.sents)) == len(list(whole.sents))
    assert [(e.start_char, e.end_char) for e in joined.ents] == [(e.start_char, e.end_char) for e in whole.ents]
    assert pieces_at_paragraphs("one paragraph, no break", 5) == ["one paragraph, no break"]
