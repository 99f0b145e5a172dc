namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// Whether ONNX Runtime's intra-op worker threads spin while they wait for work, instead of
/// sleeping (<c>session.intra_op.allow_spinning</c>, <c>session.force_spinning_stop</c>).
/// </summary>
/// <remarks>
/// Measured on the 2-core machine (`alexnet-rt profile --paced 30`, demo clip, full-size model,
/// interleaved runs; bench/README "Profile mode"): a sleeping worker is slow to wake after the
/// idle time between camera frames, which is why a paced loop's inference was slower than the
/// tight loop's. Paced at 30/s, inference p50 / p90 and process CPU: <see cref="Off"/> 10.6-12.3 /
/// 15.4-19.0 ms at 32-41%; <see cref="WithinRun"/> 8.8-11.2 / 14.8-17.0 ms at 32-40%;
/// <see cref="Always"/> 8.6-11.8 / 9.8-15.1 ms at 68-74%. Unpaced, with the decoder on the same
/// cores, spinning workers take its time: 72-85 frames/s always spinning against 67-89 off.
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
