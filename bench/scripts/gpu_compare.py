"""Compares gpu-check.sh's CUDA answers with the CPU's: `python3 gpu_compare.py <output folder>`.

Each CUDA run must give every frame the CPU's top-1 and probabilities within `tolerance` (float32:
1e-3; TF32 changes the products' rounding, so it is reported, not held to that). Prints one line a
run and exits 1 if a float32 run fails. Then one line per `profile-*.json` report: frames/s,
the inference stage's p50 and p99, end-to-end p50, bytes allocated a frame and the device.
"""
import json
import pathlib
import sys

FLOAT32_TOLERANCE = 1e-3


def rows(path):
    out = []
    for line in path.read_text().splitlines():
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


def compare(reference, candidate):
    if len(reference) != len(candidate) or not reference:
        return len(candidate), 0, float("inf")
    same_top1 = 0
    worst = 0.0
    for a, b in zip(reference, candidate):
        same_top1 += a["top"][0]["index"] == b["top"][0]["index"]
        pa = {t["index"]: t["p"] for t in a["top"]}
        for t in b["top"]:
            if t["index"] in pa:
                worst = max(worst, abs(pa[t["index"]] - t["p"]))
    return len(candidate), same_top1, worst


def main(folder):
    d = pathlib.Path(folder)
    failed = False
    pairs = [(f"classify-{m}-cpu.log", f"classify-{m}-{v}.log") for m in ("alexnet", "tv_mini") for v in ("cuda", "graph", "tf32")]
    pairs += [("label-cpu-b8.jsonl", f"label-{v}.jsonl") for v in ("cuda-b1", "cuda-b32", "cuda-graph-b1", "cuda-graph-b32", "gemm-graph-b32", "cuda-tf32-b32")]
    for ref_name, name in pairs:
        ref_path, path = d / ref_name, d / name
        if not ref_path.exists() or not path.exists():
            print(f"{name:28} missing")
            failed = True
            continue
        n, top1, worst = compare(rows(ref_path), rows(path))
        strict = "tf32" not in name
        ok = n > 0 and top1 == n and worst <= FLOAT32_TOLERANCE
        verdict = ("PASS" if ok else "FAIL") if strict else "(tf32, reported)"
        failed |= strict and not ok
        print(f"{name:28} {n:4} frames, same top-1 {top1:4}, max |p - p_cpu| {worst:.2e}  {verdict}")
    for report in sorted(d.glob("profile-*.json")):
        print(profile_line(report))
    return 1 if failed else 0


def profile_line(path):
    try:
        r = json.loads(path.read_text())
        s = r["stages"]
        return (f'{path.name:28} fps {r["fps"]:7.1f}  inference p50 {s["inference"]["p50_ms"]:.3f} p99 {s["inference"]["p99_ms"]:.3f}'
                f'  end-to-end p50 {s["end_to_end"]["p50_ms"]:.3f}  alloc/frame {r["allocated_bytes_per_frame"]}  {r["device"]}')
    except (ValueError, KeyError, TypeError) as e:
        return f"{path.name:28} unreadable: {e!r}"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
