#!/usr/bin/env python3
"""The Python package against the CLI, and Dask with 1 and 2 workers.

Usage (bench/python_api.sh builds both and sets the environment):
    python_api.py --mint BIN [--mb 100] [--dask-mb 1024] [--work DIR] [--runs N]

1. Survey comments: a CSV of --mb MB (id, group, comment) coded by
   `mint code FILE.csv --text-column comment --id-column id --by group --format csv`
   and by `mint.code(series)` + `mint.Tally.of(...).to_csv(by=["group"])`, pandas'
   read_csv included. The two tables must be identical.
2. Transcripts: a folder of --mb MB of transcript files coded by `mint code DIR --by
   group --format csv` and by `mint.code_dir(DIR)` + the tally. Identical tables.
3. Dask: a CSV of --dask-mb MB read with dask.dataframe.read_csv (32 MB blocks) and
   coded by `mint.distributed.dask_tally` on a LocalCluster of 1, then 2 worker
   processes with one thread each (RAYON_NUM_THREADS=1: one core per worker, as on a
   cluster). Identical tables; the speed-up of 2 workers over 1.

Texts are synthetic: filler words and phrases from the default codebook's own
patterns (never real comments), generated from a fixed seed, no newlines inside a
comment (so Dask may split the CSV anywhere between lines). Throughput is MB
(10^6 bytes of input file) per second of wall time, best of --runs.
"""

import argparse
import csv
import os
import random
import subprocess
import sys
import time
from pathlib import Path

FILLER = (
    "the a and we it was very not really good bad slow quick staff ward visit "
    "waited hours nurse doctor parking food kind rude clean noisy told nobody "
    "again care home family phone letter appointment to of in for on with at"
).split()


def phrases():
    import mint

    out = []
    for patterns in mint.Codebook.default().codes["patterns"]:
        for p in patterns:
            if not p.startswith("re:") and "NEAR" not in p:
                out.append(p.replace("*", "s").strip('"'))
    return out


def comment_pool(n=4000, seed=21):
    rng = random.Random(seed)
    known = phrases()
    pool = []
    for _ in range(n):
        sentences = []
        for _ in range(rng.randrange(1, 6)):
            words = [rng.choice(FILLER) for _ in range(rng.randrange(4, 25))]
            if rng.random() < 0.5:
                words.insert(rng.randrange(len(words) + 1), rng.choice(known))
            sentences.append(" ".join(words).capitalize() + ".")
        pool.append(" ".join(sentences))
    return pool


def write_survey(path: Path, mb: int, pool, seed=7):
    if path.exists():
        return
    rng = random.Random(seed)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "group", "comment"])
        i = 0
        while f.tell() < mb * 1_000_000:
            w.writerow([f"R{i:08d}", "ABCD"[i % 4], rng.choice(pool)])
            i += 1
    tmp.rename(path)


def write_folder(path: Path, mb: int, pool, seed=8):
    if path.exists():
        return
    rng = random.Random(seed)
    tmp = path.with_name(path.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    written = 0
    n = 0
    while written < mb * 1_000_000:
        lines = [f"---\nparticipant: P{n:06d}\ngroup: {'ABCD'[n % 4]}\n---\n"]
        while sum(map(len, lines)) < 50_000:
            lines.append(f"\nInterviewer: What happened next?\n\nParticipant: {rng.choice(pool)}\n")
        text = "".join(lines)
        (tmp / f"t{n:06d}.txt").write_text(text, encoding="utf-8")
        written += len(text.encode())
        n += 1
    tmp.rename(path)


def size_mb(path: Path) -> float:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir()) / 1e6
    return path.stat().st_size / 1e6


def best(runs, fn):
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def cli(mint_bin, *args):
    done = subprocess.run([mint_bin, "-q", *map(str, args)], capture_output=True, text=True, check=True)
    return done.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mint", required=True)
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--dask-mb", type=int, default=1024)
    ap.add_argument("--work", default="/tmp/mint-bench-python")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)

    import pandas as pd

    import mint

    pool = comment_pool()
    rows = []

    survey = work / f"survey_{args.mb}mb.csv"
    write_survey(survey, args.mb, pool)
    mb = size_mb(survey)
    t_cli, table_cli = best(args.runs, lambda: cli(args.mint, "code", survey, "--text-column", "comment",
                                                    "--id-column", "id", "--by", "group", "--format", "csv"))

    def api_survey():
        frame = pd.read_csv(survey, dtype=str, keep_default_na=False)
        codings = mint.code(frame["comment"], ids=frame["id"])
        return mint.Tally.of(codings, frame[["id", "group"]]).to_csv(by=["group"])

    t_api, table_api = best(args.runs, api_survey)
    assert table_api == table_cli, "survey: the API's table differs from the CLI's"
    rows.append(("survey CSV", mb, t_cli, t_api))

    folder = work / f"transcripts_{args.mb}mb"
    write_folder(folder, args.mb, pool)
    mb = size_mb(folder)
    t_cli, table_cli = best(args.runs, lambda: cli(args.mint, "code", folder, "--by", "group", "--format", "csv"))

    def api_folder():
        return mint.Tally.of(mint.code_dir(folder)).to_csv(by=["group"])

    t_api, table_api = best(args.runs, api_folder)
    assert table_api == table_cli, "folder: the API's table differs from the CLI's"
    rows.append(("transcript folder", mb, t_cli, t_api))

    print(f"## Python API vs CLI ({os.cpu_count()} cores; load {os.getloadavg()[0]:.2f})\n")
    print("| input | MB | CLI s | CLI MB/s | API s | API MB/s | API / CLI |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, mb, t_cli, t_api in rows:
        print(f"| {name} | {mb:.0f} | {t_cli:.2f} | {mb / t_cli:.1f} | {t_api:.2f} | {mb / t_api:.1f} | {t_cli / t_api:.0%} |")

    if args.dask_mb <= 0:
        return
    try:
        import dask.dataframe as dd
        from distributed import Client, LocalCluster
    except ImportError as err:
        print(f"\nskipped Dask: {err}")
        return
    import mint.distributed as md

    big = work / f"survey_{args.dask_mb}mb.csv"
    write_survey(big, args.dask_mb, pool)
    mb = size_mb(big)
    os.environ["RAYON_NUM_THREADS"] = "1"
    results = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster):
            def run():
                frame = dd.read_csv(big, dtype=str, keep_default_na=False, blocksize="32MB")
                return md.dask_tally(frame, text="comment", id="id", attributes=["group"]).to_csv(by=["group"])

            results[workers] = best(max(1, args.runs - 1), run)
    assert results[1][1] == results[2][1], "Dask: 1 and 2 workers give different tables"
    print(f"\n## Dask LocalCluster, {mb:.0f} MB of comments (one thread per worker)\n")
    print("| workers | s | MB/s | speed-up |")
    print("|---:|---:|---:|---:|")
    for workers, (t, _) in results.items():
        print(f"| {workers} | {t:.2f} | {mb / t:.1f} | {results[1][0] / t:.2f}x |")


if __name__ == "__main__":
    sys.exit(main())
