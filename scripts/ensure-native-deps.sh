#!/usr/bin/env bash
# Makes sure the native packages are on this machine: GTK 3 (libgtk-3-0), which OpenCvSharp's
# Linux runtime loads, is required; ffmpeg (WITH_FFMPEG=1: its libraries are the default video-file
# decoder, its program reads rtsp sources and serves the HTTP stream test) is optional: without it
# video files are decoded by OpenCV's own reader. Installs them with apt-get when it can (root and apt-get present). Otherwise a
# missing required package stops at once with the exact line to run; a missing optional one is
# reported and its test skips with that message.
set -euo pipefail

[ "$(uname -s)" = "Linux" ] || exit 0

required=()
optional=()
ldconfig -p 2>/dev/null | grep -q 'libgtk-3\.so\.0' || required+=(libgtk-3-0)
if [ "${WITH_FFMPEG:-0}" = "1" ] && ! command -v ffmpeg >/dev/null 2>&1; then
  optional+=(ffmpeg)
fi

missing=("${required[@]}" "${optional[@]}")
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing native packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq >/dev/null && apt-get install -y -qq "${missing[@]}" >/dev/null; then
    exit 0
  fi
  echo "apt-get could not install: ${missing[*]}" >&2
fi

if [ ${#required[@]} -gt 0 ]; then
  echo "missing native packages: ${required[*]}; run this, then try again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "note: ${optional[*]} is not installed (sudo apt-get install -y ${optional[*]}); video files are decoded by OpenCV's reader, and the tests that need it will skip and say so" >&2
exit 0
