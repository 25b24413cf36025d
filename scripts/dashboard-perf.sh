#!/usr/bin/env bash
# The dashboard's cost, measured (see docs/performance.md, "Dashboard"):
#  1. engine throughput with the dashboard open vs a headless run of the same lanes,
#     per wall-clock second and per CPU second of the whole process;
#  2. the dashboard's memory (RSS) after FIRST and after LAST seconds at max speed.
# The dashboard's figures come from its own `e` export (the same JSON as `slatelab run`).
# Needs bash, tmux, python3 and a release build (cargo build --release).
set -euo pipefail
cd "$(dirname "$0")/.."
B=$(realpath "${B:-target/release/slatelab}")
AGENTS=${AGENTS:-random,sweetest,least-sweet}
THREADS=${THREADS:-2}
STEPS=${STEPS:-20000000}          # per lane, headless
FIRST=${FIRST:-60}                # seconds before the first sample
LAST=${LAST:-600}                 # seconds before the last sample
dir=$(mktemp -d)
sock="slatelab-perf-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true' EXIT
tick=$(getconf CLK_TCK)

echo "== headless: $AGENTS, $STEPS steps per lane, $THREADS threads"
TIMEFORMAT='%U %S'
{ time "$B" run --scenario choc-kale --agents "$AGENTS" --steps "$STEPS" \
    --threads "$THREADS" -q > "$dir/headless.json"; } 2> "$dir/headless.cpu"

echo "== dashboard: same lanes, 160x48, default frame rate, for $LAST s"
tmux -L "$sock" -f /dev/null new-session -d -x 160 -y 48 -c "$dir" \
  "sh -c 'echo \$\$ > pid; exec $B tui --scenario choc-kale --agents $AGENTS --threads $THREADS'"
exports() { find "$dir" -maxdepth 1 -name 'slatelab-choc-kale-*.json'; }
sample() { # $1 = label: RSS and CPU time now, then export the results (`e`)
  local pid; pid=$(cat "$dir/pid")
  local rss; rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  local cpu; cpu=$(awk -v t="$tick" '{print ($14 + $15) / t}' "/proc/$pid/stat")
  echo "$1 $rss $cpu" >> "$dir/samples.txt"
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
load = lambda p: json.loads(pathlib.Path(p).read_text())
h = load(d / "headless.json")
h_cpu = sum(map(float, (d / "headless.cpu").read_text().split()))
h_steps = h["steps_per_second"] * h["wall_seconds"]
si = lambda v: f"{v/1e6:.2f}M" if v >= 1e6 else f"{v/1e3:.1f}k"
lanes = lambda r: " ".join(f"{a['name']} {si(a['steps_per_second'])}" for a in r["agents"])
print(f"{'':10} {'steps/s':>8} {'steps/CPU-s':>11}  lane speeds (steps/s of lane time)")
print(f"{'headless':10} {si(h['steps_per_second']):>8} {si(h_steps/h_cpu):>11}  {lanes(h)}")
for line in (d / "samples.txt").read_text().splitlines():
    label, rss, cpu = line.split()
    e = load((d / f"export-{label}.txt").read_text().strip())
    steps = e["steps_per_second"] * e["wall_seconds"]
    print(f"{'dashboard':10} {si(e['steps_per_second']):>8} {si(steps/float(cpu)):>11}  "
          f"{lanes(e)}  | after {e['wall_seconds']:.0f} s: RSS {int(rss)/1024:.1f} MiB, "
          f"{e['steps_per_second']/h['steps_per_second']:.0%} of headless per second, "
          f"{steps/float(cpu)/(h_steps/h_cpu):.0%} per CPU-second")
PY
