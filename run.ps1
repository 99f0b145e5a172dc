#Requires -Version 7
# run.sh for PowerShell 7, on Windows (the design's platform: there the build links ONNX Runtime's
# DirectML package and OpenCvSharp's win-x64 natives, and nothing is installed) and on Linux
# (which first takes run.sh's native-package step). Builds alexnet-rt in Release and runs it.
# With no arguments it runs live mode: the first camera, else the bundled demo clip; the model at
# models/alexnet.onnx, fetched and converted on first run (synthetic where it can't be). Any
# arguments go to alexnet-rt instead, e.g.
#   ./run.ps1 live --source 0        ./run.ps1 classify 'my photo.jpg' --json | ConvertFrom-Json
# Standard output is alexnet-rt's alone: set-up and build messages go to stderr. Relative paths
# are taken from the repository root, as in run.sh. At a PowerShell prompt a lone -- must be
# quoted ('--'): PowerShell keeps a bare one for itself. Exits with alexnet-rt's exit code.
Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
# A native command's exit code is read from $LASTEXITCODE, not turned into an error, so that
# alexnet-rt's own code comes back as it is.
$PSNativeCommandUseErrorActionPreference = $false
# Each argument reaches dotnet as one argument, spaces and quotes included, on both systems.
$PSNativeCommandArgumentPassing = 'Standard'
. (Join-Path $PSScriptRoot 'scripts' 'launcher.ps1')

$appArgs = ConvertTo-NativeArguments $args
if ($appArgs.Count -eq 0) { $appArgs = @('live') }

# Ctrl-C stops this script where it stands, running only the finally block below; there the
# exit code is then 130 (alexnet-rt's and a shell's for an interrupt), where PowerShell would
# give 0 or 1 as it happens.
$interrupted = $true
$code = 0
Push-Location -LiteralPath $PSScriptRoot
try {
    $code = Invoke-NativeDepsCheck -With 'WITH_FFMPEG=1'
    if ($code -eq 0) {
        # [Console]::Error, not Write-Host: under 'pwsh -File' the host writes to stdout.
        [Console]::Error.WriteLine('run.ps1: building alexnet-rt (Release; the first build restores packages and takes a few minutes)')
        $project = Join-Path $PSScriptRoot 'src' 'App' 'AlexNet.Realtime.App.csproj'
        $buildLog = & dotnet build $project -c Release --nologo -v quiet -clp:ErrorsOnly 2>&1
        if ($LASTEXITCODE -ne 0) {
            $buildLog | ForEach-Object { [Console]::Error.WriteLine("$_") }
            [Console]::Error.WriteLine('run.ps1: the build failed (above)')
            $code = 1
        }
    }
    if ($code -eq 0) {
        $app = Join-Path $PSScriptRoot 'src' 'App' 'bin' 'Release' 'net10.0' 'alexnet-rt.dll'
        & dotnet $app @appArgs
        $code = $LASTEXITCODE
    }
    $interrupted = $false
}
catch {
    # dotnet not on PATH, say: one line, not PowerShell's error block.
    [Console]::Error.WriteLine("run.ps1: $($_.Exception.Message)")
    $interrupted = $false
    $code = 1
}
finally {
    Pop-Location
    exit ($interrupted ? 130 : $code)
}
