"""An article viewer: ``claimstance show RESULTS.jsonl --texts INPUT.jsonl [--id ID] -o PATH``.

One self-contained HTML page per article (no script, style or font from outside): the text with
each statement's content, cue and source (the speaker's mention) highlighted in the displaCy
manner, every highlight carrying its statement's speaker and stances on hover, the statements
listed beside the text, and the article's speaker × party matrix. With ``--id`` one page is
written to PATH; without, PATH is a folder with a page per article and an ``index.html``.

The results hold offsets, not the article text, so the input the results came from is read too
(``--texts``: the infer input, a JSONL file with ``id`` and ``text`` or a folder of ``.txt`` files).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Iterable, Optional

__all__ = ["ROLES", "article_page", "read_texts", "show", "index_page"]

ROLES = ("content", "cue", "source")
_STYLE = """
body { font: 15px/1.6 system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
.cols { display: flex; gap: 2em; } .text { flex: 3; white-space: pre-wrap; } .side { flex: 2; font-size: 13px; }
mark { border-radius: 3px; padding: 0 1px; } mark.content { background: #e3f0ff; }
mark.cue { background: #ffe08a; } mark.source { background: #c9f2c7; font-weight: 600; }
.label { font-size: 10px; font-weight: 700; text-transform: uppercase; margin-left: 3px; color: #555; }
table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 2px 6px; }
.favor { color: #17703a; } .against { color: #b01c1c; } .neutral { color: #666; }
.stmt { border-left: 3px solid #9cc3f5; padding-left: 6px; margin: 0 0 8px; }
"""


def read_texts(path: str | Path) -> dict[str, str]:
    """id -> text of an infer input: a JSONL file, or a folder of ``.txt`` files (id: the file stem)."""
    path = Path(path)
    if path.is_dir():
        return {f.stem: f.read_text("utf-8", errors="replace") for f in sorted(path.glob("*.txt"))}
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                obj = json.loads(line)
                if isinstance(obj, dict) and isinstance(obj.get("text"), str):
                    out[str(obj.get("id"))] = obj["text"]
    return out


def _stances(s: dict) -> str:
    return ", ".join(f"{j['target']}: {j['label']} {j['score']:.2f}" for j in s.get("stances") or ()) or "no stance"


def _pieces(record: dict) -> list[tuple[int, int, str, dict]]:
    """(start, end, role, statement) of every highlight."""
    out = []
    for s in record.get("statements") or ():
        parts = s["content"].get("spans") or [[s["content"]["start"], s["content"]["end"]]]
        out += [(a, b, "content", s) for a, b in parts]
        if s.get("cue"):
            out.append((s["cue"]["start"], s["cue"]["end"], "cue", s))
        mention = (s.get("speaker") or {}).get("mention")
        if mention:
            out.append((mention["start"], mention["end"], "source", s))
    return out


def _marked_text(text: str, record: dict) -> str:
    """The text as HTML, each run of characters under the same highlights wrapped once per role
    (innermost: the most specific role, source, then cue, then content)."""
    pieces = sorted(_pieces(record), key=lambda p: p[0])
    cuts = sorted({0, len(text), *(p for a, b, _, _ in pieces for p in (a, b) if 0 <= p <= len(text))})
    out, active, k = [], [], 0
    for lo, hi in zip(cuts, cuts[1:]):  # one sweep: the highlights open at each cut
        while k < len(pieces) and pieces[k][0] <= lo:
            active.append(pieces[k])
            k += 1
        active = [p for p in active if p[1] > lo]
        body = html.escape(text[lo:hi])
        over = [(role, s) for a, b, role, s in active if a <= lo and hi <= b]
        for role in ROLES:
            here = [s for r, s in over if r == role]
            if here:
                ids = " ".join(s["id"] for s in here)
                title = "; ".join(f"{s['id']} {role} · {(s.get('speaker') or {}).get('name') or 'no speaker'} · "
                                  f"{_stances(s)}" for s in here)
                body = f'<mark class="{role}" data-statements="{ids}" title="{html.escape(title)}">{body}</mark>'
        out.append(body)
    return "".join(out)


def _matrix(record: dict) -> str:
    cells = record.get("stance_matrix") or []
    if not cells:
        return "<p>No stance cells.</p>"
    rows = "".join(f"<tr><td>{html.escape(c['speaker'])}</td><td>{html.escape(c['target'])}</td>"
                   f"<td class=\"{c['label']}\">{c['label']}</td><td>{c['score']:.2f}</td>"
                   f"<td>{html.escape(' '.join(c.get('evidence') or ()))}</td></tr>" for c in cells)
    return ("<table><tr><th>speaker</th><th>target</th><th>stance</th><th>score</th><th>evidence</th></tr>"
            f"{rows}</table>")


def _statement_card(s: dict) -> str:
    speaker = s.get("speaker") or {}
    party = f" ({html.escape(speaker['party'])})" if speaker.get("party") else ""
    stances = " ".join(f'<span class="{j["label"]}">{html.escape(j["target"])}: {j["label"]} {j["score"]:.2f}</span>'
                       for j in s.get("stances") or ()) or "no stance"
    return (f'<div class="stmt" id="{html.escape(s["id"])}"><b>{html.escape(s["id"])}</b> {html.escape(s["kind"])} · '
            f'<b>{html.escape(speaker.get("name") or "no speaker")}</b>{party}<br>{stances}</div>')


def article_page(record: dict, text: Optional[str]) -> str:
    """One article's page (see the module doc)."""
    title = html.escape(str(record["id"]))
    if record.get("error"):
        body = f"<p>This record failed: {html.escape(record['error']['type'])}: {html.escape(record['error']['message'])}</p>"
    elif text is None:
        body = "<p>The article's text is not in the given input (<code>--texts</code>).</p>"
    else:
        side = "".join(_statement_card(st) for st in record.get("statements") or ())
        body = (f'<div class="cols"><div class="text">{_marked_text(text, record)}</div>'
                f'<div class="side"><h3>Statements</h3>{side or "<p>None.</p>"}</div></div>'
                f"<h2>Speaker × party matrix</h2>{_matrix(record)}")
    legend = ('<p><mark class="content">content</mark> <mark class="cue">cue</mark> '
              '<mark class="source">source</mark> · hover a highlight for its speaker and stances</p>')
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>"
            f"<style>{_STYLE}</style></head><body><h1>{title}</h1>{legend}{body}</body></html>\n")


def index_page(records: list[dict], names: dict[str, str]) -> str:
    rows = "".join(f"<tr><td><a href=\"{html.escape(names[r['id']])}\">{html.escape(r['id'])}</a></td>"
                   f"<td>{len(r.get('statements') or ())}</td><td>{len(r.get('stance_matrix') or ())}</td>"
                   f"<td>{html.escape(r['error']['type']) if r.get('error') else ''}</td></tr>" for r in records)
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>claimstance articles</title>"
            f"<style>{_STYLE}</style></head><body><h1>Articles</h1><table><tr><th>article</th><th>statements</th>"
            f"<th>matrix cells</th><th>error</th></tr>{rows}</table></body></html>\n")


def _file_name(doc_id: str, taken: set[str]) -> str:
    base = "".join(c if c.isalnum() or c in "-_." else "_" for c in doc_id)[:80] or "article"
    name, n = f"{base}.html", 1
    while name in taken or name == "index.html":
        n += 1
        name = f"{base}-{n}.html"
    taken.add(name)
    return name


def show(records: Iterable[dict], texts: dict[str, str], output: str | Path, doc_id: Optional[str] = None) -> list[Path]:
    """Write the page of ``doc_id`` to ``output``, or every article's page and an index into the
    folder ``output``; returns the files written."""
    output = Path(output)
    records = list(records)
    if doc_id is not None:
        record = next((r for r in records if str(r["id"]) == doc_id), None)
        if record is None:
            raise KeyError(f"no record with id {doc_id!r}")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(article_page(record, texts.get(doc_id)), "utf-8")
        return [output]
    output.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    names = {str(r["id"]): _file_name(str(r["id"]), taken) for r in records}
    written = []
    for r in records:
        path = output / names[str(r["id"])]
        path.write_text(article_page(r, texts.get(str(r["id"]))), "utf-8")
        written.append(path)
    (output / "index.html").write_text(index_page(records, names), "utf-8")
    return written + [output / "index.html"]
