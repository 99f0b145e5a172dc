namespace AlexNet.Realtime.App.Evaluation;

/// <summary>How an evaluation runs: sealed, init-only, checked as set.</summary>
internal sealed class EvalOptions
{
    private readonly int _batch = 8;
    private readonly int _lanes = 1;

    /// <summary>Images per inference call.</summary>
    public int Batch { get => _batch; init => _batch = value is >= 1 and <= 64 ? value : throw new Commands.AppException($"--batch must be 1..64, got {value}"); }

    /// <summary>Batches classified side by side, each on its own share of the threads over one CPU session per model.</summary>
    public int Lanes { get => _lanes; init => _lanes = value is >= 1 and <= 16 ? value : throw new Commands.AppException($"--lanes must be 1..16, got {value}"); }

    /// <summary>Failures named in the report (all are counted).</summary>
    public int NamedFailures { get; init; } = 100;

    /// <summary>Failures said on stderr as they happen; the rest are counted.</summary>
    public int SaidFailures { get; init; } = 10;

    /// <summary>Images a decoder source reads: a whole number of batches for every lane, about 256.</summary>
    public int ChunkSize => Math.Max(1, (int)Math.Ceiling(256.0 / (Batch * Lanes))) * Batch * Lanes;

    /// <summary>Frames a source may have decoded ahead: the batches in flight, one more, and two.</summary>
    public int QueueCapacity => Math.Clamp((Batch * Lanes) + Batch + 2, 8, 1024);
}
