using System.Text.Json;
using AlexNet.Realtime.CommandLine;
using AlexNet.Realtime.Inference.Onnx;
using AlexNet.Realtime.TestSupport;
using AlexNet.Realtime.WeightConverter.Cli;
using AlexNet.Realtime.WeightConverter.Graph;

namespace AlexNet.Realtime.WeightConverter.Tests;

/// <summary>Reduced-precision models of the mini fixtures, converted once through the command line and shared by a test class.</summary>
public sealed class QuantizedModels : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string> _paths = [];
    private readonly Lock _gate = new();

    /// <summary>A small calibration set: a 24-frame video and two photos (enough blocks to hold some out).</summary>
    public static string[] SmallCalibration => [Fixtures.Path("fuzz", "h264-64x48.mp4"), Fixtures.Image("astronaut.png"), System.IO.Path.Combine(Fixtures.RepositoryRoot, "samples", "frame-640x480.jpg")];

    /// <summary>The model written by <c>alexnet-convert convert weights --precision ... extra</c>, converted on first use.</summary>
    public string Model(string weights, params string[] extra)
    {
        var key = weights + " " + string.Join(" ", extra);
        lock (_gate)
        {
            if (_paths.TryGetValue(key, out var known))
            {
                return known;
            }

            var output = _dir.File($"m{_paths.Count}.onnx");
            var (code, _, error) = Run(["convert", Fixtures.Path(weights), "-o", output, "-q", .. extra]);
            if (code != 0)
            {
                throw new InvalidOperationException($"convert {key}: exit {code}: {error}");
            }

            _paths[key] = output;
            return output;
        }
    }

    public static ModelProto Read(string path) => ModelFile.Read(path);

    public static Dictionary<string, string> Metadata(ModelProto model) => model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);

    /// <summary>The contract's agreement as stored (JSON).</summary>
    public static JsonElement Agreement(ModelProto model) => JsonDocument.Parse(Metadata(model)["agreement"]).RootElement;

    public static (int Code, string Out, string Error) Run(params string[] args) => ConverterCli.Run(args);

    public void Dispose() => _dir.Dispose();
}
