#!/usr/bin/env bash
# fp32 against int8 on the CPU, full-size synthetic model, in one run (issue #21's figures):
# inference and frame-to-top-5 p50/p99 and frames/s from `alexnet-rt profile`, labeling frames/s
# of six copies of the demo clip at batch 1 and 8, peak RSS of each process, and model size. The two models run
# in turn, round after round, so a noisy neighbour hurts both alike; the best round of each counts.
# Usage: bench/scripts/precision.sh [rounds (default 3)] [threads (default 2)]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-3}
threads=${2:-2}
dotnet build src/App -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
dotnet build tools/WeightConverter -c Release --nologo -v q -clp:ErrorsOnly >/dev/null
app=src/App/bin/Release/net10.0/alexnet-rt
convert=tools/WeightConverter/bin/Release/net10.0/alexnet-convert
clip=samples/demo-640x480.mp4
dir=models/bench/precision
mkdir -p "$dir"
[ -f "$dir/fp32.onnx" ] || "$convert" synthetic -q -o "$dir/fp32.onnx"
# Random weights: top-1 agreement means little (one class for nearly every frame), so --force.
[ -f "$dir/int8.onnx" ] || "$convert" synthetic -q --precision int8 --force -o "$dir/int8.onnx"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# Labeling runs over six copies of the clip, so the rate is not that of the first batches alone.
mkdir -p "$out/clips"
for i in 1 2 3 4 5 6; do cp "$clip" "$out/clips/demo-$i.mp4"; done

rss() { grep "Maximum resident set size" "$1" | awk '{printf "%.0f", $6 / 1024}'; }
for round in $(seq "$rounds"); do
  for p in fp32 int8; do
    # Once unmeasured per model, so the optimized-model cache holds both before any timing.
    [ "$round" = 1 ] && "$app" classify samples/frame-640x480.jpg -m "$dir/$p.onnx" -d cpu >/dev/null 2>&1
    /usr/bin/time -v -o "$out/time-profile" "$app" profile -m "$dir/$p.onnx" -s "$clip" -d cpu --threads "$threads" \
      --frames 300 --warmup 30 --report "$out/$p-$round.json" >/dev/null 2>&1
    echo "$(rss "$out/time-profile")" > "$out/$p-$round.rss-profile"
    for batch in 1 8; do
      /usr/bin/time -v -o "$out/time-label" "$app" label "$out/clips" -m "$dir/$p.onnx" -d cpu --threads "$threads" --batch "$batch" \
        -o "$out/rows.jsonl" 2> "$out/label.err" >/dev/null
      grep -o '[0-9.]* frames/s' "$out/label.err" | head -1 | cut -d' ' -f1 > "$out/$p-$round.label$batch"
      echo "$(rss "$out/time-label")" > "$out/$p-$round.rss-label$batch"
      rm -f "$out"/rows.jsonl*
    done
    echo "round $round $p done" >&2
  done
done

python3 - "$out" "$rounds" "$dir" <<'PY'
import json, os, sys
out, rounds, d = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def best(p):
    runs = [json.load(open(f"{out}/{p}-{r}.json")) for r in range(1, rounds + 1)]
    b = max(runs, key=lambda j: j["fps"])
    read = lambda name: [float(open(f"{out}/{p}-{r}.{name}").read() or 0) for r in range(1, rounds + 1)]
    return {
        "inference p50": b["stages"]["inference"]["p50_ms"], "inference p99": b["stages"]["inference"]["p99_ms"],
        "frame to top-5 p50": b["stages"]["end_to_end"]["p50_ms"], "frame to top-5 p99": b["stages"]["end_to_end"]["p99_ms"],
        "profile frames/s": b["fps"], "allocated B/frame": b["allocated_bytes_per_frame"],
        "label batch 1 frames/s": max(read("label1")), "label batch 8 frames/s": max(read("label8")),
        "peak RSS MB (profile)": max(read("rss-profile")), "peak RSS MB (label batch 8)": max(read("rss-label8")),
        "model MB": os.path.getsize(f"{d}/{p}.onnx") / 1e6,
    }
a, b = best("fp32"), best("int8")
print(f"{'':30} {'fp32':>10} {'int8':>10} {'fp32/int8':>10}")
for k in a:
    r = a[k] / b[k] if b[k] else float("nan")
    print(f"{k:30} {a[k]:10.2f} {b[k]:10.2f} {r:10.2f}")
cpu = json.load(open(f"{out}/fp32-1.json"))["cpu"]
print(f"best of {rounds} rounds each, in turn; {cpu}, {os.cpu_count()} logical cores")
PY
