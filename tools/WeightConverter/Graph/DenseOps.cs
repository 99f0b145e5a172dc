namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>Which ONNX operators carry the fully connected layers (fc6, fc7, fc8).</summary>
/// <remarks>
/// At batch 1 the fully connected layers are most of AlexNet's time: 244 MB of weights read per
/// frame, so what matters is how close an operator comes to the memory's bandwidth. ONNX Runtime
/// 1.31's CPU kernels, 2 threads, fc6 (9216 to 4096) alone, interleaved runs (this machine reads
/// about 56 GB/s with two threads):
/// <code>
///                         batch 1            batch 8
/// Gemm (transB)           3.67 ms, 41 GB/s   7.41 ms (4.85 prepacked)
/// Conv 1x1, batch on N    2.94 ms, 51 GB/s   18.3 ms (the weights read once per frame)
/// Conv 1x1, batch on H    2.71 ms, 56 GB/s   3.14 ms
/// </code>
/// The 1x1 convolution runs in ONNX Runtime's blocked (NCHWc) kernels, which stream the weights
/// at nearly the full bandwidth; with the batch laid along the spatial axis every weight is read
/// once per batch. fc7 (4096 to 4096): 1.48 against 1.01 ms at batch 1, 2.58 (prepacked)
/// against 1.61 ms at batch 8. The results differ from Gemm's in float rounding only (summation
/// order: about 1e-6 of the outputs' size). Without the blocked kernels (measured with the
/// optimizer limited to ORT_ENABLE_EXTENDED; a CPU for which ONNX Runtime has none is expected to
/// behave alike, not seen) the convolutions run as a plain GEMM: fc6 3.8 ms at batch 1 (as Gemm)
/// and 5.6 ms at batch 8 (Gemm prepacked: 4.85). The
/// blocked weights are made at every session start (about 4 s for the full-size model), which the
/// engine's optimized-model cache saves.
/// On CUDA (an H200, ONNX Runtime 1.31, frame to top-5) it is the other way round in float32:
/// 1.48 ms a frame with the convolutions against 0.91 with Gemm (1.22 against 0.67 with a CUDA
/// graph); with TF32 they run alike. The model's contract says which (<c>dense_ops</c>) so that the
/// engine can tell a CUDA user.
/// </remarks>
public enum DenseOps
{
    /// <summary>
    /// Each layer a 1x1 <c>Conv</c> over the batch laid out as <c>[1, features, N, 1]</c>, between
    /// one Transpose and Unsqueeze in and one Squeeze and Transpose out (<see cref="BatchAsHeight"/>). The default: faster on ONNX Runtime's CPU provider.
    /// </summary>
    Conv1x1,

    /// <summary>Each layer a <c>Gemm</c> (transB=1), as <c>torch.onnx.export</c> writes <c>nn.Linear</c>. Faster on CUDA in float32.</summary>
    Gemm,
}
