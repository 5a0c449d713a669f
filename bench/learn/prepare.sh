#!/usr/bin/env bash
# The human codings of the two real dev sets of `mint learn` (issue 19), as sheets mint reads
# with `--from`.  Not a test and not in CI: the data is kept outside the repository.
#
#   bench/learn/prepare.sh OUTDIR          # MINT=path/to/mint for the SERDIF codings
#
# Writes:
# - OUTDIR/nhs-codings.csv: the NHS Friends and Family Test comments' human category
#   (`label`), one row per comment, as a `participant,turn,code` sheet: participant is the
#   comment's `row_index`, turn its number among the comments with text (mint's survey reader
#   makes each non-empty answer one turn and numbers the turns of a file from 1, in row order).
#   Code it with
#     mint learn REAL_DATA/nhs-fft-phase1/comments.csv --text-column feedback \
#         --id-column row_index --from OUTDIR/nhs-codings.csv
# - OUTDIR/serdif-codings.csv: the SERDIF authors' Taguette highlights as a
#   `file,start,end,code,coder` sheet (tools/serdif-codings; needs a mint binary), for
#     mint learn REAL_DATA/serdif-thinkaloud/transcripts/raw --glob '*.odt' \
#         --from OUTDIR/serdif-codings.csv
#
# Environment: REAL_DATA (default ../shared/real-data beside the repository), MINT (default
# `mint` on PATH; only the SERDIF sheet needs it).  A data set that is absent is skipped with a
# message; exits 0 then, 2 on an error.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
real=${REAL_DATA:-$repo/../shared/real-data}
mint=${MINT:-mint}

if [[ $# -ne 1 ]]; then
    echo "usage: bench/learn/prepare.sh OUTDIR" >&2
    exit 2
fi
out=$1
mkdir -p "$out"

nhs=$real/nhs-fft-phase1/comments.csv
if [[ -f $nhs ]]; then
    python3 - "$nhs" "$out/nhs-codings.csv" <<'PY'
import csv, sys
src, dst = sys.argv[1:]
turn = rows = 0
with open(src, newline="", encoding="utf-8-sig") as fin, \
        open(dst + ".tmp", "w", newline="", encoding="utf-8") as fout:
    out = csv.writer(fout, lineterminator="\n")
    out.writerow(["participant", "turn", "code"])
    for row in csv.DictReader(fin):
        rows += 1
        # As mint's survey reader: a row whose answer is empty is no turn.
        if not row["feedback"].strip():
            continue
        turn += 1
        label = row["label"].strip()
        if label:
            out.writerow([row["row_index"].strip(), turn, label])
import os
os.replace(dst + ".tmp", dst)
print(f"bench/learn/prepare.sh: {dst}: {turn} comments with text of {rows} rows",
      file=sys.stderr)
PY
else
    echo "bench/learn/prepare.sh: skipped NHS FFT: no $nhs (it is kept outside the repository)"
fi

serdif=$real/serdif-thinkaloud
if [[ -d $serdif/transcripts/raw && -f $serdif/thematic-analysis/all_tags_20220303.csv ]]; then
    if ! command -v "$mint" >/dev/null 2>&1; then
        echo "bench/learn/prepare.sh: no mint binary at '$mint': set MINT=path/to/mint" >&2
        exit 2
    fi
    "$repo/tools/serdif-codings" --mint "$mint" "$serdif" "$out/serdif-codings.csv.tmp"
    mv "$out/serdif-codings.csv.tmp" "$out/serdif-codings.csv"
else
    echo "bench/learn/prepare.sh: skipped SERDIF: no data at $serdif (it is kept outside the repository)"
fi
