using System.Runtime.InteropServices;

namespace AlexNet.Realtime.TestSupport;

/// <summary>Whether this machine has a native library, for tests that can only see its absence.</summary>
public static class NativeLibraries
{
    public static bool CanLoad(string name)
    {
        if (!NativeLibrary.TryLoad(name, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }
}
