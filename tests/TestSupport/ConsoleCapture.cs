namespace AlexNet.Realtime.TestSupport;

/// <summary>
/// Runs a command-line entry point in-process with stdout and stderr captured. Console is
/// process-wide, so tests that use this belong to the non-parallel "Console" collection.
/// </summary>
public static class ConsoleCapture
{
    private static readonly Lock Gate = new();

    public static (int ExitCode, string Out, string Error) Run(Func<int> entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (Gate)
        {
            var stdout = Console.Out;
            var stderr = Console.Error;
            using var outWriter = new StringWriter();
            using var errWriter = new StringWriter();
            Console.SetOut(outWriter);
            Console.SetError(errWriter);
            try
            {
                var code = entry();
                return (code, outWriter.ToString(), errWriter.ToString());
            }
            finally
            {
                Console.SetOut(stdout);
                Console.SetError(stderr);
            }
        }
    }
}
