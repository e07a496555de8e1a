"""Segment an article into attributed statements: content, cue and source mention.

Rules over a spaCy parse and the quotation marks found in the raw text:
- a cue word (``cues.CueLexicon``) with its subject as the source and its complement as
  the content (``said that ...``, ``accused X of ...``, ``urged X to ...``);
- ``according to X``; noun cues with a ``that`` clause (``the ministry's statement that ...``);
- quotes: a complement that is (part of) a quotation takes the whole quotation, across
  sentences and paragraphs; a quotation that no cue claims becomes a cue-less statement
  whose speaker the attribution stage fills from its neighbours.
Speech that asserts nothing yields nothing (the filter the tagger's statements pass too,
:mod:`claimstance.infer.rules.assertion`), and neither do captions, bylines and "Read more" lines.
Speaker resolution (mention -> canonical speaker -> party) is ``infer/speakers``' job.
"""

from __future__ import annotations

from typing import Optional

from claimstance.infer.rules.assertion import asserts_nothing, is_negated, non_assertive
from claimstance.infer.rules.clauses import (
    according_to, char_span, strip_possessive, subject_of, subtree_span, that_clause_under_prep, tokens_in,
)
from claimstance.infer.rules.cues import CueLexicon
from claimstance.infer.candidate import Candidate
from claimstance.infer.text.parse import SUBJECT_DEPS
from claimstance.infer.text.furniture import boilerplate_ranges
from claimstance.infer.text.units import doc_text, in_ranges
from claimstance.infer.text.quotes import Quote, QuoteIndex, find_quotes
from claimstance.infer.words import CONTENT_PREPS, WH_WORDS
from claimstance.infer.text.marks import ALL_MARKS

CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "obj", "oprd", "pcomp", "attr", "acomp"}


class RuleSegmenter:
    """Candidate attributions of a parsed document, from the rules."""

    def __init__(self, lexicon: CueLexicon, min_quote_words: int = 4):
        self.lexicon = lexicon
        self.verb_cues = lexicon.cue_lemmas("VERB")
        self.noun_cues = lexicon.cue_lemmas("NOUN")
        self.min_quote_words = min_quote_words

    def __call__(self, doc) -> list[Candidate]:
        text = doc_text(doc)
        skip = boilerplate_ranges(text)
        quotes = QuoteIndex(find_quotes(text), text)
        skipped = tokens_in(doc, skip)
        found: list[Candidate] = []
        for token in doc:
            if skipped[token.i] or _inside_quote(token, quotes):
                continue
            cand = None
            if according_to(token) is not None:
                cand = self._according_to(token)
            elif token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in self.verb_cues:
                cand = self._verb_cue(token, quotes)
            elif token.pos_ == "NOUN" and token.lemma_.lower() in self.noun_cues:
                cand = self._noun_cue(token)
            if cand is not None and not asserts_nothing(doc, cand):
                found.append(extend_to_quotes(cand, quotes))
        found = _drop_nested(found)
        found.extend(c for c in self._uncued_quotes(doc, quotes, found, skip) if not asserts_nothing(doc, c))
        return _merge_continuations(text, sorted(found, key=lambda c: (c.start, c.end)))

    # -- cue kinds -------------------------------------------------------------------------
    def _verb_cue(self, verb, quotes: QuoteIndex) -> Optional[Candidate]:
        source_tok = subject_of(verb)
        inverted = _inverted_subject(verb) if source_tok is None else None
        if inverted is not None:  # '"We love cats!" reply Burton and Nick.'
            quote = _adjacent_quote(verb, quotes)
            if quote is not None and quote[1] <= verb.idx:
                return Candidate((quote,), (verb.idx, verb.idx + len(verb)), subtree_span(inverted), inverted.i, "verb")
        content = self._verb_content(verb)
        if content is None:
            content = _adjacent_quote(verb, quotes)
        if content is None:
            return None
        source = subtree_span(source_tok) if source_tok is not None else None
        if source is not None and _overlaps(source, content):
            source = None
            source_tok = None
        cue = (verb.idx, verb.idx + len(verb))
        return Candidate((content,), cue, source, source_tok.i if source_tok is not None else None, "verb")

    def _verb_content(self, verb) -> Optional[tuple[int, int]]:
        children = list(verb.children)
        ccomps = [c for c in children if c.dep_ == "ccomp"] or that_clause_under_prep(verb)
        if ccomps:
            comp = ccomps[0] if ccomps[0].i > verb.i else ccomps[-1]
            if any(t.lower_ in WH_WORDS and t.i < comp.i for t in comp.subtree) and is_negated(verb):
                return None
            span = subtree_span(comp)
            for conj in (c for c in children if c.dep_ == "conj" and c.i > comp.i):
                # "argued the region is X and should one day return": a subject-less conjunct led by a
                # modal continues the complement (the parser hung it on the reporting verb)
                if not any(k.dep_ in SUBJECT_DEPS for k in conj.children) and \
                        any(k.dep_ == "aux" and k.tag_ == "MD" and k.i < conj.i for k in conj.children):
                    tail = subtree_span(conj)
                    if span and tail:
                        span = (span[0], tail[1])
            return span
        parts = []
        for c in children:
            if c.i < verb.i or c.dep_ in ("dative", "npadvmod", "advmod", "punct", "cc", "conj", "nsubj", "aux", "neg"):
                continue
            if c.dep_ in CONTENT_DEPS or (c.dep_ == "prep" and c.lower_ in CONTENT_PREPS):
                parts.append(c)
            elif c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "for" for m in c.children):
                parts.append(c)  # "called for the contract to be tabled": 'for' parsed as a clause marker
            elif c.dep_ == "advcl" and parts and any(m.dep_ == "aux" and m.lower_ == "to" for m in c.children):
                parts.append(c)  # "called for member states to close the gap": the infinitive continues the object
        if not parts:
            return None
        spans = [s for s in (subtree_span(c) for c in parts) if s]
        if not spans:
            return None
        return min(s for s, _ in spans), max(e for _, e in spans)

    def _according_to(self, according) -> Optional[Candidate]:
        to = according_to(according)
        objects = [c for c in to.children if c.dep_ == "pobj"] or [c for c in according.children if c.dep_ == "pobj"]
        if not objects:
            return None
        source = subtree_span(objects[0])
        phrase_tokens = {according.i, to.i} | {t.i for t in objects[0].subtree}
        sent = according.sent
        rest = [t for t in sent if t.i not in phrase_tokens and not t.is_space]
        # the content is the clause around the phrase: the side of the sentence that holds words
        before = [t for t in rest if t.i < according.i]
        after = [t for t in rest if t.i > max(phrase_tokens)]
        side = after if len([t for t in after if not t.is_punct]) >= len([t for t in before if not t.is_punct]) else before
        content = char_span(side)
        if content is None or source is None:
            return None
        cue = (according.idx, to.idx + len(to))
        return Candidate((content,), cue, source, objects[0].i, "according_to")

    def _noun_cue(self, noun) -> Optional[Candidate]:
        clauses = [c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        if not clauses:
            return None
        content = subtree_span(clauses[0])
        owners = [c for c in noun.children if c.dep_ == "poss"]
        if not owners:
            owners = [p_obj for p in noun.children if p.dep_ == "prep" and p.lower_ in ("by", "from", "of") for p_obj in p.children if p_obj.dep_ == "pobj"]
        source_tok = owners[0] if owners else None
        source = subtree_span(source_tok) if source_tok is not None else None
        if source is not None and source_tok.dep_ == "poss":
            source = strip_possessive(noun.doc, source)
        if content is None:
            return None
        cue = (noun.idx, noun.idx + len(noun))
        return Candidate((content,), cue, source, source_tok.i if source_tok is not None else None, "noun")

    def _uncued_quotes(self, doc, quotes, found, skip) -> list[Candidate]:
        """Quotations no cue claimed: attach the verb of a short clause right after the quote
        ('"...," Oliver barked') or of a clause ending in a colon right before it, whatever the
        verb; else keep them cue-less for the attribution stage to fill."""
        claimed = QuoteIndex([Quote(((c.start, c.end),)) for c in found], doc_text(doc))
        skip_starts = [a for a, _ in skip]
        out = []
        for q, words in zip(quotes.quotes, quotes.words):
            if words < self.min_quote_words:
                continue
            if in_ranges(skip, skip_starts, q.start):
                continue
            if claimed.overlapping(q.start, q.end):
                continue
            verb = _verb_after_quote(doc, q, self.lexicon) or _verb_before_quote(doc, q)
            if verb is not None and not non_assertive(verb):
                subject = subject_of(verb) or _inverted_subject(verb)
                source = subtree_span(subject) if subject is not None else None
                if source is not None and not _overlaps(source, (q.start, q.end)):
                    cue = (verb.idx, verb.idx + len(verb))
                    out.append(Candidate(q.parts, cue, source, subject.i, "verb"))
                    continue
            out.append(Candidate(q.parts, None, None, None, "quote"))
        return out


def _inverted_subject(verb):
    """The speaker right after a reporting verb the parser left without a subject ('"..." reply
    Burton and Nick': "Burton" read as the object)."""
    nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
    if nxt is not None and nxt.head.i == verb.i and nxt.dep_ in ("dobj", "attr", "npadvmod") and nxt.pos_ == "PROPN":
        return nxt
    return None


def _verb_after_quote(doc, q: Quote, lexicon=None):
    """The verb of a short attribution clause following a quote: '"...," Oliver barked.' A reporting
    verb of the lexicon may have its subject after it, where the parser lost it ('"..." reply Burton')."""
    text = doc_text(doc)
    after = doc.char_span(q.end, min(len(text), q.end + 120), alignment_mode="expand")
    if after is None:
        return None
    tokens = []
    for t in after:
        if t.is_punct and t.text in ".;!?" or t.text in ALL_MARKS or t.is_space and "\n" in t.text:
            break
        tokens.append(t)
        if len(tokens) > 12:
            return None
    for t in tokens:
        if t.pos_ == "VERB" and any(c.dep_ in SUBJECT_DEPS for c in t.children):
            if any(c.dep_ in ("dobj", "ccomp", "xcomp") and c.i in {x.i for x in tokens} for c in t.children):
                return None
            return t
        if t.pos_ == "VERB" and lexicon is not None and lexicon.is_cue(t.lemma_.lower(), "VERB") and _inverted_subject(t) is not None:
            return t
    return None


def _verb_before_quote(doc, q: Quote):
    """The verb of a clause that ends in a colon right before a quote: 'Mr. Christie gloated: "..."'."""
    text = doc_text(doc)
    gap = text[max(0, q.start - 3) : q.start]
    if ":" not in gap:
        return None
    colon = doc.char_span(text.rfind(":", 0, q.start), text.rfind(":", 0, q.start) + 1, alignment_mode="expand")
    if colon is None:
        return None
    root = colon[0].sent.root if colon[0].head.i == colon[0].i else colon[0].head
    while root.pos_ not in ("VERB", "AUX") and root.head.i != root.i:
        root = root.head
    return root if root.pos_ in ("VERB", "AUX") else None


def _merge_continuations(text: str, cands: list[Candidate]) -> list[Candidate]:
    """A cue-less quotation that follows a quoted statement in the same paragraph continues it:
    '"A," she said. "B."' is one statement whose content has the parts A and B."""
    out: list[Candidate] = []
    for cand in cands:
        prev = out[-1] if out else None
        if (
            prev is not None
            and cand.origin == "quote"
            and prev.origin != "quote"
            and prev.content[-1][1] <= cand.start
            and "\n" not in text[prev.end : cand.start]
            and text[prev.content[-1][0]] in ALL_MARKS
            and (prev.cue is None or prev.cue[1] <= cand.start)
        ):
            out[-1] = Candidate(prev.content + cand.content, prev.cue, prev.source, prev.source_head, prev.origin)
            continue
        out.append(cand)
    return out


def _adjacent_quote(verb, quotes: QuoteIndex) -> Optional[tuple[int, int]]:
    """A quotation right before ('"...," she said') or after ('He said: "..."') a bare cue."""
    text = doc_text(verb.doc)
    sent = verb.sent
    for q, _ in quotes.overlapping(sent.start_char, sent.end_char):
        if sent.start_char <= q.start < sent.end_char or sent.start_char < q.end <= sent.end_char:
            gap_after = text[verb.idx + len(verb) : q.start]
            gap_before = text[q.end : verb.idx]
            if q.start >= verb.idx and len(gap_after) < 60 and ":" in gap_after or (q.start >= verb.idx and gap_after.strip() in ("", ",")):
                return q.start, q.end
            if q.end <= verb.idx and len(gap_before) < 60:
                return q.start, q.end
    # '"..." Sexton said.' parsed as two sentences: the quote closes right before this one
    head_gap = text[sent.start_char : verb.idx]
    if len(head_gap) < 80 and not any(ch in ALL_MARKS for ch in head_gap):
        for q, _ in quotes.overlapping(max(0, sent.start_char - 3), sent.start_char):
            if q.end <= sent.start_char and not text[q.end : sent.start_char].strip(" ,.\u00a0"):
                return q.start, q.end
    # 'He said:' ending a sentence, with the quote opening the next one
    nxt = doc_text(verb.doc)[sent.end_char : sent.end_char + 3].lstrip()
    if doc_text(verb.doc)[verb.idx + len(verb) : sent.end_char].strip() in (":", ",:") and nxt[:1] in ALL_MARKS:
        for q in quotes.within(sent.end_char, sent.end_char + 3):
            if q.start >= sent.end_char and q.start - sent.end_char < 3:
                return q.start, q.end
    return None


def extend_to_quotes(cand: Candidate, quotes: QuoteIndex) -> Candidate:
    """A content that is part of a quotation takes the whole quotation (all its paragraphs)."""
    s, e = cand.content[0][0], cand.content[-1][1]
    for q, _ in quotes.overlapping(s, e):
        inside = q.start <= s + 1 and e - 1 <= q.end
        starts_in = q.start <= s < q.end
        if inside or (starts_in and e <= q.end + 2):
            return Candidate(q.parts, cand.cue, cand.source, cand.source_head, cand.origin)
        if s <= q.start and q.end > e and starts_in is False and q.start < e:
            # the complement starts before the quote and runs into it: take the quote's end
            parts = ((s, q.parts[0][1]),) + q.parts[1:]
            return Candidate(parts, cand.cue, cand.source, cand.source_head, cand.origin)
    return cand


def _inside_quote(token, quotes: QuoteIndex) -> bool:
    """A cue inside a quotation is quoted speech, not the article's attribution."""
    return any(q.contains(token.idx, token.idx + len(token)) and words >= 3 for q, words in quotes.overlapping(token.idx, token.idx + 1))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _drop_nested(cands: list[Candidate]) -> list[Candidate]:
    """Where two candidates share content, keep the outer attribution (the first cue in the text).

    "She said he denied that ..." yields two attributions in PolNeAR; a content strictly inside
    another's content is kept, but an identical content (two cues claiming one quote) is not.
    """
    out: list[Candidate] = []
    seen: set[tuple[tuple[int, int], ...]] = set()
    for c in sorted(cands, key=lambda c: (c.cue or (0, 0))[0]):
        if c.content in seen:
            continue
        seen.add(c.content)
        out.append(c)
    return out
