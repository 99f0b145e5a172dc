#!/usr/bin/env bash
# Checks the README's promise on a fresh machine: builds a minimal Debian 12 root (debootstrap
# --variant=minbase, the content of the debian:bookworm image), gives it only what a new user
# has (git ca-certificates libicu72 libssl3 tzdata, and the .NET 10 SDK copied from this host),
# clones the repository into it and, in a chroot as root, runs
#
#   ./run.sh classify samples/frame-640x480.jpg --json   stdout must be JSON lines alone
#   ./run.sh                                              live mode on the demo clip, headless
#   ./test.sh                                             every test; none may fail, skips listed
#
# then prints each step's time, the disk the set-up takes by kind, and what was downloaded
# (the apt .deb files and the NuGet packages: both start empty in the root).
#
# Run as root on a Debian or Ubuntu host with the .NET 10 SDK, network to a Debian mirror and to
# NuGet; about 6 GB free under /var/tmp; 15-30 minutes. Not part of CI (too long, needs root):
#
#   sudo scripts/check-fresh-debian.sh [--dir DIR] [--repo PATH|URL] [--branch NAME]
#                                      [--mirror URL] [--fresh] [--keep]
#
#   --dir DIR      work folder (root/ and logs/ in it); default a new /var/tmp/alexnet-fresh-debian.*
#   --repo R       repository to clone (default: the one this script is in, its current commit:
#                  uncommitted changes are not in the check)
#   --branch NAME  branch of R to clone (default: R's current branch)
#   --mirror URL   Debian mirror (default: the one this host's apt sources name for bookworm,
#                  else http://deb.debian.org/debian); the security archive likewise
#   --fresh        run debootstrap even where a cached base root exists (and renew the cache)
#   --keep         keep root/ after the check (default: removed; logs/ always stays)
#
# Cache: the base root (minbase + the user's five packages, apt's .deb cache emptied) is kept as
# a tarball in $CHECK_FRESH_DEBIAN_CACHE (default /var/cache/alexnet-rt-check, about 150 MB):
# a rerun unpacks it in seconds instead of running debootstrap (several minutes). Everything the
# project itself brings (native packages, NuGet packages, builds) is always fetched afresh.
#
# What the root gets from the host, and nothing else: the apt mirror URLs and apt's Acquire
# settings (proxy, Check-Valid-Until), /etc/resolv.conf and /etc/hosts, the local CA certificates
# (/usr/local/share/ca-certificates: a TLS proxy's, where the network has one), the NuGet.Config
# of the user running this, the proxy and NUGET_CERT_REVOCATION_MODE variables where set, and the
# SDK folder (not ~/.nuget/packages: a new user downloads every package). /usr/sbin/policy-rc.d
# says no to starting services, as in the debian:bookworm image. The root is bound onto itself
# (a mount point, as a container's / is) and /proc, /sys, /dev, /dev/pts and /dev/shm are
# mounted in it for the chroot; all are always unmounted on exit (also on Ctrl-C or a
# failure), after the processes left in the root (build servers, an X server) are ended.
#
# Exit status: 0 when every step passed, 1 when one failed (the summary says which), 2 on bad
# arguments or a host that can't run the check.
set -uo pipefail

die() { echo "check-fresh-debian: $*" >&2; exit 2; }
say() { printf '\n== %s\n' "$*" >&2; }

script_dir="$(cd "$(dirname "$0")" && pwd)"
work="" repo="" branch="" mirror="" fresh=0 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || die "--dir needs a folder"; work="$2"; shift 2 ;;
    --repo) [ $# -ge 2 ] || die "--repo needs a path or URL"; repo="$2"; shift 2 ;;
    --branch) [ $# -ge 2 ] || die "--branch needs a name"; branch="$2"; shift 2 ;;
    --mirror) [ $# -ge 2 ] || die "--mirror needs a URL"; mirror="$2"; shift 2 ;;
    --fresh) fresh=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set -uo/{/^set -uo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

[ "$(id -u)" = "0" ] || die "run as root (debootstrap, chroot and mounts need it)"
command -v apt-get >/dev/null || die "needs a Debian or Ubuntu host (apt-get)"
dotnet_bin="$(command -v dotnet || true)"
[ -n "$dotnet_bin" ] || die "needs the .NET 10 SDK on this host (dotnet on PATH) to copy into the root"
sdk_dir="$(dirname "$(readlink -f "$dotnet_bin")")"
ls "$sdk_dir"/sdk/10.* >/dev/null 2>&1 || die "no .NET 10 SDK under $sdk_dir"
command -v git >/dev/null || die "needs git on this host"

if [ -z "$repo" ]; then
  repo="$(git -C "$script_dir" rev-parse --show-toplevel)" || die "not in a git repository; give --repo"
fi
if [ -z "$branch" ] && [ -d "$repo" ]; then
  branch="$(git -C "$repo" symbolic-ref --quiet --short HEAD || true)"
  if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    echo "check-fresh-debian: note: $repo has uncommitted changes; the check clones its last commit" >&2
  fi
fi

# --- the host's Debian mirror: the first deb source for bookworm (deb822 .sources or .list) ---
host_apt_uri() { # $1: suite (bookworm or bookworm-security)
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v suite="$1" '
      function flush() { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uri != "" && enabled != "no") { print uri; found = 1; exit } types = suites = uri = enabled = "" }
      /^[ \t]*$/ { flush(); next }
      /^Types:/ { sub(/^Types:[ \t]*/, ""); types = $0 }
      /^Suites:/ { sub(/^Suites:[ \t]*/, ""); suites = $0 }
      /^URIs:/ { sub(/^URIs:[ \t]*/, ""); split($0, u, /[ \t]+/); uri = u[1] }
      /^Enabled:/ { enabled = tolower($2) }
      END { if (!found) flush() }' "$f"
  done
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
    | awk -v suite="$1" '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i + 1) == suite) print $i }'
}
if [ -z "$mirror" ]; then
  mirror="$(host_apt_uri bookworm | head -n1)"
  mirror="${mirror:-http://deb.debian.org/debian}"
fi
security="$(host_apt_uri bookworm-security | head -n1)"
security="${security:-http://deb.debian.org/debian-security}"

# --- the work folder; the root is canonical so /proc/PID/root can be compared with it ---
if [ -z "$work" ]; then
  work="$(mktemp -d /var/tmp/alexnet-fresh-debian.XXXXXX)" || die "can't make a folder under /var/tmp"
else
  mkdir -p "$work" || die "can't make $work"
  [ ! -e "$work/root" ] || die "$work/root exists: give a new --dir, or remove it"
fi
work="$(readlink -f "$work")"
root="$work/root"
logs="$work/logs"
mkdir -p "$root" "$logs"
cache_dir="${CHECK_FRESH_DEBIAN_CACHE:-/var/cache/alexnet-rt-check}"
cache="$cache_dir/bookworm-minbase-user.tar.gz"
user_packages=(git ca-certificates libicu72 libssl3 tzdata)
repo_in_root=/root/AlexNet.Realtime

# --- mounts and their undoing ---
mounted=()
mount_into() { # $1: target inside the root, then mount's arguments
  local target="$root$1"; shift
  mkdir -p "$target"
  mount "$@" "$target" || return 1
  mounted+=("$target")
}
mount_all() {
  # The root a mount point of its own, as a container's or a machine's is: 'unshare -m' (a test
  # hides a library in its own mount namespace) can't make a non-mount-point / private.
  mount_into / --bind "$root" \
    && mount_into /proc -t proc proc \
    && mount_into /sys -t sysfs sysfs \
    && mount_into /dev --bind /dev \
    && mount_into /dev/pts --bind /dev/pts \
    && mount_into /dev/shm -t tmpfs -o mode=1777,nosuid,nodev tmpfs
}
processes_in_root() {
  local p
  for p in /proc/[0-9]*; do
    [ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && echo "${p#/proc/}"
  done
}
end_processes_in_root() {
  local pids
  pids="$(processes_in_root)"
  [ -n "$pids" ] || return 0
  echo "check-fresh-debian: ending the processes left in the root: $(echo $pids)" >&2
  # shellcheck disable=SC2086
  kill -TERM $pids 2>/dev/null
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    pids="$(processes_in_root)"
    [ -n "$pids" ] || return 0
    sleep 0.5
  done
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null
  sleep 0.5
}
mounts_under_root() { awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts; }
unmount_all() {
  local i target
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    target="${mounted[$i]}"
    umount "$target" 2>/dev/null || umount --lazy "$target" || echo "check-fresh-debian: could not unmount $target" >&2
  done
  mounted=()
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -d "$root/proc" ] && [ ${#mounted[@]} -gt 0 ]; then
    chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root dotnet build-server shutdown >/dev/null 2>&1 || true
  fi
  end_processes_in_root
  unmount_all
  local left
  left="$(mounts_under_root)"
  if [ -n "$left" ]; then
    echo "check-fresh-debian: mounts still under $root (left in place, root not removed):" >&2
    echo "$left" >&2
    rc=1
  elif [ "$keep" = "0" ] && [ -d "$root" ]; then
    rm -rf --one-file-system "$root"
  fi
  if [ "$keep" = "1" ]; then
    echo "check-fresh-debian: logs in $logs; root kept at $root" >&2
  else
    echo "check-fresh-debian: logs in $logs" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'echo "check-fresh-debian: interrupted" >&2; exit 130' INT TERM

# Runs a command line in the root as a new user's root shell would: a clean environment, the
# host's proxy and NuGet network variables only.
pass_env=()
for name in NUGET_CERT_REVOCATION_MODE http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  [ -n "${!name:-}" ] && pass_env+=("$name=${!name}")
done
in_root() {
  chroot "$root" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM="${TERM:-dumb}" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${pass_env[@]}" /bin/bash -c "$1"
}

# --- measuring ---
mb_of() { du -sxm "$@" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
files_mb() { # $1: folder, $2: name pattern: the total size of those files, MB
  find "$1" -type f -name "$2" -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s / 1048576 }'
}
root_mb() { mb_of "$root"; }

step_names=() step_results=() step_secs=() step_growth=()
record() { step_names+=("$1"); step_results+=("$2"); step_secs+=("$3"); step_growth+=("$4"); }
# run_step NAME FUNCTION: times it and measures how much the root grew.
failed=0
run_step() {
  local name="$1" before after start rc result
  shift
  say "$name"
  before="$(root_mb)"; start=$SECONDS
  "$@"; rc=$?
  after="$(root_mb)"
  if [ $rc -eq 0 ]; then result=ok; else result="FAILED ($rc)"; failed=1; fi
  record "$name" "$result" $((SECONDS - start)) $((after - before))
  [ $rc -eq 0 ] || echo "check-fresh-debian: step '$name' failed ($rc)" >&2
  return $rc
}

# --- the steps ---
base_root() {
  if [ "$fresh" = "0" ] && [ -f "$cache" ]; then
    echo "unpacking the cached base root $cache (made $(date -r "$cache" '+%F %R'); --fresh runs debootstrap)" >&2
    tar -xzpf "$cache" -C "$root"
    return
  fi
  if ! command -v debootstrap >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap debian-archive-keyring >&2 \
      || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap debian-archive-keyring >&2; } \
      || return 1
  fi
  echo "debootstrap --variant=minbase bookworm from $mirror" >&2
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$logs/debootstrap.log" 2>&1 \
    || { tail -n 20 "$logs/debootstrap.log" >&2; return 1; }
  configure_apt || return 1
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  mount_all || return 1
  echo "installing the user's packages: ${user_packages[*]}" >&2
  in_root "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${user_packages[*]} && apt-get clean" \
    >"$logs/user-packages.log" 2>&1 || { tail -n 20 "$logs/user-packages.log" >&2; return 1; }
  unmount_all
  mkdir -p "$cache_dir" && tar -czpf "$cache.tmp" -C "$root" . && mv "$cache.tmp" "$cache" \
    && echo "cached the base root as $cache" >&2
}
configure_apt() {
  # The mirror as this host has it, the way the debian:bookworm image writes its sources.
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # The host's network settings for apt (a proxy, a snapshot mirror's Check-Valid-Until), alone.
  apt-config dump 2>/dev/null | grep -E '^Acquire::(https?::Proxy|Check-Valid-Until|Check-Date|Retries)' \
    >"$root/etc/apt/apt.conf.d/90host-network" || true
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod 755 "$root/usr/sbin/policy-rc.d"
}
user_setup() {
  configure_apt
  cp -L /etc/resolv.conf "$root/etc/resolv.conf"
  cp /etc/hosts "$root/etc/hosts"
  dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Package}\n' | sort >"$logs/packages-before.txt"
  for p in "${user_packages[@]}"; do
    grep -qx "$p" "$logs/packages-before.txt" || { echo "the base root lacks $p" >&2; return 1; }
  done
  echo "copying the SDK $sdk_dir ($(mb_of "$sdk_dir") MB) to the same path in the root" >&2
  mkdir -p "$root$sdk_dir"
  cp -a "$sdk_dir/." "$root$sdk_dir/" || return 1
  ln -sf "$sdk_dir/dotnet" "$root/usr/bin/dotnet"
  local config="$HOME/.nuget/NuGet/NuGet.Config"
  if [ -f "$config" ]; then
    mkdir -p "$root/root/.nuget/NuGet"
    cp "$config" "$root/root/.nuget/NuGet/NuGet.Config"
    echo "NuGet: $config, sources: $(grep -o 'value="[^"]*"' "$config" | tr '\n' ' ')" >&2
  fi
  [ ${#pass_env[@]} -eq 0 ] || echo "environment passed into the root: ${pass_env[*]%%=*}" >&2
  mount_all || return 1
  # The host's own certificate authorities (a TLS proxy's, where the network has one), so that
  # NuGet reaches its source from the root as it does from the host.
  local cas=(/usr/local/share/ca-certificates/*.crt)
  if [ -e "${cas[0]}" ]; then
    cp "${cas[@]}" "$root/usr/local/share/ca-certificates/" || return 1
    echo "the host's local CA certificates: ${cas[*]##*/}" >&2
    in_root 'update-ca-certificates >/dev/null' || return 1
  fi
}
clone_repo() {
  local args=(--quiet --no-hardlinks)
  [ -n "$branch" ] && args+=(--branch "$branch")
  git clone "${args[@]}" "$repo" "$root$repo_in_root" || return 1
  echo "cloned $repo${branch:+ ($branch)} at $(git -C "$root$repo_in_root" log -1 --format='%h %s')" >&2
}
# Runs a command of the README in the clone; stdout and stderr to logs/NAME.{stdout,stderr},
# stderr also shown here.
# (Not through a pipe: the build servers the command leaves in the root hold its stderr open.)
readme_command() { # $1: log name, $2: command line
  local pid shown rc
  in_root "cd $repo_in_root && $2" >"$logs/$1.stdout" 2>"$logs/$1.stderr" &
  pid=$!
  tail -n +1 -f --pid=$pid "$logs/$1.stderr" >&2 &
  shown=$!
  wait $pid
  rc=$?
  wait $shown
  echo "exit $rc" >&2
  return $rc
}
classify_json() {
  readme_command classify './run.sh classify samples/frame-640x480.jpg --json' || return $?
  # stdout must be JSON lines and nothing else: each parses and names the top classes.
  if command -v python3 >/dev/null; then
    python3 - "$logs/classify.stdout" <<'EOF' >&2
import json, sys
lines = [line for line in open(sys.argv[1], encoding="utf-8").read().splitlines() if line.strip()]
if not lines:
    sys.exit("stdout is empty")
for number, line in enumerate(lines, 1):
    try:
        row = json.loads(line)
    except ValueError as error:
        sys.exit(f"stdout line {number} is not JSON ({error}): {line[:120]!r}")
    if not isinstance(row, dict) or not row.get("top"):
        sys.exit(f"stdout line {number} has no 'top': {line[:120]!r}")
    best = row["top"][0]
    print(f"JSON ok: {len(lines)} row(s); {row['source']}: top-1 {best['label']!r} p={best['p']:.4f}, {len(row['top'])} classes")
EOF
  else
    jq -e -c 'select((.top | length) > 0) | {source, top1: .top[0]}' "$logs/classify.stdout" >&2
  fi
}
live_demo() {
  readme_command live './run.sh' || return $?
  grep -q . "$logs/live.stdout" "$logs/live.stderr" || { echo "live mode printed nothing" >&2; return 1; }
}
tests() {
  readme_command test "./test.sh --logger trx --results-directory /root/test-results" || return $?
}

# Reads the trx files: counts, each skipped test with its reason, the window tests' outcomes.
test_report() {
  local results="$root/root/test-results"
  ls "$results"/*.trx >/dev/null 2>&1 || { echo "no test results (.trx) in $results" >&2; return 1; }
  command -v python3 >/dev/null || { echo "python3 is needed to read the test results" >&2; return 1; }
  python3 - "$results" <<'EOF'
import glob, re, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
counts, skipped, window = {}, [], {}
for path in sorted(glob.glob(sys.argv[1] + "/*.trx")):
    for result in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", ns):
        name, outcome = result.get("testName"), result.get("outcome")
        counts[outcome] = counts.get(outcome, 0) + 1
        if re.search(r"Window", name):
            window[outcome] = window.get(outcome, 0) + 1
        if outcome == "NotExecuted":
            reason = " ".join(t.text or "" for t in result.iterfind(".//t:Output//t:Message", ns)) \
                or " ".join(t.text or "" for t in result.iterfind(".//t:Output/t:StdOut", ns))
            skipped.append((name, reason.strip()))
print("tests: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + f" (total {sum(counts.values())})")
print("tests with 'Window' in the name: " + (", ".join(f"{k} {v}" for k, v in sorted(window.items())) or "none"))
for name, reason in skipped:
    print(f"  skipped: {name}: {reason or '(no reason given)'}")
EOF
}

say "check-fresh-debian: $repo${branch:+ ($branch)} in $root"
run_step "base root (minbase + ${user_packages[*]})" base_root || exit 1
run_step "user set-up (SDK copy, apt and NuGet config)" user_setup || exit 1
size_sdk="$(mb_of "$root$sdk_dir")"
size_setup="$(root_mb)"
run_step "git clone" clone_repo || exit 1
debs_before="$(files_mb "$root/var/cache/apt/archives" '*.deb')"
run_step "./run.sh classify ... --json (first run)" classify_json
run_step "./run.sh (live, demo clip)" live_demo
run_step "./test.sh" tests

# --- the figures ---
say "measurements"
dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Package}\n' | sort >"$logs/packages-after.txt"
new_packages="$(comm -13 "$logs/packages-before.txt" "$logs/packages-after.txt")"
new_count="$(echo "$new_packages" | grep -c . || true)"
installed_mb="$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Package} ${Installed-Size}\n' \
  | awk 'NR == FNR { new[$1] = 1; next } ($1 in new) { s += $2 } END { printf "%.0f\n", s / 1024 }' <(echo "$new_packages") -)"
echo "$new_packages" >"$logs/packages-installed-by-the-project.txt"
debs_mb=$(( $(files_mb "$root/var/cache/apt/archives" '*.deb') - debs_before ))
nuget_mb="$(mb_of "$root/root/.nuget/packages")"
nupkg_mb="$(files_mb "$root/root/.nuget/packages" '*.nupkg')"
nuget_count="$(find "$root/root/.nuget/packages" -mindepth 2 -maxdepth 2 -type d 2>/dev/null | wc -l)"
nuget_other_mb="$(mb_of "$root/root/.local/share/NuGet" "$root/root/.dotnet")"
clone="$root$repo_in_root"
mapfile -t build_dirs < <(find "$clone" -type d \( -name bin -o -name obj \) -prune -print)
build_mb="$(mb_of "${build_dirs[@]}")"
models_mb="$(mb_of "$clone/models")"
model_cache_mb="$(mb_of "$root/root/.cache/alexnet-rt")"
results_mb="$(mb_of "$root/root/test-results")"
tmp_mb="$(mb_of "$root/tmp")"
total_mb="$(root_mb)"
{
  echo
  echo "step                                                   result       time   root grew"
  for i in "${!step_names[@]}"; do
    printf '%-54s %-12s %4dm%02ds %6s MB\n' "${step_names[$i]}" "${step_results[$i]}" \
      $((step_secs[i] / 60)) $((step_secs[i] % 60)) "${step_growth[$i]}"
  done
  echo
  echo "disk in the root (MB)"
  printf '  %-58s %6s\n' \
    "the user's machine: minbase + 5 packages + SDK" "$size_setup" \
    "  of which the .NET SDK copy" "$size_sdk" \
    "apt packages the project installed ($new_count, installed size)" "$installed_mb" \
    "apt's .deb cache of them (apt-get clean frees it)" "$debs_mb" \
    "~/.nuget/packages ($nuget_count package versions)" "$nuget_mb" \
    "~/.local/share/NuGet + ~/.dotnet" "$nuget_other_mb" \
    "bin/ and obj/ folders of the clone" "$build_mb" \
    "models/" "$models_mb" \
    "~/.cache/alexnet-rt" "$model_cache_mb" \
    "test results (.trx)" "$results_mb" \
    "/tmp after the run" "$tmp_mb" \
    "the root in all" "$total_mb" \
    "beyond the user's machine" "$((total_mb - size_setup))"
  echo
  echo "downloaded (MB): apt .deb files $debs_mb, NuGet .nupkg files $nupkg_mb, model weights 0 (offline: synthetic)"
  echo
  echo "bin folders:"
  (cd "$clone" && du -sh src/*/bin tools/*/bin tests/*/bin 2>/dev/null | sed 's/^/  /')
  echo
  test_report
  echo
  grep -h -i -E 'synthetic|installing|missing' "$logs/classify.stderr" "$logs/live.stderr" 2>/dev/null | sort -u | sed 's/^/stderr: /'
} | tee "$logs/summary.txt"

if [ "$failed" = "0" ]; then
  echo "check-fresh-debian: every step passed" >&2
  exit 0
fi
echo "check-fresh-debian: a step failed (see the table and $logs)" >&2
exit 1
