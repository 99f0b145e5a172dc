using System.Runtime.CompilerServices;
using AlexNet.Realtime.Inference.Devices;

namespace AlexNet.Realtime.App.Tests;

/// <summary>
/// The app keeps optimized models in the user's cache folder; tests keep theirs in a folder of
/// their own, removed when the test process ends, so a test run leaves nothing in the home folder.
/// </summary>
internal static class ModelCacheForTests
{
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "A test assembly: the setting must be in place before any test opens a model.")]
    internal static void UseATemporaryFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"alexnet-rt-test-model-cache-{Environment.ProcessId}");
        Environment.SetEnvironmentVariable(OptimizedModelCache.EnvironmentVariable, folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
                // nothing was cached
            }
        };
    }
}
