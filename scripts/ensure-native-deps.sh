#!/usr/bin/env bash
# Makes sure the native packages alexnet-rt needs are on this Linux machine, and installs them
# with apt-get when it can (root with apt-get); otherwise it stops at once with the line to run.
#
#   required    libgtk-3-0 libatomic1: OpenCvSharp's native library links GTK 3 (its window)
#               and libatomic; without them no command that reads an image can start.
#   WITH_FFMPEG=1        ffmpeg: its libraries are the default video-file decoder, its program
#               reads rtsp streams and serves the HTTP stream test. Optional: without it video
#               files are decoded by OpenCV's own reader, and the tests that need it skip.
#   WITH_WINDOW_TESTS=1  xvfb openbox xdotool x11-apps x11-utils wmctrl: an X server, a window
#               manager and the tools the window tests drive it with. Optional: without them
#               the window tests skip and say why.
#
# Each is checked exactly (the library in the loader's cache, the program on PATH), so an
# installed package is never read as missing and nothing is installed twice.
set -euo pipefail

[ "$(uname -s)" = "Linux" ] || exit 0

loader_cache="$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)"
has_library() { [[ "$loader_cache" == *$'\t'"$1 ("* ]]; }
has_program() { command -v "$1" >/dev/null 2>&1; }

required=()
has_library libgtk-3.so.0 || required+=(libgtk-3-0)
has_library libatomic.so.1 || required+=(libatomic1)

optional=()
why=()
if [ "${WITH_FFMPEG:-0}" = "1" ] && ! has_program ffmpeg; then
  optional+=(ffmpeg)
  why+=("ffmpeg (decodes video files, reads rtsp streams)")
fi
if [ "${WITH_WINDOW_TESTS:-0}" = "1" ]; then
  window_tools=()
  has_program Xvfb || window_tools+=(xvfb)
  has_program openbox || window_tools+=(openbox)
  has_program xdotool || window_tools+=(xdotool)
  has_program xwd || window_tools+=(x11-apps)
  has_program xprop || window_tools+=(x11-utils)
  has_program wmctrl || window_tools+=(wmctrl)
  if [ ${#window_tools[@]} -gt 0 ]; then
    optional+=("${window_tools[@]}")
    why+=("${window_tools[*]} (an X server and window manager for the window tests)")
  fi
fi

missing=("${required[@]}" "${optional[@]}")
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  if [ ${#required[@]} -gt 0 ]; then
    echo "installing ${required[*]}: OpenCV's native library needs them" >&2
  fi
  for reason in "${why[@]}"; do echo "installing $reason" >&2; done
  echo "(apt-get, no recommended extras; on a minimal system a few hundred MB and a few minutes; each package is named as it is set up)" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Progress: apt's own 'Setting up' lines, one a package, on stderr. awk reads every line, so
  # apt-get never meets a closed pipe; pipefail keeps apt-get's exit code.
  if apt-get update -q >/dev/null \
    && apt-get install -y -q --no-install-recommends "${missing[@]}" 2>&1 \
       | awk '/^Setting up /{ printf "  set up %s\n", $3; fflush() } /^E: /{ print; fflush() }' >&2; then
    exit 0
  fi
  echo "apt-get could not install: ${missing[*]}" >&2
fi

if [ ${#required[@]} -gt 0 ]; then
  echo "missing native packages: ${required[*]}; run this, then try again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "note: ${optional[*]} not installed (sudo apt-get install -y --no-install-recommends ${optional[*]}); video files are then decoded by OpenCV's reader, and the tests that need these skip and say so" >&2
exit 0
