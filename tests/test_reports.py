"""Evaluation reports: bootstrap intervals and the paired test, each report kind rendered from small
fixtures (attribution on the two brat articles, stance on made-up DSA pairs and on two sample
articles, a corpus of infer records with failures), the numbers in the HTML against metrics.json,
the comparison flagging a regression, and the browser check where Chromium is installed."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

from claimstance.cli import main
from claimstance.config import load_config
from claimstance.data.polnear import iter_polnear
from claimstance.errors import ConfigError
from claimstance.evaluate.attribution import HEADLINE_STATISTICS, doc_units, score_corpus
from claimstance.evaluate.attribution_report import attribution_report
from claimstance.evaluate.bootstrap import bootstrap_ci, paired_bootstrap
from claimstance.evaluate.eval_config import EvalConfig
from claimstance.evaluate.report_doc import fmt, write_report
from claimstance.evaluate.stance_items import MISSING, StanceItem
from claimstance.evaluate.stance_report import stance_report
from claimstance.records import Span, Speaker, Statement

REPO = Path(__file__).resolve().parents[1]
FIX = REPO / "tests" / "fixtures"
DOCS = list(iter_polnear(FIX / "tagger"))
PROV = {"config": "test", "commit": "test"}


# ---------------------------------------------------------------- helpers


def _statement(doc, gold, n: int, *, shift: int = 0, kind=None, source: bool = True) -> Statement:
    parts = [(s + shift, e) for s, e in (gold.content.parts or [(gold.content.start, gold.content.end)])]
    content = Span.from_parts(doc.text, parts)
    mention = gold.source if source and gold.source is not None else None
    speaker = Speaker(mention.text, Span.of(doc.text, mention.start, mention.end)) if mention else None
    return Statement(f"s{n}", kind or gold.kind, content, None, speaker)


def _predictions(perfect: bool = False) -> dict[str, list[Statement]]:
    """Gold as predictions, with (unless perfect) one missed, one boundary error, one wrong source,
    one spurious statement."""
    out = {}
    for d, doc in enumerate(DOCS):
        preds = [_statement(doc, g, n) for n, g in enumerate(doc.attributions)]
        if not perfect and d == 0:
            missed = preds.pop(0)
            preds[0] = _statement(doc, doc.attributions[1], 1, shift=3)  # boundary
            preds[1] = _statement(doc, doc.attributions[2], 2, source=False)  # no source
            preds.append(Statement("x", "indirect", Span.of(doc.text, 0, 25)))  # spurious: the headline
            assert missed.content.text not in [p.content.text for p in preds]
        out[doc.doc_id] = preds
    return out


def _html_numbers(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-key="([^"]+)">([^<]+)<', html))


def _lookup(metrics: dict, key: str):
    for part in key.split("."):
        metrics = metrics[part]
    return metrics


def _check_files(out: Path, metrics: dict) -> str:
    html = (out / "report.html").read_text("utf-8")
    shown = _html_numbers(html)
    assert shown, "no headline figure in the HTML"
    for key, text in shown.items():
        value = _lookup(metrics, key)
        parent = _lookup(metrics, key.rsplit(".", 1)[0]) if "." in key else {}
        expected = fmt(value, percent=isinstance(value, float) and not key.startswith("headline.ece")
                       and "ece" not in key)
        if isinstance(parent, dict) and "ci95" in parent:
            pct = "ece" not in key
            expected += f" [{fmt(parent['ci95'][0], pct)}, {fmt(parent['ci95'][1], pct)}]"
        assert text == expected, (key, text, expected)
    # every figure is embedded, is a real PNG, and is also written beside the report
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', html)
    pngs = sorted(out.glob("*.png"))
    assert images and len(images) == len(pngs)
    import matplotlib.image

    for data in images:
        raw = base64.b64decode(data)
        assert raw[:8] == b"\x89PNG\r\n\x1a\n"
        assert matplotlib.image.imread(io.BytesIO(raw)).shape[0] > 50
    assert "http://" not in html and "https://" not in html  # self-contained
    return html


# ---------------------------------------------------------------- bootstrap


def test_bootstrap_interval_holds_the_value_and_is_reproducible():
    rng = np.random.default_rng(1)
    units = [{"ok": float(x), "n": 1.0} for x in rng.random(200) < 0.7]
    acc = lambda c: c["ok"] / c["n"]  # noqa: E731
    a = bootstrap_ci(units, acc, n_resamples=500, seed=3)
    assert a.low < a.value < a.high and a.value == pytest.approx(np.mean([u["ok"] for u in units]))
    assert 0.05 < a.high - a.low < 0.2  # about 4 standard errors of a 0.7 rate over 200
    assert bootstrap_ci(units, acc, n_resamples=500, seed=3) == a
    with pytest.raises(ValueError):
        bootstrap_ci([], acc)


def test_paired_bootstrap_tells_a_real_difference_from_none():
    rng = np.random.default_rng(2)
    a = [{"ok": float(x), "n": 1.0} for x in rng.random(300) < 0.6]
    better = [{"ok": 1.0, "n": 1.0} if u["ok"] or i % 3 == 0 else u for i, u in enumerate(a)]
    acc = lambda c: c["ok"] / c["n"]  # noqa: E731
    same = paired_bootstrap(a, a, acc)
    assert same.delta == 0 and same.p_value == 1.0
    up = paired_bootstrap(a, better, acc)
    assert up.delta > 0.1 and up.p_value < 0.01 and up.low > 0
    down = paired_bootstrap(better, a, acc)
    assert down.delta < 0 and down.p_value < 0.01 and down.high < 0
    with pytest.raises(ValueError):
        paired_bootstrap(a, a[:-1], acc)


def test_document_units_sum_to_the_corpus_figures():
    preds = _predictions()
    full = score_corpus(DOCS, preds)
    total: dict = {}
    for _, c in doc_units(DOCS, preds):
        for k, v in c.items():
            total[k] = total.get(k, 0) + v
    assert HEADLINE_STATISTICS["overlap_f1"](total) == pytest.approx(full["content"]["overall"]["overlap"]["f1"])
    assert HEADLINE_STATISTICS["exact_f1"](total) == pytest.approx(full["content"]["overall"]["exact"]["f1"])
    assert HEADLINE_STATISTICS["source_accuracy"](total) == pytest.approx(full["source"]["overlap"]["accuracy"])
    assert HEADLINE_STATISTICS["cue_accuracy"](total) == pytest.approx(full["cue"]["overlap"]["accuracy"] or 0.0)


# ---------------------------------------------------------------- attribution


def test_attribution_report_shows_the_scores_and_the_errors(tmp_path):
    preds = _predictions()
    report = attribution_report(DOCS, preds, title="fixture attribution", provenance=PROV, n_resamples=200)
    out = write_report(report, tmp_path / "r")
    metrics = json.loads((out / "metrics.json").read_text("utf-8"))
    full = score_corpus(DOCS, preds)
    assert metrics["headline"]["overlap_f1"]["value"] == pytest.approx(full["content"]["overall"]["overlap"]["f1"])
    assert metrics["full"]["content"] == json.loads(json.dumps(full["content"]))
    assert metrics["error_counts"] == {"missed": 1, "spurious": 1, "wrong source": 1, "boundary": 1}
    assert metrics["by_publisher"]["northgazette"]["n_docs"] == 2
    html = _check_files(out, metrics)
    # the missed statement is shown with its gold span highlighted, the spurious one with the prediction
    missed = DOCS[0].attributions[0].content
    first_piece = DOCS[0].text[missed.parts[0][0]:missed.parts[0][1]] if missed.parts else missed.text
    assert f'<span class="gold">{first_piece.replace(chr(34), "&quot;")}</span>' in html
    assert '<span class="pred">Bridge tolls vote delayed' in html
    md = (out / "report.md").read_text("utf-8")
    assert "| direct |" in md and "## Worst errors" in md and "missed" in md
    assert {p.name for p in out.glob("*.png")} == {"kind_confusion.png", "doc_f1.png"}
    units = [json.loads(line) for line in (out / "units.jsonl").read_text().splitlines()]
    assert [u["id"] for u in units] == [d.doc_id for d in DOCS]


def test_report_command_runs_from_a_config_with_overrides(tmp_path, capsys):
    preds = tmp_path / "preds.jsonl"
    with open(preds, "w") as f:
        for doc_id, statements in _predictions().items():
            f.write(json.dumps({"id": doc_id, "statements": [s.to_dict() for s in statements], "parties": [],
                                "stance_matrix": [], "error": None}) + "\n")
    config = tmp_path / "eval.yaml"
    config.write_text("kind: attribution\ndataset: polnear\ntitle: from the CLI\nbootstrap: 100\n")
    out = tmp_path / "report"
    assert main(["evaluate", "report", str(config), f"gold={FIX / 'tagger'}", f"predictions={preds}",
                 f"output_dir={out}", "progress=false"]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["title"] == "from the CLI" and metrics["provenance"]["config"] == str(config)
    assert metrics["provenance"]["commit"] and "sha256" in metrics["provenance"]["model"]
    assert "content overlap F1" in capsys.readouterr().out
    _check_files(out, metrics)


def test_bad_report_configs_are_clear_errors(tmp_path):
    for bad in (["kind=guess"], ["kind=stance", "dataset=polnear"], ["bootstrap=3"], ["colour=red"]):
        with pytest.raises(ConfigError):
            load_config(EvalConfig, None, bad)
    assert main(["evaluate", "report", str(REPO / "configs/eval/polnear-dev.yaml"), "kind=guess"]) == 2


@pytest.mark.parametrize("name", ["polnear-dev", "dsa-valid", "samples", "newsmtsc-rw-test"])
def test_shipped_report_configs_load(name):
    config = load_config(EvalConfig, REPO / "configs" / "eval" / f"{name}.yaml")
    assert config.output_dir.startswith("out/reports/")


# ---------------------------------------------------------------- stance


def _dsa_items() -> list[StanceItem]:
    """12 DSA rows: the model right on 8 (with high confidence), wrong on 4."""
    rows = [("favor", "neutral")] * 4 + [("neutral", "against")] * 4 + [("neutral", "neutral")] * 4
    preds = rows[:8] + [("against", "neutral"), ("neutral", "favor"), ("favor", "neutral"), ("neutral", "neutral")]
    items = []
    for r, ((g1, g2), (p1, p2)) in enumerate(zip(rows, preds)):
        text = f"Alpha met Beta in row {r}."
        for d, (g, p, spk, tgt) in enumerate(((g1, p1, "Alpha", "Beta"), (g2, p2, "Beta", "Alpha"))):
            conf = 0.9 if g == p else 0.8
            marks = ((text.index(spk), text.index(spk) + len(spk), "speaker"), (text.index(tgt), text.index(tgt) + len(tgt), "target"))
            items.append(StanceItem(f"dsa:t:{r}:{'pq' if d == 0 else 'qp'}", text, spk, tgt, g, p, conf, marks,
                                    None, f"dsa:t:{r}"))
    return items


def test_dsa_stance_report_matches_sklearn_and_flags_confident_errors(tmp_path):
    from sklearn.metrics import f1_score

    from claimstance.data.dsa import DSA_CLASSES, DSA_DIRECTIONS

    items = _dsa_items()
    report = stance_report(items, title="fixture dsa", provenance=PROV, dsa=True, n_resamples=200)
    out = write_report(report, tmp_path / "dsa")
    metrics = json.loads((out / "metrics.json").read_text("utf-8"))
    to_class = {v: k for k, v in DSA_DIRECTIONS.items()}
    gold5 = [to_class[(a.gold, b.gold)] for a, b in zip(items[0::2], items[1::2])]
    from claimstance.data.dsa import dsa_class_from_directions

    pred5 = [dsa_class_from_directions((a.pred, a.confidence), (b.pred, b.confidence)) for a, b in zip(items[0::2], items[1::2])]
    expected = f1_score(gold5, pred5, labels=list(range(len(DSA_CLASSES))), average="macro", zero_division=0)
    assert metrics["headline"]["macro_f1"]["value"] == pytest.approx(expected)
    directed = f1_score([i.gold for i in items], [i.pred for i in items], labels=["favor", "against", "neutral"],
                        average="macro", zero_division=0)
    assert metrics["headline"]["directed_macro_f1"]["value"] == pytest.approx(directed)
    # ECE by hand: 16 right at 0.9 (bin 13), 8 wrong... all in their bins
    conf = np.array([i.confidence for i in items])
    ok = np.array([i.gold == i.pred for i in items], dtype=float)
    by_hand = sum(abs(ok[b].sum() - conf[b].sum()) for b in (conf == 0.9, conf == 0.8)) / len(items)
    assert metrics["headline"]["ece"]["value"] == pytest.approx(by_hand)
    html = _check_files(out, metrics)
    assert {p.name for p in out.glob("*.png")} == {"dsa_confusion.png", "confusion.png", "reliability.png", "scores.png"}
    assert html.count('class="ex"') == sum(i.gold != i.pred for i in items)
    assert '<span class="speaker">Alpha</span>' in html and '<span class="target">Beta</span>' in html
    with pytest.raises(ValueError):
        stance_report(items[:-1], title="odd", provenance=PROV, dsa=True)


def test_stance_items_of_one_article_are_one_bootstrap_unit():
    items = [StanceItem(f"i{k}", "t", "s", "x", "favor", "favor" if k % 2 else "against", 0.7, (), "doc", unit=f"doc{k // 3}")
             for k in range(6)]
    report = stance_report(items, title="units", provenance=PROV, n_resamples=50)
    assert [u["id"] for u in report.units] == ["doc0", "doc1"]
    assert sum(u["cm|favor|favor"] + u.get("cm|favor|against", 0) for u in report.units) == 6
    assert report.metrics["by_group"] == {"doc": {"items": 6, "accuracy": 0.5, "found": 1.0}}


def test_a_role_with_nothing_to_score_reads_as_a_dash_not_zero(tmp_path):
    doc = DOCS[0]
    gold = [dataclasses.replace(g, cue=None) for g in doc.attributions]
    docs = [dataclasses.replace(doc, attributions=tuple(gold))]
    report = attribution_report(docs, _predictions(perfect=True), title="no cues", provenance=PROV, n_resamples=20)
    out = write_report(report, tmp_path / "r")
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["headline"]["cue_accuracy"]["value"] is None
    assert _html_numbers((out / "report.html").read_text())["headline.cue_accuracy.value"] == "–"


def test_sample_gold_report_runs_the_pipeline(tmp_path):
    from claimstance.data.samples import load_samples
    from claimstance.evaluate.stance_items import sample_items

    config = load_config(EvalConfig, REPO / "configs/eval/samples.yaml", ["limit=2", "progress=false"])
    items = sample_items(config)
    samples = load_samples(split="test")[:2]  # the config reports on the test half
    assert len(items) == sum(len(s.stances) for d in samples for s in d.statements)
    assert {i.group for i in items} == {d.id for d in samples}
    for it in items:
        assert (it.pred == MISSING) == (it.confidence is None)
        for s, e, c in it.marks:
            assert 0 <= s < e <= len(it.text)
    report = stance_report(items, title="samples", provenance=PROV, n_resamples=100)
    out = write_report(report, tmp_path / "samples")
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["n_items"] == len(items)
    html = _check_files(out, metrics)
    assert "By article" in html


# ---------------------------------------------------------------- comparison and corpus


def test_compare_flags_a_regression_and_exits_1_when_asked(tmp_path, capsys):
    docs = DOCS * 15  # the same two articles as 30 units, so a real difference can be significant
    docs = [dataclasses.replace(d, doc_id=f"{d.doc_id}-{i}") for i, d in enumerate(docs)]
    good = {d.doc_id: p for d in docs for p in [_predictions(perfect=True)[d.doc_id.rsplit("-", 1)[0]]]}
    bad = {d.doc_id: p for d in docs for p in [_predictions()[d.doc_id.rsplit("-", 1)[0]]]}
    for name, preds in (("good", good), ("bad", bad)):
        write_report(attribution_report(docs, preds, title=name, provenance=PROV, n_resamples=100), tmp_path / name)
    out = tmp_path / "cmp"
    assert main(["evaluate", "compare", str(tmp_path / "good"), str(tmp_path / "bad"), "-o", str(out),
                 "--fail-on-regression", "--bootstrap", "300"]) == 1
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["regression"] and "overlap_f1" in metrics["regressions"]
    assert metrics["figures"]["overlap_f1"]["delta"] < 0 and metrics["figures"]["overlap_f1"]["p_value"] < 0.05
    html = _check_files(out, metrics)
    assert "REGRESSION" in html and "p" in html
    # the other way round it is an improvement, and the same run against itself changes nothing
    assert main(["evaluate", "compare", str(tmp_path / "bad"), str(tmp_path / "good"), "-o", str(tmp_path / "c2"),
                 "--fail-on-regression"]) == 0
    assert json.loads((tmp_path / "c2" / "metrics.json").read_text())["improvements"]
    assert main(["evaluate", "compare", str(tmp_path / "good"), str(tmp_path / "good"), "-o", str(tmp_path / "c3")]) == 0
    assert not json.loads((tmp_path / "c3" / "metrics.json").read_text())["regression"]
    assert main(["evaluate", "compare", str(tmp_path / "good"), str(tmp_path / "nothing"), "-o", str(tmp_path / "c4")]) == 2


def test_corpus_report_counts_speakers_parties_stances_and_failures(tmp_path):
    from claimstance.evaluate.corpus_report import corpus_report

    def rec(i, speaker, party, label):
        st = {"id": "s1", "kind": "indirect", "content": {"start": 0, "end": 3, "text": "abc"}, "cue": None,
              "speaker": {"name": speaker, "mention": None, "party": party}, "stances": [{"target": party, "label": label, "score": 0.9}]}
        return json.dumps({"id": f"d{i}", "statements": [st], "parties": [{"name": party, "mentions": []}],
                           "stance_matrix": [{"speaker": speaker, "target": party, "label": label, "score": 0.9,
                                              "evidence": ["s1"]}], "error": None})

    lines = [rec(1, "Ruto", "Kenya", "favor"), rec(2, "Ruto", "Kenya", "against"), rec(3, "Ruto", "Kenya", "favor"),
             rec(4, "Lee", "China", "against"),
             json.dumps({"id": "d5", "statements": [], "parties": [], "stance_matrix": [],
                         "error": {"type": "TextTooLong", "message": "too long"}}),
             "{not json", json.dumps({"id": "d7", "statements": ["not an object"]}), json.dumps([1, 2])]
    report = corpus_report(lines, provenance=PROV, title="corpus")
    out = write_report(report, tmp_path / "corpus")
    m = json.loads((out / "metrics.json").read_text())
    assert (m["records"], m["ok"], m["failed"], m["malformed_lines"]) == (8, 4, 1, 3)
    assert m["errors_by_type"] == {"TextTooLong": 1, "malformed output line": 3} and "d5" in m["error_ids"]
    assert m["top_speakers"][0] == ["Ruto", 3] and m["statements_by_kind"]["indirect"] == 4
    sp = m["speaker_party_matrix"]
    i, j = sp["speakers"].index("Ruto"), sp["parties"].index("Kenya")
    assert sp["mean_stance"][i][j] == pytest.approx(1 / 3, abs=1e-4) and sp["articles"][i][j] == 3
    assert sp["mean_stance"][i][sp["parties"].index("China")] is None
    _check_files(out, m)
    assert (out / "speaker_party.png").is_file()


def test_corpus_command_on_an_infer_output(tmp_path, capsys):
    path = tmp_path / "out.jsonl"
    path.write_text(json.dumps({"id": "a", "statements": [], "parties": [], "stance_matrix": [], "error": None}) + "\n")
    assert main(["evaluate", "corpus", str(path), "-o", str(tmp_path / "c")]) == 0
    assert json.loads((tmp_path / "c" / "metrics.json").read_text())["records"] == 1
    assert main(["evaluate", "corpus", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "d")]) == 2


# ---------------------------------------------------------------- in a browser


def test_report_html_shows_every_figure_in_chromium(tmp_path):
    from claimstance.evaluate.browser_check import check_html, find_chromium

    if find_chromium() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); docs/evaluation.md gives the check")
    out = write_report(attribution_report(DOCS, _predictions(), title="browser", provenance=PROV, n_resamples=50),
                       tmp_path / "r")
    result = check_html(out / "report.html", tmp_path / "shot.png")
    assert result["images"] == result["decoded"] == 2 and (tmp_path / "shot.png").stat().st_size > 10_000
    broken = tmp_path / "broken.html"
    broken.write_text((out / "report.html").read_text().replace("base64,iVBOR", "base64,XXXX"))
    with pytest.raises(RuntimeError, match="0 of 2"):
        check_html(broken)
