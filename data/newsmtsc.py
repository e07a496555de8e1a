"""NewsMTSC reader: sentiment of a news sentence toward a person (Hamborg & Donnay, EACL 2021).

Format (``<root>/newsmtsc/train.jsonl``, ``devtest_{mt,rw}.jsonl``, ``splits/newsmtsc-{mt,rw}/{dev,test}.jsonl``):
one JSON object per line, ``{"primary_gid", "sentence_normalized", "targets": [{"Input.gid", "from",
"to", "mention", "polarity", "further_mentions"?}, ...]}``; ``from``/``to`` index
``sentence_normalized`` (``to`` exclusive). Each target becomes one example:

| NewsMTSC field        | StanceExample field                         |
|-----------------------|---------------------------------------------|
| sentence_normalized   | text                                        |
| (no holder annotated) | speaker = None, speaker_span = None         |
| targets[i].mention    | target                                      |
| targets[i].from, .to  | target_span = (from, to)                    |
| polarity 2.0          | label = against   (negative)                |
| polarity 4.0          | label = neutral                             |
| polarity 6.0          | label = favor     (positive)                |
| file, line, i         | source = newsmtsc:<split>:<line>:<i>        |

``<split>`` is the file stem (``train``, ``devtest_mt``, ``devtest_rw``) or ``<mt|rw>-<dev|test>`` for
``splits/newsmtsc-<x>/<dev|test>.jsonl``; ``<line>`` is 1-based, ``<i>`` the 0-based target index.
``further_mentions`` (automatic coreference, may be wrong) are not used. The label is the
sentence's sentiment toward the target, not the stance of a quoted speaker.

Malformed lines or targets (bad JSON, a polarity outside 2/4/6, offsets that do not cover
``mention``) are skipped with a logged warning and counted in ``ReadStats``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Iterator, Optional, Union

from claimstance.data.root import default_data_root
from claimstance.data.stance_examples import ReadStats, StanceExample

__all__ = ["NEWSMTSC_POLARITY", "read_newsmtsc", "newsmtsc_split_name"]

log = logging.getLogger(__name__)

NEWSMTSC_POLARITY = {2.0: "against", 4.0: "neutral", 6.0: "favor"}


def newsmtsc_split_name(path: Path) -> str:
    parent = path.parent.name
    if parent.startswith("newsmtsc-"):
        return f"{parent[len('newsmtsc-'):]}-{path.stem}"
    return path.stem


def read_newsmtsc(path: Union[str, Path, None] = None, *, stats: Optional[ReadStats] = None) -> Iterator[StanceExample]:
    """One ``StanceExample`` per NewsMTSC target. ``path`` defaults to ``<data root>/newsmtsc/train.jsonl``.

    ``stats.rows`` counts sentences (lines); ``stats.skipped`` counts skipped lines and targets."""
    path = Path(path) if path is not None else default_data_root() / "newsmtsc" / "train.jsonl"
    stats = stats if stats is not None else ReadStats()
    split = newsmtsc_split_name(path)
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            stats.rows += 1
            try:
                rec = json.loads(line)
                text = rec["sentence_normalized"]
                targets = rec["targets"]
                if not isinstance(text, str) or not isinstance(targets, list):
                    raise TypeError("sentence_normalized must be a string and targets a list")
            except (ValueError, KeyError, TypeError) as exc:
                stats.skip("line")
                log.warning("%s:%d: skipping malformed NewsMTSC line: %s", path.name, lineno, exc)
                continue
            for i, tgt in enumerate(targets):
                try:
                    label = NEWSMTSC_POLARITY.get(float(tgt["polarity"]))
                    if label is None:
                        raise ValueError(f"polarity {tgt['polarity']!r} is not 2.0/4.0/6.0")
                    ex = StanceExample(
                        text=text,
                        speaker=None,
                        speaker_span=None,
                        target=tgt["mention"],
                        target_span=(int(tgt["from"]), int(tgt["to"])),
                        label=label,
                        source=f"newsmtsc:{split}:{lineno}:{i}",
                    )
                except (ValueError, KeyError, TypeError) as exc:
                    stats.skip("target")
                    log.warning("%s:%d: skipping NewsMTSC target %d: %s", path.name, lineno, i, exc)
                    continue
                stats.examples += 1
                yield ex
    if stats.skipped:
        log.warning("%s: skipped %d malformed NewsMTSC line(s)/target(s)", path.name, stats.skipped)
