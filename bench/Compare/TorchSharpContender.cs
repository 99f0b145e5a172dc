using AlexNet.Realtime.WeightConverter.Weights;
using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace AlexNet.Realtime.Bench.Compare;

/// <summary>
/// TorchSharp (libtorch CPU): torchvision's AlexNet layout built from TorchSharp modules (the
/// state_dict keys match, so the same weights load by name), preprocessing as a TorchSharp user
/// writes it: frame to tensor, antialiased bilinear resize, center crop, normalize, forward,
/// softmax, top-k. Built only with -p:TorchSharp=true.
/// </summary>
internal sealed class TorchSharpContender : IContender
{
    private readonly Module<Tensor, Tensor> _model;
    private readonly string _clip;
    private readonly Tensor _mean = tensor(new float[] { 0.485f, 0.456f, 0.406f }).reshape(3, 1, 1);
    private readonly Tensor _std = tensor(new float[] { 0.229f, 0.224f, 0.225f }).reshape(3, 1, 1);

    public TorchSharpContender(StateDict weights, string clip, int threads)
    {
        torch.set_num_threads(threads);
        _clip = clip;
        _model = Sequential(
            ("features", Sequential(
                ("0", Conv2d(3, 64, 11, stride: 4, padding: 2)), ("1", ReLU()), ("2", MaxPool2d(3, 2)),
                ("3", Conv2d(64, 192, 5, padding: 2)), ("4", ReLU()), ("5", MaxPool2d(3, 2)),
                ("6", Conv2d(192, 384, 3, padding: 1)), ("7", ReLU()),
                ("8", Conv2d(384, 256, 3, padding: 1)), ("9", ReLU()),
                ("10", Conv2d(256, 256, 3, padding: 1)), ("11", ReLU()), ("12", MaxPool2d(3, 2)))),
            ("avgpool", AdaptiveAvgPool2d(new long[] { 6, 6 })),
            ("flatten", Flatten()),
            ("classifier", Sequential(
                ("0", Dropout(0.5)), ("1", Linear(9216, 4096)), ("2", ReLU()),
                ("3", Dropout(0.5)), ("4", Linear(4096, 4096)), ("5", ReLU()),
                ("6", Linear(4096, weights["classifier.6.weight"].Shape[0])))));
        using (no_grad())
        {
            foreach (var (name, parameter) in _model.named_parameters())
            {
                var source = weights[name];
                parameter.copy_(tensor(source.Data).reshape(source.Shape.Select(d => (long)d).ToArray()));
            }
        }

        _model.eval();
    }

    public string Name => "TorchSharp (libtorch CPU)";

    public (double[] Milliseconds, int[] Top1) Run(int frames, int warmup)
    {
        using var reader = new ClipReader(_clip);
        using var frame = new Mat();
        var pixels = new byte[640 * 480 * 3];
        return TimedLoop.Run(frames, warmup, () =>
        {
            reader.Read(frame);
            var length = frame.Rows * frame.Cols * 3;
            if (pixels.Length != length)
            {
                pixels = new byte[length];
            }

            System.Runtime.InteropServices.Marshal.Copy(frame.Data, pixels, 0, length);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var image = tensor(pixels, new long[] { frame.Rows, frame.Cols, 3 }).permute(2, 0, 1).flip(0).to_type(ScalarType.Float32).div(255f);
            var scale = 256.0 / Math.Min(frame.Rows, frame.Cols);
            var size = new long[] { (long)(frame.Rows * scale), (long)(frame.Cols * scale) };
            var resized = nn.functional.interpolate(image.unsqueeze(0), size, mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
            var cropped = resized.narrow(2, (size[0] - 224) / 2, 224).narrow(3, (size[1] - 224) / 2, 224);
            var probabilities = nn.functional.softmax(_model.call((cropped - _mean) / _std), 1);
            var (_, indices) = probabilities.topk(5, 1);
            return (int)indices[0, 0].item<long>();
        });
    }

    public void Dispose()
    {
        _model.Dispose();
        _mean.Dispose();
        _std.Dispose();
    }
}
