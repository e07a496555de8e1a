"""Rebuild ``data/lexicons/cue_lexicon.tsv`` from the maintained quote-verb list and PolNeAR train.

For every (lemma, coarse POS) of a verb or noun in PolNeAR train, count the tokens and how
many of them lie inside an annotated cue span; the ratio is the lemma's precision as a cue.
The maintained list (Gender Gap Tracker quote verbs, MIT) marks the lemmas a curated
reporting-verb list holds, so that rare but genuine reporting verbs are kept.

    python -m claimstance.data.cue_lexicon [--data-root DIR] [--output data/lexicons/cue_lexicon.tsv]

Only PolNeAR *train* is read: dev stays for evaluation.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path
from typing import Iterable

from tqdm import tqdm

from claimstance.data.polnear import PolnearDoc, iter_polnear, polnear_split_dir
from claimstance.data.root import default_data_root
from claimstance.infer.text.parse import load_spacy

POS = ("VERB", "NOUN")
HEADER = (
    "# Cue lexicon: lemma, coarse POS, whether the lemma is on the maintained quote-verb list\n"
    "# (Gender Gap Tracker, MIT), and its counts on PolNeAR train (tokens inside an annotated cue / all tokens).\n"
    "# Rebuilt by `python -m claimstance.data.cue_lexicon`. Lemmas seen fewer than 2 times are left out.\n"
)


def maintained_lemmas(path: Path, nlp) -> set[str]:
    """Lemmas of the inflected forms on the maintained list."""
    forms = [w.strip() for w in path.read_text("utf-8").splitlines() if w.strip()]
    lemmas = set()
    for form in forms:
        doc = nlp(f"They {form} it.")
        lemmas.add(doc[1].lemma_.lower())
        lemmas.add(form.lower())
    return lemmas


def count_cues(pairs: Iterable[tuple["object", PolnearDoc]]) -> dict[tuple[str, str], list[int]]:
    """(lemma, pos) -> [tokens inside a gold cue, all tokens], over parsed docs with their gold."""
    counts: dict[tuple[str, str], list[int]] = collections.defaultdict(lambda: [0, 0])
    for doc, gold in pairs:
        cue_chars = set()
        for attribution in gold.attributions:
            if attribution.cue is None:
                continue
            for s, e in attribution.cue.parts or ((attribution.cue.start, attribution.cue.end),):
                cue_chars.update(range(s, e))
        for token in doc:
            if token.pos_ not in POS:
                continue
            key = (token.lemma_.lower(), token.pos_)
            counts[key][1] += 1
            if token.idx in cue_chars:
                counts[key][0] += 1
    return counts


def write_lexicon(counts, maintained: set[str], output: Path) -> int:
    rows = []
    for (lemma, pos), (cue, total) in counts.items():
        on_list = pos == "VERB" and lemma in maintained
        if total < 2 and not on_list:
            continue
        if cue == 0 and not on_list:
            continue
        rows.append((lemma, pos, int(on_list), cue, total))
    for lemma in sorted(maintained):
        if (lemma, "VERB") not in counts:
            rows.append((lemma, "VERB", 1, 0, 0))
    rows.sort(key=lambda r: (r[1], -r[3], r[0]))
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        f.write("lemma\tpos\tin_maintained_list\tcue_count\ttotal\n")
        for row in rows:
            f.write("\t".join(str(x) for x in row) + "\n")
    return len(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-root", type=Path, default=None)
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "lexicons" / "cue_lexicon.tsv")
    parser.add_argument("--spacy-model", default="en_core_web_sm")
    args = parser.parse_args(argv)
    root = args.data_root or default_data_root()
    nlp = load_spacy(args.spacy_model)
    gold = list(iter_polnear(polnear_split_dir("train", root), annotators="first"))
    docs = nlp.pipe((g.text for g in gold), batch_size=16)
    counts = count_cues(tqdm(zip(docs, gold), total=len(gold), desc="PolNeAR train"))
    maintained = maintained_lemmas(root / "ggt_quote_verbs" / "quote_verb_list.txt", nlp)
    n = write_lexicon(counts, maintained, args.output)
    print(f"wrote {n} lemmas to {args.output}")


if __name__ == "__main__":
    main()
