#!/usr/bin/env bash
# The scale benchmark of `mint learn` (issue 19): training on 1,000 generated transcripts with
# synthetic human codings must take under a minute on 2 cores and under 500 MB of memory.  A
# benchmark, not a timed test.
#
#   MINT=target/release/mint bench/learn/synthetic.sh [OUTDIR]
#
# 1. bench/gen_corpus.py writes FILES transcripts (default 1000, WORDS words each, default 5000,
#    seed SEED, default 19) into OUTDIR/transcripts (default: a scratch folder, deleted after).
# 2. The "human" codings: mint codes the transcripts with its default codebook, turn by turn
#    (`mint code --unit turn --codings`); each (file, turn, code) is kept with probability
#    1 - DROP (default 0.1), and ADD (default 0.05) of all participant turns get one code drawn
#    from the codes used, seeded from SEED: OUTDIR/codings.csv, a `file,turn,code` sheet.  So
#    the codes are learnable but not exactly the codebook's.
# 3. `mint learn OUTDIR/transcripts --from OUTDIR/codings.csv -o OUTDIR/model.json` under
#    /usr/bin/time -v: wall time, CPU time and peak memory (maximum resident set size), with
#    the targets.  LEARN_ARGS adds flags (e.g. LEARN_ARGS="--cv 5" to time cross-validation).
#
# Environment: MINT (default `mint` on PATH), PYTHON (default python3), FILES, WORDS, SEED,
# DROP, ADD, LEARN_ARGS.  Needs ../shared/bench beside the repository (gen_corpus.py's
# vocabulary); exits 0 with a message when it is absent, 2 when a step fails, else 0.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mint=${MINT:-mint}
python=${PYTHON:-python3}
files=${FILES:-1000}
words=${WORDS:-5000}
seed=${SEED:-19}

if [[ ! -f $repo/../shared/bench/vocab_en.txt ]]; then
    echo "bench/learn/synthetic.sh: skipped: no ../shared/bench/vocab_en.txt beside the repository (gen_corpus.py's vocabulary)"
    exit 0
fi
if ! command -v "$mint" >/dev/null 2>&1; then
    echo "bench/learn/synthetic.sh: no mint binary at '$mint': set MINT=path/to/mint" >&2
    exit 2
fi
if [[ ! -x /usr/bin/time ]]; then
    echo "bench/learn/synthetic.sh: needs /usr/bin/time (GNU time, apt-get install time) for peak memory" >&2
    exit 2
fi
if [[ $# -ge 1 ]]; then
    out=$1
    mkdir -p "$out"
else
    out=$(mktemp -d "${TMPDIR:-/tmp}/mint-learn-synthetic.XXXXXX")
    trap 'rm -rf "$out"' EXIT
fi

if [[ ! -d $out/transcripts ]]; then
    echo "bench/learn/synthetic.sh: generating $files transcripts of about $words words" >&2
    "$python" "$repo/bench/gen_corpus.py" "$out/transcripts.tmp" --files "$files" \
        --words-per-file "$words" --seed "$seed" >&2
    mv "$out/transcripts.tmp" "$out/transcripts"
fi

echo "bench/learn/synthetic.sh: synthetic human codings (mint code --unit turn, with noise)" >&2
"$mint" -q code "$out/transcripts" --unit turn --codings "$out/mint-codings.csv" >/dev/null
"$python" - "$out/transcripts" "$out/mint-codings.csv" "$out/codings.csv" "$seed" \
    "${DROP:-0.1}" "${ADD:-0.05}" <<'PY'
import csv, os, random, re, sys

folder, src, dst, seed, drop, add = sys.argv[1:]
rng, drop, add = random.Random(int(seed)), float(drop), float(add)
label = re.compile(r"^(Interviewer|Participant):")
# Every participant turn, numbered as mint numbers turns: every labelled line starts one
# (gen_corpus.py labels only Interviewer and Participant; other lines continue a turn).
turns = []
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        n = 0
        for line in f:
            m = label.match(line)
            if m:
                n += 1
                if m.group(1) == "Participant":
                    turns.append((name, n))
known = set(turns)
codings, kept = set(), set()
with open(src, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        coding = (row["file"], int(row["turn"]), row["code"])
        if coding[:2] not in known:
            sys.exit("synthetic.sh: mint coded %s turn %d, which is no participant turn here"
                     % coding[:2])
        codings.add(coding)
for coding in sorted(codings):
    if rng.random() >= drop:
        kept.add(coding)
codes = sorted({c[2] for c in codings})
added = 0
for name, turn in turns:
    if rng.random() < add:
        coding = (name, turn, rng.choice(codes))
        added += coding not in kept
        kept.add(coding)
with open(dst, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["file", "turn", "code"])
    w.writerows(sorted(kept))
print("synthetic.sh: %d participant turns; mint's %d codings of %d codes, %d dropped, %d added: "
      "%d human codings" % (len(turns), len(codings), len(codes),
                            len(codings) - len(kept) + added, added, len(kept)), file=sys.stderr)
PY

echo "bench/learn/synthetic.sh: mint learn" >&2
read -r -a extra <<<"${LEARN_ARGS:-}"
status=0
/usr/bin/time -v -o "$out/time.txt" "$mint" -q learn "$out/transcripts" \
    --from "$out/codings.csv" -o "$out/model.json" "${extra[@]}" >"$out/learn.out" || status=$?
if [[ $status -ne 0 ]]; then
    echo "bench/learn/synthetic.sh: mint learn failed (exit $status)" >&2
    cat "$out/learn.out" >&2
    exit 2
fi
"$python" - "$out/time.txt" "$files" <<'PY'
import re, sys

text = open(sys.argv[1]).read()
def field(name):
    return re.search(re.escape(name) + r": (.*)", text).group(1).strip()
clock = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
parts = [float(p) for p in clock.split(":")]
wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
peak = int(field("Maximum resident set size (kbytes)")) / 1024
print("mint learn on %s synthetic transcripts: %.1f s wall (target < 60), %.1f s CPU, "
      "peak memory %.0f MB (target < 500)" % (sys.argv[2], wall, cpu, peak))
PY
