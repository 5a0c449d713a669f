#!/usr/bin/env bash
# Two mint binaries side by side with the peers, in the same interleaved rounds: for a change
# that should not change speed (a refactor), the ratios to the peers must stay the same.
#
#   bench/old_new.sh OLD_MINT NEW_MINT            # 100 MB, 3 rounds
#   SIZE_MB=10 RUNS=5 bench/old_new.sh OLD NEW
#
# The corpus is the peer harness's own (../shared/bench/gen_corpus.py, the same seed and file
# size as run_peers.sh, so it reuses $WORK/corpus_<N>mb when that exists). Each round times,
# warm-cache and in this order: cat (I/O floor), rg (2 threads), peer_aho, then the old and
# the new mint, the first of the two alternating from round to round (the one run right after
# peer_aho is measurably slower). The mints run through bench/mint_adapter.sh, as in
# `bench/run.sh peers`. Their CSVs must be byte-identical to each other and to peer_aho's. Prints one Markdown table:
# median wall seconds per tool, and each mint's speed as a multiple of rg's and peer_aho's,
# computed within each round, then the median over rounds.
#
# Needs rg, /usr/bin/time and pyahocorasick (apt-get install ripgrep time; pip install
# pyahocorasick). Environment: WORK (/tmp/mint-bench), SIZE_MB (100), RUNS (3), SEED (42).
set -euo pipefail
[[ $# -eq 2 ]] || { echo "usage: $0 OLD_MINT NEW_MINT" >&2; exit 2; }
old=$(realpath "$1")
new=$(realpath "$2")
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared=$repo/../shared/bench
WORK=${WORK:-/tmp/mint-bench}
SIZE_MB=${SIZE_MB:-100}
RUNS=${RUNS:-3}
SEED=${SEED:-42}
WORDS_PER_FILE=5000
export PYTHONDONTWRITEBYTECODE=1
for tool in rg /usr/bin/time; do
  command -v "$tool" > /dev/null || { echo "missing $tool (apt-get install ripgrep time)" >&2; exit 2; }
done
python3 -c 'import ahocorasick' 2> /dev/null || { echo "missing pyahocorasick (pip install pyahocorasick)" >&2; exit 2; }

mkdir -p "$WORK/old_new"
out=$WORK/old_new
codebook=$shared/codebook_patterns.tsv

# The corpus: as run_peers.sh names and sizes it (64 calibration files give bytes per file).
calib=$WORK/old_new/calib
[[ -d $calib ]] || python3 "$shared/gen_corpus.py" "$calib" 64 "$WORDS_PER_FILE" "$SEED" 2> /dev/null
per_file=$(cat "$calib"/*.txt | wc -c | awk '{print $1/64}')
nfiles=$(awk -v mb="$SIZE_MB" -v b="$per_file" 'BEGIN{n=int(mb*1e6/b+0.5); print (n<1?1:n)}')
corpus=$WORK/corpus_${SIZE_MB}mb
if [[ ! -d $corpus || $(find "$corpus" -maxdepth 1 -name '*.txt' | wc -l) -ne $nfiles ]]; then
  echo "== generating $corpus ($nfiles files)"
  rm -rf "$corpus" "$corpus.id"
  python3 "$shared/gen_corpus.py" "$corpus" "$nfiles" "$WORDS_PER_FILE" "$SEED" --jobs "$(nproc)"
fi
python3 "$shared/bench_common.py" rg-patterns "$codebook" > "$out/rg_patterns.txt"
bytes=$(find "$corpus" -maxdepth 1 -name '*.txt' -printf '%s\n' | awk '{s+=$1} END{print s}')
echo "== $SIZE_MB MB: $nfiles files, $bytes bytes, $RUNS rounds; old $(sha256sum "$old" | cut -c1-12), new $(sha256sum "$new" | cut -c1-12)"
(cd "$corpus" && find . -maxdepth 1 -name '*.txt' -exec cat {} + > /dev/null)

tf=$out/time.out
rows=$out/rows.tsv
: > "$rows"
timed() {  # NAME STDOUT ARGV...: one run, a row "round name wall user sys rss"
  local name=$1 stdout=$2; shift 2
  local t0 t1 rc=0
  t0=$EPOCHREALTIME
  /usr/bin/time -f '%U %S %M' -o "$tf" "$@" > "$stdout" || rc=$?
  t1=$EPOCHREALTIME
  [[ $rc -eq 0 || ($name == rg && $rc -eq 1) ]] || { echo "$name exited with $rc" >&2; exit 1; }
  printf '%s\t%s\t%s\t%s\n' "$round" "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.4f", b-a}')" \
    "$(tail -1 "$tf" | tr ' ' '\t')" >> "$rows"
}
for ((round = 1; round <= RUNS; round++)); do
  timed cat /dev/null find "$corpus" -maxdepth 1 -name '*.txt' -exec cat {} +
  timed rg "$out/rg.out" rg --no-unicode --no-ignore -c -i -w -f "$out/rg_patterns.txt" "$corpus"
  timed peer_aho "$out/peer_aho.csv" python3 "$shared/peer_aho.py" "$corpus" "$codebook"
  # Alternate which mint goes first, so neither always runs just after the peer.
  order=(old new)
  ((round % 2)) || order=(new old)
  for which in "${order[@]}"; do
    bin=$old
    [[ $which == new ]] && bin=$new
    timed "mint_$which" "$out/mint_$which.csv" "$repo/bench/mint_adapter.sh" --mint "$bin" "$corpus" "$codebook"
  done
  echo "   round $round/$RUNS done; load average $(cut -d' ' -f1 /proc/loadavg)"
done
cmp "$out/mint_old.csv" "$out/mint_new.csv" || { echo "the two mints' CSVs differ" >&2; exit 1; }
cmp "$out/peer_aho.csv" "$out/mint_new.csv" || { echo "mint's CSV differs from peer_aho's" >&2; exit 1; }
echo "   CSVs: old mint = new mint = peer_aho"

python3 - "$rows" "$bytes" << 'EOF'
import statistics, sys
from collections import defaultdict
rows, size = sys.argv[1], int(sys.argv[2])
wall = defaultdict(dict)
rss = defaultdict(list)
for line in open(rows):
    r, name, w, user, system, kb = line.split("\t")
    wall[name][int(r)] = float(w)
    rss[name].append(int(kb))
med = lambda xs: statistics.median(xs)
print()
print("| tool | wall s (median) | MB/s | peak RSS MiB | x rg | x peer_aho |")
print("|---|---|---|---|---|---|")
for name in ["cat", "rg", "peer_aho", "mint_old", "mint_new"]:
    w = med(wall[name].values())
    vs = lambda peer: med([wall[peer][r] / wall[name][r] for r in wall[name]])
    ratios = f"{vs('rg'):.2f} | {vs('peer_aho'):.2f}" if name.startswith("mint") else "| "
    print(f"| {name} | {w:.3f} | {size / 1e6 / w:.0f} | {max(rss[name]) / 1024:.0f} | {ratios} |")
old = wall["mint_old"]; new = wall["mint_new"]
print()
per_round = [new[r] / old[r] for r in sorted(old)]
print(f"new / old wall time, per round: {', '.join(f'{x:.3f}' for x in per_round)}; median {med(per_round):.3f}")
EOF
