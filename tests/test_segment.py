"""Segmentation rules: a table of sentences -> expected (cue, source, content), and sentences that must yield nothing."""

import pytest

from claimstance.infer.rules.cues import load_lexicon
from claimstance.infer.rules.segment import RuleSegmenter
from claimstance.infer.text.furniture import boilerplate_ranges
from claimstance.infer.text.parse import load_spacy


@pytest.fixture(scope="module")
def segment():
    nlp = load_spacy()
    segmenter = RuleSegmenter(load_lexicon())

    def run(text):
        doc = nlp(text)
        return [
            {
                "cue": text[c.cue[0] : c.cue[1]] if c.cue else None,
                "source": text[c.source[0] : c.source[1]] if c.source else None,
                "content": [text[s:e] for s, e in c.content],
                "kind": c.kind(text),
            }
            for c in segmenter(doc)
        ]

    return run


FOUND = [
    # (text, cue, source, a substring the content must contain, kind)
    (
        "Indian Foreign Minister S. Jaishankar condemned Pakistan's \u201creckless and dangerous statements\u201d on Monday.",
        "condemned", "Indian Foreign Minister S. Jaishankar", "reckless and dangerous statements", "mixed",
    ),
    ("The prime minister argued the region is part of \u201chistoric Armenia\u201d.", "argued", "The prime minister", "historic Armenia", "mixed"),
    ("The opposition leader called the deal \u201cdeeply humiliating\u201d.", "called", "The opposition leader", "deeply humiliating", "mixed"),
    ("Croatia's foreign minister accused the neighbour of illegally occupying the territory.", "accused", "Croatia's foreign minister", "illegally occupying the territory", "indirect"),
    ("Kenya's President William Ruto said on Monday that the talks had failed.", "said", "Kenya's President William Ruto", "that the talks had failed", "indirect"),
    ("\u201cWe will not accept this,\u201d he told reporters in Nairobi.", "told", "he", "We will not accept this", "direct"),
    ("She said: \u201cThe border stays closed.\u201d", "said", "She", "The border stays closed", "direct"),
    ("According to the ministry, the talks collapsed after midnight.", "According to", "the ministry", "the talks collapsed after midnight", "indirect"),
    ("Brazil has backed Argentina's claim to the islands.", "backed", "Brazil", "Argentina's claim to the islands", "indirect"),
    ("Japan welcomed the agreement between the two neighbours.", "welcomed", "Japan", "the agreement", "indirect"),
    ("The ministry warned that the border would stay closed.", "warned", "The ministry", "that the border would stay closed", "indirect"),
    ("The ministry's statement that the border would reopen surprised diplomats.", "statement", "The ministry", "that the border would reopen", "indirect"),
    ("Fighting resumed overnight, with Croatia accusing Serbia of provoking the clashes.", "accusing", "Croatia", "Serbia of provoking the clashes", "indirect"),
    ("The envoy urged both sides to return to the table.", "urged", "The envoy", "both sides to return to the table", "indirect"),
    ("Moscow denied that its troops had crossed the border.", "denied", "Moscow", "that its troops had crossed the border", "indirect"),
]


@pytest.mark.parametrize("text,cue,source,content,kind", FOUND)
def test_finds_statement(segment, text, cue, source, content, kind):
    found = segment(text)
    match = [f for f in found if f["cue"] == cue]
    assert match, f"no statement with cue {cue!r} in {found}"
    got = match[0]
    assert got["source"] == source
    assert any(content in part for part in got["content"]) or content in " ".join(got["content"])
    assert got["kind"] == kind


def test_split_quote_is_one_statement_with_two_parts(segment):
    text = "\u201cThe first part,\u201d he said. \u201cThe second part follows here.\u201d"
    found = segment(text)
    assert len(found) == 1
    assert found[0]["content"] == ["\u201cThe first part,\u201d", "\u201cThe second part follows here.\u201d"]
    assert found[0]["source"] == "he"


def test_quote_over_paragraphs_is_one_statement(segment):
    text = (
        "The president said: \u201cWe have waited long enough for an answer.\n\n"
        "\u201cNow we will act on our own terms,\u201d he added."
    )
    found = segment(text)
    quoted = [f for f in found if any("waited long enough" in p for p in f["content"])]
    assert len(quoted) == 1
    assert any("Now we will act" in p for p in quoted[0]["content"])


def test_uncued_quote_is_kept_without_cue(segment):
    text = "The minister spoke at length in Geneva.\n\n\u201cNobody in this room wants another war in the region.\u201d"
    found = segment(text)
    assert [f["cue"] for f in found] == [None]
    assert found[0]["kind"] == "direct"


NOTHING = [
    "The minister did not say when talks would resume.",
    "Officials declined to comment.",
    "The embassy refused to say whether the ambassador had been recalled.",
    "Photo: President William Ruto speaks to reporters in Nairobi.",
    "FILE PHOTO: Soldiers patrol the border near the disputed town.",
    "By Jane Doe, Reuters",
    "Reporting by Jane Doe; Editing by John Smith",
    "Read more: Kenya says talks with Tanzania failed",
    "Rain fell on the capital for a third day.",
    "The so-called \u201cpeace dividend\u201d never came.",
]


@pytest.mark.parametrize("text", NOTHING)
def test_yields_nothing(segment, text):
    assert segment(text) == []


def test_boilerplate_lines():
    text = ("Body text here.\nPhoto: a caption\nRead more: elsewhere\nBy Priya Menon\nMore body.\n"
            "By then the ministry had said it would retaliate.\nBy Tuesday the minister said so\n"
            "Additional reporting by Bob Lee")
    ranges = boilerplate_ranges(text)
    assert [text[s:e].strip() for s, e in ranges] == [
        "Photo: a caption", "Read more: elsewhere", "By Priya Menon", "Additional reporting by Bob Lee"]


def test_a_sentence_opening_with_by_is_no_byline(segment):
    found = segment("By then the ministry had said it would retaliate against Serbia.")
    assert [f["cue"] for f in found] == ["said"]
