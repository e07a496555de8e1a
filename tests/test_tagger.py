"""The learned attribution tagger: tag encoding and decoding with exact offsets, windows, a tiny run
on the two brat fixture articles (train, save, reload, same predictions, same model from a seed),
and the tagger inside the pipeline (every span re-reads the input)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from safetensors.numpy import load_file

from claimstance.cli import main
from claimstance.config import InferConfig, load_config, read_yaml
from claimstance.data.polnear import iter_polnear
from claimstance.errors import ConfigError
from claimstance.evaluate.attribution import score_corpus
from claimstance.infer.tagger.decode import Segment, decode, group_segments, to_statements
from claimstance.infer.tagger.model import AttributionTagger
from claimstance.infer.segmenter import MODES
from claimstance.infer.tagger.candidates import tagger_candidates
from claimstance.train.tagger.config import TaggerTrainConfig
from claimstance.train.tagger.task import selection_score, split_holdout, tag_weights, train_tagger
from claimstance.infer.tagger.encoding import TAG_IDS, TAGS, gold_segments, piece_tags, tokenize_text, window_owner, windows

REPO = Path(__file__).resolve().parents[1]
TINY = REPO / "configs" / "train" / "attribution-tagger-tiny.yaml"
FIX = REPO / "tests" / "fixtures"
DOCS = list(iter_polnear(FIX / "tagger"))


def _tiny(tmp_path: Path, name: str = "run", *more: str) -> TaggerTrainConfig:
    return load_config(TaggerTrainConfig, TINY, [f"output_dir={tmp_path / name}", f"data.root={FIX}", *more])


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> Path:
    return train_tagger(_tiny(tmp_path_factory.mktemp("tagger")))


@pytest.fixture(scope="module")
def tokenizer(tiny_run):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_run / "model")


# ---------------------------------------------------------------- encoding and decoding


def test_fixtures_are_two_articles_with_a_discontinuous_content():
    assert len(DOCS) == 2
    assert any(a.content.parts for d in DOCS for a in d.attributions)


def test_gold_tags_decode_back_to_the_gold_spans(tokenizer):
    """Tagging the gold and decoding the tags gives the gold contents, cues and sources, exactly."""
    for doc in DOCS:
        pieces = tokenize_text(tokenizer, doc.text)
        tags = piece_tags(pieces.offsets, len(doc.text), gold_segments(doc.attributions))
        decoded = decode(tags, pieces.offsets, doc.text)
        got = sorted((tuple(a.content), tuple(a.cue), tuple(a.source)) for a in decoded)
        want = sorted((g.content.parts or ((g.content.start, g.content.end),), ((g.cue.start, g.cue.end),),
                       ((g.source.start, g.source.end),)) for g in doc.attributions)
        assert got == want, doc.doc_id
        statements = to_statements(decoded, doc.text)
        metrics = score_corpus([doc], {doc.doc_id: statements})
        assert metrics["content"]["overall"]["exact"]["f1"] == 1.0
        assert metrics["source"]["exact"]["accuracy"] == 1.0


def test_piece_tags_mark_segment_starts():
    offsets = [(0, 3), (4, 8), (9, 13), (14, 18), (18, 19)]
    text = "Ann said that rain."
    tags = piece_tags(offsets, len(text), [("SOURCE", 0, 3), ("CUE", 4, 8), ("CONTENT", 9, 19)])
    assert [TAGS[t] for t in tags] == ["B-SOURCE", "B-CUE", "B-CONTENT", "I-CONTENT", "I-CONTENT"]
    # two contents side by side stay two segments
    tags = piece_tags(offsets, len(text), [("CONTENT", 0, 8), ("CONTENT", 9, 19)])
    assert [TAGS[t] for t in tags] == ["B-CONTENT", "I-CONTENT", "B-CONTENT", "I-CONTENT", "I-CONTENT"]


def test_windows_cover_every_piece_and_owners_are_central():
    spans = windows(100, 24, 6)
    assert spans[0] == (0, 24) and spans[-1][1] == 100
    assert all(b[0] - a[0] == 18 for a, b in zip(spans, spans[1:]))
    owner = window_owner(spans, 100)
    assert all(spans[w][0] <= i < spans[w][1] for i, w in enumerate(owner))
    # a piece in an overlap takes the window where it is farther from the edge
    assert owner[21] == 1 and owner[20] == 0  # the overlap 18..23 splits in its middle
    assert windows(10, 24, 6) == [(0, 10)] and windows(0, 24, 6) == []
    shifted = windows(50, 24, 0, start=7)
    assert shifted[0] == (0, 7) and shifted[1] == (7, 31) and shifted[-1][1] == 50
    with pytest.raises(ValueError):
        windows(10, 24, 24)


def _seg(text: str, role: str, words: str, after: int = 0) -> Segment:
    start = text.index(words, after)
    return Segment(role, start, start + len(words))


def _spans(text: str, attributions) -> list:
    return [([text[s:e] for s, e in a.content], [text[s:e] for s, e in a.cue], [text[s:e] for s, e in a.source])
            for a in attributions]


def test_grouping_joins_a_quote_split_by_its_cue_and_keeps_sentences_apart():
    text = '"We tried," he said. "It failed." Ms. Lee said the plan works. Rain fell.'
    segs = [_seg(text, "CONTENT", '"We tried,"'), _seg(text, "SOURCE", "he"), _seg(text, "CUE", "said"),
            _seg(text, "CONTENT", '"It failed."'), _seg(text, "SOURCE", "Ms. Lee"), _seg(text, "CUE", "said", 30),
            _seg(text, "CONTENT", "the plan works")]
    assert _spans(text, group_segments(segs, text)) == [
        (['"We tried,"', '"It failed."'], ["said"], ["he"]),  # the quotation goes on after "he said."
        (["the plan works"], ["said"], ["Ms. Lee"]),  # "Ms." does not end a sentence
    ]


def test_grouping_shares_one_source_between_two_cues_and_keeps_cueless_content():
    text = "Mr. Day said taxes rise and added that fees fall.\n\nPrices are high, economists believe.\n\nA lone claim."
    segs = [_seg(text, "SOURCE", "Mr. Day"), _seg(text, "CUE", "said"), _seg(text, "CONTENT", "taxes rise"),
            _seg(text, "CUE", "added"), _seg(text, "CONTENT", "that fees fall"), _seg(text, "CONTENT", "Prices are high"),
            _seg(text, "SOURCE", "economists"), _seg(text, "CUE", "believe"), _seg(text, "CONTENT", "A lone claim")]
    assert _spans(text, group_segments(segs, text)) == [
        (["taxes rise"], ["said"], ["Mr. Day"]),
        (["that fees fall"], ["added"], ["Mr. Day"]),
        (["Prices are high"], ["believe"], ["economists"]),
        (["A lone claim"], [], []),
    ]


def test_paragraph_breaks_cut_content_unless_a_quotation_reopens():
    from claimstance.infer.tagger.decode import segments_from_tags

    text = 'She said taxes rise.\n\nPrices fall.\n\n"Go on," he said.\n\n"And on."'
    words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\S+", text)]
    content = TAG_IDS["I-CONTENT"]
    tags = [TAG_IDS["B-SOURCE"], TAG_IDS["B-CUE"], TAG_IDS["B-CONTENT"]] + [content] * 3 + \
        [TAG_IDS["B-CONTENT"], content, TAG_IDS["B-SOURCE"], TAG_IDS["B-CUE"], TAG_IDS["B-CONTENT"], content]
    segs = segments_from_tags(tags, words, text)
    assert [(s.role, text[s.start:s.end]) for s in segs if s.role == "CONTENT"] == [
        ("CONTENT", "taxes rise."), ("CONTENT", "Prices fall."), ("CONTENT", '"Go on,"'), ("CONTENT", '"And on."')]
    # a quotation that reopens in the next paragraph stays one run
    tags = [TAG_IDS["B-CONTENT"]] + [content] * (len(words) - 1)
    assert len(segments_from_tags(tags, words[8:], text)) == 1


def test_source_runs_split_by_commas_are_one_source():
    text = "Brazil, which borders both countries, urged restraint."
    segs = [_seg(text, "SOURCE", "Brazil"), _seg(text, "SOURCE", "which borders both countries"),
            _seg(text, "CUE", "urged"), _seg(text, "CONTENT", "restraint")]
    assert _spans(text, group_segments(segs, text)) == [(["restraint"], ["urged"], ["Brazil, which borders both countries"])]


def test_a_quotation_left_open_at_a_paragraph_end_joins_the_one_that_reopens_it():
    text = '“We came far. Few believed it.\n\n“We owe it to them,” the minister told reporters.\n\n“Done.” Rain fell.'
    segs = [_seg(text, "CONTENT", "“We came far. Few believed it"), _seg(text, "CONTENT", "“We owe it to them,”"),
            _seg(text, "SOURCE", "the minister"), _seg(text, "CUE", "told"), _seg(text, "CONTENT", "“Done.”")]
    assert _spans(text, group_segments(segs, text)) == [
        (["“We came far. Few believed it", "“We owe it to them,”"], ["told"], ["the minister"]),
        (["“Done.”"], [], []),  # closed before the break: it does not run on
    ]


def test_a_cue_inside_a_quotation_is_not_the_quotations_and_the_quotation_runs_on():
    text = ("The president said critics erred. “This is no gift, and Kenya negotiated every line.\n\n"
            "“Critics have not read it,” Ruto said.")
    segs = [_seg(text, "SOURCE", "The president"), _seg(text, "CUE", "said"), _seg(text, "CONTENT", "critics erred"),
            _seg(text, "CONTENT", "“This is no gift"), _seg(text, "SOURCE", "Kenya"), _seg(text, "CUE", "negotiated"),
            _seg(text, "CONTENT", "“Critics have not read it,”"), _seg(text, "SOURCE", "Ruto"), _seg(text, "CUE", "said", 40)]
    assert _spans(text, group_segments(segs, text)) == [
        (["critics erred"], ["said"], ["The president"]),
        # "negotiated" is a word of the quotation; the quotation, left open, goes on in the next paragraph
        (["“This is no gift", "“Critics have not read it,”"], ["said"], ["Ruto"]),
    ]
    # closed before the paragraph ends, a quotation with a cue outside it keeps that cue
    text = "“This is no gift,” Kenya said.\n\n“Critics have not read it,” Ruto said."
    segs = [_seg(text, "CONTENT", "“This is no gift,”"), _seg(text, "SOURCE", "Kenya"), _seg(text, "CUE", "said"),
            _seg(text, "CONTENT", "“Critics have not read it,”"), _seg(text, "SOURCE", "Ruto"), _seg(text, "CUE", "said", 31)]
    assert _spans(text, group_segments(segs, text)) == [
        (["“This is no gift,”"], ["said"], ["Kenya"]), (["“Critics have not read it,”"], ["said"], ["Ruto"])]


def test_fill_gives_a_bare_cue_its_likeliest_content_only_when_likely_enough():
    from claimstance.infer.tagger.decode import segments_from_tags, viterbi
    from claimstance.infer.tagger.fill import MIN_CONTENT, fill_roles

    text = "The Caribbean Community backed Guyana. Oil prices rose."
    words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", text)]

    def filled(p_content):
        rows = [{"B-SOURCE": 0.6}, {"I-SOURCE": 0.6}, {"I-SOURCE": 0.6}, {"B-CUE": 0.6}, {"B-CONTENT": p_content},
                {"B-CONTENT": MIN_CONTENT * 0.9}, {}, {}]
        log_probs = _log_probs(rows)
        segments = segments_from_tags(viterbi(log_probs), words, text)
        assert not group_segments(segments, text)  # the best sequence has a cue and a source, no content
        return _spans(text, fill_roles(group_segments(segments, text), segments, log_probs, words, text))

    assert filled(MIN_CONTENT + 0.02) == [(["Guyana"], ["backed"], ["The Caribbean Community"])]
    assert filled(MIN_CONTENT - 0.05) == []  # "Oil" is in another sentence, and too unlikely anyway


def _log_probs(rows):
    import numpy as np

    out = np.full((len(rows), len(TAGS)), 1e-4)
    for i, row in enumerate(rows):
        for tag, p in row.items():
            out[i, TAG_IDS[tag]] = p
        out[i, TAG_IDS["O"]] = max(1e-4, 1 - sum(row.values()))
    return np.log(out / out.sum(1, keepdims=True))


def test_fill_gives_a_cueless_content_the_likeliest_cue_and_a_sourceless_cue_the_likeliest_source():
    from claimstance.infer.tagger.decode import segments_from_tags, viterbi
    from claimstance.infer.tagger.fill import fill_roles

    text = "The Caribbean Community backed Guyana. Oil prices rose. Officials said talks resume."
    words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", text)]
    rows = [{"B-SOURCE": 0.4}, {"I-SOURCE": 0.38}, {"I-SOURCE": 0.38}, {"B-CUE": 0.4}, {"B-CONTENT": 0.9},
            {"B-SOURCE": 0.35}, {}, {}, {"B-SOURCE": 0.3}, {"B-CUE": 0.9}, {"B-CONTENT": 0.9}, {"I-CONTENT": 0.9}]
    assert len(rows) == len(words)
    log_probs = _log_probs(rows)
    segments = segments_from_tags(viterbi(log_probs), words, text)
    plain = group_segments(segments, text)
    assert _spans(text, plain) == [(["Guyana"], [], []), (["talks resume"], ["said"], [])]
    filled = fill_roles(group_segments(segments, text), segments, log_probs, words, text)
    # "Oil" is likelier than "Officials" but lies in another sentence
    assert _spans(text, filled) == [(["Guyana"], ["backed"], ["The Caribbean Community"]),
                                    (["talks resume"], ["said"], ["Officials"])]
    # nothing likely enough in the sentence: nothing filled
    bare = [{}] * 5 + [{}, {}, {}, {}, {"B-CUE": 0.9}, {"B-CONTENT": 0.9}, {"I-CONTENT": 0.9}]
    log_probs = _log_probs(bare)
    log_probs[:, TAG_IDS["B-SOURCE"]] = log_probs[:, TAG_IDS["I-SOURCE"]] = -20.0
    segments = segments_from_tags(viterbi(log_probs), words, text)
    assert _spans(text, fill_roles(group_segments(segments, text), segments, log_probs, words, text)) == [
        (["talks resume"], ["said"], [])]


def test_of_several_tagged_sources_the_parse_picks_the_cues_own_subject(nlp):
    from claimstance.infer.tagger.decode import Attribution

    text = "Mr. Lee, who met the unions, a group of retired teachers, praised the deal."
    src = lambda words: (text.index(words), text.index(words) + len(words))  # noqa: E731
    nearest, subject = src("a group of retired teachers"), src("Mr. Lee")
    a = Attribution(content=[src("the deal")], cue=[src("praised")], source=[nearest],
                    source_options=[subject, nearest])
    assert tagger_candidates([a], text, nlp(text))[0].source == subject
    assert tagger_candidates([a], text)[0].source == nearest  # no parse: the tagger's nearest
    a.source_options = [nearest]
    assert tagger_candidates([a], text, nlp(text))[0].source == nearest  # one option: nothing to choose


def test_viterbi_keeps_bio_valid_and_agrees_with_argmax_when_valid():
    import numpy as np

    from claimstance.infer.tagger.decode import viterbi

    def probs(rows):
        out = np.full((len(rows), len(TAGS)), 0.01)
        for i, row in enumerate(rows):
            for tag, p in row.items():
                out[i, TAG_IDS[tag]] = p
        return np.log(out / out.sum(1, keepdims=True))

    valid = probs([{"B-SOURCE": 0.9}, {"B-CUE": 0.9}, {"B-CONTENT": 0.8}, {"I-CONTENT": 0.9}])
    assert viterbi(valid) == [int(t) for t in valid.argmax(1)]
    # argmax would give O then I-CONTENT: an I- without its B-; the best valid path opens the content
    doubtful = probs([{"B-CUE": 0.9}, {"O": 0.5, "B-CONTENT": 0.4}, {"I-CONTENT": 0.9}, {"I-CONTENT": 0.9}])
    assert [TAGS[t] for t in viterbi(doubtful)] == ["B-CUE", "B-CONTENT", "I-CONTENT", "I-CONTENT"]
    assert viterbi(np.zeros((0, len(TAGS)))) == []
    assert not TAGS[viterbi(probs([{"I-CUE": 0.9}]))[0]].startswith("I-")


def test_holdout_split_is_stable_and_disjoint():
    train, held = split_holdout(DOCS * 20, 0.5)
    assert len(train) + len(held) == 40 and not {d.doc_id for d in train} & {d.doc_id for d in held}
    assert split_holdout(DOCS * 20, 0.5) == (train, held)


def test_epoch_choice_averages_the_figures_named_in_select_by():
    one = {"exact_f1": 0.58, "overlap_f1": 0.84, "source_accuracy": 0.86}
    two = {"exact_f1": 0.57, "overlap_f1": 0.84, "source_accuracy": 0.88}
    assert selection_score(one) > selection_score(two)
    everything = ("exact_f1", "overlap_f1", "source_accuracy")
    assert selection_score(one, everything) < selection_score(two, everything)
    assert selection_score(one, ("source_accuracy",)) == 0.86
    # a figure with nothing to measure (no matched content has a gold source) counts 0, not a crash
    assert selection_score({**one, "source_accuracy": None}, everything) == pytest.approx((0.58 + 0.84) / 3)


def test_role_weights_multiply_the_loss_weight_of_their_tags(tmp_path):
    optim = load_config(TaggerTrainConfig, TINY, ["optim.role_weights={SOURCE: 3.0, CUE: 2}"]).optim
    ids = [TAG_IDS[t] for t in TAGS]
    weights = dict(zip(TAGS, tag_weights(ids, optim).tolist()))
    assert weights == {"O": 1.0, "B-SOURCE": 3.0, "I-SOURCE": 3.0, "B-CUE": 2.0, "I-CUE": 2.0, "B-CONTENT": 1.0, "I-CONTENT": 1.0}
    assert tag_weights(ids, load_config(TaggerTrainConfig, TINY, ["optim.role_weights={}"]).optim) is None
    # with class weights, the role weight multiplies them
    both = load_config(TaggerTrainConfig, TINY, ["optim.class_weights=inverse", "optim.role_weights={SOURCE: 2}"]).optim
    plain = load_config(TaggerTrainConfig, TINY, ["optim.class_weights=inverse", "optim.role_weights={}"]).optim
    skewed = [0, 0, 0, 1, 2, 5, 6, 6, 6]
    ratio = (tag_weights(skewed, both) / tag_weights(skewed, plain)).tolist()
    assert ratio == pytest.approx([2.0 if "SOURCE" in t else 1.0 for t in TAGS])
    for bad, message in (("optim.role_weights={SPEAKER: 2}", "unknown role"), ("optim.role_weights.CUE=0", "positive"),
                         ("optim.select_by=[f1]", "select_by must name")):
        with pytest.raises(ConfigError, match=message):
            load_config(TaggerTrainConfig, TINY, [bad])


# ---------------------------------------------------------------- the tiny run


def test_run_directory_holds_everything(tiny_run, contract):
    settings = contract.check_run_folder(tiny_run, list(TAGS))
    assert settings == {"task": "attribution-tagger", "max_length": 24, "overlap": 6}
    metrics = json.loads((tiny_run / "metrics.json").read_text())
    assert metrics["steps"] == 6 and metrics["best_epoch"] == metrics["epochs"][-1]["epoch"]
    assert metrics["eval"]["n_docs"] == 2 and 0 <= metrics["eval"]["overlap_f1"] <= 1
    card = (tiny_run / "model" / "README.md").read_text()
    assert "content overlap F1" in card and "attribution-tagger" in card and "tagger (eval)" in card


def test_articles_span_several_windows_and_decoded_offsets_match_the_text(tiny_run):
    tagger = AttributionTagger.load(tiny_run / "model")
    texts = [d.text for d in DOCS]
    for text, (pieces, tags) in zip(texts, tagger.tags(texts)):
        assert len(pieces.ids) > 3 * (tagger.settings.max_length - 2), "the fixture must need several windows"
        assert len(tags) == len(pieces.ids) and set(tags) <= set(range(len(TAGS)))
    for text, statements in zip(texts, tagger.statements(texts)):
        for st in statements:
            for span in (st.content, st.cue, st.speaker.mention if st.speaker else None):
                if span is None:
                    continue
                assert span.text == text[span.start : span.end]
                assert span.text == span.text.strip() and span.text
                for s, e in span.parts:
                    assert text[s:e].strip() == text[s:e]


def test_reload_predicts_what_the_trained_model_predicts(tiny_run, tmp_path):
    tagger = AttributionTagger.load(tiny_run / "model")
    again = AttributionTagger.load(tiny_run / "model", batch_size=1)  # other batching, same tags
    texts = [d.text for d in DOCS]
    assert [t for _, t in tagger.tags(texts)] == [t for _, t in again.tags(texts)]
    metrics = json.loads((tiny_run / "metrics.json").read_text())
    rescored = score_corpus(DOCS, {d.doc_id: s for d, s in zip(DOCS, tagger.statements(texts))})
    assert rescored["content"]["overall"]["overlap"]["f1"] == pytest.approx(metrics["eval"]["overlap_f1"], abs=1e-4)


def test_a_fixed_seed_gives_the_same_model(tiny_run, tmp_path):
    again = train_tagger(_tiny(tmp_path, "again"))
    a, b = load_file(tiny_run / "model" / "model.safetensors"), load_file(again / "model" / "model.safetensors")
    assert a.keys() == b.keys() and all((a[k] == b[k]).all() for k in a)
    other = train_tagger(_tiny(tmp_path, "other", "seed=14"))
    c = load_file(other / "model" / "model.safetensors")
    assert any((a[k] != c[k]).any() for k in a)


# ---------------------------------------------------------------- config and CLI


def test_train_cli_picks_the_schema_from_task(tmp_path, capsys):
    assert main(["train", str(TINY), f"output_dir={tmp_path / 'cli'}", f"data.root={FIX}", "optim.max_steps=2"]) == 0
    assert "content overlap F1" in capsys.readouterr().err
    assert read_yaml(tmp_path / "cli" / "config.yaml")["task"] == "attribution-tagger"
    assert main(["train", str(TINY), "task=parsing"]) == 2
    assert "task must be one of stance, attribution-tagger" in capsys.readouterr().err


def test_bad_tagger_configs_are_clear_errors(tmp_path):
    with pytest.raises(ConfigError, match="overlap"):
        _tiny(tmp_path, "x", "model.overlap=30")
    with pytest.raises(ConfigError, match="annotators"):
        _tiny(tmp_path, "x", "data.annotators=some")
    with pytest.raises(ConfigError, match="segment.mode|mode must be one of"):
        load_config(InferConfig, None, ["segment.mode=guess"])


# ---------------------------------------------------------------- inside the pipeline


def test_every_mode_runs_in_the_pipeline_and_spans_reread_the_input(tiny_run, nlp):
    from claimstance.infer.pipeline import Pipeline

    tagger = AttributionTagger.load(tiny_run / "model")
    html = "<p>" + DOCS[1].text.replace("\n\n", "</p>\n\n<p>") + "</p>"
    for mode in MODES:
        config = dataclasses.replace(InferConfig(stance_model=None), segment=dataclasses.replace(InferConfig().segment, mode=mode))
        pipeline = Pipeline.from_config(config, tagger=tagger)
        results = list(pipeline.pipe([("a", DOCS[0].text), ("b", html), ("c", 42)]))
        assert [r.id for r in results] == ["a", "b", "c"] and results[2].error is not None
        for r, text in zip(results[:2], (DOCS[0].text, html)):
            assert r.error is None, r.error
            for st in r.statements:
                assert st.content.text == text[st.content.start : st.content.end]
                for span in (st.cue, st.speaker.mention if st.speaker else None):
                    assert span is None or span.text == text[span.start : span.end]


def combine(mode, doc, rules, tagged):
    return sorted(MODES[mode][1](doc, rules, tagged), key=lambda c: (c.start, c.end))


def test_combine_modes(nlp):
    from claimstance.config import SEGMENT_MODES
    from claimstance.infer.candidate import Candidate

    assert tuple(MODES) == SEGMENT_MODES  # every mode a config accepts has a segmenter

    text = 'She said "the plan works and we are glad." Mr. Roe said it failed.'
    doc = nlp(text)
    tagged = [Candidate(((10, 30),), (4, 8), (0, 3), None, "tagger")]
    rules = [Candidate(((9, 42),), (4, 8), (0, 3), None, "verb"), Candidate(((56, 65),), (51, 55), (43, 50), None, "verb")]
    assert combine("tagger", doc, rules, tagged) == tagged
    assert combine("tagger_quotes", doc, rules, tagged)[0].content == ((9, 42),)  # the whole quotation
    union = combine("union", doc, rules, tagged)
    assert [c.content for c in union] == [((10, 30),), ((56, 65),)]
    assert combine("rules", doc, rules, tagged) == rules
    assert combine("rules_first", doc, rules, tagged) == rules  # the tagger's overlaps a rule candidate
    extra = Candidate(((43, 50),), None, None, None, "tagger")
    assert combine("rules_first", doc, rules[:1], tagged + [extra]) == [rules[0], extra]


@pytest.mark.parametrize("text, content, cue, dropped", [
    ("The minister did not say when talks resume.", "when talks resume", "say", True),
    ("Officials declined to comment on the reports.", "on the reports", "declined", True),
    ("It is unclear whether the vote will happen.", "whether the vote will happen", "It is unclear", True),
    ("Whether the vote will happen is open.", "Whether the vote will happen", None, True),
    ("It is unclear whether parliament will vote on the deal.", "the deal", "will vote on", True),
    ("It is clear that parliament will vote on the deal.", "the deal", "will vote on", False),
    ("The minister said talks resume.", "talks resume", "said", False),
    ("She asked whether the vote would happen.", "whether the vote would happen", "asked", False),
    # a cue tagged on an auxiliary stands for its verb
    ("The figures could not be independently verified.", "independently verified", "could", True),
    ("The figures could be independently verified.", "independently verified", "could", False),
])
def test_speech_that_asserts_nothing_is_dropped(nlp, text, content, cue, dropped):
    from claimstance.infer.candidate import Candidate
    from claimstance.infer.rules.assertion import asserts_nothing

    c0 = text.index(content)
    cue_span = (text.index(cue), text.index(cue) + len(cue)) if cue else None
    cand = Candidate(((c0, c0 + len(content)),), cue_span, None, None, "tagger")
    assert asserts_nothing(nlp(text), cand) is dropped


def test_a_cue_cut_in_two_is_checked_whole(nlp):
    from claimstance.infer.tagger.decode import Attribution

    text = "It is unclear whether the vote will happen."
    span = lambda words: (text.index(words), text.index(words) + len(words))  # noqa: E731
    a = Attribution(content=[span("whether the vote will happen")], cue=[span("It"), span("is unclear")])
    assert tagger_candidates([a], text, nlp(text)) == []
    a.cue = [span("It")]
    assert len(tagger_candidates([a], text, nlp(text))) == 1  # "It" alone says nothing of doubt


def test_according_to_gives_its_object_as_the_source(nlp):
    from claimstance.infer.candidate import Candidate
    from claimstance.infer.speakers.sources import cue_source

    text = "The miners were freed on Saturday, according to the Guyana Police Force."
    cue = (text.index("according"), text.index("according") + len("according to"))
    source, head = cue_source(nlp(text), Candidate(((0, 33),), cue, None, None, "tagger"))
    assert text[source[0]:source[1]] == "the Guyana Police Force" and head is not None


def test_tagger_candidates_skip_boilerplate_lines():
    from claimstance.infer.tagger.decode import Attribution

    text = "Photo: the mayor said hello.\nThe mayor said taxes rise."
    atts = [Attribution(content=[(22, 27)], cue=[(17, 21)], source=[(7, 16)]),
            Attribution(content=[(44, 55)], cue=[(39, 43)], source=[(29, 38)])]
    cands = tagger_candidates(atts, text)
    assert [c.content for c in cands] == [((44, 55),)] and cands[0].source == (29, 38) and cands[0].origin == "tagger"
    assert TAG_IDS["O"] == 0


def test_evaluate_scores_modes_side_by_side(tiny_run, tmp_path, capsys):
    out = tmp_path / "metrics.json"
    assert main(["evaluate", "attribution", "--gold", str(FIX / "tagger"), "--modes", "rules,tagger",
                 "--output", str(out), f"segment.tagger_model={tiny_run / 'model'}", "stance_model=null"]) == 0
    printed = capsys.readouterr().out
    assert "== segment.mode=rules" in printed and "== segment.mode=tagger" in printed
    assert "overlap F1" in printed and "source acc" in printed
    metrics = json.loads(out.read_text())
    assert set(metrics) == {"rules", "tagger"} and metrics["rules"]["n_docs"] == 2
    # the rules find the fixtures' plain "said" statements: the table reports their real scores
    assert metrics["rules"]["content"]["overall"]["overlap"]["f1"] > 0.5
