namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// Whether ONNX Runtime's intra-op worker threads spin while they wait for work, instead of
/// sleeping (<c>session.intra_op.allow_spinning</c>, <c>session.force_spinning_stop</c>).
/// </summary>
/// <remarks>
/// Measured on the 2-core machine (`alexnet-rt profile --paced 30`, demo clip, full-size model,
/// interleaved runs; bench/README "Profile mode"): a sleeping worker is slow to wake after the
/// idle time between camera frames, which is why a paced loop's inference was slower than the
/// tight loop's. Paced at 30/s, eight rounds, inference p50 / p90 and process CPU: <see cref="Off"/>
/// 10.6-12.7 / 15.4-19.0 ms at 31-41%; <see cref="WithinRun"/> 8.8-11.2 / 14.8-17.0 ms at 32-40%;
/// <see cref="Always"/> 8.5-11.8 / 9.8-15.1 ms at 68-74%. Unpaced, with the decoder on the same
/// cores, the three were within the machine's noise (67-92 frames/s each).
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
