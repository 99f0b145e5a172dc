using System.Runtime.InteropServices;

namespace AlexNet.Realtime.TestSupport;

/// <summary>Other names for one file, as a careless user makes them: hard links (Unix), which .NET has no call for.</summary>
public static partial class FileLinks
{
    /// <summary>Makes <paramref name="link"/> a second name of <paramref name="target"/> (Unix only).</summary>
    public static void Hard(string target, string link)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("hard links are made here with link(2)");
        }

        if (LinkFile(target, link) != 0)
        {
            throw new IOException($"link {target} {link}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkFile(string target, string link);
}
