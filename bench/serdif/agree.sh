#!/usr/bin/env bash
# A worked example of validating a codebook with `mint agree` (issue 18): how far mint, coding the
# SERDIF think-aloud transcripts with bench/serdif/serdif.toml, agrees with the study's authors,
# whose Taguette codings are the reference.  Not a test and not in CI: the data is GPL-3.0 and kept
# outside the repository (bench/serdif/README.md).
#
#   MINT=path/to/mint bench/serdif/agree.sh            # table of figures on stdout
#   MINT=... bench/serdif/agree.sh --format json       # extra arguments go to `mint agree`
#
# Builds nothing: MINT is the binary (default: `mint` on PATH).  Environment: REAL_DATA (default
# ../shared/real-data beside the repository), CODEBOOK (default bench/serdif/serdif.toml),
# UNIT (default sentence: the unit of the published figures; turn, paragraph or char also work),
# DISAGREEMENTS=FILE.csv keeps the disagreements file (else it stays in the scratch folder),
# KEEP=1 keeps the scratch folder.  Exits 0 with a message when the data is absent; otherwise
# with mint agree's status (0, or 1 under a --min-kappa gate, 2 on an error).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
data=${REAL_DATA:-$repo/../shared/real-data}/serdif-thinkaloud
mint=${MINT:-mint}
codebook=${CODEBOOK:-$repo/bench/serdif/serdif.toml}

if [[ ! -d $data/transcripts/raw || ! -f $data/thematic-analysis/all_tags_20220303.csv ]]; then
    echo "bench/serdif/agree.sh: skipped: the SERDIF data is not at $data (it is kept outside the repository)"
    exit 0
fi
if ! command -v "$mint" >/dev/null 2>&1; then
    echo "bench/serdif/agree.sh: no mint binary at '$mint': set MINT=path/to/mint" >&2
    exit 2
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/serdif-agree.XXXXXX")
if [[ ${KEEP:-} == 1 ]]; then
    echo "bench/serdif/agree.sh: scratch kept in $scratch" >&2
else
    trap 'rm -rf "$scratch"' EXIT
fi

# 1. The authors' highlights as a human codings CSV (file,start,end,code,coder).
"$repo/tools/serdif-codings" --mint "$mint" "$data" "$scratch/authors-all.csv"

# 2. Only the codes the codebook has (its code ids are the authors' tag names).
python3 - "$codebook" "$scratch/authors-all.csv" "$scratch/authors.csv" <<'PY'
import csv, sys, tomllib
codebook, src, dst = sys.argv[1:]
with open(codebook, "rb") as f:
    ids = {code["id"] for code in tomllib.load(f)["codes"]}
kept = dropped = 0
with open(src, newline="", encoding="utf-8") as fin, \
        open(dst, "w", newline="", encoding="utf-8") as fout:
    rows = csv.DictReader(fin)
    out = csv.DictWriter(fout, fieldnames=rows.fieldnames, lineterminator="\n")
    out.writeheader()
    for row in rows:
        if row["code"] in ids:
            out.writerow(row)
            kept += 1
        else:
            dropped += 1
print(f"bench/serdif/agree.sh: {kept} codings of the codebook's {len(ids)} codes kept, "
      f"{dropped} of other codes left out", file=sys.stderr)
PY

# 3. The authors (reference) against mint coding the transcripts, sentence by sentence.
status=0
"$mint" agree "$scratch/authors.csv=$codebook" "$data/transcripts/raw=$codebook" \
    --glob '*.odt' --unit "${UNIT:-sentence}" \
    --disagreements "${DISAGREEMENTS:-$scratch/disagreements.csv}" "$@" || status=$?
exit "$status"
