"""Acceptance on our sample gold (``data/samples/``): the full pipeline over the 14 articles.

Per article:
- every gold statement is found: a predicted statement whose content overlaps it (the best
  one: the largest overlap, then the same cue, then the earliest), and that statement has the
  gold canonical speaker name and the gold party;
- no ``no_statement`` string yields a statement (no content overlaps it, no cue lies in it);
- every party of the gold list is found (recall 1.0); precision is reported, with a floor.

``KNOWN_GAPS`` lists what the segmenter (``infer/segment.py``) does not get yet, with the
reason. Those cases are checked too, but a failure there marks the test xfail instead of
failing it; everything else must hold. Remove an entry once the segmenter handles it.
"""

from __future__ import annotations

import warnings

import pytest

from claimstance.data.samples import load_samples

SAMPLES = load_samples()
BY_ID = {s.id: s for s in SAMPLES}
IDS = [s.id for s in SAMPLES]

# (sample id, the start of a gold statement's content or of a no_statement string): why.
KNOWN_GAPS = {
    ("sample-02", "that the extension would create 40,000"): "'claim' is not a noun cue in the cue lexicon ('Ruto's claim that ...')",
    ("sample-02", "the full contract to be tabled"): "'called for' parsed as a conjunct with 'for' as the mark of an adverbial clause",
    ("sample-04", "that Nagorno-Karabakh had been"): "'said' parsed with no subject (the lawmaker is the object of 'after') and its 'that' clause hung on 'debate'",
    ("sample-06", "Washington to “correct its mistakes”"): "the parse runs the sentence over the paragraph break, so 'urged' takes the next paragraph as content and the quote goes to 'respond'",
    ("sample-14", "that any deal must address"): "'warning' is not a noun cue in the cue lexicon ('His warning that ...')",
    ("sample-03", "Paraguayan officials did not say"): "a cue inside the 'whether' clause of a negated 'did not say'",
    ("sample-05", "The “Bajakovo crossing reopened"): "a stray opening mark read as a quotation",
    ("sample-05", "Neither government said whether"): "negation by a 'Neither' subject not seen",
}
PARTY_PRECISION_FLOOR = 0.85


def _gap(sample_id: str, text: str):
    return next((why for (sid, start), why in KNOWN_GAPS.items() if sid == sample_id and text.startswith(start)), None)


def _parts(span):
    return span.parts or ((span.start, span.end),)


def _overlap(a, b) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in _parts(a) for s2, e2 in _parts(b))


@pytest.fixture(scope="module")
def results(pipeline):
    return {s.id: pipeline(s.text, s.id) for s in SAMPLES}


def _finish(failures: list[str], known: list[str]) -> None:
    assert not failures, "\n".join(failures)
    if known:
        pytest.xfail("known segmentation gaps:\n" + "\n".join(known))


@pytest.mark.parametrize("sample_id", IDS)
def test_statements_found_with_speaker_and_party(results, sample_id):
    sample, result = BY_ID[sample_id], results[sample_id]
    assert result.error is None, result.error
    failures, known, fixed = [], [], []
    for gold in sample.statements:
        where = f"{sample_id} [{gold.cue}] {gold.content.text[:60]!r}"
        hits = [st for st in result.statements if _overlap(st.content, gold.content) > 0]
        if not hits:
            problem = f"{where}: not found"
        else:
            best = max(hits, key=lambda st: (_overlap(st.content, gold.content),
                                             (st.cue.text if st.cue else None) == gold.cue, -st.content.start))
            got = (best.speaker.name, best.speaker.party) if best.speaker else (None, None)
            problem = None if got == (gold.speaker, gold.party) else \
                f"{where}: speaker {got} (mention {best.speaker.mention.text if best.speaker and best.speaker.mention else None!r}), " \
                f"gold {(gold.speaker, gold.party)}"
        why = _gap(sample_id, gold.content.text)
        if problem and why:
            known.append(f"{problem} ({why})")
        elif problem:
            failures.append(problem)
        elif why:
            fixed.append(where)
    if fixed:
        warnings.warn(f"KNOWN_GAPS entries now pass, remove them: {fixed}")
    _finish(failures, known)


@pytest.mark.parametrize("sample_id", IDS)
def test_no_statement_strings_yield_nothing(results, sample_id):
    sample, result = BY_ID[sample_id], results[sample_id]
    failures, known = [], []
    for ns in sample.no_statement:
        bad = [st for st in result.statements
               if _overlap(st.content, ns) > 0 or (st.cue is not None and ns.start <= st.cue.start < ns.end)]
        if bad:
            problem = f"{sample_id}: {ns.text[:60]!r} yields {[st.content.text[:40] for st in bad]}"
            why = _gap(sample_id, ns.text)
            (known if why else failures).append(f"{problem} ({why})" if why else problem)
    _finish(failures, known)


@pytest.mark.parametrize("sample_id", IDS)
def test_gold_parties_all_found(results, sample_id):
    sample, result = BY_ID[sample_id], results[sample_id]
    found = [p.name for p in result.parties]
    missing = [p for p in sample.parties if p not in found]
    extra = [p for p in found if p not in sample.parties]
    assert not missing, f"{sample_id}: missing parties {missing} (found {found}; not in gold: {extra})"


def test_party_precision_report(results, record_property):
    """Recall is 1.0 (above); precision over all samples is reported and must stay above a floor."""
    lines, found_total, correct_total = [], 0, 0
    for sample in SAMPLES:
        found = [p.name for p in results[sample.id].parties]
        correct = [p for p in found if p in sample.parties]
        found_total, correct_total = found_total + len(found), correct_total + len(correct)
        extra = [p for p in found if p not in sample.parties]
        lines.append(f"{sample.id}: precision {len(correct)}/{len(found)}" + (f", not in gold: {extra}" if extra else ""))
    precision = correct_total / found_total if found_total else 1.0
    record_property("party_precision", round(precision, 4))
    print("\n".join(lines + [f"party precision {correct_total}/{found_total} = {precision:.3f}"]))
    assert precision >= PARTY_PRECISION_FLOOR, "\n".join(lines)
