#!/usr/bin/env bash
# mint in CI: code a new batch of interviews, compare it with the last committed results, and
# check agreement with a hand-coded sample. Plain bash; run it from any CI system.
#
#   examples/ci/mint-ci.sh TRANSCRIPTS RESULTS [HAND_CODED.csv]
#
# TRANSCRIPTS   the folder of interviews (all batches so far).
# RESULTS       a folder kept in the repository: results.json (the last run, committed), and
#               the reports of this run, which CI keeps as artifacts: matrix.csv, codings.csv,
#               diff.txt, agree.txt, disagreements.csv.
# HAND_CODED    optional: human codings of a sample (a codings CSV, `mint codings` output, or
#               a .qdpx exported from NVivo or QualCoder). mint's codings must agree with them
#               with kappa >= MIN_KAPPA (0.6), or the run fails.
#
# Environment: MINT (the mint binary; default `mint`), CODEBOOK (the study's codebook; default
# the embedded one), ATTRIBUTES (an attributes sheet), MIN_KAPPA (0.6), MAX_CHANGE (0: any
# change to the results needs review), CACHE (.mint-cache: files whose bytes did not change
# are not coded again).
#
# Exit status: 0 when the results are unchanged (or first seen) and the agreement holds; 1 when
# the results changed beyond MAX_CHANGE (review diff.txt, then commit the new results.json) or
# the agreement is below MIN_KAPPA; 2 on an error.
set -euo pipefail
transcripts=${1:?usage: mint-ci.sh TRANSCRIPTS RESULTS [HAND_CODED.csv]}
results=${2:?usage: mint-ci.sh TRANSCRIPTS RESULTS [HAND_CODED.csv]}
hand=${3:-}
mint=${MINT:-mint}
mkdir -p "$results"
attributes=()
if [[ -n ${ATTRIBUTES:-} ]]; then
  attributes=(--attributes "$ATTRIBUTES")
fi
codebook=()
if [[ -n ${CODEBOOK:-} ]]; then
  codebook=(--codebook "$CODEBOOK")
fi
status=0

# 1. Code the batch (the cache skips files coded before).
"$mint" code "$transcripts" "${codebook[@]}" "${attributes[@]}" --cache "${CACHE:-.mint-cache}" \
  --matrix "$results/matrix.csv" --codings "$results/codings.csv" --format json \
  > "$results/new.json"

# 2. What changed since the last committed run.
if [[ -f $results/results.json ]]; then
  rc=0
  "$mint" diff "$results/results.json" "$results/new.json" --max-change "${MAX_CHANGE:-0}" \
    > "$results/diff.txt" || rc=$?
  case $rc in
    0) echo "mint-ci: results unchanged" ;;
    1) echo "mint-ci: results changed: review $results/diff.txt, then commit results.json"; status=1 ;;
    *) exit "$rc" ;;
  esac
else
  echo "mint-ci: first run: commit $results/results.json"
fi
mv "$results/new.json" "$results/results.json"

# 3. Agreement with the hand-coded sample.
if [[ -n $hand ]]; then
  rc=0
  "$mint" agree "$hand" "$transcripts" "${codebook[@]}" "${attributes[@]}" --min-kappa "${MIN_KAPPA:-0.6}" \
    --disagreements "$results/disagreements.csv" > "$results/agree.txt" || rc=$?
  case $rc in
    0) echo "mint-ci: agreement with $hand holds (kappa >= ${MIN_KAPPA:-0.6})" ;;
    1) echo "mint-ci: agreement with $hand is below kappa ${MIN_KAPPA:-0.6}: see $results/agree.txt"; status=1 ;;
    *) exit "$rc" ;;
  esac
fi
exit "$status"
