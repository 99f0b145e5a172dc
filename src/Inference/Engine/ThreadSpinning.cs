namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// Whether ONNX Runtime's intra-op worker threads spin while they wait for work, instead of
/// sleeping (<c>session.intra_op.allow_spinning</c>, <c>session.force_spinning_stop</c>).
/// </summary>
/// <remarks>
/// A sleeping worker is slow to wake after the idle time between camera frames, which is why a
/// paced loop's inference was slower than the tight loop's; spinning within a run keeps the
/// workers awake between a frame's ops at little more CPU, spinning always steadies the latency
/// at about twice the CPU. The figures: bench/README.md, "Profile mode" and "Figures behind design
/// choices".
/// </remarks>
public enum ThreadSpinning
{
    /// <summary>Workers sleep as soon as an op's work is done: the least CPU; the most wake-ups.</summary>
    Off,

    /// <summary>Workers spin between the ops of a run and sleep when it returns: faster paced frames at about the same CPU.</summary>
    WithinRun,

    /// <summary>Workers spin whenever idle (ONNX Runtime's own default): the steadiest paced latency, at twice the CPU of a paced loop.</summary>
    Always,
}

/// <summary>ONNX Runtime's session settings for a <see cref="ThreadSpinning"/>.</summary>
public static class ThreadSpinningSettings
{
    /// <summary>Sets <c>session.intra_op.allow_spinning</c> and <c>session.force_spinning_stop</c> (which stops the spinning when a run returns).</summary>
    public static void ApplyTo(this ThreadSpinning spinning, Microsoft.ML.OnnxRuntime.SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning == ThreadSpinning.Off ? "0" : "1");
        options.AddSessionConfigEntry("session.force_spinning_stop", spinning == ThreadSpinning.WithinRun ? "1" : "0");
    }
}
