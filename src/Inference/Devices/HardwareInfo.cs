using System.Runtime.InteropServices;

namespace AlexNet.Realtime.Inference.Devices;

/// <summary>The machine's CPU in words, for reports and benchmark tables.</summary>
public static class HardwareInfo
{
    public static string CpuName()
    {
        try
        {
            if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null)
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
            // fall through to the architecture
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
