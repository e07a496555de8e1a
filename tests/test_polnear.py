"""PolNeAR reader: the invented brat fixture under tests/fixtures/brat, plus the real dev split when present."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from claimstance.data import root as data_root
from claimstance.data.polnear import (
    GoldAttribution,
    PolnearFormatError,
    iter_polnear,
    polnear_doc_ids,
    polnear_split_dir,
    read_ann,
)
from claimstance.data.root import DataRootNotFound, default_data_root

FIXTURE = Path(__file__).parent / "fixtures" / "brat"
BUDGET = "dailyplanet_2024-03-04_council-approves-budget"
HARBOR = "dailyplanet_2024-03-05_harbor-strike-talks"
LUNCH = "riverside-post_2024-03-06_school-lunch-plan"


def _docs(annotators: str = "first") -> dict[tuple[str, str], object]:
    return {(d.doc_id, d.annotator): d for d in iter_polnear(FIXTURE, annotators)}


@pytest.mark.parametrize(
    "annotators, expected",
    [
        ("first", [(BUDGET, "a1b2"), (HARBOR, "a1b2"), (LUNCH, "c3d4")]),
        ("all", [(BUDGET, "a1b2"), (HARBOR, "a1b2"), (HARBOR, "c3d4"), (LUNCH, "c3d4")]),
    ],
)
def test_annotator_modes_and_order(annotators, expected):
    assert [(d.doc_id, d.annotator) for d in iter_polnear(FIXTURE, annotators)] == expected


@pytest.mark.parametrize(
    "doc_id, annotator, publisher, kinds",
    [
        (BUDGET, "a1b2", "dailyplanet", ["direct", "indirect", "direct", "indirect"]),
        (HARBOR, "a1b2", "dailyplanet", ["mixed", "indirect", "indirect"]),
        (HARBOR, "c3d4", "dailyplanet", ["mixed", "indirect"]),
        (LUNCH, "c3d4", "riverside-post", ["direct", "mixed"]),  # E3 refers to missing marks: skipped
    ],
)
def test_documents(doc_id, annotator, publisher, kinds):
    doc = _docs("all")[(doc_id, annotator)]
    assert doc.publisher == publisher
    assert [a.kind for a in doc.attributions] == kinds
    assert doc.text == (FIXTURE / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")
    for a in doc.attributions:  # every span's text is the text at its offsets
        for span in filter(None, (a.content, a.cue, a.source)):
            assert span.text == doc.text[span.start : span.end]


def test_discontinuous_content_keeps_its_parts():
    doc = _docs()[(BUDGET, "a1b2")]
    e3 = doc.attributions[2]
    assert [doc.text[s:e] for s, e in e3.content.parts] == ['"We will fix the potholes,"', '"before the first frost."']
    assert (e3.content.start, e3.content.end) == (e3.content.parts[0][0], e3.content.parts[-1][1])
    assert e3.source.text == "Ruiz" and e3.cue.text == "told"


def test_no_source_relation():
    e3 = _docs()[(HARBOR, "a1b2")].attributions[2]
    assert e3 == GoldAttribution("E3", e3.content, e3.cue, None, "indirect")
    assert (e3.content.text, e3.cue.text) == ("the strike will last through the weekend", "It is expected")


def test_multi_annotators_differ_in_source():
    docs = _docs("all")
    assert docs[(HARBOR, "a1b2")].attributions[0].source.text == "The union's spokeswoman, Mira Okafor"
    assert docs[(HARBOR, "c3d4")].attributions[0].source.text == "Mira Okafor"


def test_newline_span_and_content2():
    e1, e2 = _docs()[(LUNCH, "c3d4")].attributions
    assert e1.content.text == '"The kids finally eat their vegetables.\nI never thought I would see that,"'
    assert len(e2.content.parts) == 2  # Content + Content2 merged into one discontinuous span
    assert e2.content.text.endswith('"We found the money in the old catering contract."')


def test_malformed_lines_are_warned_not_fatal(caplog):
    with caplog.at_level(logging.WARNING, logger="claimstance.data.polnear"):
        list(iter_polnear(FIXTURE, "all"))
    messages = "\n".join(r.getMessage() for r in caplog.records)
    assert "malformed T line" in messages and "T99" in messages
    assert "unrecognised line" in messages and "this line is junk" in messages
    assert "skipping E3, it has no content span" in messages
    assert "vegetables" not in messages  # a span text's wrapped line is not reported


TEXT = "The board said the vote was fair.\nThe rest was quiet. Aides claimed nothing."


@pytest.mark.parametrize(
    "ann, expected",
    [
        ("", []),
        ("T1\tContent 15 32\tthe vote was fair\nT2\tCue 10 14\tsaid\nE1\tAttribution-no-source:T2 Content:T1 Cue:T2",
         [("the vote was fair", "said", None)]),
        # a span text holding a newline wraps onto a line that starts with "T" but is no annotation
        ("T1\tContent 15 52\tthe vote was fair.\nThe rest was quiet\nT2\tSource 0 9\tThe board\n"
         "E1\tAttribution:T2 Content:T1 Source:T2",
         [("the vote was fair.\nThe rest was quiet", None, "The board")]),
        # a role that points at a mark of another type: the role wins
        ("T1\tDiscuss 15 32\tx\nT2\tCue 10 14\tsaid\nE1\tAttribution:T2 Content:T1 Cue:T2",
         [("the vote was fair", "said", None)]),
        # offsets past the end, an unknown role, an unknown relation type, a bare E line
        ("T1\tContent 15 999\tx\nT2\tCue 10 14\tsaid\nE1\tAttribution:T2 Content:T1 Cue:T2\n"
         "T3\tContent 54 69\tx\nE2\tAttribution:T2 Content:T3 Quote:T2\nE3\tOpinion:T2 Content:T3\nE4\t",
         [("Aides claimed n", None, None)]),
        ("T1\tContent 15 20;24 32\tthe v fair\nE1\tAttribution:T1 Content:T1", [("the vote was fair", None, None)]),
    ],
)
def test_read_ann_quirks(ann, expected):
    got = read_ann(ann, TEXT)
    assert [(a.content.text, a.cue and a.cue.text, a.source and a.source.text) for a in got] == expected


def test_wrapped_span_text_is_not_warned(caplog):
    ann = "T1\tContent 15 52\tthe vote was fair.\nThe rest was quiet\nE1\tAttribution-no-source:T1 Content:T1\n"
    with caplog.at_level(logging.WARNING, logger="claimstance.data.polnear"):
        assert len(read_ann(ann, TEXT)) == 1
    assert caplog.records == []


def test_read_ann_discontinuous_kind_uses_the_parts():
    text = '"We won," she said, "and we will win again."'
    got = read_ann("T1\tContent 0 9;20 44\tx\nE1\tAttribution-no-source:T1 Content:T1", text)
    assert got[0].kind == "direct" and got[0].content.parts == ((0, 9), (20, 44))


@pytest.mark.parametrize("missing", ["text", "attributions"])
def test_split_dir_without_layout(tmp_path, missing):
    for d in {"text", "attributions"} - {missing}:
        (tmp_path / d).mkdir()
    with pytest.raises(PolnearFormatError, match=f"lacks {missing}/") as err:
        list(iter_polnear(tmp_path))
    assert str(tmp_path) in str(err.value) and isinstance(err.value, ValueError)


def test_bad_annotator_mode():
    with pytest.raises(ValueError, match="annotators"):
        list(iter_polnear(FIXTURE, "majority"))


def test_doc_ids():
    assert polnear_doc_ids(FIXTURE) == [BUDGET, HARBOR, LUNCH]


def test_data_root_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMSTANCE_DATA", str(tmp_path))
    assert default_data_root() == tmp_path
    assert polnear_split_dir("dev") == tmp_path / "polnear" / "data" / "dev"
    monkeypatch.setenv("CLAIMSTANCE_DATA", str(tmp_path / "nope"))
    with pytest.raises(DataRootNotFound, match="CLAIMSTANCE_DATA"):
        default_data_root()


def test_data_root_fallback(tmp_path, monkeypatch):
    repo = Path(data_root.__file__).resolve().parent.parent
    assert data_root._SIBLING == repo.parent / "shared" / "data"
    monkeypatch.delenv("CLAIMSTANCE_DATA", raising=False)
    monkeypatch.setattr(data_root, "_SIBLING", tmp_path / "absent")
    with pytest.raises(DataRootNotFound, match="networkdynamics/PolNeAR"):
        default_data_root()


def _real_dev() -> Path:
    try:
        split = polnear_split_dir("dev")
    except DataRootNotFound as exc:
        pytest.skip(f"PolNeAR not available: {exc}")
    if not split.is_dir():
        pytest.skip(f"PolNeAR dev split not found at {split}; set CLAIMSTANCE_DATA")
    return split


def test_real_dev_counts():
    split = _real_dev()
    first = list(iter_polnear(split))
    every = list(iter_polnear(split, "all"))
    assert (len(first), len({d.doc_id for d in first}), len(every)) == (84, 84, 94)
    e_lines = sum(
        line.startswith("E") for p in (split / "attributions").glob("*.ann")
        for line in p.read_text(encoding="utf-8").split("\n")
    )
    assert e_lines == 2320  # README: 2,320 relations across all files
    # one dev relation (an Attribution-no-source with no Content role) has nothing to score
    assert sum(len(d.attributions) for d in every) == 2319
