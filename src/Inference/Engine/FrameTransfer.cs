namespace AlexNet.Realtime.Inference.Engine;

/// <summary>How a frame reaches the device that runs the session (chosen by the device, see <see cref="InputSlot"/>).</summary>
internal enum FrameTransfer
{
    /// <summary>CPU: the input is bound over the frame's own memory; nothing moves.</summary>
    InPlace,

    /// <summary>
    /// DirectML: ONNX Runtime copies a host input to the device when it is bound, not when the
    /// session runs, so the frame is bound again before each run (<see cref="InputRebinder"/>).
    /// </summary>
    RebindEachRun,

    /// <summary>
    /// CUDA: a device buffer for the frames and two for the top-K, one set per frame shape, bound
    /// once; each run copies the frames in and the top-K out. The addresses never change, which a
    /// CUDA graph needs (its replay reads the addresses it captured).
    /// </summary>
    DeviceBuffers,
}
