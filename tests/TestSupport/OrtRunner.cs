using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace AlexNet.Realtime.TestSupport;

/// <summary>Plain ONNX Runtime runs, independent of the engine, as the reference in tests.</summary>
public static class OrtRunner
{
    public static InferenceSession Open(string modelPath) => new(modelPath, new SessionOptions { IntraOpNumThreads = 2 });

    /// <summary>Runs a float32 NCHW input; returns every output as (shape, values).</summary>
    public static Dictionary<string, (long[] Shape, float[]? Floats, long[]? Longs)> RunFloat(InferenceSession session, string input, float[] data, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(session);
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        return Collect(session, input, value);
    }

    /// <summary>Runs one BGR uint8 frame (a continuous 8UC3 Mat) as [1,H,W,3].</summary>
    public static Dictionary<string, (long[] Shape, float[]? Floats, long[]? Longs)> RunFrame(InferenceSession session, Mat bgr)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(bgr);
        var bytes = new byte[bgr.Rows * bgr.Cols * 3];
        System.Runtime.InteropServices.Marshal.Copy(bgr.Data, bytes, 0, bytes.Length);
        using var value = OrtValue.CreateTensorValueFromMemory(bytes, [1, bgr.Rows, bgr.Cols, 3]);
        return Collect(session, "frames", value);
    }

    private static Dictionary<string, (long[] Shape, float[]? Floats, long[]? Longs)> Collect(InferenceSession session, string input, OrtValue value)
    {
        using var runOptions = new RunOptions();
        var names = session.OutputNames;
        using var outputs = session.Run(runOptions, [input], [value], names);
        var result = new Dictionary<string, (long[], float[]?, long[]?)>();
        for (var i = 0; i < names.Count; i++)
        {
            var info = outputs[i].GetTensorTypeAndShape();
            result[names[i]] = info.ElementDataType switch
            {
                TensorElementType.Float => (info.Shape, outputs[i].GetTensorDataAsSpan<float>().ToArray(), null),
                TensorElementType.Int64 => (info.Shape, null, outputs[i].GetTensorDataAsSpan<long>().ToArray()),
                var t => throw new NotSupportedException($"output {names[i]} is {t}"),
            };
        }

        return result;
    }
}
