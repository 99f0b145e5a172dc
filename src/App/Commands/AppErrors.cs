using AlexNet.Realtime.Capture;
using AlexNet.Realtime.Inference;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.WeightConverter;

namespace AlexNet.Realtime.App.Commands;

/// <summary>Every failure becomes one line on stderr and a non-zero exit code; never a stack trace.</summary>
internal static class AppErrors
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Cancelled = 130;
    public const int InternalError = 70;

    /// <param name="needsNativeRuntimes">
    /// Whether the command needs OpenCV's and ONNX Runtime's native libraries: they are tried
    /// first, so a machine that lacks one hears which and how to install it before any work.
    /// </param>
    public static int Guard(Func<int> action, bool needsNativeRuntimes = true)
    {
        try
        {
            if (needsNativeRuntimes)
            {
                NativeRuntimes.EnsureLoadable();
            }

            return action();
        }
        catch (Exception e) when (e is InferenceException or ModelContractException or ConversionException or AppException or CaptureException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"alexnet-rt: error: {ErrorText.OneLine(e.Message)}");
            return Failed;
        }
        catch (Exception e) when (NativeRuntimes.IsLoadFailure(e))
        {
            Console.Error.WriteLine($"alexnet-rt: error: {ErrorText.OneLine(NativeRuntimes.Describe(e))}");
            return Failed;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("alexnet-rt: cancelled");
            return Cancelled;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"alexnet-rt: internal error: {e.GetType().Name}: {ErrorText.OneLine(e.Message)}");
            if (Environment.GetEnvironmentVariable("ALEXNET_RT_DEBUG") == "1")
            {
                Console.Error.WriteLine(e);
            }

            return InternalError;
        }
    }
}

/// <summary>A usage problem of the app itself (bad option combination, unreadable input), said in one line.</summary>
internal sealed class AppException : Exception
{
    public AppException(string message) : base(message) { }

    public AppException(string message, Exception inner) : base(message, inner) { }

    public AppException() { }
}
