#!/usr/bin/env bash
# Runs `mint code` under the peer benchmark's contract (the MINT_CMD hook of
# ../shared/bench/run_peers.sh, seen from the repository root):
#
#   mint_adapter.sh [--threads N] [--scale K [--kind K] [--keep-synthetic]] [--mint PATH] CORPUS CODEBOOK.tsv
#       -> theme,code,level,sector,turns,participants on stdout
#   mint_adapter.sh [--scale K [--kind K]] --print-toml CODEBOOK.tsv
#       -> the path of the converted TOML codebook (bench/run.sh times mint directly)
#   --scale K [--kind vocab|rare]: a codebook K times larger (see mint_adapter.py); its
#   synthetic codes are left out of the CSV unless --keep-synthetic is given (to compare
#   with a peer run on the scaled TSV, which mint_adapter.py also writes).
#
# 1. The TSV is converted to a mint TOML codebook by mint_adapter.py (see there), once:
#    the result is cached in $MINT_ADAPTER_CACHE (default $TMPDIR/mint-adapter-cache),
#    keyed by a hash of the TSV, of mint_adapter.py, and by --scale and --kind.
# 2. mint reads only *.txt directly inside CORPUS (--glob, and --exclude '*/*' because
#    mint recurses), takes only `Interviewer:` and `Participant:` as speaker labels,
#    and writes a long CSV broken down by level and sector.  The corpus header (lines
#    of `key: value` up to the first blank line) is read by mint as front matter.
# 3. awk keeps the code rows (not the theme rows with an empty code, not the `(all)`
#    totals, not --scale's synthetic theme), splits the code id `<theme>__<code>`
#    back, and sort orders them byte-wise by (theme, code, level, sector).
# Bash, sha256sum, awk and sort start in a few milliseconds; Python would cost ~50 ms
# a call here, which would show in the 10 MB timings.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mint=$here/../target/release/mint
threads='' scale=1 kind=vocab print_toml=0 keep=0
while (($#)); do
  case $1 in
    --threads) threads=$2; shift 2 ;;
    --scale) scale=$2; shift 2 ;;
    --kind) kind=$2; shift 2 ;;
    --mint) mint=$2; shift 2 ;;
    --print-toml) print_toml=1; shift ;;
    --keep-synthetic) keep=1; shift ;;
    *) break ;;
  esac
done
usage="usage: mint_adapter.sh [--threads N] [--scale K [--kind vocab|rare] [--keep-synthetic]] [--mint PATH] CORPUS CODEBOOK.tsv"
if ((print_toml)); then (($# == 1)) || { echo "$usage" >&2; exit 2; }; tsv=$1
else (($# == 2)) || { echo "$usage" >&2; exit 2; }; corpus=$1 tsv=$2
fi

cache=${MINT_ADAPTER_CACHE:-${TMPDIR:-/tmp}/mint-adapter-cache}
key=$(cat -- "$tsv" "$here/mint_adapter.py" | sha256sum | cut -c1-24)
toml=$cache/${key}_x$scale$([[ $kind == vocab ]] || echo "_$kind").toml
[[ -f $toml ]] || python3 "$here/mint_adapter.py" --scale "$scale" --kind "$kind" "$tsv" "$toml"
if ((print_toml)); then echo "$toml"; exit 0; fi

args=(code "$corpus" --codebook "$toml"
      --speakers Interviewer,Participant --interviewer Interviewer
      --glob '*.txt' --exclude '*/*'
      --by level,sector --format csv --long -q)
[[ -n $threads ]] && args+=(--threads "$threads")

echo "theme,code,level,sector,turns,participants"
"$mint" "${args[@]}" |
  awk -F, -v OFS=, -v keep="$keep" '
    NR == 1 {
      if ($0 !~ /^theme,code,level,sector,references,participants,/) {
        print "mint_adapter.sh: unexpected mint CSV header: " $0 > "/dev/stderr"; bad = 1; exit 2
      }
      next
    }
    $2 == "" || $3 == "(all)" || ($1 == "zz_synthetic" && !keep) { next }
    {
      p = $1 "__"
      if (substr($2, 1, length(p)) != p) {
        print "mint_adapter.sh: unexpected code id " $2 > "/dev/stderr"; bad = 1; exit 2
      }
      print $1, substr($2, length(p) + 1), $3, $4, $5, $6
    }
    END { if (bad) exit 2 }' |
  LC_ALL=C sort -t, -k1,1 -k2,2 -k3,3 -k4,4
