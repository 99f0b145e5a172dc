namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>One named tensor of a state_dict, converted to contiguous row-major float32.</summary>
public sealed class WeightTensor
{
    public WeightTensor(string name, int[] shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
        }

        if (count != data.Length)
        {
            throw new ArgumentException($"tensor {name}: shape {FormatShape(shape)} holds {count} values, data has {data.Length}");
        }

        Name = name;
        Shape = shape;
        Data = data;
    }

    public string Name { get; }

    public IReadOnlyList<int> Shape { get; }

    /// <summary>The values, row-major. Owned by this tensor; graph builders may read it without copying.</summary>
    public float[] Data { get; }

    public string ShapeText => FormatShape(Shape);

    public static string FormatShape(IReadOnlyList<int> shape) => "[" + string.Join(", ", shape) + "]";
}
