"""Page furniture (``infer/text/furniture.py``) and statements that assert something
(``infer/rules/assertion.py``), on texts written for the project (names invented), through the default
pipeline with the stance stage off: the shipped tagger decides what the statements are."""

from __future__ import annotations

import pytest

from claimstance.infer.text.furniture import boilerplate_ranges, credit_ranges, headline_lines, is_headline


@pytest.fixture(scope="module")
def tagged():
    from claimstance.config import InferConfig
    from claimstance.infer.pipeline import Pipeline

    return Pipeline.from_config(InferConfig(stance_model=None))


@pytest.mark.parametrize("line, headline", [
    ("Senator Jones Slams Governor Smith Over Budget", True),
    ("Attacking Governor Smith, Jones Vows Fight", True),
    ("OZ'S BOSS THINKS HE'S FULL OF IT", True),
    ("Chinese President Xi Jinping met Joe Biden in Bali.", False),
    ("Senator Ann Jones said on Monday that the budget would hurt schools.", False),
    ("\u2014 Jane Doe, Ohio", False),  # a signature line
    ("Jones Wins", False),  # too short to tell
])
def test_is_headline(line, headline):
    assert is_headline(line) is headline


def test_headline_lines_are_credit_ranges_not_boilerplate():
    text = "Senator Jones Slams Governor Smith Over Budget\n\nSenator Ann Jones said the budget would hurt schools."
    first = (0, text.index("\n"))
    assert headline_lines(text) == [first]
    assert first in credit_ranges(text)  # no entity there
    assert boilerplate_ranges(text) == []  # a headline keeps its statements


def test_repeated_paragraph_link_headline_and_correction_are_boilerplate():
    caption = "Protesters say the new law is unfair, in the capital on Monday."
    text = (f"{caption}\n\nThe minister said the protest was illegal.\n\n{caption}\n\nRead more:\n"
            "Estavia says the border will stay closed\n\nAn earlier version of this article misstated the date.")
    got = [text[s:e] for s, e in boilerplate_ranges(text)]
    assert got == [caption, "Read more:", "Estavia says the border will stay closed",
                   "An earlier version of this article misstated the date."]
    assert text.index(caption) not in [s for s, _ in boilerplate_ranges(text)]  # the first copy stays


def _statements(result):
    return [(s.cue.text if s.cue else None, s.content.text, s.speaker.name if s.speaker else None) for s in result.statements]


def test_headline_fragments_are_never_parties_or_speakers(tagged):
    text = ("Senator Jones Slams Governor Smith Over Budget\n\nAttacking Governor Smith, Jones Vows Fight\n\n"
            "Senator Ann Jones said on Monday that the budget would hurt schools.")
    result = tagged(text)
    names = {p.name for p in result.parties} | {s.speaker.name for s in result.statements if s.speaker}
    assert not names & {"Jones Slams", "Jones Vows Fight", "Jones Vows", "Smith Over Budget"}, names


def test_repeated_caption_yields_its_statement_once(tagged):
    caption = "Protesters say the new law is unfair, in the capital on Monday."
    result = tagged(f"{caption}\n\nThe minister said the protest was illegal.\n\n{caption}")
    contents = [s.content.text for s in result.statements]
    assert len(contents) == len(set(contents)), contents
    assert any("the protest was illegal" in c for c in contents)


def test_correction_note_yields_nothing(tagged):
    assert tagged("An earlier version of this article misstated the date of the vote.").statements == ()


@pytest.mark.parametrize("text", [
    "Parliament granted the president permission to send troops.",
    "The capital brokered the truce between the two rebel groups.",
    "The cat pounces on counters whenever the owner leaves.",
])
def test_acts_are_not_speech(tagged, text):
    assert _statements(tagged(text)) == []


def test_an_act_with_a_clause_is_speech(tagged):
    found = _statements(tagged("The ministry released a statement saying that the talks had failed."))
    assert any("the talks had failed" in content for _, content, _ in found), found


def test_a_bare_function_word_is_no_content(nlp):
    from claimstance.infer.candidate import Candidate
    from claimstance.infer.rules.assertion import bare_content

    doc = nlp("The senator has knocked the plan. She criticised Clinton. He called it \u201cillegal\u201d.")
    text = doc.text

    def cand(word: str, occurrence: int = 0) -> Candidate:
        start = -1
        for _ in range(occurrence + 1):
            start = text.index(word, start + 1)
        return Candidate(((start, start + len(word)),), None, None, None, "tagger")

    assert bare_content(doc, cand("the plan")) is False
    assert bare_content(doc, cand("the", 0)) is True  # the "the" of "the plan", alone
    assert bare_content(doc, cand("Clinton")) is False  # a name is the speech's target
    assert bare_content(doc, cand("\u201cillegal\u201d")) is False  # a scare quote
