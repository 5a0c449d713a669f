#!/usr/bin/env python3
"""TSV codebook -> mint TOML codebook: the Python half of the benchmark adapter.

Usage:
    mint_adapter.py [--scale K [--kind vocab|rare]] CODEBOOK.tsv OUT.toml
    mint_adapter.py [--scale K [--kind vocab|rare]] CODEBOOK.tsv OUT.tsv   (for the peers)

mint_adapter.sh (the command the peer harness runs) calls this only when its cache
has no TOML for the TSV yet.  The conversion:
  - one [[themes]] entry per TSV theme, in first-seen order;
  - one [[codes]] entry per (theme, code) pair, with the id `<theme>__<code>`
    (code ids are unique across a mint codebook; the same code name may occur in
    two TSV themes), which mint_adapter.sh splits back;
  - every pattern lower-cased: the contract is ASCII case-insensitive, and in mint
    an ALL-CAPS word such as `GP` would be case-sensitive.  Duplicate patterns of a
    code are kept once (a pattern in two codes stays in both);
  - `spelling_variants = false`: the contract matches spellings as written.

--scale K (K >= 2) appends (K-1) times as many synthetic codes and patterns as the
TSV has, in one extra theme `zz_synthetic` that mint_adapter.sh leaves out of the
output, so the CSV stays comparable with the normal codebook's.  The patterns are
drawn with a fixed seed from the words of rank 200 and below in the peer benchmark's
vocab_en.txt (the corpus generator's own vocabulary, so they do match): about half
whole words, 4 in 10 prefixes (`word*`, cut 0-3 letters short, at least 4 kept) and
1 in 10 two-word phrases.  With --kind rare the first word of each gets "zq" appended
(`boatzq`, `supezq*`, `singlezq touch`): a codebook as large that never matches, which
separates the cost of the codebook's size from the cost of its extra matches.
"""
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
VOCAB = os.path.join(REPO, "..", "shared", "bench", "vocab_en.txt")
SEP = "__"
SYNTH_THEME = "zz_synthetic"


def die(msg):
    sys.stderr.write(f"mint_adapter: {msg}\n")
    sys.exit(2)


def read_tsv(path):
    """[(theme, code, pattern)] in file order, as the contract reads the TSV."""
    rows = []
    with open(path, encoding="utf-8") as f:
        if f.readline().rstrip("\n").split("\t") != ["theme", "code", "pattern"]:
            die(f"{path}: header must be theme<TAB>code<TAB>pattern")
        for lineno, line in enumerate(f, 2):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = [c.strip() for c in line.split("\t")]
            if len(cols) != 3:
                die(f"{path}:{lineno}: expected 3 tab-separated columns")
            rows.append(tuple(cols))
    return rows


def synthetic_rows(n_codes, n_patterns, kind="vocab", seed=42):
    """Deterministic extra codes: words of rank >= 200 in vocab_en.txt (the corpus's own
    vocabulary, so they do match), as ~50% whole words, ~40% prefixes (first 4+ letters
    and `*`) and ~10% two-word phrases.  kind "rare": the same, with "zq" appended to
    the first word, so that no pattern ever matches."""
    with open(VOCAB, encoding="ascii") as f:
        words = [w.strip() for w in f if w.strip()][200:]
    words = [w for w in words if w.isalpha() and len(w) >= 3]
    rng = random.Random(f"{seed}:synthetic-codebook")
    rows = []
    for i in range(n_patterns):
        code = f"s{i % n_codes:04d}"
        r = rng.random()
        w = rng.choice(words)
        if r < 0.5:
            pat = w
        elif r < 0.9:
            pat = w[: max(4, len(w) - rng.randint(0, 3))] + "*"
        else:
            pat = w + " " + rng.choice(words)
        if kind == "rare":
            head, _, tail = pat.partition(" ")
            star = "*" if head.endswith("*") else ""
            pat = head.rstrip("*") + "zq" + star + (" " + tail if tail else "")
        rows.append((SYNTH_THEME, code, pat))
    return rows


def to_toml(rows):
    themes, codes = [], {}
    for theme, code, pat in rows:
        if theme not in themes:
            themes.append(theme)
        pats = codes.setdefault((theme, code), [])
        pat = pat.lower()
        if pat not in pats:
            pats.append(pat)
    q = json.dumps  # ASCII JSON strings are valid TOML basic strings
    out = ['[codebook]\nname = "peer benchmark (converted from TSV)"\n'
           'spelling_variants = false\n']
    for theme in themes:
        out.append(f"\n[[themes]]\nid = {q(theme)}\n")
    for (theme, code), pats in codes.items():
        out.append(f"\n[[codes]]\nid = {q(theme + SEP + code)}\ntheme = {q(theme)}\n"
                   f"patterns = [{', '.join(q(p) for p in pats)}]\n")
    return "".join(out)


def main(argv):
    scale, kind = 1, "vocab"
    while len(argv) >= 2 and argv[0] in ("--scale", "--kind"):
        if argv[0] == "--scale":
            scale = int(argv[1])
        else:
            kind = argv[1]
        argv = argv[2:]
    if len(argv) != 2:
        die("usage: mint_adapter.py [--scale K [--kind vocab|rare]] CODEBOOK.tsv OUT.toml|OUT.tsv")
    tsv, out = argv
    rows = read_tsv(tsv)
    if scale > 1:
        n_codes = len({(t, c) for t, c, _ in rows})
        rows += synthetic_rows((scale - 1) * n_codes, (scale - 1) * len(rows), kind)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = f"{out}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        if out.endswith(".tsv"):  # the scaled codebook as a TSV, to time the peers on it
            f.write("theme\tcode\tpattern\n" + "".join("\t".join(r) + "\n" for r in rows))
        else:
            f.write(to_toml(rows))
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
