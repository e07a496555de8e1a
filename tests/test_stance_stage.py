"""The stance stage (targets per statement, the speaker x party matrix) with a stand-in classifier whose
answers we choose, and ``claimstance stance`` on a tiny trained model: one output line per input line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from claimstance.cli import main
from claimstance.config import load_config
from claimstance.infer.jobs.pairs import PairError, parse_pair
from claimstance.infer.stance.encoding import (SPEAKER_MARKS, TARGET_MARKS, StanceQuery, StatementQuery, Target,
                                              build_segments, encode_statements, group_queries)
from claimstance.infer.stance.matrix import CellEvidence, aggregate_matrix
from claimstance.infer.stance.stage import ModelStanceStage
from claimstance.infer.stance.targets import main_parties, statement_targets
from claimstance.records import Party, Span, Speaker, Statement
from claimstance.train.stance.config import StanceTrainConfig

REPO = Path(__file__).resolve().parents[1]
LABELS = ("favor", "against", "neutral")


class ScriptedClassifier:
    """Answers by the target's name; records the statements it was asked about."""

    labels = LABELS

    def __init__(self, answers: dict[str, str]):
        self.answers = answers
        self.seen: list[StatementQuery] = []

    def judge(self, statements):
        self.seen += list(statements)
        out = []
        for q in statements:
            rows = np.full((len(q.targets), 3), 0.1)
            for row, t in zip(rows, q.targets):
                row[LABELS.index(self.answers.get(t.name, "neutral"))] = 0.8
            out.append(rows)
        return out

    def decide(self, probs):
        return probs.argmax(axis=-1)


def _at(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return i, i + len(needle)


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


def _many_parties(n: int, mentions: int = 3, tail: str = "") -> tuple[str, tuple[Party, ...]]:
    """A text naming parties P0 ... Pn-1, each about ``mentions`` times (nearly all tied), then ``tail``."""
    text = " ".join(f"P{i} met P{(i + 1) % n}." for i in range(n * mentions // 2 + 1)) + tail
    return text, tuple(Party(f"P{i}", tuple(Span(m.start(), m.end(), f"P{i}") for m in re.finditer(rf"\bP{i}\b", text)))
                       for i in range(n))


def test_main_parties_are_bounded_however_many_are_tied():
    _, parties = _many_parties(300)
    assert len({len(p.mentions) for p in parties}) <= 2  # (nearly) all tied
    top = main_parties(parties, 3)
    assert len(top) == 3 and [p.name for p in top] == [p.name for p in sorted(parties, key=lambda p: -len(p.mentions))][:3]


def test_targets_per_statement_are_bounded_named_parties_first():
    said, parties = _many_parties(300, tail=" Kenya said P7 and P9 were wrong.")
    kenya = Party("Kenya", (_span(said, "Kenya"),))
    st = Statement("s1", "indirect", _span(said, "P7 and P9 were wrong"), _span(said, "said"),
                   Speaker("Kenya", kenya.mentions[0], "Kenya"))
    everyone = parties + (kenya,)
    found = statement_targets(st, everyone, (said.index("Kenya"), len(said)), main_parties(everyone, 5), max_targets=4)
    names = [p.name for p, _ in found]
    assert names[:2] == ["P7", "P9"] and len(names) == 4  # what it names, then main parties, never all 300
    assert len(statement_targets(st, everyone, (0, len(said)), main_parties(everyone, 300), max_targets=4)) == 4


def test_stage_fills_stances_and_matrix_from_one_query_per_statement():
    classifier = ScriptedClassifier({"Uganda": "against", "Tanzania": "favor", "Ethiopia": "favor"})
    statements, matrix = ModelStanceStage(classifier)(TEXT, _statements(), _parties())
    assert [(j.target, j.label, round(j.score, 2)) for j in statements[0].stances] == [
        ("Uganda", "against", 0.8), ("Tanzania", "favor", 0.8)]
    assert [(j.target, j.label) for j in statements[1].stances] == [("Ethiopia", "favor")]
    cells = {(c.speaker, c.target): c for c in matrix}
    assert set(cells) == {("William Ruto", "Uganda"), ("William Ruto", "Tanzania"), ("William Ruto", "Ethiopia")}
    assert cells[("William Ruto", "Uganda")].label == "against" and cells[("William Ruto", "Uganda")].evidence == ("s1",)
    # two statements, two queries: both targets of s1 in one, read from the speaker's own words
    assert len(classifier.seen) == 2
    q = classifier.seen[0]
    assert [t.name for t in q.targets] == ["Uganda", "Tanzania"] and not any(t.in_context for t in q.targets)
    first, second, _, _ = build_segments(q)
    assert first == ("<< Kenya's President William Ruto >> said on Monday that [[ Uganda ]] had broken the deal "
                     "and that [[ Tanzania ]] deserved praise")
    assert second is None  # every target is in the speaker's words: no context segment
    assert "Somalia" not in first and "Ethiopia" not in first


def test_speakers_named_together_each_get_the_statements_row():
    text = "Kenya and Tanzania said Uganda had broken the deal."
    both = Speaker("Kenya and Tanzania", _span(text, "Kenya and Tanzania"), None, ("Kenya", "Tanzania"))
    st = Statement("s1", "indirect", _span(text, "Uganda had broken the deal"), _span(text, "said"), both)
    parties = tuple(Party(n, (_span(text, n),), "country") for n in ("Kenya", "Tanzania", "Uganda"))
    _, matrix = ModelStanceStage(ScriptedClassifier({"Uganda": "against"}))(text, (st,), parties)
    assert {(c.speaker, c.target, c.label) for c in matrix} == {("Kenya", "Uganda", "against"), ("Tanzania", "Uganda", "against")}
    assert both.to_dict()["members"] == ["Kenya", "Tanzania"]
    assert "members" not in Speaker("Kenya").to_dict()  # a single speaker's record is as before


@pytest.mark.parametrize("name, row", [("they", False), ("who", False), ("Two", False), ("some", False),
                                       ("others", False), ("some lawmakers", True), ("Uganda's neighbours", True)])
def test_a_speaker_the_chain_could_not_name_gets_stances_but_no_row(name, row):
    text = f"{name} said Uganda had broken the deal."
    st = Statement("s1", "indirect", _span(text, "Uganda had broken the deal"), _span(text, " said"),
                   Speaker(name, _span(text, name)))
    parties = (Party("Uganda", (_span(text, "Uganda", len(name) + 1),), "country"),)
    judged, matrix = ModelStanceStage(ScriptedClassifier({"Uganda": "against"}))(text, (st,), parties)
    assert [(j.target, j.label) for j in judged[0].stances] == [("Uganda", "against")]
    assert [(c.speaker, c.target) for c in matrix] == ([(name, "Uganda")] if row else [])


def test_other_speakers_words_and_neighbouring_sentences_are_not_the_speakers():
    text = ("Critics called Norland a bully. The minister said Estavia would keep talking to Norland. "
            "Norland's envoy later praised the minister.")
    norland = Party("Norland", tuple(Span(m.start(), m.end(), "Norland") for m in re.finditer("Norland", text)))
    estavia = Party("Estavia", (_span(text, "Estavia"),))
    st = Statement("s1", "indirect", _span(text, "Estavia would keep talking to Norland"), _span(text, "said"),
                   Speaker("The minister", _span(text, "The minister"), "Estavia"))
    classifier = ScriptedClassifier({})
    ModelStanceStage(classifier)(text, (st,), (norland, estavia))
    first, second, _, _ = build_segments(classifier.seen[0])
    assert first == "<< The minister >> said [[ Estavia ]] would keep talking to [[ Norland ]]"
    assert second is None and "bully" not in first and "praised" not in first


def test_main_parties_are_targets_with_their_sentence_as_marked_context():
    text = ("Pakistan accused India of shelling villages. India denied it. "
            "Pakistan said India lied. Later the ministry said the remarks were baseless.")
    india = Party("India", tuple(Span(m.start(), m.end(), "India") for m in re.finditer("India", text)))
    pakistan = Party("Pakistan", tuple(Span(m.start(), m.end(), "Pakistan") for m in re.finditer("Pakistan", text)))
    assert [p.name for p in main_parties((india, pakistan))] == ["India", "Pakistan"]
    assert main_parties((Party("A", (Span(0, 1, "A"),)),)) == []  # one mention is not "main"
    st = Statement("s1", "indirect", _span(text, "the remarks were baseless"), _span(text, "said", text.index("Later")),
                   Speaker("Pakistan's ministry", _span(text, "the ministry"), "Pakistan"))
    classifier = ScriptedClassifier({"India": "against"})
    (judged,), _ = ModelStanceStage(classifier)(text, (st,), (india, pakistan))
    assert [(j.target, j.label) for j in judged.stances] == [("India", "against")]  # not its own party
    q = classifier.seen[0]
    assert q.targets[0].in_context
    first, second, _, positions = build_segments(q)
    # the speaker's words first; the target's nearest sentence before them is the context, marked there
    assert first == "<< the ministry >> said the remarks were baseless"
    assert second == "Pakistan said [[ India ]] lied."
    assert positions == [(1, second.index("[["))]


# ---------------------------------------------------------------- the matrix


def test_matrix_averages_statements_and_keeps_agreeing_evidence():
    cells = {("A", "B"): [CellEvidence("s1", np.array([0.1, 0.8, 0.1])), CellEvidence("s2", np.array([0.2, 0.5, 0.3])),
                          CellEvidence("s3", np.array([0.6, 0.1, 0.3]))]}
    (cell,) = aggregate_matrix(cells, LABELS)
    assert cell.label == "against" and cell.evidence == ("s1", "s2")
    assert cell.score == pytest.approx((0.8 + 0.5 + 0.1) / 3)


def test_matrix_prefers_statements_that_name_the_target():
    named = CellEvidence("s1", np.array([0.7, 0.2, 0.1]))
    context_only = [CellEvidence(f"c{i}", np.array([0.1, 0.8, 0.1]), in_words=False) for i in range(3)]
    (cell,) = aggregate_matrix({("A", "B"): [*context_only, named]}, LABELS)
    assert (cell.label, cell.evidence) == ("favor", ("s1",))
    (cell,) = aggregate_matrix({("A", "B"): context_only}, LABELS)  # nothing better: the context speaks
    assert cell.label == "against" and cell.evidence == ("c0", "c1", "c2")


def test_matrix_applies_the_decision_rule():
    cautious = lambda p: np.where(p.max(axis=-1) < 0.5, 2, p.argmax(axis=-1))  # noqa: E731
    (cell,) = aggregate_matrix({("A", "B"): [CellEvidence("s1", np.array([0.45, 0.35, 0.2]))]}, LABELS, cautious)
    assert cell.label == "neutral" and cell.score == pytest.approx(0.2)


# ---------------------------------------------------------------- the shared input builder


def test_build_segments_marks_speaker_and_every_target():
    text = "India condemned Pakistan's statement and thanked Nepal."
    q = StatementQuery(text, "India", (Target("Pakistan", _at(text, "Pakistan")), Target("Nepal", _at(text, "Nepal"))), (0, 5))
    first, second, speaker_at, positions = build_segments(q)
    assert first == "<< India >> condemned [[ Pakistan ]] 's statement and thanked [[ Nepal ]] ."
    assert second is None and speaker_at == 0
    assert [first[at:at + 2] for _, at in positions] == ["[[", "[["]


def test_build_segments_names_a_speaker_outside_the_words_and_a_target_without_a_mention():
    q = StatementQuery("“This is a disgrace,” he said.", "Jane Doe", (Target("City Hall"),))
    first, second, speaker_at, positions = build_segments(q)
    assert first == "<< Jane Doe >> : “This is a disgrace,” he said."
    assert second == "[[ City Hall ]]" and positions == [(1, 0)] and speaker_at == 0
    no_speaker = StatementQuery("Critics slammed the plan.", None, (Target("the plan", (16, 24)),))
    assert build_segments(no_speaker)[:3] == ("Critics slammed [[ the plan ]] .", None, None)


def test_build_segments_keeps_far_marks_in_a_window():
    text = "word " * 400 + "Chile praised Peru." + " word" * 400
    s = text.index("Chile")
    q = StatementQuery(text, "Chile", (Target("Peru", (s + 14, s + 18)),), (s, s + 5))
    first, _, _, _ = build_segments(q, max_chars=200)
    assert "<< Chile >> praised [[ Peru ]] ." in first and len(first) <= 230


def test_group_queries_joins_the_pairs_of_one_text_and_speaker():
    text = "Chile praised Peru and blamed Bolivia."
    queries = [StanceQuery(text, "Chile", "Peru", (0, 5), (14, 18)), StanceQuery(text, "Chile", "Bolivia", (0, 5), (30, 37)),
               StanceQuery(text, "Peru", "Chile", (14, 18), (0, 5)), StanceQuery(text, "Chile", "Peru", (0, 5), (14, 18))]
    statements, where = group_queries(queries)
    assert [len(s.targets) for s in statements] == [2, 1, 1]  # the same target asked twice opens a new statement
    assert where == [(0, 0), (0, 1), (1, 0), (2, 0)]
    assert len(group_queries(queries, one_per_pass=True)[0]) == 4


@pytest.fixture(scope="module")
def tiny_classifier():
    """A randomly initialised 2-layer encoder with the marker head (no training)."""
    import torch

    from claimstance.infer.stance.model import StanceClassifier, StanceSettings, hidden_states, make_head
    from claimstance.train.base_model import base_model

    config = load_config(StanceTrainConfig, REPO / "configs" / "train" / "stance-tiny.yaml")
    torch.manual_seed(0)
    tokenizer, encoder = base_model(config.model, "AutoModel", LABELS)
    head = make_head(encoder.config.hidden_size, "markers", 3)
    settings = StanceSettings("stance", 64, 500, "markers", False, [1.0, 1.0, 1.0], [0.0, 0.0, 0.0], 0.0)
    return StanceClassifier(hidden_states(encoder), head, tokenizer, settings, LABELS)


class CountingEncoder:
    """Wraps an encoder and counts its calls and the rows it was given."""

    def __init__(self, inner):
        self.inner, self.calls, self.rows = inner, 0, 0

    def eval(self):
        return self

    def __call__(self, **inputs):
        self.calls += 1
        self.rows += int(inputs["input_ids"].shape[0])
        return self.inner(**inputs)


def test_several_targets_one_encoder_call(tiny_classifier):
    import dataclasses

    text = "Kenya's president praised Uganda, criticised Tanzania and said nothing of Rwanda."
    q = StatementQuery(text, "William Ruto", tuple(Target(n, _at(text, n)) for n in ("Uganda", "Tanzania", "Rwanda")),
                       (0, 17))
    counting = CountingEncoder(tiny_classifier.encoder)
    tiny_classifier.encoder, original = counting, tiny_classifier.encoder
    try:
        (probs,) = tiny_classifier.judge([q])
        assert probs.shape == (3, 3) and np.allclose(probs.sum(axis=1), 1)
        assert (counting.calls, counting.rows) == (1, 1)
        # the same three targets asked one per pass: three rows, and the same pooling positions per target
        singles = [dataclasses.replace(q, targets=(t,)) for t in q.targets]
        alone = tiny_classifier.judge(singles)
        assert counting.rows == 1 + 3
        assert not np.allclose(np.stack([a[0] for a in alone]), probs)  # other marks in the text: other states
    finally:
        tiny_classifier.encoder = original


def test_encode_statements_points_at_the_marks(tiny_classifier):
    text = "India condemned Pakistan's statement and thanked Nepal."
    q = StatementQuery(text, "India", (Target("Pakistan", _at(text, "Pakistan")), Target("Nepal", _at(text, "Nepal"))), (0, 5))
    enc = encode_statements(tiny_classifier.tokenizer, [q], 64)
    ids = enc.features["input_ids"][0]
    tokens = tiny_classifier.tokenizer.convert_ids_to_tokens(ids)
    assert tokens[enc.speaker_pos[0]] == "<"
    assert [tokens[p] for p in enc.target_pos[0]] == ["[", "["]
    assert tokens[enc.target_pos[0][0] + 2] == "pakistan" and tokens[enc.target_pos[0][1] + 2] == "nepal"


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
        assert abs(sum(r["scores"].values()) - 1) < 1e-3
        # the most probable label, or neutral where that is a favor/against call under the model's floor
        assert r["label"] in (max(r["scores"], key=r["scores"].get), "neutral")
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


def test_stance_cli_stdin_to_stdout(tiny_model, monkeypatch, capsysbinary):
    import io
    import sys

    data = (json.dumps({"id": "a", "text": "Chile praised Peru.", "speaker": "Chile", "target": "Peru"}) + "\n{bad\n").encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["stance", "-", "-o", "-", "--model", str(tiny_model)]) == 0
    recs = [json.loads(l) for l in capsysbinary.readouterr().out.decode().splitlines()]
    assert [(r["id"], r["error"] is None) for r in recs] == [("a", True), ("line2", False)]
    assert main(["stance", "-", "-o", "-", "--model", str(tiny_model), "--batch-size", "0"]) == 2
