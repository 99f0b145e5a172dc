using System.Globalization;
using AlexNet.Realtime.Inference.Contract;

namespace AlexNet.Realtime.App.Output;

/// <summary>
/// How the app names a model's arithmetic to a person and to scripts: the contract's precision,
/// and for a reduced one (fp16, int8) the top-1 agreement with fp32 the converter measured. A
/// model written below the converter's threshold (<c>--force</c>) is said to be so wherever the
/// precision is, as synthetic weights are: its answers may differ from fp32's.
/// </summary>
internal static class ModelPrecision
{
    /// <summary><c>fp32</c>, <c>fp16</c>, <c>int8</c>, <c>int8-fc</c> (or <c>unknown</c>, a value this build does not know).</summary>
    public static string Of(ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return contract.Precision;
    }

    /// <summary>The measured top-1 agreement with fp32 of a reduced model; null for fp32 or where none was recorded.</summary>
    public static double? Top1Agreement(ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return IsReduced(contract) ? contract.Agreement?.Top1 : null;
    }

    /// <summary>The model was written below the converter's agreement threshold (<c>--force</c>).</summary>
    public static bool Forced(ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return IsReduced(contract) && contract.Agreement is { Forced: true };
    }

    /// <summary>
    /// The precision in words for a console line: <c>fp32</c>; <c>int8, top-1 agreement with fp32
    /// 0.9886 on 88 held-out frames</c>; with <c>FORCED below the threshold</c> when it was.
    /// </summary>
    public static string Describe(ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (!IsReduced(contract))
        {
            return contract.Precision;
        }

        return contract.Agreement is not { } a
            ? $"{contract.Precision}, no agreement with fp32 recorded"
            : string.Create(CultureInfo.InvariantCulture,
                $"{contract.Precision}, top-1 agreement with fp32 {a.Top1:0.0000} on {a.Frames} held-out frames{(a.Forced ? ", FORCED below the converter's threshold" : "")}");
    }

    /// <summary>
    /// The warning a forced model gets on the picture and in status lines; null for any other
    /// model. Short: it must fit across a 640-pixel frame.
    /// </summary>
    public static string? ForcedWarning(ModelContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return Forced(contract)
            ? string.Create(CultureInfo.InvariantCulture,
                $"FORCED {contract.Precision.ToUpperInvariant()}: only {contract.Agreement!.Top1 * 100:0.0}% top-1 agreement with fp32")
            : null;
    }

    private static bool IsReduced(ModelContract contract) => contract.Precision != ModelContract.Fp32;
}
