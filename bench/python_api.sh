#!/usr/bin/env bash
# The Python package's throughput against the CLI's, and Dask with 1 and 2 workers
# (bench/python_api.py says what is measured). Builds both in release: the CLI with
# cargo, the extension with maturin into a venv of python/requirements-dev.txt.
#
#   bench/python_api.sh                      # 100 MB through API and CLI, 1 GB on Dask
#   SIZE_MB=20 DASK_MB=200 RUNS=1 bench/python_api.sh   # a quick look
#
# Environment (defaults): SIZE_MB (100), DASK_MB (1024; 0 skips Dask), RUNS (3),
# WORK (/tmp/mint-bench-python: corpora, kept between runs, and the venv).
set -euo pipefail
cd "$(dirname "$0")/.."
WORK="${WORK:-/tmp/mint-bench-python}"
mkdir -p "$WORK"

cargo build --release --locked -q
target="${CARGO_TARGET_DIR:-$PWD/target}"
# A venv left half made (an interrupted install) is completed, not trusted.
if ! "$WORK/venv/bin/python" -c 'import dask, pandas, maturin' 2>/dev/null; then
  python3 -m venv "$WORK/venv"
  "$WORK/venv/bin/python" -m pip install -q -r python/requirements-dev.txt
fi
(cd python && VIRTUAL_ENV="$WORK/venv" PATH="$WORK/venv/bin:$PATH" CARGO_TARGET_DIR="$target" \
  maturin develop --release --locked -q)
"$WORK/venv/bin/python" bench/python_api.py --mint "$target/release/mint" \
  --mb "${SIZE_MB:-100}" --dask-mb "${DASK_MB:-1024}" --runs "${RUNS:-3}" --work "$WORK"
