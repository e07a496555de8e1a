"""Acceptance on our sample gold (``data/samples/``): the full pipeline over the dev half (7 articles).

The test half (the other 7) is for figures only (``configs/eval/samples.yaml``): nothing here looks at it.

Per article:
- every gold statement is found: a predicted statement whose content covers at least half of
  the gold content's characters (the best one: the largest overlap, then the same cue, then the
  earliest), and that statement has the
  gold canonical speaker name and the gold party;
- no ``no_statement`` string yields a statement (no content overlaps it, no cue lies in it);
- every party of the gold list is found (recall 1.0); precision is reported, with a floor.
"""

from __future__ import annotations

import pytest

from claimstance.data.samples import SAMPLE_SPLITS, load_samples
from claimstance.evaluate.attribution import overlap
from claimstance.evaluate.sample_stances import best_match

SAMPLES = load_samples(split="dev")
BY_ID = {s.id: s for s in SAMPLES}
IDS = [s.id for s in SAMPLES]

PARTY_PRECISION_FLOOR = 0.85


def test_the_samples_split_in_two_halves():
    halves = {split: [s.id for s in load_samples(split=split)] for split in SAMPLE_SPLITS}
    assert len(halves["dev"]) == len(halves["test"]) == 7 and not set(halves["dev"]) & set(halves["test"])
    assert sorted(halves["dev"] + halves["test"]) == [s.id for s in load_samples()]
    with pytest.raises(ValueError, match="split"):
        load_samples(split="train")


@pytest.fixture(scope="module")
def results(pipeline):
    return {s.id: pipeline(s.text, s.id) for s in SAMPLES}


@pytest.mark.parametrize("sample_id", IDS)
def test_statements_found_with_speaker_and_party(results, sample_id):
    sample, result = BY_ID[sample_id], results[sample_id]
    assert result.error is None, result.error
    failures = []
    for gold in sample.statements:
        where = f"{sample_id} [{gold.cue}] {gold.content.text[:60]!r}"
        best = best_match(gold, result.statements)
        if best is None:
            problem = f"{where}: not found"
        else:
            got = (best.speaker.name, best.speaker.party) if best.speaker else (None, None)
            problem = None if got == (gold.speaker, gold.party) else \
                f"{where}: speaker {got} (mention {best.speaker.mention.text if best.speaker and best.speaker.mention else None!r}), " \
                f"gold {(gold.speaker, gold.party)}"
        if problem:
            failures.append(problem)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("sample_id", IDS)
def test_no_statement_strings_yield_nothing(results, sample_id):
    sample, result = BY_ID[sample_id], results[sample_id]
    failures = []
    for ns in sample.no_statement:
        bad = [st for st in result.statements
               if overlap(st.content, ns) > 0 or (st.cue is not None and ns.start <= st.cue.start < ns.end)]
        if bad:
            failures.append(f"{sample_id}: {ns.text[:60]!r} yields {[st.content.text[:40] for st in bad]}")
    assert not failures, "\n".join(failures)


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


# measured with the shipped model v2 on the dev half (86 gold stances, 2026-12-07): accuracy 0.512,
# macro-F1 0.498, targets found 0.884 (docs/results.md; v1 had 0.547 and 0.560); floors a little
# below catch regressions
SAMPLE_STANCE_FLOORS = {"targets_found": 0.85, "accuracy": 0.47, "macro_f1": 0.46}


def test_sample_gold_stances(results):
    """``infer`` fills stances and the matrix on every article, and labels the gold stances."""
    from claimstance.evaluate.sample_stances import score_sample_stances

    for sample in SAMPLES:
        result = results[sample.id]
        assert any(st.stances for st in result.statements), sample.id
        assert result.stance_matrix, sample.id
    scores = score_sample_stances(SAMPLES, results)
    print({k: round(v, 3) for k, v in scores.items() if k != "misses"})
    for name, floor in SAMPLE_STANCE_FLOORS.items():
        assert scores[name] >= floor, (name, scores[name])
