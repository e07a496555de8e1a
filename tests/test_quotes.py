"""Quotation finding on raw text: a table of text -> the quotes expected, negatives included."""

import pytest

from claimstance.infer.text.quotes import find_quotes
from claimstance.infer.text.marks import content_kind, trim

CASES = [
    # (text, expected quote parts as strings)
    ('He said "we will win" today.', [['"we will win"']]),
    ("She said \u201cthey lose.\u201d Then more.", [["\u201cthey lose.\u201d"]]),
    ("Il a dit \u00ab Nous resterons \u00bb hier.", [["\u00ab Nous resterons \u00bb"]]),
    ("He said, \u2018this is British style,\u2019 and left.", [["\u2018this is British style,\u2019"]]),
    # nested single marks inside a double quote stay inside it
    ("\u201cShe told me \u2018never again\u2019 twice,\u201d he said.", [["\u201cShe told me \u2018never again\u2019 twice,\u201d"]]),
    # NYT-style two apostrophes as a double mark
    ("''We've started,'' Mr. Manafort said.", [["''We've started,''"]]),
    # a quote running over paragraphs: no closing mark at the paragraph end, reopened in the next
    (
        "\u201cThe first part runs on.\n\n\u201cAnd it ends here,\u201d she said.",
        [["\u201cThe first part runs on.", "\u201cAnd it ends here,\u201d"]],
    ),
    # an unbalanced opening mark: the best reading is the rest of its paragraph
    ("He said \u201cthis never closes\n\nNext paragraph.", [["\u201cthis never closes"]]),
    # a stray closing mark alone yields nothing
    ("A stray \u201d mark and a minister\u2019s car.", []),
    # apostrophes never open or close a single-mark quote
    ("The minister\u2019s aide didn\u2019t comment.", []),
    ("", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_find_quotes(text, expected):
    found = [[text[s:e] for s, e in q.parts] for q in find_quotes(text)]
    assert found == expected


def test_never_raises_on_mark_soup():
    text = '"\u201c\u201d\u00ab\u00bb\u2018\u2019\'\'"' * 50 + "\n\n" + '" ' * 100
    for q in find_quotes(text):
        assert all(0 <= s < e <= len(text) for s, e in q.parts)


@pytest.mark.parametrize(
    "content,kind",
    [
        ("\u201cWe will not accept this.\u201d", "direct"),
        ('"We will not accept this,"', "direct"),
        ("\u201cFirst part of a quote that runs on", "direct"),
        ("Pakistan's \u201creckless and dangerous statements\u201d", "mixed"),
        ("that the region is part of \u201chistoric Armenia\u201d", "mixed"),
        ("that the talks had failed", "indirect"),
        ("''We've started all those conversations,''", "direct"),
    ],
)
def test_content_kind(content, kind):
    assert content_kind(content) == kind


def test_trim_for_exact_matching():
    assert trim("\u201cWe will win.\u201d ") == "We will win"
