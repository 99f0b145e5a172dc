# Shared by run.ps1 and test.ps1, which dot-source it: the steps both take before dotnet runs.
Set-StrictMode -Version Latest

# The arguments a launcher was given, as the native program should get them. PowerShell reads
# -name:value typed at its prompt as a parameter and hands a script '-name:' and 'value' apart;
# a native program (dotnet's -p:Name=Value, alexnet-rt's -k:3) needs them as one argument again.
# Only PowerShell's own parameter tokens carry the <CommandParameterName> mark, so a quoted
# '-name:' stays as typed. Numbers typed bare arrive as numbers and are passed as text; a list
# typed with commas (a.jpg,b.jpg) is one argument an element, as PowerShell passes an array.
function ConvertTo-NativeArguments {
    param([object[]] $Given)
    $result = [System.Collections.Generic.List[string]]::new()
    for ($i = 0; $i -lt $Given.Count; $i++) {
        $arg = $Given[$i]
        $isParameterToken = $null -ne $arg -and $null -ne $arg.PSObject.Properties['<CommandParameterName>']
        if ($isParameterToken -and "$arg".EndsWith(':') -and $i + 1 -lt $Given.Count) {
            $result.Add("$arg$($Given[$i + 1])")
            $i++
        }
        elseif ($arg -is [array]) {
            foreach ($element in $arg) { $result.Add("$element") }
        }
        else {
            $result.Add("$arg")
        }
    }
    return , $result.ToArray()
}

# On Linux, the native packages OpenCV needs (scripts/ensure-native-deps.sh, as run.sh and test.sh
# take it). Windows has no such step: OpenCvSharp4.runtime.win carries the win-x64 natives.
function Invoke-NativeDepsCheck {
    if (-not $IsLinux) { return }
    & env WITH_FFMPEG=1 bash (Join-Path $PSScriptRoot 'ensure-native-deps.sh')
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}
