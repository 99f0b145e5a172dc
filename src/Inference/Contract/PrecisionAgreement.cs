using System.Text.Json.Serialization;

namespace AlexNet.Realtime.Inference.Contract;

/// <summary>
/// How closely a reduced-precision model (fp16, int8) answers like the float32 model it was made
/// from, measured by the converter on frames held out from calibration, and stored in the
/// contract (key <c>agreement</c>, JSON).
/// </summary>
/// <param name="Frames">How many frames were compared.</param>
/// <param name="Frameset">Which frames, in words (the source and the rule that held them out).</param>
/// <param name="Top1">Fraction of frames whose top-1 class is float32's.</param>
/// <param name="Top5Overlap">Mean over frames of |top-5 ∩ float32's top-5| / 5 (top-K of fewer classes where the model has fewer).</param>
/// <param name="MaxProbabilityDifference">Largest |p - p32| over every frame and class, p the softmax.</param>
/// <param name="RelativeLogitError">Mean over frames of ‖z - z32‖₂ / ‖z32‖₂, z the logits.</param>
/// <param name="Method">How activation ranges were chosen (<c>min-max</c>, <c>percentile 99.99</c>); null for fp16.</param>
/// <param name="Forced">Below the converter's threshold, written anyway (<c>--force</c>).</param>
public sealed record PrecisionAgreement(
    int Frames,
    string Frameset,
    double Top1,
    double Top5Overlap,
    double MaxProbabilityDifference,
    double RelativeLogitError,
    string? Method,
    bool Forced);

/// <summary>Source-generated JSON for <see cref="PrecisionAgreement"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(PrecisionAgreement))]
internal sealed partial class AgreementJsonContext : JsonSerializerContext;
