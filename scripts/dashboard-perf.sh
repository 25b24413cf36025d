#!/usr/bin/env bash
# The dashboard's cost, measured (see docs/performance.md, "Dashboard"):
#  1. engine throughput with the dashboard open vs a headless run of the same lanes;
#  2. the dashboard's memory (RSS) after 1 and after 10 minutes at max speed.
# Needs tmux, python3 and a release build (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
B=$(realpath "${B:-target/release/slatelab}")
AGENTS=${AGENTS:-random,sweetest,least-sweet}
THREADS=${THREADS:-2}
STEPS=${STEPS:-30000000}          # per lane, headless
FIRST=${FIRST:-60}                # seconds before the first sample
LAST=${LAST:-600}                 # seconds before the last sample
dir=$(mktemp -d)
sock="slatelab-perf-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT

echo "== headless: $AGENTS, $STEPS steps per lane, $THREADS threads"
"$B" run --scenario choc-kale --agents "$AGENTS" --steps "$STEPS" --threads "$THREADS" -q \
  > "$dir/headless.json"

echo "== dashboard: same lanes, 160x48, default frame rate"
tmux -L "$sock" -f /dev/null new-session -d -x 160 -y 48 -c "$dir" \
  "sh -c 'echo \$\$ > pid; exec $B tui --scenario choc-kale --agents $AGENTS --threads $THREADS'"
exports() { find "$dir" -maxdepth 1 -name 'slatelab-choc-kale-*.json'; }
sample() { # $1 = label: RSS now, then export the results (`e`)
  local pid; pid=$(cat "$dir/pid")
  grep VmRSS "/proc/$pid/status" | awk -v l="$1" '{print l, "rss_kib", $2}' >> "$dir/rss.txt"
  local before; before=$(exports | wc -l)
  tmux -L "$sock" send-keys e
  while [ "$(exports | wc -l)" -le "$before" ]; do sleep 0.2; done
  exports | sort | tail -1 > "$dir/export-$1.txt"
}
sleep "$FIRST"; sample first
sleep $((LAST - FIRST)); sample last
tmux -L "$sock" send-keys q

python3 - "$dir" <<'PY'
import json, sys, pathlib
d = pathlib.Path(sys.argv[1])
def load(p): return json.loads(pathlib.Path(p).read_text())
h = load(d / "headless.json")
rss = dict(l.split()[0::2] for l in (d / "rss.txt").read_text().splitlines())
print(f"headless   run {h['steps_per_second']/1e6:6.2f} M steps/s  lanes " +
      " ".join(f"{a['name']} {a['steps_per_second']/1e6:.2f}M" for a in h["agents"]))
for label in ("first", "last"):
    e = load((d / f"export-{label}.txt").read_text().strip())
    print(f"dashboard  run {e['steps_per_second']/1e6:6.2f} M steps/s  lanes " +
          " ".join(f"{a['name']} {a['steps_per_second']/1e6:.2f}M" for a in e["agents"]) +
          f"  after {e['wall_seconds']:.0f} s, RSS {int(rss[label])/1024:.1f} MiB" +
          f"  ({e['steps_per_second']/h['steps_per_second']:.0%} of headless)")
PY
