namespace AlexNet.Realtime.Inference.Preprocessing;

/// <summary>Resizes and crops 8-bit BGR frames of one size into a model's crop_levels tensor (float B, G and R planes of whole levels).</summary>
internal unsafe interface ICropResizer
{
    int Height { get; }

    int Width { get; }

    /// <summary>The floats <see cref="Run"/> writes: 3 planes of the crop's size squared.</summary>
    int OutputLength { get; }

    /// <param name="frame">The frame's first byte: Height rows of Width BGR pixels, <paramref name="rowBytes"/> apart.</param>
    /// <param name="output"><see cref="OutputLength"/> floats: B, G and R planes, whole levels.</param>
    void Run(byte* frame, long rowBytes, float* output);
}
