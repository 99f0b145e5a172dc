#!/usr/bin/env bash
# Runs every test on a fresh Linux machine with the .NET 10 SDK: installs the native packages
# the tests need (or says how: OpenCV's libraries, ffmpeg, and an X server with a window
# manager for the window tests), then restores, builds in Release and runs the five xunit
# projects (AlexNet.Realtime.Tests.slnf: the benchmarks are not restored). Arguments go to
# dotnet test, e.g. ./test.sh --filter "FullyQualifiedName~WindowTests".
set -euo pipefail
cd "$(dirname "$0")"
WITH_FFMPEG=1 WITH_WINDOW_TESTS=1 ./scripts/ensure-native-deps.sh
dotnet test AlexNet.Realtime.Tests.slnf -c Release --nologo "$@"
