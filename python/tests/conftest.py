"""Shared fixtures: the repository, the CLI to compare with, and a
generated survey of 10,000 comments (synthetic, from the default codebook's
own phrases and filler words; never real text)."""

import csv
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import mint

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


def mint_command():
    """The CLI to compare with: $MINT_BIN (CI: the cargo-built binary), else
    the package's own `mint` console script (the same CLI code, run as a
    separate process)."""
    binary = os.environ.get("MINT_BIN")
    if binary:
        return [binary]
    script = shutil.which("mint", path=str(Path(sys.executable).parent))
    if script:
        return [script]
    return [sys.executable, "-m", "mint"]


def run_mint(*args, check=True):
    """Runs the CLI quietly; returns (stdout, stderr, status)."""
    done = subprocess.run(
        [*mint_command(), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if check and done.returncode != 0:
        raise AssertionError(f"mint {' '.join(map(str, args))} exited {done.returncode}: {done.stderr}")
    return done.stdout, done.stderr, done.returncode


FILLER = (
    "the a and we it was very not really good bad slow quick staff ward visit "
    "waited hours nurse doctor parking food kind rude clean noisy told nobody "
    "again care home family phone letter appointment"
).split()


def phrases():
    """Plain phrases out of the default codebook's patterns."""
    out = []
    for patterns in mint.Codebook.default().codes["patterns"]:
        for p in patterns:
            if p.startswith("re:") or " NEAR" in p or "NEAR/" in p:
                continue
            out.append(p.replace("*", "s").strip('"'))
    return out


def generate_survey(path: Path, n: int, seed: int = 21) -> None:
    """n comments: some empty, some multi-sentence or multi-paragraph, a few
    respondents answering twice (same attributes), a region sometimes
    missing."""
    rng = random.Random(seed)
    known = phrases()
    rows = []
    for i in range(n):
        again = i % 97 == 0 and i > 0
        rid = f"R{i - 1:05d}" if again else f"R{i:05d}"
        group = "ABC"[(i * 7) % 3]
        region = None if again else ["north", "south", ""][rng.randrange(3)]
        sentences = []
        for _ in range(rng.randrange(0, 4)):
            words = [rng.choice(FILLER) for _ in range(rng.randrange(3, 15))]
            if rng.random() < 0.6:
                words.insert(rng.randrange(len(words) + 1), rng.choice(known))
            sentences.append(" ".join(words).capitalize() + ".")
        comment = " ".join(sentences)
        if rng.random() < 0.05:
            comment = "  " + comment.replace(". ", ".\n\n", 1) + " \n"
        rows.append([rid, group, region, comment])
    # A repeated respondent keeps the first row's attributes (as the CLI).
    first = {}
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "group", "region", "comment"])
        for rid, group, region, comment in rows:
            if region is None:
                group, region = first[rid]
            first.setdefault(rid, (group, region))
            w.writerow([rid, group, region, comment])


@pytest.fixture(scope="session")
def survey_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("survey") / "comments.csv"
    generate_survey(path, 10_000)
    return path


@pytest.fixture(scope="session")
def survey(survey_csv):
    import pandas as pd

    return pd.read_csv(survey_csv, dtype=str, keep_default_na=False)
