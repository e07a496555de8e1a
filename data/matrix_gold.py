"""Hand-annotated speaker → party stance cells, read and checked against the article texts under the data root.

* ``dev``: the matrix dev set (``data/matrix/cells-*.jsonl``) on PolNeAR dev articles: the
  headline stance figure, never tuned on;
* ``tune``: a smaller set (``data/matrix/tune/cells-*.jsonl``) on PolNeAR train articles, written
  the same way, for error analysis and the choices the matrix stage makes.

See ``data/matrix/README.md`` for the annotation rules. A malformed cell (unknown or missing key,
a label outside favor / against / neutral, evidence that is not in its article) is an error: this
is our gold, and a typo must not silently drop a case.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Optional

from claimstance.data.root import default_data_root
from claimstance.data.stance_examples import annotated_rows
from claimstance.errors import DataNotFound

__all__ = ["SPLITS", "GoldCell", "article_path", "read_matrix_gold", "select_articles"]

_KEYS = {"article", "speaker", "speaker_aliases", "target", "target_aliases", "label", "evidence", "note"}
SPLITS = {"dev": ("", "dev"), "tune": ("tune", "train")}  # split -> (folder under data/matrix, PolNeAR split)


@dataclass(frozen=True)
class GoldCell:
    article: str  # the PolNeAR file name without .txt
    speaker: str
    speaker_aliases: tuple[str, ...]
    target: str
    target_aliases: tuple[str, ...]
    label: str
    evidence: str
    note: str
    where: str  # file:line


def _split(split: str) -> tuple[str, str]:
    if split not in SPLITS:
        raise ValueError(f"matrix split must be one of {', '.join(SPLITS)}, got {split!r}")
    return SPLITS[split]


def gold_files(directory: Optional[Path] = None, split: str = "dev") -> list[Path]:
    folder = Path(directory) if directory else Path(str(resources.files("claimstance.data.matrix"))) / _split(split)[0]
    return sorted(folder.glob("cells-*.jsonl"))


def _text_dir(split: str, root: Optional[Path] = None) -> Path:
    return (Path(root) if root else default_data_root()) / "polnear" / "data" / _split(split)[1] / "text"


def article_path(article: str, root: Optional[Path] = None, split: str = "dev") -> Path:
    return _text_dir(split, root) / f"{article}.txt"


def read_matrix_gold(directory: Optional[Path] = None, root: Optional[Path] = None, split: str = "dev"
                     ) -> tuple[list[GoldCell], dict[str, str]]:
    """The gold cells of ``split`` (or of ``directory``, over that split's articles) and the texts of
    their articles (by article name), checked."""
    cells, texts, seen = [], {}, set()
    files = gold_files(directory, split)
    if not files:
        raise DataNotFound(f"no cells-*.jsonl under {directory or ('data/matrix/' + _split(split)[0])}")
    for path in files:
        for row in annotated_rows(path, _KEYS):
            where = row["where"]
            if row["article"] not in texts:
                path_txt = article_path(row["article"], root, split)
                if not path_txt.is_file():
                    raise DataNotFound(f"{where}: {path_txt} does not exist (PolNeAR; see docs/data.md)")
                texts[row["article"]] = path_txt.read_text("utf-8")
            if row["evidence"] not in texts[row["article"]]:
                raise ValueError(f"{where}: the evidence is not in the article: {row['evidence'][:60]!r}")
            key = (row["article"], row["speaker"], row["target"])
            if key in seen:
                raise ValueError(f"{where}: a second cell for {key}")
            seen.add(key)
            aliases = lambda name, extra: tuple(dict.fromkeys([name, *extra]))  # noqa: E731
            cells.append(GoldCell(row["article"], row["speaker"], aliases(row["speaker"], row["speaker_aliases"]),
                                  row["target"], aliases(row["target"], row["target_aliases"]), row["label"],
                                  row["evidence"], row["note"], where))
    return cells, texts


def select_articles(root: Optional[Path] = None, n: int = 32, min_words: int = 280, max_words: int = 1150,
                    split: str = "dev") -> list[str]:
    """The annotated articles: PolNeAR articles of ``split`` with ``min_words``..``max_words`` words,
    ordered by the SHA-1 of their name (without .txt), the first ``n`` (dev: 32; tune: 12)."""
    folder = _text_dir(split, root)
    names = []
    for path in folder.glob("*.txt"):
        words = len(path.read_text("utf-8").split())
        if min_words <= words <= max_words:
            names.append(path.stem)
    return sorted(names, key=lambda s: hashlib.sha1(s.encode("utf-8")).hexdigest())[:n]
