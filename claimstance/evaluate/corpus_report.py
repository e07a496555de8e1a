"""The corpus report: what a batch ``infer`` output says, without gold.

Read in one pass (constant memory per record; only the tallies grow): records, error records by
type, statements by kind, the top speakers and parties, and the speaker x party stance matrix
summed over articles (mean signed stance: favor +1, neutral 0, against -1, each cell weighted by
its articles). A malformed output line is counted as such, never fatal.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable

from claimstance.evaluate.figures import bars_png, heatmap_png
from claimstance.evaluate.report_doc import Figure, Headline, Report, Section, Table, Text
from claimstance.records import KINDS, LABELS

__all__ = ["corpus_report", "build_corpus_report", "SIGN"]

SIGN = {"favor": 1.0, "neutral": 0.0, "against": -1.0}
MAX_IDS = 1000  # failed ids kept for the report


def build_corpus_report(path: str | Path, provenance: dict[str, Any], *, top: int = 15, title: str | None = None) -> Report:
    path = Path(path)
    with open(path, encoding="utf-8") as f:
        return corpus_report(f, provenance={"data": str(path), **provenance}, top=top,
                             title=title or f"Corpus report: {path.name}")


def corpus_report(lines: Iterable[str], *, provenance: dict[str, Any], top: int = 15, title: str = "Corpus report") -> Report:
    t = _Tally()
    for n, line in enumerate(lines, start=1):
        if line.strip():
            t.add(line, n)
    # the heatmap's rows and columns: the speakers and parties with the most stance cells
    by_speaker, by_party = Counter(), Counter()
    for (s, p), (_, n_articles) in t.cells.items():
        by_speaker[s] += n_articles
        by_party[p] += n_articles
    speakers = [name for name, _ in by_speaker.most_common(top)]
    parties = [name for name, _ in by_party.most_common(top)]
    matrix = [[t.cells[(s, p)][0] / t.cells[(s, p)][1] if t.cells[(s, p)][1] else float("nan") for p in parties]
              for s in speakers]
    cell_counts = [[t.cells[(s, p)][1] for p in parties] for s in speakers]
    ok = t.records - t.failed - t.malformed
    metrics = {
        "records": t.records, "ok": ok, "failed": t.failed, "malformed_lines": t.malformed,
        "errors_by_type": dict(t.error_types.most_common()), "error_ids": t.error_ids[:50],
        "statements": sum(t.kinds.values()), "statements_by_kind": {k: t.kinds[k] for k in KINDS},
        "stances_by_label": {k: t.labels[k] for k in LABELS},
        "top_speakers": t.speakers.most_common(top), "top_parties": t.parties.most_common(top),
        "speaker_party_matrix": {"speakers": speakers, "parties": parties,
                                 "mean_stance": [[None if v != v else round(v, 4) for v in row] for row in matrix],
                                 "articles": cell_counts},
    }
    headline = [Headline("records", "records", t.records, percent=False),
                Headline("ok", "ok", ok, percent=False),
                Headline("failed (error records)", "failed", t.failed, percent=False),
                Headline("malformed output lines", "malformed_lines", t.malformed, percent=False),
                Headline("statements", "statements", metrics["statements"], percent=False)]
    figures = []
    if speakers and parties:
        figures.append(Figure("Speaker x party stance", "speaker_party.png",
                              heatmap_png(matrix, speakers, parties, "mean stance of speaker toward party", cell_counts),
                              "Mean signed stance over the articles where the speaker takes a stance toward the party; "
                              "the number in a cell is how many articles."))
    if speakers:
        figures.append(Figure("Top speakers", "speakers.png", bars_png(t.speakers.most_common(top), "statements per speaker")))
    if parties:
        figures.append(Figure("Top parties", "parties.png", bars_png(t.parties.most_common(top), "articles per party")))
    kinds = [(k, t.kinds[k]) for k in KINDS]
    figures.append(Figure("Statement kinds", "kinds.png", bars_png(kinds, "statements by kind")))
    sections = [
        Section("Statements", [Table("By kind", ["kind", "statements"], kinds),
                               Table("Stances by label", ["label", "judgments"], [[k, t.labels[k]] for k in LABELS])]),
        Section("Speakers and parties", [Table("Top speakers", ["speaker", "statements"], t.speakers.most_common(top)),
                                         Table("Top parties", ["party", "articles"], t.parties.most_common(top))]),
        Section("Figures", figures),
        Section("Errors", [Table("Error records by type", ["type", "records"], t.error_types.most_common()),
                           Text("First failed ids: " + (", ".join(t.error_ids[:20]) or "none"))]),
    ]
    return Report(title=title, kind="corpus", provenance=provenance, headline=headline, sections=sections, metrics=metrics)


class _Tally:
    def __init__(self) -> None:
        self.records = self.failed = self.malformed = 0
        self.error_types: Counter = Counter()
        self.error_ids: list[str] = []
        self.kinds: Counter = Counter()
        self.labels: Counter = Counter()
        self.speakers: Counter = Counter()
        self.parties: Counter = Counter()
        self.cells: defaultdict = defaultdict(lambda: [0.0, 0])  # (speaker, party) -> [sum of signs, articles]

    def add(self, line: str, n: int) -> None:
        self.records += 1
        try:
            self._add(json.loads(line))
        except (ValueError, AttributeError, TypeError, KeyError):
            self.malformed += 1
            self.error_types["malformed output line"] += 1
            self._note(f"line {n}")

    def _note(self, what: str) -> None:
        if len(self.error_ids) < MAX_IDS:
            self.error_ids.append(what)

    def _add(self, rec: dict) -> None:
        error = rec.get("error")
        if error:
            self.failed += 1
            self.error_types[str(error.get("type", "?")) if isinstance(error, dict) else str(error)] += 1
            self._note(str(rec.get("id")))
            return
        statements = rec.get("statements") or []
        for st in statements:
            self.kinds[st.get("kind")] += 1
            speaker = (st.get("speaker") or {}).get("name")
            if speaker:
                self.speakers[speaker] += 1
            for j in st.get("stances") or ():
                self.labels[j.get("label")] += 1
        for party in rec.get("parties") or ():
            self.parties[party.get("name")] += 1
        for cell in rec.get("stance_matrix") or ():
            if cell.get("label") in SIGN:
                acc = self.cells[(cell.get("speaker"), cell.get("target"))]
                acc[0] += SIGN[cell["label"]]
                acc[1] += 1
