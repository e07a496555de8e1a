"""``claimstance export`` and ``claimstance.io``: tables and networks from infer output, read back
with pandas and networkx; the input records' own fields passed through ``claimstance infer``."""

from __future__ import annotations

import json

import pytest

from claimstance.cli import main
from claimstance.io import speaker_party_graph, statement_rows, to_dataframe

nx = pytest.importorskip("networkx")
pd = pytest.importorskip("pandas")


def _span(text: str, start: int = 0) -> dict:
    return {"start": start, "end": start + len(text), "text": text}


def _statement(sid: str, speaker: str, party, stances, members=None) -> dict:
    sp = {"name": speaker, "mention": _span(speaker), "party": party}
    if members:
        sp["members"] = members
    return {"id": sid, "kind": "indirect", "content": _span("the deal was broken", 20), "cue": _span("said", 15),
            "speaker": sp, "stances": [{"target": t, "label": lab, "score": sc} for t, lab, sc in stances]}


RECORDS = [
    {"id": "a1", "meta": {"date": "2024-03-02", "outlet": "Daily", "content": "clashes with ours"},
     "statements": [_statement("s1", "William Ruto", "Kenya", [("Uganda", "against", 0.9), ("Tanzania", "favor", 0.7)]),
                    _statement("s2", "William Ruto", "Kenya", [("Uganda", "against", 0.8)]),
                    _statement("s3", "William Ruto", "Kenya", [])],
     "parties": [{"name": "William Ruto", "type": "person", "mentions": []}, {"name": "Uganda", "type": "country", "mentions": []},
                 {"name": "Tanzania", "type": "country", "mentions": []}],
     "stance_matrix": [], "error": None},
    {"id": "a2", "meta": {"date": "2024-04-10", "outlet": "Weekly"},
     "statements": [_statement("s1", "William Ruto", "Kenya", [("Uganda", "neutral", 0.6)]),
                    _statement("s2", "Kenya and Tanzania", None, [("Uganda", "against", 0.7)], members=["Kenya", "Tanzania"])],
     "parties": [{"name": "Kenya", "type": "country", "mentions": []}, {"name": "African Union", "type": "organisation", "mentions": []}],
     "stance_matrix": [], "error": None},
    {"id": "bad", "statements": [], "parties": [], "stance_matrix": [], "error": {"type": "EmptyText", "message": "text is empty"}},
]


@pytest.fixture
def results(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    return path


def test_one_row_per_statement_and_target_with_the_records_own_fields():
    rows = list(statement_rows(RECORDS))
    assert len(rows) == 3 + 1 + 2  # a1: 2 + 1 targets and a statement with none; a2: 2; the error record: none
    first = rows[0]
    assert (first["article"], first["statement"], first["speaker"], first["speaker_party"], first["target"],
            first["label"], first["score"], first["cue"], first["content"]) == (
        "a1", "s1", "William Ruto", "Kenya", "Uganda", "against", 0.9, "said", "the deal was broken")
    assert first["date"] == "2024-03-02" and first["outlet"] == "Daily"
    assert first["meta.content"] == "clashes with ours" and first["content"] == "the deal was broken"  # no clash
    assert [r["target"] for r in rows if r["statement"] == "s3"] == [None]  # no statement lost


def test_to_dataframe_puts_our_columns_first():
    frame = to_dataframe(RECORDS)
    assert list(frame.columns[:4]) == ["article", "statement", "kind", "speaker"]
    assert len(frame) == 6 and {"date", "outlet"} <= set(frame.columns)
    assert to_dataframe([]).empty


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_tables_read_back_with_pandas(results, tmp_path, fmt):
    out = tmp_path / f"rows.{fmt}"
    assert main(["export", str(results), "--format", fmt, "-o", str(out)]) == 0
    frame = pd.read_csv(out) if fmt == "csv" else pd.read_parquet(out)
    assert len(frame) == 6
    assert frame.loc[0, "target"] == "Uganda" and frame.loc[0, "outlet"] == "Daily"


def test_the_network_aggregates_speaker_to_party_edges():
    graph = speaker_party_graph(RECORDS)
    ruto_uganda = graph.get_edge_data("William Ruto", "Uganda")["all"]
    assert ruto_uganda["count"] == 3 and ruto_uganda["against"] == 2 and ruto_uganda["neutral"] == 1
    assert ruto_uganda["mean_stance"] == pytest.approx(-2 / 3, abs=1e-4)
    assert ruto_uganda["statements"] == "a1:s1 a1:s2 a2:s1"
    assert graph.has_edge("Kenya", "Uganda") and graph.has_edge("Tanzania", "Uganda")  # members, not "Kenya and Tanzania"
    assert not graph.has_node("Kenya and Tanzania")
    assert graph.nodes["Uganda"]["type"] == "country" and graph.nodes["William Ruto"]["type"] == "person"
    assert graph.number_of_edges() == 4


def test_time_windows_split_the_edges():
    graph = speaker_party_graph(RECORDS, window="month")
    windows = {k for _, _, k in graph.edges(keys=True)}
    assert windows == {"2024-03", "2024-04"}
    assert graph.get_edge_data("William Ruto", "Uganda")["2024-03"]["count"] == 2
    with pytest.raises(ValueError):
        speaker_party_graph(RECORDS, window="week")


@pytest.mark.parametrize("fmt, read", [("graphml", "read_graphml"), ("gexf", "read_gexf")])
def test_networks_read_back_with_networkx(results, tmp_path, fmt, read):
    out = tmp_path / f"net.{fmt}"
    assert main(["export", str(results), "--format", fmt, "-o", str(out)]) == 0
    graph = getattr(nx, read)(out)
    assert graph.number_of_nodes() == 4 and graph.number_of_edges() == 4
    assert graph.nodes["Uganda"]["type"] == "country"


def test_window_on_a_table_is_a_clear_error(results, tmp_path, capsys):
    assert main(["export", str(results), "--format", "csv", "-o", str(tmp_path / "x.csv"), "--window", "year"]) == 2
    assert "--window is for the network formats" in capsys.readouterr().err


def test_infer_passes_the_records_own_fields_through(tmp_path):
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text(json.dumps({"id": "d1", "text": "Kenya said Uganda had broken the deal.", "date": "2024-05-01",
                               "outlet": "Daily"}) + "\n" + json.dumps({"id": "d2", "text": "", "outlet": "Weekly"}) + "\n"
                   + json.dumps({"id": "d3", "text": "No fields here."}) + "\n")
    # exit status 3: a record failed (the empty text), the others have their results
    assert main(["infer", str(inp), "--output", str(out), "stance_model=null", "segment.mode=rules", "--no-progress"]) == 3
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert records[0]["meta"] == {"date": "2024-05-01", "outlet": "Daily"}
    assert records[1]["error"]["type"] == "EmptyText" and records[1]["meta"] == {"outlet": "Weekly"}
    assert "meta" not in records[2]
    assert all(p["type"] in ("person", "country", "organisation", "other") for r in records for p in r["parties"])
    rows = list(statement_rows(records))
    assert rows and rows[0]["outlet"] == "Daily"
