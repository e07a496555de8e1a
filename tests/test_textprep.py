"""prepare_text: what the parser sees, always exactly as long as the input (offsets never move)."""

from __future__ import annotations

import pytest

from claimstance.infer.text.prepare import looks_like_html, prepare_text

def blank(markup: str) -> str:
    """Markup as the parser sees it: spaces (newlines kept)."""
    return "".join(c if c == "\n" else " " for c in markup)


def para(tag: str) -> str:
    """A block tag as the parser sees it: a paragraph break, padded."""
    return "\n\n" + " " * (len(tag) - 2)


def ent(entity: str, char: str) -> str:
    """An entity as the parser sees it: its character, padded."""
    return char + " " * (len(entity) - 1)


SCRIPT = "<script>var s = '<b>said</b>';</script>"
STYLE = "<STYLE type='text/css'>p { x: y }</Style>"

# (name, input, expected prepared text)
CASES = [
    ("plain text", "The minister said: \"We will win.\"\nNext line.", "The minister said: \"We will win.\"\nNext line."),
    ("plain text, one tag-like word", "Press <enter> to go on.", "Press <enter> to go on."),
    ("plain text, comparisons", "if a < b and c > d then a<b", "if a < b and c > d then a<b"),
    ("plain text keeps its entities", "Fish &amp; chips &lt;", "Fish &amp; chips &lt;"),
    ("unicode kept", "Pakistan’s “reckless” — café", "Pakistan’s “reckless” — café"),
    ("tabs, newlines, CR kept", "a\tb\r\nc\n", "a\tb\r\nc\n"),
    ("inline tags blanked", "<b>He</b> <i>said</i> so.", blank("<b>") + "He" + blank("</b>") + " " + blank("<i>") + "said" + blank("</i>") + " so."),
    ("attributes blanked", '<a href="x.html" title="t">link</a> <em>x</em>',
     blank('<a href="x.html" title="t">') + "link" + blank("</a>") + " " + blank("<em>") + "x" + blank("</em>")),
    ("multi-line tag keeps its newlines", '<a\nhref="x">y</a>', blank('<a\nhref="x">') + "y" + blank("</a>")),
    ("block tags break paragraphs", "<p>One.</p><p>Two.</p>", para("<p>") + "One." + para("</p>") + para("<p>") + "Two." + para("</p>")),
    ("br and headings", "<h1>Title</h1>Text<br/>more", para("<h1>") + "Title" + para("</h1>") + "Text" + para("<br/>") + "more"),
    ("comment blanked", "<b>a</b><!-- hidden said text --> b", blank("<b>") + "a" + blank("</b><!-- hidden said text -->") + " b"),
    ("multi-line comment keeps its newlines", "<i>a</i><!-- x\ny -->b", blank("<i>") + "a" + blank("</i><!-- x") + "\n" + blank("y -->") + "b"),
    ("script blanked with its content", "<p>a</p>" + SCRIPT + "b", para("<p>") + "a" + para("</p>") + blank(SCRIPT) + "b"),
    ("style blanked, any case", "<i>a</i>" + STYLE + "b", blank("<i>") + "a" + blank("</i>" + STYLE) + "b"),
    ("named entities become their character, padded", "<b>x</b> Pakistan&rsquo;s &ldquo;claim&rdquo; &amp;",
     blank("<b>") + "x" + blank("</b>") + " Pakistan" + ent("&rsquo;", "’") + "s " + ent("&ldquo;", "“") + "claim"
     + ent("&rdquo;", "”") + " " + ent("&amp;", "&")),
    ("numeric entities", "<i>a</i> &#8220;q&#x201D;", blank("<i>") + "a" + blank("</i>") + " " + ent("&#8220;", "“") + "q" + ent("&#x201D;", "”")),
    ("nbsp entity becomes a space", "<i>a</i>&nbsp;b", blank("<i>") + "a" + blank("</i>") + ent("&nbsp;", " ") + "b"),
    ("unknown entity kept", "<i>a</i> &bogus; b", blank("<i>") + "a" + blank("</i>") + " &bogus; b"),
    ("entity for a control character is blanked", "<i>a</i>&#12;b", blank("<i>") + "a" + blank("</i>") + blank("&#12;") + "b"),
    ("control characters blanked", "a\x00b\x07c\x1bd\x0be\x0cf\x7fg", "a b c d e f g"),
    ("BOM and non-characters blanked", "\ufeffHe said\ufffe\uffff so.", " He said   so."),
    ("U+FFFD blanked", "caf\ufffd said", "caf  said"),
    ("lone surrogates blanked", "He \udc80said \ud800so", "He  said  so"),
    ("control characters in HTML", "<b>a\x00</b><i>b</i>", blank("<b>") + "a " + blank("</b><i>") + "b" + blank("</i>")),
]


@pytest.mark.parametrize("name, text, expected", CASES, ids=[c[0] for c in CASES])
def test_prepare_text(name, text, expected):
    out = prepare_text(text)
    assert len(out) == len(text)
    assert out == expected


@pytest.mark.parametrize("name, text, expected", CASES, ids=[c[0] for c in CASES])
def test_same_length_without_html_stripping(name, text, expected):
    out = prepare_text(text, strip_html=False)
    assert len(out) == len(text)
    assert "<" not in text or out.count("<") == text.count("<")  # markup left alone


def test_html_stripping_off_keeps_markup():
    text = "<p>He said <b>so</b>.</p>"
    assert prepare_text(text, strip_html=False) == text


@pytest.mark.parametrize("text, is_html", [
    ("plain", False),
    ("one <b>tag", False),
    ("<p>two tags</p>", True),
    ("<!-- c --><br>", True),
])
def test_looks_like_html(text, is_html):
    assert looks_like_html(text) is is_html


def test_text_outside_markup_keeps_its_offsets():
    text = '<div class="story"><p>Officials <b>said</b> &ldquo;talks will resume&rdquo;.</p></div>'
    out = prepare_text(text)
    for word in ("Officials", "said", "talks will resume"):
        i = text.index(word)
        assert out[i : i + len(word)] == word


def test_long_text_same_length():
    text = ("<p>A &amp; B said \x00 &#8220;yes&#8221;.</p>\n" * 5000) + "tail"
    assert len(prepare_text(text)) == len(text)
