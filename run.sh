#!/usr/bin/env bash
# The main job on a fresh Linux machine with the .NET 10 SDK: installs the native packages
# OpenCV needs (or says how), builds in Release and runs alexnet-rt. With no arguments it runs
# live mode: the first camera, else the bundled demo clip; a window, else headless; the model
# at models/alexnet.onnx, fetched and converted on first run (synthetic where it can't be).
# Any arguments go to alexnet-rt instead, e.g. ./run.sh live --source 0   or
# ./run.sh classify photo.jpg --json | jq
# Standard output is alexnet-rt's alone: set-up and build messages go to stderr.
set -euo pipefail
cd "$(dirname "$0")"
WITH_FFMPEG=1 ./scripts/ensure-native-deps.sh
# The first build restores every package and compiles for minutes: say so before it.
if [ ! -f src/App/obj/project.assets.json ]; then
  echo "run.sh: first build: downloading about 0.3 GB of NuGet packages and compiling in Release; a few minutes" >&2
fi
if ! build_log="$(dotnet build src/App/AlexNet.Realtime.App.csproj -c Release --nologo -v quiet -clp:ErrorsOnly 2>&1)"; then
  printf '%s\n' "$build_log" >&2
  echo "run.sh: the build failed (above)" >&2
  exit 1
fi
if [ $# -eq 0 ]; then
  set -- live
fi
exec dotnet src/App/bin/Release/net10.0/alexnet-rt.dll "$@"
