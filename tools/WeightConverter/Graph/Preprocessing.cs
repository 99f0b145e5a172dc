using AlexNet.Realtime.Inference.Onnx;
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
/// <para>
/// Only the crop is resized. Resizing the whole frame and then cropping computes a quarter to a
/// half of the pixels only to throw them away; instead the frame is cut to the window the crop's
/// filter taps reach, and that window is resized with <c>tf_crop_and_resize</c> and a region of
/// interest chosen so that every output pixel lands where the full-frame <c>half_pixel</c> resize
/// would put it (see <see cref="CropWindow"/>): the same values within float rounding, in less
/// time (bench/README.md). Frames under 8 pixels a side differ at the crop's border,
/// which tf_crop_and_resize extrapolates as 0 where PIL clamps.
/// </para>
/// <para>
/// By default the window is transposed to NCHW, cast to float, resized and rounded to whole levels
/// (PIL returns uint8): within one level of torchvision, and the fastest order measured (ONNX
/// Runtime's uint8 resize is slower than its float one). With <c>pilExact</c> the whole uint8
/// frame is resized, which ONNX Runtime does bit-exactly as PIL, and then cropped. The mean is
/// subtracted after the transpose, where a per-channel Sub runs over whole NCHW planes (over
/// NHWC's trailing axis it is many times slower).
/// </para>
/// </remarks>
internal static class Preprocessing
{
    private const long FloatType = (long)TensorProto.Types.DataType.Float;
    private const long Int64Type = (long)TensorProto.Types.DataType.Int64;

    /// <summary>Emits resize and center crop; returns float NCHW BGR on the 0..255 scale, in whole levels.</summary>
    /// <param name="pilExact">Resize the uint8 frame itself (bit-exact with PIL) instead of its float copy.</param>
    public static string ResizeAndCrop(OnnxGraphBuilder g, string frames, int resizeShorter, int crop, bool pilExact = false)
    {
        var geometry = CropGeometry.Emit(g, frames, resizeShorter, crop);
        if (pilExact)
        {
            // ONNX Runtime's uint8 antialiased resize reproduces PIL's integer arithmetic, on the
            // whole frame: its layout optimizer sends a uint8 Resize to the NHWC kernel, and with
            // the window's roi that kernel gave pixels off by up to 255 levels on the fixture photos
            // (ONNX Runtime 1.31; float NHWC the same, the same roi on NCHW float is right), so this
            // mode resizes the whole frame and then crops it.
            var resizedU8 = g.Node("Resize", [frames, "", "", geometry.ResizedSize], "resized",
            [
                Attr("mode", "linear"),
                Attr("antialias", 1L),
                Attr("axes", 1L, 2L),
                Attr("coordinate_transformation_mode", "half_pixel"),
            ]);
            var cropStart = g.Node("Cast", [geometry.CropOffset], "crop_start", [Attr("to", Int64Type)]);
            var cropEnd = g.Node("Add", [cropStart, g.Int64s("crop_len", crop, crop)], "crop_end");
            var croppedU8 = g.Node("Slice", [resizedU8, cropStart, cropEnd, g.Int64s("crop_axes", 1, 2)], "cropped");
            var croppedNchw = g.Node("Transpose", [croppedU8], "cropped_nchw", [Attr("perm", 0L, 3L, 1L, 2L)]);

            // Named, and named in the contract (ModelContract.CropLevels): see the float path's end.
            return g.Node("Cast", [croppedNchw], "cropped_f", [Attr("to", FloatType)], outputName: Inference.Contract.ModelContract.CropLevelsName);
        }

        var window = CropWindow.Emit(g, geometry, crop);
        var region = g.Node("Slice", [frames, window.Start, window.End, g.Int64s("window_axes", 1, 2)], "window");
        var nchw = g.Node("Transpose", [region], "window_nchw", [Attr("perm", 0L, 3L, 1L, 2L)]);
        var asFloat = g.Node("Cast", [nchw], "window_f", [Attr("to", FloatType)]);
        var roi = g.Node("Concat", [g.Floats("roi_nc_start", 0f, 0f), window.RoiStart, g.Floats("roi_nc_end", 1f, 1f), window.RoiEnd], "roi_nchw", [Attr("axis", 0L)]);
        var scales = g.Node("Concat", [g.Floats("scale_nc", 1f, 1f), window.Scales], "scales_nchw", [Attr("axis", 0L)]);

        // ONNX Runtime resizes a batch one frame after another, each frame's 3 planes in parallel:
        // with 2 threads one thread gets 2 planes. A batch seen as one frame of 3N planes splits evenly.
        var planes = g.Node("Reshape", [asFloat, g.Int64s("as_planes", 1, -1, 0, 0)], "window_planes");
        var resized = Resize(g, planes, roi, scales);
        var cropped = g.Node("Slice", [resized, g.Int64s("crop_start", 0, 0), g.Int64s("crop_end", crop, crop), g.Int64s("crop_axes", 2, 3)], "cropped");
        var frames3 = g.Node("Reshape", [cropped, g.Int64s("as_frames", -1, 3, crop, crop)], "cropped_frames");
        // Named, and named in the contract (ModelContract.CropLevels): the engine on the CPU
        // computes this tensor itself and feeds the rest of the graph from here.
        return g.Node("Round", [frames3], "cropped_levels", outputName: Inference.Contract.ModelContract.CropLevelsName);
    }

    private static string Resize(OnnxGraphBuilder g, string input, string roi, string scales) =>
        g.Node("Resize", [input, roi, scales], "resized",
        [
            Attr("mode", "linear"),
            Attr("antialias", 1L),
            Attr("coordinate_transformation_mode", "tf_crop_and_resize"),
        ]);

    /// <summary>Subtracts a per-channel value (in the frame's BGR order, 0..255 scale) from float NCHW.</summary>
    public static string SubtractMean(OnnxGraphBuilder g, string nchw, float[] meanBgr255) =>
        g.Node("Sub", [nchw, g.Initializer(g.Unique("mean_bgr_255"), meanBgr255, 1, 3, 1, 1)], "centered");

    /// <summary>
    /// The frame window the crop needs and the <c>Resize</c> inputs that reproduce the full-frame
    /// resize on it. All values are [height, width] pairs computed in the graph from the frame's shape.
    /// </summary>
    /// <remarks>
    /// Per axis, with L the frame's size, R = int(256*L/short) the resized size and o the crop's
    /// offset: torchvision's output pixel x (0..S-1) is centered at u(x) = (x + o + 0.5)*L/R - 0.5
    /// in the frame (<c>half_pixel</c>), and its taps reach max(L/R, 1) pixels either side. The window
    /// [a, b) holds every tap. ONNX Runtime's <c>Resize</c> with <c>scales</c> takes the filter width
    /// from the scale R/L and makes n = int(R/L * (b-a)) outputs, whatever the roi (it ignores the
    /// roi there); <c>tf_crop_and_resize</c> then centers output x at s*(b-a-1) + x*(e-s)*(b-a-1)/(n-1).
    /// s = (u(0)-a)/(b-a-1) and e-s = (L/R)*(n-1)/(b-a-1) make that u(x)-a: the same pixel, the same
    /// weights. The first S of the n outputs are the crop. An axis that keeps its size (R = L) is
    /// copied, not resampled, so its window starts exactly at the crop.
    /// </remarks>
    public sealed record CropWindow(string Start, string End, string RoiStart, string RoiEnd, string Scales)
    {
        public static CropWindow Emit(OnnxGraphBuilder g, CropGeometry geometry, int crop)
        {
            var (size, resized, offset) = (geometry.Size, geometry.Resized, geometry.CropOffset);
            var ratio = g.Node("Div", [size, resized], "frame_per_resized");
            var scales = g.Node("Div", [resized, size], "resize_scales");
            var half = g.ScalarFloat("half", 0.5f);
            var one = g.ScalarFloat("one", 1f);
            var zero = g.ScalarFloat("zero", 0f);
            var first = g.Node("Sub", [g.Node("Mul", [g.Node("Add", [offset, half], "offset_center"), ratio], "first_center_"), half], "first_center");
            var span = g.Node("Mul", [ratio, g.ScalarFloat("crop_steps", crop - 1)], "crop_span");

            // Taps reach the filter's support (1 resized pixel, in frame pixels when shrinking)
            // beyond a center; one more covers the rounding of the window's ends.
            var support = g.Node("Add", [g.Node("Max", [ratio, one], "support"), one], "support_1");
            var kept = g.Node("Equal", [geometry.ResizedSize, geometry.FrameSize], "size_kept");
            var margin = g.Node("Where", [kept, zero, support], "window_margin");
            var start = g.Node("Max", [g.Node("Floor", [g.Node("Sub", [first, margin], "window_start_")], "window_start_floor"), zero], "window_start_f");
            var last = g.Node("Add", [g.Node("Add", [first, span], "last_center"), margin], "window_last_");
            var end = g.Node("Min", [g.Node("Add", [g.Node("Ceil", [last], "window_last_ceil"), one], "window_end_"), size], "window_end_f");

            var length = g.Node("Sub", [end, start], "window_length");
            var steps = g.Node("Max", [g.Node("Sub", [length, one], "window_steps_"), one], "window_steps");
            var outputs = g.Node("Floor", [g.Node("Mul", [scales, length], "window_outputs_")], "window_outputs");
            var roiStart = g.Node("Div", [g.Node("Sub", [first, start], "first_in_window"), steps], "roi_start");
            var roiSpan = g.Node("Div", [g.Node("Mul", [ratio, g.Node("Sub", [outputs, one], "output_steps")], "output_span"), steps], "roi_span");
            var roiEnd = g.Node("Add", [roiStart, roiSpan], "roi_end");

            return new CropWindow(
                g.Node("Cast", [start], "window_start", [Attr("to", Int64Type)]),
                g.Node("Cast", [end], "window_end", [Attr("to", Int64Type)]),
                roiStart,
                roiEnd,
                scales);
        }
    }

    /// <summary>torchvision's sizes for a frame, as [height, width] pairs computed in the graph from its shape.</summary>
    /// <param name="FrameSize">int64, the frame's size L.</param>
    /// <param name="ResizedSize">int64, the resized size R = int(256*L/short).</param>
    /// <param name="Size">float L.</param>
    /// <param name="Resized">float R.</param>
    /// <param name="CropOffset">float, the crop's offset o = round((R-S)/2) in the resized frame.</param>
    public sealed record CropGeometry(string FrameSize, string ResizedSize, string Size, string Resized, string CropOffset)
    {
        public static CropGeometry Emit(OnnxGraphBuilder g, string frames, int resizeShorter, int crop)
        {
            var shape = g.Node("Shape", [frames], "frame_shape");
            var hw = g.Node("Slice", [shape, g.Int64s("hw_start", 1), g.Int64s("hw_end", 3)], "frame_hw");
            var shorter = g.Node("ReduceMin", [hw, g.Int64s("axis0", 0)], "shorter_side", [Attr("keepdims", 1L)]);

            // Integer division truncates like Python's int(256 * long / short) for positive sizes.
            var resizedHw = g.Node("Div", [g.Node("Mul", [hw, g.Int64s("resize_shorter", resizeShorter)], "hw_scaled"), shorter], "resized_hw");

            var size = g.Node("Cast", [hw], "frame_hw_f", [Attr("to", FloatType)]);
            var resized = g.Node("Cast", [resizedHw], "resized_hw_f", [Attr("to", FloatType)]);
            var offset = g.Node("Round", [g.Node("Mul", [g.Node("Sub", [resized, g.ScalarFloat("crop", crop)], "crop_margin"), g.ScalarFloat("one_half", 0.5f)], "crop_half")], "crop_offset");
            return new CropGeometry(hw, resizedHw, size, resized, offset);
        }
    }
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
