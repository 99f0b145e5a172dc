using CsCheck;

namespace AlexNet.Realtime.TestSupport;

public enum MutationKind
{
    FlipBit,
    SetByte,
    Truncate,
    Delete,
    SetInt32,
}

/// <summary>
/// One small damage to a file, as a bad disk, a cut-off download or a hand edit leaves it. Small
/// and written as text (<c>kind offset value</c>), so a damaged input that once broke a reader is
/// kept in tests/fixtures/fuzz as one line against a committed seed file instead of a copy of it.
/// Used by the converter's readers' tests and the video readers' tests.
/// </summary>
public sealed record Mutation(MutationKind Kind, int Offset, int Value)
{
    /// <summary>
    /// Damage anywhere, but mostly where a format keeps its structure: the first 4 KB (zip local
    /// headers and data.pkl, legacy pickles, the safetensors header, most of a small ONNX graph)
    /// and the last 2 KB (the zip central directory, a legacy file's storage table end).
    /// </summary>
    public static Gen<Mutation> For(int length) =>
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, int.MaxValue], Gen.Enum<MutationKind>(), Gen.Int[0, 3], Gen.Int[0, int.MaxValue])
            .Select(t =>
            {
                var (region, position, kind, special, random) = t;
                var offset = region switch
                {
                    < 5 => position % Math.Min(4096, length),
                    < 7 => length - 1 - (position % Math.Min(2048, length)),
                    _ => position % length,
                };
                var value = kind switch
                {
                    MutationKind.SetInt32 => special switch { 0 => int.MaxValue, 1 => int.MinValue, 2 => -1, _ => random },
                    MutationKind.Delete => 1 + (random % 63),
                    _ => random % 256,
                };
                return new Mutation(kind, offset, value);
            });

    public static Mutation Parse(string kind, string offset, string value) => new(
        Enum.Parse<MutationKind>(kind, ignoreCase: true),
        int.Parse(offset, System.Globalization.CultureInfo.InvariantCulture),
        int.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

    public byte[] Apply(byte[] seed)
    {
        var offset = Math.Clamp(Offset, 0, seed.Length - 1);
        switch (Kind)
        {
            case MutationKind.Truncate:
                return seed[..offset];
            case MutationKind.Delete:
                return [.. seed[..offset], .. seed[Math.Min(seed.Length, offset + Math.Max(1, Value))..]];
            default:
                var damaged = (byte[])seed.Clone();
                switch (Kind)
                {
                    case MutationKind.FlipBit:
                        damaged[offset] ^= (byte)(1 << (Value & 7));
                        break;
                    case MutationKind.SetByte:
                        damaged[offset] = (byte)Value;
                        break;
                    default:
                        BitConverter.TryWriteBytes(damaged.AsSpan(offset, Math.Min(4, damaged.Length - offset)), Value);
                        break;
                }

                return damaged;
        }
    }

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Offset} {Value}";
}
