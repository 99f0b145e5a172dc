using AlexNet.Realtime.Capture;
using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.Inference;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Engine;

namespace AlexNet.Realtime.App.Commands;

/// <summary>
/// alexnet-rt's failures and option errors, said as the shared <see cref="ErrorGuard"/> says them:
/// which library failures are the user's, a native library that does not load, and which flag
/// sets which option of the libraries.
/// </summary>
internal static class AppErrors
{
    public const int Ok = ExitCodes.Ok;
    public const int Failed = ExitCodes.Failed;
    public const int Cancelled = ExitCodes.Cancelled;
    public const int InternalError = ExitCodes.InternalError;

    /// <summary>
    /// The libraries' failures whose messages are written for the user; <see cref="AppException"/>
    /// and the converter's <c>ConversionException</c> are <see cref="ToolException"/>s already. A
    /// file that can't be read or written (<see cref="IOException"/>) is the user's to fix too.
    /// </summary>
    private static readonly ErrorGuard s_guard = new(
        "alexnet-rt",
        [typeof(InferenceException), typeof(ModelContractException), typeof(CaptureException), typeof(IOException), typeof(UnauthorizedAccessException)],
        e => NativeRuntimes.IsLoadFailure(e) ? NativeRuntimes.Describe(e) : null);

    /// <summary>The one table of alexnet-rt's flags for the libraries' options.</summary>
    public static OptionFlags Flags { get; } = new OptionFlags()
        .Add<EngineOptions>(nameof(EngineOptions.IntraOpThreads), "--threads", $"must be 1..{EngineOptions.MaxThreads}")
        .Add<EngineOptions>(nameof(EngineOptions.MaxBatch), "--batch", "must be 1..256")
        .Add<EngineOptions>(nameof(EngineOptions.WarmUpBatch), "--batch", "must be 1..256")
        .Add<CaptureOptions>(nameof(CaptureOptions.Width), "--width", "must be 0 or more")
        .Add<CaptureOptions>(nameof(CaptureOptions.Height), "--height", "must be 0 or more")
        .Add<CaptureOptions>(nameof(CaptureOptions.Fps), "--fps", "must be 0 or more")
        .Add<CaptureOptions>(nameof(CaptureOptions.PaceFps), "--paced", "must be at most 10000 frames a second");

    /// <param name="needsNativeRuntimes">
    /// Whether the command needs OpenCV's and ONNX Runtime's native libraries: they are tried
    /// first, so a machine that lacks one hears which and how to install it before any work.
    /// </param>
    public static int Guard(Func<int> action, bool needsNativeRuntimes = true) => s_guard.Run(() =>
    {
        // A bad limit is said before any work, in one line, rather than once per image read.
        _ = ImageFiles.MaxPixels;
        if (needsNativeRuntimes)
        {
            NativeRuntimes.EnsureLoadable();
        }

        return action();
    });
}

/// <summary>A usage problem of the app itself (bad option combination, unreadable input), said in one line.</summary>
internal sealed class AppException : ToolException
{
    public AppException(string message) : base(message) { }

    public AppException(string message, Exception inner) : base(message, inner) { }

    public AppException() { }
}
