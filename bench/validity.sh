#!/usr/bin/env bash
# Validity of the default codebook on real, off-topic text (issue 16, item 3): the share of
# off-topic segments mint codes, per code, the themes per coded segment, and the recall where the
# human category has a counterpart among the six themes.  Prints a Markdown report.  Not a test and
# not in CI: it needs the real data sets kept outside the repository.
#
#   bench/validity.sh                        # target/release/mint (under CARGO_TARGET_DIR)
#   bench/validity.sh path/to/mint           # another binary, e.g. an older build to compare
#
# Data (read only, never copied; scratch goes to a temporary folder removed at the end):
#   ../shared/real-data/nhs-fft-phase1/comments.csv  8,808 NHS Friends and Family Test comments,
#       one human `code` each, read as a survey (--text-column feedback --id-column row_index).
#       Off-topic: every code without a counterpart among the six themes, i.e. all but
#       ti tt tx tc (joined-up care), xf ap (organisation), sp (professional), sl (workforce),
#       mi (information), wa wb cc co (delivery), cl (impact).  The mapping of the on-topic codes
#       to theme ids, and why, is in bench/validity.py.
#   ../shared/real-data/serdif-thinkaloud/transcripts  17 think-aloud sessions (.odt) of
#       researchers trying a data tool: every participant segment is off-topic.  Coded by turn
#       (the headline) and by sentence.
#
# Environment: REAL_DATA (default ../shared/real-data beside the repository), KEEP=1 keeps the
# scratch folder, MINT_CODEBOOK=path codes with that codebook file instead of the binary's
# embedded default (to measure an edited codebooks/mint.toml without rebuilding:
# `MINT_CODEBOOK=codebooks/mint.toml bench/validity.sh /path/to/any/mint`).  Exits 0 with a message when the data is absent; 2 when mint fails.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data=${REAL_DATA:-$repo/../shared/real-data}
mint=${1:-${CARGO_TARGET_DIR:-$repo/target}/release/mint}
nhs=$data/nhs-fft-phase1/comments.csv
serdif=$data/serdif-thinkaloud/transcripts

if [[ ! -f $nhs && ! -d $serdif ]]; then
  echo "validity: skipped: no real data at $data (needs nhs-fft-phase1/ or serdif-thinkaloud/)"
  exit 0
fi
if [[ ! -x $mint ]]; then
  echo "validity: no mint binary at $mint (cargo build --release, or give its path)" >&2
  exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/mint-validity.XXXXXX")
if [[ ${KEEP:-0} != 1 ]]; then
  trap 'rm -rf "$work"' EXIT
fi

# Runs mint code with the default codebook (or $MINT_CODEBOOK); keeps stderr (its summary line)
# for the report.
codebook=()
book="default codebook"
if [[ -n ${MINT_CODEBOOK:-} ]]; then
  if [[ ! -f $MINT_CODEBOOK ]]; then
    echo "validity: no codebook at $MINT_CODEBOOK" >&2
    exit 2
  fi
  codebook=(--codebook "$MINT_CODEBOOK")
  book="codebook $MINT_CODEBOOK, sha256 $(sha256sum "$MINT_CODEBOOK" | cut -c1-12)…"
fi
code() {
  local name=$1
  shift
  if ! "$mint" code "$@" ${codebook[@]+"${codebook[@]}"} --codings "$work/$name.csv" --rules "$work/$name.rules.csv" \
    >"$work/$name.out" 2>"$work/$name.err"; then
    echo "validity: mint code failed on $name:" >&2
    cat "$work/$name.err" >&2
    exit 2
  fi
}

echo "## Validity report ($("$mint" --version), $book)"
echo
args=()
if [[ -f $nhs ]]; then
  code nhs "$nhs" --text-column feedback --id-column row_index --by code
  args+=("$nhs" "$work/nhs.csv" "$work/nhs.err" "$work/nhs.rules.csv")
else
  echo "validity: skipped the NHS set: no $nhs"
  args+=(- - - -)
fi
if [[ -d $serdif ]]; then
  code serdif-turn "$serdif" --glob '*.odt'
  code serdif-sentence "$serdif" --glob '*.odt' --unit sentence
  for unit in turn sentence; do
    args+=("$work/serdif-$unit.csv" "$work/serdif-$unit.err" "$work/serdif-$unit.rules.csv")
  done
else
  echo "validity: skipped the SERDIF set: no $serdif"
  args+=(- - - - - -)
fi
python3 "$repo/bench/validity.py" "${args[@]}"
