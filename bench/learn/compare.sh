#!/usr/bin/env bash
# mint learn against the scikit-learn baseline on the two real dev sets of issue 19, on the same
# folds, with times.  Not a test and not in CI: the data is kept outside the repository.
#
#   MINT=target/release/mint PYTHON=/tmp/mint-learn-venv/bin/python bench/learn/compare.sh
#   ... bench/learn/compare.sh nhs          # one data set: nhs, serdif (default: both)
#
# For each data set:
# 1. `mint learn --cv K --folds-out FOLDS.csv --format json`: mint's cross-validated figures,
#    and the folds it used (grouped by participant);
# 2. bench/learn/baseline.py on those folds (`--full` also times one model on all segments);
# 3. `mint learn -o model.json` and `mint code --model model.json`: training and coding time;
# then both side by side: micro-F1, macro-F1, mean kappa, per code F1 and kappa, and times.
# SERDIF is restricted to its 10 most frequent codes (`--top 10`; the folds CSV then holds only
# those, and the baseline evaluates what it holds).
#
# Environment: MINT (default `mint` on PATH), PYTHON (a python with bench/learn/requirements.txt
# installed; default python3), REAL_DATA (default ../shared/real-data beside the repository),
# FOLDS (default 5), UNIT (the segment unit for SERDIF; default: mint learn's), KEEP=1 keeps the
# scratch folder (the JSON of both sides, the folds, the models).  A data set that is absent is
# skipped with a message.  Exits 0, or 2 when mint or the baseline fails.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
real=${REAL_DATA:-$repo/../shared/real-data}
export MINT=${MINT:-mint}
python=${PYTHON:-python3}
folds=${FOLDS:-5}
sets=("$@")
[[ ${#sets[@]} -gt 0 ]] || sets=(nhs serdif)

if ! command -v "$MINT" >/dev/null 2>&1; then
    echo "bench/learn/compare.sh: no mint binary at '$MINT': set MINT=path/to/mint" >&2
    exit 2
fi
if ! "$python" -c 'import sklearn' 2>/dev/null; then
    echo "bench/learn/compare.sh: '$python' has no scikit-learn: set PYTHON to the python of a" \
        "venv with bench/learn/requirements.txt (see bench/learn/README.md)" >&2
    exit 2
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/mint-learn-compare.XXXXXX")
if [[ ${KEEP:-} == 1 ]]; then
    echo "bench/learn/compare.sh: scratch kept in $scratch" >&2
else
    trap 'rm -rf "$scratch"' EXIT
fi
REAL_DATA=$real "$repo/bench/learn/prepare.sh" "$scratch" >&2

# Wall-clock seconds of a command, into the file $1; the command's stdout to $2.
timed() {
    local seconds=$1 out=$2
    shift 2
    local start end
    start=$(date +%s.%N)
    "$@" >"$out" || return $?
    end=$(date +%s.%N)
    awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }' >"$seconds"
}

# compare NAME LABEL CODINGS -- ARGS...: ARGS are the transcripts and their reading flags (for
# mint learn and mint code alike); the array learn_only holds flags for mint learn only.
compare() {
    local name=$1 label=$2 codings=$3
    shift 4
    local s=$scratch/$name
    echo "bench/learn/compare.sh: $label: mint learn --cv $folds" >&2
    timed "$s-cv.seconds" "$s-mint.json" "$MINT" learn "$@" "${learn_only[@]}" \
        --from "$codings" --cv "$folds" --folds-out "$s-folds.csv" --format json || return 2
    echo "bench/learn/compare.sh: $label: scikit-learn on mint's folds" >&2
    "$python" "$repo/bench/learn/baseline.py" "$s-folds.csv" --json --full \
        >"$s-baseline.json" || return 2
    echo "bench/learn/compare.sh: $label: mint learn -o, mint code --model" >&2
    timed "$s-train.seconds" /dev/null "$MINT" -q learn "$@" "${learn_only[@]}" \
        --from "$codings" -o "$s-model.json" || return 2
    timed "$s-code.seconds" /dev/null "$MINT" -q code "$@" --model "$s-model.json" || return 2
    "$python" - "$label" "$s" <<'PY'
import json, sys

label, stem = sys.argv[1:]
mint = json.load(open(stem + "-mint.json"))
base = json.load(open(stem + "-baseline.json"))
seconds = lambda what: float(open("%s-%s.seconds" % (stem, what)).read())


def find(node, key):
    """The first value of `key` anywhere in mint's JSON (its envelope aside)."""
    if isinstance(node, dict):
        if key in node:
            return node[key]
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = find(child, key)
        if found is not None:
            return found
    return None


def mint_rows(node):
    """mint's rows: the first list of objects that have a code and an f1."""
    if isinstance(node, list) and node and all(
            isinstance(r, dict) and "code" in r and "f1" in r for r in node):
        return node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        found = mint_rows(child)
        if found:
            return found
    return []


rows = mint_rows(mint)
kind = lambda k: [r for r in rows if r.get("kind", "code") == k]
averages = {r["code"]: r for r in kind("average")}
summary = {
    "micro_f1": find(mint, "micro_f1") or averages.get("micro", {}).get("f1"),
    "macro_f1": find(mint, "macro_f1") or averages.get("macro", {}).get("f1"),
    "mean_kappa": find(mint, "mean_kappa") or averages.get("macro", {}).get("kappa"),
}


def show(x):
    return "-" if x is None else "%.3f" % x if isinstance(x, float) else str(x)


print("%s: %d segments, %d participants, %d folds, %d codes"
      % (label, base["segments"], base["participants"], base["folds"], len(base["codes"])))
print("%-34s %12s %14s" % ("", "mint", "scikit-learn"))
for key, name in [("micro_f1", "micro-F1"), ("macro_f1", "macro-F1"),
                  ("mean_kappa", "mean kappa")]:
    print("%-34s %12s %14s" % (name, show(summary[key]), show(base[key])))
print("%-34s %12.1f %14.1f" % ("cross-validation, wall s", seconds("cv"),
                                base["fit_seconds"] + base["predict_seconds"]))
print("%-34s %12.1f %14.1f" % ("train on all segments, s", seconds("train"),
                                base["full_fit_seconds"]))
print("%-34s %12.1f %14.1f" % ("code all segments, s", seconds("code"),
                                base["full_predict_seconds"]))
print("(mint's cross-validation also runs its learning curve and permutation baseline;"
      " mint's times include reading the transcripts)")
codes = {r["code"]: r for r in kind("code")}
print("\n%-30s %8s %8s %8s %8s" % ("code", "F1 mint", "F1 sk", "k mint", "k sk"))
for c in base["codes"]:
    m = codes.get(c["code"], {})
    print("%-30s %8s %8s %8s %8s" % (c["code"][:30], show(m.get("f1")), show(c["f1"]),
                                     show(m.get("kappa")), show(c["kappa"])))
curve = kind("curve")
if curve:
    print("\nmint's learning curve (share of the training participants hand-coded):")
    print("%8s %14s %12s %10s %12s" % ("share", "participants", "segments", "micro-F1",
                                        "mean kappa"))
    for r in curve:
        print("%8s %14s %12s %10s %12s" % (show(r.get("share")), show(r.get("participants")),
                                            show(r.get("segments")), show(r.get("f1")),
                                            show(r.get("kappa"))))
print()
PY
}

status=0
learn_only=()
for set in "${sets[@]}"; do
    case $set in
        nhs)
            if [[ -f $scratch/nhs-codings.csv ]]; then
                compare nhs "NHS FFT" "$scratch/nhs-codings.csv" -- \
                    "$real/nhs-fft-phase1/comments.csv" --text-column feedback \
                    --id-column row_index || status=2
            fi
            ;;
        serdif)
            if [[ -f $scratch/serdif-codings.csv ]]; then
                unit=()
                [[ -z ${UNIT:-} ]] || unit=(--unit "$UNIT")
                learn_only=(--top 10)
                compare serdif "SERDIF (10 most frequent codes)" "$scratch/serdif-codings.csv" -- \
                    "$real/serdif-thinkaloud/transcripts/raw" --glob '*.odt' "${unit[@]}" \
                    || status=2
                learn_only=()
            fi
            ;;
        *)
            echo "bench/learn/compare.sh: unknown data set '$set' (nhs or serdif)" >&2
            exit 2
            ;;
    esac
done
exit "$status"
