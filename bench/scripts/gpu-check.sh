#!/usr/bin/env bash
# The GPU check, run on a machine with an NVIDIA GPU and no .NET, from the repository's root, after
# ../shared/device/unpack.sh has unpacked a self-contained CUDA build (see bench/README.md, "GPU").
#   usage: bench/scripts/gpu-check.sh <publish folder> <output folder>
# It writes synthetic full-size models (Conv and Gemm fully connected layers), classifies the
# fixture photos on the CPU and on CUDA (float32 and TF32), profiles the live pipeline on CUDA
# (plain, CUDA graph, TF32, Gemm model, 1080p frames), labels the demo clip at two batch sizes,
# and times PyTorch's AlexNet on the same GPU. Every step has its own time limit and its log.
set -u
app=${1:?usage: gpu-check.sh <publish folder> <output folder>}
out=${2:?usage: gpu-check.sh <publish folder> <output folder>}
mkdir -p "$out" models
# OpenCvSharp's runtime links GTK 3; the build carries the libraries it needs beside it.
export LD_LIBRARY_PATH=${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$app/gtkdeps
export ALEXNET_RT_MODEL_CACHE=off
# The build is self-contained; the machine may have no ICU.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
rt=$app/alexnet-rt
conv=$app/alexnet-convert
photos=(tests/fixtures/images/astronaut.png tests/fixtures/images/chelsea.png tests/fixtures/images/coffee.png tests/fixtures/images/rocket.png samples/frame-640x480.jpg)
clip=samples/demo-640x480.mp4

step() { # step <name> <seconds> <command...>: runs it, keeps its output, prints one status line
  local name=$1 limit=$2; shift 2
  local t0=$(date +%s%N)
  timeout "$limit" "$@" >"$out/$name.log" 2>&1
  local rc=$?
  printf '%-22s rc=%-3s %6d ms  %s\n' "$name" "$rc" $(( ($(date +%s%N) - t0) / 1000000 )) "$(tail -n 1 "$out/$name.log" | cut -c1-150)"
}

nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
step devices 60 "$rt" devices
step model-conv 120 "$conv" synthetic -o models/alexnet.onnx -q
step model-gemm 120 "$conv" synthetic --fc-ops gemm -o models/alexnet-gemm.onnx -q
step model-tvmini 60 "$conv" convert tests/fixtures/tv_mini.pth -o models/tv_mini.onnx -q

for m in alexnet tv_mini; do
  step "classify-$m-cpu" 120 "$rt" classify "${photos[@]}" --model "models/$m.onnx" --device cpu --threads 8 --json
  step "classify-$m-cuda" 120 "$rt" classify "${photos[@]}" --model "models/$m.onnx" --device cuda --json
  step "classify-$m-graph" 120 "$rt" classify "${photos[@]}" --model "models/$m.onnx" --device cuda --cuda-graph --json
  step "classify-$m-tf32" 120 "$rt" classify "${photos[@]}" --model "models/$m.onnx" --device cuda --tf32 --json
done

prof() { # prof <name> <extra options...>
  local name=$1; shift
  step "profile-$name" 150 "$rt" profile --frames 600 --warmup 60 --report "$out/profile-$name.json" "$@"
}
prof cuda --source "$clip" --device cuda
prof cuda-graph --source "$clip" --device cuda --cuda-graph
prof cuda-tf32 --source "$clip" --device cuda --tf32
prof cuda-gemm --source "$clip" --device cuda --model models/alexnet-gemm.onnx
prof cuda-1080p --source synthetic --width 1920 --height 1080 --device cuda
prof cuda-gemm-graph --source "$clip" --device cuda --model models/alexnet-gemm.onnx --cuda-graph
prof cuda-gemm-graph-tf32 --source "$clip" --device cuda --model models/alexnet-gemm.onnx --cuda-graph --tf32
prof cuda-graph-tf32 --source "$clip" --device cuda --cuda-graph --tf32
prof cpu8 --source "$clip" --device cpu --threads 8

step label-cpu-b8 150 "$rt" label "$clip" -o "$out/label-cpu-b8.jsonl" --device cpu --threads 8
step label-cuda-b1 150 "$rt" label "$clip" -o "$out/label-cuda-b1.jsonl" --device cuda --batch 1
step label-cuda-b32 150 "$rt" label "$clip" -o "$out/label-cuda-b32.jsonl" --device cuda --batch 32
step label-cuda-graph-b1 150 "$rt" label "$clip" -o "$out/label-cuda-graph-b1.jsonl" --device cuda --cuda-graph --batch 1
step label-cuda-graph-b32 150 "$rt" label "$clip" -o "$out/label-cuda-graph-b32.jsonl" --device cuda --cuda-graph --batch 32
step label-cuda-tf32-b32 150 "$rt" label "$clip" -o "$out/label-cuda-tf32-b32.jsonl" --device cuda --tf32 --batch 32
step label-gemm-graph-b32 150 "$rt" label "$clip" -o "$out/label-gemm-graph-b32.jsonl" --device cuda --cuda-graph --batch 32 --model models/alexnet-gemm.onnx

step torch-reference 180 python3 bench/scripts/gpu_torch_reference.py
cat "$out/torch-reference.log"
python3 bench/scripts/gpu_compare.py "$out" | tee "$out/compare.txt"
