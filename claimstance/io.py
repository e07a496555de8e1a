"""Results out to tables and networks: ``claimstance export`` and ``to_dataframe``.

Input: ``claimstance infer`` output records (JSON lines, or the dicts themselves).

- **Rows** (:func:`statement_rows`): one per (article, statement, target), with the speaker, the
  speaker's party, the target, label and score, the cue and content text and offsets, and the
  record's own input fields (``meta``: "date", "outlet", ...; a field named like one of ours gets a
  ``meta.`` prefix). A statement with no stance still gets one row (target empty), so no statement
  is lost; an error record gets none.
- **Network** (:func:`speaker_party_graph`): speaker → target edges over a corpus, one per pair
  (and per time window of the records' ``date`` when asked): ``count`` (statements), ``favor``,
  ``against``, ``neutral`` (counts), ``mean_stance`` (favor +1, against -1, neutral 0, averaged),
  ``statements`` ("article:statement" ids). Nodes are typed ``person``, ``country``,
  ``organisation`` (the parties' own types) or ``other``.

pandas, pyarrow and networkx are needed only for the formats that use them (the ``export`` extra).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

__all__ = ["FORMATS", "WINDOWS", "export", "read_results", "speaker_party_graph", "statement_rows", "to_dataframe"]

FORMATS = ("csv", "parquet", "graphml", "gexf")
WINDOWS = ("year", "month", "day")
SIGN = {"favor": 1, "against": -1, "neutral": 0}
ROW_FIELDS = ("article", "statement", "kind", "speaker", "speaker_mention", "speaker_party", "target", "label",
              "score", "cue", "content", "content_start", "content_end")


def read_results(path: str | Path) -> Iterator[dict]:
    """The records of an infer output file, in order (blank lines skipped)."""
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise ValueError(f"{path}:{n}: not a JSON line: {exc}") from None


def statement_rows(records: Iterable[dict]) -> Iterator[dict[str, Any]]:
    """One row per (article, statement, target); see the module doc."""
    for record in records:
        meta = {(f"meta.{k}" if k in ROW_FIELDS else k): v for k, v in (record.get("meta") or {}).items()}
        for s in record.get("statements") or ():
            speaker = s.get("speaker") or {}
            cue = s.get("cue") or {}
            base = {"article": record["id"], "statement": s["id"], "kind": s["kind"], "speaker": speaker.get("name"),
                    "speaker_mention": (speaker.get("mention") or {}).get("text"), "speaker_party": speaker.get("party"),
                    "cue": cue.get("text"), "content": s["content"]["text"], "content_start": s["content"]["start"],
                    "content_end": s["content"]["end"]}
            for j in s.get("stances") or [{"target": None, "label": None, "score": None}]:
                yield {**base, "target": j["target"], "label": j["label"], "score": j["score"], **meta}


def to_dataframe(records: Iterable[dict]):
    """:func:`statement_rows` as a pandas DataFrame (our columns first, then the records' own fields)."""
    import pandas as pd

    rows = list(statement_rows(records))
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=list(ROW_FIELDS))
    return frame[list(ROW_FIELDS) + [c for c in frame.columns if c not in ROW_FIELDS]]


def _window(date: Any, window: Optional[str]) -> Optional[str]:
    """The time window of an ISO date ("2016-07-18..." -> "2016", "2016-07", "2016-07-18")."""
    if window is None:
        return None
    if not isinstance(date, str) or len(date) < 4:
        return "undated"
    return date[: {"year": 4, "month": 7, "day": 10}[window]]


def speaker_party_graph(records: Iterable[dict], window: Optional[str] = None):
    """A networkx ``MultiDiGraph`` of speaker → target edges over the records (see the module doc);
    with ``window``, one edge per pair and time window of the record's ``meta.date``."""
    import networkx as nx

    if window is not None and window not in WINDOWS:
        raise ValueError(f"window must be one of {', '.join(WINDOWS)}, got {window!r}")
    types: dict[str, str] = {}
    edges: dict[tuple, dict] = defaultdict(lambda: {"count": 0, "favor": 0, "against": 0, "neutral": 0, "sum": 0,
                                                    "statements": []})
    for record in records:
        for p in record.get("parties") or ():
            types.setdefault(p["name"], p.get("type") or "other")
        when = _window((record.get("meta") or {}).get("date"), window)
        for s in record.get("statements") or ():
            speaker = s.get("speaker") or {}
            names = speaker.get("members") or ([speaker["name"]] if speaker.get("name") else [])
            for j in s.get("stances") or ():
                for name in names:
                    e = edges[(name, j["target"], when)]
                    e["count"] += 1
                    e[j["label"]] += 1
                    e["sum"] += SIGN[j["label"]]
                    e["statements"].append(f"{record['id']}:{s['id']}")
    graph = nx.MultiDiGraph()
    for (source, target, when), e in edges.items():
        for node in (source, target):
            if node not in graph:
                graph.add_node(node, type=types.get(node, "other"))
        attrs = {"count": e["count"], "favor": e["favor"], "against": e["against"], "neutral": e["neutral"],
                 "mean_stance": round(e["sum"] / e["count"], 4), "statements": " ".join(e["statements"])}
        if window is not None:
            attrs["window"] = when
        graph.add_edge(source, target, key=when or "all", **attrs)
    return graph


def export(results: str | Path, fmt: str, output: str | Path, window: Optional[str] = None) -> dict[str, int]:
    """Write ``results`` (an infer output file) as ``fmt``; returns what was written (rows, or nodes and edges)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if fmt in ("csv", "parquet"):
        frame = to_dataframe(read_results(results))
        if fmt == "csv":
            frame.to_csv(output, index=False)
        else:
            frame.to_parquet(output, index=False)
        return {"rows": len(frame)}
    import networkx as nx

    graph = speaker_party_graph(read_results(results), window)
    (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, output)
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
