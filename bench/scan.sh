#!/usr/bin/env bash
# mint scan's benchmark: `mint scan` against `mint code` on the same corpus written by
# bench/gen_corpus.py (the corpus of bench/run.sh's "extra" step), interleaved rounds.
# The issue's target: scan at least a third of code's speed (ratio >= 0.33).
#
#   bench/scan.sh                  # SIZES_MB="10 100 1000", release build first
#   SIZES_MB=2 RUNS=1 BUILD=0 MINT=target/debug/mint bench/scan.sh   # a quick check
#
# Environment (defaults): WORK (/tmp/mint-bench), SIZES_MB ("10 100 1000"), RUNS (3 / 2 / 1
# rounds for <=10 / <=100 / larger MB), SEED (42), BUILD (1: cargo build --release first),
# MINT (target/release/mint), THREADS (unset: mint's default).  Rows go to
# $WORK/scan_bench.tsv; a Markdown summary to stdout.  Both commands run with the same
# reading flags; `mint scan` exits 1 when it finds something (the synthetic corpus has
# none planted), which is not a failure here.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench=$repo/bench
export WORK=${WORK:-/tmp/mint-bench}
SIZES_MB=${SIZES_MB:-"10 100 1000"}
SEED=${SEED:-42}
mint=${MINT:-$repo/target/release/mint}
[[ $mint == /* ]] || mint=$repo/$mint
if [[ ${BUILD:-1} == 1 ]]; then
  (cd "$repo" && cargo build --release -q)
fi
mkdir -p "$WORK"
cp "$mint" "$WORK/mint-scan-bench"
mint=$WORK/mint-scan-bench
threads=()
[[ -n ${THREADS:-} ]] && threads=(--threads "$THREADS")
runs_for() {
  if [[ -n ${RUNS:-} ]]; then echo "$RUNS"
  elif (($1 <= 10)); then echo 3
  elif (($1 <= 100)); then echo 2
  else echo 1; fi
}
corpus() {  # the same corpora as bench/run.sh (reused when the generator and seed match)
  local c=$WORK/mint_corpus_$1mb
  local id
  id="$(cat "$bench/gen_corpus.py" "$repo/../shared/bench/vocab_en.txt" \
        "$repo/../shared/bench/codebook_patterns.tsv" | md5sum | cut -c1-12) $SEED $1"
  if [[ ! -f $c.id || $(cat "$c.id") != "$id" ]]; then
    rm -rf "$c" "$c.id"
    echo "   generating $c" >&2
    python3 "$bench/gen_corpus.py" "$c" --mb "$1" --seed "$SEED" >&2
    echo "$id" > "$c.id"
  fi
  echo "$c"
}
rows=$WORK/scan_bench.tsv
printf 'size_mb\tbytes\tround\tcommand\twall_s\tload1\n' > "$rows"
read_flags=(--speakers Interviewer,Participant --interviewer Interviewer --glob '*.txt' --exclude '*/*')
for mb in $SIZES_MB; do
  c=$(corpus "$mb")
  bytes=$(find "$c" -maxdepth 1 -name '*.txt' -printf '%s\n' | awk '{s += $1} END {print s}')
  find "$c" -maxdepth 1 -name '*.txt' -exec cat {} + > /dev/null   # warm the page cache
  for ((r = 1; r <= $(runs_for "$mb"); r++)); do
    for cmd in code scan; do
      load=$(cut -d' ' -f1 /proc/loadavg)
      t0=$EPOCHREALTIME
      if [[ $cmd == code ]]; then
        "$mint" "${threads[@]}" code "$c" "${read_flags[@]}" --format csv -q > /dev/null
      else
        "$mint" "${threads[@]}" scan "$c" "${read_flags[@]}" --format csv -q > "$WORK/scan_${mb}mb.csv" || [[ $? == 1 ]]
      fi
      t1=$EPOCHREALTIME
      printf '%s\t%s\t%s\t%s\t%.3f\t%s\n' "$mb" "$bytes" "$r" "$cmd" "$(echo "$t1 - $t0" | bc -l)" "$load" >> "$rows"
    done
  done
done
echo "| size | mint code MB/s | mint scan MB/s | scan / code | findings |"
echo "|---|---|---|---|---|"
for mb in $SIZES_MB; do
  awk -F'\t' -v mb="$mb" -v f="$(($(wc -l < "$WORK/scan_${mb}mb.csv") - 1))" '
    NR > 1 && $1 == mb { bytes = $2; if (!($4 in best) || $5 < best[$4]) best[$4] = $5 }
    END {
      c = bytes / 1e6 / best["code"]; s = bytes / 1e6 / best["scan"]
      printf "| %s MB | %.1f | %.1f | %.2f | %d |\n", mb, c, s, s / c, f
    }' "$rows"
done
echo "(best of the rounds; rows in $rows)"
