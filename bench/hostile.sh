#!/usr/bin/env bash
# Peak memory of mint on hostile or huge input (issue 15, item 11).  Not a timed test: it prints
# what /usr/bin/time -v measured for each case, and fails when a peak is over the ceiling.
#
#   bench/hostile.sh                       # build --release, then run every case
#   MB=100 BUILD=0 bench/hostile.sh        # a smaller transcript, with the binary already built
#
# Cases, written to a temporary folder (removed at the end unless KEEP=1):
#   giant-turn   one transcript of MB megabytes (10^6 bytes) whose participant answer is one
#                turn: sentences, no paragraph break, on one line (the worst for the splitter);
#                coded with the default codebook and --codings, so the codings CSV is written.
#   giant-turn-unbroken  the same size with no sentence boundary at all (a hard cut at a
#                character boundary is the only split).
#   zip-bomb     a folder with a good .docx and a .docx whose word/document.xml inflates to
#                BOMB_MB megabytes of spaces (about 1000:1), its declared size honest.
#   zip-bomb-lying  the same bomb with the declared (local and central) uncompressed sizes
#                patched to 1000 bytes: only the cap on the bytes actually read stops it.
#
# Ceiling: CEILING_MB for every case.  A plain-text file of 64 MiB or more is read in windows
# of 8 to 16 MiB (src/corpus/stream.rs), so the giant transcript's text is never held whole;
# what remains is the process itself (about 57 MB with the default codebook compiled), a
# window, and what coding holds, which --max-turn-bytes bounds whatever the file's size.
# Before the limit, one giant turn made the regex side (NEAR's match lists, sentence starts)
# and the codings scale with the turn: 2.1 GB for MB=300; before the windows, the text held
# whole kept it at MB + about 70 MB (371 MB for MB=300).
#
# Environment (defaults): MB (300), BOMB_MB (1000), CEILING_MB (300),
# BUILD (1), KEEP (0), MINT (target/release/mint under CARGO_TARGET_DIR).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MB=${MB:-300}
BOMB_MB=${BOMB_MB:-1000}
CEILING_MB=${CEILING_MB:-300}
target=${CARGO_TARGET_DIR:-$repo/target}
mint=${MINT:-$target/release/mint}
if [[ ${BUILD:-1} == 1 ]]; then
  (cd "$repo" && cargo build --release -q)
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/mint-hostile.XXXXXX")
if [[ ${KEEP:-0} != 1 ]]; then
  trap 'rm -rf "$work"' EXIT
fi
echo "mint: $("$mint" --version); work folder $work"

python3 - "$work" "$MB" "$BOMB_MB" <<'PY'
import os, sys, zipfile
work, mb, bomb_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
size = mb * 10**6

def giant(path, sentence):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    head = b"Interviewer: Tell me about the team.\nP1: "
    chunk = sentence * ((1 << 20) // len(sentence))
    with open(path, "wb") as f:
        f.write(head)
        left = size - len(head) - 1
        while left > 0:
            piece = chunk[:left]
            f.write(piece)
            left -= len(piece)
        f.write(b"\n")

giant(f"{work}/giant-turn/one.txt",
      b"The district nurse and the social worker share an office now. ")
giant(f"{work}/giant-turn-unbroken/one.txt", b"nurse and social worker share an office ")

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
def docx(path, body_writer):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open("word/document.xml", "w") as f:
            f.write(f'<?xml version="1.0"?><w:document {W}><w:body><w:p><w:r><w:t>'.encode())
            body_writer(f)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")

def good(f):
    f.write(b"Interviewer: Why?</w:t></w:r></w:p><w:p><w:r><w:t>P1: The district nurse helped.")

def spaces(f):
    block = b" " * (1 << 20)
    for _ in range(bomb_mb * 10**6 // len(block)):
        f.write(block)

for case in ("zip-bomb", "zip-bomb-lying"):
    os.makedirs(f"{work}/{case}", exist_ok=True)
    docx(f"{work}/{case}/a-good.docx", good)
    docx(f"{work}/{case}/b-bomb.docx", spaces)

# The lying bomb: every declared uncompressed size of document.xml set to 1000.
path = f"{work}/zip-bomb-lying/b-bomb.docx"
data = bytearray(open(path, "rb").read())
name = b"word/document.xml"
for sig, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
    at = 0
    while (at := data.find(sig, at)) >= 0:
        name_at = at + (30 if sig == b"PK\x03\x04" else 46)
        if data[name_at:name_at + len(name)] == name:
            data[at + size_at:at + size_at + 4] = (1000).to_bytes(4, "little")
        at += 4
# A data descriptor after the entry (zipfile writes one when streaming) holds the size too.
at = data.find(b"PK\x07\x08")
if at >= 0:
    data[at + 12:at + 16] = (1000).to_bytes(4, "little")
open(path, "wb").write(bytes(data))
PY

status=0
# run NAME CEILING_MB ARGS...: one row of measurements.
run() {
  local name=$1 ceiling=$2
  shift 2
  local log=$work/$name.time
  local rc=0
  /usr/bin/time -v "$mint" -q code "$work/$name" --codings "$work/$name.codings.csv" "$@" \
    >"$work/$name.out" 2>"$log" || rc=$?
  local kb secs csv
  kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  csv=$(stat -c %s "$work/$name.codings.csv" 2>/dev/null || echo 0)
  local peak_mb=$((kb * 1024 / 1000000))
  local verdict=ok
  if ((peak_mb >= ceiling)); then
    verdict="OVER ${ceiling} MB"
    status=1
  fi
  printf '%-22s exit %d  peak %5d MB (%d KiB)  wall %s  codings %d bytes  %s\n' \
    "$name" "$rc" "$peak_mb" "$kb" "$secs" "$csv" "$verdict"
  grep -v '^\s' "$log" | grep -i 'mint:' | head -3 | sed 's/^/    /' || true
}

echo "command: /usr/bin/time -v $mint -q code <case> --codings <case>.codings.csv"
run giant-turn "$CEILING_MB"
run giant-turn-unbroken "$CEILING_MB"
run zip-bomb "$CEILING_MB"
run zip-bomb-lying "$CEILING_MB"
exit $status
