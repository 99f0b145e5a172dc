using System.Globalization;

namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>
/// How many values a checkpoint may expand to. A tensor is a view of a storage (an offset, sizes
/// and strides), so a small file can declare a huge tensor: strides of 0 repeat one value, and a
/// 399 KB file once became a 1.38 GB model. Every tensor's element count, and the sum over all of
/// them, is checked against <see cref="MaxElements"/> (overflow-checked) before any is copied out.
/// </summary>
/// <remarks>
/// The default, 2^28 = 268,435,456 values (1 GiB as float32), is 4.4 times torchvision's AlexNet
/// (61.1 million parameters; its largest tensor, fc6, holds 37.7 million): room for wider variants
/// and training checkpoints, not for a file that claims gigabytes.
/// </remarks>
public sealed class CheckpointLimits
{
    /// <summary>Environment variable: the ceiling on the values a checkpoint may hold (a positive integer).</summary>
    public const string EnvironmentVariable = "ALEXNET_CONVERT_MAX_ELEMENTS";

    /// <summary>The default ceiling: 2^28 values.</summary>
    public const long DefaultMaxElements = 1L << 28;

    private readonly long _maxElements = DefaultMaxElements;

    /// <summary>The most values one tensor, and all tensors together, may hold.</summary>
    public long MaxElements
    {
        get => _maxElements;
        init => _maxElements = value >= 1 ? value : throw new ConversionException($"the checkpoint element ceiling must be 1 or more, got {value}");
    }

    /// <summary>The most bytes a checkpoint's storages may hold together (the ceiling at 8 bytes a value, float64).</summary>
    public long MaxStorageBytes => MaxElements > long.MaxValue / 8 ? long.MaxValue : MaxElements * 8;

    /// <summary>The default, or what <see cref="EnvironmentVariable"/> sets.</summary>
    /// <exception cref="ConversionException">The variable is set to something that is not a positive integer.</exception>
    public static CheckpointLimits FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new CheckpointLimits();
        }

        return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? new CheckpointLimits { MaxElements = value }
            : throw new ConversionException($"{EnvironmentVariable}={text}: give the most values a checkpoint may hold, a positive integer (default {DefaultMaxElements})");
    }

    /// <summary>Refuses one tensor over the ceiling.</summary>
    public void CheckTensor(string name, long count, string shape)
    {
        if (count > MaxElements)
        {
            throw new ConversionException(
                $"tensor {name}: shape {shape} holds {count} values, over the limit of {MaxElements} a checkpoint may hold (set {EnvironmentVariable} to raise it)");
        }
    }

    /// <summary>Refuses a checkpoint whose tensors hold more than the ceiling together.</summary>
    /// <param name="soFar">The total is of the first <paramref name="tensors"/> tensors only (read as they come).</param>
    public void CheckTotal(long total, int tensors, bool soFar = false)
    {
        if (total > MaxElements)
        {
            throw new ConversionException(
                $"its {(soFar ? "first " : "")}{tensors} tensors hold {(total == long.MaxValue ? "more than " : "")}{total} values together, over the limit of {MaxElements} a checkpoint may hold (set {EnvironmentVariable} to raise it)");
        }
    }
}
