#!/usr/bin/env python3
"""A folds CSV for bench/learn/baseline.py made without mint, from a survey CSV and its
`participant,turn,code` sheet (bench/learn/prepare.sh): to check the baseline on its own.

Usage: bench/learn/survey_folds.py SURVEY.csv TEXT_COLUMN ID_COLUMN CODINGS.csv K SEED > FOLDS.csv

Each non-empty answer is one segment (turn numbered from 1 among them, as mint's survey reader
does); participants are dealt into K folds at random from SEED (Python's random.shuffle), so no
participant is in two folds. The output has baseline.py's columns
`segment_id,participant,fold,codes,text`. mint's own folds (`--folds-out`) are the ones the
benchmark compares on; these only check that the baseline measures what the issue says.
"""

import csv
import random
import sys
from collections import defaultdict


def main(argv):
    if len(argv) != 6:
        sys.stderr.write(__doc__)
        return 2
    survey, text_col, id_col, codings, k, seed = argv
    k, seed = int(k), int(seed)
    codes = defaultdict(set)
    with open(codings, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            codes[(row["participant"], int(row["turn"]))].add(row["code"])
    segments = []
    with open(survey, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            text = row[text_col].strip()
            if text:
                segments.append((row[id_col].strip(), len(segments) + 1, text))
    people = sorted({p for p, _, _ in segments})
    random.Random(seed).shuffle(people)
    fold = {p: i % k for i, p in enumerate(people)}
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["segment_id", "participant", "fold", "codes", "text"])
    for participant, turn, text in segments:
        out.writerow([turn, participant, fold[participant],
                      ";".join(sorted(codes[(participant, turn)])), text])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
