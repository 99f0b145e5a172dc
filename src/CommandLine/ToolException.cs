namespace AlexNet.Realtime.CommandLine;

/// <summary>
/// A failure a tool reports as one line on stderr, ending with <see cref="ExitCode"/>: its message
/// is written for the user and names what is at fault (a file, an option). Whoever prints it makes
/// it one line (<see cref="ErrorGuard"/>).
/// </summary>
public class ToolException : Exception
{
    public ToolException(string message) : this(message, ExitCodes.Failed) { }

    public ToolException(string message, Exception inner) : base(message, inner)
    {
        ExitCode = ExitCodes.Failed;
    }

    public ToolException(string message, int exitCode) : base(message)
    {
        ExitCode = exitCode;
    }

    public ToolException()
    {
        ExitCode = ExitCodes.Failed;
    }

    /// <summary>What the process ends with.</summary>
    public int ExitCode { get; }
}
