#!/usr/bin/env python3
"""Regenerates en.tsv, the general-English background list of `mint emerge`.

Source: the `wordfreq` 3.1.1 package from PyPI (code Apache-2.0, data
CC BY-SA 4.0; see ATTRIBUTION.md). Usage, from this folder:

    pip download --no-deps -d /tmp/wf wordfreq==3.1.1
    unzip -q /tmp/wf/wordfreq-3.1.1-py3-none-any.whl -d /tmp/wf/whl
    pip install msgpack
    python3 make_en.py /tmp/wf/whl/wordfreq/data/large_en.msgpack.gz > en.tsv

Keeps the words of lower-case ASCII letters (hyphens allowed inside) that
occur at least once per million words (Zipf >= 3.0), most frequent first,
then alphabetical. Each line is `word<TAB>zipf`, the Zipf value being
log10 of the occurrences per billion words, with two decimals, exactly as
wordfreq stores it (one bin per hundredth).
"""
import gzip
import re
import sys

import msgpack

MIN_ZIPF = 3.0


def main(path):
    with gzip.open(path, "rb") as f:
        data = msgpack.load(f, raw=False)
    header, bins = data[0], data[1:]
    if header != {"format": "cB", "version": 1}:
        raise SystemExit(f"unexpected header {header!r}")
    out = sys.stdout
    out.write("# word\tzipf  (derived from wordfreq 3.1.1, CC BY-SA 4.0: see ATTRIBUTION.md)\n")
    for index, words in enumerate(bins):
        # Bin i holds the words of frequency 10^(-i/100): Zipf = 9 - i/100.
        zipf = 9 - index / 100
        if zipf < MIN_ZIPF - 1e-9:
            break
        for word in sorted(w for w in words if re.fullmatch(r"[a-z]+(?:-[a-z]+)*", w)):
            out.write(f"{word}\t{zipf:.2f}\n")


if __name__ == "__main__":
    main(sys.argv[1])
