"""Synthetic stress articles: many short statements about many parties, for the scaling tests and
``benchmarks/bench_scaling.py``.

``many_statements(3000, 300)`` is the article of #16: "Kenya said Uganda is bad." 3,000 times
over, the speakers and targets cycling through up to 300 parties that the gazetteer knows
(countries, then organisations), so that every name is found as a party.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["many_statements", "party_names"]


@lru_cache(maxsize=1)
def party_names() -> tuple[str, ...]:
    """Country and organisation names the gazetteer knows, countries first, sorted."""
    from claimstance.infer.entities.gazetteer import Gazetteer

    gaz = Gazetteer.default()
    countries = sorted(n for n in gaz.countries if n.replace(" ", "").isalpha())
    orgs = sorted(n for n in gaz.organisations if n.replace(" ", "").isalpha() and n not in gaz.countries)
    return tuple(countries + orgs)


def many_statements(n: int, parties: int = 300, paragraph_every: int = 10) -> str:
    """``n`` sentences "<A> said <B> is bad.", A and B cycling through ``parties`` names (at most
    :func:`party_names`), a paragraph break every ``paragraph_every`` sentences."""
    names = party_names()[:parties]
    k = len(names)
    # the target's stride shifts on each round through the speakers: no paragraph repeats (furniture)
    sentences = [f"{names[i % k]} said {names[(i * 7 + 1 + i // k) % k]} is bad." for i in range(n)]
    return "\n\n".join(" ".join(sentences[i : i + paragraph_every]) for i in range(0, n, paragraph_every))
