#!/usr/bin/env bash
# mint's benchmark.  Run from anywhere; the repository is expected to sit beside shared/
# (../shared/bench from the repository root holds the peer harness).
#
#   bench/run.sh                 # both steps below
#   bench/run.sh peers           # mint against rg, pyahocorasick and Python re (peer harness)
#   bench/run.sh extra           # mint on its own: size, threads, codebook size, memory
#
# Step "peers": ../shared/bench/run_peers.sh with MINT_CMD set to bench/mint_adapter.sh, so
# mint is timed in the same interleaved rounds as the peers and its CSV is compared byte for
# byte with theirs (after the contract test).  Its results.{tsv,md} are copied to
# $WORK/peers_<sizes>mb.{tsv,md} so that runs with different SIZES_MB do not overwrite
# each other.
#
# Step "extra", on corpora written by bench/gen_corpus.py (fenced front matter) to
# $WORK/mint_corpus_<N>mb, mint called directly with the adapter's TOML codebook:
#   size     every size in EXTRA_SIZES_MB, default threads: wall, CPU, peak RSS (time -v);
#   threads  --threads 1 vs --threads 2 on THREADS_MB; the two CSVs must be identical (cmp);
#   scale    the codebook vs one SCALE times larger (mint_adapter.sh --scale) on SCALE_MB,
#            and peer_aho.py on the same codebooks for comparison, for each kind of extra
#            patterns in SCALE_KINDS: "vocab" (corpus words: about 10x the matches) and
#            "rare" (never match: the cost of size alone).  The rows of the real codes must
#            be identical, and on the smallest corpus mint's CSV for all the scaled
#            "vocab" codes must equal peer_aho's.
# Rounds are interleaved; every row records the 1-minute load average.  Raw rows go to
# $WORK/mint_extra.tsv, the summary (Markdown) to stdout and $WORK/mint_extra.md.
#
# Environment (defaults): WORK (/tmp/mint-bench), SIZES_MB ("10 100"; for the peers),
# RE_MAX_MB (100), EXTRA_SIZES_MB ("10 100 1000"), THREADS_MB (100), SCALE_MB (100),
# SCALE (10), SCALE_KINDS ("vocab rare"), RUNS (5 / 3 / 2 rounds for <=10 / <=100 / larger MB), SEED (42),
# BUILD (1: cargo build --release first).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bench=$repo/bench
shared=$repo/../shared/bench
export WORK=${WORK:-/tmp/mint-bench}
export PYTHONDONTWRITEBYTECODE=1
SIZES_MB=${SIZES_MB:-"10 100"}
EXTRA_SIZES_MB=${EXTRA_SIZES_MB-"10 100 1000"}   # may be set empty
THREADS_MB=${THREADS_MB:-100}
SCALE_MB=${SCALE_MB:-100}
SCALE=${SCALE:-10}
SCALE_KINDS=${SCALE_KINDS:-"vocab rare"}
SEED=${SEED:-42}
steps=("$@")
((${#steps[@]})) || steps=(peers extra)
mint=$repo/target/release/mint   # copied to $WORK/mint below
codebook=$shared/codebook_patterns.tsv
status=0

if [[ ${BUILD:-1} == 1 ]]; then
  (cd "$repo" && cargo build --release -q)
fi
# Others may rebuild target/release/mint while this runs: time one snapshot of it.
mkdir -p "$WORK"
cp "$mint" "$WORK/mint"
mint=$WORK/mint
echo "mint: $("$mint" --version), built $(date -r "$repo/target/release/mint" '+%F %T'), sha256 $(sha256sum "$mint" | cut -c1-12)"

load() { cut -d' ' -f1 /proc/loadavg; }
runs_for() {
  if [[ -n ${RUNS:-} ]]; then echo "$RUNS"
  elif (($1 <= 10)); then echo 5
  elif (($1 <= 100)); then echo 3
  else echo 2; fi
}

run_peers() {
  echo "== peers: SIZES_MB=\"$SIZES_MB\" RE_MAX_MB=${RE_MAX_MB:-100}"
  MINT_CMD="$bench/mint_adapter.sh --mint $mint {corpus} {codebook}" SIZES_MB=$SIZES_MB \
    "$shared/run_peers.sh" || status=$?
  local tag=${SIZES_MB// /_}
  cp "$WORK/results.tsv" "$WORK/peers_${tag}mb.tsv"
  [[ -f $WORK/results.md ]] && cp "$WORK/results.md" "$WORK/peers_${tag}mb.md"
  [[ -f $WORK/checks.tsv ]] && cp "$WORK/checks.tsv" "$WORK/peers_${tag}mb_checks.tsv"
  return 0
}

corpus() {  # $1 size in MB -> path of a (reused or new) corpus from bench/gen_corpus.py
  local c=$WORK/mint_corpus_$1mb
  local id
  id="$(cat "$bench/gen_corpus.py" "$shared/vocab_en.txt" "$codebook" | md5sum | cut -c1-12) $SEED $1"
  if [[ ! -f $c.id || $(cat "$c.id") != "$id" ]]; then
    rm -rf "$c" "$c.id"
    echo "   generating $c" >&2
    python3 "$bench/gen_corpus.py" "$c" --mb "$1" --seed "$SEED" >&2
    echo "$id" > "$c.id"
  fi
  echo "$c"
}

TF=$WORK/time_v.out
# timed KIND SIZE ROUND VARIANT OUT COMMAND... : one run, one row in $EXTRA
timed() {
  local kind=$1 mb=$2 round=$3 variant=$4 out=$5; shift 5
  local t0 t1 l
  l=$(load)
  t0=$EPOCHREALTIME
  /usr/bin/time -v -o "$TF" "$@" > "$out"
  t1=$EPOCHREALTIME
  awk -F': ' -v kind="$kind" -v mb="$mb" -v bytes="$BYTES" -v r="$round" -v v="$variant" \
      -v a="$t0" -v b="$t1" -v l="$l" '
    /User time/ {u = $2} /System time/ {s = $2} /Maximum resident/ {m = $2}
    END {printf "%s\t%s\t%s\t%s\t%s\t%.4f\t%s\t%s\t%s\t%s\n", kind, mb, bytes, r, v, b - a, u, s, m, l}
  ' "$TF" >> "$EXTRA"
}

run_extra() {
  EXTRA=$WORK/mint_extra.tsv
  mkdir -p "$WORK/out/extra"
  local O=$WORK/out/extra
  printf 'kind\tsize_mb\tbytes\tround\tvariant\twall_s\tuser_s\tsys_s\tmaxrss_kb\tload1\n' > "$EXTRA"
  local toml kind
  local -A toml_big tsv_big
  toml=$("$bench/mint_adapter.sh" --print-toml "$codebook")
  for kind in $SCALE_KINDS; do
    toml_big[$kind]=$("$bench/mint_adapter.sh" --scale "$SCALE" --kind "$kind" --print-toml "$codebook")
    tsv_big[$kind]=$WORK/codebook_x${SCALE}_$kind.tsv
    python3 "$bench/mint_adapter.py" --scale "$SCALE" --kind "$kind" "$codebook" "${tsv_big[$kind]}"
  done
  echo "== extra: machine $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  local all_sizes
  all_sizes=$(printf '%s\n' $EXTRA_SIZES_MB "$THREADS_MB" "$SCALE_MB" | awk '$1 > 0' | sort -nu)
  for mb in $all_sizes; do
    local c r R args
    c=$(corpus "$mb")
    BYTES=$(find "$c" -maxdepth 1 -name '*.txt' -printf '%s\n' | awk '{s += $1} END {print s}')
    R=$(runs_for "$mb")
    find "$c" -maxdepth 1 -name '*.txt' -exec cat {} + > /dev/null   # warm cache
    # the adapter's mint command line (bench/mint_adapter.sh), without the CSV post-processing
    args=(code "$c" --codebook "$toml" --speakers Interviewer,Participant --interviewer Interviewer
          --glob '*.txt' --exclude '*/*' --by level,sector --format csv --long -q)
    echo "== $mb MB: $(find "$c" -maxdepth 1 -name '*.txt' | wc -l) files, $BYTES bytes, $R round(s); load $(load)"
    for ((r = 1; r <= R; r++)); do
      if [[ " $EXTRA_SIZES_MB " == *" $mb "* ]]; then
        timed size "$mb" "$r" default "$O/size_${mb}.r$r.csv" "$mint" "${args[@]}"
      fi
      if [[ $mb == "$THREADS_MB" ]]; then
        timed threads "$mb" "$r" t1 "$O/t1_${mb}.r$r.csv" "$mint" "${args[@]}" --threads 1
        timed threads "$mb" "$r" t2 "$O/t2_${mb}.r$r.csv" "$mint" "${args[@]}" --threads 2
      fi
      if [[ $mb == "$SCALE_MB" ]]; then
        timed scale "$mb" "$r" x1 "$O/x1_${mb}.r$r.csv" "$mint" "${args[@]}"
        # the fastest peer too (it reads the fenced front matter as well)
        timed scale "$mb" "$r" peer_aho_x1 /dev/null python3 "$shared/peer_aho.py" "$c" "$codebook"
        for kind in $SCALE_KINDS; do
          local big=("${args[@]}"); big[3]=${toml_big[$kind]}
          timed scale "$mb" "$r" "x${SCALE}_$kind" "$O/x${SCALE}_${kind}_${mb}.r$r.csv" "$mint" "${big[@]}"
          timed scale "$mb" "$r" "peer_aho_x${SCALE}_$kind" /dev/null \
            python3 "$shared/peer_aho.py" "$c" "${tsv_big[$kind]}"
        done
      fi
      echo "   round $r/$R done; load $(load)"
    done
    if [[ $mb == "$THREADS_MB" ]]; then
      if cmp "$O/t1_${mb}.r1.csv" "$O/t2_${mb}.r1.csv"; then echo "   --threads 1 and 2: identical CSV"
      else echo "   --threads 1 and 2: CSVs DIFFER"; status=1; fi
    fi
    if [[ $mb == "$SCALE_MB" ]]; then
      for kind in $SCALE_KINDS; do
        if grep -v '^zz_synthetic,' "$O/x${SCALE}_${kind}_${mb}.r1.csv" | cmp - "$O/x1_${mb}.r1.csv"; then
          echo "   codebook x$SCALE ($kind): the real codes' rows are identical"
        else echo "   codebook x$SCALE ($kind): the real codes' rows DIFFER"; status=1; fi
      done
      # all the scaled codes, synthetic ones included, against the peer on the scaled TSV
      # (untimed, on the smallest corpus)
      if [[ " $SCALE_KINDS " == *" vocab "* ]]; then
        local small; small=$(corpus "$(printf '%s\n' $all_sizes | head -1)")
        if "$bench/mint_adapter.sh" --mint "$mint" --scale "$SCALE" --keep-synthetic "$small" "$codebook" |
           cmp - <(python3 "$shared/peer_aho.py" "$small" "${tsv_big[vocab]}"); then
          echo "   codebook x$SCALE (vocab), all codes, $(basename "$small"): same CSV as peer_aho"
        else echo "   codebook x$SCALE (vocab), all codes: mint DIFFERS from peer_aho"; status=1; fi
      fi
    fi
  done
  python3 - "$EXTRA" "$SCALE" $SCALE_KINDS <<'EOF' | tee "$WORK/mint_extra.md"
import csv, statistics, sys
from collections import defaultdict
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
scale, kinds = sys.argv[2], sys.argv[3:]
med = statistics.median
by = defaultdict(list)
for r in rows:
    by[(r["kind"], int(r["size_mb"]), r["variant"])].append(r)
def f(rs, k): return [float(r[k]) for r in rs]
def cpu(rs): return [u + s for u, s in zip(f(rs, "user_s"), f(rs, "sys_s"))]
def loads(rs): return f"{min(f(rs, 'load1')):.1f}-{max(f(rs, 'load1')):.1f}"
if any(k[0] == "size" for k in by):
    print("\n### Size (default threads)\n")
    print("| size | bytes | rounds | wall s (median) | wall s (min) | MB/s | wall s per 100 MB "
          "| CPU s | CPU s per 100 MB | peak RSS MiB | load (1 min) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
for (kind, mb, v), rs in sorted(by.items(), key=lambda kv: kv[0][1]):
    if kind != "size":
        continue
    b = int(rs[0]["bytes"]); w = med(f(rs, "wall_s")); c = med(cpu(rs))
    print(f"| {mb} MB | {b:,} | {len(rs)} | {w:.3f} | {min(f(rs, 'wall_s')):.3f} | {b / 1e6 / w:.1f} | "
          f"{w / (b / 1e8):.3f} | {c:.2f} | {c / (b / 1e8):.3f} | "
          f"{max(f(rs, 'maxrss_kb')) / 1024:.0f} | {loads(rs)} |")
def pair(kind, a, b_, title, label_a, label_b):
    for k in [k for k in by if k[0] == kind and k[2] == a]:
        ra, rb = by[k], by[(kind, k[1], b_)]
        ratios = [float(y["wall_s"]) / float(x["wall_s"]) for x, y in zip(ra, rb)]
        if kind == "threads":  # report the speed-up, t1 / t2
            ratios = [1 / x for x in ratios]
        cr = [y / x for x, y in zip(cpu(ra), cpu(rb))]
        print(f"\n### {title} ({k[1]} MB, {len(ra)} rounds)\n")
        print("| variant | wall s (median) | MB/s | CPU s | peak RSS MiB | load (1 min) |")
        print("|---|---:|---:|---:|---:|---|")
        for lab, rs in ((label_a, ra), (label_b, rb)):
            b = int(rs[0]["bytes"]); w = med(f(rs, "wall_s"))
            print(f"| {lab} | {w:.3f} | {b / 1e6 / w:.1f} | {med(cpu(rs)):.2f} | "
                  f"{max(f(rs, 'maxrss_kb')) / 1024:.0f} | {loads(rs)} |")
        what = ("speed-up of --threads 2 (wall t1 / wall t2)" if kind == "threads"
                else f"time ratio, {label_b} / {label_a}")
        print(f"\nPer round, {what}: median {med(ratios):.2f} "
              f"(rounds: {', '.join(f'{x:.2f}' for x in ratios)}); "
              f"CPU time ratio {label_b} / {label_a}: median {med(cr):.2f}")
pair("threads", "t1", "t2", "Threads", "--threads 1", "--threads 2")
for kind in kinds:
    pair("scale", "x1", f"x{scale}_{kind}", f"Codebook x{scale} ({kind}), mint",
         "codebook (57 codes, 388 patterns)", f"codebook x{scale} ({kind})")
    pair("scale", "peer_aho_x1", f"peer_aho_x{scale}_{kind}",
         f"Codebook x{scale} ({kind}), peer_aho.py for comparison",
         "codebook (57 codes, 388 patterns)", f"codebook x{scale} ({kind})")
EOF
}

for step in "${steps[@]}"; do
  case $step in
    peers) run_peers ;;
    extra) run_extra ;;
    *) echo "unknown step $step (peers | extra)" >&2; exit 2 ;;
  esac
done
exit $status
