# Shared by run.ps1 and test.ps1, which dot-source it: the steps both take before dotnet runs.
Set-StrictMode -Version Latest

# The arguments a launcher was given, as the native program should get them: one argument an
# element. A list typed with commas at a PowerShell prompt (a.jpg,b.jpg) reaches a script as one
# array, which would be passed as the one argument 'a.jpg b.jpg'; its elements are passed instead.
# Numbers typed bare arrive as numbers and are passed as text. (-name:value typed at a prompt
# reaches a script as '-name:' and 'value'; dotnet and alexnet-rt read that as -name value.)
function ConvertTo-NativeArguments {
    param([object[]] $Given)
    $result = [System.Collections.Generic.List[string]]::new()
    foreach ($arg in $Given) {
        if ($arg -is [array]) {
            foreach ($element in $arg) { $result.Add("$element") }
        }
        else {
            $result.Add("$arg")
        }
    }
    return , $result.ToArray()
}

# On Linux, the native packages alexnet-rt needs (scripts/ensure-native-deps.sh, taken as run.sh
# and test.sh take it, with the same WITH_... settings); returns its exit code. Windows has no
# such step: the win-x64 natives ship in OpenCvSharp4.runtime.win and DirectML with Windows.
function Invoke-NativeDepsCheck {
    param([string[]] $With)
    if (-not $IsLinux) { return 0 }
    # Its stdout (it prints none now) would be this function's output, read as the exit code, and
    # run.ps1's stdout is alexnet-rt's: any goes to stderr.
    & env @With bash (Join-Path $PSScriptRoot 'ensure-native-deps.sh') |
        ForEach-Object { [Console]::Error.WriteLine("$_") }
    return $LASTEXITCODE
}
