"""The speaker chain (``infer/speakers/``): mention as written -> canonical speaker -> party.

Table-driven: each case is a short text, a piece of one statement's content, and the speaker
name and party that statement must get. The conventions are those of ``data/samples/README.md``.
The texts go through the rule stages alone (the ``rules`` fixture): no neural model.
"""

from __future__ import annotations

import pytest


def _statement(rules, text: str, content: str):
    result = rules(text, "t")
    assert result.error is None, result.error
    hits = [s for s in result.statements if content in s.content.text]
    assert hits, f"no statement holds {content!r}: {[s.content.text for s in result.statements]}"
    return min(hits, key=lambda s: len(s.content.text))  # the tightest statement holding it


# (id, text, a piece of the statement's content, speaker name, speaker party)
CHAIN = [
    ("name_with_title_and_country",
     "Kenya's President William Ruto said on Monday that the railway would pay for itself.",
     "the railway would pay", "William Ruto", "Kenya"),
    ("demonym_title",
     "Indian Foreign Minister S. Jaishankar on Tuesday condemned Pakistan's statements on Kashmir.",
     "Pakistan's statements", "S. Jaishankar", "India"),
    ("pronoun_he",
     "Kenya's President William Ruto met business leaders in Nairobi. He said the loan terms were fair.",
     "the loan terms were fair", "William Ruto", "Kenya"),
    ("pronoun_she_skips_a_male_speaker",
     "White House spokeswoman Karen Webb said the controls were narrow. Chinese foreign ministry spokesman "
     "Lin Jian said the controls were unfair. She added that the rules would stay in place.",
     "the rules would stay", "Karen Webb", "United States"),
    ("pronoun_he_most_recent_speaker",
     "Kremlin spokesman Dmitry Peskov told reporters that Russia was open to talks. Ukrainian President "
     "Volodymyr Zelensky dismissed the offer. He said Russia wanted a pause only to rearm.",
     "Russia wanted a pause", "Volodymyr Zelensky", "Ukraine"),
    ("role_noun_president",
     "Kenya's President William Ruto opened the new line on Monday. The president said critics had "
     "misunderstood the loan.",
     "critics had misunderstood", "William Ruto", "Kenya"),
    ("role_noun_matches_the_full_title",
     "South Korean Foreign Minister Park Ji-hoon met Japanese Prime Minister Kenji Mori in Tokyo. "
     "The prime minister told reporters that the visits would resume.",
     "the visits would resume", "Kenji Mori", "Japan"),
    ("org_noun_ministry",
     "Egypt's Ministry of Water Resources and Irrigation said Ethiopia had begun a new filling of the dam. "
     "Ethiopia rejected the criticism. The ministry said Egypt would defend its water security.",
     "Egypt would defend", "Egypt's Ministry of Water Resources and Irrigation", "Egypt"),
    ("org_noun_foreign_office",
     "Britain's Foreign Office said London would support a lasting peace. Ukrainian lawmaker Oleksiy Bondar "
     "called the draft humiliating. The foreign office also announced that it would provide more aid to Ukraine.",
     "it would provide more aid", "Britain's Foreign Office", "United Kingdom"),
    ("org_noun_bloc",
     "The Caribbean Community backed Guyana. The bloc said the region stood firmly with a member state.",
     "the region stood firmly", "Caribbean Community", "Caribbean Community"),
    ("relative_who",
     "Opposition leader Daniel Kiprono, who said the contract was secret, walked out of parliament in Nairobi.",
     "the contract was secret", "Daniel Kiprono", None),
    ("name_merging_lula",
     "Brazil's President Luiz Inácio Lula da Silva arrived in Montevideo. President Lula urged Britain to "
     "return to negotiations. Lula told reporters that colonialism had no place in this century.",
     "colonialism had no place", "Luiz Inácio Lula da Silva", "Brazil"),
    ("cueless_quote_inherits_the_adjacent_speaker",
     "Philippine Coast Guard spokeswoman Teresa Aquino said the boats had been blocked.\n\n"
     "\"We will not be intimidated. These are our waters under international law.\"",
     "We will not be intimidated", "Teresa Aquino", "Philippines"),
    ("split_quote_shares_the_speaker",
     "\u201cWe remain open to dialogue,\u201d a spokeswoman for Pakistan's Ministry of Foreign Affairs, Amina "
     "Qureshi, said, \u201cbut dialogue cannot mean silence on Kashmir.\u201d",
     "but dialogue cannot mean silence", "Amina Qureshi", "Pakistan"),
    ("kremlin_is_a_body",
     "The Kremlin said on Tuesday that the Ukrainian leadership was not ready for negotiations.",
     "the Ukrainian leadership was not ready", "Kremlin", "Russia"),
    ("white_house_is_a_body",
     "In Washington, the White House said it welcomed the agreement between the two allies.",
     "it welcomed the agreement", "White House", "United States"),
    ("capital_is_the_country",
     "Beijing said the sanctions were illegal and would be answered.",
     "the sanctions were illegal", "China", "China"),
    ("government_as_a_whole_is_the_country",
     "The Ukrainian leadership has urged the European Union to speed up deliveries of air defence systems.",
     "the European Union to speed up", "Ukraine", "Ukraine"),
    ("unnamed_official_of_an_organ",
     "The European Commission urged both governments to show restraint. A Commission spokesperson said "
     "Brussels was in contact with both capitals.",
     "Brussels was in contact", "European Commission", "European Union"),
    ("unnamed_official_of_an_organisation",
     "The African Union urged all three countries to return to talks. An AU official said a new envoy "
     "could be appointed within weeks.",
     "a new envoy could be appointed", "African Union", "African Union"),
    ("apposition_name",
     "China's ambassador to the UN, Fu Cong, said Beijing had abstained because the mission lacked benchmarks.",
     "Beijing had abstained", "Fu Cong", "China"),
    ("close_apposition_name",
     "North Korea's state news agency KCNA described the meeting as a sinister plot.",
     "the meeting as a sinister plot", "KCNA", "North Korea"),
    ("body_named_as_first_written",
     "Azerbaijan's Ministry of Foreign Affairs said the comments were a direct provocation. The ministry urged "
     "the Armenian government to distance itself from the remarks.",
     "the Armenian government to distance", "Azerbaijan's Ministry of Foreign Affairs", "Azerbaijan"),
    ("they_is_the_group_not_the_venue",
     "The United States condemned the incident. Foreign ministers of the Group of Seven, meeting in Italy, "
     "also weighed in. They called on all parties to settle the dispute in line with the ruling.",
     "all parties to settle the dispute", "Group of Seven", "Group of Seven"),
    ("it_is_the_subject_before",
     "Argentine Foreign Minister Elena Castro thanked Lula. The British Foreign Office rejected the appeal. "
     "It said there could be no negotiations on sovereignty.",
     "there could be no negotiations", "British Foreign Office", "United Kingdom"),
    ("the_statement_is_its_maker",
     "South Korea's Ministry of Trade, Industry and Energy said in a statement that it was studying the impact "
     "on Korean firms. Japan welcomed the rules. The statement added that Seoul would seek exemptions for "
     "its chipmakers.",
     "Seoul would seek exemptions", "South Korea's Ministry of Trade, Industry and Energy", "South Korea"),
    ("apposition_subject_country",
     "Lithuania, one of the proposal's main backers, accused Berlin of putting car exports ahead of security.",
     "Berlin of putting car exports", "Lithuania", "Lithuania"),
    ("dateline_is_not_the_speaker",
     "MONTEVIDEO \u2014 Brazil's President Luiz Inácio Lula da Silva said on Thursday that South America "
     "should speak with one voice.",
     "South America should speak", "Luiz Inácio Lula da Silva", "Brazil"),
    ("dateline_of_two_words",
     "By Priya Menon, Reuters\n\nNEW DELHI \u2014 Indian Foreign Minister S. Jaishankar on Tuesday condemned "
     "Pakistan's statements on Kashmir.",
     "Pakistan's statements", "S. Jaishankar", "India"),
    ("hyphen_and_diacritics_kept",
     "Haitian Prime Minister Jean-Robert Célestin said Kenya had answered when others hesitated.",
     "Kenya had answered", "Jean-Robert Célestin", "Haiti"),
]


@pytest.mark.parametrize("text, content, name, party", [c[1:] for c in CHAIN], ids=[c[0] for c in CHAIN])
def test_speaker_chain(rules, text, content, name, party):
    speaker = _statement(rules, text, content).speaker
    assert speaker is not None
    assert (speaker.name, speaker.party) == (name, party)


# (id, text, a piece of the statement's content, a name the speaker must NOT be)
NEGATIVE = [
    ("she_never_a_male_person",
     "Turkish Foreign Minister Hakan Fidan said he would travel to Kyiv. She said the talks had failed.",
     "the talks had failed", "Hakan Fidan"),
    ("she_never_a_person_called_mr",
     "Mr. Daniel Brooks met the delegation. She said the ceasefire would hold.",
     "the ceasefire would hold", "Daniel Brooks"),
    ("he_never_a_female_person",
     "Foreign Minister Claire Duval said she would travel to Baku. He said the treaty was within reach.",
     "the treaty was within reach", "Claire Duval"),
    ("they_not_a_country_in_passing",
     "Foreign ministers of the Group of Seven, meeting in Italy, also weighed in. They called on all parties "
     "to settle the dispute.",
     "all parties to settle", "Italy"),
    ("the_ministry_not_any_organisation",
     "Pakistan's Ministry of Foreign Affairs rejected the remarks. The United Nations urged calm. "
     "The ministry said India was distorting the facts.",
     "India was distorting", "United Nations"),
]


@pytest.mark.parametrize("text, content, wrong", [c[1:] for c in NEGATIVE], ids=[c[0] for c in NEGATIVE])
def test_speaker_chain_negatives(rules, text, content, wrong):
    speaker = _statement(rules, text, content).speaker
    assert speaker is None or speaker.name != wrong


def test_the_ministry_takes_the_ministry_named_before(rules):
    text = ("Pakistan's Ministry of Foreign Affairs rejected the remarks. The United Nations urged calm. "
            "The ministry said India was distorting the facts.")
    speaker = _statement(rules, text, "India was distorting").speaker
    assert (speaker.name, speaker.party) == ("Pakistan's Ministry of Foreign Affairs", "Pakistan")


def test_mention_is_the_source_as_written(rules):
    text = "Kenya's President William Ruto opened the line. He said the loan was fair."
    speaker = _statement(rules, text, "the loan was fair").speaker
    assert speaker.mention.text == "He" and text[speaker.mention.start : speaker.mention.end] == "He"
    assert speaker.name == "William Ruto"
