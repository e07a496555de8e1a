"""Stance readers (DSA, NewsMTSC, BASIL) → StanceExample, on invented fixtures in each format,
plus one check per data set against the real files when the data root has them."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

import pytest

from claimstance.data.basil import read_basil
from claimstance.data.dsa import DSA_DIRECTIONS, dsa_class_from_directions, read_dsa, snap_span
from claimstance.data.newsmtsc import read_newsmtsc
from claimstance.data.root import DataRootNotFound, default_data_root
from claimstance.data.stance_examples import ReadStats, StanceExample

FIX = Path(__file__).parent / "fixtures" / "stance"


def _data(*parts: str) -> Path:
    try:
        root = default_data_root()
    except DataRootNotFound as exc:
        pytest.skip(f"no data root: {exc}")
    path = root.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not found; set CLAIMSTANCE_DATA to a folder holding {'/'.join(parts)}")
    return path


# ---------------------------------------------------------------- StanceExample


def test_stance_example_validates():
    ok = StanceExample("Ana praised Ben.", "Ana", (0, 3), "Ben", (12, 15), "favor", "t:x:1")
    assert ok.text[slice(*ok.target_span)] == "Ben"
    StanceExample("Ana praised Ben.", None, None, "Ben", None, "neutral", "t:x:1")
    with pytest.raises(ValueError, match="label"):
        StanceExample("Ana praised Ben.", "Ana", (0, 3), "Ben", (12, 15), "positive", "t:x:1")
    with pytest.raises(ValueError, match="covers"):
        StanceExample("Ana praised Ben.", "Ana", (0, 4), "Ben", (12, 15), "favor", "t:x:1")
    with pytest.raises(ValueError, match="outside"):
        StanceExample("Ana praised Ben.", "Ana", (0, 3), "Ben", (12, 99), "favor", "t:x:1")
    with pytest.raises(ValueError, match="without a speaker"):
        StanceExample("Ana praised Ben.", None, (0, 3), "Ben", None, "favor", "t:x:1")


# ---------------------------------------------------------------- DSA


@pytest.mark.parametrize(
    "text, bracket, snapped",
    [
        ("Los Angeles is big", (0, 10), "Los Angeles"),
        ("Kasich’s plan", (0, 7), "Kasich"),
        ("Mr. Mubarak's fall", (4, 11), "Mubarak"),
        ("the Brussels attack", (4, 11), "Brussels"),
        ("a  Juror said", (2, 8), "Juror"),
        ("Democrats’ plan", (0, 10), "Democrats"),
    ],
)
def test_snap_span(text, bracket, snapped):
    s, e = snap_span(text, *bracket)
    assert text[s:e] == snapped


def test_read_dsa_both_directions_mapping_and_snapping(caplog):
    stats = ReadStats()
    with caplog.at_level(logging.WARNING, logger="claimstance.data.dsa"):
        ex = list(read_dsa(FIX / "dsa_sample.txt", stats=stats))
    assert stats.rows == 10 and stats.skipped == 4 and stats.examples == len(ex) == 12
    assert stats.reasons == Counter({"brackets": 1, "label": 1, "columns": 1, "entity mismatch": 1})
    assert sum("skipping malformed DSA row" in r.message for r in caplog.records) == 4
    by_src = {e.source: e for e in ex}
    got = {(e.speaker, e.target): e.label for e in ex}
    assert got == {
        ("Mayor Lina Okafor", "Councillor Ben Rudd"): "favor",  # 1: p→q positive
        ("Councillor Ben Rudd", "Mayor Lina Okafor"): "neutral",
        ("The Green Party", "Tomas Vell"): "neutral",  # 2: q→p positive, brackets snapped
        ("Tomas Vell", "The Green Party"): "favor",
        ("Harbour", "Reyna"): "against",  # 3: p→q negative; [Reyna’]s → Reyna
        ("Reyna", "Harbour"): "neutral",
        ("Dario Frost", "the Union of Farmers"): "neutral",  # 4: q→p negative
        ("the Union of Farmers", "Dario Frost"): "against",
        ("Ana Pell", "Oskar Lind"): "neutral",  # 0
        ("Oskar Lind", "Ana Pell"): "neutral",
        ("Vera Stone", 'Omar Reyes.""The'): "neutral",  # CSV-quoted entity column accepted
        ('Omar Reyes.""The', "Vera Stone"): "neutral",
    }
    pq, qp = by_src["dsa:dsa_sample:2:pq"], by_src["dsa:dsa_sample:2:qp"]
    assert pq.text == qp.text == "The Green Party was thanked by Tomas Vell's allies at the rally."
    assert pq.speaker_span == qp.target_span and pq.target_span == qp.speaker_span
    for e in ex:
        assert "[" not in e.text and e.text[slice(*e.speaker_span)] == e.speaker
        assert e.text[slice(*e.target_span)] == e.target


def test_dsa_directions_table_round_trips():
    for cls, (pq, qp) in DSA_DIRECTIONS.items():
        assert dsa_class_from_directions((pq, 0.9), (qp, 0.8)) == cls


@pytest.mark.parametrize(
    "pq, qp, cls",
    [
        (("neutral", 0.9), ("neutral", 0.99), 0),
        (("favor", 0.6), ("neutral", 0.99), 1),
        (("neutral", 0.99), ("favor", 0.6), 2),
        (("against", 0.7), ("neutral", 0.2), 3),
        (("neutral", 0.2), ("against", 0.7), 4),
        (("favor", 0.9), ("against", 0.8), 1),
        (("favor", 0.7), ("against", 0.8), 4),
        (("against", 0.95), ("favor", 0.6), 3),
        (("against", 0.5), ("favor", 0.51), 2),
        (("against", 0.6), ("against", 0.6), 3),  # tie: p→q wins
    ],
)
def test_dsa_class_from_directions(pq, qp, cls):
    assert dsa_class_from_directions(pq, qp) == cls


def test_dsa_class_from_directions_rejects_bad_label():
    with pytest.raises(ValueError):
        dsa_class_from_directions(("positive", 0.9), ("neutral", 0.1))


def test_real_dsa_valid():
    path = _data("dsa_news", "valid.txt")
    stats = ReadStats()
    ex = list(read_dsa(path, stats=stats))
    assert stats.rows == 1418  # README
    assert len(ex) == 2 * (1418 - stats.skipped) and stats.skipped <= 5
    labels = Counter(e.label for e in ex)
    # README class counts 935/143/27/272/41, each row giving one non-neutral direction at most
    assert labels["favor"] <= 143 + 27 and labels["against"] <= 272 + 41
    assert labels["favor"] >= 143 + 27 - stats.skipped and labels["against"] >= 272 + 41 - stats.skipped


# ---------------------------------------------------------------- NewsMTSC


def test_read_newsmtsc_fixture(caplog):
    stats = ReadStats()
    with caplog.at_level(logging.WARNING, logger="claimstance.data.newsmtsc"):
        ex = list(read_newsmtsc(FIX / "newsmtsc_sample.jsonl", stats=stats))
    assert [(e.target, e.label) for e in ex] == [
        ("Mara Quinn", "favor"), ("Tom Abel", "against"), ("Senator Ivy Hart", "neutral")
    ]
    assert all(e.speaker is None and e.speaker_span is None for e in ex)
    assert [e.source for e in ex] == [
        "newsmtsc:newsmtsc_sample:1:0", "newsmtsc:newsmtsc_sample:2:0", "newsmtsc:newsmtsc_sample:2:1"
    ]
    assert ex[2].text[32:48] == "Senator Ivy Hart" and ex[2].target_span == (32, 48)
    assert stats.rows == 4 and stats.skipped == 3  # a bad JSON line, a bad polarity, bad offsets
    assert stats.reasons == Counter({"line": 1, "target": 2})
    assert len(caplog.records) >= 3


def test_real_newsmtsc_devtest_rw():
    path = _data("newsmtsc", "devtest_rw.jsonl")
    stats = ReadStats()
    labels = Counter(e.label for e in read_newsmtsc(path, stats=stats))
    assert stats.rows == 1067 and stats.skipped == 0  # README: 1,067 sentences
    assert labels == {"against": 429, "neutral": 455, "favor": 262}  # README: 2.0 / 4.0 / 6.0


# ---------------------------------------------------------------- BASIL


def test_read_basil_fixture(caplog):
    stats = ReadStats()
    with caplog.at_level(logging.WARNING, logger="claimstance.data.basil"):
        ex = list(read_basil(FIX / "basil", stats=stats))
    assert stats.rows == 6 and stats.examples == 3 and stats.skipped == 3
    assert stats.reasons == Counter({"not a quote with speaker and target": 1, "span": 1, "polarity": 1})
    reed, donor, title = ex
    assert (reed.speaker, reed.target, reed.label) == ("Alan Reed", "Senate Democrats", "against")
    assert reed.text.startswith("Governor Alan Reed said")
    assert reed.text[slice(*reed.speaker_span)] == "Alan Reed"
    assert reed.text[slice(*reed.target_span)] == "Senate Democrats"
    assert reed.source == "basil:2012:0000-fake-triplet_1:0"
    assert (donor.speaker, donor.speaker_span, donor.target, donor.label) == (None, None, "Alan Reed", "favor")
    assert donor.text[slice(*donor.target_span)] == "Alan Reed"
    assert title.text == "Governor Reed spars with Senate Democrats"
    assert (title.speaker, title.target, title.target_span) == ("Senate Democrats", "Party Leaders", None)

    assert [e.source for e in read_basil(FIX / "basil", unnamed="skip")] == [reed.source, title.source]
    assert [e.source for e in read_basil(FIX / "basil", aims=("dir",))] == [reed.source, donor.source]


def test_real_basil():
    root = _data("basil")
    stats = ReadStats()
    ex = list(read_basil(root, stats=stats))
    assert stats.rows == 1726 and len(ex) == 722  # README: 1,726 phrases, 722 quotes with a speaker
    assert Counter(e.label for e in ex) == {"against": 565, "favor": 157}
    assert sum(e.speaker is None for e in ex) == 200 + 77 + 65  # other_anti / other_pro / other_neutral
