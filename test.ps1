#Requires -Version 7
# test.sh for PowerShell 7, on Windows (where the build links ONNX Runtime's DirectML package and
# OpenCvSharp's win-x64 natives, and nothing is installed) and on Linux (which first takes
# test.sh's native-package step). Restores, builds in Release and runs the five xunit projects
# (AlexNet.Realtime.Tests.slnf). Arguments go to dotnet test, e.g.
#   ./test.ps1 --filter 'FullyQualifiedName~ClassifyTests'
# At a PowerShell prompt a lone -- (before run settings) must be quoted ('--'): PowerShell keeps
# a bare one for itself. Exits with dotnet test's exit code: non-zero when a test fails.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# A native command's exit code is read from $LASTEXITCODE, not turned into an error.
$PSNativeCommandUseErrorActionPreference = $false
# Each argument reaches dotnet as one argument, spaces and quotes included, on both systems.
$PSNativeCommandArgumentPassing = 'Standard'
. (Join-Path $PSScriptRoot 'scripts' 'launcher.ps1')

$testArgs = ConvertTo-NativeArguments $args

# Ctrl-C stops this script where it stands, running only the finally block below; there the
# exit code is then 130 (a shell's for an interrupt), where PowerShell would give 0 or 1.
$interrupted = $true
$code = 0
Push-Location -LiteralPath $PSScriptRoot
try {
    $code = Invoke-NativeDepsCheck -With 'WITH_FFMPEG=1', 'WITH_WINDOW_TESTS=1'
    if ($code -eq 0) {
        & dotnet test (Join-Path $PSScriptRoot 'AlexNet.Realtime.Tests.slnf') -c Release --nologo @testArgs
        $code = $LASTEXITCODE
    }
    $interrupted = $false
}
catch {
    # dotnet not on PATH, say: one line, not PowerShell's error block.
    [Console]::Error.WriteLine("test.ps1: $($_.Exception.Message)")
    $interrupted = $false
    $code = 1
}
finally {
    Pop-Location
    exit ($interrupted ? 130 : $code)
}
