using System.Text.Json.Serialization;
using AlexNet.Realtime.Inference.Contract;
using AlexNet.Realtime.Inference.Onnx;

namespace AlexNet.Realtime.WeightConverter.Cli;

/// <summary>What <c>alexnet-convert inspect</c> prints.</summary>
internal sealed record InspectReport(
    string File,
    string Producer,
    long IrVersion,
    IReadOnlyList<OpsetEntry> Opsets,
    IReadOnlyList<TensorSignature> Inputs,
    IReadOnlyList<TensorSignature> Outputs,
    ContractView? Contract,
    string? ContractError);

internal sealed record OpsetEntry(string Domain, long Version);

internal sealed record TensorSignature(string Name, string Type, IReadOnlyList<string> Shape);

internal sealed record ContractView(
    string Architecture,
    string Weights,
    string InputLayout,
    int CropSize,
    int ResizeShorter,
    string ResizePolicy,
    IReadOnlyList<float> Mean,
    IReadOnlyList<float> Std,
    int TopK,
    int NumClasses,
    IReadOnlyList<string> Labels,
    string SourceFile,
    string SourceSha256,
    string ConverterVersion,
    string? DenseOps,
    bool NonfiniteWeights,
    string Precision,
    string? CalibrationSource,
    PrecisionAgreement? Agreement);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(InspectReport))]
internal sealed partial class InspectJsonContext : JsonSerializerContext;

internal static class ModelInspector
{
    public static InspectReport Inspect(ModelProto model, string fileName)
    {
        ContractView? view = null;
        string? error = null;
        try
        {
            var metadata = model.MetadataProps.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
            var c = ModelContract.FromMetadata(metadata);
            view = new ContractView(c.Architecture, c.Weights.ToString().ToLowerInvariant(), c.InputLayout.ToString().ToLowerInvariant(),
                c.CropSize, c.ResizeShorter, c.ResizePolicy, c.Mean, c.Std, c.TopK, c.NumClasses, c.Labels, c.SourceFile, c.SourceSha256, c.ConverterVersion, c.DenseOps, c.NonfiniteWeights,
                c.Precision, c.CalibrationSource, c.Agreement);
        }
        catch (ModelContractException e)
        {
            error = e.Message;
        }

        var initializers = model.Graph.Initializer.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        return new InspectReport(
            fileName,
            string.IsNullOrEmpty(model.ProducerVersion) ? model.ProducerName : $"{model.ProducerName} {model.ProducerVersion}",
            model.IrVersion,
            model.OpsetImport.Select(o => new OpsetEntry(string.IsNullOrEmpty(o.Domain) ? "ai.onnx" : o.Domain, o.Version)).ToList(),
            model.Graph.Input.Where(i => !initializers.Contains(i.Name)).Select(Signature).ToList(),
            model.Graph.Output.Select(Signature).ToList(),
            view,
            error);
    }

    private static TensorSignature Signature(ValueInfoProto value)
    {
        var tensor = value.Type?.TensorType;
        var type = tensor is null ? "unknown" : ((TensorProto.Types.DataType)tensor.ElemType).ToString().ToLowerInvariant();
        var shape = tensor?.Shape?.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : d.HasDimParam ? d.DimParam : "?").ToList() ?? [];
        return new TensorSignature(value.Name, type, shape);
    }
}
