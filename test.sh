#!/usr/bin/env bash
# Runs every test on a fresh Linux machine with the .NET 10 SDK: installs the native packages
# it needs (or says how), restores, builds in Release and runs the xunit projects.
set -euo pipefail
cd "$(dirname "$0")"
WITH_FFMPEG=1 ./scripts/ensure-native-deps.sh
dotnet test AlexNet.Realtime.sln -c Release --nologo "$@"
