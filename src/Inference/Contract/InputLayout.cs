namespace AlexNet.Realtime.Inference.Contract;

/// <summary>How a model takes its pixels.</summary>
public enum InputLayout
{
    /// <summary>uint8 <c>[N,H,W,3]</c> BGR frames exactly as OpenCV delivers them; the graph preprocesses.</summary>
    Frames,

    /// <summary>float32 <c>[N,3,S,S]</c> RGB, already resized, cropped and normalized by the caller.</summary>
    Nchw,
}
