"""The stance stage (targets per statement, the speaker x party matrix) with a stand-in classifier whose
answers we choose, and ``claimstance stance`` on a tiny trained model: one output line per input line."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from claimstance.cli import main
from claimstance.config import load_config
from claimstance.infer.stance.stage import ModelStanceStage, aggregate_matrix, statement_targets
from claimstance.infer.jobs.pairs import PairError, parse_pair
from claimstance.records import Party, Span, Speaker, Statement
from claimstance.train.stance.config import StanceTrainConfig
from claimstance.infer.stance.encoding import SPEAKER_MARKS, TARGET_MARKS, StanceQuery, build_pair

REPO = Path(__file__).resolve().parents[1]
LABELS = ("favor", "against", "neutral")


class ScriptedClassifier:
    """Answers by keyword in the target's name; records the queries it saw."""

    labels = LABELS

    def __init__(self, answers: dict[str, str]):
        self.answers = answers
        self.seen: list[StanceQuery] = []

    def probabilities(self, queries):
        self.seen += list(queries)
        out = np.full((len(queries), 3), 0.1)
        for row, q in zip(out, queries):
            row[LABELS.index(self.answers.get(q.target, "neutral"))] = 0.8
        return out


def _span(text: str, needle: str, start: int = 0) -> Span:
    i = text.index(needle, start)
    return Span(i, i + len(needle), needle)


TEXT = ("Kenya's President William Ruto said on Monday that Uganda had broken the deal and that Tanzania "
        "deserved praise. Somalia was not mentioned. Later, Ruto said Ethiopia was a good partner.")


def _parties() -> tuple[Party, ...]:
    return tuple(Party(n, (_span(TEXT, n),), "country") for n in ("Kenya", "Uganda", "Tanzania", "Somalia", "Ethiopia"))


def _statements() -> tuple[Statement, ...]:
    ruto = Speaker("William Ruto", _span(TEXT, "Kenya's President William Ruto"), "Kenya")
    s1 = Statement("s1", "indirect", _span(TEXT, "Uganda had broken the deal and that Tanzania deserved praise"),
                   _span(TEXT, "said"), ruto)
    later = Speaker("William Ruto", _span(TEXT, "Ruto", TEXT.index("Later")), "Kenya")
    s2 = Statement("s2", "indirect", _span(TEXT, "Ethiopia was a good partner"), _span(TEXT, "said", TEXT.index("Later")), later)
    return s1, s2


def test_targets_are_parties_in_the_content_not_the_speakers_own_party():
    s1, s2 = _statements()
    targets = [p.name for p, _ in statement_targets(s1, _parties(), (0, TEXT.index(" Somalia")))]
    assert targets == ["Uganda", "Tanzania"]  # Kenya names the speaker; Somalia is another sentence
    assert [p.name for p, _ in statement_targets(s2, _parties(), (TEXT.index("Later"), len(TEXT)))] == ["Ethiopia"]


def test_own_party_is_a_target_when_the_content_names_it():
    text = "Ruto said Kenya would never give in."
    st = Statement("s1", "indirect", _span(text, "Kenya would never give in"), _span(text, "said"),
                   Speaker("William Ruto", _span(text, "Ruto"), "Kenya"))
    parties = (Party("Kenya", (_span(text, "Kenya"),)),)
    assert [p.name for p, _ in statement_targets(st, parties, (0, len(text)))] == ["Kenya"]


def test_stage_fills_stances_and_matrix():
    classifier = ScriptedClassifier({"Uganda": "against", "Tanzania": "favor", "Ethiopia": "favor"})
    statements, matrix = ModelStanceStage(classifier)(TEXT, _statements(), _parties())
    assert [(j.target, j.label, round(j.score, 2)) for j in statements[0].stances] == [
        ("Uganda", "against", 0.8), ("Tanzania", "favor", 0.8)]
    assert [(j.target, j.label) for j in statements[1].stances] == [("Ethiopia", "favor")]
    cells = {(c.speaker, c.target): c for c in matrix}
    assert set(cells) == {("William Ruto", "Uganda"), ("William Ruto", "Tanzania"), ("William Ruto", "Ethiopia")}
    assert cells[("William Ruto", "Uganda")].label == "against" and cells[("William Ruto", "Uganda")].evidence == ("s1",)
    # the model read the sentence with both mentions marked and the canonical names in the question
    q = classifier.seen[0]
    question, context = build_pair(q)
    assert question == "What does William Ruto think of Uganda?"
    assert SPEAKER_MARKS[0] + "Kenya's President William Ruto" + SPEAKER_MARKS[1] in context
    assert TARGET_MARKS[0] + "Uganda" + TARGET_MARKS[1] in context and "Somalia" not in context


def test_matrix_averages_statements_and_keeps_agreeing_evidence():
    probs = {("A", "B"): [("s1", np.array([0.1, 0.8, 0.1])), ("s2", np.array([0.2, 0.5, 0.3])),
                          ("s3", np.array([0.6, 0.1, 0.3]))]}
    (cell,) = aggregate_matrix(probs, LABELS)
    assert cell.label == "against" and cell.evidence == ("s1", "s2")
    assert cell.score == pytest.approx((0.8 + 0.5 + 0.1) / 3)


# ---------------------------------------------------------------- the shared input builder


def test_build_pair_marks_mentions_and_asks_the_question():
    q = StanceQuery("India condemned Pakistan's statement.", "India", "Pakistan", (0, 5), (16, 24))
    assert build_pair(q) == ("What does India think of Pakistan?",
                             "<< India >> condemned [[ Pakistan ]]'s statement.")
    assert build_pair(StanceQuery("Critics slammed the plan.", None, "the plan", None, (16, 24)))[0] == \
        "What does the text say about the plan?"


def test_build_pair_keeps_far_mentions_in_a_window():
    text = "word " * 400 + "Chile praised Peru." + " word" * 400
    s = text.index("Chile")
    q = StanceQuery(text, "Chile", "Peru", (s, s + 5), (s + 14, s + 18))
    _, context = build_pair(q, max_chars=200)
    assert "<< Chile >> praised [[ Peru ]]." in context and len(context) <= 220


# ---------------------------------------------------------------- claimstance stance


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    from claimstance.train.stance.task import train_stance

    out = tmp_path_factory.mktemp("tiny-stance")
    config = load_config(StanceTrainConfig, REPO / "configs" / "train" / "stance-tiny.yaml",
                         [f"output_dir={out}", f"data.root={REPO / 'tests' / 'fixtures' / 'stance'}", "optim.max_steps=2"])
    return train_stance(config) / "model"


def test_stance_cli_one_line_per_input_in_order(tiny_model, tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "Chile praised Peru.", "speaker": "Chile", "target": "Peru",
                    "speaker_span": [0, 5], "target_span": [14, 18]}),
        "{not json",
        json.dumps({"id": "c", "text": "The plan failed.", "target": "the plan"}),
        json.dumps({"id": "d", "text": "x", "speaker": "A", "target": "B", "target_span": [0, 9]}),
        json.dumps({"id": "e", "text": "", "target": "B"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "g", "text": "Chile praised Peru.", "speaker": None, "target": "Peru"}),
    ]
    src = tmp_path / "pairs.jsonl"
    src.write_text("\n".join(lines) + "\n", "utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["stance", str(src), "-o", str(out), "--model", str(tiny_model)]) == 0
    recs = [json.loads(l) for l in out.read_text("utf-8").splitlines()]
    assert [r["id"] for r in recs] == ["a", "line2", "c", "d", "e", "line6", "g"]
    for r in recs:
        assert set(r) == {"id", "label", "scores", "error"}
    ok = [r for r in recs if r["error"] is None]
    assert [r["id"] for r in ok] == ["a", "c", "g"]
    for r in ok:
        assert r["label"] in LABELS and set(r["scores"]) == set(LABELS)
        assert abs(sum(r["scores"].values()) - 1) < 1e-3 and r["label"] == max(r["scores"], key=r["scores"].get)
    errors = {r["id"]: r["error"]["type"] for r in recs if r["error"]}
    assert errors == {"line2": "InvalidJSON", "d": "InvalidSpan", "e": "InvalidText", "line6": "InvalidRecord"}


def test_stance_cli_missing_model_is_a_clear_error(tmp_path, capsys):
    src = tmp_path / "p.jsonl"
    src.write_text('{"id": "a", "text": "t", "target": "t"}\n')
    assert main(["stance", str(src), "-o", str(tmp_path / "o.jsonl"), "--model", str(tmp_path / "nope")]) == 2
    assert "stance model folder not found" in capsys.readouterr().err


def test_model_folder_without_safetensors_is_refused(tmp_path):
    from claimstance.errors import ModelNotFound
    from claimstance.infer.stance.model import StanceClassifier

    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"pickle")
    with pytest.raises(ModelNotFound, match="pickled weights are never loaded"):
        StanceClassifier.load(tmp_path)


@pytest.mark.parametrize("obj, kind", [
    ({"text": "a b", "target": 3}, "InvalidTarget"),
    ({"text": "a b", "target": "b", "speaker": ""}, "InvalidSpeaker"),
    ({"text": "a b", "target": "b", "speaker_span": [0, 1]}, "InvalidSpan"),
    ({"text": "a b", "target": "b", "target_span": [2, 1]}, "InvalidSpan"),
    ({"text": "a b", "target": "b", "target_span": [0, True]}, "InvalidSpan"),
])
def test_parse_pair_errors(obj, kind):
    with pytest.raises(PairError) as err:
        parse_pair(obj)
    assert err.value.kind == kind


def test_infer_with_a_model_fills_stances_and_a_consistent_matrix(tiny_model, tmp_path, contract):
    """Any model folder plugs into ``infer``; the matrix cells are backed by the statements' stances."""
    from claimstance.data.samples import load_articles

    articles = load_articles()[:3]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": a["id"], "text": a["text"]}) + "\n" for a in articles), "utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["infer", str(src), "-o", str(out), "--model", str(tiny_model)]) == 0
    contract.check_output(out.read_text("utf-8"), [contract.Expect(a["id"], a["text"], min_statements=3) for a in articles])
    recs = [json.loads(l) for l in out.read_text("utf-8").splitlines()]
    assert sum(len(st["stances"]) for r in recs for st in r["statements"]) > 10
    for rec in recs:
        by_id = {st["id"]: st for st in rec["statements"]}
        party_names = {p["name"] for p in rec["parties"]}
        for st in rec["statements"]:
            for j in st["stances"]:
                assert j["target"] in party_names and j["label"] in LABELS and 1 / 3 - 1e-4 <= j["score"] <= 1
                assert st["speaker"] is None or j["target"] != st["speaker"]["name"]
        for cell in rec["stance_matrix"]:
            assert cell["evidence"] and all(e in by_id for e in cell["evidence"])
            for e in cell["evidence"]:
                assert by_id[e]["speaker"]["name"] == cell["speaker"]
                assert cell["target"] in {j["target"] for j in by_id[e]["stances"]}
        pairs = [(c["speaker"], c["target"]) for c in rec["stance_matrix"]]
        assert len(pairs) == len(set(pairs))


def test_main_parties_are_targets_even_when_the_sentence_does_not_name_them():
    text = ("Pakistan accused India of shelling villages. India denied it. "
            "Pakistan said India lied. Later the ministry said the remarks were baseless.")
    india = Party("India", tuple(Span(m.start(), m.end(), "India") for m in __import__("re").finditer("India", text)))
    pakistan = Party("Pakistan", tuple(Span(m.start(), m.end(), "Pakistan") for m in __import__("re").finditer("Pakistan", text)))
    from claimstance.infer.stance.stage import main_parties

    assert main_parties((india, pakistan)) == {"India", "Pakistan"}
    assert main_parties((Party("A", (Span(0, 1, "A"),)),)) == set()  # one mention is not "main"
    st = Statement("s1", "indirect", _span(text, "the remarks were baseless"), _span(text, "said", text.index("Later")),
                   Speaker("Pakistan's ministry", _span(text, "the ministry"), "Pakistan"))
    classifier = ScriptedClassifier({"India": "against"})
    (judged,), _ = ModelStanceStage(classifier)(text, (st,), (india, pakistan))
    assert [(j.target, j.label) for j in judged.stances] == [("India", "against")]  # not its own party
    question, context = build_pair(classifier.seen[0])
    # the target's nearest sentence before the statement is joined to the statement's sentence, target marked
    assert context == "Pakistan said [[ India ]] lied. … Later << the ministry >> said the remarks were baseless."


def test_stance_cli_stdin_to_stdout(tiny_model, monkeypatch, capsysbinary):
    import io
    import sys

    data = (json.dumps({"id": "a", "text": "Chile praised Peru.", "speaker": "Chile", "target": "Peru"}) + "\n{bad\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["stance", "-", "-o", "-", "--model", str(tiny_model)]) == 0
    recs = [json.loads(l) for l in capsysbinary.readouterr().out.decode().splitlines()]
    assert [(r["id"], r["error"] is None) for r in recs] == [("a", True), ("line2", False)]
    assert main(["stance", "-", "-o", "-", "--model", str(tiny_model), "--batch-size", "0"]) == 2
