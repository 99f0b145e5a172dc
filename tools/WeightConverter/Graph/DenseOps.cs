namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>Which ONNX operators carry the fully connected layers (fc6, fc7, fc8).</summary>
/// <remarks>
/// At batch 1 the fully connected layers are most of AlexNet's time: 244 MB of weights read per
/// frame, so what matters is how close an operator comes to the memory's bandwidth. On ONNX
/// Runtime's CPU provider a 1x1 convolution runs in its blocked (NCHWc) kernels, which stream the
/// weights at nearly the full bandwidth where <c>Gemm</c> does not; with the batch laid along the
/// spatial axis every weight is read once per batch, where a batch on N reads them once per frame.
/// The results differ from Gemm's in float rounding only (summation order). Without the blocked
/// kernels (the optimizer limited to ORT_ENABLE_EXTENDED, or a CPU for which ONNX Runtime has
/// none) the convolutions run as a plain GEMM. The blocked weights are made at every session start,
/// which the engine's optimized-model cache saves. On CUDA in float32 it is the other way round
/// (Gemm is faster; with TF32 they run alike), so the model's contract says which
/// (<c>dense_ops</c>) and the engine can tell a CUDA user. Figures: bench/README.md, "Before: the
/// graph's own preprocessing".
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
