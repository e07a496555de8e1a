"""``claimstance show``: every statement highlighted (content, cue, source) with its speaker and
stances, the matrix, a page per article and an index, nothing loaded from outside the file."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from claimstance.cli import main
from claimstance.data.samples import load_samples


class _Marks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.marks: list[tuple[str, set[str], str]] = []  # (role, statement ids, title)
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "mark" and "data-statements" in a:
            self.marks.append((a["class"], set(a["data-statements"].split()), a.get("title", "")))
        for key in ("src", "href"):
            if a.get(key, "").startswith(("http:", "https:", "//")):
                self.external.append(a[key])


@pytest.fixture(scope="module")
def shown(tmp_path_factory):
    folder = tmp_path_factory.mktemp("view")
    samples = load_samples()[:4]
    inp, out = folder / "in.jsonl", folder / "out.jsonl"
    inp.write_text("".join(json.dumps({"id": s.id, "text": s.text}) + "\n" for s in samples), encoding="utf-8")
    assert main(["infer", str(inp), "-o", str(out), "--no-progress", "segment.mode=rules"]) == 0
    assert main(["show", str(out), "--texts", str(inp), "-o", str(folder / "pages")]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    return folder, records, inp, out


def test_every_statement_is_highlighted_with_its_speaker_and_stances(shown):
    folder, records, _, _ = shown
    for record in records:
        page = (folder / "pages" / f"{record['id']}.html").read_text("utf-8")
        parser = _Marks()
        parser.feed(page)
        assert not parser.external
        for s in record["statements"]:
            roles = {role for role, ids, _ in parser.marks if s["id"] in ids}
            assert "content" in roles, (record["id"], s["id"])
            assert ("cue" in roles) == bool(s["cue"]) and ("source" in roles) == bool((s["speaker"] or {}).get("mention"))
            titles = " ".join(t for _, ids, t in parser.marks if s["id"] in ids)
            if s["speaker"]:
                assert s["speaker"]["name"] in titles
            for j in s["stances"]:
                assert f"{j['target']}: {j['label']}" in titles
        # the highlighted text is the text: marks only wrap it
        assert len(re.sub(r"<[^>]+>", "", page.split('<div class="text">')[1].split("</div>")[0])) > 500
        for c in record["stance_matrix"]:
            assert f"<td>{c['speaker']}</td><td>{c['target']}</td>" in page.replace("&#x27;", "'")


def test_an_index_and_one_page_by_id(shown, tmp_path):
    folder, records, inp, out = shown
    index = (folder / "pages" / "index.html").read_text("utf-8")
    assert all(f'href="{r["id"]}.html"' in index for r in records)
    one = tmp_path / "one.html"
    assert main(["show", str(out), "--texts", str(inp), "--id", records[1]["id"], "-o", str(one)]) == 0
    assert records[1]["id"] in one.read_text("utf-8")
    assert main(["show", str(out), "--texts", str(inp), "--id", "nope", "-o", str(one)]) == 2


def test_the_page_renders_in_chromium(shown, tmp_path):
    from claimstance.evaluate.browser_check import check_html, find_chromium

    if find_chromium() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); docs/evaluation.md gives the check")
    import subprocess

    from claimstance.evaluate.browser_check import FLAGS

    folder, records, _, _ = shown
    page = folder / "pages" / f"{records[0]['id']}.html"
    result = check_html(page, tmp_path / "shot.png")
    assert (tmp_path / "shot.png").stat().st_size > 10_000 and result["images"] == result["decoded"]
    dom = subprocess.run([find_chromium(), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
                          page.resolve().as_uri()], capture_output=True, text=True, timeout=120).stdout
    parser = _Marks()
    parser.feed(dom)  # the page as Chromium built it
    highlighted = {i for role, ids, _ in parser.marks if role == "content" for i in ids}
    assert highlighted == {s["id"] for s in records[0]["statements"]}


def test_texts_from_a_folder_of_txt(tmp_path):
    from claimstance.viewer import read_texts

    (tmp_path / "a1.txt").write_text("Kenya said so.", "utf-8")
    (tmp_path / "notes.md").write_text("not an article", "utf-8")
    assert read_texts(tmp_path) == {"a1": "Kenya said so."}
