using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace AlexNet.Realtime.Bench.Compare;

/// <summary>
/// ONNX Runtime the way its C# sample does it: decode, resize and crop, a managed per-pixel loop
/// into a <see cref="DenseTensor{T}"/> with mean/std, <c>Run</c> with a <see cref="NamedOnnxValue"/>
/// list, softmax and top-5 in LINQ.
/// </summary>
internal sealed class OrtSampleContender(string nchwModel, string clip, int threads) : IContender
{
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];
    private readonly InferenceSession _session = new(nchwModel, new SessionOptions { IntraOpNumThreads = threads });

    public string Name => "ONNX Runtime, as its C# sample";

    public (double[] Milliseconds, int[] Top1) Run(int frames, int warmup)
    {
        using var reader = new ClipReader(clip);
        using var frame = new Mat();
        return TimedLoop.Run(frames, warmup, () =>
        {
            reader.Read(frame);
            return Classify(frame);
        });
    }

    public void Dispose() => _session.Dispose();

    private int Classify(Mat bgr)
    {
        var scale = 256.0 / Math.Min(bgr.Width, bgr.Height);
        using var resized = bgr.Resize(new Size((int)(bgr.Width * scale), (int)(bgr.Height * scale)), 0, 0, InterpolationFlags.Linear);
        var x0 = (resized.Width - 224) / 2;
        var y0 = (resized.Height - 224) / 2;
        using var cropped = new Mat(resized, new Rect(x0, y0, 224, 224));
        var tensor = new DenseTensor<float>([1, 3, 224, 224]);
        for (var y = 0; y < 224; y++)
        {
            for (var x = 0; x < 224; x++)
            {
                var pixel = cropped.At<Vec3b>(y, x);
                tensor[0, 0, y, x] = ((pixel.Item2 / 255f) - Mean[0]) / Std[0];
                tensor[0, 1, y, x] = ((pixel.Item1 / 255f) - Mean[1]) / Std[1];
                tensor[0, 2, y, x] = ((pixel.Item0 / 255f) - Mean[2]) / Std[2];
            }
        }

        var inputs = new List<NamedOnnxValue> { NamedOnnxValue.CreateFromTensor("input", tensor) };
        using var results = _session.Run(inputs);
        var logits = results.First(r => r.Name == "logits").AsEnumerable<float>().ToArray();
        var max = logits.Max();
        var exp = logits.Select(v => Math.Exp(v - max)).ToArray();
        var sum = exp.Sum();
        return exp.Select((e, i) => (P: e / sum, I: i)).OrderByDescending(t => t.P).Take(5).First().I;
    }
}
