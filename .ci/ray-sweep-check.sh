#!/usr/bin/env bash
# Runs the issue-10 sweep (choc-kale × {random, linucb, LinUcb(alpha: 0.5)} × seeds 1-4 × 300
# episodes) through a local Ray instance with examples/ray/sweep.py, one task per cell and one
# per shard, and checks that each merged table equals `slatelab sweep` + `slatelab merge` run
# directly, byte for byte (JSON and CSV).
# Usage: .ci/ray-sweep-check.sh VENV_PYTHON   (a Python with `ray` installed)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:?usage: .ci/ray-sweep-check.sh VENV_PYTHON}

cargo build --release --quiet --bin slatelab
bin=$PWD/target/release/slatelab
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/sweep.ron" <<'RON'
Sweep(
    name: "ray-check",
    scenarios: ["choc-kale"],
    agents: ["random", "linucb", "LinUcb(alpha: 0.5)"],
    seeds: [1, 2, 3, 4],
    episodes: 300,
    eval_episodes: 20,
)
RON

"$bin" sweep "$work/sweep.ron" --out "$work/direct" --quiet
for format in json csv; do
  "$bin" merge "$work/direct" --format "$format" --out "$work/direct.$format"
done

"$python" examples/ray/sweep.py "$work/sweep.ron" --out "$work/ray-cells" \
  --slatelab "$bin" --merged "$work/ray-cells.json"
"$python" examples/ray/sweep.py "$work/sweep.ron" --out "$work/ray-shards" --shards 2 \
  --slatelab "$bin" --format csv --merged "$work/ray-shards.csv"
# A second run finds every cell done and submits nothing.
"$python" examples/ray/sweep.py "$work/sweep.ron" --out "$work/ray-cells" \
  --slatelab "$bin" --merged "$work/ray-again.json" 2>"$work/again.err"
grep -q "4 cells, 4 already in" "$work/again.err"

cmp "$work/direct.json" "$work/ray-cells.json"
cmp "$work/direct.json" "$work/ray-again.json"
cmp "$work/direct.csv" "$work/ray-shards.csv"
echo "ray sweep check: the Ray driver's merged tables equal slatelab sweep + merge"
