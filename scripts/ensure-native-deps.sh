#!/usr/bin/env bash
# Makes sure the native libraries OpenCvSharp's Linux runtime loads are on this machine
# (GTK 3 for highgui; ffmpeg for the HTTP stream test). Installs them with apt-get when it can
# (root and apt-get present); otherwise stops at once with the exact line to run.
set -euo pipefail

[ "$(uname -s)" = "Linux" ] || exit 0

missing=()
ldconfig -p 2>/dev/null | grep -q 'libgtk-3\.so\.0' || missing+=(libgtk-3-0)
if [ "${WITH_FFMPEG:-0}" = "1" ] && ! command -v ffmpeg >/dev/null 2>&1; then
  missing+=(ffmpeg)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing native packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi

echo "missing native packages: ${missing[*]}; run this, then try again:" >&2
echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
exit 1
