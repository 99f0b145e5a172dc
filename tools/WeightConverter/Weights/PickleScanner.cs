using System.Text;

namespace AlexNet.Realtime.WeightConverter.Weights;

/// <summary>
/// Walks a pickle's opcodes without executing any of them, to find where it ends and which
/// globals it names. Razorvine.Pickle does the real unpickling, but it resolves an unknown global
/// to a placeholder class instead of refusing it, and it has no hook to refuse one; so the
/// allowlist is checked here, before a single object is built (as torch.load(weights_only=True)
/// does in its own unpickler). Written by hand because no served package exposes pickle opcodes.
/// </summary>
internal static class PickleScanner
{
    private const int MaxLine = 4096;

    /// <summary>Scans one pickle that starts at <paramref name="start"/>.</summary>
    /// <returns>The offset just past its STOP opcode, and every global it names.</returns>
    public static (int End, IReadOnlyList<string> Globals) Scan(ReadOnlySpan<byte> data, int start, string what)
    {
        var globals = new List<string>();

        // Strings on the stack and in the memo, so that STACK_GLOBAL (protocol 4+) can be
        // resolved: its module and name are the two values pushed before it.
        var recent = new List<string?>();
        var memo = new Dictionary<long, string?>();
        string? lastPushed = null;
        var pos = start;
        while (true)
        {
            if (pos >= data.Length)
            {
                throw Truncated(what);
            }

            var op = data[pos++];
            string? pushedString = null;
            var pushed = true;
            switch (op)
            {
                // no argument
                case (byte)'(': case (byte)'0': case (byte)'1': case (byte)'2': case (byte)'N': case (byte)'R':
                case (byte)'a': case (byte)'b': case (byte)'d': case (byte)'}': case (byte)'e': case (byte)'l':
                case (byte)']': case (byte)'o': case (byte)'s': case (byte)'t': case (byte)')': case (byte)'u':
                case (byte)'Q': case 0x81: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: case 0x8f:
                case 0x90: case 0x91: case 0x92: case 0x97: case 0x98:
                    break;
                case (byte)'.': // STOP
                    return (pos, globals);
                case 0x94: // MEMOIZE
                    memo[memo.Count] = lastPushed;
                    pushed = false;
                    break;
                case 0x93: // STACK_GLOBAL
                    if (recent.Count < 2 || recent[^1] is null || recent[^2] is null)
                    {
                        throw new ConversionException(
                            $"{what}: refused a global whose name is computed at load time (STACK_GLOBAL); only literal globals on the allowlist are loaded");
                    }

                    globals.Add(recent[^2] + "." + recent[^1]);
                    break;

                // one text line
                case (byte)'I': case (byte)'L': case (byte)'F': case (byte)'P':
                    ReadLine(data, ref pos, what);
                    break;
                case (byte)'S': case (byte)'V':
                    pushedString = ReadLine(data, ref pos, what);
                    break;
                case (byte)'g': // GET
                    pushedString = memo.GetValueOrDefault(ParseMemoKey(ReadLine(data, ref pos, what), what));
                    break;
                case (byte)'p': // PUT
                    memo[ParseMemoKey(ReadLine(data, ref pos, what), what)] = lastPushed;
                    pushed = false;
                    break;

                // two text lines: GLOBAL and INST name module and class inline
                case (byte)'c': case (byte)'i':
                    var module = ReadLine(data, ref pos, what);
                    var name = ReadLine(data, ref pos, what);
                    globals.Add(module + "." + name);
                    break;

                // fixed-size arguments
                case (byte)'K': case 0x80: case 0x82:
                    Skip(data, ref pos, 1, what);
                    break;
                case (byte)'h': // BINGET
                    Need(data, pos, 1, what);
                    pushedString = memo.GetValueOrDefault(data[pos++]);
                    break;
                case (byte)'q': // BINPUT
                    Need(data, pos, 1, what);
                    memo[data[pos++]] = lastPushed;
                    pushed = false;
                    break;
                case (byte)'M': case 0x83:
                    Skip(data, ref pos, 2, what);
                    break;
                case (byte)'J': case 0x84:
                    Skip(data, ref pos, 4, what);
                    break;
                case (byte)'j': // LONG_BINGET
                    pushedString = memo.GetValueOrDefault(ReadUInt32(data, ref pos, what));
                    break;
                case (byte)'r': // LONG_BINPUT
                    memo[ReadUInt32(data, ref pos, what)] = lastPushed;
                    pushed = false;
                    break;
                case (byte)'G':
                    Skip(data, ref pos, 8, what);
                    break;
                case 0x95: // FRAME
                    Skip(data, ref pos, 8, what);
                    pushed = false;
                    break;

                // length-prefixed arguments
                case (byte)'C': case 0x8a:
                    Skip(data, ref pos, ReadLength(data, ref pos, 1, what), what);
                    break;
                case (byte)'U': case 0x8c:
                    pushedString = ReadString(data, ref pos, ReadLength(data, ref pos, 1, what), what);
                    break;
                case (byte)'B': case 0x8b:
                    Skip(data, ref pos, ReadLength(data, ref pos, 4, what), what);
                    break;
                case (byte)'T': case (byte)'X':
                    pushedString = ReadString(data, ref pos, ReadLength(data, ref pos, 4, what), what);
                    break;
                case 0x8e: case 0x96:
                    Skip(data, ref pos, ReadLength(data, ref pos, 8, what), what);
                    break;
                case 0x8d:
                    pushedString = ReadString(data, ref pos, ReadLength(data, ref pos, 8, what), what);
                    break;
                default:
                    throw new ConversionException($"{what}: not a valid pickle (unknown opcode 0x{op:x2} at byte {pos - 1})");
            }

            if (pushed)
            {
                recent.Add(pushedString);
                if (recent.Count > 2)
                {
                    recent.RemoveAt(0);
                }

                lastPushed = pushedString;
            }
        }
    }

    private static ConversionException Truncated(string what) =>
        new($"{what}: the pickle ends before its STOP opcode (truncated or corrupt file)");

    private static void Need(ReadOnlySpan<byte> data, int pos, long count, string what)
    {
        if (count < 0 || pos + count > data.Length)
        {
            throw Truncated(what);
        }
    }

    private static void Skip(ReadOnlySpan<byte> data, ref int pos, long count, string what)
    {
        Need(data, pos, count, what);
        pos += (int)count;
    }

    private static long ReadLength(ReadOnlySpan<byte> data, ref int pos, int width, string what)
    {
        Need(data, pos, width, what);
        long value = width switch
        {
            1 => data[pos],
            4 => BitConverter.ToUInt32(data.Slice(pos, 4)),
            _ => BitConverter.ToInt64(data.Slice(pos, 8)),
        };
        pos += width;
        return value;
    }

    private static long ReadUInt32(ReadOnlySpan<byte> data, ref int pos, string what) => ReadLength(data, ref pos, 4, what);

    private static string ReadString(ReadOnlySpan<byte> data, ref int pos, long length, string what)
    {
        Need(data, pos, length, what);
        var s = Encoding.UTF8.GetString(data.Slice(pos, (int)length));
        pos += (int)length;
        return s;
    }

    private static string ReadLine(ReadOnlySpan<byte> data, ref int pos, string what)
    {
        var rest = data[pos..];
        var end = rest.IndexOf((byte)'\n');
        if (end < 0 || end > MaxLine)
        {
            throw Truncated(what);
        }

        var line = Encoding.UTF8.GetString(rest[..end]);
        pos += end + 1;
        return line;
    }

    private static long ParseMemoKey(string text, string what) =>
        long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var key)
            ? key
            : throw new ConversionException($"{what}: not a valid pickle (bad memo key '{text}')");
}
