using System.Diagnostics;
using AlexNet.Realtime.App.Commands;
using AlexNet.Realtime.TestSupport;
using Xunit;
using Dependency = AlexNet.Realtime.App.Commands.NativeRuntimes.Dependency;

namespace AlexNet.Realtime.App.Tests;

/// <summary>A native library that can't load is one line naming what is missing and how to install it.</summary>
[Collection("App")]
public sealed class NativeRuntimesTests
{
    private const string NoSuchLibrary = "alexnet-rt-test-no-such-library";

    [Fact]
    public void LibraryLackingADependency_NamesItAndItsPackageOnly()
    {
        var problem = NativeRuntimes.Problem("Test", NoSuchLibrary, typeof(NativeRuntimesTests).Assembly,
        [
            new Dependency("libalexnet-rt-test-missing.so.1", "alexnet-rt-test-pkg"),
            new Dependency(OperatingSystem.IsWindows() ? "kernel32.dll" : "libc.so.6", "libc6"),
            new Dependency("libalexnet-rt-test-missing-too.so.2", "alexnet-rt-test-pkg"),
        ]);

        Assert.Equal(
            "Test's native library cannot load: this machine lacks libalexnet-rt-test-missing.so.1, libalexnet-rt-test-missing-too.so.2; install it: sudo apt-get install -y --no-install-recommends alexnet-rt-test-pkg",
            problem);
    }

    [Fact]
    public void LibraryMissingItself_SaysTheLoadersWords()
    {
        var problem = NativeRuntimes.Problem("Test", NoSuchLibrary, typeof(NativeRuntimesTests).Assembly, []);
        Assert.NotNull(problem);
        Assert.StartsWith("Test's native library cannot load: ", problem, StringComparison.Ordinal);
        Assert.Contains(NoSuchLibrary, problem, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', problem);
    }

    [Fact]
    public void ThisMachinesRuntimes_LoadAndEveryListedDependencyIsHere()
    {
        Assert.Null(NativeRuntimes.OpenCvProblem);
        Assert.Null(NativeRuntimes.OnnxRuntimeProblem);
        if (OperatingSystem.IsLinux())
        {
            // The list is what the library links: each name must be a real library here, or the
            // check would blame a library that no machine has.
            Assert.Empty(NativeRuntimes.MissingDependencies(NativeRuntimes.OpenCvLinuxDependencies));
        }
    }

    [SkippableFact]
    public void MachineWithoutLibatomic_EveryCommandSaysWhichPackageAndExits1()
    {
        // libatomic hidden as minimal Debian lacks it: an empty file mounted over it, in a mount
        // namespace of this test's own (root and unshare needed; CI has both).
        Skip.IfNot(OperatingSystem.IsLinux() && Environment.UserName == "root" && File.Exists("/usr/bin/unshare"), "needs Linux, root and unshare to hide a library from one process");
        var atomic = new FileInfo("/usr/lib/x86_64-linux-gnu/libatomic.so.1").ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        Skip.If(atomic is null || !File.Exists(atomic), "libatomic.so.1 is not where Debian x64 keeps it");
        using var dir = new TempDirectory();
        var empty = dir.File("empty.so");
        File.WriteAllBytes(empty, []);
        var app = Path.Combine(AppContext.BaseDirectory, "alexnet-rt.dll");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var photo = Path.Combine(Fixtures.RepositoryRoot, "samples", "frame-640x480.jpg");
        string[][] commands = [["classify", photo], ["live", "--headless", "--frames", "1"], ["devices"]];
        foreach (var args in commands)
        {
            var script = $"mount --bind '{empty}' '{atomic}' || exit 97; exec '{dotnet}' '{app}' {string.Join(' ', args.Select(a => $"'{a}'"))}";
            var start = new ProcessStartInfo("unshare", ["-m", "sh", "-c", script]) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = dir.Path };
            start.Environment["ALEXNET_RT_OFFLINE"] = "1";
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)));
            Skip.If(process.ExitCode == 97 || stderr.StartsWith("unshare:", StringComparison.Ordinal), $"this machine does not let a test hide a file in a mount namespace ({stderr.Trim()})");
            var expected = "OpenCV's native library cannot load: this machine lacks libatomic.so.1; install it: sudo apt-get install -y --no-install-recommends libatomic1";
            if (args[0] == "devices")
            {
                Assert.Equal(0, process.ExitCode);
                Assert.Contains($"  opencv    no: {expected}", stdout.GetAwaiter().GetResult(), StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(1, process.ExitCode);
                Assert.Equal($"alexnet-rt: error: {expected}", stderr.Trim());
                Assert.False(Directory.Exists(Path.Combine(dir.Path, "models")), "a model was written before the missing library was found");
            }
        }
    }

    [Fact]
    public void TypeInitializerOverAMissingLibrary_IsOneLineAndExit1()
    {
        var (code, _, error) = ConsoleCapture.Run(() => AppErrors.Guard(
            () => throw new TypeInitializationException("OpenCvSharp.Internal.NativeMethods", new DllNotFoundException("libfoo.so.1: cannot open shared object file: No such file or directory"))));
        Assert.Equal(AppErrors.Failed, code);
        Assert.Equal("alexnet-rt: error: a native library cannot load: libfoo.so.1: cannot open shared object file: No such file or directory", error.Trim());
    }
}
