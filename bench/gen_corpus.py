#!/usr/bin/env python3
"""Deterministic generator of synthetic interview transcripts for mint's benchmarks.

Usage:
    gen_corpus.py OUT_DIR (--mb SIZE | --files N) [--words-per-file W] [--seed S]
                  [--jobs J] [--codebook TSV] [--unfenced]

Writes OUT_DIR/t0000001.txt, ... one file at a time (the corpus is never held in
memory, so it can write gigabytes).  The same arguments give byte-identical output
whatever --jobs is: every file has its own RNG, seeded from the seed and the file
number, and the participant sequence comes from one sequential RNG.  --mb picks the
number of files from a 32-file calibration sample (MB = 10^6 bytes).

Each file:

    ---                         (omitted with --unfenced: then the attribute block
    participant: P000001         ends at the first blank line, as in the peers' corpus)
    level: operational          strategic 1/3, operational 2/3
    sector: social care         health | social care
    area: 2                     1..4
    site: north                 north | south | east | west
    ---

    Interviewer: question?

    Participant: answer.  About 1 answer in 8 goes on over a second paragraph
    (a line with no label); about 1 in 6 is broken over two lines.

About 1 file in 8 is a follow-up interview of the previous file's participant.

Words: Zipf-distributed draws from the peer benchmark's vocabulary
(../shared/bench/vocab_en.txt from the repository root, not copied here), with a
few percent of domain terms taken from a TSV codebook (default
../shared/bench/codebook_patterns.tsv).  A `*` pattern is completed with a common
ending, and a phrase is sometimes written with a hyphen, a double space or a line
break between its words, so the corpus exercises the phrase rules.  ASCII only.
"""
import argparse
import bisect
import itertools
import os
import random
import sys
from multiprocessing import Pool

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "shared", "bench")
LEVELS = (("strategic", 1), ("operational", 2))
SECTORS = ("health", "social care")
SITES = ("north", "south", "east", "west")
ENDINGS = ("", "s", "ed", "ing", "ion", "ions", "e", "al", "ly")
SEPARATORS = (" ",) * 12 + ("-", "  ", "\n")


def load_words(path):
    with open(path, encoding="ascii") as f:
        words = [w.strip() for w in f if w.strip()]
    words = ["I" if w == "i" else w for w in words]
    return words, list(itertools.accumulate(1.0 / (rank + 3) for rank in range(len(words))))


def load_terms(path):
    """Domain terms from a theme/code/pattern TSV, weighted so earlier ones are commoner."""
    terms = []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 3 and not line.startswith("#"):
                terms.append(cols[2].strip())
    return terms, list(itertools.accumulate(1.0 / (i + 1) ** 0.3 for i in range(len(terms))))


class Words:
    """Picks text.  Built once per process (module global, set by init())."""

    def __init__(self, vocab, codebook):
        self.vocab, self.vocab_cw = load_words(vocab)
        self.terms, self.terms_cw = load_terms(codebook)

    def term(self, rng):
        t = self.terms[bisect.bisect(self.terms_cw, rng.random() * self.terms_cw[-1])]
        if t.endswith("*"):
            t = t[:-1] + rng.choice(ENDINGS)
        if " " in t:
            t = t.replace(" ", rng.choice(SEPARATORS))
        r = rng.random()
        if r < 0.1:
            t = t.upper()
        elif r < 0.3:
            t = t[0].upper() + t[1:]
        return t

    def paragraph(self, rng, n, p_term, question):
        words = rng.choices(self.vocab, cum_weights=self.vocab_cw, k=n)
        for i in range(n):
            if rng.random() < p_term:
                words[i] = self.term(rng)
        out, i = [], 0
        while i < n:
            j = min(n, i + rng.randint(4, 20))
            sentence = words[i:j]
            sentence[0] = sentence[0][:1].upper() + sentence[0][1:]
            if len(sentence) > 5 and rng.random() < 0.3:
                k = rng.randrange(1, len(sentence) - 1)
                sentence[k] += ","
            out.append(" ".join(sentence))
            i = j
        text = ". ".join(out) + ("?" if question else ".")
        if rng.random() < 1 / 6:  # a hard line break inside the turn
            cut = text.find(" ", len(text) // 2)
            if cut > 0:
                text = text[:cut] + "\n" + text[cut + 1:]
        return text


WORDS = None


def init(vocab, codebook):
    global WORDS
    WORDS = Words(vocab, codebook)


def write_file(job):
    path, seed, index, words_per_file, fenced, attrs = job
    rng = random.Random(f"mint-bench:{seed}:{index}")
    p_term = rng.uniform(0.015, 0.06)
    fence = "---\n" if fenced else ""
    parts = [fence, "".join(f"{k}: {v}\n" for k, v in attrs), fence]
    written = 0
    while written < words_per_file:
        n = rng.randint(6, 50)
        parts.append("\nInterviewer: " + WORDS.paragraph(rng, n, p_term / 3, True) + "\n")
        written += n
        n = int(rng.triangular(20, 220, 60))
        parts.append("\nParticipant: " + WORDS.paragraph(rng, n, p_term, False) + "\n")
        written += n
        if rng.random() < 1 / 8:
            n = int(rng.triangular(20, 160, 50))
            parts.append("\n" + WORDS.paragraph(rng, n, p_term, False) + "\n")
            written += n
    data = "".join(parts).encode("ascii")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def jobs(out_dir, n_files, words_per_file, seed, fenced):
    rng = random.Random(f"mint-bench:{seed}:participants")
    attrs, n_people = None, 0
    levels = [name for name, weight in LEVELS for _ in range(weight)]
    for i in range(n_files):
        if attrs is None or rng.random() >= 1 / 8:
            n_people += 1
            attrs = (("participant", f"P{n_people:06d}"), ("level", rng.choice(levels)),
                     ("sector", rng.choice(SECTORS)), ("area", rng.randint(1, 4)),
                     ("site", rng.choice(SITES)))
        yield (os.path.join(out_dir, f"t{i + 1:07d}.txt"), seed, i, words_per_file, fenced, attrs)


def generate(out_dir, n_files, a):
    os.makedirs(out_dir, exist_ok=True)
    it = jobs(out_dir, n_files, a.words_per_file, a.seed, not a.unfenced)
    if a.jobs > 1:
        with Pool(a.jobs, initializer=init, initargs=(a.vocab, a.codebook)) as pool:
            return sum(pool.imap_unordered(write_file, it, chunksize=8))
    init(a.vocab, a.codebook)
    return sum(map(write_file, it))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    size = ap.add_mutually_exclusive_group(required=True)
    size.add_argument("--mb", type=float, help="total size in MB (10^6 bytes)")
    size.add_argument("--files", type=int, help="number of files")
    ap.add_argument("--words-per-file", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--unfenced", action="store_true",
                    help="no --- lines around the attributes (the peers' format)")
    ap.add_argument("--vocab", default=os.path.join(SHARED, "vocab_en.txt"))
    ap.add_argument("--codebook", default=os.path.join(SHARED, "codebook_patterns.tsv"),
                    help="TSV whose patterns are sprinkled in as domain terms")
    a = ap.parse_args()
    n_files = a.files
    if n_files is None:
        sample = os.path.join(a.out_dir, ".calibration")
        per_file = generate(sample, 32, a) / 32
        for name in os.listdir(sample):
            os.remove(os.path.join(sample, name))
        os.rmdir(sample)
        n_files = max(1, round(a.mb * 1e6 / per_file))
    total = generate(a.out_dir, n_files, a)
    print(f"wrote {n_files} files, {total} bytes to {a.out_dir}", file=sys.stderr)


if __name__ == "__main__":
    main()
