using System.Text.Json.Serialization;

namespace AlexNet.Realtime.Inference.Contract;

/// <summary>Source-generated JSON for the contract's label list (no reflection at run time).</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class ContractJsonContext : JsonSerializerContext;
