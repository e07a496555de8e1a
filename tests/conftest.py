"""Shared fixtures: one pipeline and one spaCy model per session, input-file writing,
and the checks every batch / CLI test makes on its output (the contract in DESIGN.md).

The bad-input cases live here too (``BAD_CASES``): ``test_batch.py`` runs each through the
Python batch API and ``test_cli.py`` through ``claimstance infer``, via the ``bad_case`` argument.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional, Union

import pytest

from claimstance.config import InferConfig
from claimstance.records import KINDS, LABELS

CONTRACT_KEYS = {"id", "statements", "parties", "stance_matrix", "error"}
OPTIONAL_KEYS = {"warnings"}

# Two short articles with statements the pipeline finds: every case puts its bad records between them.
GOOD_A = (
    "Indian Foreign Minister S. Jaishankar on Tuesday condemned Pakistan's \"reckless and dangerous "
    "statements\" on Kashmir. \"We remain open to dialogue,\" a spokeswoman for the ministry, Amina Qureshi, said."
)
GOOD_B = (
    "Kenya's President William Ruto said on Monday that the railway \"will pay for itself within a decade.\" "
    "Opposition leader Daniel Kiprono accused the government of hiding the true cost of the debt."
)
PARAGRAPHS = [GOOD_A, GOOD_B, "The talks are expected to resume next month in Geneva, officials said."]


def distinct_copies(text: str, n: int) -> str:
    """``text`` ``n`` times, each paragraph of copy ``i`` ending in " (i)": a paragraph printed twice
    word for word is page furniture (a caption) and yields its statements once."""
    paragraphs = text.split("\n\n")
    return "\n\n".join(f"{p} ({i})" if p.strip() else p for i in range(n) for p in paragraphs)


def big_article(n_chars: int = 1_000_000) -> str:
    """A news-like article of exactly ``n_chars`` characters: a few paragraphs repeated, each copy
    numbered (:func:`distinct_copies`)."""
    block = "\n\n".join(PARAGRAPHS)
    return distinct_copies(block, n_chars // len(block) + 1)[:n_chars]


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def nlp():
    from claimstance.infer.text.parse import load_spacy

    return load_spacy()


@pytest.fixture(scope="session")
def pipeline():
    """The default pipeline (the shipped tagger and stance model), loaded once; tests that change it use
    ``monkeypatch`` (undone after)."""
    from claimstance.infer.pipeline import Pipeline

    return Pipeline.from_config(InferConfig())


@pytest.fixture(scope="session")
def rules():
    """The rule stages alone, no neural model: parse, rule segmenter, speakers, parties. Tests of the
    rules run through this, so that a retrained model cannot change what they check."""
    from claimstance.config import SegmentConfig
    from claimstance.infer.pipeline import Pipeline

    return Pipeline.from_config(InferConfig(stance_model=None, segment=SegmentConfig(mode="rules")))


@pytest.fixture
def write_input(tmp_path) -> Callable[..., Path]:
    """``write_input(name, content)``: a file under a fresh temp folder. ``content`` is bytes, str
    (written as UTF-8), or a list of records (dicts/values become JSON lines, bytes/str lines go as they are)."""

    def write(name: str, content: Union[bytes, str, list]) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, list):
            content = jsonl(content)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    return write


def jsonl(records: list) -> bytes:
    lines = [r if isinstance(r, bytes) else r.encode("utf-8") if isinstance(r, str) else json.dumps(r).encode("utf-8")
             for r in records]
    return b"".join(line + b"\n" for line in lines)


# ---------------------------------------------------------------- training runs


def check_run_folder(run: Path, labels: list[str]) -> dict:
    """What every training run writes (train/run.py); returns the model's settings.json."""
    model = run / "model"
    for folder, names in ((run, ("config.yaml", "metrics.json", "provenance.json")),
                          (model, ("config.json", "model.safetensors", "tokenizer.json", "settings.json", "README.md",
                                   "metrics.json", "provenance.json"))):
        for name in names:
            assert (folder / name).is_file(), folder / name
    assert not list(model.glob("*.bin")) and not list(model.glob("*.pt")), "no pickled weights"
    assert list(json.loads((model / "config.json").read_text())["id2label"].values()) == labels
    provenance = json.loads((run / "provenance.json").read_text())
    if (Path(__file__).resolve().parent.parent / ".git").exists():  # a checkout: the commit itself
        assert re.fullmatch(r"[0-9a-f]{40}(\+dirty)?", provenance["commit"]), provenance["commit"]
    assert {"torch", "transformers"} <= set(provenance["versions"])
    assert json.loads((model / "provenance.json").read_text()) == provenance
    assert json.loads((model / "metrics.json").read_text()) == json.loads((run / "metrics.json").read_text())
    return json.loads((model / "settings.json").read_text())


# ---------------------------------------------------------------- output checks


@dataclass(frozen=True)
class Expect:
    """What one output line must say."""

    id: Union[str, re.Pattern]  # the id, or a pattern for a fallback id ("<source>:<line>")
    text: Optional[str] = None  # the text its offsets index (None: an error record, no spans)
    error: Optional[str] = None  # the error type, or None for a result
    warning: Optional[str] = None  # a substring that one of its warnings must contain
    min_statements: int = 0


def good(doc_id: str, text: str) -> Expect:
    return Expect(doc_id, text, min_statements=1)


def check_span(span: dict, text: str, where: str) -> None:
    assert set(span) <= {"start", "end", "text", "spans"}, f"{where}: keys {sorted(span)}"
    start, end = span["start"], span["end"]
    assert isinstance(start, int) and isinstance(end, int), where
    assert 0 <= start <= end <= len(text), f"{where}: [{start}, {end}) outside a text of {len(text)}"
    assert text[start:end] == span["text"], f"{where}: text[{start}:{end}] = {text[start:end]!r} != {span['text']!r}"
    if "spans" in span:
        parts = span["spans"]
        assert len(parts) >= 2, f"{where}: a discontinuous span needs 2+ parts"
        for s, e in parts:
            assert start <= s < e <= end, f"{where}: part [{s}, {e}) outside [{start}, {end})"
        assert parts[0][0] == start and parts[-1][1] == end, f"{where}: parts do not reach the outer bounds"
        assert all(a[1] <= b[0] for a, b in zip(parts, parts[1:])), f"{where}: parts overlap or are unsorted"


def check_spans(rec: dict, text: str) -> int:
    """Every span in a result indexes ``text``; returns how many were checked."""
    n = 0
    for st in rec["statements"]:
        where = f"{rec['id']}/{st['id']}"
        assert st["kind"] in KINDS, where
        check_span(st["content"], text, f"{where}.content")
        n += 1
        if st["cue"] is not None:
            check_span(st["cue"], text, f"{where}.cue")
            n += 1
        sp = st["speaker"]
        if sp is not None:
            assert isinstance(sp["name"], str) and sp["name"], where
            assert sp["party"] is None or isinstance(sp["party"], str), where
            if sp["mention"] is not None:
                check_span(sp["mention"], text, f"{where}.speaker.mention")
                n += 1
        for j in st["stances"]:
            assert j["label"] in LABELS and 0 <= j["score"] <= 1, where
    ids = [st["id"] for st in rec["statements"]]
    assert len(ids) == len(set(ids)), f"{rec['id']}: statement ids repeat: {ids}"
    for party in rec["parties"]:
        assert isinstance(party["name"], str) and party["name"]
        for k, m in enumerate(party["mentions"]):
            check_span(m, text, f"{rec['id']}/party {party['name']}[{k}]")
            n += 1
    for cell in rec["stance_matrix"]:
        assert cell["label"] in LABELS and set(cell["evidence"]) <= set(ids)
    return n


def check_output(output: Union[str, bytes], expected: list[Expect]) -> list[dict]:
    """The output has one valid JSON line per expected record, in order, each keeping the contract."""
    if isinstance(output, bytes):
        output = output.decode("utf-8")  # strict: the output must be valid UTF-8
    assert output.endswith("\n") or not expected, "the output must end with a newline"
    lines = output.split("\n")[:-1]  # only "\n" ends a line (str.splitlines would also split at U+2028)
    assert len(lines) == len(expected), f"{len(lines)} output lines for {len(expected)} input records"
    records = []
    for n, (line, exp) in enumerate(zip(lines, expected), start=1):
        rec = json.loads(line)
        assert isinstance(rec, dict), f"line {n}"
        assert CONTRACT_KEYS <= set(rec) <= CONTRACT_KEYS | OPTIONAL_KEYS, f"line {n}: keys {sorted(rec)}"
        if isinstance(exp.id, re.Pattern):
            assert isinstance(rec["id"], str) and exp.id.fullmatch(rec["id"]), f"line {n}: id {rec['id']!r}"
        else:
            assert rec["id"] == exp.id, f"line {n}: id {rec['id']!r}, expected {exp.id!r} (input order kept?)"
        for key in ("statements", "parties", "stance_matrix"):
            assert isinstance(rec[key], list), f"line {n}: {key}"
        if exp.error:
            err = rec["error"]
            assert isinstance(err, dict) and set(err) == {"type", "message"}, f"line {n}: error {err!r}"
            assert err["type"] == exp.error, f"line {n}: error {err!r}, expected type {exp.error}"
            assert isinstance(err["message"], str) and err["message"].strip(), f"line {n}: empty message"
            assert rec["statements"] == rec["parties"] == rec["stance_matrix"] == [], f"line {n}"
        else:
            assert rec["error"] is None, f"line {n}: unexpected error {rec['error']!r}"
            assert len(rec["statements"]) >= exp.min_statements, f"line {n}: {len(rec['statements'])} statements"
        if "warnings" in rec:
            assert rec["warnings"] and all(isinstance(w, str) and w for w in rec["warnings"]), f"line {n}"
        if exp.warning:
            assert any(exp.warning in w for w in rec.get("warnings", [])), f"line {n}: no warning with {exp.warning!r}: {rec.get('warnings')}"
        if exp.text is not None:
            check_spans(rec, exp.text)
        records.append(rec)
    return records


# ---------------------------------------------------------------- the bad-input cases


@dataclass(frozen=True)
class Case:
    """Bad JSONL records between two good ones (``GOOD_A`` first, ``GOOD_B`` last)."""

    name: str
    lines: list  # raw JSONL lines (bytes) or records (JSON-encoded)
    expect: list  # Expect for each record among ``lines``
    overrides: list = field(default_factory=list)  # config key=value
    prefix: bytes = b""  # bytes before the first line

    def content(self) -> bytes:
        return self.prefix + jsonl([{"id": "good-a", "text": GOOD_A}, *self.lines, {"id": "good-b", "text": GOOD_B}])

    def expected(self) -> list[Expect]:
        return [good("good-a", GOOD_A), *self.expect, good("good-b", GOOD_B)]


def line_id(n: int) -> re.Pattern:
    """The fallback id of the record on line ``n`` (``articles.jsonl:3``, ``stdin:3``)."""
    return re.compile(rf".+:{n}")


INVALID_UTF8_LINE = (
    b'{"id": "bad-bytes", "text": "The minister said \xff\xfe that \\"the talks will resume next week in Geneva\\"."}'
)
INVALID_UTF8_TEXT = json.loads(INVALID_UTF8_LINE.decode("utf-8", errors="replace"))["text"]
SURROGATE_LINE = b'{"id": "surrogate", "text": "The minister said \\udc80 that the talks will resume next week."}'
SURROGATE_TEXT = "The minister said \ufffd that the talks will resume next week."
HTML = (
    "<html><head><title>Talks stall</title><style>p { color: red; }</style>"
    '<script>var said = "we will win the vote";</script></head>\n'
    "<body><!-- top story --><h1>Talks stall</h1>"
    "<p>Indian Foreign Minister S. Jaishankar on Tuesday <b>condemned</b> Pakistan&rsquo;s "
    "&ldquo;reckless and dangerous statements&rdquo; on Kashmir.</p>\n"
    "<p>&quot;We remain open to dialogue,&quot; a spokeswoman for the ministry, Amina Qureshi, said.<br/></p>"
    "</body></html>"
)
CONTROL = (
    "Indian Foreign Minister S. Jaishankar\x00 on Tuesday condemned\x07 Pakistan's \x1b\"reckless and "
    "dangerous statements\" on Kashmir.\x0c\x7f\x0b \"We remain open to dialogue,\" a spokeswoman said.\x08"
)
BIG = big_article(1_000_000)

BAD_CASES = [
    Case("empty_text", [{"id": "empty", "text": ""}], [Expect("empty", error="EmptyText")]),
    Case("whitespace_text", [{"id": "blank", "text": " \n\t \r\n \u00a0"}], [Expect("blank", error="EmptyText")]),
    Case("too_long", [{"id": "big", "text": BIG}], [Expect("big", error="TextTooLong")], overrides=["max_chars=200000"]),
    Case("invalid_utf8", [INVALID_UTF8_LINE],
         [Expect("bad-bytes", INVALID_UTF8_TEXT, warning="invalid UTF-8", min_statements=1)]),
    Case("lone_surrogate", [SURROGATE_LINE], [Expect("surrogate", SURROGATE_TEXT, warning="surrogate")]),
    Case("malformed_json", [b'{"id": "m", "text": "unterminated', b"{'id': 'single quotes'}", b"{"],
         [Expect(line_id(2), error="InvalidJSON"), Expect(line_id(3), error="InvalidJSON"),
          Expect(line_id(4), error="InvalidJSON")]),
    Case("no_text", [{"id": "no-text", "title": "a title, no text"}], [Expect("no-text", error="MissingText")]),
    Case("text_number", [{"id": "num", "text": 42}], [Expect("num", error="InvalidText")]),
    Case("text_list", [{"id": "list", "text": ["a", "b"]}], [Expect("list", error="InvalidText")]),
    Case("text_null", [{"id": "null", "text": None}], [Expect("null", error="InvalidText")]),
    Case("text_object", [{"id": "obj", "text": {"body": GOOD_A}}], [Expect("obj", error="InvalidText")]),
    Case("not_object", [["good-a", GOOD_A], b"\"just a string\"", 42, None],
         [Expect(line_id(n), error="InvalidRecord") for n in (2, 3, 4, 5)]),
    Case("missing_id", [{"text": GOOD_B}, {"id": None, "text": GOOD_B}],
         [Expect(line_id(2), GOOD_B, warning="no 'id'", min_statements=1),
          Expect(line_id(3), GOOD_B, warning="no 'id'", min_statements=1)]),
    Case("non_string_id", [{"id": 7, "text": GOOD_B}, {"id": ["x", 1], "text": ""}],
         [Expect("7", GOOD_B, warning="not a string", min_statements=1),
          Expect('["x", 1]', error="EmptyText", warning="not a string")]),
    Case("blank_lines", [b"", b"   ", b"\t", b"\r", {"id": "between", "text": GOOD_B}, b""],
         [good("between", GOOD_B)]),
    Case("crlf_lines", [json.dumps({"id": "crlf", "text": GOOD_B}).encode() + b"\r"], [good("crlf", GOOD_B)]),
    Case("bom", [{"id": "after-bom", "text": GOOD_B}], [good("after-bom", GOOD_B)], prefix=b"\xef\xbb\xbf"),
    Case("html", [{"id": "html", "text": HTML}], [Expect("html", HTML, min_statements=2)]),
    Case("control_chars", [{"id": "ctrl", "text": CONTROL}], [Expect("ctrl", CONTROL, min_statements=2)]),
]


def pytest_generate_tests(metafunc):
    if "bad_case" in metafunc.fixturenames:
        metafunc.parametrize("bad_case", BAD_CASES, ids=[c.name for c in BAD_CASES])


@pytest.fixture
def contract():
    """The output checks, for tests: ``contract.check_output(text, [Expect, ...])`` etc."""
    import types

    return types.SimpleNamespace(
        check_run_folder=check_run_folder, Expect=Expect, good=good, check_output=check_output, check_spans=check_spans, check_span=check_span,
        GOOD_A=GOOD_A, GOOD_B=GOOD_B, HTML=HTML, big_article=big_article, distinct_copies=distinct_copies, line_id=line_id, BAD_CASES=BAD_CASES,
    )
