"""The batch job through its Python API: ``run_job(config, path, out, options, pipeline=pipeline)``.

Every bad input (``BAD_CASES`` in conftest.py, one test each) must give exactly one contract
line per record, in input order, with an error object or a sensible result, and the batch goes on.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from claimstance.config import InferConfig, load_config
from claimstance.infer.jobs.chunk import process_chunk
from claimstance.infer.jobs.engine import JobOptions, run_job
from claimstance.infer.jobs.inputs import InputRecord, iter_jsonl, read_inputs
from claimstance.infer.pipeline import Pipeline
from claimstance.records import DocumentResult


def pipeline_for(pipeline, overrides):
    """The shared pipeline, or one built with config overrides (spaCy itself is cached)."""
    return Pipeline.from_config(load_config(InferConfig, None, overrides)) if overrides else pipeline


def run(pipeline, path, chunk_size: int = 32) -> tuple[str, dict]:
    """The job's output and its counts (records, ok, failed)."""
    out = Path(path).parent / "out.jsonl"
    counts = run_job(pipeline.config, str(path), out, JobOptions(chunk_size=chunk_size, progress=False), pipeline=pipeline)
    return out.read_text("utf-8"), {k: counts[k] for k in ("records", "ok", "failed")}


def run_records(pipeline, records) -> tuple[str, dict]:
    """Output lines and counts for records given in memory (one chunk)."""
    out = process_chunk(pipeline, list(records))
    return "".join(out.lines), {"records": len(out.lines), "ok": len(out.lines) - out.n_failed, "failed": out.n_failed}


def test_bad_input(bad_case, pipeline, write_input, contract):
    path = write_input("articles.jsonl", bad_case.content())
    output, counts = run(pipeline_for(pipeline, bad_case.overrides), path)
    expected = bad_case.expected()
    records = contract.check_output(output, expected)
    assert counts == {
        "records": len(expected),
        "ok": sum(e.error is None for e in expected),
        "failed": sum(e.error is not None for e in expected),
    }
    assert records[-1]["statements"], "the batch must go on after a bad record"


def test_bad_input_streamed_from_bytes(pipeline, contract):
    """``iter_jsonl`` on any binary stream (stdin is one) reads the same records, named by source."""
    good_b = json.dumps({"id": "b", "text": contract.GOOD_B}).encode()
    data = b'{"id": "a", "text": ""}\nnot json\n\n' + good_b + b"\n"
    output, _ = run_records(pipeline, iter_jsonl(io.BytesIO(data), "stdin"))
    E = contract.Expect
    recs = contract.check_output(output, [E("a", error="EmptyText"), E("stdin:2", error="InvalidJSON"),
                                                  contract.good("b", contract.GOOD_B)])
    assert "line 2" in recs[1]["error"]["message"]


def test_error_messages_say_what_is_wrong(pipeline, write_input):
    path = write_input("in.jsonl", [{"id": "n", "text": 42}, {"id": "m"}, [1], b"{oops", {"id": "e", "text": " "}])
    output, _ = run(pipeline, path)
    messages = [json.loads(line)["error"]["message"] for line in output.splitlines()]
    assert "'text' must be a string, got number" in messages[0]
    assert "no 'text'" in messages[1]
    assert "expected a JSON object, got array" in messages[2]
    assert messages[3].startswith("line 4:")
    assert "whitespace" in messages[4]


def test_too_long_message_names_the_limit(pipeline, contract):
    small = pipeline_for(pipeline, ["max_chars=200000"])
    result = small(contract.big_article(1_000_000), "big")
    assert result.error.type == "TextTooLong"
    assert "1,000,000" in result.error.message and "200,000" in result.error.message and "max_chars" in result.error.message


@pytest.mark.slow
def test_one_megabyte_article_with_default_config(pipeline, write_input, contract):
    text = contract.big_article(1_000_000)
    path = write_input("big.jsonl", [{"id": "big", "text": text}, {"id": "after", "text": contract.GOOD_B}])
    output, counts = run(pipeline, path)
    big, after = contract.check_output(output, [contract.Expect("big", text, min_statements=1000),
                                                contract.good("after", contract.GOOD_B)])
    assert counts == {"records": 2, "ok": 2, "failed": 0}
    # the article repeats three paragraphs: each repeat holds the same statements
    contents = {s["content"]["text"] for s in big["statements"]}
    assert any("reckless and dangerous statements" in c for c in contents)
    assert {p["name"] for p in big["parties"]} >= {"India", "Pakistan", "Kenya"}
    assert big["statements"][-1]["content"]["end"] > 900_000, "statements must be found up to the end"


# ---------------------------------------------------------------- .txt files and directories


def test_txt_file_id_is_stem(pipeline, write_input, contract):
    path = write_input("india-pakistan.txt", contract.GOOD_A)
    output, counts = run(pipeline, path)
    contract.check_output(output, [contract.good("india-pakistan", contract.GOOD_A)])
    assert counts == {"records": 1, "ok": 1, "failed": 0}


def test_txt_file_with_invalid_utf8(pipeline, write_input, contract):
    raw = contract.GOOD_A.encode("utf-8").replace(b"on Tuesday", b"on \xc3\x28Tuesday\xff")
    path = write_input("bytes.txt", raw)
    text = raw.decode("utf-8", errors="replace")
    output, _ = run(pipeline, path)
    (rec,) = contract.check_output(output, [contract.Expect("bytes", text, warning="invalid UTF-8", min_statements=2)])
    assert "2 character(s) replaced" in rec["warnings"][0]
    # offsets index the decoded text: the content after the bad bytes is found where it is
    content = rec["statements"][0]["content"]
    assert text[content["start"] : content["end"]].startswith("Pakistan")


def test_txt_empty_file(pipeline, write_input, contract):
    output, counts = run(pipeline, write_input("empty.txt", b""))
    contract.check_output(output, [contract.Expect("empty", error="EmptyText")])
    assert counts["failed"] == 1


def test_directory_of_txt_files(pipeline, tmp_path, write_input, contract):
    write_input("docs/b-kenya.txt", contract.GOOD_B)
    write_input("docs/a-india.txt", contract.GOOD_A)
    write_input("docs/c-blank.txt", "   \n")
    write_input("docs/notes.md", "not an article")
    write_input("docs/d-html.txt", contract.HTML)
    (tmp_path / "docs" / "sub.txt").mkdir()  # a folder named like a file is not an input
    output, counts = run(pipeline, tmp_path / "docs")
    E = contract.Expect
    contract.check_output(output, [contract.good("a-india", contract.GOOD_A), contract.good("b-kenya", contract.GOOD_B),
                                   E("c-blank", error="EmptyText"), E("d-html", contract.HTML, min_statements=2)])
    assert counts == {"records": 4, "ok": 3, "failed": 1}


def test_missing_input_fails_at_the_call(tmp_path):
    with pytest.raises(FileNotFoundError, match="input not found"):
        read_inputs(str(tmp_path / "nope.jsonl"))  # eagerly: before any output is opened


def test_directory_without_txt_files(tmp_path):
    (tmp_path / "a.md").write_text("x")
    with pytest.raises(FileNotFoundError, match=r"no \.txt files"):
        read_inputs(str(tmp_path))


def test_input_order_across_chunks(pipeline, write_input, contract):
    records, expected = [], []
    for i in range(7):
        if i % 3 == 1:
            records.append({"id": f"r{i}", "text": ""})
            expected.append(contract.Expect(f"r{i}", error="EmptyText"))
        else:
            text = contract.GOOD_A if i % 2 else contract.GOOD_B
            records.append({"id": f"r{i}", "text": text})
            expected.append(contract.good(f"r{i}", text))
    output, counts = run(pipeline, write_input("in.jsonl", records), chunk_size=2)
    contract.check_output(output, expected)
    assert counts == {"records": 7, "ok": 5, "failed": 2}


# ---------------------------------------------------------------- failures inside the pipeline

MARKER = "XYZZY-BOOM"


def test_a_stage_raising_fails_that_document_only(pipeline, write_input, monkeypatch, contract):
    attribute = pipeline.attributor  # a stage every segment.mode runs

    def attributor(doc, candidates, index):
        if MARKER in doc.text:
            raise RuntimeError("attributor exploded")
        return attribute(doc, candidates, index)

    monkeypatch.setattr(pipeline, "attributor", attributor)
    boom = f"The minister said {MARKER} happened."
    path = write_input("in.jsonl", [{"id": "a", "text": contract.GOOD_A}, {"id": "boom", "text": boom},
                                    {"id": "b", "text": contract.GOOD_B}])
    output, counts = run(pipeline, path)
    recs = contract.check_output(output, [contract.good("a", contract.GOOD_A), contract.Expect("boom", error="StageError"),
                                          contract.good("b", contract.GOOD_B)])
    assert recs[1]["error"]["message"] == "attribute: RuntimeError: attributor exploded"
    assert counts == {"records": 3, "ok": 2, "failed": 1}


def test_the_parser_failing_on_one_text_fails_that_document_only(pipeline, write_input, monkeypatch, contract):
    real = pipeline.nlp

    class FragileParser:
        max_length = real.max_length

        def __call__(self, text):
            if MARKER in text:
                raise ValueError("parser choked")
            return real(text)

        def pipe(self, texts, batch_size=16):
            for text in texts:
                yield self(text)

    monkeypatch.setattr(pipeline, "nlp", FragileParser())
    path = write_input("in.jsonl", [{"id": "a", "text": contract.GOOD_A}, {"id": "boom", "text": MARKER},
                                    {"id": "b", "text": contract.GOOD_B}])
    output, _ = run(pipeline, path)
    recs = contract.check_output(output, [contract.good("a", contract.GOOD_A), contract.Expect("boom", error="StageError"),
                                          contract.good("b", contract.GOOD_B)])
    assert recs[1]["error"]["message"] == "parse: ValueError: parser choked"


def test_a_pipeline_that_raises_still_gets_one_line_per_record(contract):
    """A job does not trust the pipeline: if ``pipe`` raises, it goes record by record."""

    class Broken:
        def pipe(self, records):
            for doc_id, text in records:
                if "bad" in text:
                    raise KeyError("bad text")
                yield DocumentResult(doc_id)

    records = [InputRecord("1", "fine"), InputRecord("2", "bad"), InputRecord("3", "fine")]
    output, counts = run_records(Broken(), records)
    E = contract.Expect
    recs = contract.check_output(output, [E("1", "fine"), E("2", error="StageError"), E("3", "fine")])
    assert recs[1]["error"]["message"] == "pipeline: KeyError: 'bad text'"
    assert counts == {"records": 3, "ok": 2, "failed": 1}


def test_pipeline_api_refuses_a_non_string_text(pipeline):
    result = pipeline(None, "x")
    assert result.error.type == "InvalidText" and not result.statements


def test_pipeline_api_empty_text_is_an_empty_result(pipeline):
    result = pipeline("", "x")
    assert result.error is None and result.statements == ()


def test_txt_with_undecodable_file_name_keeps_the_batch_going(pipeline, tmp_path):
    """A file name that is not valid UTF-8 gives a writable id with a warning, and the batch goes on."""
    import os

    folder = tmp_path / "odd"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"\xffbad.txt"), "w", encoding="utf-8") as f:
        f.write("The minister said the talks had failed.")
    (folder / "good.txt").write_text("Japan welcomed the agreement.", encoding="utf-8")
    output, counts = run(pipeline, folder)
    lines = [json.loads(line) for line in output.splitlines()]
    assert counts["records"] == 2 and len(lines) == 2
    odd = next(r for r in lines if r["id"] != "good")
    assert "\ufffd" in odd["id"] and odd["error"] is None and odd["warnings"]
    assert all(r["statements"] for r in lines)


def test_a_stance_stage_without_many_is_called_per_document(rules, contract, monkeypatch):
    """A stance stage may be any callable ``(text, statements, parties) -> (statements, matrix)``."""
    from claimstance.records import MatrixCell

    calls = []

    def stance(text, statements, parties):
        calls.append(text)
        return statements, (MatrixCell("someone", "somewhere", "neutral", 1.0),)

    monkeypatch.setattr(rules, "stance", stance)
    results = list(rules.pipe([("a", contract.GOOD_A), ("b", contract.GOOD_B)]))
    assert [r.error for r in results] == [None, None] and len(calls) == 2
    assert all(r.stance_matrix[0].speaker == "someone" for r in results)
