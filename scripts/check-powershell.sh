#!/usr/bin/env bash
# Checks run.ps1 and test.ps1 under PowerShell 7 (the version pinned in .config/dotnet-tools.json,
# installed by 'dotnet tool restore'), called the two ways people call them: 'pwsh -File' from
# another shell, and '& ./run.ps1' at a PowerShell prompt. What each check proves is said above
# it. Cheap enough for CI after test.sh: the builds are incremental and the tests a filtered few.
# Exits non-zero when a check fails, saying which and showing what the script printed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! restored=$(dotnet tool restore 2>&1); then
  echo "$restored" >&2
  echo "check-powershell: dotnet tool restore failed (PowerShell is pinned in .config/dotnet-tools.json)" >&2
  exit 1
fi

pwsh() { dotnet tool run pwsh -- -NoLogo -NoProfile -NonInteractive "$@"; }
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
checks=0
failures=0
pass() { checks=$((checks + 1)); echo "check-powershell: ok: $1 (${SECONDS}s)"; }
fail() {
  checks=$((checks + 1)); failures=$((failures + 1))
  echo "check-powershell: FAILED: $1" >&2
  shift
  for file in "$@"; do sed "s|^|  $(basename "$file"): |" "$file" >&2; done
}

# An image whose name has spaces, both quotes and parentheses: it must reach alexnet-rt as one
# argument, unchanged.
image="$work/it's a \"frame\" (1).jpg"
cp samples/frame-640x480.jpg "$image"
app=src/App/bin/Release/net10.0/alexnet-rt.dll

# 1. run.ps1 builds and runs alexnet-rt; its stdout is the program's alone (no build lines).
rc=0; pwsh -File run.ps1 devices >"$work/out" 2>"$work/err" || rc=$?
if [ "$rc" -eq 0 ] && head -n1 "$work/out" | grep -q '^build: ' && ! grep -Eq 'run\.ps1:|Build succeeded|Time Elapsed|Warning\(s\)' "$work/out" \
  && grep -q '^run\.ps1: building' "$work/err"; then
  pass "run.ps1 devices: exit 0, stdout is alexnet-rt's alone"
else
  fail "run.ps1 devices: exit $rc; want 0, stdout starting 'build: ' with no build lines, which go to stderr" "$work/out" "$work/err"
fi

# 2. The same through a pipe to a JSON reader: every stdout line is the program's JSON, the odd
#    file name comes back as given, and -k 2 was passed.
rc=0; pwsh -File run.ps1 classify "$image" --json -k 2 >"$work/out" 2>"$work/err" || rc=$?
if [ "$rc" -eq 0 ] && EXPECT="$image" OUT="$work/out" pwsh -Command '
    try { $json = @(Get-Content -LiteralPath $env:OUT | ForEach-Object { $_ | ConvertFrom-Json }) }
    catch { [Console]::Error.WriteLine("check-powershell: stdout is not JSON lines: $($_.Exception.Message)"); exit 1 }
    if ($json.Count -ne 1 -or $json[0].source -cne $env:EXPECT -or $json[0].top.Count -ne 2) { exit 1 }'; then
  pass "run.ps1 classify --json: exit 0, stdout is one JSON line, the quoted name intact"
else
  fail "run.ps1 classify --json: exit $rc; want 0 and one JSON line for the image with top 2" "$work/out" "$work/err"
fi

# 3. At a PowerShell prompt, from another folder: a list typed with a comma is two images, -k:1
#    (which PowerShell hands a script as '-k:' and '1') is read as -k 1, a relative path is taken
#    from the repository root as in run.sh, the exit code comes back in $LASTEXITCODE and the
#    prompt's folder is kept.
rc=0; (EXPECT="$image" RUN="$root/run.ps1" WORK="$work" pwsh -Command '
    Set-Location -LiteralPath $env:WORK
    $before = (Get-Location).Path
    $out = @(& $env:RUN classify $env:EXPECT, samples/frame-640x480.jpg --json -k:1)
    $code = $LASTEXITCODE
    $out | Set-Content -LiteralPath (Join-Path $env:WORK out)
    if ($code -ne 0) { [Console]::Error.WriteLine("exit $code"); exit 1 }
    try { $json = @($out | ForEach-Object { $_ | ConvertFrom-Json }) }
    catch { [Console]::Error.WriteLine("stdout is not JSON lines: $($_.Exception.Message)"); exit 1 }
    if ((Get-Location).Path -ne $before) { [Console]::Error.WriteLine("the folder changed to $(Get-Location)"); exit 1 }
    if ($json.Count -ne 2 -or $json[0].source -cne $env:EXPECT -or $json[1].source -cne "samples/frame-640x480.jpg") { [Console]::Error.WriteLine("not the two images"); exit 1 }
    if (@($json | Where-Object { $_.top.Count -ne 1 }).Count -ne 0) { [Console]::Error.WriteLine("-k:1 not passed"); exit 1 }' \
  2>"$work/err") || rc=$?
if [ "$rc" -eq 0 ]; then
  pass "& ./run.ps1 at a prompt: a comma list and -k:1 passed, paths from the root, folder kept"
else
  fail "& ./run.ps1 at a prompt" "$work/out" "$work/err"
fi

# 4. A failing alexnet-rt's exit code is run.ps1's, with nothing on stdout.
want=0; dotnet "$app" classify "$work/missing.jpg" >/dev/null 2>&1 || want=$?
rc=0; pwsh -File run.ps1 classify "$work/missing.jpg" >"$work/out" 2>"$work/err" || rc=$?
if [ "$want" -ne 0 ] && [ "$rc" -eq "$want" ] && [ ! -s "$work/out" ] && grep -q 'missing.jpg: no such file' "$work/err"; then
  pass "run.ps1 with a missing image: exit $rc as alexnet-rt's, the error on stderr"
else
  fail "run.ps1 with a missing image: exit $rc; want alexnet-rt's $want (non-zero) and an empty stdout" "$work/out" "$work/err"
fi

# 5. test.ps1 passes its arguments through whole (a filter with | and ~, an environment variable
#    whose value has spaces, a logger with ;) and a failing test makes it exit non-zero. The
#    libav test is documented to fail when ALEXNET_RT_LIBAV names a release that is not loaded.
failing=AlexNet.Realtime.Capture.Tests.LibavVideoReaderTests.LoadedRelease_NewestInstalledOrTheOneNamed
passing=AlexNet.Realtime.Overlay.Tests.FrameProfilerTests
rc=0; pwsh -File test.ps1 --filter "FullyQualifiedName~$passing|FullyQualifiedName=$failing" \
  -e 'ALEXNET_RT_LIBAV=no such release' --logger 'console;verbosity=normal' >"$work/out" 2>&1 || rc=$?
results=$(grep -E '^\s+(Passed|Failed|Skipped) AlexNet\.' "$work/out" || true)
if [ "$rc" -ne 0 ] && grep -Eq "^\s+Failed $failing " <<<"$results" && grep -Eq "^\s+Passed $passing\." <<<"$results" \
  && ! grep -Evq "^\s+(Failed $failing |Passed $passing\.)" <<<"$results"; then
  pass "test.ps1 with a failing test: exit $rc, only the filtered tests ran"
else
  fail "test.ps1 with a failing test: exit $rc; want non-zero, $failing failed and only $passing.* passed" "$work/out"
fi

# 6. And exit 0 when the tests pass.
rc=0; pwsh -File test.ps1 --no-build --filter "FullyQualifiedName~$passing" >"$work/out" 2>&1 || rc=$?
if [ "$rc" -eq 0 ] && grep -q 'Passed!' "$work/out"; then
  pass "test.ps1 with passing tests: exit 0"
else
  fail "test.ps1 with passing tests: exit $rc; want 0" "$work/out"
fi

if [ "$failures" -ne 0 ]; then
  echo "check-powershell: $failures of $checks checks failed" >&2
  exit 1
fi
echo "check-powershell: all $checks checks of run.ps1 and test.ps1 passed"
