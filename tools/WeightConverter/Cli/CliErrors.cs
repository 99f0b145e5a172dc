using AlexNet.Realtime.Inference;
using AlexNet.Realtime.Inference.Contract;

namespace AlexNet.Realtime.WeightConverter.Cli;

/// <summary>Turns every failure into one line on stderr and a non-zero exit code; never a stack trace.</summary>
internal static class CliErrors
{
    public const int UserError = 1;
    public const int InternalError = 70;
    public const int Cancelled = 130;

    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ConversionException or ModelContractException)
        {
            Console.Error.WriteLine($"alexnet-convert: error: {ErrorText.OneLine(e.Message)}");
            return UserError;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("alexnet-convert: cancelled");
            return Cancelled;
        }
        catch (OutOfMemoryException)
        {
            Console.Error.WriteLine("alexnet-convert: error: out of memory");
            return InternalError;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"alexnet-convert: internal error: {e.GetType().Name}: {ErrorText.OneLine(e.Message)}");
            if (Environment.GetEnvironmentVariable("ALEXNET_RT_DEBUG") == "1")
            {
                Console.Error.WriteLine(e);
            }

            return InternalError;
        }
    }
}
