"""Country and organisation gazetteer: names, aliases, demonyms, capitals and metonyms to canonical names.

Countries come from the maintained ``countryinfo`` package, so there is no hand-typed country table;
``data/lexicons/country_aliases.tsv`` adds only what the package lacks (government metonyms, short
forms, demonym plurals, renames, removals) and ``organisation_aliases.tsv`` lists organisations.

Canonical country name rule: countryinfo's ``name`` field, its short common English name ("China",
"United States", "Russia", "South Korea", "Czech Republic", "Ivory Coast"), for the ISO 3166-1
entries that have a numeric code, one entry per alpha-2 code (the most populous when the package
holds two), renamed where the TSV marks a row ``rename`` ("Swaziland" -> "Eswatini").

Matching is token-based, longest-first and case-sensitive ("turkey", "chad" and "who" never
match); an all-caps headline word ("CHINA") or a multiword name in odd case ("United states")
falls back to a case-insensitive table that leaves out acronyms, capitals and ambiguous names.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterable, Optional

from countryinfo import CountryInfo

from claimstance.infer.words import LOCATIVE_PREPS

# U.S. / U.N. / U.K. as one token; words may hold inner hyphens and apostrophes ("d'Ivoire").
TOKEN_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:[-'\u2019&][^\W_]+)*")
CAPITAL_MIN_POPULATION = 1_000_000  # capitals of micro-states and territories name other places too often
_NO_PLURAL_ENDINGS = ("ese", "sh", "ch", "ss", "x")  # "Chinese", "British", "Dutch", "Swiss", "Manx"


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Word tokens ``(word, start, end)`` with a trailing possessive 's dropped from the word."""
    out = []
    for m in TOKEN_RE.finditer(text):
        word, start, end = m.group(), m.start(), m.end()
        if len(word) > 2 and word[-2:] in ("'s", "\u2019s"):
            word, end = word[:-2], end - 2
        out.append((word, start, end))
    return out


@dataclass(frozen=True)
class Alias:
    """What an alias names: ``type`` is "country", "organisation", or "" for a blocking phrase."""

    name: str
    type: str
    flags: frozenset = frozenset()
    kind: Optional[str] = None  # organisations: io | ngo | group | media
    party: Optional[str] = None  # organisations that belong to a country (state media)


@dataclass(frozen=True)
class GazetteerMatch:
    """One alias found in a text: ``text[start:end]`` names ``name``."""

    start: int
    end: int
    text: str
    name: str
    type: str
    flags: frozenset
    kind: Optional[str]
    possessive: bool  # written with 's ("Kenya's")
    next_capitalised: bool  # the following word starts with a capital ("Washington Post")
    after_locative: bool  # the preceding word is a locative preposition ("in Washington")
    prev_capitalised: bool  # the preceding word starts with a capital ("Denzel Washington")


def _plural(demonym: str) -> Optional[str]:
    return None if demonym.endswith(_NO_PLURAL_ENDINGS) else demonym + "s"


def _read_tsv(name: str) -> list[list[str]]:
    path = resources.files("claimstance.data").joinpath("lexicons", name)
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            rows.append([c.strip() for c in line.split("\t")])
    return rows


def _key(text: str) -> tuple[str, ...]:
    return tuple(w for w, _, _ in tokenize(text))


class Gazetteer:
    """Alias tables for countries and organisations, with lookup and phrase scanning."""

    def __init__(self, aliases: dict[tuple[str, ...], Alias]):
        self._exact = {k: v for k, v in aliases.items() if k}
        self._folded: dict[tuple[str, ...], Alias] = {}
        for key, alias in self._exact.items():
            surface = " ".join(key)
            if alias.flags & {"gpe", "ambiguous"} or surface.isupper() or "." in surface:
                continue
            self._folded.setdefault(tuple(w.casefold() for w in key), alias)
        self._max_len: dict[str, int] = {}
        for key in self._exact:
            self._max_len[key[0]] = max(self._max_len.get(key[0], 0), len(key))
        self.countries = frozenset(a.name for a in self._exact.values() if a.type == "country")
        self.organisations = {a.name: a for a in self._exact.values() if a.type == "organisation"}

    # ------------------------------------------------------------------ building
    @classmethod
    @functools.lru_cache(maxsize=1)
    def default(cls) -> "Gazetteer":
        """The gazetteer from countryinfo plus the curated lexicons (built once per process)."""
        return cls.from_sources(_read_tsv("country_aliases.tsv"), _read_tsv("organisation_aliases.tsv"))

    @classmethod
    def from_sources(cls, country_rows: list[list[str]], org_rows: list[list[str]]) -> "Gazetteer":
        renames = {r[0]: r[1] for r in country_rows if len(r) > 2 and "rename" in r[2].split(",")}
        # (priority, population) decides a clash: curated 3 > names/demonyms 2 > capitals 1.
        table: dict[tuple[str, ...], tuple[tuple[int, int], Alias]] = {}

        def put(alias_text: str, alias: Alias, priority: int, population: int = 0) -> None:
            key = _key(alias_text)
            if not key:
                return
            rank = (priority, population)
            if key not in table or table[key][0] < rank:
                table[key] = (rank, alias)

        removed = {r[0] for r in country_rows if r[1] == "-"}
        for info, population in _countryinfo_entries():
            if info["name"] in removed:
                continue  # a removed state (Serbia and Montenegro) must not take "Serbian" from Serbia
            name = renames.get(info["name"], info["name"])
            alias = Alias(name, "country")
            codes = {str(c) for c in (info.get("ISO") or {}).values() if c}
            put(name, alias, 2, population)
            put(info["name"], alias, 2, population)
            for alt in info.get("altSpellings") or ():
                alt = alt.strip()
                if alt and alt not in codes and not (alt.isupper() and len(alt) <= 3):
                    put(alt, alias, 2, population)
            for demonym in re.split(r"[,/]", info.get("demonym") or ""):
                demonym = demonym.strip()
                if demonym:
                    put(demonym, alias, 2, population)
                    plural = _plural(demonym)
                    if plural:
                        put(plural, alias, 2, population)
            capital = info.get("capital")
            if isinstance(capital, str) and capital and population >= CAPITAL_MIN_POPULATION:
                put(capital, Alias(name, "country", frozenset({"gpe"})), 1, population)

        countries = {a.name for _, a in table.values()}
        for row in country_rows:
            alias_text, canonical = row[0], row[1]
            flags = frozenset(f for f in (row[2].split(",") if len(row) > 2 else ()) if f)
            if "rename" in flags:
                continue
            if canonical == "-":
                put(alias_text, Alias("", ""), 3)
                continue
            if canonical not in countries:
                raise ValueError(f"country_aliases.tsv: unknown country {canonical!r} for {alias_text!r}")
            put(alias_text, Alias(canonical, "country", flags), 3)

        org_rows = [r + [""] * (5 - len(r)) for r in org_rows]
        known = countries | {r[1] for r in org_rows}
        for alias_text, canonical, kind, party, flags in (r[:5] for r in org_rows):
            if canonical == "-":
                put(alias_text, Alias("", ""), 4)
                continue
            if party and party not in known:
                raise ValueError(f"organisation_aliases.tsv: unknown party {party!r} for {alias_text!r}")
            flagset = frozenset(f for f in flags.split(",") if f)
            put(alias_text, Alias(canonical, "organisation", flagset, kind or None, party or None), 4)
        return cls({k: a for k, (_, a) in table.items()})

    # ------------------------------------------------------------------ lookup
    def lookup(self, text: str) -> Optional[Alias]:
        """The alias record a whole name names ("the Kremlin", "China's", "U.S."), or None."""
        tokens = [w for w, _, _ in tokenize(text)]
        if tokens and tokens[0] in ("the", "The", "THE"):
            tokens = tokens[1:]
        if not tokens:
            return None
        key = tuple(tokens)
        alias = self._exact.get(key)
        if alias is None:
            stripped = text.strip()
            if (stripped.isupper() and len(stripped) >= 4) or (len(key) >= 2 and key[0][:1].isupper()):
                alias = self._folded.get(tuple(w.casefold() for w in key))
        return alias if alias is not None and alias.type else None

    def country_of(self, text: str, label: Optional[str] = None) -> Optional[str]:
        """Canonical country named by ``text`` (name, alias, demonym, capital, metonym), else None.

        ``label`` is the spaCy entity label when known: a capital counts only as GPE, and an
        ambiguous name ("Jordan") never as PERSON.
        """
        alias = self.lookup(text)
        if alias is None or alias.type != "country" or not self.label_ok(alias, label):
            return None
        return alias.name

    def org_of(self, text: str, label: Optional[str] = None) -> Optional[str]:
        """Canonical organisation named by ``text`` ("U.N." -> "United Nations"), else None."""
        alias = self.lookup(text)
        if alias is None or alias.type != "organisation" or not self.label_ok(alias, label):
            return None
        return alias.name

    @staticmethod
    def label_ok(alias: Alias, label: Optional[str]) -> bool:
        """Whether a spaCy label allows the alias: capitals need GPE, ambiguous names a place/group label."""
        if label is None:
            return True
        if "gpe" in alias.flags and label != "GPE":
            return False
        return "ambiguous" not in alias.flags or label in ("GPE", "NORP", "LOC", "ORG")

    def kind_of(self, name: str) -> Optional[str]:
        """The kind (io, ngo, group, media) of a canonical organisation, else None."""
        alias = self.organisations.get(name)
        return alias.kind if alias else None

    def party_of_org(self, name: str) -> Optional[str]:
        """The party of a canonical organisation: its country or parent organisation, else itself."""
        alias = self.organisations.get(name)
        return (alias.party or alias.name) if alias else None

    # ------------------------------------------------------------------ scanning
    def scan(self, text: str, offset: int = 0) -> list[GazetteerMatch]:
        """Every alias in ``text``, longest-first and non-overlapping, left to right.

        Blocking phrases ("Latin American") consume their words and are not returned.
        """
        tokens = tokenize(text)
        words = [w for w, _, _ in tokens]
        out = []
        i = 0
        while i < len(tokens):
            n = self._max_len.get(words[i], 0)
            hit = None
            for size in range(min(n, len(tokens) - i), 0, -1):
                alias = self._exact.get(tuple(words[i : i + size]))
                if alias is not None:
                    hit = (size, alias)
                    break
            if hit is None:
                i += 1
                continue
            size, alias = hit
            start, end = tokens[i][1], tokens[i + size - 1][2]
            if alias.type:
                nxt = words[i + size] if i + size < len(tokens) else ""
                out.append(
                    GazetteerMatch(
                        start + offset, end + offset, text[start:end], alias.name, alias.type,
                        alias.flags, alias.kind, text[end : end + 2] in ("'s", "\u2019s"),
                        nxt[:1].isupper(), i > 0 and words[i - 1].lower() in LOCATIVE_PREPS,
                        i > 0 and words[i - 1][:1].isupper(),
                    )
                )
            i += size
        return out

    def only_names(self, text: str, offset: int = 0) -> list[GazetteerMatch]:
        """The names in ``text`` when it holds nothing else but "and", "or", "the" and punctuation
        ("Amnesty International and Human Rights Watch", "U.S. State Department"), else []."""
        found = [m for m in self.scan(text, offset) if not m.flags & {"gpe", "ambiguous"}]
        rest = list(text)
        for m in found:
            rest[m.start - offset : m.end - offset] = " " * (m.end - m.start)
        return found if found and not re.sub(r"\b(?:and|the|or|The)\b|\W", "", "".join(rest)) else []

    def party_in_phrase(self, text: str) -> Optional[str]:
        """The first country or organisation named inside a longer phrase, else None.

        "Indian Foreign Minister S. Jaishankar" -> "India"; "a Pentagon spokesperson" ->
        "United States". A capital counts only when no capitalised word follows it
        ("Washington Post"), no capitalised word or locative preposition precedes it ("Denzel
        Washington", "in Washington"); an ambiguous name only when possessive or followed by a
        lower-case word ("Turkey's president", not "Jordan Peterson").
        """
        for m in self.scan(text):
            if "gpe" in m.flags and (m.next_capitalised or m.prev_capitalised or m.after_locative):
                continue
            if "ambiguous" in m.flags and m.next_capitalised and not m.possessive:
                continue
            return m.name
        return None

    def aliases_of(self, name: str) -> list[str]:
        """Every alias that names ``name`` (for documentation and tests)."""
        return sorted(" ".join(k) for k, a in self._exact.items() if a.name == name)


def _countryinfo_entries() -> Iterable[tuple[dict, int]]:
    """One countryinfo record per ISO alpha-2 code among entries with a numeric code."""
    best: dict[str, tuple[tuple, dict]] = {}
    for info in CountryInfo.all().values():
        iso = info.get("ISO") or {}
        code, numeric = iso.get("alpha2"), iso.get("numeric")
        if not code or not numeric or not info.get("name"):
            continue
        rank = (info.get("population") or 0, bool(info.get("demonym")), -len(info["name"]))
        if code not in best or best[code][0] < rank:
            best[code] = (rank, info)
    for _, info in sorted(best.values(), key=lambda x: x[1]["name"]):
        yield info, info.get("population") or 0
