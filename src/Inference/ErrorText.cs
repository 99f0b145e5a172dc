using System.Buffers;
using System.Globalization;
using System.Text;

namespace AlexNet.Realtime.Inference;

/// <summary>How a message is made fit for the one line every error gets on stderr.</summary>
public static class ErrorText
{
    /// <summary>The first line of a native library's or a tool's message (the rest is detail for a log).</summary>
    public static string FirstLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split('\n')[0].Trim();
    }

    /// <summary>
    /// Escapes what a terminal would act on rather than show: control characters (<c>\n</c>,
    /// <c>\r</c>, <c>\t</c>, <c>\x1b</c>, C1 such as <c>\x9b</c>), format characters (bidi
    /// overrides and isolates such as <c>\u202e</c>, zero-width characters, tag characters as
    /// <c>\U000e0041</c>), line and paragraph separators (<c>\u2028</c>, <c>\u2029</c>) and
    /// unpaired surrogates. Messages carry names read from files (labels in a model, tensor
    /// names in a damaged pickle, file names): a newline in one would split the line, an escape
    /// sequence would drive the user's terminal, and a bidi override would show the rest of the
    /// line in another order than it is (the "Trojan Source" trick).
    /// </summary>
    /// <remarks>
    /// Every format character is escaped but the zero-width non-joiner and joiner (U+200C,
    /// U+200D), which Persian and Indic words and emoji sequences need and which move no text.
    /// Machine-readable outputs (JSON, CSV) keep the text as it is.
    /// </remarks>
    public static string OneLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var first = FirstToEscape(message);
        if (first < 0)
        {
            return message;
        }

        var text = new StringBuilder(message.Length + 16);
        text.Append(message, 0, first);
        for (var at = first; at < message.Length;)
        {
            var status = Rune.DecodeFromUtf16(message.AsSpan(at), out var rune, out var used);
            if (status != OperationStatus.Done)
            {
                // An unpaired surrogate: shown as its code unit, not as a replacement character.
                text.Append("\\u").Append(((int)message[at]).ToString("x4", CultureInfo.InvariantCulture));
                at++;
                continue;
            }

            _ = rune.Value switch
            {
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                _ when !IsShown(rune) => text.Append(Escaped(rune)),
                _ => text.Append(message, at, used),
            };
            at += used;
        }

        return text.ToString();
    }

    /// <summary>Where the first character to escape is, or -1.</summary>
    private static int FirstToEscape(string message)
    {
        for (var at = 0; at < message.Length;)
        {
            var status = Rune.DecodeFromUtf16(message.AsSpan(at), out var rune, out var used);
            if (status != OperationStatus.Done || !IsShown(rune))
            {
                return at;
            }

            at += used;
        }

        return -1;
    }

    /// <summary>
    /// Whether a terminal shows the character as itself: not a control, format or separator
    /// character. The zero-width non-joiner and joiner (U+200C, U+200D) are format characters that
    /// Persian and Indic words and emoji sequences are written with; they move no text, so they stay.
    /// </summary>
    private static bool IsShown(Rune rune) => rune.Value is 0x200c or 0x200d || Rune.GetUnicodeCategory(rune) is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator);

    private static string Escaped(Rune rune) => rune.Value switch
    {
        <= 0xff => "\\x" + rune.Value.ToString("x2", CultureInfo.InvariantCulture),
        <= 0xffff => "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture),
        _ => "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture),
    };
}
