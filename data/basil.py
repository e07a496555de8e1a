"""BASIL reader: quote spans with speaker → target → polarity (Fan et al., EMNLP 2019) to ``StanceExample``.

Layout (``<root>/basil``): ``articles/<year>/<triplet>_<n>.json`` (``title``, ``body-paragraphs``: a
list of paragraphs, each a list of sentences) and ``annotations/<year>/<triplet>_<n>_ann.json``
(``phrase-level-annotations``). An annotation's ``id`` is ``p<k>`` (k indexes the flattened list of
body sentences) or ``title``; ``start``/``end`` index that sentence and cover ``txt``.

Only **quote** annotations are read: ``quote == "yes"`` with a non-empty ``speaker`` and ``target``
(the others are skipped and counted). Mapping:

| BASIL field                       | StanceExample field                                       |
|-----------------------------------|-----------------------------------------------------------|
| the sentence ``id`` points at     | text (the whole sentence holding the quote span)          |
| speaker (``_`` → space)           | speaker                                                   |
| speaker ``other_anti/pro/neutral``| speaker = None (an unnamed holder; ``unnamed="skip"`` drops them) |
| target (``_`` → space)            | target                                                    |
| polarity ``neg``                  | label = against                                           |
| polarity ``pos``                  | label = favor                                             |
| (no neutral at span level)        | —                                                         |
| year, file stem, list index       | source = basil:<year>:<triplet>_<n>:<index>               |

The polarity is toward ``target`` for every ``aim`` (``dir``, and ``ind_pro`` / ``ind_anti`` /
``ind_general``, where the span is about an ally/opponent of the target); pass ``aims=("dir",)``
to keep direct ones only. ``speaker_span`` / ``target_span`` are the first occurrence of the
name (underscores as spaces, whole words, case-sensitive) in the sentence, else ``None``.
BASIL has no official split: split by triplet (the ``<triplet>`` part of ``source``) or by year.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Collection, Iterator, Optional, Union

from claimstance.data.root import default_data_root
from claimstance.data.stance_examples import ReadStats, StanceExample
from claimstance.infer.stance.encoding import find_name

__all__ = ["BASIL_POLARITY", "read_basil"]

log = logging.getLogger(__name__)

BASIL_POLARITY = {"neg": "against", "pos": "favor"}
UNNAMED_PREFIX = "other_"


def _name(raw: str) -> str:
    return " ".join(raw.replace("_", " ").split())


def read_basil(
    root: Union[str, Path, None] = None,
    *,
    unnamed: str = "none",
    aims: Optional[Collection[str]] = None,
    stats: Optional[ReadStats] = None,
) -> Iterator[StanceExample]:
    """One ``StanceExample`` per BASIL quote annotation with a speaker and a target.

    ``root`` defaults to ``<data root>/basil``. ``unnamed``: ``"none"`` (``other_*`` speakers become
    ``speaker=None``) or ``"skip"``. ``stats.rows`` counts phrase annotations."""
    if unnamed not in ("none", "skip"):
        raise ValueError(f"unnamed must be 'none' or 'skip', got {unnamed!r}")
    root = Path(root) if root is not None else default_data_root() / "basil"
    stats = stats if stats is not None else ReadStats()
    ann_files = sorted((root / "annotations").glob("*/*_ann.json"))
    if not ann_files:
        raise FileNotFoundError(f"no BASIL annotations under {root / 'annotations'}")
    for ann_path in ann_files:
        year = ann_path.parent.name
        stem = ann_path.name[: -len("_ann.json")]
        art_path = root / "articles" / year / f"{stem}.json"
        try:
            ann = json.loads(ann_path.read_text(encoding="utf-8"))
            art = json.loads(art_path.read_text(encoding="utf-8"))
            phrases = ann["phrase-level-annotations"]
            sentences = [s for para in art["body-paragraphs"] for s in para]
            title = art.get("title", "")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            stats.skip("file")
            log.warning("%s: skipping BASIL article: %s", ann_path.name, exc)
            continue
        for idx, a in enumerate(phrases):
            stats.rows += 1
            where = f"{year}/{ann_path.name}[{idx}]"
            speaker_raw, target_raw = (a.get("speaker") or "").strip(), (a.get("target") or "").strip()
            if a.get("quote") != "yes" or not speaker_raw or not target_raw:
                stats.skip("not a quote with speaker and target")
                continue
            if aims is not None and a.get("aim") not in aims:
                stats.skip("aim")
                continue
            unnamed_speaker = speaker_raw.lower().startswith(UNNAMED_PREFIX)
            if unnamed_speaker and unnamed == "skip":
                stats.skip("unnamed speaker")
                continue
            label = BASIL_POLARITY.get(a.get("polarity"))
            if label is None:
                stats.skip("polarity")
                log.warning("%s: skipping, polarity %r is not neg/pos", where, a.get("polarity"))
                continue
            sid = a.get("id", "")
            if sid == "title":
                text = title
            elif isinstance(sid, str) and re.fullmatch(r"p\d+", sid) and int(sid[1:]) < len(sentences):
                text = sentences[int(sid[1:])]
            else:
                stats.skip("sentence id")
                log.warning("%s: skipping, sentence id %r not in the article", where, sid)
                continue
            try:
                start, end = int(a["start"]), int(a["end"])
                if text[start:end] != a.get("txt"):
                    raise ValueError(f"text[{start}:{end}] does not match the annotated txt")
                speaker = None if unnamed_speaker else _name(speaker_raw)
                target = _name(target_raw)
                ex = StanceExample(
                    text=text,
                    speaker=speaker,
                    speaker_span=find_name(text, speaker) if speaker else None,
                    target=target,
                    target_span=find_name(text, target),
                    label=label,
                    source=f"basil:{year}:{stem}:{idx}",
                )
            except (ValueError, KeyError, TypeError) as exc:
                stats.skip("span")
                log.warning("%s: skipping: %s", where, exc)
                continue
            stats.examples += 1
            yield ex
