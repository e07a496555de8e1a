"""A report as data (headline figures, tables, figures, highlighted examples), written three ways:
``report.md``, a self-contained ``report.html`` (PNG figures embedded as data URIs, no external
asset) and ``metrics.json``, plus the figures as PNG files beside them and ``units.jsonl`` (each
unit's outcome: what ``claimstance evaluate compare`` pairs between two runs).

Every number shown in a table or the headline goes through :func:`fmt`, and the headline values
carry ``data-key`` attributes in the HTML, so a test can check that what a reader sees is what
``metrics.json`` holds.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence, Union

__all__ = ["Headline", "Table", "Figure", "Example", "Text", "Section", "Report", "fmt", "write_report"]


def fmt(value: Any, percent: bool = False) -> str:
    """How a number reads in a report: percentages with one decimal, other floats with three."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if isinstance(value, bool) or isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if percent:
        return f"{100 * value:.1f}"
    return f"{value:.3f}"


@dataclass(frozen=True)
class Headline:
    """A headline figure and its bootstrap interval (``key`` is its path in metrics.json)."""

    label: str
    key: str
    value: float
    low: Optional[float] = None
    high: Optional[float] = None
    percent: bool = True

    def text(self) -> str:
        if self.value is None or self.value != self.value:
            return "–"
        ci = "" if self.low is None else f" [{fmt(self.low, self.percent)}, {fmt(self.high, self.percent)}]"
        return f"{fmt(self.value, self.percent)}{ci}"


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]  # cells: numbers go through fmt (percent columns named in percent)
    percent: Sequence[str] = ()
    note: str = ""

    def cells(self) -> list[list[str]]:
        pct = set(self.percent)
        return [[fmt(v, self.columns[i] in pct) for i, v in enumerate(row)] for row in self.rows]


@dataclass(frozen=True)
class Figure:
    title: str
    filename: str
    png: bytes
    caption: str = ""


@dataclass(frozen=True)
class Example:
    """A text with highlighted spans: ``marks`` are (start, end, css class) on ``text``."""

    title: str
    text: str
    marks: Sequence[tuple[int, int, str]]
    lines: Sequence[str] = ()  # gold / predicted / why, one line each


@dataclass(frozen=True)
class Text:
    body: str


Block = Union[Table, Figure, Example, Text]


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Report:
    title: str
    kind: str
    provenance: dict[str, Any]
    headline: list[Headline]
    sections: list[Section]
    metrics: dict[str, Any]
    units: list[dict[str, Any]] = field(default_factory=list)  # per-unit outcomes, for comparing runs


# ---------------------------------------------------------------- markdown


def _md_table(t: Table) -> list[str]:
    out = [f"**{t.title}**", "", "| " + " | ".join(t.columns) + " |", "|" + "---|" * len(t.columns)]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in t.cells()]
    return out + (["", t.note] if t.note else []) + [""]


def _md_example(e: Example) -> list[str]:
    marked = _segments(e.text, e.marks)
    body = "".join(f"[{s}]{{{'+'.join(c)}}}" if c else s for s, c in marked)
    return [f"**{e.title}**", "", "> " + body.replace("\n", "\n> "), "", *[f"- {line}" for line in e.lines], ""]


def to_markdown(report: Report) -> str:
    lines = [f"# {report.title}", ""]
    lines += [f"- **{k}**: {v}" for k, v in report.provenance.items()] + [""]
    lines += ["## Headline (95% bootstrap interval)", "", "| figure | value |", "|---|---|"]
    lines += [f"| {h.label} | {h.text()} |" for h in report.headline] + [""]
    for section in report.sections:
        lines += [f"## {section.title}", ""]
        for b in section.blocks:
            if isinstance(b, Table):
                lines += _md_table(b)
            elif isinstance(b, Figure):
                lines += [f"![{b.title}]({b.filename})", "", b.caption, ""] if b.caption else [f"![{b.title}]({b.filename})", ""]
            elif isinstance(b, Example):
                lines += _md_example(b)
            else:
                lines += [b.body, ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- html

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}
.prov td{text-align:left}.note{color:#555;font-size:.9em}figure{margin:1em 0}img{max-width:100%;border:1px solid #eee}
.ex{border:1px solid #ddd;border-radius:4px;padding:.6em .8em;margin:.8em 0;background:#fcfcfc}
.ex p{white-space:pre-wrap;line-height:1.6}.ex ul{margin:.3em 0;color:#333}
.gold{background:#c8f0c8}.pred{text-decoration:underline 3px #d9534f}.gold.pred{background:#c8f0c8}
.gsrc{background:#cfe2ff}.psrc{outline:2px dashed #6f42c1}.target{background:#ffe8a3}.speaker{background:#cfe2ff}
.legend span{padding:0 .4em;margin-right:.6em}
"""


def _segments(text: str, marks: Sequence[tuple[int, int, str]]) -> list[tuple[str, tuple[str, ...]]]:
    """The text cut where any mark starts or ends, each piece with the classes covering it."""
    cuts = sorted({0, len(text), *(max(0, min(len(text), p)) for s, e, _ in marks for p in (s, e))})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        classes = tuple(sorted({c for s, e, c in marks if s <= a and b <= e}))
        out.append((text[a:b], classes))
    return out


def _html_example(e: Example) -> str:
    body = "".join(f'<span class="{" ".join(c)}">{html.escape(s)}</span>' if c else html.escape(s)
                   for s, c in _segments(e.text, e.marks))
    items = "".join(f"<li>{html.escape(line)}</li>" for line in e.lines)
    return f'<div class="ex"><b>{html.escape(e.title)}</b><p>{body}</p><ul>{items}</ul></div>'


def _html_table(t: Table) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in t.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in t.cells())
    note = f'<p class="note">{html.escape(t.note)}</p>' if t.note else ""
    return f"<h3>{html.escape(t.title)}</h3><table><tr>{head}</tr>{rows}</table>{note}"


def _html_figure(f: Figure) -> str:
    data = base64.b64encode(f.png).decode("ascii")
    cap = html.escape(f.caption or f.title)
    return f'<figure><img alt="{html.escape(f.title)}" src="data:image/png;base64,{data}"><figcaption>{cap}</figcaption></figure>'


def to_html(report: Report) -> str:
    prov = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in report.provenance.items())
    head = "".join(
        f'<tr><td>{html.escape(h.label)}</td><td data-key="{html.escape(h.key)}">{html.escape(h.text())}</td></tr>'
        for h in report.headline)
    parts = [f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(report.title)}</title>"
             f"<style>{_CSS}</style></head><body><h1>{html.escape(report.title)}</h1>",
             f'<table class="prov">{prov}</table>',
             f"<h2>Headline (95% bootstrap interval)</h2><table><tr><th>figure</th><th>value</th></tr>{head}</table>"]
    for section in report.sections:
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        for b in section.blocks:
            if isinstance(b, Table):
                parts.append(_html_table(b))
            elif isinstance(b, Figure):
                parts.append(_html_figure(b))
            elif isinstance(b, Example):
                parts.append(_html_example(b))
            else:
                parts.append(f"<p>{html.escape(b.body)}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(report: Report, out_dir: str | Path) -> Path:
    """Write report.md, report.html, metrics.json and the PNG figures into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("*.png"), out / "units.jsonl"]:  # a reused folder keeps nothing of an earlier report
        old.unlink(missing_ok=True)
    for section in report.sections:
        for b in section.blocks:
            if isinstance(b, Figure):
                (out / b.filename).write_bytes(b.png)
    metrics = {"kind": report.kind, "title": report.title, "provenance": report.provenance, **report.metrics}
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, default=float), "utf-8")
    if report.units:
        with open(out / "units.jsonl", "w", encoding="utf-8") as f:
            for unit in report.units:
                f.write(json.dumps(unit, ensure_ascii=False) + "\n")
    (out / "report.md").write_text(to_markdown(report), "utf-8")
    (out / "report.html").write_text(to_html(report), "utf-8")
    return out
