namespace AlexNet.Realtime.Inference.Engine;

/// <summary>
/// How a frame reaches the device that runs the session, where the graph preprocesses: the device
/// picks it, and it picks the engine's runner once at open (tests set it through
/// <see cref="EngineOptions.Transfer"/> to run a GPU's way on the CPU).
/// </summary>
internal enum FrameTransfer
{
    /// <summary>CPU: the input is bound over the frame's own memory; nothing moves (<see cref="BoundFramesRunner"/>).</summary>
    InPlace,

    /// <summary>
    /// DirectML: ONNX Runtime copies a host input to the device when it is bound, not when the
    /// session runs, so the frame is bound again before each run (<see cref="DirectMLFramesRunner"/>).
    /// </summary>
    RebindEachRun,

    /// <summary>
    /// CUDA: a device buffer for the frames and two for the top-K, one set per frame shape, bound
    /// once; each run copies the frames in and the top-K out (<see cref="CudaFramesRunner"/>).
    /// </summary>
    DeviceBuffers,
}
