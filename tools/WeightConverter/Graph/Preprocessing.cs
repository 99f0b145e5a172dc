using AlexNet.Realtime.WeightConverter.Onnx;
using static AlexNet.Realtime.WeightConverter.Graph.OnnxGraphBuilder;

namespace AlexNet.Realtime.WeightConverter.Graph;

/// <summary>
/// torchvision's evaluation transform as ONNX nodes on uint8 <c>[N,H,W,3]</c> BGR frames, so it
/// runs on whatever device runs the graph: <c>Resize(256)</c> (shorter side to 256, long side
/// <c>int(256*long/short)</c>, bilinear with antialias) and <c>CenterCrop(S)</c> (offsets
/// <c>round((size-S)/2)</c>, Python's round half to even, which ONNX Round also does).
/// Channel order and normalization are left to the caller, which folds them into conv1 where exact.
/// </summary>
/// <remarks>
/// By default the uint8 frame is transposed to NCHW, cast to float, resized and rounded to whole
/// levels (PIL returns uint8): within one level of torchvision and the fastest order measured
/// (ONNX Runtime 1.31, CPU, 2 threads, whole model, interleaved runs: 11.6 ms a frame against
/// 13.6 ms for resizing the uint8 NHWC frame; 7.2 against 8.2 ms at batch 8). With
/// <c>pilExact</c> the uint8 frame itself is resized, which ONNX Runtime does bit-exactly as PIL.
/// The mean is subtracted after the transpose: a per-channel Sub over NCHW planes takes 0.016 ms,
/// over NHWC's trailing axis 0.39 ms.
/// </remarks>
internal static class Preprocessing
{
    /// <summary>Emits resize and center crop; returns float NCHW BGR on the 0..255 scale, in whole levels.</summary>
    /// <param name="pilExact">Resize the uint8 frame itself (bit-exact with PIL) instead of its float copy.</param>
    public static string ResizeAndCrop(OnnxGraphBuilder g, string frames, int resizeShorter, int crop, bool pilExact = false)
    {
        var shape = g.Node("Shape", [frames], "frame_shape");
        var hw = g.Node("Slice", [shape, g.Int64s("hw_start", 1), g.Int64s("hw_end", 3)], "frame_hw");
        var shorter = g.Node("ReduceMin", [hw, g.Int64s("axis0", 0)], "shorter_side", [Attr("keepdims", 1L)]);
        var scaled = g.Node("Mul", [hw, g.Int64s("resize_shorter", resizeShorter)], "hw_scaled");

        // Integer division truncates like Python's int(256 * long / short) for positive sizes.
        var resizedHw = g.Node("Div", [scaled, shorter], "resized_hw");

        var margin = g.Node("Sub", [resizedHw, g.Int64s("crop", crop, crop)], "crop_margin");
        var marginF = g.Node("Cast", [margin], "crop_margin_f", [Attr("to", (long)TensorProto.Types.DataType.Float)]);
        var half = g.Node("Div", [marginF, g.ScalarFloat("two", 2f)], "crop_half");
        var rounded = g.Node("Round", [half], "crop_rounded");
        var starts = g.Node("Cast", [rounded], "crop_start", [Attr("to", (long)TensorProto.Types.DataType.Int64)]);
        var ends = g.Node("Add", [starts, g.Int64s("crop_len", crop, crop)], "crop_end");

        if (pilExact)
        {
            // ONNX Runtime's uint8 antialiased resize reproduces PIL's integer arithmetic.
            var resizedU8 = Resize(g, frames, resizedHw, 1, 2);
            var croppedU8 = g.Node("Slice", [resizedU8, starts, ends, g.Int64s("crop_axes", 1, 2)], "cropped");
            var croppedNchw = g.Node("Transpose", [croppedU8], "cropped_nchw", [Attr("perm", 0L, 3L, 1L, 2L)]);
            return g.Node("Cast", [croppedNchw], "cropped_f", [Attr("to", (long)TensorProto.Types.DataType.Float)]);
        }

        var nchw = g.Node("Transpose", [frames], "frames_nchw", [Attr("perm", 0L, 3L, 1L, 2L)]);
        var asFloat = g.Node("Cast", [nchw], "frames_f", [Attr("to", (long)TensorProto.Types.DataType.Float)]);
        var resized = Resize(g, asFloat, resizedHw, 2, 3);
        var cropped = g.Node("Slice", [resized, starts, ends, g.Int64s("crop_axes", 2, 3)], "cropped");
        return g.Node("Round", [cropped], "cropped_levels");
    }

    private static string Resize(OnnxGraphBuilder g, string input, string sizes, long axisH, long axisW) =>
        g.Node("Resize", [input, "", "", sizes], "resized",
        [
            Attr("mode", "linear"),
            Attr("antialias", 1L),
            Attr("axes", axisH, axisW),
            Attr("coordinate_transformation_mode", "half_pixel"),
        ]);

    /// <summary>Subtracts a per-channel value (in the frame's BGR order, 0..255 scale) from float NCHW.</summary>
    public static string SubtractMean(OnnxGraphBuilder g, string nchw, float[] meanBgr255) =>
        g.Node("Sub", [nchw, g.Initializer(g.Unique("mean_bgr_255"), meanBgr255, 1, 3, 1, 1)], "centered");
}

/// <summary>
/// The preprocessing alone, as a model: frames in, torchvision's normalized RGB NCHW tensor out
/// (output <c>preprocessed</c>). The converted models fold the normalization into conv1; this
/// model spells it out, to compare the in-graph resize and crop with torchvision's tensors.
/// </summary>
public static class PreprocessingModel
{
    public const string OutputName = "preprocessed";

    public static ModelProto Build(int crop, IReadOnlyList<float> meanRgb, IReadOnlyList<float> stdRgb, bool pilExact = false)
    {
        ArgumentNullException.ThrowIfNull(meanRgb);
        ArgumentNullException.ThrowIfNull(stdRgb);
        var graph = new GraphProto { Name = "preprocessing" };
        var g = new OnnxGraphBuilder(graph);
        graph.Input.Add(TensorInfo(Inference.Contract.ModelContract.FramesInputName, TensorProto.Types.DataType.Uint8, "batch", "height", "width", 3));
        var cropped = Preprocessing.ResizeAndCrop(g, Inference.Contract.ModelContract.FramesInputName, AlexNetModelBuilder.ResizeShorter, crop, pilExact);
        var nchwBgr = cropped;
        var rgb = g.Node("Gather", [nchwBgr, g.Int64s("bgr_to_rgb", 2, 1, 0)], "rgb", [Attr("axis", 1L)]);
        var scale = new float[3];
        var shift = new float[3];
        for (var c = 0; c < 3; c++)
        {
            scale[c] = 1f / (255f * stdRgb[c]);
            shift[c] = meanRgb[c] / stdRgb[c];
        }

        var scaled = g.Node("Mul", [rgb, g.Initializer(g.Unique("scale"), scale, 1, 3, 1, 1)], "scaled");
        g.Node("Sub", [scaled, g.Initializer(g.Unique("shift"), shift, 1, 3, 1, 1)], "normalized", outputName: OutputName);
        graph.Output.Add(TensorInfo(OutputName, TensorProto.Types.DataType.Float, "batch", 3, crop, crop));
        var model = new ModelProto { IrVersion = AlexNetModelBuilder.IrVersion, ProducerName = "alexnet-convert", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = AlexNetModelBuilder.OpsetVersion });
        return model;
    }
}
