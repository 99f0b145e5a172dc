namespace AlexNet.Realtime.CommandLine;

/// <summary>How alexnet-rt and alexnet-convert end (the README documents them).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad input or use: a command-line mistake, an unreadable file, an option out of range.</summary>
    public const int Failed = 1;

    /// <summary>A bug or an exhausted machine (out of memory): EX_SOFTWARE of BSD's sysexits.h.</summary>
    public const int InternalError = 70;

    /// <summary>Ctrl-C: 128 + SIGINT, as a shell reports a process the signal ended.</summary>
    public const int Cancelled = 130;
}
