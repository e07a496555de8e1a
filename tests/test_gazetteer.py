"""The gazetteer: country and organisation names, aliases, demonyms, metonyms; what must not match."""

from __future__ import annotations

import pytest

from claimstance.infer.entities.gazetteer import Gazetteer, tokenize
from claimstance.infer.entities.titles import gender_of_word, is_title_token, titles_in


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.default()


def test_default_is_cached():
    assert Gazetteer.default() is Gazetteer.default()


@pytest.mark.parametrize(
    "text, expected",
    [
        # canonical short common English names
        ("China", "China"), ("United States", "United States"), ("United Kingdom", "United Kingdom"),
        ("Russia", "Russia"), ("South Korea", "South Korea"), ("North Korea", "North Korea"),
        ("Iran", "Iran"), ("Syria", "Syria"), ("Vietnam", "Vietnam"), ("Venezuela", "Venezuela"),
        ("Bolivia", "Bolivia"), ("Taiwan", "Taiwan"), ("Czech Republic", "Czech Republic"),
        ("Ivory Coast", "Ivory Coast"),
        # formal names and alternative spellings from countryinfo
        ("Russian Federation", "Russia"), ("People's Republic of China", "China"),
        ("Republic of Korea", "South Korea"), ("Islamic Republic of Iran", "Iran"),
        ("Syrian Arab Republic", "Syria"), ("Viet Nam", "Vietnam"), ("Côte d'Ivoire", "Ivory Coast"),
        ("Czechia", "Czech Republic"), ("Holland", "Netherlands"), ("Burma", "Myanmar"),
        ("Türkiye", "Turkey"),
        # renames of outdated names
        ("Swaziland", "Eswatini"), ("Republic of Macedonia", "North Macedonia"), ("North Macedonia", "North Macedonia"),
        # short forms
        ("U.S.", "United States"), ("US", "United States"), ("USA", "United States"), ("America", "United States"),
        ("the UK", "United Kingdom"), ("U.K.", "United Kingdom"), ("Britain", "United Kingdom"),
        ("UAE", "United Arab Emirates"), ("DRC", "Democratic Republic of the Congo"),
        # demonyms, adjectives and plurals
        ("Chinese", "China"), ("Indian", "India"), ("Ukrainian", "Ukraine"), ("Kenyan", "Kenya"),
        ("Americans", "United States"), ("Israelis", "Israel"), ("British", "United Kingdom"),
        ("Britons", "United Kingdom"), ("Dutch", "Netherlands"), ("Swiss", "Switzerland"),
        ("Filipinos", "Philippines"), ("Saudi", "Saudi Arabia"), ("Argentine", "Argentina"),
        ("Czechs", "Czech Republic"), ("South Korean", "South Korea"), ("Palestinian", "Palestine"),
        # capitals and government metonyms
        ("Beijing", "China"), ("Moscow", "Russia"), ("Kyiv", "Ukraine"), ("Kiev", "Ukraine"),
        ("Washington", "United States"), ("London", "United Kingdom"), ("New Delhi", "India"),
        ("the Kremlin", "Russia"), ("Kremlin", "Russia"), ("the White House", "United States"),
        ("the Pentagon", "United States"), ("the State Department", "United States"),
        ("Downing Street", "United Kingdom"), ("Whitehall", "United Kingdom"), ("Elysee", "France"),
        # possessives and headline capitals
        ("Kenya's", "Kenya"), ("China\u2019s", "China"), ("CHINA", "China"), ("UNITED STATES", "United States"),
    ],
)
def test_country_of(gaz, text, expected):
    assert gaz.country_of(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "turkey", "chad", "china", "jordan", "polish", "us", "america",  # lower-case common words
        "Korea",  # which one?
        "IN", "IS", "AT", "TO", "NO", "ME", "CAN", "AND", "PER",  # ISO codes are not aliases
        "Island", "Yugoslavia", "Serbia and Montenegro",  # removed / historic
        "Latin American", "Native Americans", "New Mexico", "British Columbia", "Indian Ocean",  # blocked phrases
        "Jerusalem", "Kingston", "Victoria",  # capitals that name other places too
        "European Union", "Brussels", "NATO",  # organisations, not countries
        "", "the", "President",
    ],
)
def test_not_a_country(gaz, text):
    assert gaz.country_of(text) is None


@pytest.mark.parametrize(
    "text, label, expected",
    [
        ("Beijing", "GPE", "China"),
        ("Beijing", "ORG", None),  # a capital is a metonym only when tagged GPE
        ("Washington", "PERSON", None),  # Denzel Washington
        ("Washington", "GPE", "United States"),
        ("Jordan", "PERSON", None),  # Jordan Peterson
        ("Jordan", "GPE", "Jordan"),
        ("Turkey", "GPE", "Turkey"),
        ("Chinese", "NORP", "China"),
        ("the Kremlin", "FAC", "Russia"),
        ("the Kremlin", "ORG", "Russia"),
    ],
)
def test_country_of_with_label(gaz, text, label, expected):
    assert gaz.country_of(text, label) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("United Nations", "United Nations"), ("the UN", "United Nations"), ("U.N.", "United Nations"),
        ("European Union", "European Union"), ("EU", "European Union"), ("Brussels", "European Union"),
        ("NATO", "NATO"), ("Nato", "NATO"), ("African Union", "African Union"),
        ("World Health Organization", "World Health Organization"), ("WHO", "World Health Organization"),
        ("U.N. Security Council", "United Nations Security Council"), ("IMF", "International Monetary Fund"),
        ("who", None), ("National Security Council", None), ("China", None), ("Reuters", "Reuters"),
    ],
)
def test_org_of(gaz, text, expected):
    assert gaz.org_of(text) == expected


def test_org_kind_and_party(gaz):
    assert gaz.kind_of("United Nations") == "io"
    assert gaz.kind_of("Reuters") == "media"
    assert gaz.party_of_org("Xinhua") == "China"  # state media belong to their country
    assert gaz.party_of_org("NATO") == "NATO"
    assert gaz.kind_of("Nonexistent Org") is None


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("Indian Foreign Minister S. Jaishankar", "India"),
        ("Kenya's President William Ruto", "Kenya"),
        ("Ukrainian leadership", "Ukraine"),
        ("Chinese foreign ministry spokesman Wang Wenbin", "China"),
        ("the Kremlin", "Russia"),
        ("a Pentagon spokesperson", "United States"),
        ("U.S. Secretary of State Antony Blinken", "United States"),
        ("UN Secretary-General Antonio Guterres", "United Nations"),
        ("EU foreign policy chief Josep Borrell", "European Union"),
        ("Turkey's President Recep Tayyip Erdogan", "Turkey"),
        ("a Beijing official", "China"),
        # negatives
        ("Jordan Peterson", None),  # an ambiguous name followed by a capitalised word
        ("Washington Post reporter", None),
        ("Denzel Washington", None),
        ("an analyst at the Wilson Center in Washington", None),  # a capital after "in" is a place
        ("Latin American leaders", None),
        ("New Mexico Governor Michelle Lujan Grisham", None),
        ("a turkey sandwich", None),
        ("the spokesman", None),
    ],
)
def test_party_in_phrase(gaz, phrase, expected):
    assert gaz.party_in_phrase(phrase) == expected


def test_scan_offsets_and_longest_match(gaz):
    text = "The U.N. Security Council and Latin American states met Chinese and Kenya's envoys."
    found = gaz.scan(text)
    assert [(m.text, m.name) for m in found] == [
        ("U.N. Security Council", "United Nations Security Council"),
        ("Chinese", "China"),
        ("Kenya", "Kenya"),
    ]
    assert all(text[m.start : m.end] == m.text for m in found)
    assert found[-1].possessive


def test_tokenize_keeps_abbreviations_and_drops_possessive():
    assert [w for w, _, _ in tokenize("U.S. and Kenya's d'Ivoire Guinea-Bissau")] == [
        "U.S.", "and", "Kenya", "d'Ivoire", "Guinea-Bissau",
    ]


def test_every_canonical_country_resolves_to_itself(gaz):
    assert len(gaz.countries) > 190
    for name in gaz.countries:
        assert gaz.country_of(name) == name


def test_aliases_of(gaz):
    us = gaz.aliases_of("United States")
    assert {"U.S.", "America", "Americans", "White House", "Pentagon"} <= set(us)


def test_curated_files_have_a_header():
    from importlib import resources

    for name in ("country_aliases.tsv", "organisation_aliases.tsv"):
        text = resources.files("claimstance.data").joinpath("lexicons", name).read_text(encoding="utf-8")
        assert text.startswith("# "), name
        rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
        assert all(len(r) >= 2 for r in rows), name


def test_unknown_country_in_curated_rows_is_an_error():
    with pytest.raises(ValueError, match="unknown country"):
        Gazetteer.from_sources([["Narnia City", "Narnia"]], [])


@pytest.mark.parametrize(
    "words, expected",
    [
        ("Indian Foreign Minister", ["foreign minister"]),
        ("NATO Secretary General", ["secretary-general"]),
        ("UN Secretary-General", ["secretary-general"]),
        ("U.S. Secretary of State", ["secretary of state"]),
        ("Chinese foreign ministry spokesman", ["spokesman"]),
        ("Kenya's President", ["president"]),
        ("the Ukrainian leadership", []),
    ],
)
def test_titles_in(words, expected):
    assert titles_in(words.split()) == expected


def test_role_words():
    assert is_title_token("Mr.") and is_title_token("President") and is_title_token("Foreign")
    assert not is_title_token("Lula")
    assert gender_of_word("Mrs.") == "female" and gender_of_word("spokesman") == "male"
    assert gender_of_word("President") is None


def test_word_lists_refuse_what_yaml_reads_as_a_boolean():
    from claimstance.infer import words

    assert "no" in words.NEGATIVE_SUBJECTS and "on" in words.CONTENT_PREPS  # quoted in the file
    with pytest.raises(ValueError, match="not strings"):
        words.checked({"negative_subjects": ["never", False]})
    # each role use is one list: a title is stripped from names, a speaker role is resolved
    assert "president" in words.TITLE_WORDS and "president" in words.ROLE_NOUNS and "aide" not in words.TITLE_WORDS
