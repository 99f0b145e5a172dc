using static AlexNet.Realtime.WeightConverter.Graph.OnnxGraphBuilder;

namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>
/// The layout the fully connected layers run in as 1x1 convolutions (see <see cref="DenseOps"/>):
/// rows <c>[N,K]</c> become one image <c>[1,K,N,1]</c> with the batch along its height, and back.
/// Used by the converter's own graphs and by <c>import-onnx</c>'s rewrite of a zoo graph's Gemm.
/// </summary>
internal static class BatchAsHeight
{
    public static string FromRows(OnnxGraphBuilder g, string rows)
    {
        var columns = g.Node("Transpose", [rows], "dense_columns", [Attr("perm", 1L, 0L)]);
        return g.Node("Unsqueeze", [columns, g.Int64s("batch_as_height_axes", 0, 3)], "dense_image");
    }

    /// <param name="weight">[M,K,1,1]</param>
    /// <param name="bias">[M], or null.</param>
    public static string Conv1x1(OnnxGraphBuilder g, string image, string weight, string? bias, string hint) =>
        g.Node("Conv", bias is null ? [image, weight] : [image, weight, bias], hint, [Attr("kernel_shape", 1L, 1L)]);

    public static string ToRows(OnnxGraphBuilder g, string image, string? outputName = null)
    {
        var columns = g.Node("Squeeze", [image, g.Int64s("batch_as_height_axes", 0, 3)], "dense_out_columns");
        return g.Node("Transpose", [columns], "dense_rows", [Attr("perm", 1L, 0L)], outputName: outputName);
    }
}
