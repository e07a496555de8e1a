"""The word lists the rule stages share (``data/lexicons/words.yaml``), loaded once, named for the code.

Each list is written once, there, with a comment on what it is for; a module that needs one imports
it from here. A list used two ways is one list with its uses marked (the role nouns).
"""

from __future__ import annotations

from importlib import resources

import yaml

__all__ = [
    "ABBREVIATIONS", "AUTHOR_PREPS", "BELONGS_PREPS", "BODY_NOUNS", "CAPTION_WORDS", "CONTENT_PREPS", "CORRECTION_WORDS", "CREDIT_WORDS", "DETERMINERS", "EPITHET_NOUNS", "FIRST_PERSON", "GENDERED", "GENDERED_NOUNS",
    "GOVERNMENT_NOUNS", "GOV_TITLES", "GROUP_NOUNS", "GROUP_PRONOUNS", "HEADLINE_SMALL_WORDS", "HONORIFICS", "LINK_WORDS", "LOCATIVE_PREPS",
    "MOTION_VERBS", "NAME_PARTICLES",
    "NEGATIVE_SUBJECTS", "NOISE", "NO_QUOTE_AFTER", "NON_ASSERTIVE", "NON_SPEECH_VERBS", "OPEN_QUESTION_MARKERS", "ORG_HEADS", "ORG_NOUNS", "PARTY_SUBJECT_NOUNS",
    "PERSON_BODIES", "PERSON_PRONOUNS", "PLACE_HEADS", "POLITICAL_TITLES", "PORTFOLIO_HEADS", "POSSESSIVE_DETS", "PRONOUNS", "QUANTIFIERS", "RELATIVE",
    "ROLE_HOLDERS", "ROLE_NOUNS", "STATEMENT_NOUNS", "TITLE_ABBREVIATIONS", "TITLE_MODIFIERS", "TITLE_WORDS", "UNCERTAIN", "WH_WORDS",
]



def checked(lists: dict) -> dict:
    """The lists, refused when an entry is not a string (YAML reads an unquoted no, on or yes as a boolean)."""
    for name, entries in lists.items():
        bad = [word for word in entries if not isinstance(word, str)]
        if bad:
            raise ValueError(f"data/lexicons/words.yaml: {name} has entries that are not strings: {bad} (quote them)")
    return lists


_LISTS = checked(yaml.safe_load(resources.files("claimstance.data").joinpath("lexicons", "words.yaml").read_text("utf-8")))


def _words(name: str) -> frozenset[str]:
    return frozenset(_LISTS[name])


def _roles(use: str) -> frozenset[str]:
    return frozenset(word for word, uses in _LISTS["roles"].items() if use in uses)


# people: roles, titles, honorifics, pronouns
TITLE_WORDS = _roles("title")
ROLE_NOUNS = _roles("speaker")
ROLE_HOLDERS = _roles("holder")
GOV_TITLES = _roles("government")
POLITICAL_TITLES = GOV_TITLES | _roles("political")
TITLE_MODIFIERS = _words("title_modifiers")
GENDERED: dict[str, str] = dict(_LISTS["gendered"])
HONORIFICS = _words("honorifics") | frozenset(GENDERED)
TITLE_ABBREVIATIONS: dict[str, str] = dict(_LISTS["title_abbreviations"])
GENDERED_NOUNS: dict[str, str] = dict(_LISTS["gendered_nouns"]) | GENDERED
PERSON_PRONOUNS: dict[str, str] = {w: g for w, g in _LISTS["pronouns"].items() if g in ("male", "female")}
GROUP_PRONOUNS = frozenset(w for w, g in _LISTS["pronouns"].items() if g == "group")
FIRST_PERSON = frozenset(w for w, g in _LISTS["pronouns"].items() if g == "first")
PRONOUNS = frozenset(_LISTS["pronouns"])
RELATIVE = _words("relative_pronouns")
QUANTIFIERS = _words("quantifiers")
NAME_PARTICLES = _words("name_particles")

# nouns
BODY_NOUNS = _words("body_nouns")
PERSON_BODIES = _words("person_bodies")
EPITHET_NOUNS = _words("epithet_nouns")
ORG_HEADS = BODY_NOUNS | _words("organisation_heads")
GROUP_NOUNS = _words("group_nouns")
ORG_NOUNS = BODY_NOUNS | GROUP_NOUNS | _words("organisation_nouns")
GOVERNMENT_NOUNS = _words("government_nouns")
PARTY_SUBJECT_NOUNS = GOVERNMENT_NOUNS | _words("party_subject_nouns")
PLACE_HEADS = _words("place_heads")
PORTFOLIO_HEADS = _words("portfolio_heads")
STATEMENT_NOUNS = _words("statement_nouns")

# function words
LOCATIVE_PREPS = _words("locative_prepositions")
BELONGS_PREPS = tuple(_LISTS["belonging_prepositions"])
AUTHOR_PREPS = tuple(_LISTS["author_prepositions"])
CONTENT_PREPS = _words("content_prepositions")
MOTION_VERBS = _words("motion_verbs")
POSSESSIVE_DETS = _words("possessive_determiners")
NO_QUOTE_AFTER = _words("no_quote_after")
DETERMINERS = tuple(_LISTS["determiners"])

# speech that asserts nothing
NON_ASSERTIVE = _words("refusal_verbs")
NON_SPEECH_VERBS = _words("non_speech_verbs")
WH_WORDS = _words("wh_words")
NEGATIVE_SUBJECTS = _words("negative_subjects")
UNCERTAIN = _words("uncertain")
OPEN_QUESTION_MARKERS = _words("open_question_markers")

# text units
ABBREVIATIONS = tuple(_LISTS["abbreviations"])
CAPTION_WORDS = tuple(_LISTS["caption_words"])
LINK_WORDS = tuple(_LISTS["link_words"])
CREDIT_WORDS = tuple(_LISTS["credit_words"])
CORRECTION_WORDS = tuple(_LISTS["correction_words"])
HEADLINE_SMALL_WORDS = _words("headline_small_words")
NOISE = _words("noise_phrases") | frozenset(LINK_WORDS)
